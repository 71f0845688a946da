#!/usr/bin/env bash
# Installs what Flowstorm needs to build, serve and test, skipping whatever is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
# wasm32 through rustup when it has the target; otherwise Debian's web toolchain and build-std.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  for p in rustc-web cargo-web rust-web-src rust-web-llvm rust-web-clippy lld-22; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
fi
for p in chromium chromium-driver; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
# npm, for binaryen below (any Node.js with npm will do).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

# The release build's post-processing from npm, at the versions of tools/web/package-lock.json:
# binaryen's wasm-opt (Debian's, version 108, cannot order functions by name; see scripts/wasm)
# and terser (Trunk's own minifier cannot parse wasm-bindgen's JavaScript; scripts/minify-js);
# and for the export tests, the official AsyncAPI schemas and ajv to check exported documents
# against them (scripts/validate-asyncapi.mjs), and Mermaid, whose own renderer draws the
# exported diagrams in the browser tests. npm ls fails when any of them is missing.
if ! npm ls --prefix tools/web --all >/dev/null 2>&1; then
  echo "setup: installing tools/web (binaryen, terser, @asyncapi/specs, ajv, mermaid) from npm"
  npm ci --prefix tools/web --no-audit --no-fund
fi

if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  echo "setup: installing trunk 0.21"
  cargo install trunk --version '^0.21' --locked
fi

wb=$(sed -n 's/^wasm-bindgen = "=\([^"]*\)"/\1/p' Cargo.toml)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wb"; then
  echo "setup: installing wasm-bindgen-cli $wb"
  cargo install wasm-bindgen-cli --version "$wb"
fi

# The release build runs offline (Trunk's --offline): the crates it needs, the standard library's
# own when it is built from source, are fetched here first.
scripts/wasm cargo fetch --target wasm32-unknown-unknown --quiet
