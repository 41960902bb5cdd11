use crate::router::A;
use leptos::prelude::*;

use crate::i18n::{use_set_lang, use_texts};

/// The bar on every screen: name, language switch and, when logged in,
/// settings and log out; for care managers, their panel. The actions show
/// once the session is `known`, all at once, so none moves another.
#[component]
pub fn TopBar(
    #[prop(into)] known: Signal<bool>,
    #[prop(into)] logged_in: Signal<bool>,
    /// Shows the way back to the panel.
    #[prop(into)]
    is_care_manager: Signal<bool>,
    on_log_out: Callback<()>,
) -> impl IntoView {
    let t = use_texts();
    let set_lang = use_set_lang();
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                {move || t().app_name}
            </A>
            <nav class="topbar-actions" class:hidden=move || !known.get() aria-label=move || t().main_nav>
                <button
                    type="button"
                    class="button link"
                    lang=move || t().other_language.tag()
                    on:click=move |_| {
                        if let Some(set) = set_lang {
                            set.set(t().other_language);
                        }
                    }
                >
                    {move || t().switch_to_other_language}
                </button>
                <Show when=move || is_care_manager.get()>
                    <A href="/panel" attr:class="button link">
                        {move || t().nav_panel}
                    </A>
                </Show>
                <Show when=move || logged_in.get()>
                    <A href="/settings" attr:class="button link">
                        {move || t().nav_settings}
                    </A>
                    <button type="button" class="button link" on:click=move |_| on_log_out.run(())>
                        {move || t().log_out}
                    </button>
                </Show>
            </nav>
        </header>
    }
}
