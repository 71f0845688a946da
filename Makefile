# Flowstorm: `make serve` and `make test` set up a fresh machine themselves (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
WASM := scripts/wasm

.PHONY: setup build serve test lint test-native test-web test-e2e bench bench-native bench-browser clean

setup:
	@scripts/setup.sh

# The release build of the app in dist/.
build: setup
	$(WASM) trunk build --release --offline

# Builds and serves the app at http://127.0.0.1:8080 (Trunk.toml).
serve: setup
	$(WASM) trunk serve --release --offline

# Every test: formatting and lints, native (model, broker, analysis, editor, CLI), components in
# Chromium, end to end.
test: setup lint test-native test-web test-e2e

# rustfmt, and clippy with warnings as errors: native code and tests, then the browser app (wasm32).
lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	$(WASM) cargo clippy --target wasm32-unknown-unknown --lib --bin flowstorm-web --bin flowstorm-export -- -D warnings

test-native:
	cargo test

test-web:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  $(WASM) cargo test --profile wasm-test --target wasm32-unknown-unknown --test web

test-e2e: build
	cargo test --test e2e -- --ignored --test-threads=1

# One line per figure: `name value unit`.
bench: setup bench-native bench-browser

bench-native:
	@cargo bench -q --bench model 2>/dev/null
	@cargo bench -q --bench broker 2>/dev/null
	@cargo bench -q --bench analysis 2>/dev/null
	@cargo bench -q --bench exec 2>/dev/null
	@cargo bench -q --bench export 2>/dev/null

bench-browser: setup
	@$(WASM) trunk build --release --offline > target/bench-build.log 2>&1 || (cat target/bench-build.log >&2; exit 1)
	@scripts/wasm-size.sh
	@cargo bench -q --bench browser 2>/dev/null

clean:
	cargo clean
	rm -rf dist artifacts
