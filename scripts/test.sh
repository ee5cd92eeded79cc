#!/usr/bin/env bash
# Sets up, builds, and runs every test. GL tests run under Xvfb with Mesa's
# llvmpipe, so no GPU or screen is needed.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${CONFRERE_BUILD_DIR:-$top/build}
"$top/scripts/setup.sh"
export CONFRERE_TEST_DATA=${CONFRERE_TEST_DATA:-$top/../shared/data}
export LIBGL_ALWAYS_SOFTWARE=1
cd "$build_dir"
xvfb-run -a -s "-screen 0 1920x1080x24 +extension GLX" \
  ctest --output-on-failure -j2 "$@"
