//! All HTTP of the app: one small generic fetch and a typed function per endpoint.

use std::future::Future;
use std::pin::Pin;

use chrono::NaiveDate;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use tend_model::problem::types;
use tend_model::{
    ActivityEdit, ActivityVersionView, Agenda, AuditEntry, CalendarFeedView, CareEvent, CareEventUpdate,
    CareTeamMember, CaregiverAlertSettings, CaregiverAlerts, CheckInStatus, DecisionRequest,
    FlagAcknowledgement, FlagView, GoalEdit, GoalRequestView, GoalView, GrantUpdate, GrantView,
    InviteAccepted, InviteCode, InviteCreated, InvitePreview, InviteRequest, InviteSignUp, InviteView,
    Lesson, LoginRequest, NewActivity, NewGoal, NewGoalRequest, PanelPatient, PasswordChange, PlanGoal,
    PlanView, PreviewAccount, Problem, QuestionnaireId, ResponseView, SessionView, TransitionView,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Texts;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No answer at all: offline, or the server is down.
    #[error("network")]
    Network,
    /// The server answered with a problem.
    #[error("{}", .0.title)]
    Problem(Problem),
    /// The answer was not what this version of the app expects.
    #[error("unexpected answer")]
    Decode,
}

impl ApiError {
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, ApiError::Problem(p) if p.status == 401)
    }

    /// What to tell the person, in their language.
    pub fn message(&self, t: &Texts) -> &'static str {
        let ApiError::Problem(problem) = self else {
            return match self {
                ApiError::Network => t.err_network,
                _ => t.err_server,
            };
        };
        let first_code = problem.errors.first().map(|e| e.code.as_str());
        match (problem.kind.as_str(), first_code) {
            (types::INVALID_CREDENTIALS, _) => t.wrong_credentials,
            (types::TOO_MANY_ATTEMPTS, _) => t.err_too_many_logins,
            (types::UNAUTHENTICATED, _) => t.err_session_ended,
            (types::FORBIDDEN | types::CROSS_ORIGIN, _) => t.err_forbidden,
            (types::PREVIEW_READ_ONLY, _) => t.err_preview,
            (types::ALREADY_DONE, _) => t.err_already_done,
            (types::NOT_FOUND, _) => t.err_not_found,
            (types::IDEMPOTENCY_CONFLICT, _) => t.err_conflict,
            (types::VALIDATION, Some("in_future")) => t.err_in_future,
            (types::VALIDATION, Some("too_old")) => t.err_too_old,
            (types::VALIDATION, Some("not_scheduled" | "unknown")) => t.err_not_scheduled,
            (types::VALIDATION, Some("too_long")) => t.err_reason_too_long,
            (
                types::VALIDATION,
                Some("out_of_range" | "systolic_not_above_diastolic" | "reading_required"),
            ) if problem.errors.first().is_some_and(|e| e.field == "reading") => t.err_reading,
            (types::VALIDATION, Some("missing" | "out_of_range" | "unknown_item")) => t.err_answers,
            (types::VALIDATION, _) => t.err_invalid,
            _ => t.err_server,
        }
    }
}

thread_local! {
    /// What the app does when the server says the session is over.
    static ON_SESSION_ENDED: std::cell::RefCell<Option<std::rc::Rc<dyn Fn()>>> =
        const { std::cell::RefCell::new(None) };
}

/// Sets what happens when any answer says the session is over (401
/// unauthenticated): one place for every page. A wrong password at login is
/// a 401 of another kind and does not count; no answer at all (offline) is
/// not a 401 either.
pub fn when_session_ends(then: impl Fn() + 'static) {
    ON_SESSION_ENDED.with(|hook| *hook.borrow_mut() = Some(std::rc::Rc::new(then)));
}

fn session_ended() {
    if let Some(then) = ON_SESSION_ENDED.with(|hook| hook.borrow().clone()) {
        then();
    }
}

/// A request on its way. Every request goes through the one boxed, non-generic
/// future of [`send`] / [`fetch_text`], so each endpoint's own future is only
/// a call and a decode instead of another copy of the whole fetch in the wasm.
type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// The methods the API is asked with.
#[derive(Clone, Copy)]
enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// Sends one request with the browser's fetch; a non-2xx answer becomes an
/// [`ApiError`]. An in-flight request is aborted when the reactive owner
/// that started it is cleaned up (the page is left).
fn send(
    method: Method,
    path: String,
    body: Option<String>,
    idempotency_key: Option<String>,
) -> Pending<web_sys::Response> {
    Box::pin(async move {
        let controller = SendWrapper::new(web_sys::AbortController::new().ok());
        let signal = controller.as_ref().as_ref().map(|c| c.signal());
        leptos::prelude::on_cleanup(move || {
            if let Some(controller) = controller.take() {
                controller.abort();
            }
        });
        let headers = web_sys::Headers::new().map_err(|_| ApiError::Decode)?;
        let set = |name: &str, value: &str| headers.set(name, value).map_err(|_| ApiError::Decode);
        set("Accept", "application/json")?;
        if let Some(key) = &idempotency_key {
            set("Idempotency-Key", key)?;
        }
        if let Some(account) = previewing() {
            set("Tend-Preview-As", &account.to_string())?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(method.as_str());
        if let Some(json) = &body {
            set("Content-Type", "application/json")?;
            init.set_body(&JsValue::from_str(json));
        }
        init.set_headers(&headers);
        init.set_signal(signal.as_ref());
        let window = web_sys::window().ok_or(ApiError::Network)?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&path, &init))
            .await
            .map_err(|_| ApiError::Network)?
            .unchecked_into();
        if response.ok() {
            return Ok(response);
        }
        let status = response.status();
        let problem = text_of(&response)
            .await
            .ok()
            .and_then(|text| serde_json::from_str::<Problem>(&text).ok())
            .unwrap_or_else(|| Problem {
                kind: if status >= 500 {
                    types::INTERNAL
                } else {
                    "about:blank"
                }
                .into(),
                title: response.status_text(),
                status,
                detail: None,
                errors: Vec::new(),
            });
        if status == 401 && problem.kind == types::UNAUTHENTICATED {
            session_ended();
        }
        Err(ApiError::Problem(problem))
    })
}

/// The body of an answer, as text.
async fn text_of(response: &web_sys::Response) -> Result<String, ApiError> {
    let promise = response.text().map_err(|_| ApiError::Decode)?;
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or(ApiError::Decode)
}

/// [`send`], then the answer's body as text.
fn fetch_text(
    method: Method,
    path: String,
    body: Option<String>,
    idempotency_key: Option<String>,
) -> Pending<String> {
    Box::pin(async move {
        let response = send(method, path, body, idempotency_key).await?;
        text_of(&response).await
    })
}

/// A request answered with JSON.
async fn fetch_json<T: DeserializeOwned>(
    method: Method,
    path: String,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<T, ApiError> {
    let text = fetch_text(method, path, body, idempotency_key.map(str::to_owned)).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Decode)
}

const PREVIEW_KEY: &str = "tend.preview";

fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The account a care manager previews the app as in this tab, if any. Every
/// request then carries it, and the server answers as that person and
/// refuses every change. Kept per tab, so a reload stays in the preview.
pub fn previewing() -> Option<i64> {
    tab_storage()?.get_item(PREVIEW_KEY).ok()??.parse().ok()
}

/// Starts (`Some`) or ends (`None`) a preview in this tab.
pub fn set_previewing(account: Option<i64>) {
    let Some(storage) = tab_storage() else { return };
    let _ = match account {
        Some(id) => storage.set_item(PREVIEW_KEY, &id.to_string()),
        None => storage.remove_item(PREVIEW_KEY),
    };
}

/// `GET path` answered with JSON.
async fn get<T: DeserializeOwned>(path: String) -> Result<T, ApiError> {
    if let Some(early) = take_early(&path) {
        // Asked for at start; should it have failed, asked again here, which says why.
        if let Some(text) = wasm_bindgen_futures::JsFuture::from(early)
            .await
            .ok()
            .and_then(|t| t.as_string())
        {
            return serde_json::from_str(&text).map_err(|_| ApiError::Decode);
        }
    }
    fetch_json(Method::Get, path, None, None).await
}

/// How long an answer asked for at start waits for its page, in ms.
const EARLY_FOR_MS: f64 = 10_000.0;

thread_local! {
    /// One answer asked for before its page opened: the path, when, and the answer's text.
    static EARLY: std::cell::RefCell<Option<(String, f64, js_sys::Promise)>> = const { std::cell::RefCell::new(None) };
}

/// Asks for `path` now, for the page that reads it first (within ten
/// seconds): at start, Today's agenda goes out beside the session check
/// instead of after it, one round trip sooner on a slow network.
pub fn read_early(path: String) {
    let answer = fetch_text(Method::Get, path.clone(), None, None);
    // A failure resolves to no text rather than rejecting: a page that never
    // reads it (one the person may not see) would leave a rejection nobody
    // handles, an error in the console; the page that does asks again.
    let promise = wasm_bindgen_futures::future_to_promise(async move {
        Ok(answer
            .await
            .map(|text| wasm_bindgen::JsValue::from_str(&text))
            .unwrap_or(wasm_bindgen::JsValue::UNDEFINED))
    });
    EARLY.with(|early| *early.borrow_mut() = Some((path, js_sys::Date::now(), promise)));
}

fn take_early(path: &str) -> Option<js_sys::Promise> {
    EARLY.with(|early| {
        let mut early = early.borrow_mut();
        let (asked, at, _) = early.as_ref()?;
        if js_sys::Date::now() - at > EARLY_FOR_MS {
            *early = None;
            return None;
        }
        if asked != path {
            return None;
        }
        early.take().map(|(_, _, promise)| promise)
    })
}

fn body<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|_| ApiError::Decode)
}

/// A fresh key for one change; the same key goes with every retry of it.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e16) as u64
            )
        })
}

pub async fn log_in(username: &str, password: &str) -> Result<SessionView, ApiError> {
    let request = LoginRequest {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    fetch_json(Method::Post, "/api/session".into(), Some(body(&request)?), None).await
}

/// The current session, or `None` when nobody is logged in.
pub async fn current_session() -> Result<Option<SessionView>, ApiError> {
    match get("/api/session".into()).await {
        Err(e) if e.is_unauthenticated() => Ok(None),
        answer => answer.map(Some),
    }
}

/// Changes the logged-in account's password; other sessions end.
pub async fn change_password(change: &PasswordChange) -> Result<(), ApiError> {
    send(
        Method::Post,
        "/api/session/password".into(),
        Some(body(change)?),
        None,
    )
    .await
    .map(|_| ())
}

/// Ends the session on the server. Any preview ends first: a preview
/// refuses every write, this one too.
pub async fn log_out() -> Result<(), ApiError> {
    set_previewing(None);
    send(Method::Delete, "/api/session".into(), None, None)
        .await
        .map(|_| ())
}

/// Today's agenda in the patient's zone.
pub async fn agenda_today(patient_id: i64) -> Result<Agenda, ApiError> {
    get(format!("/api/patients/{patient_id}/agenda")).await
}

/// The agenda of the patient's local dates `from` to `to` (included).
pub async fn agenda_between(patient_id: i64, from: NaiveDate, to: NaiveDate) -> Result<Agenda, ApiError> {
    get(format!("/api/patients/{patient_id}/agenda?from={from}&to={to}")).await
}

/// Done, skipped or undo for one occurrence. `body` is an [`tend_model::OutcomeRequest`]
/// as JSON, kept by the outbox so every retry sends the same bytes.
pub async fn record_outcome_body(patient_id: i64, body: &str, key: &str) -> Result<String, ApiError> {
    let path = format!("/api/patients/{patient_id}/outcomes");
    fetch_text(Method::Post, path, Some(body.to_owned()), Some(key.to_owned())).await
}

/// The check-ins of the patient's plan: due now, next due, last result.
pub async fn check_ins(patient_id: i64) -> Result<Vec<CheckInStatus>, ApiError> {
    get(format!("/api/patients/{patient_id}/check-ins")).await
}

/// One questionnaire's responses, oldest first.
pub async fn responses(
    patient_id: i64,
    questionnaire: QuestionnaireId,
) -> Result<Vec<ResponseView>, ApiError> {
    let path = format!(
        "/api/patients/{patient_id}/responses?questionnaire={}",
        questionnaire.as_str()
    );
    get(path).await
}

/// A check-in. `body` is a [`tend_model::ResponseRequest`] as JSON, kept by the
/// outbox so every retry sends the same bytes.
pub async fn submit_response_body(patient_id: i64, body: &str, key: &str) -> Result<String, ApiError> {
    let path = format!("/api/patients/{patient_id}/responses");
    fetch_text(Method::Post, path, Some(body.to_owned()), Some(key.to_owned())).await
}

pub async fn care_team(patient_id: i64) -> Result<Vec<CareTeamMember>, ApiError> {
    get(format!("/api/patients/{patient_id}/care-team")).await
}

pub async fn plan(patient_id: i64) -> Result<PlanView, ApiError> {
    get(format!("/api/patients/{patient_id}/plan")).await
}

pub async fn appointments(patient_id: i64) -> Result<Vec<CareEvent>, ApiError> {
    get(format!("/api/patients/{patient_id}/appointments")).await
}

pub async fn lesson(slug: &str) -> Result<Lesson, ApiError> {
    get(format!("/api/lessons/{slug}")).await
}

pub async fn goal_requests(patient_id: i64) -> Result<Vec<GoalRequestView>, ApiError> {
    get(format!("/api/patients/{patient_id}/goal-requests")).await
}

pub async fn send_goal_request(
    patient_id: i64,
    request: &NewGoalRequest,
    key: &str,
) -> Result<GoalRequestView, ApiError> {
    let path = format!("/api/patients/{patient_id}/goal-requests");
    fetch_json(Method::Post, path, Some(body(request)?), Some(key)).await
}

/// The first weeks home after a hospital stay; `None` when the plan has none.
pub async fn transition(patient_id: i64) -> Result<Option<TransitionView>, ApiError> {
    get(format!("/api/patients/{patient_id}/transition")).await
}

/// Who read or changed the patient's record (the patient only).
pub async fn audit(patient_id: i64) -> Result<Vec<AuditEntry>, ApiError> {
    get(format!("/api/patients/{patient_id}/audit")).await
}

/// The patient's grants to caregivers (the patient only).
pub async fn grants(patient_id: i64) -> Result<Vec<GrantView>, ApiError> {
    get(format!("/api/patients/{patient_id}/grants")).await
}

pub async fn update_grant(
    patient_id: i64,
    grant_id: i64,
    update: &GrantUpdate,
) -> Result<GrantView, ApiError> {
    let path = format!("/api/patients/{patient_id}/grants/{grant_id}");
    fetch_json(Method::Post, path, Some(body(update)?), None).await
}

/// Ends a grant at once.
pub async fn revoke_grant(patient_id: i64, grant_id: i64) -> Result<(), ApiError> {
    let path = format!("/api/patients/{patient_id}/grants/{grant_id}");
    send(Method::Delete, path, None, None).await.map(|_| ())
}

pub async fn goals(patient_id: i64) -> Result<Vec<GoalView>, ApiError> {
    get(format!("/api/patients/{patient_id}/goals")).await
}

/// Whether the patient has a calendar link, and since when (never the link itself).
pub async fn calendar_feed(patient_id: i64) -> Result<CalendarFeedView, ApiError> {
    let path = format!("/api/patients/{patient_id}/calendar-feed");
    fetch_json(Method::Get, path, None, None).await
}

/// Makes a new calendar link, ending the one before; the answer holds its path, this once.
pub async fn new_calendar_feed(patient_id: i64) -> Result<CalendarFeedView, ApiError> {
    let path = format!("/api/patients/{patient_id}/calendar-feed");
    fetch_json(Method::Post, path, None, None).await
}

/// The care manager's patients, most urgent first.
pub async fn panel() -> Result<Vec<PanelPatient>, ApiError> {
    get("/api/panel".into()).await
}

/// The patient's flags, newest first.
pub async fn flags(patient_id: i64) -> Result<Vec<FlagView>, ApiError> {
    get(format!("/api/patients/{patient_id}/flags")).await
}

pub async fn acknowledge_flag(
    patient_id: i64,
    flag_id: i64,
    acknowledgement: &FlagAcknowledgement,
    key: &str,
) -> Result<FlagView, ApiError> {
    let path = format!("/api/patients/{patient_id}/flags/{flag_id}/acknowledgement");
    fetch_json(Method::Post, path, Some(body(acknowledgement)?), Some(key)).await
}

/// The care manager accepts or declines a request of the patient's.
pub async fn decide_request(
    patient_id: i64,
    request_id: i64,
    decision: &DecisionRequest,
    key: &str,
) -> Result<GoalRequestView, ApiError> {
    let path = format!("/api/patients/{patient_id}/goal-requests/{request_id}/decision");
    fetch_json(Method::Post, path, Some(body(decision)?), Some(key)).await
}

/// The care manager changes an activity from a day on: a new version.
pub async fn add_goal(patient_id: i64, goal: &NewGoal, key: &str) -> Result<PlanGoal, ApiError> {
    let path = format!("/api/patients/{patient_id}/goals");
    fetch_json(Method::Post, path, Some(body(goal)?), Some(key)).await
}

pub async fn add_activity(
    patient_id: i64,
    activity: &NewActivity,
    key: &str,
) -> Result<ActivityVersionView, ApiError> {
    let path = format!("/api/patients/{patient_id}/activities");
    fetch_json(Method::Post, path, Some(body(activity)?), Some(key)).await
}

pub async fn edit_activity(
    patient_id: i64,
    activity_id: i64,
    edit: &ActivityEdit,
    key: &str,
) -> Result<ActivityVersionView, ApiError> {
    let path = format!("/api/patients/{patient_id}/activities/{activity_id}/versions");
    fetch_json(Method::Post, path, Some(body(edit)?), Some(key)).await
}

/// The care manager changes a goal.
pub async fn edit_goal(
    patient_id: i64,
    goal_id: i64,
    edit: &GoalEdit,
    key: &str,
) -> Result<PlanGoal, ApiError> {
    let path = format!("/api/patients/{patient_id}/goals/{goal_id}");
    fetch_json(Method::Post, path, Some(body(edit)?), Some(key)).await
}

/// The care manager moves a visit or referral on.
pub async fn update_care_event(
    patient_id: i64,
    activity_id: i64,
    update: &CareEventUpdate,
    key: &str,
) -> Result<CareEvent, ApiError> {
    let path = format!("/api/patients/{patient_id}/appointments/{activity_id}/status");
    fetch_json(Method::Post, path, Some(body(update)?), Some(key)).await
}

/// Whom the care manager may preview the app as, for this patient.
pub async fn preview_accounts(patient_id: i64) -> Result<Vec<PreviewAccount>, ApiError> {
    get(format!("/api/patients/{patient_id}/preview-accounts")).await
}

pub async fn revoke_calendar_feed(patient_id: i64) -> Result<(), ApiError> {
    let path = format!("/api/patients/{patient_id}/calendar-feed");
    send(Method::Delete, path, None, None).await.map(|_| ())
}

/// The patient's invites nobody accepted yet (never their codes).
pub async fn invites(patient_id: i64) -> Result<Vec<InviteView>, ApiError> {
    get(format!("/api/patients/{patient_id}/invites")).await
}

/// Makes an invite; the answer holds its code, this once.
pub async fn create_invite(
    patient_id: i64,
    request: &InviteRequest,
    key: &str,
) -> Result<InviteCreated, ApiError> {
    let path = format!("/api/patients/{patient_id}/invites");
    fetch_json(Method::Post, path, Some(body(request)?), Some(key)).await
}

/// Withdraws an invite: its code stops working.
pub async fn withdraw_invite(patient_id: i64, invite_id: i64) -> Result<(), ApiError> {
    let path = format!("/api/patients/{patient_id}/invites/{invite_id}");
    send(Method::Delete, path, None, None).await.map(|_| ())
}

/// What a code offers, logged in or not.
pub async fn lookup_invite(code: &str) -> Result<InvitePreview, ApiError> {
    let request = InviteCode {
        code: code.to_owned(),
    };
    fetch_json(
        Method::Post,
        "/api/invites/lookup".into(),
        Some(body(&request)?),
        None,
    )
    .await
}

/// Accepts an invite with the logged-in caregiver account.
pub async fn accept_invite(code: &str, key: &str) -> Result<InviteAccepted, ApiError> {
    let request = InviteCode {
        code: code.to_owned(),
    };
    fetch_json(
        Method::Post,
        "/api/invites/accept".into(),
        Some(body(&request)?),
        Some(key),
    )
    .await
}

/// Makes a caregiver account that accepts the invite, and logs it in.
pub async fn sign_up_with_invite(request: &InviteSignUp) -> Result<InviteAccepted, ApiError> {
    fetch_json(
        Method::Post,
        "/api/invites/sign-up".into(),
        Some(body(request)?),
        None,
    )
    .await
}

/// After how many hours an unmarked medicine alerts the caregivers (the patient only).
pub async fn caregiver_alert_settings(patient_id: i64) -> Result<CaregiverAlertSettings, ApiError> {
    get(format!("/api/patients/{patient_id}/caregiver-alerts")).await
}

pub async fn set_caregiver_alert_settings(
    patient_id: i64,
    settings: &CaregiverAlertSettings,
    key: &str,
) -> Result<CaregiverAlertSettings, ApiError> {
    let path = format!("/api/patients/{patient_id}/caregiver-alerts");
    fetch_json(Method::Post, path, Some(body(settings)?), Some(key)).await
}

/// What a caregiver should know now: medicines not marked in time.
pub async fn alerts(patient_id: i64) -> Result<CaregiverAlerts, ApiError> {
    get(format!("/api/patients/{patient_id}/alerts")).await
}
