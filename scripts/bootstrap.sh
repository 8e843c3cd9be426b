#!/usr/bin/env bash
# Set up everything BackRehab needs on Debian/Ubuntu, then return.
# Sourced by ./run and ./run-tests; safe to run again: it only does what is missing.
#  - system packages Qt and speech need (apt-get as root, else the exact command to run)
#  - a virtual environment in .venv with the Python packages from pyproject.toml
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# Qt's libraries for the offscreen and X11 platforms, espeak-ng and aplay for
# speech and sounds, and one font so text renders the same everywhere.
apt_packages=(
  espeak-ng alsa-utils fonts-dejavu-core
  libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0
  libxcb-xkb1 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-util1
)
# The tests also read the PDF report (pdftotext), check the desktop file, and read the
# app as a screen reader does: on Xvfb, over a D-Bus accessibility bus, with pyatspi.
if [ "${BACKREHAB_TEST_TOOLS:-0}" = 1 ]; then
  apt_packages+=(poppler-utils desktop-file-utils xvfb dbus at-spi2-core python3-pyatspi)
fi
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  apt_packages+=(python3 python3-venv)
elif ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  apt_packages+=(python3-venv)
fi

missing=()
if command -v dpkg-query >/dev/null; then
  for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
else
  echo "bootstrap: not a Debian/Ubuntu system; install Qt 6's runtime libraries and espeak-ng yourself." >&2
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: BackRehab needs these system packages. Install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || {
  echo "bootstrap: Python 3.10 or newer is needed; found $("$python" --version 2>&1)" >&2; exit 1; }

# Reinstall the Python packages only when pyproject.toml changed.
stamp=.venv/.installed-from
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: preparing the Python environment in .venv (first run takes a minute)" >&2
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[test]"
  echo "$want" > "$stamp"
fi
