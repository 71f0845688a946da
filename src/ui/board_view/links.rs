//! The links on the board: every link of a look (plain, annotation, results in, selected, in a
//! causal chain) is drawn in one SVG path ([`crate::editor::drawn_links`]); each drawn link
//! still has an element of its own, in a list read by screen readers and addressable by
//! `data-link-id`.

use crate::{
    editor::{
        drawn_links::{link_paths, LinkLook},
        Selection,
    },
    ui::run::RunCtl,
};
use leptos::prelude::*;
use std::collections::HashSet;

/// The links of the board: a few paths drawn, and a list for screen readers and tests.
#[component]
pub fn Links(links: Memo<Vec<LinkLook>>, selection: Memo<Selection>) -> impl IntoView {
    let run = expect_context::<RunCtl>();
    let chain = Memo::new(move |_| {
        run.chain
            .with(|c| c.iter().cloned().collect::<HashSet<_>>())
    });
    let paths =
        Memo::new(move |_| links.with(|l| selection.with(|s| chain.with(|c| link_paths(l, s, c)))));
    let dimmed = move || chain.with(|c| !c.is_empty());
    view! {
        <svg class="links" class:dimmed=dimmed aria-hidden="true">
            <path class="line" d=move || paths.with(|p| p.plain.clone()) />
            <path class="line annotation" d=move || paths.with(|p| p.annotation.clone()) />
            <path class="line results-in" d=move || paths.with(|p| p.results_in.clone()) />
            <path class="line in-chain" d=move || paths.with(|p| p.chain.clone()) />
            <path class="line selected" d=move || paths.with(|p| p.selected.clone()) />
        </svg>
        <ul class="link-list" aria-label="Links">
            <For each=move || links.get() key=|l| (l.id.clone(), l.label.clone(), l.results_in) children=move |l: LinkLook| {
                let id = l.id.clone();
                let selected = move || selection.with(|s| s.has_link(&id));
                view! {
                    <li class="link" class:selected=selected class:annotation=l.annotation class:results-in=l.results_in
                        data-link-id=l.id.0.clone()>{l.label}</li>
                }
            } />
        </ul>
    }
}
