//! The logged-in session as the app knows it, shared through context.

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::*;
use tend_model::{PatientLink, Relation, Role, Scope, SessionView};

use crate::api;

#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    /// Asking the server who is logged in.
    Loading,
    LoggedOut,
    LoggedIn(SessionView),
}

impl SessionState {
    pub fn view(&self) -> Option<&SessionView> {
        match self {
            SessionState::LoggedIn(view) => Some(view),
            _ => None,
        }
    }
}

const REMEMBERED_KEY: &str = "tend.session";

/// The session this device last had, so the app opens offline as who was
/// logged in; the server still decides on every request.
pub fn remembered() -> Option<SessionView> {
    serde_json::from_str(&crate::local_storage()?.get_item(REMEMBERED_KEY).ok()??).ok()
}

fn remember(state: &SessionState) {
    let Some(storage) = crate::local_storage() else {
        return;
    };
    match state {
        SessionState::Loading => {}
        SessionState::LoggedIn(view) => {
            // Someone else's kept Today is not this account's to see.
            if remembered().is_some_and(|before| before.account.id != view.account.id) {
                crate::shell::forget_last_screen();
            }
            if let Ok(json) = serde_json::to_string(view) {
                let _ = storage.set_item(REMEMBERED_KEY, &json);
            }
        }
        SessionState::LoggedOut => {
            let _ = storage.remove_item(REMEMBERED_KEY);
            crate::shell::forget_last_screen();
        }
    }
}

/// Whether the last session ended by itself (the server ended it, or the
/// app did after the idle limit), so the login page says why; false again
/// once someone logs in. A signal, not part of the address: pages that send
/// a logged-out person to the login page need not know.
#[derive(Clone, Copy)]
pub struct SessionEnded(pub RwSignal<bool>);

pub fn use_session_ended() -> RwSignal<bool> {
    use_context::<SessionEnded>()
        .map(|SessionEnded(ended)| ended)
        .unwrap_or_else(|| RwSignal::new(false))
}

/// The cache where the service worker keeps the last-known plan, agenda and
/// care team (`public/sw.js`).
const DATA_CACHE: &str = "tend-data";

/// Ends the session on this device: nobody is logged in, nothing is
/// remembered for offline, no preview goes on, and the API data the service
/// worker kept is deleted, so the next person at this device reads none of
/// it. Changes waiting in the outbox stay: they wait for their own account.
pub fn forget_session(set_session: WriteSignal<SessionState>) {
    api::set_previewing(None);
    set_session.set(SessionState::LoggedOut);
    remember(&SessionState::LoggedOut);
    if let Some(caches) = web_sys::window().and_then(|w| w.caches().ok()) {
        let deleting = caches.delete(DATA_CACHE);
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(deleting).await;
        });
    }
}

/// Whether the session on this device was in use: logged in, or (while the
/// app asks the server) remembered from before.
pub fn was_logged_in(session: Signal<SessionState>) -> bool {
    session.with_untracked(|s| match s {
        SessionState::LoggedIn(_) => true,
        SessionState::Loading => remembered().is_some(),
        SessionState::LoggedOut => false,
    })
}

thread_local! {
    /// When the person last tapped, typed or scrolled (ms since the epoch).
    static LAST_ACTIVE: Cell<f64> = Cell::new(js_sys::Date::now());
    /// Bumped whenever the session changes, so a timer of the one before does nothing.
    static IDLE_WATCH: Cell<u32> = const { Cell::new(0) };
}

/// When the person last tapped, typed or scrolled here (ms since the epoch).
pub fn last_active() -> f64 {
    LAST_ACTIVE.with(Cell::get)
}

/// Runs `on_idle` once the logged-in session has gone its role's idle limit
/// ([`Role::idle_limit`], the server's own) without a tap, a key or a
/// scroll, so a record does not stay open on a shared desk. A care manager's
/// preview counts as hers. One timer at a time, due when the limit would be
/// reached; activity only notes the time.
pub fn log_out_when_idle(session: Signal<SessionState>, on_idle: Callback<()>) {
    fn active<E>(_: E) {
        LAST_ACTIVE.with(|last| last.set(js_sys::Date::now()));
    }
    let _ = window_event_listener(leptos::ev::pointerdown, active);
    let _ = window_event_listener(leptos::ev::keydown, active);
    let _ = window_event_listener(leptos::ev::wheel, active);
    let _ = window_event_listener(leptos::ev::touchstart, active);
    // Typing a value in (or pasting, or a keyboard that sends no keys) is activity too.
    let _ = window_event_listener(leptos::ev::input, active);
    Effect::new(move |before: Option<Option<i64>>| {
        let limit = session.with(|s| {
            s.view().map(|v| {
                let role = if v.preview.is_some() {
                    Role::CareManager
                } else {
                    v.account.role
                };
                role.idle_limit().num_milliseconds()
            })
        });
        if before == Some(limit) {
            return limit;
        }
        let watch = IDLE_WATCH.with(|w| {
            w.set(w.get().wrapping_add(1));
            w.get()
        });
        if let Some(limit) = limit {
            LAST_ACTIVE.with(|last| last.set(js_sys::Date::now()));
            check_idle_after(watch, limit as f64, limit as f64, on_idle);
        }
        limit
    });
}

fn check_idle_after(watch: u32, limit_ms: f64, delay_ms: f64, on_idle: Callback<()>) {
    set_timeout(
        move || {
            if IDLE_WATCH.with(Cell::get) != watch {
                return;
            }
            let idle = js_sys::Date::now() - LAST_ACTIVE.with(Cell::get);
            if idle >= limit_ms {
                on_idle.run(());
            } else {
                check_idle_after(watch, limit_ms, limit_ms - idle, on_idle);
            }
        },
        Duration::from_millis(delay_ms.max(0.0) as u64 + 1),
    );
}

/// Puts the session in context and keeps the device's copy of it in step.
pub fn provide_session(session: RwSignal<SessionState>) {
    Effect::new(move |_| session.with(remember));
    provide_context::<Signal<SessionState>>(session.into());
    provide_context::<WriteSignal<SessionState>>(session.write_only());
    provide_context(SessionEnded(RwSignal::new(false)));
}

pub fn use_session() -> Signal<SessionState> {
    use_context::<Signal<SessionState>>().unwrap_or_else(|| Signal::stored(SessionState::LoggedOut))
}

pub fn use_set_session() -> WriteSignal<SessionState> {
    use_context::<WriteSignal<SessionState>>().expect("session context")
}

/// Whether the session may see this patient's check-ins (their own, or shared with it).
pub fn may_see_check_ins(session: Signal<SessionState>, patient_id: i64) -> Signal<bool> {
    Signal::derive(move || {
        session.with(|s| {
            s.view()
                .and_then(|v| v.patients.iter().find(|p| p.id == patient_id))
                .is_some_and(|p| p.scopes.contains(&Scope::Assessments))
        })
    })
}

/// Whether the session may propose goals and comment on them for this patient:
/// the patient, or a caregiver who sees the plan and may act on their behalf.
pub fn may_take_part(session: Signal<SessionState>, patient_id: i64) -> Signal<bool> {
    Signal::derive(move || {
        session.with(|s| {
            s.view()
                .and_then(|v| v.patients.iter().find(|p| p.id == patient_id))
                .is_some_and(|p| {
                    p.relation != Relation::CareManager
                        && p.scopes.contains(&Scope::PlanGoals)
                        && p.scopes.contains(&Scope::RecordOnBehalf)
                })
        })
    })
}

/// What the session may see of this patient: every scope for their own
/// record, the grant's for a caregiver, none when the patient is not theirs.
pub fn scopes_for(session: Signal<SessionState>, patient_id: i64) -> Signal<Vec<Scope>> {
    Signal::derive(move || {
        session.with(|s| {
            s.view()
                .and_then(|v| v.patients.iter().find(|p| p.id == patient_id))
                .map(|p| p.scopes.clone())
                .unwrap_or_default()
        })
    })
}

/// The first page of a person's record that shows something shared: Today
/// when reminders or measurements are, else the plan, else the check-ins.
pub fn person_home(link: &PatientLink) -> String {
    let has = |scope| link.scopes.contains(&scope);
    let page = if has(Scope::Reminders) || has(Scope::Measurements) {
        "today"
    } else if has(Scope::PlanGoals) {
        "plan"
    } else {
        "check-ins"
    };
    format!("/patients/{}/{page}", link.id)
}
