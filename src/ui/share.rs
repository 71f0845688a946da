//! Share links: the board compressed (deflate, the browser's own) into the page address's
//! fragment, so a link opens it in anyone's browser without a server. Opening one adds a copy to
//! the library; it never replaces a board.

use super::{files::open_text, state::Ctx};
use crate::model::format::save_compact;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// The longest link offered: longer ones are cut by mail and chat tools, so the file is
/// offered instead.
pub const MAX_LINK_CHARS: usize = 64_000;
/// What starts the fragment of a share link.
const FRAGMENT: &str = "#board=";

#[wasm_bindgen(inline_js = r#"
export async function pack(text) {
  const s = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const b = new Uint8Array(await new Response(s).arrayBuffer());
  let bin = '';
  for (let i = 0; i < b.length; i++) bin += String.fromCharCode(b[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export async function unpack(code) {
  const bin = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
  const b = Uint8Array.from(bin, c => c.charCodeAt(0));
  const s = new Blob([b]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return await new Response(s).text();
}
export function forget_fragment() {
  history.replaceState(null, '', location.pathname + location.search);
}
export async function copy(text) {
  await navigator.clipboard.writeText(text);
}
"#)]
extern "C" {
    /// The text deflated, as base64url.
    #[wasm_bindgen(catch)]
    async fn pack(text: &str) -> Result<JsValue, JsValue>;
    /// The text of a base64url deflated code.
    #[wasm_bindgen(catch)]
    async fn unpack(code: &str) -> Result<JsValue, JsValue>;
    /// Takes the fragment off the page's address, so a reload does not open the link again.
    fn forget_fragment();
    /// Puts the text on the clipboard.
    #[wasm_bindgen(catch)]
    async fn copy(text: &str) -> Result<JsValue, JsValue>;
}

/// Makes a link to the board open, puts it on the clipboard and on the Share button
/// (`data-share-link`), or says why there is none.
pub fn share(ctx: Ctx, button: web_sys::Element) {
    let text = ctx.editor.with_untracked(|e| save_compact(e.board()));
    leptos::task::spawn_local(async move {
        let Some(code) = pack(&text).await.ok().and_then(|c| c.as_string()) else {
            ctx.status
                .set("This browser cannot make a link: save the board as a file instead".into());
            return;
        };
        let location = web_sys::window().map(|w| w.location());
        let page = location
            .map(|l| {
                format!(
                    "{}{}",
                    l.origin().unwrap_or_default(),
                    l.pathname().unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let link = format!("{page}{FRAGMENT}{code}");
        let kb = link.len().div_ceil(1024);
        if link.len() > MAX_LINK_CHARS {
            ctx.status.set(format!(
                "The board is too big for a link ({kb} KB): Save it as a file and send that instead"
            ));
            return;
        }
        let _ = button.set_attribute("data-share-link", &link);
        let copied = copy(&link).await.is_ok();
        ctx.status.set(format!(
            "{} ({kb} KB): whoever opens it gets a copy of this board",
            if copied {
                "Link copied"
            } else {
                "Link made (the browser kept it off the clipboard: copy it from Share's tooltip)"
            }
        ));
        if !copied {
            let _ = button.set_attribute("title", &link);
        }
    });
}

/// Opens the board of a share link the page was opened with, as a new board of the library;
/// a damaged link or a board that does not load leaves the boards as they were, and says why.
pub fn open_shared_from_url(ctx: Ctx) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let Some(code) = hash.strip_prefix(FRAGMENT).map(str::to_string) else {
        return;
    };
    forget_fragment();
    leptos::task::spawn_local(async move {
        let Some(text) = unpack(&code).await.ok().and_then(|t| t.as_string()) else {
            ctx.status
                .set("The link is damaged: its board cannot be read. Nothing was changed".into());
            return;
        };
        open_text(ctx, &text, "the shared link".into(), |_| {
            "Opened a shared board: a copy is now in your boards".into()
        });
    });
}
