//! The patient's reminders as a calendar feed, and the secret link to it.
//!
//! The feed is read without a session, by a phone's calendar app, through a
//! random token in its path. Only a hash of the token is stored (as for
//! sessions), so the full link is shown once, in the answer that makes it; a
//! lost link is replaced by a new one. Logs name the route template only.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;
use chrono::{TimeDelta, Utc};
use tend_model::calendar::FEED_DAYS;
use tend_model::{CalendarFeed, CalendarFeedView, Problem};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{new_calendar_token, token_hash, ManageCalendar, PatientAccess};
use crate::error::{AppError, AppResult};
use crate::routes::agenda::agenda_items;
use crate::routes::local_today;
use crate::AppState;

/// The longest token accepted in a feed path; real ones are 64 hex digits.
const MAX_TOKEN_LEN: usize = 128;

fn feed_path(token: &str) -> String {
    format!("/api/calendar/{token}.ics")
}

/// The patient's upcoming occurrences (today and the next 60 days, those not
/// yet marked done or skipped) as an iCalendar feed with alarms. Times are
/// UTC, placed from the patient's zone with its DST rules; each event's UID
/// is stable from fetch to fetch. A revoked or unknown token is a 404.
#[utoipa::path(
    get,
    path = "/api/calendar/{token}.ics",
    tag = "reminders",
    params(("token" = String, Path, description = "The secret token of the patient's calendar link")),
    responses(
        (status = 200, description = "The feed", body = String, content_type = "text/calendar"),
        (status = 404, description = "No such link, or it was revoked or replaced", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let token = file
        .strip_suffix(".ics")
        .filter(|t| !t.is_empty() && t.len() <= MAX_TOKEN_LEN)
        .ok_or(AppError::NotFound)?;
    let patient_id = state
        .store
        .calendar_patient(&token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let patient = state.store.patient(patient_id).await?.ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let (tz, today) = local_today(&patient, now)?;
    let items = agenda_items(
        &state,
        &patient,
        tz,
        today,
        today + TimeDelta::days(FEED_DAYS),
        false,
    )
    .await?;
    let ics = CalendarFeed {
        lang: patient.language,
        generated: now,
        items: &items,
    }
    .to_ics();
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            // The link is the secret: no shared cache keeps what it opens.
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        ics,
    )
        .into_response())
}

#[derive(OpenApi)]
#[openapi(paths(feed))]
struct FeedDoc;

/// Whether the patient has a calendar link, and since when. The link itself
/// is never shown again after it was made.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/calendar-feed",
    tag = "reminders",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The link's state", body = CalendarFeedView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient manages their calendar link", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn calendar_link(
    State(state): State<AppState>,
    access: PatientAccess<ManageCalendar>,
) -> AppResult<Json<CalendarFeedView>> {
    Ok(Json(CalendarFeedView {
        created_at: state.store.calendar_link_created(access.patient_id).await?,
        path: None,
    }))
}

/// Makes a new calendar link and answers with its path, this once. A link
/// made before stops working at once (this is also how a link is rotated).
/// A retry makes yet another link and ends the one before, so no
/// Idempotency-Key is needed, and the answer with the secret is kept nowhere.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/calendar-feed",
    tag = "reminders",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 201, description = "The new link, with its path", body = CalendarFeedView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient manages their calendar link", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn new_calendar_link(
    State(state): State<AppState>,
    access: PatientAccess<ManageCalendar>,
) -> AppResult<Response> {
    let (token, hash) = new_calendar_token();
    let now = Utc::now();
    state
        .store
        .replace_calendar_link(access.patient_id, &hash, access.account.id, now)
        .await?;
    let view = CalendarFeedView {
        created_at: Some(now),
        path: Some(feed_path(&token)),
    };
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(view),
    )
        .into_response())
}

/// Ends the calendar link: the feed answers 404 from now on.
#[utoipa::path(
    delete,
    path = "/api/patients/{p}/calendar-feed",
    tag = "reminders",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 204, description = "No link is in force (also when there was none)"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient manages their calendar link", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn revoke_calendar_link(
    State(state): State<AppState>,
    access: PatientAccess<ManageCalendar>,
) -> AppResult<StatusCode> {
    state
        .store
        .revoke_calendar_link(access.patient_id, Utc::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> OpenApiRouter<AppState> {
    // The router cannot match a suffix after a parameter, so the feed takes
    // the whole last segment (`{token}.ics`) and the document names the real shape.
    OpenApiRouter::with_openapi(FeedDoc::openapi())
        .route("/api/calendar/{file}", get(feed))
        .routes(routes!(calendar_link, new_calendar_link, revoke_calendar_link))
}
