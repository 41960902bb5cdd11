use leptos::prelude::*;
use leptos_router::components::{Redirect, A};

use crate::i18n::use_texts;
use crate::session::{use_session, SessionState};

/// Caregivers and care managers: the people whose records they may open.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let session = use_session();
    let t = use_texts();
    move || match session.get() {
        SessionState::Loading => view! { <p class="loading">{t().loading}</p> }.into_any(),
        SessionState::LoggedOut => view! { <Redirect path="/login" /> }.into_any(),
        SessionState::LoggedIn(view) => {
            let people = view.patients.clone();
            let empty = people.is_empty();
            view! {
                <div class="page">
                    <h1>{move || t().people_title}</h1>
                    <p>{move || if empty { t().people_none } else { t().people_intro }}</p>
                    <ul class="people">
                        {people
                            .into_iter()
                            .map(|person| {
                                let name = person.name.clone();
                                view! {
                                    <li>
                                        <A href=format!("/patients/{}/today", person.id)>
                                            {move || (t().open_today)(&name)}
                                        </A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
            .into_any()
        }
    }
}
