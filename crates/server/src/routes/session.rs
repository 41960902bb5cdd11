use axum::body::Bytes;
use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use tend_model::{AccountView, LoginRequest, PasswordChange, PatientLink, PreviewView, Problem, SessionView};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{
    clear_cookie, hash_password, new_session_token, session_cookie, session_token, token_hash,
    verify_password, CurrentAccount, SESSION_LIFETIME,
};
use crate::error::{parse_json, AppError, AppResult};
use crate::routes::{last_day, zone_of};
use crate::store::Account;
use crate::throttle;
use crate::AppState;

/// Who the account is and whose records it may open. In a preview, only the
/// care manager's own patients among them.
pub(crate) async fn session_view(
    state: &AppState,
    account: Account,
    preview_by: Option<Account>,
) -> AppResult<SessionView> {
    let now = Utc::now();
    let mut listed = state.store.patients_for(&account, now).await?;
    if let Some(manager) = &preview_by {
        let mine = state
            .store
            .previewable_patients(manager.id, &account, now)
            .await?;
        listed.retain(|p| mine.contains(&p.id));
    }
    let mut patients = Vec::with_capacity(listed.len());
    for p in listed {
        // A caregiver's last day is the patient's day, not this server's or the browser's.
        let last_day = match p.until {
            Some(until) => match state.store.patient(p.id).await? {
                Some(patient) => Some(last_day(zone_of(&patient)?, until)),
                None => None,
            },
            None => None,
        };
        patients.push(PatientLink {
            id: p.id,
            name: p.name,
            relation: p.relation,
            scopes: p.scopes,
            until: p.until,
            last_day,
        });
    }
    Ok(SessionView {
        account: AccountView {
            id: account.id,
            username: account.username,
            display_name: account.display_name,
            role: account.role,
        },
        patients,
        preview: preview_by.map(|manager| PreviewView {
            by: manager.display_name,
        }),
    })
}

/// Log in. Sets an HttpOnly, SameSite=Strict session cookie.
#[utoipa::path(
    post,
    path = "/api/session",
    tag = "session",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = SessionView),
        (status = 401, description = "Wrong username or password (the same answer for both)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins for this account or address; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a login request", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn login(State(state): State<AppState>, extensions: Extensions, body: Bytes) -> AppResult<Response> {
    let request: LoginRequest = parse_json(&body)?;
    // The peer address, when served over a socket (tests drive the router without one).
    let address = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string());
    // No account has a name this long; refuse before it takes any memory.
    if request.username.chars().count() > throttle::MAX_USERNAME_CHARS {
        return Err(AppError::InvalidCredentials);
    }
    let keys = throttle::keys(&request.username, address.as_deref());
    let started = Instant::now();
    if let Err(wait) = state.login_throttle.begin(&keys, started) {
        tracing::warn!("login throttled");
        return Err(AppError::TooManyAttempts {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let account = state.store.account_by_username(request.username.trim()).await?;
    let password = request.password;
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    // Hashing is slow on purpose; keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref()))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let Some(account) = account.filter(|_| verified) else {
        tracing::info!("login refused");
        return Err(AppError::InvalidCredentials);
    };
    state.login_throttle.succeed(&keys, started);
    let (token, hash) = new_session_token();
    let now = Utc::now();
    state
        .store
        .create_session(&hash, account.id, now, now + SESSION_LIFETIME)
        .await?;
    tracing::info!(account = account.id, "logged in");
    let view = session_view(&state, account, None).await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(&token, state.secure_cookies))],
        Json(view),
    )
        .into_response())
}

/// Who am I: the account, its role and the patients it may open.
#[utoipa::path(
    get,
    path = "/api/session",
    tag = "session",
    security(("session" = [])),
    responses(
        (status = 200, description = "The logged-in account", body = SessionView),
        (status = 401, description = "Not logged in, or the session ended", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn current(State(state): State<AppState>, current: CurrentAccount) -> AppResult<Json<SessionView>> {
    Ok(Json(
        session_view(&state, current.account, current.preview_by).await?,
    ))
}

/// Log out: ends the session on the server and clears the cookie.
#[utoipa::path(
    delete,
    path = "/api/session",
    tag = "session",
    security((), ("session" = [])),
    responses((status = 204, description = "Logged out (also when no session was open)"))
)]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = session_token(&headers) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(state.secure_cookies))],
    )
        .into_response())
}

/// Change one's own password: the current one must be right (wrong tries
/// count towards the login limit), the new one long enough, new and without
/// the username. Every other session of the account ends; this one stays.
#[utoipa::path(
    post,
    path = "/api/session/password",
    tag = "session",
    security(("session" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong, or the new one is too short, unchanged or holds the username", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    current: CurrentAccount,
    body: Bytes,
) -> AppResult<Response> {
    let change: PasswordChange = parse_json(&body)?;
    let account = current.account;
    let keys = throttle::keys(&account.username, None);
    let started = Instant::now();
    if let Err(wait) = state.login_throttle.begin(&keys, started) {
        return Err(AppError::TooManyAttempts {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let (typed, stored) = (change.current_password.clone(), account.password_hash.clone());
    let verified = tokio::task::spawn_blocking(move || verify_password(&typed, Some(&stored)))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    if !verified {
        return Err(AppError::field(
            "current_password",
            "wrong",
            "The current password is not right.",
        ));
    }
    state.login_throttle.succeed(&keys, started);
    change
        .check(&account.username)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let new = change.new_password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)?;
    let mut tx = state.store.begin().await?;
    tx.set_password(account.id, &hash, &current.token_hash).await?;
    tx.commit().await?;
    tracing::info!(account = account.id, "password changed");
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login, current, logout))
        .routes(routes!(change_password))
}
