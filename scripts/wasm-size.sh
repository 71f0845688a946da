#!/usr/bin/env bash
# Prints the gzipped size of the release app's code in dist/:
# - `wasm_gz_kb`: what the page loads at first, the app's wasm, its JavaScript glue and the
#   snippets the glue imports;
# - `export_worker_gz_kb`: the export worker's wasm, glue, loader and snippets, which the page
#   loads only when the Export menu is first used.
# The sample boards are fetched only when opened, and are not counted.
set -euo pipefail
cd "$(dirname "$0")/../dist"
shopt -s nullglob
# The files of one wasm module, in this order (the figure has always been measured so): its
# wasm, its glue (and loader), then the snippets the glue imports.
module_files() {
  local f
  for f in "$1"_bg.wasm "$1".js "$1"_loader.js; do
    [ -e "$f" ] && echo "$f"
  done
  if [ -e "$1".js ]; then
    grep -o 'snippets/[^"'"'"']*\.js' "$1".js | sort -u
  fi
}
# Their size together, gzipped, in KB.
gz_kb() {
  local files
  mapfile -t files < <(module_files "$1")
  [ "${#files[@]}" -gt 0 ] || { echo "no $1 in dist/: build the app first" >&2; exit 1; }
  cat "${files[@]}" | gzip -9 | wc -c | awk '{ printf "%.0f KB", $1 / 1024 }'
}
app=(flowstorm-web*.js)
[ "${#app[@]}" -eq 1 ] || { echo "expected one app build in dist/, found ${#app[@]}" >&2; exit 1; }
app_kb=$(gz_kb "${app[0]%.js}")
worker_kb=$(gz_kb flowstorm-export)
echo "wasm_gz_kb $app_kb"
echo "export_worker_gz_kb $worker_kb"
