use crate::router::A;
use leptos::prelude::*;
use tend_model::CheckInStatus;

use crate::api;
use crate::components::{ErrorNotice, PatientNav};
use crate::format::short_date;
use crate::i18n::{use_lang, use_texts};
use crate::pages::patient_page;
use crate::session::{may_see_check_ins, use_session};

/// The questionnaires of the plan: what is due, when the rest come due, and
/// the last result of each.
#[component]
pub fn CheckInsPage() -> impl IntoView {
    patient_page(|p| view! { <CheckIns patient_id=p /> })
}

#[component]
fn CheckIns(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let statuses = LocalResource::new(move || api::check_ins(patient_id));

    let card = move |status: CheckInStatus| {
        let title = status.title.clone();
        let title_now = move || title.get(lang.get()).to_owned();
        let q = status.questionnaire.as_str();
        let start = format!("/patients/{patient_id}/check-ins/{q}");
        let history = format!("/patients/{patient_id}/check-ins/{q}/history");
        let when = move || match (status.due_since, status.next_due) {
            (Some(since), _) => (t().due_since)(&short_date(since, lang.get())),
            (None, Some(next)) => (t().next_due)(&short_date(next, lang.get())),
            (None, None) => String::new(),
        };
        let last = status.last.clone();
        let last_line = move || {
            last.as_ref().map(|r| {
                (t().last_result)(
                    r.total,
                    r.max,
                    (t().band)(r.band),
                    &short_date(r.recorded_at.date_naive(), lang.get()),
                )
            })
        };
        let (title_a, title_b) = (title_now.clone(), title_now.clone());
        view! {
            <li class="card check-in" class:is-due=status.due>
                <h2>{title_now}</h2>
                <Show when=move || status.due>
                    <p class="badge">{move || t().due_now}</p>
                </Show>
                <p>{when}</p>
                <p>{last_line}</p>
                <div class="agenda-item-actions">
                    <A href=start attr:class="button primary">
                        {move || (t().start_check_in)(&title_a())}
                    </A>
                    <A href=history attr:class="button secondary">
                        {move || (t().see_history)(&title_b())}
                    </A>
                </div>
            </li>
        }
    };

    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().check_ins_title}</h1>
            <p class="lead">{move || t().check_ins_intro}</p>
            {move || match statuses.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p>{t().check_ins_none}</p> }.into_any(),
                Some(Ok(list)) => {
                    view! { <ul class="check-ins">{list.into_iter().map(card).collect_view()}</ul> }.into_any()
                }
            }}
        </div>
    }
}
