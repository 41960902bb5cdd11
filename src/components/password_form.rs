use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::session::PASSWORD_CHARS;
use tend_model::PasswordChange;

use crate::api::{self, ApiError};
use crate::i18n::{use_texts, Texts};

/// Change one's own password. What was typed stays when something is wrong;
/// the message says which field and why.
#[component]
pub fn PasswordForm() -> impl IntoView {
    let t = use_texts();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    // (field, message) of what is wrong.
    let error = RwSignal::new(None::<(&'static str, &'static str)>);
    let saving = RwSignal::new(false);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let change = PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        if change.current_password.is_empty() {
            error.set(Some(("current", t().err_password_current_empty)));
            return;
        }
        if change.new_password.chars().count() < PASSWORD_CHARS.0 {
            error.set(Some(("new", t().err_password_short)));
            return;
        }
        if change.new_password != repeat.get_untracked() {
            error.set(Some(("repeat", t().err_password_repeat)));
            return;
        }
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            let result = api::change_password(&change).await;
            saving.try_set(false);
            match result {
                Ok(()) => {
                    for field in [current, new, repeat] {
                        field.try_set(String::new());
                    }
                    done.try_set(true);
                }
                Err(e) => {
                    error.try_set(Some(password_error(&e, t())));
                }
            }
        });
    };
    let invalid =
        move |field: &'static str| move || error.get().is_some_and(|(f, _)| f == field).then_some("true");
    let field = move |id: &'static str,
                      label: fn(&Texts) -> &'static str,
                      value: RwSignal<String>,
                      autocomplete: &'static str| {
        view! {
            <div class="field">
                <label for=format!("password-{id}")>{move || label(t())}</label>
                <input
                    id=format!("password-{id}")
                    type="password"
                    autocomplete=autocomplete
                    aria-invalid=invalid(id)
                    aria-describedby="password-error"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
        }
    };
    view! {
        <section class="card settings-section" aria-labelledby="password-heading">
            <h2 id="password-heading">{move || t().password_title}</h2>
            <p class="hint">{move || t().password_hint}</p>
            <form class="password-form" on:submit=submit novalidate>
                {field("current", |t| t.password_current, current, "current-password")}
                {field("new", |t| t.password_new, new, "new-password")}
                {field("repeat", |t| t.password_repeat, repeat, "new-password")}
                <p id="password-error" class="form-error" role="alert">{move || error.get().map(|(_, m)| m)}</p>
                <p class="form-ok" role="status">{move || done.get().then(|| t().password_changed)}</p>
                <button type="submit" class="button primary" disabled=move || saving.get()>
                    {move || t().password_save}
                </button>
            </form>
        </section>
    }
}

/// Which field a refusal is about, and what to tell the person.
fn password_error(error: &ApiError, t: &'static Texts) -> (&'static str, &'static str) {
    let ApiError::Problem(problem) = error else {
        return ("", error.message(t));
    };
    match problem
        .errors
        .first()
        .map(|e| (e.field.as_str(), e.code.as_str()))
    {
        Some(("current_password", _)) => ("current", t.err_password_wrong),
        Some((_, "too_short")) => ("new", t.err_password_short),
        Some((_, "too_long")) => ("new", t.err_password_long),
        Some((_, "unchanged")) => ("new", t.err_password_unchanged),
        Some((_, "has_username")) => ("new", t.err_password_username),
        _ => ("", error.message(t)),
    }
}
