//! The browser app: Leptos components, rendering and persistence. Only this module touches the DOM.

mod app;
mod board_view;
mod inspector;
mod panels;
mod storage;

pub use app::App;

/// Mounts the app on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
