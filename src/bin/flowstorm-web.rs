//! The browser app's entry point (built by Trunk for wasm32).
fn main() {}
