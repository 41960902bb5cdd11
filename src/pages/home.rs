use crate::router::Redirect;
use leptos::prelude::*;

use tend_model::Role;

use crate::i18n::use_texts;
use crate::session::{use_session, SessionState};

/// The start page sends each person where they belong: patients to their
/// day, care managers to their panel, caregivers to the people they care for.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let t = use_texts();
    move || match session.get() {
        SessionState::Loading => view! { <p class="loading">{t().loading}</p> }.into_any(),
        SessionState::LoggedOut => view! { <Redirect path="/login" /> }.into_any(),
        SessionState::LoggedIn(view) => match view.own_patient() {
            Some(own) => view! { <Redirect path=format!("/patients/{}/today", own.id) /> }.into_any(),
            None if view.account.role == Role::CareManager => view! { <Redirect path="/panel" /> }.into_any(),
            None => view! { <Redirect path="/people" /> }.into_any(),
        },
    }
}
