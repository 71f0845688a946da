//! The links on the board: every link of a look (plain, annotation, results in, selected, in a
//! causal chain) is drawn in one SVG path ([`crate::editor::drawn_links`]); each drawn link
//! still has an element of its own, in a list read by screen readers and addressable by
//! `data-link-id`.

use crate::collections::HashSet;
use crate::{
    editor::{
        drawn_links::{link_paths, DrawnLinks, LinkLook, LinkPaths},
        Selection,
    },
    model::LinkId,
    ui::run::RunCtl,
};
use leptos::prelude::*;

/// The links of the board: a few paths drawn, and a list for screen readers and tests.
#[component]
pub fn Links(links: Memo<DrawnLinks>, selection: Memo<Selection>) -> impl IntoView {
    let run = expect_context::<RunCtl>();
    let chain = Memo::new(move |_| {
        run.chain
            .with(|c| c.iter().cloned().collect::<HashSet<_>>())
    });
    let paths = Memo::new(move |_| {
        links.with(|l| selection.with(|s| chain.with(|c| link_paths(&l.looks, s, c))))
    });
    // The list follows the links' count of changes to it, not their paths: a drag step moves
    // paths and leaves the list as it is.
    let listed = Memo::new(move |_| links.with(|l| l.listed));
    let list = move || {
        listed.track();
        links.with_untracked(|l| l.looks.clone())
    };
    let dimmed = move || chain.with(|c| !c.is_empty());
    // The selected links in a signal set only when they change, not read from the selection
    // memo: every step of a drag re-checks the selection, and with it each link's element.
    let selected_links = RwSignal::new(Vec::<LinkId>::new());
    Effect::new(move |_| {
        let now: Vec<LinkId> = selection.with(|s| s.links().cloned().collect());
        if selected_links.with_untracked(|l| *l != now) {
            selected_links.set(now);
        }
    });
    // One memo per path: a path's element is told only when its own links change.
    let path = move |pick: fn(&LinkPaths) -> &String| {
        let d = Memo::new(move |_| paths.with(|p| pick(p).clone()));
        move || d.get()
    };
    view! {
        <svg class="links" class:dimmed=dimmed aria-hidden="true">
            <path class="line" d=path(|p| &p.settled.plain) />
            <path class="line annotation" d=path(|p| &p.settled.annotation) />
            <path class="line results-in" d=path(|p| &p.settled.results_in) />
            <path class="line in-chain" d=path(|p| &p.settled.chain) />
            <path class="line" d=path(|p| &p.moving.plain) />
            <path class="line annotation" d=path(|p| &p.moving.annotation) />
            <path class="line results-in" d=path(|p| &p.moving.results_in) />
            <path class="line in-chain" d=path(|p| &p.moving.chain) />
            <path class="line selected" d=path(|p| &p.settled.selected) />
            <path class="line selected" d=path(|p| &p.moving.selected) />
        </svg>
        <ul class="link-list" aria-label="Links">
            <For each=list key=|l| (l.id.clone(), l.label.clone(), l.results_in) children=move |l: LinkLook| {
                let id = l.id.clone();
                let selected = move || selected_links.with(|l| l.contains(&id));
                view! {
                    <li class="link" class:selected=selected class:annotation=l.annotation class:results-in=l.results_in
                        data-link-id=l.id.0.clone()>{l.label}</li>
                }
            } />
        </ul>
    }
}
