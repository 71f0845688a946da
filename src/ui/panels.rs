//! The legend and the panel listing a file's problems.

use super::state::Ctx;
use crate::model::NoteKind;
use leptos::prelude::*;

/// The notation: every kind's colour, name and shortcut.
#[component]
pub fn Legend() -> impl IntoView {
    view! {
        <aside class="legend" aria-label="Legend" data-legend>
            <h3>"Legend"</h3>
            <ul>
                {NoteKind::ALL
                    .into_iter()
                    .map(|k| view! {
                        <li data-legend-kind=k.as_str()>
                            <span class=format!("chip kind-{}", k.as_str()) style=format!("background:{}", k.colour())></span>
                            {k.label()}
                            <kbd>{k.shortcut().to_string()}</kbd>
                        </li>
                    })
                    .collect_view()}
                <li data-legend-kind="context"><span class="chip frame-chip"></span>"Bounded context"<kbd>"F"</kbd></li>
            </ul>
        </aside>
    }
}

/// Lists every problem of a file that could not be opened; the board stays as it was.
#[component]
pub fn ProblemsPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        ctx.problems.get().map(|report| {
            let n = report.problems.len();
            view! {
                <div class="problems" role="alertdialog" aria-labelledby="problems-title" data-problems>
                    <h2 id="problems-title">{format!("Could not open {}", report.source)}</h2>
                    <p>{format!("{n} problem{} found. Your board was left as it was.", if n == 1 { "" } else { "s" })}</p>
                    <ol>
                        {report.problems.into_iter().map(|(path, reason)| view! {
                            <li data-problem><code>{path}</code>" — "{reason}</li>
                        }).collect_view()}
                    </ol>
                    <button data-action="dismiss-problems" on:click=move |_| ctx.problems.set(None)>"Close"</button>
                </div>
            }
        })
    }
}
