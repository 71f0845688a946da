#!/usr/bin/env bash
# Prints the gzipped size of the release app's code in dist/: the wasm, its JavaScript glue and
# the glue's snippets (the sample boards are fetched only when opened, and are not counted).
set -euo pipefail
cd "$(dirname "$0")/../dist"
shopt -s nullglob
bytes=$(cat ./*.wasm ./*.js ./snippets/*/*.js | gzip -9 | wc -c)
awk -v b="$bytes" 'BEGIN { printf "wasm_gz_kb %.0f KB\n", b / 1024 }'
