#!/usr/bin/env bash
# Prints the gzipped size of the release app (wasm + js) in dist/.
set -euo pipefail
cd "$(dirname "$0")/../dist"
bytes=$(cat ./*.wasm ./*.js | gzip -9 | wc -c)
awk -v b="$bytes" 'BEGIN { printf "wasm_gz_kb %.0f KB\n", b / 1024 }'
