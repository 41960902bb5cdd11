use leptos::prelude::*;

use crate::api;
use crate::components::{CareTeamMemberCard, ErrorNotice, PatientNav};
use crate::i18n::use_texts;
use crate::pages::patient_page;
use crate::session::{may_see_check_ins, use_session};

/// Who is who on the care team, what to call them for, hours, tap to call.
#[component]
pub fn CareTeamPage() -> impl IntoView {
    patient_page(|p| view! { <CareTeam patient_id=p /> })
}

#[component]
fn CareTeam(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let session = use_session();
    let team = LocalResource::new(move || api::care_team(patient_id));
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().care_team_title}</h1>
            <p class="lead">{move || t().care_team_intro}</p>
            {move || match team.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(members)) => {
                    view! { <ul class="plan-list">{members.into_iter().map(|m| view! { <CareTeamMemberCard member=m /> }).collect_view()}</ul> }.into_any()
                }
            }}
        </div>
    }
}
