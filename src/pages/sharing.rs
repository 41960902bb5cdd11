use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::{GrantUpdate, GrantView, Scope};

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, PatientNav};
use crate::format::short_date;
use crate::i18n::{use_lang, use_texts};
use crate::pages::patient_page;
use crate::session::{may_see_check_ins, use_session};

/// Sharing: who sees what of the record, until when; change it or end it.
#[component]
pub fn SharingPage() -> impl IntoView {
    patient_page(|p| view! { <Sharing patient_id=p /> })
}

#[component]
fn Sharing(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let session = use_session();
    let grants = LocalResource::new(move || api::grants(patient_id));
    let refresh = Callback::new(move |()| grants.refetch());
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().sharing_title}</h1>
            <p class="lead">{move || t().sharing_intro}</p>
            {move || match grants.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p>{move || t().sharing_none}</p> }.into_any(),
                Some(Ok(list)) => {
                    let now = now();
                    view! {
                        <ul class="plan-list">
                            {list
                                .into_iter()
                                .map(|g| view! { <GrantCard patient_id=patient_id grant=g now=now on_change=refresh /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

#[component]
fn GrantCard(
    patient_id: i64,
    grant: GrantView,
    now: DateTime<Utc>,
    on_change: Callback<()>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let active = grant.is_active(now);
    let id = grant.id;
    let name = StoredValue::new(grant.caregiver.clone());
    let chosen = RwSignal::new(grant.scopes.clone());
    // The last day of access, as the date field shows it.
    let until = RwSignal::new(
        (grant.expires_at - chrono::TimeDelta::seconds(1))
            .date_naive()
            .to_string(),
    );
    let error = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    // Changed in place when saved, so the card (and its message) stays.
    let expires = RwSignal::new(grant.expires_at);
    let revoked = grant.revoked_at;
    let status = move || match (revoked, active) {
        (Some(at), _) => (t().sharing_ended)(&short_date(at.date_naive(), lang.get())),
        (None, false) => (t().sharing_expired)(&short_date(expires.get().date_naive(), lang.get())),
        (None, true) => (t().sharing_until)(&short_date(
            (expires.get() - chrono::TimeDelta::seconds(1)).date_naive(),
            lang.get(),
        )),
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let scopes = chosen.get_untracked();
        if scopes.is_empty() {
            error.set(Some(t().err_sharing_none));
            return;
        }
        let Ok(day) = until.get_untracked().parse::<NaiveDate>() else {
            error.set(Some(t().err_sharing_date));
            return;
        };
        error.set(None);
        spawn_local(async move {
            let update = GrantUpdate { scopes, until: day };
            match api::update_grant(patient_id, id, &update).await {
                Ok(now) => {
                    expires.try_set(now.expires_at);
                    chosen.try_set(now.scopes);
                    saved.try_set(true);
                }
                Err(e) => {
                    error.try_set(Some(sharing_error(&e, t())));
                }
            }
        });
    };
    let stop = move |_| {
        spawn_local(async move {
            match api::revoke_grant(patient_id, id).await {
                Ok(()) => on_change.run(()),
                Err(e) => {
                    error.try_set(Some(e.message(t())));
                }
            }
        });
    };
    let boxes = Scope::ALL
        .into_iter()
        .map(|scope| {
            let box_id = format!("grant-{id}-{}", scope.as_str());
            view! {
                <div class="check">
                    <input
                        type="checkbox"
                        id=box_id.clone()
                        prop:checked=move || chosen.with(|c| c.contains(&scope))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|s| *s != scope);
                                if on {
                                    c.push(scope);
                                    c.sort();
                                }
                            });
                            saved.set(false);
                        }
                    />
                    <label for=box_id>
                        <span>{move || (t().scope_label)(scope)}</span>
                        <span class="hint">{move || (t().scope_hint)(scope)}</span>
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <li class="card grant" class:is-ended=!active>
            <h2>{move || name.get_value()}</h2>
            <p class="grant-status"><strong>{status}</strong></p>
            {active.then(|| view! {
                <form class="grant-form" on:submit=save novalidate>
                    <fieldset class="scopes">
                        <legend>{move || (t().sharing_fieldset)(&name.get_value())}</legend>
                        {boxes}
                    </fieldset>
                    <div class="field">
                        <label for=format!("grant-{id}-until")>{move || t().sharing_until_label}</label>
                        <input
                            type="date"
                            id=format!("grant-{id}-until")
                            prop:value=move || until.get()
                            on:input=move |ev| until.set(event_target_value(&ev))
                        />
                    </div>
                    <p class="form-error" role="alert">{move || error.get()}</p>
                    <p class="form-ok" role="status">{move || saved.get().then(|| t().sharing_saved)}</p>
                    <div class="settings-actions">
                        <button type="submit" class="button primary">{move || t().sharing_save}</button>
                        <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>
                            {move || (t().sharing_stop)(&name.get_value())}
                        </button>
                    </div>
                    <Show when=move || confirming.get()>
                        <div class="notice confirm" role="alertdialog" aria-labelledby=format!("grant-{id}-confirm")>
                            <p id=format!("grant-{id}-confirm")>{move || (t().sharing_stop_question)(&name.get_value())}</p>
                            <div class="settings-actions">
                                <button type="button" class="button primary" on:click=stop>{move || t().sharing_stop_yes}</button>
                                <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                                    {move || t().cancel}
                                </button>
                            </div>
                        </div>
                    </Show>
                </form>
            })}
        </li>
    }
}

fn sharing_error(error: &ApiError, t: &'static crate::i18n::Texts) -> &'static str {
    match error {
        ApiError::Problem(p) => match p.errors.first().map(|e| e.code.as_str()) {
            Some("none") => t.err_sharing_none,
            Some("in_past" | "too_far") => t.err_sharing_date,
            _ => error.message(t),
        },
        _ => error.message(t),
    }
}
