//! The browser app: Leptos components, rendering and persistence. Only this module touches the DOM.
//!
//! Shared state lives in `state` and DOM helpers in `dom`; `app` only composes the components,
//! which import those two and never `app`.

mod app;
mod bench;
mod board_view;
mod compare;
mod dom;
mod export;
mod files;
mod hazards;
mod inspector;
mod library;
mod panels;
mod run;
mod share;
mod shortcuts;
mod stage;
mod state;
mod storage;
mod story;
mod toolbar;
mod watch;

pub use app::App;
pub use dom::parse_number;

/// Mounts the app on the page's body.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}

/// Mounts the app inside `parent` (used by component tests).
pub fn mount_in(parent: web_sys::HtmlElement) {
    leptos::mount::mount_to(parent, App).forget();
}

/// Reports panics on the browser console (the app sets this; tests keep their own hook).
pub fn report_panics() {
    console_error_panic_hook::set_once();
}
