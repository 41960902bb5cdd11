use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tend_model::{
    ActivityEdit, ActivityKind, ActivityVersionView, CareEventStatus, ChecklistItem, FieldError, Lang,
    LocalizedText, NewActivity, PlanActivity, PlanView, Problem, Scope, TransitionView,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{ManagePlan, PatientAccess, ReadPlan};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, Begun, IdempotencyKeyHeader, Write};
use crate::routes::{local_today, versions_in_force};
use crate::AppState;

/// The care plan in plain language: summary, domains, each activity with its
/// schedule in words and the goal it serves, and the goals.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/plan",
    tag = "plan",
    security(("session" = [])),
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
            rule: Some(version.schedule.clone()),
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

/// How a transition of care is stored with the plan.
#[derive(Deserialize)]
struct StoredTransition {
    discharged_on: NaiveDate,
    days: i64,
    checklist: Vec<StoredChecklistItem>,
    warning_signs: Vec<LocalizedText>,
}

#[derive(Deserialize)]
struct StoredChecklistItem {
    activity_id: i64,
    due_on: Option<NaiveDate>,
}

/// The first weeks home after a hospital stay as a checklist, with the
/// warning signs; `null` when the plan has no transition of care.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/transition",
    tag = "plan",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id")),
    responses(
        (status = 200, description = "The transition of care, or null", body = Option<TransitionView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The plan is not shared with you", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn transition(
    State(state): State<AppState>,
    access: PatientAccess<ReadPlan>,
) -> AppResult<Json<Option<TransitionView>>> {
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(stored) = state.store.transition(patient.id).await? else {
        return Ok(Json(None));
    };
    let stored: StoredTransition = serde_json::from_str(&stored)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored transition does not read: {e}")))?;
    let (tz, today) = local_today(&patient, Utc::now())?;
    let versions = state.store.activity_versions(patient.id).await?;
    let in_force = versions_in_force(&versions, today);
    // Done when marked done, or when the visit was attended (a local date too).
    // What was marked is the reminders scope's to share.
    let mut done = if access.scopes.contains(&Scope::Reminders) {
        state.store.first_done_dates(patient.id).await?
    } else {
        Vec::new()
    };
    for (activity, step) in state.store.care_event_steps(patient.id).await? {
        if step.status >= CareEventStatus::Attended {
            done.push((activity, step.at.with_timezone(&tz).date_naive()));
        }
    }
    done.sort_by_key(|(_, day)| *day);
    let checklist = stored
        .checklist
        .iter()
        .filter_map(|item| {
            let version = in_force.iter().find(|v| v.activity_id == item.activity_id)?;
            Some(ChecklistItem {
                activity_id: item.activity_id,
                title: version.title.clone(),
                instructions: version.instructions.clone(),
                due_on: item.due_on,
                done_on: done.iter().find(|(a, _)| *a == item.activity_id).map(|(_, d)| *d),
            })
        })
        .collect();
    Ok(Json(Some(TransitionView {
        discharged_on: stored.discharged_on,
        days: stored.days,
        today,
        checklist,
        warning_signs: stored.warning_signs,
    })))
}

/// The care manager edits an activity: a new version from a date (today or
/// later). The agenda before that date, and every outcome recorded, keep the
/// version they had.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/activities/{activity}/versions",
    tag = "plan",
    security(("session" = [])),
    params(
        ("p" = i64, Path, description = "Patient id"),
        ("activity" = i64, Path, description = "The activity"),
        IdempotencyKeyHeader,
    ),
    request_body = ActivityEdit,
    responses(
        (status = 200, description = "The new version", body = ActivityVersionView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient's care manager edits the plan", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient or activity", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "In the past, no title, a schedule that does not work, or a version already starts that day", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn edit_activity(
    State(state): State<AppState>,
    access: PatientAccess<ManagePlan>,
    Path(ids): Path<(i64, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let activity_id = ids.1;
    let begun = idempotency::begin::<ActivityEdit>(
        &state.store,
        access.account.id,
        "activity_versions",
        access.patient_id,
        &headers,
        &body,
    );
    let Write {
        key,
        input: edit,
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
    let versions = state.store.activity_versions(patient.id).await?;
    let (_, today) = local_today(&patient, now)?;
    let previous = versions
        .iter()
        .rev()
        .find(|v| v.activity_id == activity_id)
        .ok_or(AppError::NotFound)?;
    edit.check(today).map_err(AppError::Validation)?;
    let Some(version) = tx
        .insert_activity_version(previous, &edit, access.account.id, now)
        .await?
    else {
        return Err(AppError::field(
            "effective_from",
            "version_exists",
            "A version of this activity already starts that day.",
        ));
    };
    let view = ActivityVersionView {
        activity_id,
        version,
        effective_from: edit.effective_from,
    };
    idempotency::finish(tx, access.account.id, &key, StatusCode::OK, &view).await
}

/// The care manager adds an activity to the plan (a medicine, a measurement,
/// an exercise or another activity), from its schedule's first day.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/activities",
    tag = "plan",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id"), IdempotencyKeyHeader),
    request_body = NewActivity,
    responses(
        (status = 201, description = "The activity and its first version", body = ActivityVersionView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the patient's care manager changes the plan", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A kind that is not added by hand, a start in the past, no title, a schedule that does not work, or a goal that is not the patient's", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn add_activity(
    State(state): State<AppState>,
    access: PatientAccess<ManagePlan>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let begun = idempotency::begin::<NewActivity>(
        &state.store,
        access.account.id,
        "activities",
        access.patient_id,
        &headers,
        &body,
    );
    let Write {
        key,
        input: activity,
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
    let goals = state.store.goals(patient.id).await?;
    let (_, today) = local_today(&patient, now)?;
    let mut errors = activity.check(today).err().unwrap_or_default();
    if activity
        .goal_id
        .is_some_and(|goal| !goals.iter().any(|g| g.id == goal))
    {
        errors.push(FieldError {
            field: "goal_id".into(),
            code: "not_this_patients".into(),
            message: "Choose one of the patient's goals.".into(),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let activity_id = tx
        .insert_activity(patient.id, &activity, access.account.id, now)
        .await?;
    let view = ActivityVersionView {
        activity_id,
        version: 1,
        effective_from: activity.schedule.start,
    };
    idempotency::finish(tx, access.account.id, &key, StatusCode::CREATED, &view).await
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plan))
        .routes(routes!(transition))
        .routes(routes!(edit_activity))
        .routes(routes!(add_activity))
}
