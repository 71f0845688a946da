//! Figures for the board model: load+validate and save of a 10,000-note board.
//! Prints `name value unit` lines.

#[path = "timing.rs"]
mod timing;
use flowstorm::model::{format::save, generate::generate, load};
use timing::median_ms;

fn main() {
    let board = generate(10_000);
    assert_eq!(board.links.len(), 15_000);
    let text = save(&board);
    let load_ms = median_ms(15, || {
        let loaded = load(&text).expect("generated board loads");
        assert_eq!(loaded.notes.len(), 10_000);
    });
    let save_ms = median_ms(15, || {
        assert!(save(&board).len() == text.len());
    });
    println!("load_validate_10k_ms {load_ms:.1} ms");
    println!("save_10k_ms {save_ms:.1} ms");
    println!("board_10k_file_kb {:.0} KB", text.len() as f64 / 1024.0);
}
