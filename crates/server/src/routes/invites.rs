//! Invitations: the patient makes a one-time code for a caregiver; the
//! caregiver looks at it, then accepts it with an account or makes one.
//! Codes are guessed against the invite throttle, per address and account.

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use rand::RngCore;
use tend_model::invite::{display_invite_code, invite_code_from_bytes, normalize_invite_code};
use tend_model::{
    InviteAccepted, InviteCode, InviteCreated, InvitePreview, InviteRequest, InviteSignUp, InviteView,
    PatientLink, Problem, Relation, Role,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{
    hash_password, new_session_token, session_cookie, token_hash, verify_password, CurrentAccount,
    ManageSharing, PatientAccess, SESSION_LIFETIME,
};
use crate::error::{parse_json, AppError, AppResult};
use crate::idempotency::{self, RawClaim};
use crate::routes::session::session_view;
use crate::routes::{local_today, zone_of};
use crate::store::invites::{NewInvite, OpenInvite};
use crate::store::{Account, StoreTx};
use crate::throttle;
use crate::AppState;

/// A fresh code and the hash that is stored in its place.
fn new_code() -> (String, String) {
    loop {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        if let Some(code) = invite_code_from_bytes(&bytes) {
            let hash = token_hash(&code);
            return (code, hash);
        }
    }
}

fn created(invite: InviteView, code: &str) -> InviteCreated {
    let code = display_invite_code(code);
    InviteCreated {
        path: format!("/invite/{code}"),
        code,
        invite,
    }
}

/// The end of a local day where the patient lives, as an instant.
fn end_of_day(tz: Tz, day: NaiveDate) -> AppResult<DateTime<Utc>> {
    day.succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| tend_model::schedule::resolve_local(tz, d).with_timezone(&Utc))
        .ok_or_else(|| AppError::field("until", "too_far", "Share for at most a year at a time."))
}

/// The invites that can still be accepted.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/invites",
    security(("session" = [])),
    tag = "sharing",
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "Open invites, newest first (never their codes)", body = Vec<InviteView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient manages sharing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    access: PatientAccess<ManageSharing>,
) -> AppResult<Json<Vec<InviteView>>> {
    Ok(Json(
        state.store.open_invites(access.patient_id, Utc::now()).await?,
    ))
}

/// Invite a family caregiver: a one-time code, and the app's address that
/// holds it, shown in this answer only. A retry with the same
/// `Idempotency-Key` makes no second invite: it gives the same invite a new
/// code (the one before stops working), since the code itself is kept nowhere.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/invites",
    security(("session" = [])),
    tag = "sharing",
    params(
        ("p" = i64, Path, description = "Patient id"),
        ("Idempotency-Key" = String, Header, description = "New for each invite; repeat it when retrying"),
    ),
    request_body = InviteRequest,
    responses(
        (status = 201, description = "The invite and its code", body = InviteCreated),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient invites", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient; or a retry of an invite no longer open", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nothing shared, a day out of range, or an invite open too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    access: PatientAccess<ManageSharing>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let key = idempotency::key_from(&headers)?;
    let request: InviteRequest = parse_json(&body)?;
    let now = Utc::now();
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let claim = idempotency::claim_raw(
        &state.store,
        access.account.id,
        &key,
        "invites",
        patient.id,
        &body,
        now,
    );
    let (code, hash) = new_code();
    let mut tx = match claim.await? {
        RawClaim::Fresh(tx) => tx,
        RawClaim::Stored { mut tx, body, .. } => {
            // The answer with the code was lost on the way: the same invite gets a new code.
            let first: InviteView = serde_json::from_str(&body).map_err(|e| AppError::Internal(e.into()))?;
            if !tx.replace_invite_code(first.id, &hash, now).await? {
                return Err(AppError::NotFound);
            }
            let invite = tx.invite(first.id).await?.ok_or(AppError::NotFound)?;
            tx.commit().await?;
            let mut response = (StatusCode::CREATED, Json(created(invite, &code))).into_response();
            response
                .headers_mut()
                .insert("idempotent-replayed", header::HeaderValue::from_static("true"));
            return Ok(response);
        }
    };
    let (_, today) = local_today(&patient, now)?;
    let errors = request.check(today);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let label = request.clean_label();
    let invite = tx
        .insert_invite(&NewInvite {
            patient_id: patient.id,
            code_hash: &hash,
            label: &label,
            scopes: &request.scopes,
            until: request.until,
            created_by: access.account.id,
            created_at: now,
            expires_at: now + TimeDelta::days(i64::from(request.valid_days)),
        })
        .await?;
    // The stored answer is the invite without its code.
    let stored = serde_json::to_string(&invite).map_err(|e| AppError::Internal(e.into()))?;
    tx.finish_key(access.account.id, &key, StatusCode::CREATED.as_u16(), &stored)
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created(invite, &code))).into_response())
}

/// Withdraw an invite nobody accepted yet: its code stops working at once.
#[utoipa::path(
    delete,
    path = "/api/patients/{p}/invites/{id}",
    security(("session" = [])),
    tag = "sharing",
    params(("p" = i64, Path, description = "Patient id"), ("id" = i64, Path, description = "The invite")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient manages sharing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such open invite", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn withdraw(
    State(state): State<AppState>,
    access: PatientAccess<ManageSharing>,
    Path(ids): Path<(i64, i64)>,
) -> AppResult<Response> {
    if state
        .store
        .withdraw_invite(access.patient_id, ids.1, Utc::now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AppError::NotFound)
    }
}

fn peer(extensions: &Extensions) -> Option<String> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
}

/// Finds the open invite of a typed code, counting the try against the
/// throttle: a wrong code keeps its turn, a right one gives it back. Wrong,
/// used, withdrawn and expired codes get the same 404.
async fn find_invite(
    state: &AppState,
    typed: &str,
    keys: &[(String, usize)],
) -> AppResult<(OpenInvite, String)> {
    let started = Instant::now();
    if let Err(wait) = state.login_throttle.begin(keys, started) {
        tracing::warn!("invite guesses throttled");
        return Err(AppError::TooManyAttempts {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let Some(code) = normalize_invite_code(typed) else {
        return Err(AppError::NotFound);
    };
    let hash = token_hash(&code);
    let invite = state
        .store
        .open_invite_by_code(&hash, Utc::now())
        .await?
        .ok_or(AppError::NotFound)?;
    state.login_throttle.give_back(keys, started);
    Ok((invite, hash))
}

/// What a code offers: whose record, what, until when. Needs no login, so
/// the person can decide before making an account; guesses are throttled.
#[utoipa::path(
    post,
    path = "/api/invites/lookup",
    tag = "sharing",
    request_body = InviteCode,
    responses(
        (status = 200, description = "What accepting would share", body = InvitePreview),
        (status = 404, description = "No open invite has this code (wrong, used, withdrawn or expired)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes from here; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lookup(
    State(state): State<AppState>,
    extensions: Extensions,
    body: Bytes,
) -> AppResult<Json<InvitePreview>> {
    let request: InviteCode = parse_json(&body)?;
    let keys = throttle::invite_keys(peer(&extensions).as_deref(), None);
    let (invite, _) = find_invite(&state, &request.code, &keys).await?;
    Ok(Json(InvitePreview {
        patient_name: invite.patient_name,
        scopes: invite.scopes,
        until: invite.until,
        expires_at: invite.expires_at,
    }))
}

/// Makes the grant of an open invite for `caregiver` inside `tx`.
async fn accept_in(
    state: &AppState,
    tx: &mut StoreTx,
    invite: &OpenInvite,
    caregiver: i64,
    now: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    let patient = state
        .store
        .patient(invite.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let expires = end_of_day(zone_of(&patient)?, invite.until)?;
    tx.accept_invite(invite, caregiver, expires, now)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(expires)
}

fn not_caregiver() -> AppError {
    AppError::field(
        "account",
        "not_caregiver",
        "Only a family caregiver's account can accept an invite. Log out, then accept it with another account.",
    )
}

/// Accept an invite with the logged-in caregiver account. A live grant of
/// this caregiver to the same patient is replaced by the invite's.
#[utoipa::path(
    post,
    path = "/api/invites/accept",
    security(("session" = [])),
    tag = "sharing",
    params(("Idempotency-Key" = String, Header, description = "New for each acceptance; repeat it when retrying")),
    request_body = InviteCode,
    responses(
        (status = 200, description = "Accepted: the patient and the session now", body = InviteAccepted),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No open invite has this code", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a code, or the account is not a caregiver's", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn accept(
    State(state): State<AppState>,
    current: CurrentAccount,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let request: InviteCode = parse_json(&body)?;
    let key = idempotency::key_from(&headers)?;
    let account = current.account;
    if account.role != Role::Caregiver {
        return Err(not_caregiver());
    }
    let now = Utc::now();
    // A retry is answered from the key: the code is used up by then.
    let mut tx =
        match idempotency::claim(&state.store, account.id, &key, "invite-accept", 0, &body, now).await? {
            idempotency::Claim::Fresh(tx) => tx,
            idempotency::Claim::Replayed(response) => return Ok(response),
        };
    let keys = throttle::invite_keys(peer(&extensions).as_deref(), Some(account.id));
    let (invite, _) = find_invite(&state, &request.code, &keys).await?;
    let expires = accept_in(&state, &mut tx, &invite, account.id, now).await?;
    // The session as it will be once this commits: the patient with the invite's scopes.
    let mut session = session_view(&state, account.clone(), None).await?;
    session.patients.retain(|p| p.id != invite.patient_id);
    session.patients.push(PatientLink {
        id: invite.patient_id,
        name: invite.patient_name.clone(),
        relation: Relation::Caregiver,
        scopes: invite.scopes.clone(),
        until: Some(expires),
        last_day: Some(invite.until),
    });
    session.patients.sort_by(|a, b| a.name.cmp(&b.name));
    let answer = InviteAccepted {
        patient_id: invite.patient_id,
        session,
    };
    tracing::info!(account = account.id, "invite accepted");
    idempotency::finish(tx, account.id, &key, StatusCode::OK, &answer).await
}

/// Make a caregiver account and accept an invite in one step; logs the new
/// account in. Sending the same again (a retry) logs in again if the account
/// it made accepted this very code and the password is right.
#[utoipa::path(
    post,
    path = "/api/invites/sign-up",
    tag = "sharing",
    request_body = InviteSignUp,
    responses(
        (status = 201, description = "Account made, invite accepted, logged in (sets the session cookie)", body = InviteAccepted),
        (status = 404, description = "No open invite has this code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A name, username or password to fix, or the username is taken", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes from here; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn sign_up(State(state): State<AppState>, extensions: Extensions, body: Bytes) -> AppResult<Response> {
    let request: InviteSignUp = parse_json(&body)?;
    let errors = request.check();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let username = request.clean_username();
    let keys = throttle::invite_keys(peer(&extensions).as_deref(), None);
    let now = Utc::now();
    let taken = state.store.account_by_username(&username).await?;
    let (account, patient_id) = match taken {
        Some(existing) => retried_sign_up(&state, &request, existing).await?,
        None => {
            let (invite, _) = find_invite(&state, &request.code, &keys).await?;
            let password = request.password.clone();
            let hash = tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(|e| AppError::Internal(e.into()))?
                .map_err(AppError::Internal)?;
            let mut tx = state.store.begin().await?;
            let name = request.name.trim();
            let id = match tx.insert_caregiver(&username, &hash, name, now).await {
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(username_taken()),
                other => other?,
            };
            accept_in(&state, &mut tx, &invite, id, now).await?;
            tx.commit().await?;
            tracing::info!(account = id, "caregiver account made from an invite");
            let account = state
                .store
                .account_by_username(&username)
                .await?
                .ok_or(AppError::NotFound)?;
            (account, invite.patient_id)
        }
    };
    let (token, session_hash) = new_session_token();
    state
        .store
        .create_session(&session_hash, account.id, now, now + SESSION_LIFETIME)
        .await?;
    let answer = InviteAccepted {
        patient_id,
        session: session_view(&state, account, None).await?,
    };
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, session_cookie(&token, state.secure_cookies))],
        Json(answer),
    )
        .into_response())
}

/// A username that is taken is a retry only when that account accepted this
/// very code and the password is its own; anything else is "taken".
async fn retried_sign_up(
    state: &AppState,
    request: &InviteSignUp,
    existing: Account,
) -> AppResult<(Account, i64)> {
    let taken = username_taken;
    let Some(code) = normalize_invite_code(&request.code) else {
        return Err(taken());
    };
    let Some((accepted_by, patient_id)) = state.store.invite_accepted_by(&token_hash(&code)).await? else {
        return Err(taken());
    };
    if accepted_by != existing.id {
        return Err(taken());
    }
    // A password check on a known account: it counts like a login.
    let started = Instant::now();
    let login_keys = throttle::keys(&existing.username, None);
    if let Err(wait) = state.login_throttle.begin(&login_keys, started) {
        return Err(AppError::TooManyAttempts {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let (typed, stored) = (request.password.clone(), existing.password_hash.clone());
    let verified = tokio::task::spawn_blocking(move || verify_password(&typed, Some(&stored)))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    if !verified {
        return Err(taken());
    }
    state.login_throttle.succeed(&login_keys, started);
    Ok((existing, patient_id))
}

fn username_taken() -> AppError {
    AppError::field(
        "username",
        "taken",
        "This username is taken. Choose another, or log in if it is yours.",
    )
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(withdraw))
        .routes(routes!(lookup))
        .routes(routes!(accept))
        .routes(routes!(sign_up))
}
