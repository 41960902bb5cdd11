use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::{
    CaregiverAlertSettings, GrantUpdate, GrantView, InviteCreated, InviteRequest, InviteView, Scope,
};

use crate::api::{self, ApiError};
use crate::components::{CheckBox, ErrorNotice, PatientNav};
use crate::format::{browser_today, short_date};
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
            <Invites patient_id=patient_id />
            <AlertSetting patient_id=patient_id />
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
    // The last day of access where the patient lives, as the date field shows it.
    let until = RwSignal::new(grant.until.to_string());
    let error = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    // Changed in place when saved, so the card (and its message) stays.
    let last_day = RwSignal::new(grant.until);
    let revoked = grant.revoked_at;
    let status = move || match (revoked, active) {
        (Some(at), _) => (t().sharing_ended)(&short_date(at.date_naive(), lang.get())),
        (None, false) => (t().sharing_expired)(&short_date(last_day.get(), lang.get())),
        (None, true) => (t().sharing_until)(&short_date(last_day.get(), lang.get())),
    };
    // An ended share is not brought back from here: a new invitation asks the person again.
    let expired = revoked.is_none() && !active;
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
                    last_day.try_set(now.until);
                    until.try_set(now.until.to_string());
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
    let boxes = scope_boxes(
        format!("grant-{id}"),
        chosen,
        Callback::new(move |()| saved.set(false)),
    );
    view! {
        <li class="card grant" class:is-ended=!active>
            <h2>{move || name.get_value()}</h2>
            <p class="grant-status"><strong>{status}</strong></p>
            {expired.then(|| view! { <p class="hint">{move || (t().sharing_expired_why)(&name.get_value())}</p> })}
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

/// Making invitations, the code of the one just made, and those still open.
#[component]
fn Invites(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let open = LocalResource::new(move || api::invites(patient_id));
    let made = RwSignal::new(None::<InviteCreated>);
    let on_made = Callback::new(move |created: InviteCreated| {
        made.set(Some(created));
        open.refetch();
    });
    let error = RwSignal::new(None::<&'static str>);
    let withdraw = move |id: i64| {
        spawn_local(async move {
            match api::withdraw_invite(patient_id, id).await {
                Ok(()) => {
                    made.try_update(|m| {
                        if m.as_ref().is_some_and(|c| c.invite.id == id) {
                            *m = None;
                        }
                    });
                    open.refetch();
                }
                Err(e) => {
                    error.try_set(Some(e.message(t())));
                }
            }
        });
    };
    let card = move |invite: InviteView| {
        let id = invite.id;
        let label = StoredValue::new(invite.label.clone());
        let scopes = invite.scopes.clone();
        let until = invite.until;
        let open_until = (invite.expires_at - chrono::TimeDelta::seconds(1)).date_naive();
        view! {
            <li class="card invite">
                <h3>
                    {move || {
                        let l = label.get_value();
                        if l.is_empty() { t().invite_no_label.to_owned() } else { l }
                    }}
                </h3>
                <ul class="shared-list">
                    {scopes.into_iter().map(|s| view! { <li>{move || (t().scope_label)(s)}</li> }).collect_view()}
                </ul>
                <p>{move || (t().sharing_until)(&short_date(until, lang.get()))}</p>
                <p class="hint">{move || (t().invite_open_until)(&short_date(open_until, lang.get()))}</p>
                <button type="button" class="button secondary" on:click=move |_| withdraw(id)>
                    {move || t().invite_withdraw}
                    <span class="visually-hidden">
                        {move || {
                            let l = label.get_value();
                            if l.is_empty() { String::new() } else { format!(": {l}") }
                        }}
                    </span>
                </button>
            </li>
        }
    };
    view! {
        <section class="invites" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{move || t().invite_heading}</h2>
            <p>{move || t().invite_intro}</p>
            <InviteForm patient_id=patient_id on_made=on_made />
            {move || made.get().map(|created| view! { <MadeInvite created=created /> })}
            <h2>{move || t().invites_open_heading}</h2>
            <p class="form-error" role="alert">{move || error.get()}</p>
            {move || match open.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p>{move || t().invites_none_open}</p> }.into_any(),
                Some(Ok(list)) => view! { <ul class="plan-list">{list.into_iter().map(card).collect_view()}</ul> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn InviteForm(patient_id: i64, on_made: Callback<InviteCreated>) -> impl IntoView {
    let t = use_texts();
    let label = RwSignal::new(String::new());
    // Self-assessment answers stay private unless chosen.
    let chosen = RwSignal::new(vec![Scope::PlanGoals, Scope::Reminders, Scope::Measurements]);
    let until = RwSignal::new((browser_today() + chrono::TimeDelta::days(90)).to_string());
    let valid_days = RwSignal::new(7u8);
    let error = RwSignal::new(None::<&'static str>);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let scopes = chosen.get_untracked();
        if scopes.is_empty() {
            error.set(Some(t().err_sharing_none));
            return;
        }
        let Ok(day) = NaiveDate::parse_from_str(&until.get_untracked(), "%Y-%m-%d") else {
            error.set(Some(t().err_sharing_date));
            return;
        };
        error.set(None);
        pending.set(true);
        let request = InviteRequest {
            label: label.get_untracked(),
            scopes,
            until: day,
            valid_days: valid_days.get_untracked(),
        };
        spawn_local(async move {
            let result = api::create_invite(patient_id, &request, &api::new_idempotency_key()).await;
            pending.try_set(false);
            match result {
                Ok(created) => {
                    label.try_set(String::new());
                    on_made.run(created);
                }
                Err(e) => {
                    error.try_set(Some(sharing_error(&e, t())));
                }
            }
        });
    };
    let boxes = scope_boxes("invite".to_owned(), chosen, Callback::new(|()| {}));
    view! {
        <form class="card form invite-form" on:submit=submit novalidate>
            <div class="field">
                <label for="invite-label">{move || t().invite_label}</label>
                <input
                    id="invite-label"
                    type="text"
                    maxlength="60"
                    aria-describedby="invite-label-hint"
                    prop:value=move || label.get()
                    on:input=move |ev| label.set(event_target_value(&ev))
                />
                <p id="invite-label-hint" class="hint">{move || t().invite_label_hint}</p>
            </div>
            <fieldset class="scopes">
                <legend>{move || t().invite_scopes_legend}</legend>
                {boxes}
            </fieldset>
            <div class="field">
                <label for="invite-until">{move || t().sharing_until_label}</label>
                <input
                    type="date"
                    id="invite-until"
                    prop:value=move || until.get()
                    on:input=move |ev| until.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="invite-valid">{move || t().invite_valid_label}</label>
                <select
                    id="invite-valid"
                    on:change=move |ev| valid_days.set(event_target_value(&ev).parse().unwrap_or(7))
                >
                    {[1u8, 3, 7, 14]
                        .into_iter()
                        .map(|n| {
                            view! {
                                <option value=n.to_string() selected=move || valid_days.get() == n>
                                    {move || (t().invite_valid_days)(n)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button primary" disabled=move || pending.get()>
                {move || t().invite_make}
            </button>
        </form>
    }
}

/// The code and link of the invitation just made: shown this once.
#[component]
fn MadeInvite(created: InviteCreated) -> impl IntoView {
    let t = use_texts();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let link = StoredValue::new(format!("{origin}{}", created.path));
    let code = created.code.clone();
    let copied = RwSignal::new(None::<bool>);
    let copy = move |_| {
        spawn_local(async move {
            let written = match web_sys::window() {
                Some(w) => wasm_bindgen_futures::JsFuture::from(
                    w.navigator().clipboard().write_text(&link.get_value()),
                )
                .await
                .is_ok(),
                None => false,
            };
            copied.try_set(Some(written));
        });
    };
    let heading = NodeRef::<leptos::html::Div>::new();
    // The new code takes the focus, so a screen reader reads it out at once.
    Effect::new(move |_| {
        if let Some(box_) = heading.get() {
            let _ = box_.focus();
        }
    });
    view! {
        <div class="notice made-invite" role="status" tabindex="-1" node_ref=heading>
            <p>{move || t().invite_made}</p>
            <p class="invite-code">
                <span class="visually-hidden">{move || t().invite_code_is}": "</span>
                <strong>{code}</strong>
            </p>
            <div class="field">
                <label for="invite-link">{move || t().invite_link_label}</label>
                <input id="invite-link" type="text" readonly prop:value=move || link.get_value() />
            </div>
            <button type="button" class="button secondary" on:click=copy>{move || t().invite_copy}</button>
            <p role="status">
                {move || copied.get().map(|ok| if ok { t().invite_copied } else { t().invite_copy_failed })}
            </p>
            <p class="hint">{move || t().invite_shown_once}</p>
        </div>
    }
}

/// After how many hours an unmarked medicine alerts the family.
#[component]
fn AlertSetting(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let current = LocalResource::new(move || api::caregiver_alert_settings(patient_id));
    // "" is off; otherwise the hours.
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(settings)) = current.get() {
            chosen.set(
                settings
                    .missed_medicine_hours
                    .map(|h| h.to_string())
                    .unwrap_or_default(),
            );
        }
    });
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let settings = CaregiverAlertSettings {
            missed_medicine_hours: chosen.get_untracked().parse().ok(),
        };
        spawn_local(async move {
            match api::set_caregiver_alert_settings(patient_id, &settings, &api::new_idempotency_key()).await
            {
                Ok(_) => {
                    error.try_set(None);
                    saved.try_set(true);
                }
                Err(e) => {
                    error.try_set(Some(e.message(t())));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="alert-heading">
            <h2 id="alert-heading">{move || t().alert_setting_heading}</h2>
            <p>{move || t().alert_setting_intro}</p>
            <form class="form" on:submit=save novalidate>
                <div class="field">
                    <label for="alert-hours">{move || t().alert_setting_label}</label>
                    <select
                        id="alert-hours"
                        disabled=move || current.get().is_none()
                        on:change=move |ev| {
                            chosen.set(event_target_value(&ev));
                            saved.set(false);
                        }
                    >
                        <option value="" selected=move || chosen.with(String::is_empty)>
                            {move || t().alert_off}
                        </option>
                        {[1u8, 2, 3, 4, 6, 8, 12, 24]
                            .into_iter()
                            .map(|h| {
                                view! {
                                    <option value=h.to_string() selected=move || chosen.get() == h.to_string()>
                                        {move || (t().alert_after_hours)(h)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <p class="form-ok" role="status">{move || saved.get().then(|| t().alert_setting_saved)}</p>
                <button type="submit" class="button primary">{move || t().alert_setting_save}</button>
            </form>
        </section>
    }
}

/// A checkbox for each scope, each with what it shares.
fn scope_boxes(prefix: String, chosen: RwSignal<Vec<Scope>>, on_change: Callback<()>) -> impl IntoView {
    let t = use_texts();
    Scope::ALL
        .into_iter()
        .map(|scope| {
            view! {
                <CheckBox
                    id=format!("{prefix}-{}", scope.as_str())
                    checked=Signal::derive(move || chosen.with(|c| c.contains(&scope)))
                    on_toggle=Callback::new(move |on: bool| {
                        chosen.update(|c| {
                            c.retain(|s| *s != scope);
                            if on {
                                c.push(scope);
                                c.sort();
                            }
                        });
                        on_change.run(());
                    })
                >
                    <span>{move || (t().scope_label)(scope)}</span>
                    <span class="hint">{move || (t().scope_hint)(scope)}</span>
                </CheckBox>
            }
        })
        .collect_view()
}
