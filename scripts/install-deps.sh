#!/usr/bin/env bash
# Installs every build and test dependency of nasc from Debian 12's archive.
# Idempotent: packages already present are left alone; apt runs only when one is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache git
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools
  antlr4 libantlr4-runtime-dev
  libgtest-dev
  libsqlite3-dev gnuplot-nox libzstd-dev
  libtorch-dev zlib1g-dev dataset-fashion-mnist libonnx-dev python3-onnx
  clang-19 libclang-rt-19-dev
  verilator yosys iverilog nextpnr-ice40 fpga-icestorm
  libopenmpi-dev openmpi-bin
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
