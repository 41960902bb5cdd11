use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_texts;

/// Links between the sections of one patient's record; the router marks the
/// current one with `aria-current="page"`.
#[component]
pub fn PatientNav(patient_id: i64, #[prop(into)] show_check_ins: Signal<bool>) -> impl IntoView {
    let t = use_texts();
    view! {
        <nav class="section-nav" aria-label=move || t().sections_nav>
            <A href=format!("/patients/{patient_id}/today")>{move || t().nav_today}</A>
            <A href=format!("/patients/{patient_id}/plan")>{move || t().nav_plan}</A>
            <A href=format!("/patients/{patient_id}/goals")>{move || t().nav_goals}</A>
            <Show when=move || show_check_ins.get()>
                <A href=format!("/patients/{patient_id}/check-ins")>{move || t().nav_check_ins}</A>
            </Show>
            <A href=format!("/patients/{patient_id}/appointments")>{move || t().nav_appointments}</A>
            <A href=format!("/patients/{patient_id}/history")>{move || t().nav_history}</A>
            <A href=format!("/patients/{patient_id}/care-team")>{move || t().nav_care_team}</A>
        </nav>
    }
}
