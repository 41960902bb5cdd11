//! Alerts for caregivers: the patient chooses after how many hours an
//! unmarked medicine alerts them; the server works out which ones do.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{TimeDelta, Utc};
use tend_model::alert::missed_medicines;
use tend_model::{CaregiverAlertSettings, CaregiverAlerts, Problem};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{ManageSharing, PatientAccess, ReadReminders};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, Begun, Write};
use crate::routes::agenda::agenda_items;
use crate::routes::local_today;
use crate::AppState;

/// After how many hours an unmarked medicine alerts the caregivers.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/caregiver-alerts",
    security(("session" = [])),
    tag = "sharing",
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The patient's choice", body = CaregiverAlertSettings),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient chooses", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn settings(
    State(state): State<AppState>,
    access: PatientAccess<ManageSharing>,
) -> AppResult<Json<CaregiverAlertSettings>> {
    Ok(Json(CaregiverAlertSettings {
        missed_medicine_hours: state.store.missed_medicine_hours(access.patient_id).await?,
    }))
}

/// Choose after how many hours (1 to 24) an unmarked medicine alerts the
/// caregivers who see the reminders, or turn it off (`null`).
#[utoipa::path(
    post,
    path = "/api/patients/{p}/caregiver-alerts",
    security(("session" = [])),
    tag = "sharing",
    params(
        ("p" = i64, Path, description = "Patient id"),
        ("Idempotency-Key" = String, Header, description = "New for each change; repeat it when retrying"),
    ),
    request_body = CaregiverAlertSettings,
    responses(
        (status = 200, description = "The choice now", body = CaregiverAlertSettings),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient chooses", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Hours out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn choose(
    State(state): State<AppState>,
    access: PatientAccess<ManageSharing>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let begun = idempotency::begin::<CaregiverAlertSettings>(
        &state.store,
        access.account.id,
        "caregiver-alerts",
        access.patient_id,
        &headers,
        &body,
    );
    let Write {
        key,
        input: choice,
        mut tx,
        ..
    } = match begun.await? {
        Begun::Fresh(write) => write,
        Begun::Replayed(response) => return Ok(response),
    };
    choice.check().map_err(|e| AppError::Validation(vec![e]))?;
    tx.set_missed_medicine_hours(access.patient_id, choice.missed_medicine_hours)
        .await?;
    idempotency::finish(tx, access.account.id, &key, StatusCode::OK, &choice).await
}

/// What the patient's caregivers should know now: each medicine of
/// yesterday and today (where the patient lives) still unmarked the chosen
/// hours after it was due, with since when. Empty when the alert is off.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/alerts",
    security(("session" = [])),
    tag = "agenda",
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The alerts", body = CaregiverAlerts),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The reminders are not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn alerts(
    State(state): State<AppState>,
    access: PatientAccess<ReadReminders>,
) -> AppResult<Json<CaregiverAlerts>> {
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(hours) = state.store.missed_medicine_hours(patient.id).await? else {
        return Ok(Json(CaregiverAlerts::default()));
    };
    let now = Utc::now();
    let (tz, today) = local_today(&patient, now)?;
    let items = agenda_items(&state, &patient, tz, today - TimeDelta::days(1), today, false).await?;
    Ok(Json(CaregiverAlerts {
        missed_medicine_hours: Some(hours),
        missed_medicines: missed_medicines(&items, hours, now),
    }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(settings, choose))
        .routes(routes!(alerts))
}
