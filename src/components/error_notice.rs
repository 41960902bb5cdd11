use leptos::prelude::*;
use leptos_router::components::A;
use tend_model::problem::types;

use crate::api::ApiError;
use crate::i18n::use_texts;

/// What went wrong, in the person's language, announced at once. A part of
/// a record that is not shared says just that, with the way back.
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let t = use_texts();
    let not_shared = matches!(&error, ApiError::Problem(p) if p.kind == types::FORBIDDEN);
    if not_shared {
        return view! {
            <div class="notice not-shared" role="status">
                <p>{move || t().not_shared_here}</p>
                <A href="/people" attr:class="button secondary">{move || t().people_title}</A>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="notice error" role="alert">
            <p>{move || error.message(t())}</p>
        </div>
    }
    .into_any()
}
