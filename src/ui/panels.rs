//! The legend and the panel listing a file's problems.

use super::{
    dom::{escape_html, event_closest, set_html, Written},
    state::Ctx,
};
use crate::model::NoteKind;
use crate::ui::watch::watch_with;
use leptos::prelude::*;
use std::fmt::Write;

/// The notation: every kind's colour, name and shortcut (written once, as HTML).
#[component]
pub fn Legend() -> impl IntoView {
    let mut html = String::from("<h3>Legend</h3><ul>");
    for k in NoteKind::ALL {
        let _ = write!(
            html,
            "<li data-legend-kind=\"{kind}\"><span class=\"chip kind-{kind}\" style=\"background:{}\"></span>{}<kbd>{}</kbd></li>",
            k.colour(),
            k.label(),
            k.shortcut(),
            kind = k.as_str(),
        );
    }
    html.push_str("<li data-legend-kind=\"context\"><span class=\"chip frame-chip\"></span>Bounded context<kbd>F</kbd></li></ul>");
    view! { <aside class="legend" aria-label="Legend" data-legend inner_html=html /> }
}

/// Lists every problem of a file that could not be opened; the board stays as it was.
#[component]
pub fn ProblemsPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let html = move || {
        ctx.problems.with(|p| {
            let report = p.as_ref()?;
            let n = report.problems.len();
            let mut out = String::from("<h2 id=\"problems-title\">Could not open ");
            escape_html(&mut out, &report.source);
            let _ = write!(
                out,
                "</h2><p>{n} problem{} found. Your board was left as it was.</p><ol>",
                if n == 1 { "" } else { "s" }
            );
            for (path, reason) in &report.problems {
                out.push_str("<li data-problem><code>");
                escape_html(&mut out, path);
                out.push_str("</code> — ");
                escape_html(&mut out, reason);
                out.push_str("</li>");
            }
            out.push_str("</ol><button data-action=\"dismiss-problems\">Close</button>");
            Some(out)
        })
    };
    // The only button closes the panel.
    let close = move |ev: leptos::ev::MouseEvent| {
        if event_closest(&ev, "[data-action='dismiss-problems']").is_some() {
            ctx.problems.set(None);
        }
    };
    let slot = NodeRef::<leptos::html::Div>::new();
    watch_with(move |last: Option<Written>| {
        let html = html().map(|html| {
            format!("<div class=\"problems\" role=\"alertdialog\" aria-labelledby=\"problems-title\" data-problems>{html}</div>")
        });
        set_html(
            slot.get().map(Into::into),
            html.unwrap_or_default(),
            last.flatten(),
        )
    });
    // No box of its own in the app's grid: the panel is placed over the board.
    view! { <div data-problems-slot style="display:contents" node_ref=slot on:click=close /> }
}
