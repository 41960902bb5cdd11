use crate::router::Redirect;
use crate::router::{use_navigate, use_query_map};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::i18n::use_texts;
use crate::session::{use_session, use_session_ended, use_set_session, SessionState};

/// What went wrong with the last try, kept as a cause so the message follows the language.
#[derive(Clone, PartialEq)]
enum LoginProblem {
    Empty,
    Refused(ApiError),
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    let session = use_session();
    let set_session = use_set_session();
    let navigate = use_navigate();
    // What was typed into index.html's painted login page goes on here.
    let typed = crate::shell::take_typed();
    let username = RwSignal::new(typed.username);
    let password = RwSignal::new(typed.password);
    let username_field = NodeRef::<leptos::html::Input>::new();
    let password_field = NodeRef::<leptos::html::Input>::new();
    if let Some((field, caret)) = typed.focused {
        Effect::new(move |_| {
            let input = match field {
                crate::shell::Field::Username => username_field.get(),
                crate::shell::Field::Password => password_field.get(),
            };
            if let Some(input) = input {
                let _ = input.focus();
                let _ = input.set_selection_range(caret, caret);
            }
        });
    }
    let problem = RwSignal::new(None::<LoginProblem>);
    let pending = RwSignal::new(false);
    // Sent here because the session ended by itself: said until someone logs in.
    let ended = use_session_ended();
    // Back to an invitation after logging in; only to one of Tend's own invitation pages.
    let query = use_query_map();
    let next = Memo::new(move |_| {
        query
            .read()
            .get("next")
            .filter(|n| n.starts_with("/invite/") && !n.contains("//"))
            .unwrap_or_else(|| "/".to_owned())
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (user, pass) = (username.get_untracked(), password.get_untracked());
        if user.trim().is_empty() || pass.is_empty() {
            problem.set(Some(LoginProblem::Empty));
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::log_in(user.trim(), &pass).await;
            pending.try_set(false);
            match result {
                Ok(view) => {
                    problem.try_set(None);
                    ended.set(false);
                    set_session.set(SessionState::LoggedIn(view));
                    navigate(&next.get_untracked(), Default::default());
                }
                Err(error) => {
                    // The username stays as typed; the password is asked for again.
                    password.try_set(String::new());
                    problem.try_set(Some(LoginProblem::Refused(error)));
                }
            }
        });
    };
    let message = move || {
        problem.get().map(|p| match p {
            LoginProblem::Empty => t().fill_both,
            LoginProblem::Refused(error) => error.message(t()),
        })
    };
    let invalid = move || problem.get().is_some().then_some("true");
    // Most who log in are patients, who land on Today: its code arrives while
    // they type, after the page itself has painted.
    set_timeout(crate::chunks::preload_today, std::time::Duration::from_secs(2));

    view! {
        <Show when=move || matches!(session.get(), SessionState::LoggedIn(_))>
            <Redirect path=next.get_untracked() />
        </Show>
        <div class="page login">
            <h1>{move || t().login_title}</h1>
            <p class="lead">{move || t().login_intro}</p>
            <Show when=move || ended.get()>
                <div class="notice session-ended" role="status">
                    <p>{move || t().session_ended_notice}</p>
                </div>
            </Show>
            <form class="card form" on:submit=on_submit novalidate>
                <p id="login-error" class="form-error" role="alert">
                    {message}
                </p>
                <div class="field">
                    <label for="username">{move || t().username}</label>
                    <input
                        node_ref=username_field
                        id="username"
                        name="username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        aria-invalid=invalid
                        aria-describedby="login-error"
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="password">{move || t().password}</label>
                    <input
                        node_ref=password_field
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=invalid
                        aria-describedby="login-error"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                <button type="submit" class="button primary wide" disabled=move || pending.get()>
                    {move || if pending.get() { t().logging_in } else { t().log_in }}
                </button>
            </form>
        </div>
    }
}
