#!/usr/bin/env bash
# Installs the Debian 12 packages Confrère needs (only the missing ones, one
# `apt-get update`), then configures and builds with CMake.
#
# usage: scripts/setup.sh [--no-build] [extra CMake -D options...]
# env:   CONFRERE_BUILD_DIR (default: build), CONFRERE_BUILD_TYPE (default: Release),
#        CONFRERE_JOBS (default: 2), CONFRERE_WITH_FUZZ=1 (also install clang for fuzz/)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${CONFRERE_BUILD_DIR:-$top/build}
build_type=${CONFRERE_BUILD_TYPE:-Release}
jobs=${CONFRERE_JOBS:-2}

# One list, grouped by what needs it. Keep docs/ARCHITECTURE.md in step.
packages=(
  # toolchain
  build-essential cmake pkg-config git
  # imaging: DICOM, codecs, photos, ECG XML, archives
  libdcmtk-dev dcmtk libcharls-dev libopenjp2-7-dev libjpeg-dev libpng-dev
  libexif-dev libpugixml-dev libzip-dev zlib1g-dev
  # peers for benchmarks and advanced imaging
  libinsighttoolkit5-dev libvtk9-dev
  # exchange: crypto, store
  libssl-dev openssl libsqlite3-dev
  # viewer: window, GL, UI, fonts
  libimgui-dev libglfw3-dev libepoxy-dev libgl-dev libgl1-mesa-dri fonts-dejavu-core
  # command line and data formats
  libcli11-dev nlohmann-json3-dev libfmt-dev
  # tests: GoogleTest, headless X server for the GL tests
  libgtest-dev libgmock-dev xvfb xauth
)

# Fuzzing needs clang and its libFuzzer runtime: only when asked.
if [ -n "${CONFRERE_WITH_FUZZ:-}" ]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} packages present"
fi

if [ "${1:-}" = "--no-build" ]; then
  exit 0
fi

cmake_args=(-S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type")
if [ -n "${CI:-}" ]; then
  cmake_args+=(-DCONFRERE_WERROR=ON)
fi
cmake "${cmake_args[@]}" "$@"
cmake --build "$build_dir" -j"$jobs"
