use crate::router::A;
use leptos::prelude::*;

use crate::i18n::use_texts;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="page">
            <h1>{move || t().not_found_title}</h1>
            <p>
                <A href="/">{move || t().go_home}</A>
            </p>
        </div>
    }
}
