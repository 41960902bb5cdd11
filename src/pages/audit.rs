use leptos::prelude::*;
use tend_model::AuditEntry;

use crate::api;
use crate::components::{ErrorNotice, PatientNav};
use crate::format::date_time;
use crate::i18n::{use_lang, use_texts};
use crate::pages::patient_page;
use crate::session::{may_see_check_ins, use_session};

/// "Who looked at my record": every read or change by someone else.
#[component]
pub fn AuditPage() -> impl IntoView {
    patient_page(|p| view! { <Audit patient_id=p /> })
}

#[component]
fn Audit(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let entries = LocalResource::new(move || api::audit(patient_id));
    let entry = move |e: AuditEntry| {
        let (who, role, changed, part, preview, at) = (e.who, e.role, e.changed, e.part, e.preview, e.at);
        let refused = e.refused;
        view! {
            <li class="card audit-entry">
                <p>
                    <strong>{who.clone()}</strong>
                    {move || format!(" ({}) ", (t().role_word)(role))}
                    {move || {
                        if refused {
                            (t().audit_refused)((t().record_part)(part))
                        } else {
                            (t().audit_action)(changed, (t().record_part)(part))
                        }
                    }}
                    {move || preview.then(|| format!(" {}", t().audit_preview))}
                </p>
                <p class="hint">{move || date_time(at, lang.get())}</p>
            </li>
        }
    };
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().audit_title}</h1>
            <p class="lead">{move || t().audit_intro}</p>
            {move || match entries.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p>{move || t().audit_none}</p> }.into_any(),
                Some(Ok(list)) => {
                    view! { <ul class="plan-list">{list.into_iter().map(entry).collect_view()}</ul> }.into_any()
                }
            }}
        </div>
    }
}
