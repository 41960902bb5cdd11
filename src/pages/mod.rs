//! One page, one file.

pub mod appointments;
pub mod audit;
pub mod care_team;
pub mod check_in;
pub mod check_in_history;
pub mod check_ins;
pub mod goals;
pub mod history;
pub mod home;
pub mod invite;
pub mod lesson;
pub mod login;
pub mod manage;
pub mod not_found;
pub mod panel;
pub mod people;
pub mod plan;
pub mod plan_edit;
pub mod settings;
pub mod sharing;
pub mod today;
pub mod transition;

use crate::router::use_params_map;
use leptos::prelude::*;
use tend_model::QuestionnaireId;

use crate::api::ApiError;
use crate::components::ErrorNotice;
use crate::i18n::use_texts;
use crate::pages::not_found::NotFoundPage;

/// What a page shows of data it fetched: "loading", the error in the
/// person's words, or `show` of the data.
pub fn loaded<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    let t = use_texts();
    move || match resource.get() {
        None => view! { <p class="loading">{t().loading}</p> }.into_any(),
        Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
        Some(Ok(value)) => show(value).into_any(),
    }
}

/// A page of one patient's record: built anew for each patient of the route,
/// so nothing of one shows under another's address; not found without one.
/// The page is built (and starts reading) at once, but shows only once the
/// session is known: its section links depend on it, and appearing above a
/// painted heading they would push it down (a layout shift).
pub fn patient_page<V: IntoView + 'static>(page: impl Fn(i64) -> V + Send + Sync + 'static) -> impl IntoView {
    let patient = use_patient_param();
    let session = crate::session::use_session();
    let loading = move || matches!(session.get(), crate::session::SessionState::Loading);
    move || match patient.get() {
        Some(p) => view! { <div class:hidden=loading>{page(p)}</div> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

/// The patient of the route (`:p`), tracked: a page keyed on it is built anew
/// when only the parameter changes.
pub fn use_patient_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("p").and_then(|p| p.parse::<i64>().ok()))
}

/// The patient and questionnaire of the route (`:p`, `:q`), tracked.
pub fn use_check_in_params() -> Memo<Option<(i64, QuestionnaireId)>> {
    let params = use_params_map();
    Memo::new(move |_| {
        let read = params.read();
        let patient = read.get("p").and_then(|p| p.parse::<i64>().ok())?;
        let questionnaire = read.get("q").and_then(|q| QuestionnaireId::parse(&q))?;
        Some((patient, questionnaire))
    })
}
