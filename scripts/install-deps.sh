#!/usr/bin/env bash
# Installs the Debian packages infra needs, only those missing: libyaml (YAML events),
# Graphviz (pictures), SQLite (history), pkg-config and a font for pictures.
# With arguments, installs those packages instead (scripts/install-test-deps.sh uses this).
set -euo pipefail
packages=(libyaml-dev libgraphviz-dev libsqlite3-dev graphviz pkg-config fonts-dejavu-core)
[ $# -gt 0 ] && packages=("$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to install ${missing[*]}" >&2; exit 2; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
