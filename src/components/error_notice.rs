use crate::router::use_params_map;
use crate::router::A;
use leptos::prelude::*;
use tend_model::problem::types;
use tend_model::{Relation, Role};

use crate::api::ApiError;
use crate::i18n::use_texts;
use crate::session::use_session;

/// What went wrong, in the person's language, announced at once. A part of
/// a record that is not shared says just that, with the way back; so does a
/// caregiver's record that is shared no more (the server hides it: 404).
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let t = use_texts();
    let session = use_session();
    let not_shared = matches!(&error, ApiError::Problem(p) if p.kind == types::FORBIDDEN);
    let hidden = matches!(&error, ApiError::Problem(p) if p.kind == types::NOT_FOUND);
    // The person of the page's address.
    let patient = use_params_map().with_untracked(|p| p.get("p").and_then(|p| p.parse::<i64>().ok()));
    // Tracked: the answer may come before the session does.
    let no_longer_shared = move || {
        session.with(|s| {
            let view = s.view()?;
            if !hidden || view.account.role != Role::Caregiver {
                return None;
            }
            let link = view.patients.iter().find(|l| Some(l.id) == patient);
            Some(
                link.filter(|l| l.relation == Relation::Caregiver)
                    .map(|l| l.name.clone()),
            )
        })
    };
    let error = StoredValue::new(error);
    move || {
        let ended = no_longer_shared();
        if !not_shared && ended.is_none() {
            return view! {
                <div class="notice error" role="alert">
                    <p>{move || error.with_value(|e| e.message(t()))}</p>
                </div>
            }
            .into_any();
        }
        let message = move || match &ended {
            // Known on this device as shared: it was, and is no more.
            Some(Some(name)) => (t().sharing_has_ended)(name),
            Some(None) => t().not_shared_with_you.to_owned(),
            None => t().not_shared_here.to_owned(),
        };
        view! {
            <div class="notice not-shared" role="status">
                <p>{message}</p>
                <A href="/people" attr:class="button secondary">{move || t().people_title}</A>
            </div>
        }
        .into_any()
    }
}
