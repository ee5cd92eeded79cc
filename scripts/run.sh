#!/usr/bin/env bash
# The main job: set up, build, and open the viewer on the demo case.
# Without a display it renders the demo case to a PNG instead and says where,
# and how to open the real window under Xvfb.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${CONFRERE_BUILD_DIR:-$top/build}
"$top/scripts/setup.sh"
exe="$build_dir/confrere"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$exe" "$@"
fi
out="$build_dir/demo-render.png"
echo "run: no display in this shell; rendering the demo case headless instead."
"$exe" render --demo --out "$out" --size 1024x768
echo "run: wrote $out"
echo "run: to open the viewer window without a screen: xvfb-run -a -s '-screen 0 1920x1080x24' $exe"
