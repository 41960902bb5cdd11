use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{TimeDelta, Utc};
use tend_model::{
    GoalEdit, GoalTarget, GoalView, LocalizedText, Metric, NewGoal, PlanGoal, Point, Problem, Reading, Scope,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{ManagePlan, PatientAccess, ReadPlan};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, Begun, IdempotencyKeyHeader, Write};
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
    security(("session" = [])),
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

/// The care manager changes a goal: its words in both languages, its numbers
/// (the kind of target stays), its due date or its status.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/goals/{goal}",
    tag = "plan",
    security(("session" = [])),
    params(
        ("p" = i64, Path, description = "Patient id"),
        ("goal" = i64, Path, description = "Goal id"),
        IdempotencyKeyHeader,
    ),
    request_body = GoalEdit,
    responses(
        (status = 200, description = "The goal now", body = PlanGoal),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient's care manager changes goals", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient or goal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing words, a number out of range, another kind of target, or an unknown status", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn edit_goal(
    State(state): State<AppState>,
    access: PatientAccess<ManagePlan>,
    Path(ids): Path<(i64, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let goal_id = ids.1;
    let begun = idempotency::begin::<GoalEdit>(
        &state.store,
        access.account.id,
        "goal_edit",
        access.patient_id,
        &headers,
        &body,
    );
    let Write {
        key,
        input: edit,
        mut tx,
        ..
    } = match begun.await? {
        Begun::Fresh(write) => write,
        Begun::Replayed(response) => return Ok(response),
    };
    let stored = tx
        .goal_target(goal_id, access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let current: GoalTarget = serde_json::from_str(&stored).unwrap_or(GoalTarget::Milestone);
    edit.check(&current).map_err(AppError::Validation)?;
    // The unit is kept beside the target's numbers.
    let mut target = serde_json::to_value(edit.target).map_err(|e| AppError::Internal(e.into()))?;
    if let (Some(unit), Some(fields)) = (
        serde_json::from_str::<serde_json::Value>(&stored)
            .ok()
            .and_then(|v| v.get("unit").cloned()),
        target.as_object_mut(),
    ) {
        fields.insert("unit".into(), unit);
    }
    let title = LocalizedText::new(edit.title.en.trim(), edit.title.es.trim());
    tx.update_goal(goal_id, &title, &target.to_string(), edit.due_date, &edit.status)
        .await?;
    let answer = PlanGoal {
        id: goal_id,
        title,
        status: edit.status.clone(),
        due_date: edit.due_date,
    };
    idempotency::finish(tx, access.account.id, &key, StatusCode::OK, &answer).await
}

/// The care manager sets a new goal, active from today: its words in both
/// languages, what it measures, its target and when it is due.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/goals",
    tag = "plan",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id"), IdempotencyKeyHeader),
    request_body = NewGoal,
    responses(
        (status = 201, description = "The goal", body = PlanGoal),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient's care manager sets goals", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing words, an unknown measure, a target that does not fit it, a number out of range, or a due date past", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn add_goal(
    State(state): State<AppState>,
    access: PatientAccess<ManagePlan>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let begun = idempotency::begin::<NewGoal>(
        &state.store,
        access.account.id,
        "goal_new",
        access.patient_id,
        &headers,
        &body,
    );
    let Write {
        key,
        input: goal,
        now,
        mut tx,
    } = match begun.await? {
        Begun::Fresh(write) => write,
        Begun::Replayed(response) => return Ok(response),
    };
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, today) = local_today(&patient, now)?;
    goal.check(today).map_err(AppError::Validation)?;
    // The unit is kept beside the target's numbers, as for every goal.
    let mut target = serde_json::to_value(goal.target).map_err(|e| AppError::Internal(e.into()))?;
    if let (Some(unit), Some(fields)) = (goal.unit().filter(|u| !u.is_empty()), target.as_object_mut()) {
        fields.insert("unit".into(), unit.into());
    }
    let title = LocalizedText::new(goal.title.en.trim(), goal.title.es.trim());
    let trimmed = NewGoal {
        title: title.clone(),
        ..goal
    };
    let id = tx
        .insert_goal(
            patient.id,
            &trimmed,
            &target.to_string(),
            today,
            access.account.id,
            now,
        )
        .await?;
    let answer = PlanGoal {
        id,
        title,
        status: "active".into(),
        due_date: trimmed.due_date,
    };
    idempotency::finish(tx, access.account.id, &key, StatusCode::CREATED, &answer).await
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(goals, add_goal))
        .routes(routes!(edit_goal))
}
