use crate::router::{Redirect, A};
use leptos::prelude::*;
use tend_model::{Relation, Scope};

use crate::api;
use crate::components::MissedMedicines;
use crate::format::short_date;
use crate::i18n::{use_lang, use_texts};
use crate::pages::invite::CodeForm;
use crate::session::{person_home, use_session, SessionState};

/// Caregivers and care managers: the people whose records they may open,
/// with what each shares and until when; caregivers can open an invitation.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let session = use_session();
    let t = use_texts();
    let lang = use_lang();
    move || match session.get() {
        SessionState::Loading => view! { <p class="loading">{t().loading}</p> }.into_any(),
        SessionState::LoggedOut => view! { <Redirect path="/login" /> }.into_any(),
        SessionState::LoggedIn(view) => {
            let people = view.patients.clone();
            let empty = people.is_empty();
            let caregiver = view.account.role == tend_model::Role::Caregiver;
            view! {
                <div class="page">
                    <h1>{move || t().people_title}</h1>
                    <p>{move || if empty { t().people_none } else { t().people_intro }}</p>
                    <ul class="people">
                        {people
                            .into_iter()
                            .map(|person| {
                                let name = StoredValue::new(person.name.clone());
                                let home = person_home(&person);
                                let shared: Vec<Scope> = if person.relation == Relation::Caregiver {
                                    person.scopes.clone()
                                } else {
                                    Vec::new()
                                };
                                // The last day where the patient lives, as they chose it.
                                let until = person.last_day;
                                view! {
                                    <li class="card person">
                                        <h2>{move || name.get_value()}</h2>
                                        {(!shared.is_empty())
                                            .then(|| {
                                                view! {
                                                    <ul class="shared-list">
                                                        {shared
                                                            .iter()
                                                            .map(|s| {
                                                                let s = *s;
                                                                view! { <li>{move || (t().scope_shared)(s)}</li> }
                                                            })
                                                            .collect_view()}
                                                    </ul>
                                                }
                                            })}
                                        {until
                                            .map(|d| {
                                                view! {
                                                    <p class="hint">{move || (t().shared_until)(&short_date(d, lang.get()))}</p>
                                                }
                                            })}
                                        {(person.relation == Relation::Caregiver
                                            && person.scopes.contains(&Scope::Reminders))
                                            .then(|| view! { <PersonAlerts patient_id=person.id level=3 /> })}
                                        <A href=home attr:class="button primary">
                                            {move || (t().open_person)(&name.get_value())}
                                        </A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {caregiver.then(|| view! { <CodeForm /> })}
                </div>
            }
            .into_any()
        }
    }
}

/// The alerts of one person: fetched here, shown when there are any.
#[component]
pub fn PersonAlerts(patient_id: i64, level: u8) -> impl IntoView {
    let alerts = LocalResource::new(move || api::alerts(patient_id));
    move || {
        alerts.get().and_then(Result::ok).map(|a| {
            view! { <MissedMedicines missed=a.missed_medicines heading_id=format!("alerts-{patient_id}") level=level /> }
        })
    }
}
