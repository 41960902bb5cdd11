//! Tend's app: a Leptos single-page app for patients, their families and
//! care managers. The router below reads as the site map.

pub mod api;
pub mod chunks;
pub mod components;
pub mod format;
pub mod i18n;
pub mod outbox;
pub mod pages;
pub mod reminders;
pub mod router;
pub mod session;
pub mod shell;

use leptos::prelude::*;
use leptos::task::spawn_local;

use tend_model::Role;

use crate::api::ApiError;
use crate::chunks::{Page, Reminders};
use crate::components::{OfflineBanner, PreviewBanner, TopBar};
use crate::outbox::use_outbox;
use crate::pages::{home::HomePage, login::LoginPage, not_found::NotFoundPage};
use crate::router::{use_navigate, Route, Router, Routes};
use crate::session::{provide_session, use_session, use_set_session, SessionState};

/// This device's localStorage (the session, the language, reminders,
/// drafts, the kept Today), where the browser gives one.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(i18n::initial_lang());
    Effect::new(move |_| i18n::apply_lang(lang.get()));
    i18n::provide_lang(lang);

    reminders::provide_device_reminders();

    let session = RwSignal::new(SessionState::Loading);
    provide_session(session);
    outbox::provide_outbox(session.into());
    register_service_worker();
    // Nobody was logged in on this device (a first visit, or after logging
    // out): there is nothing to ask the server, and the login page shows at
    // once. Every login and accepted invitation leaves its session here.
    match session::remembered() {
        None => session.set(SessionState::LoggedOut),
        Some(remembered) => {
            read_today_early(&remembered);
            spawn_local(async move {
                let state = match api::current_session().await {
                    Ok(Some(view)) => SessionState::LoggedIn(view),
                    // Offline: open as who was logged in here last; the outbox keeps what is done.
                    Err(ApiError::Network) => SessionState::LoggedIn(remembered),
                    // Refused: the login page says what is wrong on the next try.
                    Ok(None) | Err(_) => SessionState::LoggedOut,
                };
                session.try_set(state);
            })
        }
    }

    view! {
        <Router routes=ROUTES>
            <Layout />
        </Router>
    }
}

/// The site map: each address and its page. Pages but the start and the
/// login come in chunks (`src/chunks.rs`), fetched when first opened.
const ROUTES: &[Route] = &[
    Route::now("/", || view! { <HomePage /> }.into_any()),
    Route::now("/login", || view! { <LoginPage /> }.into_any()),
    Route::chunk("/people", Page::People),
    Route::chunk("/panel", Page::Panel),
    Route::chunk("/patients/:p/manage", Page::Manage),
    Route::chunk("/invite/:code", Page::Invite),
    Route::chunk("/settings", Page::Settings),
    Route::chunk("/patients/:p/today", Page::Today),
    Route::chunk("/patients/:p/plan", Page::Plan),
    Route::chunk("/patients/:p/care-team", Page::CareTeam),
    Route::chunk("/patients/:p/history", Page::History),
    Route::chunk("/patients/:p/appointments", Page::Appointments),
    Route::chunk("/patients/:p/first-30-days", Page::Transition),
    Route::chunk("/patients/:p/who-looked", Page::Audit),
    Route::chunk("/patients/:p/sharing", Page::Sharing),
    Route::chunk("/lessons/:slug", Page::Lesson),
    Route::chunk("/patients/:p/goals", Page::Goals),
    Route::chunk("/patients/:p/goals/:g", Page::Goal),
    Route::chunk("/patients/:p/check-ins", Page::CheckIns),
    Route::chunk("/patients/:p/check-ins/:q", Page::CheckIn),
    Route::chunk("/patients/:p/check-ins/:q/history", Page::CheckInHistory),
];

/// Opening on Today (or on `/`, which leads a patient there), its agenda is
/// asked for beside the session check; the server decides on it as on any.
fn read_today_early(remembered: &tend_model::SessionView) {
    let path = document()
        .location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    let patient = match path.as_str() {
        "/" => remembered.own_patient().map(|p| p.id),
        _ => path
            .strip_prefix("/patients/")
            .and_then(|rest| rest.strip_suffix("/today"))
            .and_then(|p| p.parse::<i64>().ok()),
    };
    if let Some(patient) = patient {
        api::read_early(format!("/api/patients/{patient}/agenda"));
    }
}

/// The frame around every page, inside the router so it can navigate.
#[component]
fn Layout() -> impl IntoView {
    let session = use_session();
    let set_session = use_set_session();
    let navigate = use_navigate();
    let logged_in = Signal::derive(move || matches!(session.get(), SessionState::LoggedIn(_)));
    let known = Signal::derive(move || !matches!(session.get(), SessionState::Loading));
    let on_log_out = Callback::new(move |()| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Whatever the server says, this device forgets the session.
            let _ = api::log_out().await;
            session::forget_session(set_session);
            navigate("/login", Default::default());
        });
    });
    // A session the server ended (idle, a log out elsewhere, a new password)
    // ends here too, whichever page asked: to the login page, which says so.
    let to_login = use_navigate();
    let ended = session::use_session_ended();
    api::when_session_ends(move || {
        if session::was_logged_in(session) {
            ended.set(true);
            session::forget_session(set_session);
            to_login("/login", Default::default());
        }
    });
    // And one left alone for the role's idle limit logs out by itself.
    let idle_to_login = use_navigate();
    session::log_out_when_idle(
        session,
        Callback::new(move |()| {
            ended.set(true);
            session::forget_session(set_session);
            idle_to_login("/login", Default::default());
            spawn_local(async move {
                let _ = api::log_out().await;
            });
        }),
    );
    // Nobody logged in: the kept screen of Today gives way to the login page.
    Effect::new(move |_| {
        if matches!(session.get(), SessionState::LoggedOut) {
            shell::reveal();
        }
    });
    let outbox = use_outbox();
    let previewing = Signal::derive(move || {
        session.with(|s| {
            let view = s.view()?;
            view.preview.as_ref().map(|_| view.account.display_name.clone())
        })
    });
    let is_care_manager = Signal::derive(move || {
        session.with(|s| s.view().is_some_and(|v| v.account.role == Role::CareManager))
    });
    let navigate_back = use_navigate();
    let on_end_preview = Callback::new(move |()| {
        let navigate = navigate_back.clone();
        api::set_previewing(None);
        spawn_local(async move {
            // Back to the care manager's own session, as the server has it.
            let state = match api::current_session().await {
                Ok(Some(view)) => SessionState::LoggedIn(view),
                Ok(None) | Err(_) => SessionState::LoggedOut,
            };
            set_session.set(state);
            navigate("/panel", Default::default());
        });
    });
    // Behind the kept Today (hidden until revealed), the page is built a task
    // after the frame around it: together they were one long task on a
    // phone. Anywhere else the page comes with the frame, as it is on screen,
    // and in a hidden tab (where a timer can wait a second).
    let page_now = shell::painted(&document()) != shell::Painted::LastScreen || document().hidden();
    let page_ready = RwSignal::new(page_now);
    if !page_now {
        set_timeout(move || page_ready.set(true), std::time::Duration::ZERO);
    }
    view! {
        <TopBar known=known logged_in=logged_in is_care_manager=is_care_manager on_log_out=on_log_out />
        <PreviewBanner previewing=previewing on_end=on_end_preview />
        <main id="main">
            <OfflineBanner
                offline=Signal::derive(move || !outbox.online())
                waiting=Signal::derive(move || outbox.waiting())
                refused=Signal::derive(move || outbox.refused())
                on_send_now=Callback::new(move |()| outbox.send_now())
                on_retry=Callback::new(move |key: String| outbox.retry(&key))
                on_dismiss=Callback::new(move |key: String| outbox.dismiss(&key))
            />
            <Show when=move || page_ready.get()>
                <Routes fallback=|| view! { <NotFoundPage /> }.into_any() />
            </Show>
        </main>
        <Reminders />
    }
}

/// Installs `sw.js`, which keeps this build's files and the last-known plan,
/// agenda and care team so the app opens without a network.
/// Registered once the page has loaded: installing fetches every file of the
/// build, which must not compete with the first screen on a slow network.
fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    if !js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let register = move || {
        // Dropped: installing is the browser's business, and a failure only means no offline copy.
        let _ = window.navigator().service_worker().register("/sw.js");
    };
    if document().ready_state() == "complete" {
        register();
    } else {
        let _ = window_event_listener(leptos::ev::load, move |_| register());
    }
}
