use axum::extract::State;
use axum::Json;
use chrono::Utc;
use tend_model::{ActivityKind, Lang, LocalizedText, PlanActivity, PlanView, Problem};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{PatientAccess, ReadPlan};
use crate::error::{AppError, AppResult};
use crate::routes::{local_today, versions_in_force};
use crate::AppState;

/// The care plan in plain language: summary, domains, each activity with its
/// schedule in words and the goal it serves, and the goals.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/plan",
    tag = "plan",
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The plan", body = PlanView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The plan is not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient or plan, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn plan(State(state): State<AppState>, access: PatientAccess<ReadPlan>) -> AppResult<Json<PlanView>> {
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, today) = local_today(&patient, Utc::now())?;
    let (summary, domains, status, updated_at, updated_by) = state
        .store
        .care_plan(patient.id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The newest version in force decides, and what has ended stays out.
    let versions = state.store.activity_versions(patient.id).await?;
    let mut activities: Vec<PlanActivity> = Vec::new();
    for version in versions_in_force(&versions, today) {
        if version.schedule.end.is_some_and(|end| end < today) {
            continue;
        }
        activities.push(PlanActivity {
            activity_id: version.activity_id,
            kind: ActivityKind::parse(&version.kind).unwrap_or(ActivityKind::Custom),
            title: version.title.clone(),
            instructions: version.instructions.clone(),
            schedule: LocalizedText::new(
                version.schedule.describe(Lang::En),
                version.schedule.describe(Lang::Es),
            ),
            goal_id: version.goal_id,
        });
    }
    activities.sort_by_key(|a| a.activity_id);
    Ok(Json(PlanView {
        summary,
        domains,
        status,
        updated_at,
        updated_by,
        activities,
        goals: state.store.goals(patient.id).await?,
    }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(plan))
}
