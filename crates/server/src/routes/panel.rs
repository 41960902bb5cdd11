//! The care manager's panel, acknowledging flags, and whom a care manager
//! may preview the app as.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{TimeDelta, Utc};
use tend_model::{
    arrange, ActivityKind, FlagAcknowledgement, FlagView, PanelAppointment, PanelCheckIn, PanelFilter,
    PanelFlag, PanelPatient, PanelSort, PreviewAccount, Problem, Role, Tally,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{ChoosePreview, CurrentAccount, ManagePlan, PatientAccess};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, Begun, IdempotencyKeyHeader, Write};
use crate::routes::agenda::agenda_items;
use crate::routes::appointments::care_events;
use crate::routes::local_today;
use crate::store::{Access, Patient};
use crate::AppState;

/// How many days of adherence the panel shows, today included.
const ADHERENCE_DAYS: i64 = 7;

/// One patient's row: open flags, the last 7 days, the last check-in and
/// the next appointment.
async fn panel_row(state: &AppState, patient: &Patient) -> AppResult<PanelPatient> {
    let now = Utc::now();
    let (tz, today) = local_today(patient, now)?;
    let week = agenda_items(
        state,
        patient,
        tz,
        today - TimeDelta::days(ADHERENCE_DAYS - 1),
        today,
        false,
    )
    .await?;
    let tally = Tally::of(&week, today);
    let mut open_flags: Vec<PanelFlag> = state
        .store
        .flags(patient.id)
        .await?
        .into_iter()
        .filter(|f| f.acknowledged_at.is_none() && f.superseded_at.is_none())
        .map(|f| PanelFlag {
            id: f.id,
            urgency: f.urgency,
            detail: f.detail,
            raised_at: f.raised_at,
        })
        .collect();
    open_flags.sort_by_key(|f| (f.urgency, f.raised_at, f.id));
    let last_check_in = state
        .store
        .last_response(patient.id)
        .await?
        .map(|r| PanelCheckIn {
            questionnaire: r.questionnaire,
            total: r.total,
            max: r.max,
            band: r.band,
            at: r.recorded_at,
        });
    let local_now = now.with_timezone(&tz).naive_local();
    let next_appointment = care_events(&state.store, patient.id)
        .await?
        .into_iter()
        .filter(|e| e.kind == ActivityKind::Appointment && e.is_open())
        .filter_map(|e| Some((e.when.filter(|when| *when >= local_now)?, e)))
        .min_by_key(|(when, e)| (*when, e.activity_id))
        .map(|(when, e)| PanelAppointment {
            activity_id: e.activity_id,
            title: e.title,
            when,
        });
    Ok(PanelPatient {
        id: patient.id,
        name: patient.name.clone(),
        open_flags,
        done_7d: tally.done as u32,
        due_7d: tally.settled() as u32,
        last_check_in,
        next_appointment,
    })
}

/// Every patient of the logged-in care manager with open flags (most urgent
/// first), adherence over the last 7 days, the last check-in and its score,
/// and the next appointment; most urgent patients first. Each patient's
/// record is read, so each gets an audit entry.
#[utoipa::path(
    get,
    path = "/api/panel",
    tag = "panel",
    security(("session" = [])),
    responses(
        (status = 200, description = "The panel, most urgent first", body = Vec<PanelPatient>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only care managers have a panel", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn panel(State(state): State<AppState>, current: CurrentAccount) -> AppResult<Json<Vec<PanelPatient>>> {
    let manager = current.account;
    if manager.role != Role::CareManager {
        return Err(AppError::Forbidden);
    }
    let ids: Vec<i64> = state
        .store
        .patients_for(&manager, Utc::now())
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut rows = Vec::with_capacity(ids.len());
    for id in &ids {
        let patient = state.store.patient(*id).await?.ok_or(AppError::NotFound)?;
        rows.push(panel_row(&state, &patient).await?);
    }
    state
        .store
        .record_access(&ids, &manager, Access::Read, "/api/panel", Utc::now())
        .await?;
    // The order the page starts in: the model's "most urgent first".
    let rows = arrange(&rows, PanelSort::Urgency, &PanelFilter::default())
        .into_iter()
        .cloned()
        .collect();
    Ok(Json(rows))
}

/// The care manager acknowledges a flag with a note of what was done. The
/// flag leaves the panel; the patient's flags keep who, when and the note.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/flags/{flag}/acknowledgement",
    tag = "check-ins",
    security(("session" = [])),
    params(
        ("p" = i64, Path, description = "Patient id"),
        ("flag" = i64, Path, description = "Flag id"),
        IdempotencyKeyHeader,
    ),
    request_body = FlagAcknowledgement,
    responses(
        (status = 200, description = "The flag, acknowledged", body = FlagView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient's care manager acknowledges flags", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient or flag", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already acknowledged, or the Idempotency-Key was used for another request", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No note, or one too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn acknowledge(
    State(state): State<AppState>,
    access: PatientAccess<ManagePlan>,
    Path(ids): Path<(i64, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let flag_id = ids.1;
    let begun = idempotency::begin::<FlagAcknowledgement>(
        &state.store,
        access.account.id,
        "flag_acknowledgement",
        access.patient_id,
        &headers,
        &body,
    );
    let Write {
        key,
        input: request,
        now,
        mut tx,
    } = match begun.await? {
        Begun::Fresh(write) => write,
        Begun::Replayed(response) => return Ok(response),
    };
    request.check().map_err(|e| AppError::Validation(vec![e]))?;
    let note = request.note.trim();
    if !tx
        .acknowledge_flag(access.patient_id, flag_id, access.account.id, note, now)
        .await?
    {
        drop(tx);
        let known = state
            .store
            .flags(access.patient_id)
            .await?
            .into_iter()
            .any(|f| f.id == flag_id);
        return Err(if known {
            AppError::AlreadyDone
        } else {
            AppError::NotFound
        });
    }
    let mut flag = state
        .store
        .flags(access.patient_id)
        .await?
        .into_iter()
        .find(|f| f.id == flag_id)
        .ok_or(AppError::NotFound)?;
    // As it will be read back once committed.
    flag.acknowledged_at = Some(chrono::DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now));
    flag.acknowledged_by = Some(access.account.display_name.clone());
    flag.acknowledgement_note = Some(note.to_owned());
    idempotency::finish(tx, access.account.id, &key, StatusCode::OK, &flag).await
}

/// Whom the patient's care manager may preview the app as: the patient and
/// each caregiver with a live grant, with what is shared with them.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/preview-accounts",
    tag = "panel",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The patient first, then caregivers", body = Vec<PreviewAccount>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient's care manager previews", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn preview_accounts(
    State(state): State<AppState>,
    access: PatientAccess<ChoosePreview>,
) -> AppResult<Json<Vec<PreviewAccount>>> {
    Ok(Json(
        state
            .store
            .preview_accounts(access.patient_id, Utc::now())
            .await?,
    ))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(panel))
        .routes(routes!(acknowledge))
        .routes(routes!(preview_accounts))
}
