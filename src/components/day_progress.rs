use leptos::prelude::*;
use tend_model::Progress;

use crate::i18n::use_texts;

/// "4 of 7 done" with a bar; announced politely when it changes.
#[component]
pub fn DayProgress(#[prop(into)] progress: Signal<Progress>) -> impl IntoView {
    let t = use_texts();
    let label = move || {
        let p = progress.get();
        (t().done_of)(p.done, p.total)
    };
    view! {
        <div class="day-progress">
            <p id="day-progress-label" class="day-progress-label" aria-live="polite">
                {label}
            </p>
            <progress
                aria-labelledby="day-progress-label"
                max=move || progress.get().total.max(1)
                value=move || progress.get().done
            ></progress>
        </div>
    }
}
