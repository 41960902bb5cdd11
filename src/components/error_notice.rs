use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::use_texts;

/// What went wrong, in the person's language, announced at once.
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="notice error" role="alert">
            <p>{move || error.message(t())}</p>
        </div>
    }
}
