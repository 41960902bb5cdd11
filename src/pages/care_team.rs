use leptos::prelude::*;
use tend_model::CareTeamMember;

use crate::api;
use crate::components::{ErrorNotice, PatientNav};
use crate::i18n::{use_lang, use_texts};
use crate::pages::not_found::NotFoundPage;
use crate::pages::use_patient_param;
use crate::session::{may_see_check_ins, use_session};

/// Who is who on the care team, what to call them for, hours, tap to call.
#[component]
pub fn CareTeamPage() -> impl IntoView {
    let patient = use_patient_param();
    move || match patient.get() {
        Some(p) => view! { <CareTeam patient_id=p /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

#[component]
fn CareTeam(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let team = LocalResource::new(move || api::care_team(patient_id));
    let member = move |m: CareTeamMember| {
        let href = format!("tel:{}", m.phone);
        let (name, phone) = (m.name.clone(), m.phone.clone());
        view! {
            <li class="card member">
                <h2>{m.name.clone()}</h2>
                <p class="hint">{move || m.role.get(lang.get()).to_owned()}</p>
                <p>{move || (t().call_for)(m.call_for.get(lang.get()))}</p>
                <p>{move || (t().hours)(m.hours.get(lang.get()))}</p>
                <a class="button primary" href=href>
                    {move || (t().call_name)(&name, &phone)}
                </a>
            </li>
        }
    };
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().care_team_title}</h1>
            <p class="lead">{move || t().care_team_intro}</p>
            {move || match team.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(members)) => {
                    view! { <ul class="plan-list">{members.into_iter().map(member).collect_view()}</ul> }.into_any()
                }
            }}
        </div>
    }
}
