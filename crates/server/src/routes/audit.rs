//! "Who looked at my record": the accesses of others to a patient's record.

use axum::extract::State;
use axum::Json;
use tend_model::{AuditEntry, Problem};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{PatientAccess, ReadAudit};
use crate::error::AppResult;
use crate::AppState;

/// The most entries one answer holds.
const LIMIT: i64 = 200;

/// Who read or changed this record, newest first: caregivers and care
/// managers, with their role, the part of the record, when, and whether it
/// was a preview. Only the patient may read it.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/audit",
    tag = "audit",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The newest 200 accesses by others", body = Vec<AuditEntry>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient reads this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn audit(
    State(state): State<AppState>,
    access: PatientAccess<ReadAudit>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    Ok(Json(state.store.audit(access.patient_id, LIMIT).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit))
}
