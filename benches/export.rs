//! Export speed on the 2,000-note generated board (`model::generate`): the SVG picture and the
//! AsyncAPI document (built and written as JSON). Prints `name value unit` lines.

#[path = "timing.rs"]
mod timing;
use flowstorm::{
    export::{asyncapi_json, svg, SvgOptions},
    model::generate::generate,
};
use std::hint::black_box;
use timing::median_ms;

/// Notes on the board measured.
const NOTES: usize = 2_000;
/// Runs measured; the median is printed.
const RUNS: usize = 15;

fn main() {
    let board = generate(NOTES);
    assert_eq!(board.notes.len(), NOTES);
    let svg_ms = median_ms(RUNS, || {
        let picture = svg(black_box(&board), &SvgOptions::default(), &[]).expect("a picture");
        assert!(picture.len() > NOTES * 100);
    });
    let asyncapi_ms = median_ms(RUNS, || {
        let doc = asyncapi_json(black_box(&board));
        assert!(doc.len() > NOTES);
    });
    println!("export_svg_2000_ms {svg_ms:.1} ms");
    println!("export_asyncapi_2000_ms {asyncapi_ms:.1} ms");
}
