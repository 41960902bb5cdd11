//! The logged-in session as the app knows it, shared through context.

use leptos::prelude::*;
use tend_model::{PatientLink, Relation, Scope, SessionView};

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

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The session this device last had, so the app opens offline as who was
/// logged in; the server still decides on every request.
pub fn remembered() -> Option<SessionView> {
    serde_json::from_str(&storage()?.get_item(REMEMBERED_KEY).ok()??).ok()
}

fn remember(state: &SessionState) {
    let Some(storage) = storage() else { return };
    match state {
        SessionState::Loading => {}
        SessionState::LoggedIn(view) => {
            if let Ok(json) = serde_json::to_string(view) {
                let _ = storage.set_item(REMEMBERED_KEY, &json);
            }
        }
        SessionState::LoggedOut => {
            let _ = storage.remove_item(REMEMBERED_KEY);
        }
    }
}

/// Puts the session in context and keeps the device's copy of it in step.
pub fn provide_session(session: RwSignal<SessionState>) {
    Effect::new(move |_| session.with(remember));
    provide_context::<Signal<SessionState>>(session.into());
    provide_context::<WriteSignal<SessionState>>(session.write_only());
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
