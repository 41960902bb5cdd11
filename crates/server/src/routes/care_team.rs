use axum::extract::State;
use axum::Json;
use tend_model::{CareTeamMember, Problem};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{PatientAccess, ReadPlan};
use crate::error::AppResult;
use crate::AppState;

/// The patient's care team: who is who, what to call them for, hours, phone.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/care-team",
    tag = "plan",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The care team, in order", body = Vec<CareTeamMember>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The plan is not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn care_team(
    State(state): State<AppState>,
    access: PatientAccess<ReadPlan>,
) -> AppResult<Json<Vec<CareTeamMember>>> {
    Ok(Json(state.store.care_team(access.patient_id).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(care_team))
}
