#!/usr/bin/env bash
# Installs Mesa 25's lavapipe (a Vulkan driver on the CPU) from bookworm-backports, so that
# onnxruntime-node's WebGPU execution provider (Dawn) finds an adapter on a machine without a GPU.
# Bookworm's own Mesa 22.3 lacks a Vulkan feature Dawn requires. Idempotent; adds the backports
# source itself, pointing at the mirror already configured for bookworm.
set -euo pipefail
have_mesa25() {
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -Eq '^(2[5-9]|[3-9][0-9])\.'
}
if have_mesa25; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  mirror=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/debian.sources | head -1 | awk '{print $2}')
  if [ -z "$mirror" ]; then
    mirror=$(grep -hsE '^deb ' /etc/apt/sources.list | grep -v security | head -1 | awk '{print $2}')
  fi
  mirror=${mirror:-http://deb.debian.org/debian}
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" | $SUDO tee /etc/apt/sources.list.d/backports.sources >/dev/null
fi
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
have_mesa25
