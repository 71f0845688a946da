//! Effects without a copy of the reactive machinery each: every effect of the app is one boxed
//! closure run by the same `Effect` (a generic `Effect::new` per closure costs the download
//! about half a kilobyte each, and the app has dozens).

use leptos::prelude::*;

/// Runs `f` now and again whenever what it reads changes, as `watch(move || …)` does.
pub fn watch(f: impl FnMut() + 'static) {
    watch_boxed(Box::new(f));
}

/// Runs `f` as [`watch`] does, giving it what it returned the time before (none the first
/// time), as `watch_with(move |last: Option<T>| …)` does.
pub fn watch_with<T: 'static>(mut f: impl FnMut(Option<T>) -> T + 'static) {
    let mut last = None;
    watch(move || {
        let before = last.take();
        last = Some(f(before));
    });
}

/// The one effect every [`watch`] shares.
fn watch_boxed(mut f: Box<dyn FnMut()>) {
    Effect::new(move |_| f());
}
