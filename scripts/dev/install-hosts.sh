#!/usr/bin/env bash
# Install the web servers the host tests and `make bench` serve the site with, from Debian: nginx
# (with the brotli_static module) and Caddy, at the versions in scripts/dev/hosts.versions when apt
# offers them, else the distribution's (it prints the versions it installed). Needs root or sudo.
set -euo pipefail
PACKAGES=(nginx libnginx-mod-http-brotli-static caddy)
VERSIONS="$(dirname "$0")/hosts.versions"
if dpkg-query -W -f='${Status}\n' "${PACKAGES[@]}" 2>/dev/null | grep -vq "install ok installed" \
   || [ "$(dpkg-query -W -f='${Status}\n' "${PACKAGES[@]}" 2>/dev/null | wc -l)" != "${#PACKAGES[@]}" ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  echo "Installing Debian's nginx and Caddy for the host tests..."
  $SUDO apt-get update -q
  WANTED=()
  for package in "${PACKAGES[@]}"; do
    pinned="$(awk -v p="$package" '$1 == p {print $2}' "$VERSIONS" 2>/dev/null || true)"
    if [ -n "$pinned" ] && apt-cache madison "$package" | awk '{print $3}' | grep -qx "$pinned"; then
      WANTED+=("$package=$pinned")
    else
      WANTED+=("$package")
    fi
  done
  # the tests start their own nginx and Caddy (on free ports of 127.0.0.1, scripts/dev/hosts.py)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${WANTED[@]}"
fi
dpkg-query -W -f='${Package} ${Version}\n' "${PACKAGES[@]}" > "$VERSIONS.installed"
if ! cmp -s "$VERSIONS.installed" "$VERSIONS" 2>/dev/null; then
  echo "host versions installed (scripts/dev/hosts.versions pins others):"; cat "$VERSIONS.installed"
fi
rm -f "$VERSIONS.installed"
