use leptos::prelude::*;

use crate::i18n::use_texts;

/// Above every page while a care manager previews the app as someone else:
/// whose eyes these are, that nothing can be changed, and the way back.
#[component]
pub fn PreviewBanner(
    /// Whose view this is, while a preview lasts.
    #[prop(into)]
    previewing: Signal<Option<String>>,
    on_end: Callback<()>,
) -> impl IntoView {
    let t = use_texts();
    move || {
        previewing.get().map(|name| {
            view! {
                <section class="preview-banner" aria-label=move || t().preview_title>
                    <p>
                        <strong>{move || (t().preview_banner)(&name)}</strong>
                    </p>
                    <button type="button" class="button primary" on:click=move |_| on_end.run(())>
                        {move || t().preview_end}
                    </button>
                </section>
            }
        })
    }
}
