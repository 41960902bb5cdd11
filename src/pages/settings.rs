use leptos::prelude::*;

use crate::components::PasswordForm;
use crate::router::Redirect;
use crate::router::A;
use leptos::task::spawn_local;
use tend_model::reminder::hh_mm;
use tend_model::{CalendarFeedView, QuietHours};

use crate::api::{self, ApiError};
use crate::format::{date_time, time_of_day};
use crate::i18n::{use_lang, use_texts};
use crate::reminders::{permission, request_permission, use_device_reminders, Permission};
use crate::session::{use_session, SessionState};

/// The patient's reminders outside the app: a calendar link for the phone's
/// calendar, and notifications on this device while Tend is open.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let t = use_texts();
    move || match session.get() {
        SessionState::Loading => view! { <p class="loading">{t().loading}</p> }.into_any(),
        SessionState::LoggedOut => view! { <Redirect path="/login" /> }.into_any(),
        SessionState::LoggedIn(view) => {
            let own = view.own_patient().map(|p| p.id);
            view! {
                <div class="page settings">
                    <h1>{move || t().settings_title}</h1>
                    {match own {
                        Some(patient_id) => {
                            view! {
                                <CalendarLink patient_id=patient_id />
                                <DeviceReminders />
                                <section class="card settings-section" aria-labelledby="privacy-heading">
                                    <h2 id="privacy-heading">{move || t().privacy_title}</h2>
                                    <p>{move || t().privacy_intro}</p>
                                    <div class="settings-actions">
                                        <A href=format!("/patients/{patient_id}/sharing") attr:class="button secondary">
                                            {move || t().sharing_title}
                                        </A>
                                        <A href=format!("/patients/{patient_id}/who-looked") attr:class="button secondary">
                                            {move || t().audit_title}
                                        </A>
                                    </div>
                                </section>
                            }
                                .into_any()
                        }
                        None => view! { <p>{move || t().settings_patient_only}</p> }.into_any(),
                    }}
                    <PasswordForm />
                </div>
            }
            .into_any()
        }
    }
}

/// What the calendar section shows.
#[derive(Clone, Debug, PartialEq)]
enum LinkState {
    Loading,
    Failed(ApiError),
    Ready(CalendarFeedView),
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

#[component]
fn CalendarLink(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let state = RwSignal::new(LinkState::Loading);
    let working = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let copied = RwSignal::new(None::<bool>);
    let action_error = RwSignal::new(None::<ApiError>);
    spawn_local(async move {
        let loaded = api::calendar_feed(patient_id).await;
        state.try_set(match loaded {
            Ok(view) => LinkState::Ready(view),
            Err(e) => LinkState::Failed(e),
        });
    });

    let make = move |_| {
        working.set(true);
        copied.set(None);
        action_error.set(None);
        spawn_local(async move {
            match api::new_calendar_feed(patient_id).await {
                Ok(view) => {
                    state.try_set(LinkState::Ready(view));
                }
                Err(e) => {
                    action_error.try_set(Some(e));
                }
            }
            working.try_set(false);
        });
    };
    let revoke = move |_| {
        working.set(true);
        action_error.set(None);
        spawn_local(async move {
            match api::revoke_calendar_feed(patient_id).await {
                Ok(()) => {
                    state.try_set(LinkState::Ready(CalendarFeedView::default()));
                    confirming.try_set(false);
                }
                Err(e) => {
                    action_error.try_set(Some(e));
                }
            }
            working.try_set(false);
        });
    };
    let link = move || {
        state.with(|s| match s {
            LinkState::Ready(view) => view.path.as_ref().map(|p| format!("{}{p}", origin())),
            _ => None,
        })
    };
    let copy = move |_| {
        let Some(url) = link() else { return };
        spawn_local(async move {
            let written = match web_sys::window() {
                Some(w) => wasm_bindgen_futures::JsFuture::from(w.navigator().clipboard().write_text(&url))
                    .await
                    .is_ok(),
                None => false,
            };
            copied.try_set(Some(written));
        });
    };
    let active = move || state.with(|s| matches!(s, LinkState::Ready(v) if v.is_active()));
    // A new link takes the focus, so a screen reader reads it out at once.
    let link_field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(field) = link_field.get() {
            let _ = field.focus();
        }
    });

    // Texts are read once per language: the section is built again when the
    // language or the link changes, which keeps the app's wasm small.
    view! {
        <section class="card settings-section" aria-labelledby="calendar-heading">
            {move || {
                let t = t();
                let body = match state.get() {
                    LinkState::Loading => view! { <p class="loading">{t.loading}</p> }.into_any(),
                    LinkState::Failed(error) => {
                        view! {
                            <div class="notice error" role="alert">
                                <p>{error.message(t)}</p>
                            </div>
                        }
                            .into_any()
                    }
                    LinkState::Ready(view) if !view.is_active() => {
                        view! {
                            <button type="button" class="button primary" disabled=move || working.get() on:click=make>
                                {t.calendar_make}
                            </button>
                        }
                            .into_any()
                    }
                    LinkState::Ready(CalendarFeedView { created_at, path: None }) => {
                        let since = created_at.map(|at| date_time(at, lang.get())).unwrap_or_default();
                        view! { <p>{(t.calendar_shown_once)(&since)}</p> }.into_any()
                    }
                    LinkState::Ready(_) => {
                        let url = link().unwrap_or_default();
                        let webcal = url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1);
                        view! {
                            <div class="field">
                                <label for="calendar-link">{t.calendar_link_label}</label>
                                <input id="calendar-link" type="text" readonly value=url node_ref=link_field />
                            </div>
                            <p class="hint">{t.calendar_private}</p>
                            <div class="settings-actions">
                                <button type="button" class="button primary" on:click=copy>
                                    {t.copy_link}
                                </button>
                                <a class="button secondary" href=webcal>
                                    {t.calendar_open_phone}
                                </a>
                            </div>
                            <p role="status" class="hint">
                                {move || copied.get().map(|ok| if ok { t.copied } else { t.copy_failed })}
                            </p>
                            <h3>{t.iphone}</h3>
                            <p>{t.calendar_iphone}</p>
                            <h3>{t.android}</h3>
                            <p>{t.calendar_android}</p>
                        }
                            .into_any()
                    }
                };
                let manage = active()
                    .then(|| {
                        view! {
                            <div class="settings-actions">
                                <button type="button" class="button secondary" disabled=move || working.get() on:click=make>
                                    {t.calendar_rotate}
                                </button>
                                <button
                                    type="button"
                                    class="button secondary"
                                    disabled=move || working.get()
                                    on:click=move |_| confirming.set(true)
                                >
                                    {t.calendar_revoke}
                                </button>
                            </div>
                            <p class="hint">{t.calendar_rotate_hint}</p>
                            {move || {
                                confirming
                                    .get()
                                    .then(|| {
                                        view! {
                                            <div class="notice confirm" role="alertdialog" aria-labelledby="revoke-question">
                                                <p id="revoke-question">{t.calendar_revoke_question}</p>
                                                <div class="settings-actions">
                                                    <button
                                                        type="button"
                                                        class="button danger"
                                                        disabled=move || working.get()
                                                        on:click=revoke
                                                    >
                                                        {t.calendar_revoke_yes}
                                                    </button>
                                                    <button
                                                        type="button"
                                                        class="button secondary"
                                                        on:click=move |_| confirming.set(false)
                                                    >
                                                        {t.cancel}
                                                    </button>
                                                </div>
                                            </div>
                                        }
                                    })
                            }}
                        }
                    });
                view! {
                    <h2 id="calendar-heading">{t.calendar_title}</h2>
                    <p>{t.calendar_intro}</p>
                    {body}
                    {manage}
                }
            }}
            {move || {
                action_error
                    .get()
                    .map(|error| {
                        view! {
                            <div class="notice error" role="alert">
                                <p>{error.message(t())}</p>
                            </div>
                        }
                    })
            }}
        </section>
    }
}

/// Notifications on this device while Tend is open, and quiet hours.
#[component]
fn DeviceReminders() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let choices = use_device_reminders();
    let allowed = RwSignal::new(permission());
    let asking = RwSignal::new(false);
    let enable = move |_| {
        asking.set(true);
        spawn_local(async move {
            let answer = request_permission().await;
            allowed.try_set(answer);
            if answer == Permission::Granted {
                choices.try_update(|c| {
                    c.enabled = true;
                    c.save();
                });
            }
            asking.try_set(false);
        });
    };
    let turn_off = move |_| {
        choices.update(|c| {
            c.enabled = false;
            c.save();
        });
    };
    let on = move || choices.with(|c| c.enabled) && allowed.get() == Permission::Granted;
    let quiet_text = move |pick: fn(&QuietHours) -> chrono::NaiveTime| {
        choices.with(|c| c.quiet.map(|q| hh_mm(pick(&q))).unwrap_or_default())
    };
    let from_input = NodeRef::<leptos::html::Input>::new();
    let to_input = NodeRef::<leptos::html::Input>::new();
    let save_quiet = move |_| {
        let (Some(from), Some(to)) = (from_input.get(), to_input.get()) else {
            return;
        };
        let quiet = match (from.value().as_str(), to.value().as_str()) {
            ("", "") => None,
            (from, to) => match QuietHours::parse(&format!("{from}-{to}")) {
                Some(q) if q.from != q.to => Some(q),
                Some(_) => None,
                // Half filled in: keep what was typed until both are there.
                None => return,
            },
        };
        choices.update(|c| {
            c.quiet = quiet;
            c.save();
        });
    };

    view! {
        <section class="card settings-section" aria-labelledby="device-heading">
            {move || {
                let t = t();
                let notice = match allowed.get() {
                    Permission::Unsupported => Some(view! { <p class="notice">{t.device_unsupported}</p> }.into_any()),
                    Permission::Denied => {
                        Some(view! { <p class="notice error" role="alert">{t.device_denied}</p> }.into_any())
                    }
                    Permission::Ask | Permission::Granted => None,
                };
                let control = if on() {
                    view! {
                        <p role="status" class="status-on">{t.device_on}</p>
                        <button type="button" class="button secondary" on:click=turn_off>
                            {t.device_turn_off}
                        </button>
                    }
                        .into_any()
                } else if allowed.get() != Permission::Unsupported {
                    view! {
                        <button type="button" class="button primary" disabled=move || asking.get() on:click=enable>
                            {t.device_enable}
                        </button>
                    }
                        .into_any()
                } else {
                    ().into_any()
                };
                view! {
                    <h2 id="device-heading">{t.device_title}</h2>
                    <p>{t.device_intro}</p>
                    {notice}
                    {control}
                }
            }}
            // Built again only when the language changes, so a time being typed keeps its focus.
            {move || {
                let t = t();
                view! {
                    <fieldset class="quiet-hours">
                        <legend>{t.quiet_title}</legend>
                        <p class="hint">{t.quiet_hint}</p>
                        <div class="quiet-fields">
                            <div class="field">
                                <label for="quiet-from">{t.quiet_from}</label>
                                <input
                                    id="quiet-from"
                                    type="time"
                                    node_ref=from_input
                                    prop:value=move || quiet_text(|q| q.from)
                                    on:change=save_quiet
                                />
                            </div>
                            <div class="field">
                                <label for="quiet-to">{t.quiet_to}</label>
                                <input
                                    id="quiet-to"
                                    type="time"
                                    node_ref=to_input
                                    prop:value=move || quiet_text(|q| q.to)
                                    on:change=save_quiet
                                />
                            </div>
                        </div>
                        <p role="status" class="hint">
                            {move || match choices.with(|c| c.quiet) {
                                Some(q) => (t.quiet_saved)(&time_of_day(q.from, lang.get()), &time_of_day(q.to, lang.get())),
                                None => t.quiet_none.to_owned(),
                            }}
                        </p>
                    </fieldset>
                }
            }}
        </section>
    }
}
