//! The board library: which boards the browser keeps, by name, size and last change, which one is
//! open, and the boards deleted lately (kept, so a deletion can be taken back). Plain data: the
//! app stores it as JSON next to the boards' own texts.

use serde::Serialize;
use serde_json::Value;

/// Deleted boards kept for restoring, at most; an older deletion is then forgotten for good.
pub const KEEP_DELETED: usize = 5;

/// A board's number in the library (the key its text is stored under).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct BoardId(pub u32);

/// One board of the library.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// Its number.
    pub id: BoardId,
    /// Its name, as the board says.
    pub name: String,
    /// How many notes it has.
    pub notes: usize,
    /// When it last changed, ms since the Unix epoch.
    pub changed_ms: f64,
    /// Deleted: listed among the deleted boards until restored or forgotten.
    pub deleted: bool,
}

/// The boards kept, most recently deleted last among the deleted.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Library {
    /// Every board kept, in the order they were added (deleted ones in the order deleted).
    pub entries: Vec<Entry>,
    /// The board open, if any.
    pub current: Option<BoardId>,
}

impl Library {
    /// Reads a library from its JSON (as [`Library::to_json`] writes it); `None` if the text is
    /// not one.
    pub fn parse(text: &str) -> Option<Library> {
        let value: Value = serde_json::from_str(text).ok()?;
        let id = |v: &Value| Some(BoardId(u32::try_from(v.as_u64()?).ok()?));
        let entries = value["entries"]
            .as_array()?
            .iter()
            .map(|e| {
                Some(Entry {
                    id: id(&e["id"])?,
                    name: e["name"].as_str()?.to_string(),
                    notes: usize::try_from(e["notes"].as_u64()?).ok()?,
                    changed_ms: e["changed_ms"].as_f64()?,
                    deleted: e["deleted"].as_bool().unwrap_or(false),
                })
            })
            .collect::<Option<Vec<Entry>>>()?;
        Some(Library {
            entries,
            current: id(&value["current"]),
        })
    }

    /// The library as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Adds a board named `name` with `notes` notes, changed at `now_ms`, and returns its number.
    pub fn add(&mut self, name: &str, notes: usize, now_ms: f64) -> BoardId {
        let id = BoardId(self.entries.iter().map(|e| e.id.0 + 1).max().unwrap_or(1));
        self.add_as(id, name, notes, now_ms);
        id
    }

    /// Adds a board found under number `id` (rebuilding a library from the stored boards).
    pub fn add_as(&mut self, id: BoardId, name: &str, notes: usize, now_ms: f64) {
        self.entries.push(Entry {
            id,
            name: name.to_string(),
            notes,
            changed_ms: now_ms,
            deleted: false,
        });
    }

    /// The board `id`, deleted or not.
    pub fn entry(&self, id: BoardId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Notes that board `id` is now named `name` with `notes` notes, changed at `now_ms`.
    pub fn touch(&mut self, id: BoardId, name: &str, notes: usize, now_ms: f64) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
            e.name = name.to_string();
            e.notes = notes;
            e.changed_ms = now_ms;
        }
    }

    /// The boards not deleted, most recently changed first.
    pub fn listed(&self) -> Vec<&Entry> {
        let mut listed: Vec<&Entry> = self.entries.iter().filter(|e| !e.deleted).collect();
        listed.sort_by(|a, b| b.changed_ms.total_cmp(&a.changed_ms));
        listed
    }

    /// The deleted boards that can be restored, most recently deleted first.
    pub fn deleted(&self) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.deleted).rev().collect()
    }

    /// Deletes board `id` (it is kept among the deleted) and returns the boards forgotten for
    /// good to make room (their texts can go). The board open is not open any more.
    pub fn delete(&mut self, id: BoardId) -> Vec<BoardId> {
        let Some(at) = self.entries.iter().position(|e| e.id == id && !e.deleted) else {
            return Vec::new();
        };
        let mut entry = self.entries.remove(at);
        entry.deleted = true;
        self.entries.push(entry);
        if self.current == Some(id) {
            self.current = None;
        }
        let mut forgotten = Vec::new();
        while self.entries.iter().filter(|e| e.deleted).count() > KEEP_DELETED {
            if let Some(at) = self.entries.iter().position(|e| e.deleted) {
                forgotten.push(self.entries.remove(at).id);
            }
        }
        forgotten
    }

    /// Restores the deleted board `id`; false if there is none.
    pub fn restore(&mut self, id: BoardId) -> bool {
        match self.entries.iter_mut().find(|e| e.id == id && e.deleted) {
            Some(e) => {
                e.deleted = false;
                true
            }
            None => false,
        }
    }

    /// `name`, or `name (2)`, `name (3)`… whichever no listed board has.
    pub fn unused_name(&self, name: &str) -> String {
        let taken = |n: &str| self.listed().iter().any(|e| e.name == n);
        if !taken(name) {
            return name.to_string();
        }
        (2..)
            .map(|i| format!("{name} ({i})"))
            .find(|n| !taken(n))
            .unwrap_or_else(|| name.to_string())
    }
}

/// How long ago `then_ms` was at `now_ms`, in words: "just now", "5 min ago", "3 h ago",
/// "2 days ago".
pub fn ago(now_ms: f64, then_ms: f64) -> String {
    const MINUTE: f64 = 60_000.0;
    let minutes = ((now_ms - then_ms) / MINUTE).floor().max(0.0) as u64;
    match minutes {
        0 => "just now".into(),
        1..=59 => format!("{minutes} min ago"),
        60..=1439 => format!("{} h ago", minutes / 60),
        1440..=2879 => "yesterday".into(),
        _ => format!("{} days ago", minutes / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boards_are_numbered_listed_by_last_change_and_read_back() {
        let mut lib = Library::default();
        let a = lib.add("Bank", 12, 1000.0);
        let b = lib.add("Shop", 3, 2000.0);
        assert_ne!(a, b);
        lib.touch(a, "Bank account", 13, 3000.0);
        let names: Vec<&str> = lib.listed().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Bank account", "Shop"]);
        lib.current = Some(b);
        assert_eq!(Library::parse(&lib.to_json()), Some(lib));
        assert_eq!(Library::parse("not json"), None);
        assert_eq!(Library::parse(r#"{"entries":[{"id":"x"}]}"#), None);
    }

    #[test]
    fn a_deleted_board_can_be_restored_until_enough_others_are_deleted() {
        let mut lib = Library::default();
        let ids: Vec<BoardId> = (0..8)
            .map(|i| lib.add(&format!("b{i}"), 1, i as f64))
            .collect();
        lib.current = Some(ids[0]);
        assert!(lib.delete(ids[0]).is_empty());
        assert_eq!(lib.current, None, "the deleted board is not open any more");
        assert_eq!(lib.listed().len(), 7);
        assert!(lib.restore(ids[0]));
        assert_eq!(lib.listed().len(), 8);
        assert!(!lib.restore(ids[0]), "restored once");
        let mut forgotten = Vec::new();
        for id in &ids[..=KEEP_DELETED] {
            forgotten.extend(lib.delete(*id));
        }
        assert_eq!(forgotten, [ids[0]], "the oldest deletion goes first");
        assert_eq!(lib.deleted().len(), KEEP_DELETED);
        assert_eq!(lib.deleted()[0].id, ids[KEEP_DELETED], "latest first");
        assert!(!lib.restore(ids[0]));
    }

    #[test]
    fn numbers_are_never_reused_while_a_board_is_kept() {
        let mut lib = Library::default();
        let a = lib.add("a", 0, 0.0);
        let b = lib.add("b", 0, 0.0);
        lib.delete(a);
        let c = lib.add("c", 0, 0.0);
        assert!(c != a && c != b);
    }

    #[test]
    fn times_read_as_words() {
        let (min, h) = (60_000.0, 3_600_000.0);
        assert_eq!(ago(10.0 * h, 10.0 * h + 5.0), "just now");
        assert_eq!(ago(10.0 * h, 10.0 * h - 5.0 * min), "5 min ago");
        assert_eq!(ago(10.0 * h, 7.0 * h), "3 h ago");
        assert_eq!(ago(30.0 * h, 1.0 * h), "yesterday");
        assert_eq!(ago(100.0 * h, 1.0 * h), "4 days ago");
    }

    #[test]
    fn a_name_taken_gets_a_number() {
        let mut lib = Library::default();
        assert_eq!(lib.unused_name("Bank"), "Bank");
        lib.add("Bank", 0, 0.0);
        lib.add("Bank (2)", 0, 0.0);
        assert_eq!(lib.unused_name("Bank"), "Bank (3)");
    }
}
