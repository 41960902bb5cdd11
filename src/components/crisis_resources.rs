use leptos::prelude::*;

use crate::i18n::use_texts;

/// Crisis resources with working links: call or text 988, call 911. Shown
/// before anything else when a check-in says someone may hurt themselves.
#[component]
pub fn CrisisResources(
    /// Whether the care team has been told yet (the check-in reached the server).
    #[prop(into)]
    team_told: Signal<bool>,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <section class="crisis" role="alert" aria-labelledby="crisis-title">
            <h2 id="crisis-title">{move || t().crisis_title}</h2>
            <p>{move || t().crisis_intro}</p>
            <div class="crisis-actions">
                <a class="button primary" href="tel:988">
                    {move || t().crisis_call_988}
                </a>
                <a class="button secondary" href="sms:988">
                    {move || t().crisis_text_988}
                </a>
                <a class="button danger" href="tel:911">
                    {move || t().crisis_call_911}
                </a>
            </div>
            <p>{move || t().crisis_spanish_line}</p>
            <Show when=move || team_told.get()>
                <p>{move || t().crisis_team_told}</p>
            </Show>
        </section>
    }
}
