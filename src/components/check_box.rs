use leptos::prelude::*;

/// A checkbox with its label (the children) as one 44 px tap target.
#[component]
pub fn CheckBox(
    id: String,
    checked: Signal<bool>,
    on_toggle: Callback<bool>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=move || checked.get()
                on:change=move |ev| on_toggle.run(event_target_checked(&ev))
            />
            <label for=id>{children()}</label>
        </div>
    }
}
