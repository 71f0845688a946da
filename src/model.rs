//! Board data, ids, geometry, edit commands with inverses, undo history and the JSON format.
