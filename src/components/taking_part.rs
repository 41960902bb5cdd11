//! Taking part in the plan: a form to propose a goal or to comment on one or
//! ask to change it, and the list of requests with where each stands.

use crate::router::A;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::request::MAX_REQUEST_CHARS;
use tend_model::{GoalRequestView, NewGoalRequest, RequestKind, RequestStatus};

use crate::api::{self, ApiError};
use crate::format::date_time;
use crate::i18n::{use_lang, use_texts};

/// Sends a proposal (no `goal_id`) or a comment / change request about a goal.
/// What was typed stays until the server has it; a retry after a dropped
/// connection reuses the key, so it is recorded once.
#[component]
pub fn RequestForm(
    patient_id: i64,
    #[prop(optional)] goal_id: Option<i64>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let t = use_texts();
    let text = RwSignal::new(String::new());
    let kind = RwSignal::new(if goal_id.is_some() {
        RequestKind::Comment
    } else {
        RequestKind::Propose
    });
    let error = RwSignal::new(None::<&'static str>);
    let sending = RwSignal::new(false);
    let sent = RwSignal::new(false);
    // The key of the last attempt and the request it carried.
    let attempt = RwSignal::new(None::<(NewGoalRequest, String)>);
    let id = format!("request-{}", goal_id.map_or("new".to_owned(), |g| g.to_string()));
    let (field_id, error_id) = (
        StoredValue::new(id.clone()),
        StoredValue::new(format!("{id}-error")),
    );

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked();
        let trimmed = typed.trim();
        if trimmed.is_empty() {
            error.set(Some(t().err_request_empty));
            return;
        }
        if trimmed.chars().count() > MAX_REQUEST_CHARS {
            error.set(Some(t().err_request_too_long));
            return;
        }
        let request = NewGoalRequest {
            kind: kind.get_untracked(),
            goal_id,
            text: trimmed.to_owned(),
        };
        let key = match attempt.get_untracked() {
            Some((before, key)) if before == request => key,
            _ => api::new_idempotency_key(),
        };
        attempt.set(Some((request.clone(), key.clone())));
        error.set(None);
        sent.set(false);
        sending.set(true);
        spawn_local(async move {
            let result = api::send_goal_request(patient_id, &request, &key).await;
            sending.try_set(false);
            match result {
                Ok(_) => {
                    text.try_set(String::new());
                    attempt.try_set(None);
                    sent.try_set(true);
                    on_sent.run(());
                }
                Err(e) => {
                    error.try_set(Some(request_error(&e, t())));
                }
            }
        });
    };

    let choose = goal_id.is_some().then(|| {
        let name = format!("{id}-kind");
        let option = move |value: RequestKind, label: fn(&crate::i18n::Texts) -> &'static str| {
            let name = name.clone();
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name=name
                        prop:checked=move || kind.get() == value
                        on:change=move |_| kind.set(value)
                    />
                    {move || label(t())}
                </label>
            }
        };
        view! {
            <fieldset class="choices">
                <legend>{move || t().what_to_do}</legend>
                {option(RequestKind::Comment, |t| t.kind_comment)}
                {option(RequestKind::Change, |t| t.kind_change)}
            </fieldset>
        }
    });
    view! {
        <form class="request-form" on:submit=submit novalidate>
            {choose}
            <label for=move || field_id.get_value()>
                {move || if goal_id.is_some() { t().your_message } else { t().propose_label }}
            </label>
            <textarea
                id=move || field_id.get_value()
                rows="3"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error_id.get_value()
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    sent.set(false);
                }
            ></textarea>
            <p id=move || error_id.get_value() class="form-error" role="alert">
                {move || error.get()}
            </p>
            <p class="form-ok" role="status">
                {move || sent.get().then(|| t().request_sent)}
            </p>
            <button type="submit" class="button primary" disabled=move || sending.get()>
                {move || if sending.get() { t().sending } else { t().send_to_team }}
            </button>
        </form>
    }
}

/// What to tell the person when a request is refused or cannot be sent.
fn request_error(error: &ApiError, t: &'static crate::i18n::Texts) -> &'static str {
    match error {
        ApiError::Problem(p) => match p.errors.first().map(|e| e.code.as_str()) {
            Some("required") => t.err_request_empty,
            Some("too_long") => t.err_request_too_long,
            _ => error.message(t),
        },
        _ => error.message(t),
    }
}

/// The requests about goals, newest first, each with where it stands; a
/// declined one says why and how to appeal.
#[component]
pub fn GoalRequestList(patient_id: i64, requests: Vec<GoalRequestView>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    if requests.is_empty() {
        return view! { <p>{move || t().no_requests}</p> }.into_any();
    }
    let item = move |r: GoalRequestView| {
        let kind = r.kind;
        let goal = r.goal_title.clone();
        let (text, by, at) = (r.text.clone(), r.created_by.clone(), r.created_at);
        let status = r.status;
        let decided = r.decided_by.clone().unwrap_or_default();
        let decided_at = r.decided_at;
        let reason = r.reason.clone();
        let status_line = move || {
            let when = decided_at.map(|d| date_time(d, lang.get())).unwrap_or_default();
            match (status, kind) {
                (RequestStatus::Open, _) => t().waiting_for_team.to_owned(),
                (RequestStatus::Accepted, RequestKind::Comment) => (t().read_by)(&decided, &when),
                (RequestStatus::Accepted, _) => (t().accepted_by)(&decided, &when),
                (RequestStatus::Declined, _) => (t().declined_by)(&decided, &when),
            }
        };
        view! {
            <li class="card request" class:is-declined=status == RequestStatus::Declined>
                <p class="hint">
                    {move || {
                        let about = goal.as_ref().map(|g| g.get(lang.get()).to_owned()).unwrap_or_default();
                        (t().request_heading)(kind, &about)
                    }}
                </p>
                <p class="request-text">{format!("“{text}”")}</p>
                <p class="hint">{move || (t().sent_by)(&by, &date_time(at, lang.get()))}</p>
                <p class="request-status">
                    <strong>{status_line}</strong>
                </p>
                {reason.map(|reason| view! { <p>{move || t().reason_label}" "{reason}</p> })}
                {(status == RequestStatus::Declined).then(|| view! {
                    <p class="appeal">
                        {move || t().appeal_text}" "
                        <A href=format!("/patients/{patient_id}/care-team")>{move || t().who_to_call}</A>
                    </p>
                })}
            </li>
        }
    };
    view! { <ul class="plan-list requests">{requests.into_iter().map(item).collect_view()}</ul> }.into_any()
}
