//! Tend's domain: types and pure rules shared by the app (compiled to wasm)
//! and the server (native). Nothing here does I/O.
//!
//! Heavy parts sit behind cargo features the app does not enable: time-zone
//! expansion of schedules (`tz`) is computed on the server, which sends the app
//! ready-made occurrences with local times.

pub mod adherence;
pub mod agenda;
pub mod alert;
pub mod audit;
pub mod calendar;
pub mod care_event;
pub mod goal;
pub mod invite;
pub mod lesson;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod outbox;
pub mod panel;
pub mod plan;
pub mod problem;
pub mod questionnaire;
pub mod reading;
pub mod reminder;
pub mod request;
pub mod schedule;
pub mod session;
pub mod sharing;
pub mod text;

pub use adherence::{week_end, week_start, ActivityAdherence, Adherence, DayAdherence, Mark, Tally};
pub use agenda::{
    occurrence_key, ActivityKind, Agenda, AgendaItem, OutcomeAction, OutcomeRequest, OutcomeResult,
    OutcomeStatus, OutcomeView, PartOfDay, Progress,
};
pub use alert::{CaregiverAlertSettings, CaregiverAlerts, MissedMedicine};
pub use audit::{AuditEntry, RecordPart};
pub use calendar::{CalendarFeed, CalendarFeedView};
pub use care_event::{CareEvent, CareEventStatus, CareEventStep, CareEventUpdate};
pub use goal::{directions_for, GoalEdit, GoalProgress, GoalTarget, GoalView, NewGoal, Point, GOAL_MEASURES};
pub use invite::{
    InviteAccepted, InviteCode, InviteCreated, InvitePreview, InviteRequest, InviteSignUp, InviteView,
};
pub use lesson::{Lesson, LessonBlock, LessonSection, LessonSummary, LessonText};
pub use outbox::{Change, Outbox, PendingChange};
pub use panel::{arrange, PanelAppointment, PanelCheckIn, PanelFilter, PanelFlag, PanelPatient, PanelSort};
pub use plan::{
    parse_times, ActivityEdit, ActivityVersionView, ChecklistItem, ChecklistState, NewActivity, PlanActivity,
    PlanDomain, PlanGoal, PlanView, TransitionView, ADDABLE_KINDS,
};
pub use problem::{FieldError, Problem};
pub use questionnaire::{
    Answers, Band, CheckInStatus, Escalation, FlagAcknowledgement, FlagView, Questionnaire, QuestionnaireId,
    ResponseRequest, ResponseView, Scored, Urgency,
};
pub use reading::{Metric, NumberUnit, Reading, ReadingError, WeightUnit};
pub use reminder::QuietHours;
pub use request::{Decision, DecisionRequest, GoalRequestView, NewGoalRequest, RequestKind, RequestStatus};
pub use schedule::{Recurrence, Schedule};
pub use session::{
    AccountView, CareTeamMember, LoginRequest, PasswordChange, PatientLink, PreviewAccount, PreviewView,
    Relation, Role, Scope, SessionView,
};
pub use sharing::{GrantUpdate, GrantView};
pub use text::{Lang, LocalizedText};
