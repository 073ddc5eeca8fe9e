#!/usr/bin/env bash
# Install Multimodal Workbench into ./.venv, with the Debian libraries a real window and open3d need.
#   bash scripts/setup.sh          # the app
#   bash scripts/setup.sh --dev    # the app + tests + training extras (torch 2.13.0 CPU)
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=""
[ "${1:-}" = "--dev" ] && EXTRAS="[dev,train]"

DEB_PKGS="xvfb xauth libgl1 libegl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libdbus-1-3 libfontconfig1 \
fonts-dejavu-core libusb-1.0-0"
if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for p in $DEB_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
  done
  # --dev: the chart training data's second plotting library (ECharts) renders through Node and cairosvg
  if [ -n "$EXTRAS" ]; then
    command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
    dpkg-query -W -f='${Status}' libcairo2 2>/dev/null | grep -q "ok installed" || missing="$missing libcairo2"
  fi
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "Installing Debian packages:$missing"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  $PY -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
# torch==2.13.0 (CPU build) is pinned in the 'train' extra; the app itself never needs torch.
.venv/bin/python -m pip install -q -e ".$EXTRAS" 2>&1 | grep -v "is ignored" || true
.venv/bin/python -c "import onnxruntime, PySide6, numpy; print('installed: onnxruntime', onnxruntime.__version__, '| PySide6', PySide6.__version__)"
