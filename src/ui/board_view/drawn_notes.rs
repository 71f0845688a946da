//! The notes on the board: one element per drawn note, made and kept up to date here rather
//! than by a reactive view per note. A 2,000-note board then costs no reactive node per note:
//! the notes a view brings in are written as one piece of HTML the page parses at once (the first
//! paint, Fit), and moving or editing a note updates its element instead of replacing it.

use super::note::{Drawn, NoteLook};
use crate::collections::{HashMap, HashSet};
use crate::ui::dom::escape_html;
use crate::{
    analysis::Severity,
    model::{Note, NoteId, Rect},
};
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// What marks a note beyond its look: the hazards on it and the causal chain shown.
pub struct Marks<'a> {
    /// For each affected note: the worst severity and how many findings name it.
    pub badges: &'a HashMap<NoteId, (Severity, usize)>,
    /// The notes of the causal chain shown (empty: none shown, nothing dimmed).
    pub chain: &'a [NoteId],
}

/// A hazard badge: the worst severity on a note and how many findings name it.
type Badge = (Severity, usize);

/// A drawn note's element and what it shows.
struct Shown {
    /// The note's element: its text's element first, then its badge, if any.
    el: HtmlElement,
    /// The look it shows.
    look: NoteLook,
    /// Its class, as last set.
    class: String,
    /// Its badge, if it has hazards.
    badge: Option<Badge>,
}

/// The notes drawn, in board order, with their elements.
#[derive(Default)]
struct Layer {
    /// The ids in board order, as their elements are in the page.
    order: Vec<NoteId>,
    /// Each drawn note.
    shown: HashMap<NoteId, Shown>,
}

/// The notes drawn into one element of the page (their container), in board order.
#[derive(Clone, Copy)]
pub struct DrawnNotes {
    /// The container.
    root: NodeRef<html::Div>,
    /// What is drawn in it.
    layer: StoredValue<Layer, LocalStorage>,
}

impl DrawnNotes {
    /// No notes drawn yet into `root`.
    pub fn new(root: NodeRef<html::Div>) -> DrawnNotes {
        DrawnNotes {
            root,
            layer: StoredValue::new_local(Layer::default()),
        }
    }

    /// Draws `notes` (kind, text, place, selected), in board order, marked by `marks`: only what
    /// changed is set, notes no longer drawn are removed, new ones are written in one piece.
    pub fn update<'a>(&self, notes: impl Iterator<Item = (&'a NoteId, Drawn<'a>)>, marks: &Marks) {
        let Some(root) = self.root.get_untracked() else {
            return;
        };
        self.layer.update_value(|layer| {
            let mut order = Vec::new();
            let mut new = Vec::new();
            let mut html = String::new();
            for (id, drawn) in notes {
                order.push(id.clone());
                match layer.shown.get_mut(id) {
                    Some(shown) => shown.draw(drawn, marks, id),
                    None => {
                        let (kind, text, rect, selected) = drawn;
                        let look = NoteLook::new(kind, text, rect).selected(selected);
                        let badge = marks.badges.get(id).copied();
                        let class = note_class(&look, marks, id, badge);
                        write_note(&mut html, id, &look, &class, badge);
                        new.push((id.clone(), look, class, badge));
                    }
                }
            }
            let keep: HashSet<&NoteId> = order.iter().collect();
            layer.shown.retain(|id, shown| {
                let kept = keep.contains(id);
                if !kept {
                    shown.el.remove();
                }
                kept
            });
            // In the page now: the kept notes in their order, then the new ones.
            let mut in_page: Vec<NoteId> = layer
                .order
                .iter()
                .filter(|id| layer.shown.contains_key(*id))
                .cloned()
                .collect();
            if !new.is_empty() {
                let first = root.child_element_count();
                let _ = root.insert_adjacent_html("beforeend", &html);
                let children = root.children();
                for (i, (id, look, class, badge)) in new.into_iter().enumerate() {
                    let Some(el) = children.item(first + i as u32) else {
                        break;
                    };
                    let el: HtmlElement = el.unchecked_into();
                    in_page.push(id.clone());
                    layer.shown.insert(
                        id,
                        Shown {
                            el,
                            look,
                            class,
                            badge,
                        },
                    );
                }
            }
            layer.arrange(&root, in_page, order);
        });
    }

    /// Draws again the `moved` notes of a gesture in progress, the others staying as they are;
    /// false (nothing done) when one of them comes into `area` and must be added.
    pub fn update_some<'a>(
        &self,
        moved: impl Iterator<Item = &'a Note>,
        area: Option<Rect>,
        look: impl Fn(&'a Note) -> Drawn<'a>,
        marks: &Marks,
    ) -> bool {
        let moved: Vec<&Note> = moved.collect();
        self.layer
            .try_update_value(|layer| {
                let arriving = |n: &&Note| {
                    !layer.shown.contains_key(&n.id) && area.is_none_or(|a| n.rect().intersects(&a))
                };
                if moved.iter().any(arriving) {
                    return false;
                }
                for n in moved {
                    if let Some(shown) = layer.shown.get_mut(&n.id) {
                        shown.draw(look(n), marks, &n.id);
                    }
                }
                true
            })
            .unwrap_or(false)
    }

    /// Marks the drawn notes again (their hazards or the chain shown changed).
    pub fn mark(&self, marks: &Marks) {
        self.layer.update_value(|layer| {
            for (id, shown) in layer.shown.iter_mut() {
                shown.mark(marks, id);
            }
        });
    }
}

impl Layer {
    /// Puts the elements, now `in_page` in that order, in `order` (board order: later notes on
    /// top), moving as few as it can: a pan adds and removes notes, a new note comes last.
    fn arrange(&mut self, root: &HtmlElement, in_page: Vec<NoteId>, order: Vec<NoteId>) {
        let mut placed: HashSet<&NoteId> = HashSet::default();
        let mut next = 0;
        for id in &order {
            while next < in_page.len() && placed.contains(&in_page[next]) {
                next += 1;
            }
            if in_page.get(next) == Some(id) {
                next += 1;
            } else if let Some(shown) = self.shown.get(id) {
                let before = in_page.get(next).and_then(|c| self.shown.get(c));
                let _ = root.insert_before(&shown.el, before.map(|b| b.el.as_ref()));
            }
            placed.insert(id);
        }
        self.order = order;
    }
}

impl Shown {
    /// Draws the note as `drawn` says, if that changed (most notes did not: a drag step moves
    /// a few of 2,000).
    fn draw(&mut self, (kind, text, rect, selected): Drawn, marks: &Marks, id: &NoteId) {
        let l = &self.look;
        if l.kind == kind && l.text == text && l.rect == rect && l.selected == selected {
            return;
        }
        let now = NoteLook::refit(Some(l), kind, text, rect).selected(selected);
        self.show(&now);
        self.look = now;
        self.mark(marks, id);
    }

    /// Sets what of `look` differs from the look shown.
    fn show(&self, look: &NoteLook) {
        let (el, before) = (&self.el, &self.look);
        if before.kind != look.kind {
            let _ = el.set_attribute("data-kind", look.kind.as_str());
        }
        if before.kind != look.kind || before.text != look.text {
            let _ = el.set_attribute("aria-label", &label(look));
        }
        if before.rect != look.rect || before.kind != look.kind || before.font_px != look.font_px {
            let _ = el.set_attribute("style", &style(look));
        }
        let text = el.first_element_child();
        if before.text.is_empty() != look.text.is_empty() {
            if let Some(text) = &text {
                text.set_class_name(text_class(look));
            }
        }
        if before.shown != look.shown || before.text != look.text {
            if let Some(text) = &text {
                text.set_text_content(Some(&look.shown));
            }
            match title(look) {
                Some(t) => {
                    let _ = el.set_attribute("title", t);
                }
                None => {
                    let _ = el.remove_attribute("title");
                }
            }
        }
    }

    /// Sets the class and badge the note's look and `marks` give it, if they changed.
    fn mark(&mut self, marks: &Marks, id: &NoteId) {
        let badge = marks.badges.get(id).copied();
        let class = note_class(&self.look, marks, id, badge);
        if class != self.class {
            self.el.set_class_name(&class);
            self.class = class;
        }
        if self.badge != badge {
            if self.badge.is_some() {
                if let Some(old) = self.el.last_element_child() {
                    old.remove();
                }
            }
            if let Some(b) = badge {
                let mut html = String::new();
                write_badge(&mut html, b);
                let _ = self.el.insert_adjacent_html("beforeend", &html);
            }
            self.badge = badge;
        }
    }
}

/// A note's class: its kind, whether it is selected, in the chain shown or dimmed by it, and
/// its worst hazard (far out, the badge gives way to a border of its colour: see the stylesheet).
fn note_class(look: &NoteLook, marks: &Marks, id: &NoteId, badge: Option<Badge>) -> String {
    let mut class = format!("note kind-{}", look.kind.as_str());
    if look.selected {
        class.push_str(" selected");
    }
    if marks.chain.contains(id) {
        class.push_str(" in-chain");
    } else if !marks.chain.is_empty() {
        class.push_str(" dimmed");
    }
    if let Some((severity, _)) = badge {
        class.push_str(" hazard-");
        class.push_str(severity.as_str());
    }
    class
}

/// What a screen reader says of a note: "Command: Place order".
fn label(look: &NoteLook) -> String {
    let text = if look.text.is_empty() {
        "(empty)"
    } else {
        &look.text
    };
    format!("{}: {text}", look.kind.label())
}

/// A note's place, size, colour and font. Placed by `translate`, not left/top: moving a note
/// then changes no layout (with left/top, every move had the page place all the board's notes
/// again).
fn style(look: &NoteLook) -> String {
    let r = look.rect;
    format!(
        "translate:{}px {}px;width:{}px;height:{}px;background:{};font-size:{}px",
        r.x,
        r.y,
        r.w,
        r.h,
        look.kind.colour(),
        look.font_px
    )
}

/// The class of a note's text: an empty note shows its kind, faded.
fn text_class(look: &NoteLook) -> &'static str {
    if look.text.is_empty() {
        "note-text placeholder"
    } else {
        "note-text"
    }
}

/// The whole text of a note whose text is cut, shown on hover.
fn title(look: &NoteLook) -> Option<&str> {
    (look.shown != look.text && !look.text.is_empty()).then_some(look.text.as_str())
}

/// Writes a note's element as HTML.
fn write_note(out: &mut String, id: &NoteId, look: &NoteLook, class: &str, badge: Option<Badge>) {
    out.push_str("<div class=\"");
    out.push_str(class);
    out.push_str("\" data-note-id=\"");
    escape_html(out, &id.0);
    out.push_str("\" data-kind=\"");
    out.push_str(look.kind.as_str());
    out.push_str("\" role=\"button\" tabindex=\"-1\" aria-label=\"");
    escape_html(out, &label(look));
    if let Some(t) = title(look) {
        out.push_str("\" title=\"");
        escape_html(out, t);
    }
    out.push_str("\" style=\"");
    out.push_str(&style(look));
    out.push_str("\"><div class=\"");
    out.push_str(text_class(look));
    out.push_str("\">");
    escape_html(out, &look.shown);
    out.push_str("</div>");
    if let Some(b) = badge {
        write_badge(out, b);
    }
    out.push_str("</div>");
}

/// Writes a badge for `count` hazards of `severity` as HTML.
fn write_badge(out: &mut String, (severity, count): Badge) {
    let s = severity.as_str();
    let plural = if count == 1 { "" } else { "s" };
    let sign = if severity == Severity::Info { "i" } else { "!" };
    out.push_str(&format!(
        "<span class=\"badge {s}\" data-badge=\"{s}\" \
         title=\"{count} hazard{plural} on this note: see the Hazards tab\">{sign}</span>"
    ));
}
