//! The Export menu: each file it downloads is what `flowstorm export` makes of the same board,
//! named after the board; pictures at the scale asked (2× unless told), in the theme shown, of the
//! board or of the selection; the PNG is the picture drawn pixel for pixel; a picture the browser
//! cannot draw is refused with a message; the menu opens under its button, on screen.

use super::{artifact, harness, open_app, press, webdriver::Session, ESCAPE};
use flowstorm::{
    exec::{RunConfig, MAX_RUN_WORK},
    export::{
        asyncapi_json, html_report, kafka_sh, markdown_report, mermaid, selected_part, strimzi,
        svg, Report, Scale, SvgOptions, Theme,
    },
    model::{load, Board},
};
use serde_json::json;
use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

/// The board with frames, typed fields, retries, a dead-letter topic and a name that needs
/// escaping (`Shop "checkout" & <billing>`), whose files are named `shop-checkout-billing.*`.
const SHOP: &str = include_str!("../fixtures/export/shop.json");
const STEM: &str = "shop-checkout-billing";
/// The PNG file's first eight bytes.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn status(s: &Session) -> String {
    s.text(&s.find("[data-status]"))
}

/// Opens the Export menu and picks `action` in it.
fn pick(s: &Session, action: &str) {
    s.click(&s.find("[data-action='export']"));
    s.click(&s.find(&format!("#export-menu [data-action='{action}']")));
}

/// A new folder the browser downloads into.
fn download_dir(s: &Session, label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "flowstorm-e2e-export-{label}-{}",
        std::process::id()
    ));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    s.cdp(
        "Browser.setDownloadBehavior",
        json!({"behavior": "allow", "downloadPath": dir.to_str().unwrap()}),
    );
    dir
}

/// The bytes of the file downloaded as `name`, waiting until the browser has written it all.
fn downloaded(dir: &Path, name: &str) -> Vec<u8> {
    let file = dir.join(name);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let partial = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .any(|e| e.path().extension() == Some("crdownload".as_ref()))
            })
            .unwrap_or(false);
        if !partial {
            if let Ok(bytes) = std::fs::read(&file) {
                return bytes;
            }
        }
        let there: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(
            Instant::now() < deadline,
            "no download {name} (the folder has {there:?})"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The number of an attribute of the SVG's root element (`width="1234.5"`).
fn svg_attr(svg: &str, name: &str) -> f64 {
    let root = &svg[..svg.find('>').unwrap()];
    let from = root.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    root[from..from + root[from..].find('"').unwrap()]
        .parse()
        .unwrap()
}

/// Opens the shop board in a fresh page and returns it as the app holds it (its name as the
/// toolbar shows it).
fn open_shop(s: &Session) -> Board {
    s.open_board_text(SHOP, "shop");
    let mut board = load(SHOP).unwrap();
    board.name = Some(s.text(&s.find("[data-board-title]")));
    assert_eq!(board.name.as_deref(), Some("Shop \"checkout\" & <billing>"));
    board
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn the_export_menu_downloads_what_the_cli_exports_named_after_the_board() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let dir = download_dir(&s, "files");
    let board = open_shop(&s);
    // The report adds the findings of a run with the seed the run bar shows.
    let seed = RunConfig::for_board(&board).seed;
    let report = Report::with_run(&board, seed, None, MAX_RUN_WORK).unwrap();
    // The menu draws pictures at 2× unless told otherwise.
    let twice = SvgOptions {
        scale: Scale::Two,
        ..SvgOptions::default()
    };
    let picture = svg(&board, &twice, &[]).unwrap();
    let expected = [
        ("export-svg", format!("{STEM}.svg"), picture.clone()),
        ("export-mermaid", format!("{STEM}.mmd"), mermaid(&board)),
        (
            "export-asyncapi-json",
            format!("{STEM}.asyncapi.json"),
            asyncapi_json(&board),
        ),
        (
            "export-markdown",
            format!("{STEM}.hazards.md"),
            markdown_report(&report),
        ),
        (
            "export-html",
            format!("{STEM}.hazards.html"),
            html_report(&report, &twice).unwrap(),
        ),
        (
            "export-kafka-sh",
            format!("{STEM}.topics.sh"),
            kafka_sh(&board),
        ),
        (
            "export-strimzi",
            format!("{STEM}.strimzi.yaml"),
            strimzi(&board),
        ),
    ];
    for (action, name, text) in &expected {
        pick(&s, action);
        let got = String::from_utf8(downloaded(&dir, name)).unwrap();
        assert!(got == *text, "{name} differs from the CLI's export:\n{got}");
        assert_eq!(status(&s), format!("Exported {name}"));
        assert!(
            s.find_all("#export-menu:popover-open").is_empty(),
            "picking an item closes the menu"
        );
    }

    pick(&s, "export-png");
    let png = downloaded(&dir, &format!("{STEM}.png"));
    assert_eq!(&png[..8], PNG_SIGNATURE, "a PNG file");
    assert_eq!(&png[12..16], b"IHDR");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    let (width, height) = (size(16), size(20));
    // The picture's size as the browser takes it (whole pixels).
    let natural = s.js_async(
        "const done = arguments[arguments.length - 1], img = new Image();
         img.src = URL.createObjectURL(new Blob([arguments[0]], {type: 'image/svg+xml'}));
         img.decode().then(() => done([img.naturalWidth, img.naturalHeight]), e => done(String(e)));",
        vec![json!(picture)],
    );
    assert_eq!(
        json!([width, height]),
        natural,
        "the PNG is {width}×{height}, the picture's size (the picture is {}×{})",
        svg_attr(&picture, "width"),
        svg_attr(&picture, "height")
    );
    assert_eq!(status(&s), format!("Exported {STEM}.png"));
    std::fs::remove_dir_all(&dir).ok();

    // Copy Mermaid puts the diagram on the clipboard.
    s.cdp(
        "Browser.grantPermissions",
        json!({"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}),
    );
    pick(&s, "copy-mermaid");
    s.wait_for("the diagram copied", || {
        (status(&s) == "Copied the Mermaid diagram").then_some(())
    });
    let copied = s.js_async(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('refused: ' + e));",
        vec![],
    );
    assert_eq!(copied.as_str(), Some(mermaid(&board).as_str()));

    // One note selected, in the dark theme, at 4×, with hazard badges: a picture of it.
    let dir = download_dir(&s, "selection");
    s.click(&s.find("[data-action='theme']"));
    s.wait_for("the dark theme", || {
        (s.js("return document.documentElement.dataset.theme", vec![]) == json!("dark"))
            .then_some(())
    });
    s.click(&s.find("[data-note-id='customer']"));
    s.click(&s.find("[data-action='export']"));
    s.js(
        "const set = (css, v) => { const e = document.querySelector(css); e.value = v; e.dispatchEvent(new Event('change', {bubbles: true})); };
         set('[data-export-scope]', 'selection'); set('[data-export-scale]', '4');
         document.querySelector('[data-export-badges]').click();",
        vec![],
    );
    s.click(&s.find("#export-menu [data-action='export-svg']"));
    let got = String::from_utf8(downloaded(&dir, &format!("{STEM}.svg"))).unwrap();
    let part = selected_part(&board, &["customer".to_string()]).unwrap();
    let dark = SvgOptions {
        scale: Scale::Four,
        theme: Theme::Dark,
        ..SvgOptions::default()
    };
    let badges = flowstorm::analysis::check(&board);
    assert!(
        got == svg(&part, &dark, &badges).unwrap(),
        "a picture of the selection, dark, at 4×, with its hazard badges:\n{got}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn a_picture_the_browser_cannot_draw_is_refused_with_a_message() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let dir = download_dir(&s, "refused");
    open_shop(&s);
    // A canvas that refuses to make its picture, as one too big for the browser does.
    s.js(
        "HTMLCanvasElement.prototype.toBlob = function (done) { setTimeout(() => done(null)); };",
        vec![],
    );
    pick(&s, "export-png");
    let said = s.wait_for("a message", || {
        Some(status(&s)).filter(|t| t.starts_with("Could not export"))
    });
    assert!(
        said.starts_with("Could not export the board: the browser cannot draw a picture of ")
            && said.ends_with(" pixels: export SVG instead"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing downloaded"
    );
    // The app is still there, and the next export works.
    pick(&s, "export-svg");
    downloaded(&dir, &format!("{STEM}.svg"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn the_export_menu_opens_under_its_button_on_screen() {
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    for (w, hgt) in [(1920, 1080), (1280, 720)] {
        let s = h.driver.session(w, hgt);
        s.goto(&h.url);
        s.find("[data-board-viewport] [data-note-id]");
        s.click(&s.find("[data-action='export']"));
        s.find("#export-menu:popover-open");
        let placed = s.js(
            "const b = document.querySelector(\"[data-action='export']\").getBoundingClientRect();
             const m = document.getElementById('export-menu').getBoundingClientRect();
             const items = [...document.querySelectorAll('#export-menu button')].map(i => i.getBoundingClientRect());
             return {below: m.top >= b.bottom && m.top - b.bottom < 12, aligned: Math.abs(m.left - b.left) < 1 || Math.abs(m.right - b.right) < 1,
                     on_screen: items.every(r => r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight),
                     items: items.length};",
            vec![],
        );
        assert_eq!(
            placed,
            json!({"below": true, "aligned": true, "on_screen": true, "items": 9}),
            "at {w}×{hgt}"
        );
        s.screenshot(&artifact(&format!("export-menu-{w}.png")));
        // Escape closes it.
        press(&s, &[&[ESCAPE]]);
        s.wait_for("the menu to close", || {
            s.find_all("#export-menu:popover-open")
                .is_empty()
                .then_some(())
        });
    }
}

#[test]
#[ignore = "needs the Trunk build in dist/ and chromedriver: run `make test`"]
fn every_samples_mermaid_renders_with_mermaid_itself() {
    // Mermaid's own renderer (the npm package the set-up installs, as GitHub renders diagrams),
    // loaded into the page.
    let lib = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tools/web/node_modules/mermaid/dist/mermaid.min.js"),
    )
    .expect("mermaid is installed by scripts/setup.sh");
    let h = harness().lock().unwrap_or_else(|e| e.into_inner());
    let s = open_app(&h);
    let loaded = s.js(
        "const el = document.createElement('script'); el.textContent = arguments[0];
         document.head.appendChild(el); mermaid.initialize({startOnLoad: false}); return typeof mermaid.render;",
        vec![json!(lib)],
    );
    assert_eq!(loaded, json!("function"));
    let render = |text: &str| {
        s.js_async(
            "const done = arguments[arguments.length - 1], text = arguments[0];
             (async () => {
               if (!await mermaid.parse(text, {suppressErrors: true})) return {refused: 'Mermaid cannot read it'};
               const r = await mermaid.render('diagram' + performance.now().toFixed(0), text);
               // (Mermaid writes its labels' line breaks as HTML does: the page reads it as HTML.)
               const doc = new DOMParser().parseFromString(r.svg, 'text/html');
               return {nodes: doc.querySelectorAll('svg g.node').length};
             })().then(done, e => done({refused: String(e && e.message || e)}));",
            vec![json!(text)],
        )
    };
    // A diagram Mermaid cannot read is refused: the check can fail.
    assert!(render("flowchart LR\n  a[one] -->")
        .get("refused")
        .is_some());
    for sample in flowstorm::model::samples::SAMPLES {
        let board = sample.board();
        let got = render(&mermaid(&board));
        assert_eq!(
            got["nodes"],
            json!(board.notes.len()),
            "the {} sample's diagram renders with a node per note",
            sample.id
        );
    }
    let shop = load(SHOP).unwrap();
    let got = render(&mermaid(&shop));
    assert_eq!(got["nodes"], json!(shop.notes.len()), "{got}");
}
