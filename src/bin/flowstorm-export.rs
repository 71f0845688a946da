//! The export worker: the board's files (picture, diagram, AsyncAPI document, hazard report,
//! topic plan) made by `flowstorm::export` in a wasm module of its own, which the app runs as a
//! Web Worker started the first time its Export menu is used: the exporters add nothing to the
//! app's first download. Trunk builds it (index.html); `src/ui/export.rs` talks to it.
//!
//! Each message `{format, board_text, scale, theme, badges, only, seed}` (a format's CLI name,
//! the board's file text; for a picture its scale `1`, `2` or `4`, its theme `light` or `dark`,
//! whether the static findings' badges are on it, and, for a picture of the selection, the ids
//! picked one a line; for a hazard report, the seed of its run) is answered, in order, with `{ok: true, text, file_name, mime}` or `{error}`;
//! `{ready: true}` says the worker listens.

/// The files, made from the board's text (pure Rust: tested natively, where only the tests
/// call it; the native CLI is `flowstorm export`).
#[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
mod files {
    use flowstorm::{
        analysis::check,
        exec::MAX_RUN_WORK,
        export::{
            asyncapi_json, file_stem, html_report, kafka_sh, markdown_report, mermaid,
            selected_part, strimzi, svg, ExportError, ExportFormat, Report, Scale, SvgOptions,
            Theme,
        },
        model::{load, Board, LoadError},
    };
    use std::fmt;

    /// A file made for download.
    #[derive(Debug, PartialEq)]
    pub struct Download {
        /// What the file holds.
        pub text: String,
        /// Its name: the board's, then what it holds (`shop.asyncapi.json`).
        pub file_name: String,
        /// Its media type.
        pub mime: &'static str,
    }

    /// Why a file could not be made.
    #[derive(Debug)]
    pub enum Refusal {
        /// The app asked for a format that has no such name.
        UnknownFormat(String),
        /// Only the native CLI writes this format.
        NativeOnly(ExportFormat),
        /// The board's text does not load.
        Load(LoadError),
        /// The exporter refused.
        Export(ExportError),
    }

    impl fmt::Display for Refusal {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Refusal::UnknownFormat(name) => write!(f, "no export format is called \"{name}\""),
                Refusal::NativeOnly(format) => write!(
                    f,
                    "the app does not write {format}: `flowstorm export --to {format}` does"
                ),
                Refusal::Load(e) => e.fmt(f),
                Refusal::Export(e) => e.fmt(f),
            }
        }
    }

    /// The end of a format's file name (after the board's name) and its media type.
    fn file_kind(format: ExportFormat) -> (&'static str, &'static str) {
        match format {
            ExportFormat::Svg => ("svg", "image/svg+xml"),
            ExportFormat::Mermaid => ("mmd", "text/plain"),
            ExportFormat::AsyncApiJson => ("asyncapi.json", "application/json"),
            ExportFormat::AsyncApiYaml => ("asyncapi.yaml", "application/yaml"),
            ExportFormat::Markdown => ("hazards.md", "text/markdown"),
            ExportFormat::Html => ("hazards.html", "text/html"),
            ExportFormat::KafkaSh => ("topics.sh", "text/x-shellscript"),
            ExportFormat::Strimzi => ("strimzi.yaml", "application/yaml"),
        }
    }

    /// How a picture is asked for: as the app shows the board, and of what.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Picture {
        /// Pixels per board unit.
        pub scale: Scale,
        /// The app's theme.
        pub theme: Theme,
        /// Ids of the notes and frames picked, for a picture of the selection (else the board).
        pub only: Option<Vec<String>>,
        /// The static findings' badges on the picture.
        pub badges: bool,
        /// The seed of the run whose findings the hazard report adds to the static ones (none:
        /// the static findings only).
        pub seed: Option<u64>,
    }

    /// The hazard report: with the findings of a run with `seed` when the board runs, else the
    /// static findings only.
    fn report(board: &Board, seed: Option<u64>) -> Report<'_> {
        seed.and_then(|seed| Report::with_run(board, seed, None, MAX_RUN_WORK).ok())
            .unwrap_or_else(|| Report::static_only(board))
    }

    /// The board of `board_text` in the format named `format` (as the CLI's `--to` names it; a
    /// picture, alone or in the report, as `picture` asks; the report's static findings), as a
    /// file named after the board.
    pub fn make(format: &str, board_text: &str, picture: &Picture) -> Result<Download, Refusal> {
        let format = ExportFormat::parse(format)
            .ok_or_else(|| Refusal::UnknownFormat(format.to_string()))?;
        let board = load(board_text).map_err(Refusal::Load)?;
        let options = SvgOptions {
            scale: picture.scale,
            theme: picture.theme,
            ..SvgOptions::default()
        };
        let text = match format {
            ExportFormat::Svg => {
                let findings = if picture.badges {
                    check(&board)
                } else {
                    Vec::new()
                };
                match &picture.only {
                    Some(ids) => {
                        selected_part(&board, ids).and_then(|part| svg(&part, &options, &findings))
                    }
                    None => svg(&board, &options, &findings),
                }
            }
            ExportFormat::Mermaid => Ok(mermaid(&board)),
            ExportFormat::AsyncApiJson => Ok(asyncapi_json(&board)),
            // The YAML serialiser is a native-only dependency.
            ExportFormat::AsyncApiYaml => return Err(Refusal::NativeOnly(format)),
            ExportFormat::Markdown => Ok(markdown_report(&report(&board, picture.seed))),
            ExportFormat::Html => html_report(&report(&board, picture.seed), &options),
            ExportFormat::KafkaSh => Ok(kafka_sh(&board)),
            ExportFormat::Strimzi => Ok(strimzi(&board)),
        }
        .map_err(Refusal::Export)?;
        let (end, mime) = file_kind(format);
        Ok(Download {
            text,
            file_name: format!("{}.{end}", file_stem(board.name.as_deref())),
            mime,
        })
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::listen();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "flowstorm-export runs in the browser, started by the app's Export menu; \
         `flowstorm export FILE --to FORMAT` exports from the command line"
    );
    std::process::exit(2);
}

/// The worker's side of the messages.
#[cfg(target_arch = "wasm32")]
mod worker {
    use super::files::{make, Picture};
    use flowstorm::export::{Scale, Theme};
    use js_sys::{Object, Reflect};
    use wasm_bindgen::{prelude::*, JsCast};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// A message of `(field, value)` pairs, as a JavaScript object.
    fn message(fields: &[(&str, JsValue)]) -> Object {
        let out = Object::new();
        for (name, value) in fields {
            let _ = Reflect::set(&out, &JsValue::from_str(name), value);
        }
        out
    }

    /// The text of a message's field (empty when it has none).
    fn text(data: &JsValue, name: &str) -> String {
        Reflect::get(data, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    /// Answers every message with the file it asks for, or why there is none; then says that
    /// it listens.
    pub fn listen() {
        console_error_panic_hook::set_once();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let reply_to = scope.clone();
        let answer = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            let picture = Picture {
                scale: Scale::parse(&text(&data, "scale")).unwrap_or_default(),
                theme: Theme::parse(&text(&data, "theme")).unwrap_or_default(),
                only: Reflect::get(&data, &JsValue::from_str("only"))
                    .ok()
                    .and_then(|v| v.as_string())
                    .map(|ids| ids.lines().map(str::to_string).collect()),
                seed: text(&data, "seed").parse().ok(),
                badges: Reflect::get(&data, &JsValue::from_str("badges"))
                    .ok()
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
            };
            let reply = match make(&text(&data, "format"), &text(&data, "board_text"), &picture) {
                Ok(file) => message(&[
                    ("ok", JsValue::TRUE),
                    ("text", file.text.into()),
                    ("file_name", file.file_name.into()),
                    ("mime", file.mime.into()),
                ]),
                Err(why) => message(&[("error", why.to_string().into())]),
            };
            let _ = reply_to.post_message(&reply);
        });
        scope.set_onmessage(Some(answer.as_ref().unchecked_ref()));
        answer.forget();
        let _ = scope.post_message(&message(&[("ready", JsValue::TRUE)]));
    }
}

#[cfg(test)]
mod tests {
    use super::files::{make, Picture, Refusal};
    use flowstorm::{
        exec::MAX_RUN_WORK,
        export::{
            asyncapi_json, markdown_report, mermaid, selected_part, svg, ExportFormat, Report,
            Scale, SvgOptions, Theme,
        },
        model::{sample::sample, save},
    };

    #[test]
    fn each_format_the_menu_offers_is_the_cli_export_named_after_the_board() {
        let mut board = sample();
        board.name = Some("Shop \"checkout\" & <billing>".into());
        let text = save(&board);
        let picture = make("svg", &text, &Picture::default()).unwrap();
        assert_eq!(
            picture.text,
            svg(&board, &SvgOptions::default(), &[]).unwrap()
        );
        assert_eq!(
            (picture.file_name.as_str(), picture.mime),
            ("shop-checkout-billing.svg", "image/svg+xml")
        );
        assert_eq!(
            make("asyncapi-json", &text, &Picture::default())
                .unwrap()
                .text,
            asyncapi_json(&board)
        );
        assert_eq!(
            make("mermaid", &text, &Picture::default()).unwrap().text,
            mermaid(&board)
        );
        let names: Vec<String> = [
            "mermaid",
            "asyncapi-json",
            "markdown",
            "html",
            "kafka-sh",
            "strimzi",
        ]
        .iter()
        .map(|f| make(f, &text, &Picture::default()).unwrap().file_name)
        .collect();
        assert_eq!(
            names,
            [
                "shop-checkout-billing.mmd",
                "shop-checkout-billing.asyncapi.json",
                "shop-checkout-billing.hazards.md",
                "shop-checkout-billing.hazards.html",
                "shop-checkout-billing.topics.sh",
                "shop-checkout-billing.strimzi.yaml"
            ]
        );
        board.name = None;
        assert_eq!(
            make("svg", &save(&board), &Picture::default())
                .unwrap()
                .file_name,
            "board.svg"
        );
    }

    #[test]
    fn a_refusal_says_why() {
        let text = save(&sample());
        assert_eq!(
            make("pdf", &text, &Picture::default())
                .unwrap_err()
                .to_string(),
            "no export format is called \"pdf\""
        );
        assert!(matches!(
            make("asyncapi-yaml", &text, &Picture::default()),
            Err(Refusal::NativeOnly(ExportFormat::AsyncApiYaml))
        ));
        let broken = make(
            "svg",
            "{\"format\":\"flowstorm-board\"",
            &Picture::default(),
        )
        .unwrap_err();
        assert!(
            broken
                .to_string()
                .starts_with("the board cannot be loaded (1 problem)"),
            "{broken}"
        );
    }

    #[test]
    fn a_picture_is_drawn_as_asked_of_the_board_or_of_the_selection() {
        let board = sample();
        let text = save(&board);
        let frame = board.frames[0].id.0.clone();
        let ask = Picture {
            scale: Scale::Four,
            theme: Theme::Dark,
            only: Some(vec![frame.clone(), "nobody".into()]),
            seed: None,
            badges: true,
        };
        let options = SvgOptions {
            scale: Scale::Four,
            theme: Theme::Dark,
            ..SvgOptions::default()
        };
        let part = selected_part(&board, &[frame]).unwrap();
        assert!(!part.notes.is_empty() && part.notes.len() < board.notes.len());
        assert_eq!(
            make("svg", &text, &ask).unwrap().text,
            svg(&part, &options, &flowstorm::analysis::check(&board)).unwrap()
        );
        let nothing = Picture {
            only: Some(Vec::new()),
            ..Picture::default()
        };
        assert_eq!(
            make("svg", &text, &nothing).unwrap_err().to_string(),
            "nothing is selected: select notes or a frame to picture"
        );
        // A report pictures the whole board, whatever is selected, and adds the findings of a
        // run with the seed asked.
        assert!(make("html", &text, &nothing).is_ok());
        let seeded = Picture {
            seed: Some(7),
            ..Picture::default()
        };
        let with_run = Report::with_run(&board, 7, None, MAX_RUN_WORK).unwrap();
        assert_eq!(
            make("markdown", &text, &seeded).unwrap().text,
            markdown_report(&with_run)
        );
    }
}
