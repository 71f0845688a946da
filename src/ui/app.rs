//! The app shell: builds the shared state and composes the toolbar, palette, board, side
//! panels and dialogs; autosave and the theme follow the state.

use super::{
    board_view::BoardView,
    compare::CompareView,
    dom::{event_action, performance_now},
    files::{initial_board, open_sample_from_url},
    hazards::{use_findings, Hazards, HazardsPanel},
    inspector::Inspector,
    library,
    panels::{Legend, ProblemsPanel},
    run::{DataPanel, RunCtl, RunPanel},
    share::open_shared_from_url,
    shortcuts,
    stage::{Stage, StageOverlay},
    state::{Ctx, Tab},
    storage,
    story::StoryPanel,
    toolbar::{Palette, Toolbar},
};
use crate::ui::watch::{watch, watch_with};
use crate::{
    editor::{Editor, ToolState},
    exec::{runs_alike, RunConfig},
    library::BoardId,
    model::format::save_compact,
};
use leptos::{ev, prelude::*};

/// The side panel's tabs, by their buttons' `data-action`, in order.
const TABS: [(&str, Tab); 5] = [
    ("tab-inspector", Tab::Inspector),
    ("tab-hazards", Tab::Hazards),
    ("tab-run", Tab::Run),
    ("tab-data", Tab::Data),
    ("tab-story", Tab::Story),
];

/// The tabs' buttons; [`App`] marks the one shown and counts the hazards on its.
const TABS_HTML: &str = "<button role=\"tab\" data-action=\"tab-inspector\">Inspector</button>\
<button role=\"tab\" data-action=\"tab-hazards\">Hazards </button>\
<button role=\"tab\" data-action=\"tab-run\">Run</button>\
<button role=\"tab\" data-action=\"tab-data\">Data</button>\
<button role=\"tab\" data-action=\"tab-story\">Story</button>";

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let (library, board, problems) = initial_board();
    let dark = storage::read(storage::THEME_KEY).as_deref() == Some("dark");
    let editor = RwSignal::new(Editor::new(board));
    let ctx = Ctx {
        editor,
        problems: RwSignal::new(problems),
        status: RwSignal::new(String::from("Ready")),
        dark: RwSignal::new(dark),
        tab: RwSignal::new(Tab::Inspector),
        rev: Memo::new(move |_| editor.with(|e| e.doc().revision())),
        previewing: Memo::new(move |_| {
            editor.with(|e| {
                matches!(
                    e.state(),
                    ToolState::Dragging { .. } | ToolState::Resizing { .. }
                )
            })
        }),
        view: RwSignal::new(editor.with_untracked(|e| (e.camera(), e.viewport()))),
        painted: RwSignal::new(false),
        library: RwSignal::new(library),
    };
    // Whatever changes the editor, the view follows (undo, fit, a shortcut…).
    watch(move || {
        editor.track();
        ctx.sync_view();
    });
    provide_context(ctx);
    let run = RunCtl::new(ctx);
    provide_context(run);
    let compare_open = RwSignal::new(false);
    let stage = Stage::new();
    provide_context(stage);
    provide_context(Hazards::new(ctx, run));
    // `?sample=ID`: the file arrives after the page is drawn.
    open_sample_from_url(ctx);
    open_shared_from_url(ctx);

    // A run is compiled from the board: when what it runs changes while a run exists, the
    // edited board takes over where the run is if that changes nothing that already ran (a
    // consumer drawn joins the running broker), else the run bar offers a restart (not for a
    // moved note, a frame or a storyline step). Another board opened starts from nothing.
    watch_with(move |prev: Option<(u64, Option<BoardId>)>| {
        let rev = ctx.rev.get();
        let open = ctx.library.with_untracked(|l| l.current);
        // A drag's steps only move notes, which a run does not care about: the boards are
        // compared once, when the drag ends.
        let alike = || {
            ctx.editor.with_untracked(|e| {
                run.with_untracked(|r| runs_alike(r.board(), e.board()))
                    .unwrap_or(true)
            })
        };
        let changed = prev.is_some_and(|(p, _)| p != rev);
        if prev.is_some_and(|(_, b)| b != open) {
            // Another board opened: its runs use its scenario's seed.
            let seed = ctx
                .editor
                .with_untracked(|e| RunConfig::for_board(e.board()).seed);
            run.seed.set(seed);
        }
        if changed && run.active.get_untracked() && !ctx.previewing.get_untracked() {
            if prev.is_some_and(|(_, b)| b != open) {
                // Its run starts from nothing; the status bar keeps saying which board opened.
                run.reset();
            } else if alike() {
                // Undone back to the board that runs, say.
                run.board_matches();
            } else {
                run.board_edited(ctx);
            }
        }
        (rev, open)
    });

    // Autosave every change of the board, but not the previews of a drag in progress.
    watch(move || {
        if ctx.previewing.get() || !ctx.painted.get() {
            return;
        }
        let text = ctx.board(save_compact);
        if !library::save_open(ctx, &text) {
            ctx.status
                .set("The browser refused to autosave: save the board to a file".into());
        }
    });
    watch(move || {
        let dark = ctx.dark.get();
        storage::write(storage::THEME_KEY, if dark { "dark" } else { "light" });
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
        }
    });

    // Show the whole board once the canvas has its size, then note when it was first painted
    // (`window.flowstormFirstPaint`, ms since the page was opened; read by the benchmarks).
    request_animation_frame(move || {
        ctx.sync_viewport();
        ctx.editor.update(|e| e.fit_board());
        request_animation_frame(move || {
            let now = performance_now();
            if let Some(w) = web_sys::window() {
                let _ = js_sys::Reflect::set(&w, &"flowstormFirstPaint".into(), &now.into());
            }
            ctx.painted.set(true);
        });
    });
    let resize = window_event_listener(ev::resize, move |_| ctx.sync_viewport());
    on_cleanup(move || resize.remove());
    shortcuts::listen(ctx);

    // The tabs are written once; the one shown and the number of warnings and errors on the
    // hazards tab are set on them when they change.
    let tabs = NodeRef::<leptos::html::Div>::new();
    let findings = use_findings();
    watch_with(move |last: Option<Option<(Tab, usize)>>| {
        let now = (
            ctx.tab.get(),
            findings.with(|f| f.iter().filter(|f| f.severity.fails_check()).count()),
        );
        let el = tabs.get()?;
        let was = last.flatten();
        for (i, (_, tab)) in TABS.iter().enumerate() {
            let Some(button) = el.children().item(i as u32) else {
                continue;
            };
            if was.map(|w| w.0) != Some(now.0) {
                let _ = button
                    .class_list()
                    .toggle_with_force("active", *tab == now.0);
            }
            if *tab == Tab::Hazards && was.map(|w| w.1) != Some(now.1) {
                button.set_inner_html(&match now.1 {
                    0 => "Hazards ".to_string(),
                    n => format!("Hazards <span class=\"count\" data-hazard-count>{n}</span>"),
                });
            }
        }
        Some(now)
    });
    let on_tab = move |ev: ev::MouseEvent| {
        let action = event_action(&ev);
        if let Some((_, tab)) = TABS.iter().find(|(a, _)| Some(*a) == action.as_deref()) {
            ctx.tab.set(*tab);
        }
    };

    view! {
        <div class="app" class:presenting=move || stage.on.get()>
            <Toolbar compare_open />
            <div class="workspace">
                <Palette />
                <BoardView />
                <aside class="side" aria-label="Details">
                    <div class="tabs" role="tablist" node_ref=tabs inner_html=TABS_HTML on:click=on_tab />
                    {move || match ctx.tab.get() {
                        Tab::Inspector => view! { <Inspector /> }.into_any(),
                        Tab::Hazards => view! { <HazardsPanel /> }.into_any(),
                        Tab::Run => view! { <RunPanel /> }.into_any(),
                        Tab::Data => view! { <DataPanel /> }.into_any(),
                        Tab::Story => view! { <StoryPanel /> }.into_any(),
                    }}
                </aside>
            </div>
            <footer class="statusbar" role="status" data-status>{move || ctx.status.get()}</footer>
            <Legend />
            <ProblemsPanel />
            <CompareView open=compare_open />
            <StageOverlay />
        </div>
    }
}
