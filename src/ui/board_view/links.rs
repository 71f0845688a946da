//! The links on the board, drawn as a few SVG paths ([`crate::editor::link_paths`]): those
//! touching moving notes in one set, the others in a set per cell of a grid over the board. Each
//! drawn link still has an element of its own, in a list read by screen readers and addressable
//! by `data-link-id`.

use crate::collections::HashSet;
use crate::{
    editor::{
        drawn_links::DrawnLinks,
        link_paths::{moving_paths, Looks, SettledPaths, Sorting},
        Selection,
    },
    model::{LinkId, NoteId},
    ui::{run::RunCtl, state::Ctx},
};
use leptos::prelude::*;

/// The paths of one cell's settled links, one per look that has links.
fn cell_paths(looks: &Looks) -> impl IntoView {
    let path = |class: &'static str, d: &String| {
        (!d.is_empty()).then(|| view! { <path class=class d=d.clone() /> })
    };
    (
        path("line", &looks.plain),
        path("line annotation", &looks.annotation),
        path("line results-in", &looks.results_in),
        path("line in-chain", &looks.chain),
        path("line selected", &looks.selected),
    )
}

/// The links of the board: a few paths drawn, and a list for screen readers and tests.
#[component]
pub fn Links(
    links: Memo<DrawnLinks>,
    selection: Memo<Selection>,
    cell: Memo<Option<(f64, f64)>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let run = expect_context::<RunCtl>();
    let chain = Memo::new(move |_| {
        run.chain
            .with(|c| c.iter().cloned().collect::<HashSet<_>>())
    });
    // The notes whose links move: the selected ones, and those the gesture in progress moves
    // (a dragged frame carries notes that are not selected).
    let moving = Memo::new(move |_| {
        let mut ids: HashSet<NoteId> = selection.with(|s| s.notes().cloned().collect());
        if ctx.previewing.get() {
            ctx.editor
                .with_untracked(|e| ids.extend(e.previewed_notes().into_iter().cloned()));
        }
        ids
    });
    let sorting = move || Sorting {
        moving: moving.get(),
        chain: chain.get(),
        selection: selection.get(),
        cell: cell.get(),
    };
    // While a gesture previews, only the moving links change: the others keep their paths
    // without a pass over them.
    let settled = Memo::new_owning(move |before: Option<SettledPaths>| {
        let kept = ctx.previewing.get();
        let now = sorting();
        match before {
            Some(before) if kept && before.sorting == now => {
                links.with(|_| ());
                (before, false)
            }
            before => {
                let settled = links.with(|l| SettledPaths::new(&l.looks, now));
                let changed = before.as_ref() != Some(&settled);
                (settled, changed)
            }
        }
    });
    let moved = Memo::new(move |_| {
        let now = sorting();
        links.with(|l| moving_paths(&l.looks, &now))
    });
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
    // The list is drawn again when the links' count of changes to it moves, not with their
    // paths: a drag step moves paths and leaves the list as it is.
    let listed = Memo::new(move |_| links.with(|l| l.listed));
    let list = move || {
        // Read, not only tracked: a memo never read is never computed, and never changes.
        let _count = listed.get();
        links.with_untracked(|l| {
            l.looks
                .iter()
                .map(|l| {
                    let id = l.id.clone();
                    let selected = move || selected_links.with(|l| l.contains(&id));
                    view! {
                        <li class="link" class:selected=selected class:annotation=l.annotation class:results-in=l.results_in
                            data-link-id=l.id.0.clone()>{l.label.clone()}</li>
                    }
                })
                .collect_view()
        })
    };
    // One memo per moving path: a path's element is told only when its own links change.
    let path = move |pick: fn(&Looks) -> &String| {
        let d = Memo::new(move |_| moved.with(|l| pick(l).clone()));
        move || d.get()
    };
    view! {
        <svg class="links" class:dimmed=dimmed aria-hidden="true">
            // The settled links, drawn again only when they change (never during a drag).
            {move || settled.with(|s| s.cells.iter().map(|(_, looks)| cell_paths(looks)).collect_view())}
            <path class="line" d=path(|l| &l.plain) />
            <path class="line annotation" d=path(|l| &l.annotation) />
            <path class="line results-in" d=path(|l| &l.results_in) />
            <path class="line in-chain" d=path(|l| &l.chain) />
            <path class="line selected" d=path(|l| &l.selected) />
        </svg>
        <ul class="link-list" aria-label="Links">
            {list}
        </ul>
    }
}
