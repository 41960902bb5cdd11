//! Sharing: the patient sees, changes and ends what each caregiver may see.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use tend_model::{GrantUpdate, GrantView, Problem};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{ManageSharing, PatientAccess};
use crate::error::{parse_json, AppError, AppResult};
use crate::routes::{local_today, zone_of};
use crate::AppState;

/// Who sees what of the record, until when; ended ones too.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/grants",
    tag = "sharing",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The patient's grants, newest first", body = Vec<GrantView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient manages sharing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    access: PatientAccess<ManageSharing>,
) -> AppResult<Json<Vec<GrantView>>> {
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(state.store.grants_of(patient.id, zone_of(&patient)?).await?))
}

/// Change what a caregiver sees and until which day (the end of that day
/// where the patient lives). Takes effect on the caregiver's next request.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/grants/{id}",
    tag = "sharing",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id"), ("id" = i64, Path, description = "The grant")),
    request_body = GrantUpdate,
    responses(
        (status = 200, description = "The grant now", body = GrantView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient manages sharing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such live grant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nothing shared, or a day in the past or over a year ahead", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update(
    State(state): State<AppState>,
    access: PatientAccess<ManageSharing>,
    Path(ids): Path<(i64, i64)>,
    body: Bytes,
) -> AppResult<Json<GrantView>> {
    let grant_id = ids.1;
    let update: GrantUpdate = parse_json(&body)?;
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let (tz, today) = local_today(&patient, now)?;
    update.check(today).map_err(|e| AppError::Validation(vec![e]))?;
    let end_of_day = update
        .until
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| tend_model::schedule::resolve_local(tz, d).with_timezone(&Utc))
        .ok_or_else(|| AppError::field("until", "in_past", "Choose today or a later day."))?;
    if !state
        .store
        .update_grant(patient.id, grant_id, &update.scopes, end_of_day, now)
        .await?
    {
        return Err(AppError::NotFound);
    }
    state
        .store
        .grants_of(patient.id, tz)
        .await?
        .into_iter()
        .find(|g| g.id == grant_id)
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// Stop sharing with a caregiver, at once: their very next request is refused.
#[utoipa::path(
    delete,
    path = "/api/patients/{p}/grants/{id}",
    tag = "sharing",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id"), ("id" = i64, Path, description = "The grant")),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient manages sharing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such live grant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn revoke(
    State(state): State<AppState>,
    access: PatientAccess<ManageSharing>,
    Path(ids): Path<(i64, i64)>,
) -> AppResult<Response> {
    if state
        .store
        .revoke_grant(access.patient_id, ids.1, Utc::now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AppError::NotFound)
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(update, revoke))
}
