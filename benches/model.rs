//! Figures for the board model: load+validate and save of a 10,000-note board.
//! Prints `name value unit` lines.

use flowstorm::model::{format::save, generate::generate, load};
use std::time::Instant;

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

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
