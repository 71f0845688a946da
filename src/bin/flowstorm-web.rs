//! The browser app's entry point (built by Trunk for wasm32).

#[cfg(target_arch = "wasm32")]
fn main() {
    flowstorm::ui::report_panics();
    flowstorm::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("flowstorm-web runs in the browser: `make serve` builds it and serves it on http://127.0.0.1:8080");
    std::process::exit(2);
}
