//! Appointments and referrals, followed until their loop closes.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use tend_model::{ActivityKind, CareEvent, CareEventStep, CareEventUpdate, LocalizedText, Problem};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{ManagePlan, PatientAccess, ReadPlan};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, Begun, IdempotencyKeyHeader, Write};
use crate::routes::{local_today, versions_in_force};
use crate::store::Store;
use crate::AppState;

/// The patient's appointments and referrals as of today, with their trails.
pub(crate) async fn care_events(store: &Store, patient_id: i64) -> AppResult<Vec<CareEvent>> {
    let patient = store.patient(patient_id).await?.ok_or(AppError::NotFound)?;
    let (_, today) = local_today(&patient, Utc::now())?;
    let versions = store.activity_versions(patient_id).await?;
    let steps = store.care_event_steps(patient_id).await?;
    let mut events: Vec<CareEvent> = versions_in_force(&versions, today)
        .into_iter()
        .filter_map(|v| {
            let kind = ActivityKind::parse(&v.kind)?;
            if !matches!(kind, ActivityKind::Appointment | ActivityKind::Referral) {
                return None;
            }
            Some(CareEvent {
                activity_id: v.activity_id,
                kind,
                title: v.title.clone(),
                instructions: v.instructions.clone(),
                place: v.place.clone(),
                bring: v.bring.clone(),
                when: v.schedule.once_at(),
                steps: steps
                    .iter()
                    .filter(|(activity, _)| *activity == v.activity_id)
                    .map(|(_, step)| step.clone())
                    .collect(),
            })
        })
        .collect();
    // Open loops first, soonest first; then the closed ones.
    events.sort_by_key(|e| (!e.is_open(), e.when.is_none(), e.when, e.activity_id));
    Ok(events)
}

/// Appointments and referrals with where they stand: ordered, scheduled,
/// attended, closed.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/appointments",
    tag = "plan",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "Appointments and referrals, open loops first", body = Vec<CareEvent>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The plan is not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn appointments(
    State(state): State<AppState>,
    access: PatientAccess<ReadPlan>,
) -> AppResult<Json<Vec<CareEvent>>> {
    Ok(Json(care_events(&state.store, access.patient_id).await?))
}

/// The care manager moves an appointment or referral on (never back).
#[utoipa::path(
    post,
    path = "/api/patients/{p}/appointments/{activity}/status",
    tag = "plan",
    security(("session" = [])),
    params(
        ("p" = i64, Path, description = "Patient id"),
        ("activity" = i64, Path, description = "The appointment's or referral's activity id"),
        IdempotencyKeyHeader,
    ),
    request_body = CareEventUpdate,
    responses(
        (status = 200, description = "The appointment or referral now", body = CareEvent),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient's care manager changes this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient or appointment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a step forward, or a note too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update_status(
    State(state): State<AppState>,
    access: PatientAccess<ManagePlan>,
    Path(ids): Path<(i64, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let activity_id = ids.1;
    let begun = idempotency::begin::<CareEventUpdate>(
        &state.store,
        access.account.id,
        "care_event_status",
        access.patient_id,
        &headers,
        &body,
    );
    let Write {
        key,
        input: update,
        now,
        mut tx,
    } = match begun.await? {
        Begun::Fresh(write) => write,
        Begun::Replayed(response) => return Ok(response),
    };
    let events = care_events(&state.store, access.patient_id).await?;
    let event = events
        .iter()
        .find(|e| e.activity_id == activity_id)
        .ok_or(AppError::NotFound)?;
    let current = event.steps.iter().map(|s| s.status).max();
    update.check(current).map_err(|e| AppError::Validation(vec![e]))?;
    let note = update.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    tx.insert_care_event_step(activity_id, update.status, note, now, access.account.id)
        .await?;
    let mut answer = event.clone();
    answer.steps.push(CareEventStep {
        status: update.status,
        // As stored: whole seconds.
        at: DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
        by: access.account.display_name.clone(),
        note: note.map(|n| LocalizedText::new(n, n)),
    });
    idempotency::finish(tx, access.account.id, &key, StatusCode::OK, &answer).await
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(appointments))
        .routes(routes!(update_status))
}
