#!/usr/bin/env bash
# What only the tests need: node with jsdom, and Mermaid's own parser, so that a test
# runs Mermaid on infra's Mermaid output; Python's jsonschema for the schema's test.
# Python packages go into a venv of their own, .build-deps/python (Debian's python3 has no
# pip of its own; python3-venv is installed when the venv cannot be made). mermaid.min.js
# comes from PyPI (the artoo-mermaid wheel, pinned to a Mermaid release) into .build-deps/,
# once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/install-deps.sh nodejs node-jsdom
command -v python3 >/dev/null || ./scripts/install-deps.sh python3 python3-venv
py=.build-deps/python/bin/python
if ! "$py" -m pip --version >/dev/null 2>&1; then
    rm -rf .build-deps/python
    if ! python3 -m venv .build-deps/python 2>/dev/null; then
        rm -rf .build-deps/python
        ./scripts/install-deps.sh python3-venv
        python3 -m venv .build-deps/python
    fi
fi
if ! "$py" -c "import jsonschema" 2>/dev/null; then
    echo "Installing jsonschema (PyPI) into .build-deps/python"
    "$py" -m pip install -q "jsonschema==4.26.0"
fi
dest=.build-deps/mermaid/mermaid.min.js
[ -s "$dest" ] && exit 0
echo "Fetching mermaid.min.js (PyPI: artoo-mermaid==11.16.0)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The wheel declares Python >= 3.12 but holds only JavaScript: fetch it for 3.12 whatever runs here.
"$py" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 -d "$tmp" "artoo-mermaid==11.16.0"
mkdir -p "$(dirname "$dest")"
"$py" - "$tmp" "$dest" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("artoo_mermaid/assets/mermaid.min.js"))
PY
