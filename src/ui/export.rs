//! The Export menu's files: the board or the selection as a picture (SVG or PNG, at 1×, 2× or
//! 4×, in the theme shown), a Mermaid diagram (or
//! the diagram copied), an AsyncAPI document, its hazard report and its topic plan, downloaded
//! under the board's name (`shop.svg`, `shop.asyncapi.json`).
//!
//! The exporters are not part of the app's wasm: they are a wasm module of their own
//! (`src/bin/flowstorm-export.rs`) that runs in a Web Worker, started the first time the menu
//! is used, and the first download stays as small as it was. The page's side is the script
//! below: it starts the worker, hands it the board's text and what the menu asks, and offers what
//! comes back; a PNG is the SVG drawn on a canvas.

use super::state::Ctx;
use crate::editor::Item;
use crate::model::format::save_compact;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
// Escape closes the menu (the board's keys would take it first).
addEventListener('keydown', e => e.key == 'Escape' && document.querySelector('#export-menu:popover-open')?.hidePopover(), true);
// The worker answers its messages one after the other, in order.
let ready, waiting = [];
const start = () => ready ??= new Promise((ok, fail) => {
  const w = new Worker('flowstorm-export_loader.js', {type: 'module'});
  w.onmessage = ({data}) => data.ready ? ok(w) : waiting.shift()(data);
  w.onerror = () => {
    w.terminate();
    ready = null;
    waiting.splice(0).forEach(done => done({error: 'the exporter stopped (the console says why)'}));
    fail(Error('the exporter could not be loaded'));
  };
});
async function png(svg) {
  const img = new Image();
  img.src = URL.createObjectURL(new Blob([svg], {type: 'image/svg+xml'}));
  await img.decode();
  URL.revokeObjectURL(img.src);
  const c = document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  c.getContext('2d')?.drawImage(img, 0, 0, c.width, c.height);
  const blob = await new Promise(done => c.toBlob(done));
  if (!blob) throw Error(`the browser cannot draw a picture of ${c.width}×${c.height} pixels: export SVG instead`);
  return blob;
}
export async function export_board(ev, text, selected) {
  const item = ev.target.closest('[data-action]'), action = item.dataset.action;
  const copy = action == 'copy-mermaid', picture = action == 'export-png', menu = item.closest('[popover]');
  const asked = css => menu.querySelector(css).value;
  try {
    menu.hidePopover();
    const w = await start();
    const r = await new Promise(done => {
      waiting.push(done);
      w.postMessage({format: copy ? 'mermaid' : picture ? 'svg' : action.slice(7), board_text: text,
        scale: asked('[data-export-scale]'), theme: document.documentElement.dataset.theme,
        badges: menu.querySelector('[data-export-badges]').checked,
        only: asked('[data-export-scope]') == 'selection' ? selected : undefined,
        seed: document.querySelector("[data-action='seed']")?.value});
    });
    if (r.error) throw Error(r.error);
    if (copy) return await navigator.clipboard.writeText(r.text).then(() => 'Copied the Mermaid diagram',
      () => 'The browser kept the diagram off the clipboard: export it as a file instead');
    const name = picture ? r.file_name.replace(/svg$/, 'png') : r.file_name;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(picture ? await png(r.text) : new Blob([r.text], {type: r.mime}));
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 6e4);
    return 'Exported ' + name;
  } catch (e) {
    return 'Could not export the board: ' + e.message;
  }
}
"#)]
extern "C" {
    /// Makes the file the Export menu's item clicked (`ev`) asks for from the board's text and
    /// downloads it, or puts it on the clipboard; what happened, for the status bar.
    fn export_board(ev: &web_sys::Event, text: &str, selected: &str) -> js_sys::Promise;
}

/// Whether a control's `data-action` is an item of the Export menu: `export-FORMAT` (a format's
/// CLI name, or `export-png`) or `copy-mermaid`.
pub fn is_export(action: &str) -> bool {
    action.starts_with("export-") || action == "copy-mermaid"
}

/// Makes the file the Export menu's item clicked (`ev`) asks for, in the export worker (started
/// the first time), and says in the status bar what happened.
pub fn export(ctx: Ctx, ev: &web_sys::Event) {
    let (text, selected) = ctx.editor.with_untracked(|e| {
        let ids: Vec<&str> = e
            .selection()
            .items()
            .iter()
            .filter_map(|item| match item {
                Item::Note(id) => Some(id.as_str()),
                Item::Frame(id) => Some(id.as_str()),
                Item::Link(_) => None,
            })
            .collect();
        (save_compact(e.board()), ids.join("\n"))
    });
    let said = export_board(ev, &text, &selected);
    ctx.status.set("Exporting…".into());
    leptos::task::spawn_local(async move {
        let said = JsFuture::from(said).await.unwrap_or_else(|e| e);
        ctx.status.set(said.as_string().unwrap_or_default());
    });
}
