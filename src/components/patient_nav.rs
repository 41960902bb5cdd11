use crate::router::A;
use leptos::prelude::*;
use tend_model::Scope;

use crate::i18n::use_texts;
use crate::session::{scopes_for, use_session};

/// Links between the sections of one patient's record; the router marks the
/// current one with `aria-current="page"`. A section whose data is not
/// shared with the logged-in account has no link.
#[component]
pub fn PatientNav(patient_id: i64, #[prop(into)] show_check_ins: Signal<bool>) -> impl IntoView {
    let t = use_texts();
    let scopes = scopes_for(use_session(), patient_id);
    let has = move |scope: Scope| scopes.with(|s| s.contains(&scope));
    let agenda = move || has(Scope::Reminders) || has(Scope::Measurements);
    let plan = move || has(Scope::PlanGoals);
    view! {
        <nav class="section-nav" aria-label=move || t().sections_nav>
            <Show when=agenda>
                <A href=format!("/patients/{patient_id}/today")>{move || t().nav_today}</A>
            </Show>
            <Show when=plan>
                <A href=format!("/patients/{patient_id}/plan")>{move || t().nav_plan}</A>
                <A href=format!("/patients/{patient_id}/goals")>{move || t().nav_goals}</A>
            </Show>
            <Show when=move || show_check_ins.get()>
                <A href=format!("/patients/{patient_id}/check-ins")>{move || t().nav_check_ins}</A>
            </Show>
            <Show when=plan>
                <A href=format!("/patients/{patient_id}/appointments")>{move || t().nav_appointments}</A>
            </Show>
            <Show when=agenda>
                <A href=format!("/patients/{patient_id}/history")>{move || t().nav_history}</A>
            </Show>
            <Show when=plan>
                <A href=format!("/patients/{patient_id}/care-team")>{move || t().nav_care_team}</A>
            </Show>
        </nav>
    }
}
