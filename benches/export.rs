//! Export speed on the 2,000-note generated board (`model::generate`): the SVG picture and the
//! AsyncAPI document (built and written as JSON). Prints `name value unit` lines.

use flowstorm::{
    export::{asyncapi_json, svg, SvgOptions},
    model::generate::generate,
};
use std::{hint::black_box, time::Instant};

/// Notes on the board measured.
const NOTES: usize = 2_000;
/// Runs measured; the median is printed.
const RUNS: usize = 15;

fn median_ms(mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..RUNS)
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
    let board = generate(NOTES);
    assert_eq!(board.notes.len(), NOTES);
    let svg_ms = median_ms(|| {
        let picture = svg(black_box(&board), &SvgOptions::default(), &[]).expect("a picture");
        assert!(picture.len() > NOTES * 100);
    });
    let asyncapi_ms = median_ms(|| {
        let doc = asyncapi_json(black_box(&board));
        assert!(doc.len() > NOTES);
    });
    println!("export_svg_2000_ms {svg_ms:.1} ms");
    println!("export_asyncapi_2000_ms {asyncapi_ms:.1} ms");
}
