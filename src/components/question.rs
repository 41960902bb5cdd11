use leptos::prelude::*;
use tend_model::questionnaire::Item;
use tend_model::LocalizedText;

use crate::i18n::{use_lang, use_texts};

/// One question as a radio group: a fieldset whose legend is the question,
/// one labelled radio per answer. Arrow keys move between answers.
#[component]
pub fn Question(
    item: Item,
    /// The stem every item answers ("Over the last 2 weeks…").
    stem: LocalizedText,
    #[prop(into)] selected: Signal<Option<u8>>,
    /// Whether to say that an answer is needed.
    #[prop(into)]
    missing: Signal<bool>,
    on_select: Callback<u8>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let error_id = format!("{}-error", item.key);
    let key = item.key.clone();
    let text = item.text.clone();
    let required = item.required;
    let options = item
        .options
        .into_iter()
        .map(|option| {
            let id = format!("{key}-{}", option.value);
            let value = option.value;
            let label = option.label;
            let name = key.clone();
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name=name
                        value=value.to_string()
                        prop:checked=move || selected.get() == Some(value)
                        on:change=move |_| on_select.run(value)
                    />
                    <label for=id>{move || label.get(lang.get()).to_owned()}</label>
                </div>
            }
        })
        .collect_view();
    let described_by = error_id.clone();
    view! {
        <fieldset
            class="question"
            aria-describedby=move || missing.get().then(|| described_by.clone())
        >
            <legend>
                <span class="question-stem">{move || stem.get(lang.get()).to_owned()}</span>
                <span class="question-text">{move || text.get(lang.get()).to_owned()}</span>
            </legend>
            <Show when=move || !required>
                <p class="hint">{move || t().optional_question}</p>
            </Show>
            {options}
            <p id=error_id class="form-error" role="alert">
                {move || missing.get().then(|| t().choose_an_answer)}
            </p>
        </fieldset>
    }
}
