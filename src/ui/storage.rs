//! Persistence in the browser: autosave to localStorage and file download.

use wasm_bindgen::JsCast;

/// The localStorage key of the single autosaved board of before the board library (moved into
/// the library when found).
pub const AUTOSAVE_KEY: &str = "flowstorm.board";
/// The localStorage key of the chosen theme.
pub const THEME_KEY: &str = "flowstorm.theme";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a stored text.
pub fn read(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores a text; false if the browser refused (quota, private mode).
pub fn write(key: &str, text: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, text).is_ok())
}

/// Forgets a stored text.
pub fn remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

/// Every key stored.
pub fn keys() -> Vec<String> {
    let Some(s) = local_storage() else {
        return Vec::new();
    };
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).collect()
}

/// Offers `text` as a file download named `file_name`.
pub fn download(file_name: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not save the file: {what}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("url"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| fail("link"))?
        .dyn_into()
        .map_err(|_| fail("link"))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A file name for a board: its name in kebab case, or "board".
pub fn file_name(board_name: Option<&str>) -> String {
    format!("{}.flowstorm.json", crate::export::file_stem(board_name))
}
