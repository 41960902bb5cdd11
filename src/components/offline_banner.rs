use leptos::prelude::*;
use tend_model::{OutcomeAction, PendingChange};

use crate::api::ApiError;
use crate::format::{date_time, time_of_day};
use crate::i18n::{use_lang, use_texts, Texts};
use tend_model::Lang;

/// Whether the device is offline, how many changes wait to be sent, and each
/// change the server refused with its reason and what was entered, to try
/// again or dismiss. Shows nothing when all is sent.
#[component]
pub fn OfflineBanner(
    #[prop(into)] offline: Signal<bool>,
    #[prop(into)] waiting: Signal<usize>,
    #[prop(into)] refused: Signal<Vec<PendingChange>>,
    on_send_now: Callback<()>,
    /// The key of the refused change to send again.
    on_retry: Callback<String>,
    /// The key of the refused change to forget.
    on_dismiss: Callback<String>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let refused_list = move || {
        refused
            .get()
            .into_iter()
            .map(|change| {
                let key = change.key.clone();
                let again = key.clone();
                let reason = change
                    .refused
                    .clone()
                    .map(ApiError::Problem)
                    .map(|e| move || e.message(t()));
                let what = move || what_was_entered(&change, t(), lang.get());
                let context = what.clone();
                view! {
                    <li class="notice error">
                        <p>
                            <strong>{move || (t().not_saved)(&what())}</strong>
                        </p>
                        <p>{reason}</p>
                        <div class="agenda-item-actions">
                            <button type="button" class="button primary" on:click=move |_| on_retry.run(again.clone())>
                                {move || t().retry}
                                <span class="visually-hidden">{format!(" — {}", context())}</span>
                            </button>
                            <button type="button" class="button secondary" on:click=move |_| on_dismiss.run(key.clone())>
                                {move || t().dismiss}
                            </button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        // The status region is always in the page, so what appears in it is announced.
        <div class="outbox">
            <div role="status" class="outbox-status">
                <Show when=move || offline.get()>
                    <p class="outbox-offline">{move || t().offline_now}</p>
                </Show>
                <Show when=move || waiting.get() != 0>
                    <p>{move || (t().changes_waiting)(waiting.get())}</p>
                </Show>
            </div>
            // Offered offline too: the person may know better than the browser that signal is back.
            <Show when=move || waiting.get() != 0>
                <button type="button" class="button secondary" on:click=move |_| on_send_now.run(())>
                    {move || t().send_now}
                </button>
            </Show>
            <Show when=move || refused.with(|r| !r.is_empty())>
                <ul class="outbox-refused" aria-label=move || t().outbox_label>
                    {refused_list}
                </ul>
            </Show>
        </div>
    }
}

/// What the person entered, in words: the item and its time with what was
/// marked or measured, or the check-in with when and its score.
pub fn what_was_entered(change: &PendingChange, t: &Texts, lang: Lang) -> String {
    let title = change.title.get(lang);
    if let Some(request) = change.outcome() {
        let mut what = match request.action {
            OutcomeAction::Done => t.status_done,
            OutcomeAction::Skipped => t.status_skipped,
            OutcomeAction::Undo => t.undo,
        }
        .to_owned();
        for detail in [request.reading.map(|r| r.display()), request.reason.clone()]
            .into_iter()
            .flatten()
        {
            what.push_str(": ");
            what.push_str(&detail);
        }
        return (t.what_outcome)(title, &time_of_day(request.scheduled.time(), lang), &what);
    }
    let when = date_time(change.made_at, lang);
    match change.device_score {
        Some((total, max)) => (t.what_check_in)(title, &when, total, max),
        None => format!("{title} ({when})"),
    }
}
