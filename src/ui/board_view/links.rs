//! The links on the board, drawn as a few SVG paths ([`crate::editor::link_paths`]): those
//! touching moving notes in one set, the others in a set per cell of a grid over the board. Each
//! drawn link still has an element of its own, in a list read by screen readers and addressable
//! by `data-link-id` ([`LinkList`]).

use crate::collections::{HashMap, HashSet};
use crate::ui::watch::{watch, watch_with};
use crate::{
    editor::{
        drawn_links::{DrawnLinks, LinkLook},
        link_paths::{moving_paths, Looks, SettledPaths, Sorting},
        Selection,
    },
    model::{LinkId, NoteId},
    ui::{dom::escape_html, run::RunCtl, state::Ctx},
};
use leptos::{html, prelude::*};

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
    }
}

/// The drawn links, one element each, in a list for screen readers and tests (clipped to
/// nothing on screen: the board draws them as paths).
#[component]
pub fn LinkList(links: Memo<DrawnLinks>, selection: Memo<Selection>) -> impl IntoView {
    let root = NodeRef::<html::Ul>::new();
    let selected = move || selection.with(|s| s.links().cloned().collect::<Vec<LinkId>>());
    // The list is drawn again when the links' count of changes to it moves, not with their
    // paths: a drag step moves paths and leaves the list as it is. Its items are written as one
    // piece of HTML, not made by a reactive view each: 3,000 links made that way took most of
    // the first paint of a big board.
    let listed = Memo::new(move |_| links.with(|l| l.listed));
    // Where each link's item is in the list.
    let places = StoredValue::new(HashMap::<LinkId, u32>::default());
    watch(move || {
        // Read, not only tracked: a memo never read is never computed, and never changes.
        let _count = listed.get();
        let Some(ul) = root.get_untracked() else {
            return;
        };
        let chosen: HashSet<LinkId> = selection.with_untracked(|s| s.links().cloned().collect());
        let mut html = String::new();
        let mut at = HashMap::default();
        links.with_untracked(|l| {
            for (i, look) in l.looks.iter().enumerate() {
                write_item(&mut html, look, chosen.contains(&look.id));
                at.insert(look.id.clone(), i as u32);
            }
        });
        ul.set_inner_html(&html);
        places.set_value(at);
    });
    // The selected links' items say so; only those that change are told.
    watch_with(move |before: Option<Vec<LinkId>>| {
        let now = selected();
        if let Some(ul) = root.get_untracked() {
            let items = ul.children();
            places.with_value(|places| {
                let mark = |ids: &[LinkId], on: bool| {
                    let found = ids.iter().filter_map(|id| places.get(id));
                    for el in found.filter_map(|i| items.item(*i)) {
                        let _ = el.class_list().toggle_with_force("selected", on);
                    }
                };
                if let Some(before) = &before {
                    mark(before, false);
                }
                mark(&now, true);
            });
        }
        now
    });
    view! { <ul class="link-list" aria-label="Links" node_ref=root /> }
}

/// Writes a link's item in the list as HTML: its label, its kind of line, whether it is selected.
fn write_item(out: &mut String, look: &LinkLook, selected: bool) {
    out.push_str("<li class=\"link");
    for (on, name) in [
        (selected, " selected"),
        (look.annotation, " annotation"),
        (look.results_in, " results-in"),
    ] {
        if on {
            out.push_str(name);
        }
    }
    out.push_str("\" data-link-id=\"");
    escape_html(out, &look.id.0);
    out.push_str("\">");
    escape_html(out, &look.label);
    out.push_str("</li>");
}
