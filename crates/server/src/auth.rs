//! Who is asking, and may they: sessions, passwords, same-origin writes, and
//! the `PatientAccess` extractor that every patient route takes.

use std::marker::PhantomData;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, MatchedPath, Path, Request, State};
use axum::http::{header, request::Parts, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use tend_model::{Relation, Role, Scope};

use crate::error::AppError;
use crate::store::{care_manager_scopes, Access, Account};
use crate::AppState;

pub const SESSION_COOKIE: &str = "tend_session";
/// A session ends this long after login, however active.
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::hours(12);
/// A session ends after this long without a request: the model's
/// [`Role::idle_limit`], which the app's own idle logoff uses too.
pub fn idle_limit(role: Role) -> TimeDelta {
    role.idle_limit()
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// Checks a password against a stored hash. Unknown users are checked against
/// a fixed hash, so both failures take the same time.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not-a-password").unwrap_or_default());
    let hash_text = stored.unwrap_or(dummy);
    let Ok(hash) = PasswordHash::new(hash_text) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok();
    ok && stored.is_some()
}

/// A new random session token and the hash that is stored in its place.
pub fn new_session_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// A new random calendar token and its hash, made as a session token is.
pub fn new_calendar_token() -> (String, String) {
    new_session_token()
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_LIFETIME.num_seconds()
    )
}

pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// The header a care manager's requests carry while previewing the app as a
/// patient of theirs or one of that patient's caregivers: that account's id.
pub const PREVIEW_HEADER: &str = "tend-preview-as";

/// The logged-in account and its session token hash; 401 when there is none.
/// In a preview, `account` is the previewed account, whose eyes every answer
/// is computed with, and `preview_by` the care manager looking through them.
pub struct CurrentAccount {
    pub account: Account,
    pub token_hash: String,
    pub preview_by: Option<Account>,
}

impl FromRequestParts<AppState> for CurrentAccount {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(AppError::Unauthenticated)?;
        let hash = token_hash(&token);
        let now = Utc::now();
        let account = state
            .store
            .session_account(&hash, now, idle_limit)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let Some(previewed) = parts.headers.get(PREVIEW_HEADER) else {
            return Ok(CurrentAccount {
                account,
                token_hash: hash,
                preview_by: None,
            });
        };
        // Only care managers preview, and only the people of their own panel.
        if account.role != Role::CareManager {
            return Err(AppError::Forbidden);
        }
        let target = match previewed.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()) {
            Some(id) => state.store.account_by_id(id).await?,
            None => None,
        };
        let Some(target) = target else {
            return Err(AppError::NotFound);
        };
        if !state.store.may_preview(account.id, &target, now).await? {
            return Err(AppError::NotFound);
        }
        Ok(CurrentAccount {
            account: target,
            token_hash: hash,
            preview_by: Some(account),
        })
    }
}

/// What a route needs from the patient's record.
pub trait Need: Send + Sync {
    /// The scopes a caregiver must hold, all of them.
    const SCOPES: &'static [Scope];
    /// Whether the route changes the record (care managers only read here).
    const WRITES: bool;
    /// A write only the patient's care manager makes (plan, decisions, referrals).
    const CARE_TEAM: bool = false;
    /// Whether only the patient themself may do it, whatever is shared.
    const OWN_ONLY: bool = false;
    /// Whether one of `SCOPES` is enough (the handler then sends only what
    /// the scopes held allow).
    const ANY_SCOPE: bool = false;
}

/// Reading the agenda: reminders and adherence.
pub struct ReadReminders;
impl Need for ReadReminders {
    const SCOPES: &'static [Scope] = &[Scope::Reminders];
    const WRITES: bool = false;
}

/// Reading the agenda: all of it with reminders; only the measurements and
/// their readings with measurements alone.
pub struct ReadAgenda;
impl Need for ReadAgenda {
    const SCOPES: &'static [Scope] = &[Scope::Reminders, Scope::Measurements];
    const WRITES: bool = false;
    const ANY_SCOPE: bool = true;
}

/// Recording outcomes for the patient.
pub struct RecordOutcomes;
impl Need for RecordOutcomes {
    const SCOPES: &'static [Scope] = &[Scope::RecordOnBehalf];
    const WRITES: bool = true;
}

/// Reading the plan, goals and care team.
pub struct ReadPlan;
impl Need for ReadPlan {
    const SCOPES: &'static [Scope] = &[Scope::PlanGoals];
    const WRITES: bool = false;
}

/// Reading self-assessment answers, scores and flags: private unless shared.
pub struct ReadAssessments;
impl Need for ReadAssessments {
    const SCOPES: &'static [Scope] = &[Scope::Assessments];
    const WRITES: bool = false;
}

/// Filling a check-in for the patient: a caregiver needs to be allowed to
/// record and to see self-assessment answers, since the result shows them.
pub struct RecordResponses;
impl Need for RecordResponses {
    const SCOPES: &'static [Scope] = &[Scope::RecordOnBehalf, Scope::Assessments];
    const WRITES: bool = true;
}

/// Reading who looked at one's record: the patient only.
pub struct ReadAudit;
impl Need for ReadAudit {
    const SCOPES: &'static [Scope] = &[];
    const WRITES: bool = false;
    const OWN_ONLY: bool = true;
}

/// Seeing and changing who sees what: the patient only.
pub struct ManageSharing;
impl Need for ManageSharing {
    const SCOPES: &'static [Scope] = &[];
    const WRITES: bool = true;
    const OWN_ONLY: bool = true;
}

/// Managing the patient's calendar link: a secret that reads their reminders
/// without logging in, so only the patient themself makes, sees or ends it.
pub struct ManageCalendar;
impl Need for ManageCalendar {
    const SCOPES: &'static [Scope] = &[];
    const WRITES: bool = true;
    const OWN_ONLY: bool = true;
}

/// Proposing a goal, commenting on one or asking to change it: the patient,
/// or a caregiver who sees the plan and may act on the patient's behalf.
pub struct TakePart;
impl Need for TakePart {
    const SCOPES: &'static [Scope] = &[Scope::PlanGoals, Scope::RecordOnBehalf];
    const WRITES: bool = true;
}

/// Seeing whom the app may be previewed as: the patient's care manager only.
pub struct ChoosePreview;
impl Need for ChoosePreview {
    const SCOPES: &'static [Scope] = &[];
    const WRITES: bool = false;
    const CARE_TEAM: bool = true;
}

pub struct ManagePlan;
impl Need for ManagePlan {
    const SCOPES: &'static [Scope] = &[];
    const WRITES: bool = true;
    const CARE_TEAM: bool = true;
}

/// Proof that the logged-in account may do `N` on patient `{p}` of the path.
/// A patient it has no relation to is hidden (404); a relation without the
/// needed scope is refused (403).
pub struct PatientAccess<N: Need> {
    pub account: Account,
    pub patient_id: i64,
    pub relation: Relation,
    pub scopes: Vec<Scope>,
    need: PhantomData<N>,
}

impl<N: Need> FromRequestParts<AppState> for PatientAccess<N> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CurrentAccount {
            account, preview_by, ..
        } = CurrentAccount::from_request_parts(parts, state).await?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let patient_id: i64 = params
            .get("p")
            .and_then(|p| p.parse().ok())
            .ok_or(AppError::NotFound)?;
        // A preview opens only the care manager's own patients, whoever else
        // the previewed caregiver may care for.
        if let Some(manager) = &preview_by {
            if !state.store.is_assigned(manager.id, patient_id).await? {
                return Err(AppError::NotFound);
            }
        }
        let (relation, scopes) = match account.role {
            Role::Patient if account.patient_id == Some(patient_id) => (Relation::Own, Scope::ALL.to_vec()),
            Role::Patient => return Err(AppError::NotFound),
            Role::Caregiver => match state
                .store
                .active_grant(account.id, patient_id, Utc::now())
                .await?
            {
                Some(grant) => (Relation::Caregiver, grant.scopes),
                None => return Err(AppError::NotFound),
            },
            Role::CareManager if state.store.is_assigned(account.id, patient_id).await? => {
                (Relation::CareManager, care_manager_scopes())
            }
            Role::CareManager => return Err(AppError::NotFound),
        };
        let allowed = match relation {
            _ if N::CARE_TEAM => relation == Relation::CareManager,
            Relation::Own => true,
            _ if N::OWN_ONLY => false,
            Relation::Caregiver if N::ANY_SCOPE => N::SCOPES.iter().any(|needed| scopes.contains(needed)),
            Relation::Caregiver => N::SCOPES.iter().all(|needed| scopes.contains(needed)),
            Relation::CareManager => !N::WRITES,
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        // Anyone but the patient leaves a trace the patient can read; a
        // preview is the care manager's read, marked as a preview.
        let trace = match &preview_by {
            Some(manager) => Some((manager, Access::Preview)),
            None if relation == Relation::Own => None,
            // What the route may do, not the method: a read through POST is a read.
            None if N::WRITES => Some((&account, Access::Change)),
            None => Some((&account, Access::Read)),
        };
        if let Some((who, access)) = trace {
            let route = parts
                .extensions
                .get::<MatchedPath>()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default();
            let trace = Trace {
                patient_id,
                who: who.clone(),
                access,
                route,
            };
            // Written by `record_accesses` once the answer says what was done.
            match parts.extensions.get::<TraceSlot>() {
                Some(slot) => slot.keep(trace),
                None => trace.record(state, trace.access).await?,
            }
        }
        Ok(PatientAccess {
            account,
            patient_id,
            relation,
            scopes,
            need: PhantomData,
        })
    }
}

/// An allowed access to a patient's record by someone else, to be written
/// to the patient's audit trail.
#[derive(Clone)]
struct Trace {
    patient_id: i64,
    who: Account,
    access: Access,
    route: String,
}

impl Trace {
    async fn record(&self, state: &AppState, access: Access) -> Result<(), AppError> {
        state
            .store
            .record_access(&[self.patient_id], &self.who, access, &self.route, Utc::now())
            .await?;
        Ok(())
    }
}

/// Where [`PatientAccess`] leaves its trace for [`record_accesses`].
#[derive(Clone, Default)]
struct TraceSlot(std::sync::Arc<std::sync::Mutex<Option<Trace>>>);

impl TraceSlot {
    fn keep(&self, trace: Trace) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(trace);
    }

    fn take(&self) -> Option<Trace> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Writes the audit entry of an access once its answer is known, so the
/// trail says what was done: a change answered 2xx changed the record; one
/// refused (invalid, a conflict, a failure) is a refused attempt; a replayed
/// answer changed nothing more and showed what was stored, a read; a read
/// that was not answered read nothing and leaves no entry. No answer leaves
/// without its entry: when the entry cannot be written, the answer is a 500.
pub async fn record_accesses(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let slot = TraceSlot::default();
    request.extensions_mut().insert(slot.clone());
    let response = next.run(request).await;
    let Some(trace) = slot.take() else {
        return response;
    };
    let succeeded = response.status().is_success();
    let replayed = response.headers().contains_key("idempotent-replayed");
    let access = match trace.access {
        Access::Change if replayed && succeeded => Some(Access::Read),
        Access::Change if succeeded => Some(Access::Change),
        Access::Change => Some(Access::RefusedChange),
        read if succeeded => Some(read),
        _ => None,
    };
    let Some(access) = access else {
        return response;
    };
    match trace.record(&state, access).await {
        Ok(()) => response,
        Err(error) => error.into_response(),
    }
}

/// Refuses every state-changing request made in a preview, whatever the
/// route: a preview shows, it never changes.
pub async fn refuse_writes_in_preview(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && request.headers().contains_key(PREVIEW_HEADER) {
        return AppError::PreviewReadOnly.into_response();
    }
    next.run(request).await
}

/// Refuses state-changing API requests that a browser says came from another
/// site. Clients that are not browsers send neither header and pass; the
/// SameSite=Strict cookie already keeps other sites' requests anonymous.
pub async fn require_same_origin(State(_): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !same_origin(request.headers()) {
        return AppError::CrossOrigin.into_response();
    }
    next.run(request).await
}

fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    match (text("origin"), text("host")) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_rules() {
        assert!(same_origin(&headers(&[])));
        assert!(same_origin(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "http://evil.test"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(same_origin(&headers(&[
            ("sec-fetch-site", "same-origin"),
            ("host", "127.0.0.1:3000")
        ])));
    }

    #[test]
    fn passwords_verify_and_unknown_users_fail() {
        let hash = hash_password("tend-demo").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("tend-demo", Some(&hash)));
        assert!(!verify_password("wrong", Some(&hash)));
        assert!(!verify_password("tend-demo", None));
    }

    #[test]
    fn the_session_cookie_is_read_among_others() {
        let map = headers(&[("cookie", "a=1; tend_session=abc; b=2")]);
        assert_eq!(session_token(&map).as_deref(), Some("abc"));
        assert_eq!(session_token(&headers(&[("cookie", "tend_session=")])), None);
    }
}
