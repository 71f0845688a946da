//! A note on the board: one element per note id, whose place, size, kind and text follow the
//! board reactively, so moving or editing a note updates its element instead of replacing it.

use crate::collections::HashMap;
use crate::{
    analysis::Severity,
    editor::text_fit::fit_text,
    model::{Note, NoteId, NoteKind, Rect},
    ui::{hazards::use_badges, run::RunCtl},
};
use leptos::prelude::*;

/// Space between a note's edge and its text, board units (the stylesheet's `.note` padding).
const NOTE_PADDING: f64 = 10.0;

/// The font a note's text starts from before it shrinks to fit, board units.
fn base_font_px(kind: NoteKind) -> f64 {
    match kind {
        NoteKind::Aggregate => 17.0,
        NoteKind::Policy => 14.0,
        _ => 15.0,
    }
}

/// What a note looks like.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteLook {
    /// The kind (colour, class, label).
    pub kind: NoteKind,
    /// The whole text.
    pub text: String,
    /// Where it is, board units.
    pub rect: Rect,
    /// The font size its text fits at, board units.
    pub font_px: f64,
    /// The text shown: the whole text, or its beginning and an ellipsis.
    pub shown: String,
    /// True when the note is selected (kept here, so that a note's element follows its own
    /// signal only and no drag step has every note's views check the selection).
    pub selected: bool,
}

impl NoteLook {
    /// The look of a note that looked `before`: its fitted text is kept when only its place
    /// changed (a drag moves notes without changing what fits in them).
    pub fn refit(before: Option<&NoteLook>, kind: NoteKind, text: &str, rect: Rect) -> NoteLook {
        match before {
            Some(b)
                if b.kind == kind && b.text == text && b.rect.w == rect.w && b.rect.h == rect.h =>
            {
                NoteLook { rect, ..b.clone() }
            }
            _ => NoteLook::new(kind, text, rect),
        }
    }

    /// The same look, selected or not.
    fn selected(self, selected: bool) -> NoteLook {
        NoteLook { selected, ..self }
    }

    /// How a note of `kind` with `text` in `rect` looks, its text fitted to it.
    pub fn new(kind: NoteKind, text: &str, rect: Rect) -> NoteLook {
        let shown = if text.is_empty() { kind.label() } else { text };
        let fit = fit_text(
            shown,
            rect.w - 2.0 * NOTE_PADDING,
            rect.h - 2.0 * NOTE_PADDING,
            base_font_px(kind),
        );
        NoteLook {
            kind,
            text: text.to_string(),
            rect,
            font_px: fit.font_px,
            shown: fit.shown,
            selected: false,
        }
    }
}

/// The notes drawn: their ids in board order (the keys of their elements), and a signal per
/// note with its look, so that moving one note tells that note's element alone (one memo of
/// every look would re-run every note's views on each step of a drag).
#[derive(Clone, Copy)]
pub struct DrawnNotes {
    /// The ids in board order: the keys of the elements.
    pub order: RwSignal<Vec<NoteId>>,
    /// How each drawn note looks.
    looks: StoredValue<HashMap<NoteId, ArcRwSignal<NoteLook>>>,
}

impl DrawnNotes {
    /// No notes drawn yet.
    pub fn new() -> DrawnNotes {
        DrawnNotes {
            order: RwSignal::new(Vec::new()),
            looks: StoredValue::new(HashMap::default()),
        }
    }

    /// Draws `notes` (kind, text, place, selected), in board order: only the looks that changed
    /// are set.
    pub fn update<'a>(&self, notes: impl Iterator<Item = (&'a NoteId, Drawn<'a>)>) {
        let mut order = Vec::new();
        self.looks.update_value(|looks| {
            for (id, drawn) in notes {
                order.push(id.clone());
                match looks.get(id) {
                    Some(look) => set_look(look, drawn),
                    None => {
                        let (kind, text, rect, selected) = drawn;
                        let look = NoteLook::new(kind, text, rect).selected(selected);
                        looks.insert(id.clone(), ArcRwSignal::new(look));
                    }
                }
            }
            let drawn: crate::collections::HashSet<&NoteId> = order.iter().collect();
            looks.retain(|id, _| drawn.contains(id));
        });
        if self.order.with_untracked(|o| *o != order) {
            self.order.set(order);
        }
    }

    /// Draws again the `moved` notes of a gesture in progress, the others staying as they are;
    /// false (nothing done) when one of them comes into `area` and must be added.
    pub fn update_some<'a>(
        &self,
        moved: impl Iterator<Item = &'a Note>,
        area: Option<Rect>,
        look: impl Fn(&'a Note) -> Drawn<'a>,
    ) -> bool {
        let moved: Vec<&Note> = moved.collect();
        self.looks.with_value(|looks| {
            let arriving = |n: &&Note| {
                !looks.contains_key(&n.id) && area.is_none_or(|a| n.rect().intersects(&a))
            };
            if moved.iter().any(arriving) {
                return false;
            }
            for n in moved {
                if let Some(l) = looks.get(&n.id) {
                    set_look(l, look(n));
                }
            }
            true
        })
    }

    /// The look of a drawn note.
    fn look(&self, id: &NoteId) -> Option<ArcRwSignal<NoteLook>> {
        self.looks.with_value(|l| l.get(id).cloned())
    }
}

/// What a note is drawn from: its kind, text, place and whether it is selected.
pub type Drawn<'a> = (NoteKind, &'a str, Rect, bool);

/// Sets a drawn note's look, if it changed (most notes did not: a drag step moves a few of
/// 2,000; this tells so without copying their looks).
fn set_look(look: &ArcRwSignal<NoteLook>, (kind, text, rect, selected): Drawn) {
    let same = look.with_untracked(|l| {
        l.kind == kind && l.text == text && l.rect == rect && l.selected == selected
    });
    if !same {
        let now =
            NoteLook::refit(Some(&look.read_untracked()), kind, text, rect).selected(selected);
        look.set(now);
    }
}

/// One note: a stable element whose place, size, kind and text follow the board.
#[component]
pub fn NoteCard(id: NoteId, notes: DrawnNotes) -> impl IntoView {
    let badges = use_badges();
    let run = expect_context::<RunCtl>();
    // A note on its way out keeps its look (its own signal) until its element is removed.
    let Some(look) = notes.look(&id) else {
        return ().into_any();
    };
    let look = RwSignal::from(look);
    let selected = move || look.with(|l| l.selected);
    // While a causal chain is shown, every note outside it is dimmed.
    let chain_shown = move || run.chain.with(|c| !c.is_empty());
    let in_chain = {
        let id = id.clone();
        move || run.chain.with(|c| c.contains(&id))
    };
    let badge = {
        let id = id.clone();
        move || badges.with(|b| b.get(&id).copied())
    };
    let hazard = {
        let badge = badge.clone();
        move || badge().map(|(severity, _)| severity.as_str())
    };
    let class = move || {
        let kind = look.with(|l| l.kind.as_str());
        let mut class = format!("note kind-{kind}");
        if selected() {
            class.push_str(" selected");
        }
        if in_chain() {
            class.push_str(" in-chain");
        } else if chain_shown() {
            class.push_str(" dimmed");
        }
        // Far out, the badge gives way to a border of its colour (see the stylesheet).
        if let Some(severity) = hazard() {
            class.push_str(" hazard-");
            class.push_str(severity);
        }
        class
    };
    let label = move || {
        look.with(|l| {
            format!(
                "{}: {}",
                l.kind.label(),
                if l.text.is_empty() {
                    "(empty)"
                } else {
                    &l.text
                }
            )
        })
    };
    // Placed by `translate`, not left/top: moving a note then changes no layout (with left/top,
    // every move had the page place all the board's notes again).
    let style = move || {
        look.with(|l| {
            let r = l.rect;
            format!(
                "translate:{}px {}px;width:{}px;height:{}px;background:{};font-size:{}px",
                r.x,
                r.y,
                r.w,
                r.h,
                l.kind.colour(),
                l.font_px
            )
        })
    };
    let empty = move || look.with(|l| l.text.is_empty());
    let text = move || look.with(|l| l.shown.clone());
    // A cut text shows whole on hover.
    let title =
        move || look.with(|l| (l.shown != l.text && !l.text.is_empty()).then(|| l.text.clone()));
    view! {
        <div class=class data-note-id=id.0.clone() data-kind=move || look.with(|l| l.kind.as_str()) role="button" tabindex="-1"
            aria-label=label title=title style=style>
            <div class="note-text" class:placeholder=empty>{text}</div>
            {move || badge().map(|(severity, count)| view! {
                <span class=format!("badge {}", severity.as_str()) data-badge=severity.as_str()
                    title=format!("{count} hazard{} on this note: see the Hazards tab", if count == 1 { "" } else { "s" })>
                    {if severity == Severity::Info { "i".to_string() } else { "!".to_string() }}
                </span>
            })}
        </div>
    }
    .into_any()
}
