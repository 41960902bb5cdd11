use crate::router::A;
use crate::router::{use_navigate, use_params_map};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::invite::normalize_invite_code;
use tend_model::problem::types;
use tend_model::{InviteAccepted, InvitePreview, InviteSignUp, Role};

use crate::api::{self, ApiError};
use crate::components::ErrorNotice;
use crate::format::short_date;
use crate::i18n::{use_lang, use_texts, Texts};
use crate::session::{person_home, use_session, use_set_session, SessionState};

/// `/invite/:code`: what an invitation offers, and accepting it with the
/// account logged in, or with a new one made here.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    move || {
        let code = code.get();
        view! { <Invite code=code /> }
    }
}

#[component]
fn Invite(code: String) -> impl IntoView {
    let t = use_texts();
    let typed = code.clone();
    let preview = LocalResource::new(move || {
        let code = typed.clone();
        async move { api::lookup_invite(&code).await }
    });
    let code = StoredValue::new(code);
    view! {
        <div class="page invite">
            <h1>{move || t().invite_page_title}</h1>
            {move || match preview.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(ApiError::Problem(p))) if p.kind == types::NOT_FOUND => {
                    view! {
                        <div class="notice error" role="alert">
                            <p>{move || t().invite_gone}</p>
                        </div>
                        <CodeForm />
                    }
                        .into_any()
                }
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(offer)) => view! { <Offer code=code.get_value() offer=offer /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Offer(code: String, offer: InvitePreview) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let name = StoredValue::new(offer.patient_name.clone());
    let scopes = offer.scopes.clone();
    let until = offer.until;
    let by = (offer.expires_at - chrono::TimeDelta::seconds(1)).date_naive();
    let code = StoredValue::new(code);
    view! {
        <section class="card invite-offer" aria-labelledby="offer-heading">
            <h2 id="offer-heading">{move || (t().invite_from)(&name.get_value())}</h2>
            <ul class="shared-list">
                {scopes
                    .into_iter()
                    .map(|s| view! { <li>{move || (t().scope_shared)(s)}</li> })
                    .collect_view()}
            </ul>
            <p>{move || (t().invite_shares_until)(&short_date(until, lang.get()))}</p>
            <p class="hint">{move || (t().invite_accept_by)(&short_date(by, lang.get()))}</p>
        </section>
        {move || match session.get() {
            SessionState::Loading => view! { <p class="loading">{t().loading}</p> }.into_any(),
            SessionState::LoggedIn(view) if view.account.role == Role::Caregiver => {
                view! { <AcceptButton code=code.get_value() name=name.get_value() /> }.into_any()
            }
            SessionState::LoggedIn(_) => {
                view! {
                    <div class="notice" role="status">
                        <p>{move || t().invite_not_caregiver}</p>
                    </div>
                }
                    .into_any()
            }
            SessionState::LoggedOut => {
                let next = format!("/login?next=/invite/{}", code.get_value());
                view! {
                    <SignUpForm code=code.get_value() />
                    <section class="card" aria-labelledby="have-account">
                        <h2 id="have-account">{move || t().invite_have_account}</h2>
                        <A href=next attr:class="button secondary">{move || t().invite_log_in_first}</A>
                    </section>
                }
                    .into_any()
            }
        }}
    }
}

/// Where the new session goes after accepting: the person's first page.
fn accepted(result: InviteAccepted) -> (SessionState, String) {
    let home = result
        .session
        .patients
        .iter()
        .find(|p| p.id == result.patient_id)
        .map(person_home)
        .unwrap_or_else(|| "/people".to_owned());
    (SessionState::LoggedIn(result.session), home)
}

#[component]
fn AcceptButton(code: String, name: String) -> impl IntoView {
    let t = use_texts();
    let set_session = use_set_session();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    // One key for this page's acceptance, so a second tap replays the first.
    let key = StoredValue::new(api::new_idempotency_key());
    let code = StoredValue::new(code);
    let name = StoredValue::new(name);
    let accept = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::accept_invite(&code.get_value(), &key.get_value()).await {
                Ok(result) => {
                    let (state, home) = accepted(result);
                    set_session.set(state);
                    navigate(&home, Default::default());
                }
                Err(e) => {
                    pending.try_set(false);
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <p class="form-error" role="alert">{move || error.get().map(|e| e.message(t()))}</p>
        <button type="button" class="button primary wide" on:click=accept disabled=move || pending.get()>
            {move || (t().invite_accept)(&name.get_value())}
        </button>
    }
}

/// Which field is wrong and the text saying why (looked up in the language
/// of the moment), for the first problem of a new account's fields.
type FieldProblem = (&'static str, fn(&'static Texts) -> &'static str);

fn sign_up_problem(request: &InviteSignUp, repeat: &str) -> Option<FieldProblem> {
    if let Some(e) = request.check().into_iter().next() {
        let problem: FieldProblem = match (e.field.as_str(), e.code.as_str()) {
            ("name", _) => ("new-name", |t| t.err_name_missing),
            ("username", _) => ("new-username", |t| t.err_username),
            ("password", "too_long") => ("new-password", |t| t.err_password_long),
            ("password", "has_username") => ("new-password", |t| t.err_password_username),
            _ => ("new-password", |t| t.err_password_short),
        };
        return Some(problem);
    }
    (request.password != repeat).then_some(("new-repeat", |t| t.err_password_repeat))
}

#[component]
fn SignUpForm(code: String) -> impl IntoView {
    let t = use_texts();
    let set_session = use_set_session();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<FieldProblem>);
    let refused = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let code = StoredValue::new(code);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        refused.set(None);
        let request = InviteSignUp {
            code: code.get_value(),
            name: name.get_untracked(),
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        if let Some(found) = sign_up_problem(&request, &repeat.get_untracked()) {
            problem.set(Some(found));
            return;
        }
        problem.set(None);
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::sign_up_with_invite(&request).await {
                Ok(result) => {
                    let (state, home) = accepted(result);
                    set_session.set(state);
                    navigate(&home, Default::default());
                }
                Err(e) => {
                    pending.try_set(false);
                    let taken = matches!(&e, ApiError::Problem(p) if p.errors.first().is_some_and(|f| f.code == "taken"));
                    if taken {
                        problem.try_set(Some(("new-username", |t| t.err_username_taken)));
                    } else {
                        refused.try_set(Some(e));
                    }
                }
            }
        });
    };
    let message = move || {
        problem
            .get()
            .map(|(_, m)| m(t()))
            .or_else(|| refused.get().map(|e| e.message(t())))
    };
    let invalid =
        move |field: &'static str| move || problem.get().is_some_and(|(f, _)| f == field).then_some("true");
    view! {
        <section class="card" aria-labelledby="sign-up-heading">
            <h2 id="sign-up-heading">{move || t().invite_sign_up_heading}</h2>
            <p>{move || t().invite_sign_up_intro}</p>
            <form class="form" on:submit=submit novalidate>
                <p id="sign-up-error" class="form-error" role="alert">{message}</p>
                <div class="field">
                    <label for="new-name">{move || t().invite_your_name}</label>
                    <input
                        id="new-name"
                        type="text"
                        autocomplete="name"
                        aria-invalid=invalid("new-name")
                        aria-describedby="sign-up-error"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="new-username">{move || t().username}</label>
                    <input
                        id="new-username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        aria-invalid=invalid("new-username")
                        aria-describedby="sign-up-error username-hint"
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                    <p id="username-hint" class="hint">{move || t().invite_username_hint}</p>
                </div>
                <div class="field">
                    <label for="new-password">{move || t().password}</label>
                    <input
                        id="new-password"
                        type="password"
                        autocomplete="new-password"
                        aria-invalid=invalid("new-password")
                        aria-describedby="sign-up-error password-hint"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                    <p id="password-hint" class="hint">{move || t().invite_password_hint}</p>
                </div>
                <div class="field">
                    <label for="new-repeat">{move || t().password_repeat}</label>
                    <input
                        id="new-repeat"
                        type="password"
                        autocomplete="new-password"
                        aria-invalid=invalid("new-repeat")
                        aria-describedby="sign-up-error"
                        prop:value=move || repeat.get()
                        on:input=move |ev| repeat.set(event_target_value(&ev))
                    />
                </div>
                <button type="submit" class="button primary wide" disabled=move || pending.get()>
                    {move || t().invite_sign_up}
                </button>
            </form>
        </section>
    }
}

/// A field for a code read out or written down; opens its invitation page.
#[component]
pub fn CodeForm() -> impl IntoView {
    let t = use_texts();
    let navigate = use_navigate();
    let typed = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match normalize_invite_code(&typed.get_untracked()) {
            Some(code) => {
                wrong.set(false);
                let shown = tend_model::invite::display_invite_code(&code);
                navigate(&format!("/invite/{shown}"), Default::default());
            }
            None => wrong.set(true),
        }
    };
    view! {
        <section class="card" aria-labelledby="code-heading">
            <h2 id="code-heading">{move || t().invite_code_heading}</h2>
            <form class="form" on:submit=submit novalidate>
                <p id="code-error" class="form-error" role="alert">
                    {move || wrong.get().then(|| t().err_invite_code)}
                </p>
                <div class="field">
                    <label for="invite-code">{move || t().invite_code_label}</label>
                    <input
                        id="invite-code"
                        type="text"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        aria-invalid=move || wrong.get().then_some("true")
                        aria-describedby="code-error"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                </div>
                <button type="submit" class="button secondary">{move || t().invite_code_open}</button>
            </form>
        </section>
    }
}
