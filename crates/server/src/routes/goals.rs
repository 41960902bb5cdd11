use axum::extract::State;
use axum::Json;
use chrono::{TimeDelta, Utc};
use tend_model::{GoalTarget, GoalView, Metric, Point, Problem, Reading, Scope};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{PatientAccess, ReadPlan};
use crate::error::{AppError, AppResult};
use crate::routes::local_today;
use crate::AppState;

/// How far back a goal's points go, in days.
const HISTORY_DAYS: i64 = 366;

fn value_of(reading: &Reading) -> Option<f64> {
    match *reading {
        Reading::Weight { .. } => reading.weight_lb(),
        Reading::ActivityMinutes { minutes } => Some(f64::from(minutes)),
        Reading::Glucose { mg_dl } => Some(f64::from(mg_dl)),
        Reading::Spo2 { percent } => Some(f64::from(percent)),
        Reading::Number { value, .. } => Some(value),
        Reading::BloodPressure { systolic, .. } => Some(f64::from(systolic)),
    }
}

/// Goals with progress derived from the readings: latest value, on track or
/// not yet, and the points of the last year for the chart. Without the
/// measurements scope the goals come without readings or progress.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/goals",
    tag = "plan",
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "Goals with derived progress", body = Vec<GoalView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Goals are not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn goals(
    State(state): State<AppState>,
    access: PatientAccess<ReadPlan>,
) -> AppResult<Json<Vec<GoalView>>> {
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, today) = local_today(&patient, Utc::now())?;
    let mut views = Vec::new();
    for (goal, metric, target_json) in state.store.goal_rows(patient.id).await? {
        let target: GoalTarget = serde_json::from_str(&target_json).unwrap_or(GoalTarget::Milestone);
        let unit = serde_json::from_str::<serde_json::Value>(&target_json)
            .ok()
            .and_then(|v| v.get("unit").and_then(|u| u.as_str()).map(str::to_owned))
            .unwrap_or_default();
        // Progress comes from readings: only for whom the measurements are shared.
        let may_see_readings = access.scopes.contains(&Scope::Measurements);
        let points: Vec<Point> = match Metric::parse(&metric).filter(|_| may_see_readings) {
            Some(metric) => state
                .store
                .readings_between(patient.id, metric, today - TimeDelta::days(HISTORY_DAYS), today)
                .await?
                .into_iter()
                .filter_map(|(date, reading)| value_of(&reading).map(|value| Point { date, value }))
                .collect(),
            // A1c comes from the lab and "what matters to me" goals have no numbers.
            None => Vec::new(),
        };
        views.push(GoalView {
            id: goal.id,
            title: goal.title,
            status: goal.status,
            metric,
            unit,
            progress: target.progress(&points, today),
            target,
            due_date: goal.due_date,
            points,
        });
    }
    Ok(Json(views))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(goals))
}
