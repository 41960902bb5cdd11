//! Self-assessments: questionnaires, responses scored on the server, the
//! flags they raise, and which check-ins are due.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{TimeDelta, Utc};
use serde::Deserialize;
use tend_model::questionnaire::{flag_detail, AnswerError};
use tend_model::{
    CheckInStatus, FlagView, Problem, Questionnaire, QuestionnaireId, ResponseRequest, ResponseView,
};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{PatientAccess, ReadAssessments, RecordResponses};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, Begun, IdempotencyKeyHeader, Write};
use crate::routes::{local_today, versions_in_force};
use crate::store::NewResponse;
use crate::AppState;

/// How far ahead to look for the next due date of a check-in, in days.
const LOOK_AHEAD_DAYS: i64 = 62;
/// How far back an unanswered check-in still counts as due, in days.
const DUE_WINDOW_DAYS: i64 = 31;

/// The questionnaires with their items and answer options, in English and Spanish.
#[utoipa::path(
    get,
    path = "/api/questionnaires",
    tag = "check-ins",
    responses((status = 200, description = "Every questionnaire Tend ships", body = Vec<Questionnaire>))
)]
async fn questionnaires() -> Json<Vec<Questionnaire>> {
    Json(
        QuestionnaireId::ALL
            .into_iter()
            .map(QuestionnaireId::definition)
            .collect(),
    )
}

fn answer_error(error: AnswerError) -> AppError {
    let (code, keys, message) = match error {
        AnswerError::Missing(keys) => ("missing", keys, "Please answer this question."),
        AnswerError::OutOfRange(keys) => ("out_of_range", keys, "This answer is not one of the choices."),
        AnswerError::Unknown(keys) => (
            "unknown_item",
            keys,
            "This question is not part of the questionnaire.",
        ),
    };
    AppError::Validation(
        keys.into_iter()
            .map(|key| tend_model::FieldError {
                field: format!("answers.{key}"),
                code: code.into(),
                message: message.into(),
            })
            .collect(),
    )
}

/// Record a check-in. The server scores the answers itself, stores the score,
/// band and flags, and says whether crisis resources must be shown first.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/responses",
    tag = "check-ins",
    security(("session" = [])),
    params(
        ("p" = i64, Path, description = "Patient id"),
        IdempotencyKeyHeader,
    ),
    request_body = ResponseRequest,
    responses(
        (status = 201, description = "Stored and scored", body = ResponseView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not record for this patient", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unanswered, unknown or out-of-range answers, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn record_response(
    State(state): State<AppState>,
    access: PatientAccess<RecordResponses>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let begun = idempotency::begin::<ResponseRequest>(
        &state.store,
        access.account.id,
        "responses",
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
    let definition = request.questionnaire.definition();
    let scored = definition.score(&request.answers).map_err(answer_error)?;
    let flags = scored
        .escalations
        .iter()
        .map(|&e| {
            (
                e.urgency(),
                e.rule_name(),
                flag_detail(request.questionnaire, &scored, &request.answers, e),
            )
        })
        .collect();
    let id = tx
        .insert_response(&NewResponse {
            patient_id: access.patient_id,
            questionnaire: request.questionnaire,
            answers: &request.answers,
            total: scored.total,
            band: scored.band,
            escalations: &scored.escalations,
            flags,
            entered_by: access.account.id,
            recorded_at: now,
        })
        .await?;
    let view = tx.response(id).await?;
    idempotency::finish(tx, access.account.id, &key, StatusCode::CREATED, &view).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResponsesQuery {
    /// Only this questionnaire's responses: `phq9`, `gad7`, `hf_symptoms` or `social_needs`.
    #[param(value_type = Option<QuestionnaireId>)]
    questionnaire: Option<String>,
}

/// A patient's responses, oldest first, for history and trends.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/responses",
    tag = "check-ins",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id"), ResponsesQuery),
    responses(
        (status = 200, description = "Responses, oldest first", body = Vec<ResponseView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Self-assessment answers are not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown questionnaire", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn responses(
    State(state): State<AppState>,
    access: PatientAccess<ReadAssessments>,
    Query(query): Query<ResponsesQuery>,
) -> AppResult<Json<Vec<ResponseView>>> {
    let questionnaire = match query.questionnaire.as_deref() {
        None => None,
        Some(name) => Some(QuestionnaireId::parse(name).ok_or_else(|| {
            AppError::field(
                "questionnaire",
                "unknown",
                "Use phq9, gad7, hf_symptoms or social_needs.",
            )
        })?),
    };
    Ok(Json(
        state.store.responses(access.patient_id, questionnaire).await?,
    ))
}

/// Flags raised for a patient, newest first.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/flags",
    tag = "check-ins",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "Flags, newest first", body = Vec<FlagView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn flags(
    State(state): State<AppState>,
    access: PatientAccess<ReadAssessments>,
) -> AppResult<Json<Vec<FlagView>>> {
    Ok(Json(state.store.flags(access.patient_id).await?))
}

/// The questionnaires of the patient's plan: which are due now, when each is
/// next due, and the last result.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/check-ins",
    tag = "check-ins",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "Check-ins of the plan", body = Vec<CheckInStatus>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Self-assessments are not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn check_ins(
    State(state): State<AppState>,
    access: PatientAccess<ReadAssessments>,
) -> AppResult<Json<Vec<CheckInStatus>>> {
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (tz, today) = local_today(&patient, Utc::now())?;
    let responses = state.store.responses(patient.id, None).await?;
    let mut statuses: Vec<CheckInStatus> = Vec::new();
    let versions = state.store.activity_versions(patient.id).await?;
    for version in versions_in_force(&versions, today) {
        let Some(questionnaire) = version.questionnaire else {
            continue;
        };
        if statuses.iter().any(|s| s.questionnaire == questionnaire) {
            continue;
        }
        let past = version
            .schedule
            .slots_between(today - TimeDelta::days(DUE_WINDOW_DAYS), today);
        let next_due = version
            .schedule
            .slots_between(
                today + TimeDelta::days(1),
                today + TimeDelta::days(LOOK_AHEAD_DAYS),
            )
            .first()
            .map(|slot| slot.date());
        let last = responses
            .iter()
            .rev()
            .find(|r| r.questionnaire == questionnaire)
            .cloned();
        let last_local = last
            .as_ref()
            .map(|r| r.recorded_at.with_timezone(&tz).date_naive());
        let due_since = past
            .last()
            .map(|slot| slot.date())
            .filter(|due| last_local.is_none_or(|answered| answered < *due));
        statuses.push(CheckInStatus {
            questionnaire,
            title: version.title.clone(),
            due: due_since.is_some(),
            due_since,
            next_due,
            last,
        });
    }
    statuses.sort_by_key(|s| (!s.due, s.next_due));
    Ok(Json(statuses))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(questionnaires))
        .routes(routes!(record_response, responses))
        .routes(routes!(flags))
        .routes(routes!(check_ins))
}
