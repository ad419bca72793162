#!/usr/bin/env bash
# What only the tests need: node with jsdom, and Mermaid's own parser, so that a test
# runs Mermaid on infra's Mermaid output. mermaid.min.js comes from PyPI (the
# artoo-mermaid wheel, pinned to a Mermaid release) into .build-deps/, once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/install-deps.sh nodejs node-jsdom
dest=.build-deps/mermaid/mermaid.min.js
[ -s "$dest" ] && exit 0
echo "Fetching mermaid.min.js (PyPI: artoo-mermaid==11.16.0)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The wheel declares Python >= 3.12 but holds only JavaScript: fetch it for 3.12 whatever runs here.
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 -d "$tmp" "artoo-mermaid==11.16.0"
mkdir -p "$(dirname "$dest")"
python3 - "$tmp" "$dest" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("artoo_mermaid/assets/mermaid.min.js"))
PY
