#!/usr/bin/env bash
# What only the tests need: node with jsdom, and Mermaid's own parser, so that a test
# runs Mermaid on infra's Mermaid output; Python's jsonschema for the schema's test. mermaid.min.js comes from PyPI (the
# artoo-mermaid wheel, pinned to a Mermaid release) into .build-deps/, once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/install-deps.sh nodejs node-jsdom
# Python's jsonschema, so that a test checks `infra schema` accepts what infra accepts.
if [ ! -x .build-deps/python/bin/python ] || ! .build-deps/python/bin/python -c "import jsonschema" 2>/dev/null; then
    echo "Installing jsonschema (PyPI) into .build-deps/python"
    python3 -m venv .build-deps/python
    .build-deps/python/bin/python -m pip install -q "jsonschema==4.26.0"
fi
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
