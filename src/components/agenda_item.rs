use leptos::prelude::*;
use tend_model::{
    AgendaItem, Metric, OutcomeAction, OutcomeRequest, OutcomeStatus, Reading, ReadingError, WeightUnit,
};

use crate::format::time_of_day;
use crate::i18n::{use_lang, use_texts};

/// One occurrence on Today: time, title, instructions and what was recorded,
/// with done / skip (with a reason) / undo. Gives the change out as an
/// [`OutcomeRequest`]; the page decides what to do with it.
#[component]
pub fn AgendaItemCard(
    #[prop(into)] item: Signal<AgendaItem>,
    /// The logged-in account's id, so "entered by" shows only for others.
    #[prop(into)]
    me: Signal<i64>,
    /// Whether a change to this item is on its way to the server.
    #[prop(into)]
    saving: Signal<bool>,
    /// Whether a change to this item waits on the device to be sent.
    #[prop(into, optional)]
    waiting: Signal<bool>,
    on_change: Callback<OutcomeRequest>,
    /// Shows what was recorded without the controls to change it.
    #[prop(into, optional)]
    read_only: Signal<bool>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let skipping = RwSignal::new(false);
    let reason_field = NodeRef::<leptos::html::Input>::new();
    // The reason field takes focus when it opens, so keyboards and screen readers land in it.
    Effect::new(move |_| {
        if skipping.get() {
            if let Some(field) = reason_field.get() {
                let _ = field.focus();
            }
        }
    });
    let reason = RwSignal::new(String::new());
    let key = item.with_untracked(|i| i.key());
    let reason_id = format!("reason-{key}");
    let title_id = format!("title-{key}");

    let emit = move |action: OutcomeAction, why: Option<String>| {
        let current = item.get_untracked();
        on_change.run(OutcomeRequest {
            activity_id: current.activity_id,
            scheduled: current.scheduled,
            action,
            reason: why,
            reading: None,
        });
    };
    // Measurements take their value right here; what was typed stays until saved.
    let metric = item.with_untracked(|i| i.metric);
    let first_value = RwSignal::new(String::new());
    let second_value = RwSignal::new(String::new());
    let reading_error = RwSignal::new(None::<ReadingError>);
    let save_reading = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(metric) = metric else { return };
        let typed = (first_value.get_untracked(), second_value.get_untracked());
        match Reading::parse(metric, &typed.0, &typed.1, WeightUnit::Lb) {
            Ok(reading) => {
                reading_error.set(None);
                let current = item.get_untracked();
                on_change.run(OutcomeRequest {
                    activity_id: current.activity_id,
                    scheduled: current.scheduled,
                    action: OutcomeAction::Done,
                    reason: None,
                    reading: Some(reading),
                });
            }
            Err(error) => reading_error.set(Some(error)),
        }
    };
    let first_id = StoredValue::new(format!("value-{key}"));
    let second_id = StoredValue::new(format!("value2-{key}"));
    let error_id = StoredValue::new(format!("value-error-{key}"));
    let title = move || item.with(|i| i.title.get(lang.get()).to_owned());
    let instructions = move || item.with(|i| i.instructions.get(lang.get()).to_owned());
    let time = move || time_of_day(item.with(|i| i.local.time()), lang.get());
    let status = move || item.with(|i| i.outcome.as_ref().map(|o| o.status));
    let context = move || format!(" — {}, {}", title(), time());

    let status_line = move || {
        item.with(|i| {
            i.outcome.as_ref().map(|o| {
                let word = match o.status {
                    OutcomeStatus::Done => t().status_done,
                    OutcomeStatus::Skipped => t().status_skipped,
                };
                let mut line = word.to_owned();
                if let Some(reading) = &o.reading {
                    line.push_str(": ");
                    line.push_str(&reading.display());
                }
                if let Some(r) = &o.reason {
                    line.push_str(": ");
                    line.push_str(r);
                }
                if let Some(who) = o.entered_by_other(me.get()) {
                    line.push_str(" · ");
                    line.push_str(&(t().entered_by)(who));
                }
                line
            })
        })
    };

    // Appointments say where and what to bring; lessons open to be read.
    let (place, bring, lesson) =
        item.with_untracked(|i| (i.place.clone(), i.bring.clone(), i.lesson.clone()));
    let details = view! {
        {place.map(|place| view! {
            <p class="agenda-item-detail">
                <strong>{move || t().where_label}</strong>" "{move || place.get(lang.get()).to_owned()}
            </p>
        })}
        {bring.map(|bring| view! {
            <p class="agenda-item-detail">
                <strong>{move || t().bring_label}</strong>" "{move || bring.get(lang.get()).to_owned()}
            </p>
        })}
        {lesson.map(|slug| view! {
            <a class="button secondary" href=format!("/lessons/{slug}")>
                {move || t().read_lesson}
                <span class="visually-hidden">{context}</span>
            </a>
        })}
    };
    let reason_for = StoredValue::new(reason_id);
    view! {
        <li
            class="agenda-item"
            class:is-done=move || status() == Some(OutcomeStatus::Done)
            class:is-skipped=move || status() == Some(OutcomeStatus::Skipped)
            aria-labelledby=title_id.clone()
        >
            <div class="agenda-item-head">
                <span class="agenda-item-time">{time}</span>
                <span class="agenda-item-kind">{move || (t().kind)(item.with(|i| i.kind))}</span>
            </div>
            <h3 class="agenda-item-title" id=title_id.clone()>
                {title}
            </h3>
            <p class="agenda-item-instructions">{instructions}</p>
            {details}
            <p class="agenda-item-status" aria-live="polite">
                {move || {
                    if saving.get() {
                        return Some(t().status_saving.to_owned());
                    }
                    let waiting = waiting.get().then_some(t().status_waiting);
                    match (status_line(), waiting) {
                        (Some(line), Some(waiting)) => Some(format!("{line} · {waiting}")),
                        (line, waiting) => line.or(waiting.map(str::to_owned)),
                    }
                }}
            </p>
            <Show when=move || !read_only.get()>
            <Show
                when=move || status().is_none()
                fallback=move || {
                    view! {
                        <div class="agenda-item-actions">
                            <button
                                type="button"
                                class="button secondary"
                                disabled=move || saving.get()
                                on:click=move |_| emit(OutcomeAction::Undo, None)
                            >
                                {move || t().undo}
                                <span class="visually-hidden">{context}</span>
                            </button>
                        </div>
                    }
                }
            >
                <Show
                    when=move || skipping.get()
                    fallback=move || {
                        view! {
                            {metric
                                .map(|metric| {
                                    let invalid = move || reading_error.get().is_some().then_some("true");
                                    view! {
                                        <form class="reading-form" on:submit=save_reading novalidate>
                                            <div class="field">
                                                <label for=first_id.get_value()>{move || (t().reading_label)(metric)}</label>
                                                <div class="with-unit">
                                                    <input
                                                        id=first_id.get_value()
                                                        type="text"
                                                        inputmode="decimal"
                                                        autocomplete="off"
                                                        aria-invalid=invalid
                                                        aria-describedby=error_id.get_value()
                                                        prop:value=move || first_value.get()
                                                        on:input=move |ev| first_value.set(event_target_value(&ev))
                                                    />
                                                    <span class="unit">{metric.unit()}</span>
                                                </div>
                                            </div>
                                            <Show when=move || metric == Metric::BloodPressure>
                                                <div class="field">
                                                    <label for=move || second_id.get_value()>{move || t().diastolic_label}</label>
                                                    <div class="with-unit">
                                                        <input
                                                            id=move || second_id.get_value()
                                                            type="text"
                                                            inputmode="numeric"
                                                            autocomplete="off"
                                                            aria-invalid=invalid
                                                            aria-describedby=move || error_id.get_value()
                                                            prop:value=move || second_value.get()
                                                            on:input=move |ev| second_value.set(event_target_value(&ev))
                                                        />
                                                        <span class="unit">"mmHg"</span>
                                                    </div>
                                                </div>
                                            </Show>
                                            <p id=error_id.get_value() class="form-error" role="alert">
                                                {move || reading_error.get().map(|e| (t().reading_error)(e, metric))}
                                            </p>
                                            <button type="submit" class="button primary wide" disabled=move || saving.get()>
                                                {move || t().save}
                                                <span class="visually-hidden">{context}</span>
                                            </button>
                                        </form>
                                    }
                                })}
                            <div class="agenda-item-actions">
                                <Show when=move || metric.is_none()>
                                    <button
                                        type="button"
                                        class="button primary"
                                        disabled=move || saving.get()
                                        on:click=move |_| emit(OutcomeAction::Done, None)
                                    >
                                        {move || t().mark_done}
                                        <span class="visually-hidden">{context}</span>
                                    </button>
                                </Show>
                                <button
                                    type="button"
                                    class="button secondary"
                                    disabled=move || saving.get()
                                    on:click=move |_| skipping.set(true)
                                >
                                    {move || t().skip}
                                    <span class="visually-hidden">{context}</span>
                                </button>
                            </div>
                        }
                    }
                >
                    <form
                        class="skip-form"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            let why = reason.get_untracked();
                            let why = Some(why.trim().to_owned()).filter(|r| !r.is_empty());
                            skipping.set(false);
                            reason.set(String::new());
                            emit(OutcomeAction::Skipped, why);
                        }
                    >
                        <label for=move || reason_for.get_value()>{move || t().skip_reason}</label>
                        <input
                            node_ref=reason_field
                            id=move || reason_for.get_value()
                            type="text"
                            maxlength="500"
                            autocomplete="off"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                        <div class="agenda-item-actions">
                            <button type="submit" class="button primary">
                                {move || t().confirm_skip}
                                <span class="visually-hidden">{context}</span>
                            </button>
                            <button
                                type="button"
                                class="button secondary"
                                on:click=move |_| skipping.set(false)
                            >
                                {move || t().cancel}
                            </button>
                        </div>
                    </form>
                </Show>
            </Show>
            </Show>
        </li>
    }
}
