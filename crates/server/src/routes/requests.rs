//! Taking part: proposals of new goals, comments and change requests, and
//! the care manager's decisions on them.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use tend_model::{
    Decision, DecisionRequest, GoalRequestView, NewGoalRequest, Problem, RequestKind, RequestStatus,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{ManagePlan, PatientAccess, ReadPlan, TakePart};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, Begun, IdempotencyKeyHeader, Write};
use crate::routes::local_today;
use crate::AppState;

/// The patient's requests about goals, newest first, with where each stands.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/goal-requests",
    tag = "plan",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "Proposals, comments and change requests", body = Vec<GoalRequestView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The plan is not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    access: PatientAccess<ReadPlan>,
) -> AppResult<Json<Vec<GoalRequestView>>> {
    Ok(Json(state.store.goal_requests(access.patient_id).await?))
}

/// Propose a "what matters to me" goal (it starts as proposed), comment on a
/// goal, or ask to change one. Retrying with the same `Idempotency-Key`
/// returns the first answer and records nothing new.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/goal-requests",
    tag = "plan",
    security(("session" = [])),
    params(
        ("p" = i64, Path, description = "Patient id"),
        IdempotencyKeyHeader,
    ),
    request_body = NewGoalRequest,
    responses(
        (status = 200, description = "The request as listed", body = GoalRequestView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not take part for this patient", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No text, too long, or not one of the patient's goals", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    access: PatientAccess<TakePart>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let begun = idempotency::begin::<NewGoalRequest>(
        &state.store,
        access.account.id,
        "goal_requests",
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
    let text = request.checked().map_err(|e| AppError::Validation(vec![e]))?;
    let goal_id = match (request.kind, request.goal_id) {
        (RequestKind::Propose, _) => {
            let patient = state
                .store
                .patient(access.patient_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let (_, today) = local_today(&patient, now)?;
            Some(
                tx.insert_proposed_goal(access.patient_id, &text, today, access.account.id, now)
                    .await?,
            )
        }
        (_, Some(goal)) if tx.goal_belongs(goal, access.patient_id).await? => Some(goal),
        _ => {
            return Err(AppError::field(
                "goal_id",
                "unknown",
                "This goal is not in the patient's plan.",
            ))
        }
    };
    let id = tx
        .insert_goal_request(
            access.patient_id,
            request.kind,
            goal_id,
            &text,
            access.account.id,
            now,
        )
        .await?;
    let view = tx.goal_request(id).await?;
    idempotency::finish(tx, access.account.id, &key, StatusCode::OK, &view).await
}

/// The care manager accepts a request, or declines it with a reason the
/// patient sees. A comment is accepted as read.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/goal-requests/{id}/decision",
    tag = "plan",
    security(("session" = [])),
    params(
        ("p" = i64, Path, description = "Patient id"),
        ("id" = i64, Path, description = "The request"),
        IdempotencyKeyHeader,
    ),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "The request as decided", body = GoalRequestView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient's care manager decides", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient or request", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Declined without a reason, or already decided", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn decide(
    State(state): State<AppState>,
    access: PatientAccess<ManagePlan>,
    Path(ids): Path<(i64, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let id = ids.1;
    let begun = idempotency::begin::<DecisionRequest>(
        &state.store,
        access.account.id,
        "goal_decisions",
        access.patient_id,
        &headers,
        &body,
    );
    let Write {
        key,
        input: decision,
        now,
        mut tx,
    } = match begun.await? {
        Begun::Fresh(write) => write,
        Begun::Replayed(response) => return Ok(response),
    };
    let (kind, status, goal_id) = tx
        .goal_request_state(access.patient_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = decision
        .checked(kind, status)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let new_status = match decision.decision {
        Decision::Accept => RequestStatus::Accepted,
        Decision::Decline => RequestStatus::Declined,
    };
    tx.decide_goal_request(
        id,
        kind,
        goal_id,
        new_status,
        reason.as_deref(),
        access.account.id,
        now,
    )
    .await?;
    let view = tx.goal_request(id).await?;
    idempotency::finish(tx, access.account.id, &key, StatusCode::OK, &view).await
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(decide))
}
