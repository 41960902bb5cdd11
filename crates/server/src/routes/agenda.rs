//! The agenda and the outcomes recorded against it.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use tend_model::reading::reading_escalations;
use tend_model::schedule::versioned_occurrences;
use tend_model::{
    ActivityKind, Agenda, AgendaItem, OutcomeAction, OutcomeRequest, OutcomeResult, OutcomeStatus, Problem,
    Scope,
};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{PatientAccess, ReadAgenda, RecordOutcomes};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, Begun, IdempotencyKeyHeader, Write};
use crate::routes::local_today;
use crate::store::{ActivityVersion, NewOutcome, Patient, ReadingFlag};
use crate::AppState;

/// The longest agenda window one request may ask for, in days.
const MAX_WINDOW_DAYS: i64 = 92;
/// How far back an occurrence may still be marked, in days.
const MARKABLE_DAYS_BACK: i64 = 30;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgendaQuery {
    /// First local date, `YYYY-MM-DD`; today in the patient's zone if left out.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Last local date (included), `YYYY-MM-DD`; `from` if left out.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
}

fn parse_date(field: &str, value: Option<&str>, default: NaiveDate) -> AppResult<NaiveDate> {
    // Left out means the default; an empty value is not a date, as documented.
    match value {
        None => Ok(default),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            AppError::field(
                field,
                "invalid_date",
                format!("{field} must be a date written as YYYY-MM-DD."),
            )
        }),
    }
}

/// Occurrences of every activity from `from` to `to`, with the version each
/// belongs to. `versions` are ordered by activity, as the store reads them.
fn occurrences(
    versions: &[ActivityVersion],
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(&ActivityVersion, tend_model::schedule::Occurrence)> {
    let mut all = Vec::new();
    for group in versions.chunk_by(|a, b| a.activity_id == b.activity_id) {
        let schedules: Vec<_> = group.iter().map(|v| (v.effective_from, &v.schedule)).collect();
        for (index, occurrence) in versioned_occurrences(&schedules, tz, from, to) {
            all.push((&group[index], occurrence));
        }
    }
    all.sort_by_key(|(v, o)| (o.at, v.activity_id));
    all
}

/// The patient's occurrences on the local dates `from..=to`, each with its
/// activity, local time and outcome; readings only if `may_see_readings`.
pub(crate) async fn agenda_items(
    state: &AppState,
    patient: &Patient,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
    may_see_readings: bool,
) -> AppResult<Vec<AgendaItem>> {
    let versions = state.store.activity_versions(patient.id).await?;
    let recorded = state.store.outcomes_between(patient.id, from, to).await?;
    Ok(occurrences(&versions, tz, from, to)
        .into_iter()
        .map(|(version, occurrence)| AgendaItem {
            activity_id: version.activity_id,
            activity_version: version.version,
            kind: ActivityKind::parse(&version.kind).unwrap_or(ActivityKind::Custom),
            title: version.title.clone(),
            instructions: version.instructions.clone(),
            metric: version.metric,
            place: version.place.clone(),
            bring: version.bring.clone(),
            lesson: version.lesson.clone(),
            outcome: recorded
                .iter()
                .find(|r| r.activity_id == version.activity_id && r.scheduled == occurrence.scheduled)
                .map(|r| {
                    let mut view = r.view.clone();
                    // Readings are shared only with the measurements scope.
                    if !may_see_readings {
                        view.reading = None;
                    }
                    view
                }),
            scheduled: occurrence.scheduled,
            local: occurrence.local,
            at: occurrence.at,
        })
        .collect())
}

/// Occurrences on the patient's local dates, each with its activity, local
/// time and outcome. A caregiver with measurements but not reminders gets
/// the measurements only, each with its reading and nothing else marked.
#[utoipa::path(
    get,
    path = "/api/patients/{p}/agenda",
    tag = "agenda",
    security(("session" = [])),
    params(("p" = i64, Path, description = "Patient id"), AgendaQuery),
    responses(
        (status = 200, description = "The agenda", body = Agenda),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Shared, but neither the reminders nor the measurements", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad dates", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn agenda(
    State(state): State<AppState>,
    access: PatientAccess<ReadAgenda>,
    Query(query): Query<AgendaQuery>,
) -> AppResult<Json<Agenda>> {
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (tz, today) = local_today(&patient, Utc::now())?;
    let from = parse_date("from", query.from.as_deref(), today)?;
    let to = parse_date("to", query.to.as_deref(), from)?;
    if to < from {
        return Err(AppError::field(
            "to",
            "before_from",
            "to must not be before from.",
        ));
    }
    if (to - from).num_days() >= MAX_WINDOW_DAYS {
        return Err(AppError::field(
            "to",
            "window_too_long",
            format!("Ask for at most {MAX_WINDOW_DAYS} days at a time."),
        ));
    }
    let may_see_readings = access.scopes.contains(&Scope::Measurements);
    let mut items = agenda_items(&state, &patient, tz, from, to, may_see_readings).await?;
    if !access.scopes.contains(&Scope::Reminders) {
        // Measurements alone: the measurements and their readings, nothing of what else was marked.
        items.retain(|item| item.metric.is_some());
        for item in &mut items {
            if item.outcome.as_ref().is_some_and(|o| o.reading.is_none()) {
                item.outcome = None;
            }
            if let Some(outcome) = &mut item.outcome {
                outcome.reason = None;
            }
        }
    }
    Ok(Json(Agenda {
        patient_id: patient.id,
        patient_name: patient.name,
        zone: patient.timezone,
        today,
        from,
        to,
        items,
    }))
}

/// Record done, skipped (with an optional reason) or undo for one occurrence.
/// Retrying with the same `Idempotency-Key` and body returns the first answer
/// and records nothing new; the same key with another body is a 409.
#[utoipa::path(
    post,
    path = "/api/patients/{p}/outcomes",
    tag = "agenda",
    security(("session" = [])),
    params(
        ("p" = i64, Path, description = "Patient id"),
        IdempotencyKeyHeader,
    ),
    request_body = OutcomeRequest,
    responses(
        (status = 200, description = "The occurrence's outcome now", body = OutcomeResult),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not record for this patient", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient, or not one you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an occurrence of this patient's plan, or a bad value", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn record_outcome(
    State(state): State<AppState>,
    access: PatientAccess<RecordOutcomes>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let begun = idempotency::begin::<OutcomeRequest>(
        &state.store,
        access.account.id,
        "outcomes",
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
    let reason = request
        .clean_reason()
        .map_err(|e| AppError::Validation(vec![e]))?;
    let patient = state
        .store
        .patient(access.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (tz, today) = local_today(&patient, now)?;
    // Not of this plan at all is said first, whatever the date.
    let versions: Vec<ActivityVersion> = state
        .store
        .activity_versions(patient.id)
        .await?
        .iter()
        .filter(|v| v.activity_id == request.activity_id)
        .cloned()
        .collect();
    if versions.is_empty() {
        return Err(AppError::field(
            "activity_id",
            "unknown",
            "This activity is not in the patient's plan.",
        ));
    }
    let date = request.scheduled.date();
    if date > today {
        return Err(AppError::field(
            "scheduled",
            "in_future",
            "Only today's items and earlier ones can be marked.",
        ));
    }
    if date < today - TimeDelta::days(MARKABLE_DAYS_BACK) {
        return Err(AppError::field(
            "scheduled",
            "too_old",
            format!("Items older than {MARKABLE_DAYS_BACK} days can no longer be changed."),
        ));
    }
    let Some((version, _)) = occurrences(&versions, tz, date, date)
        .into_iter()
        .find(|(_, o)| o.scheduled == request.scheduled)
    else {
        return Err(AppError::field(
            "scheduled",
            "not_scheduled",
            "This activity is not scheduled at that time.",
        ));
    };
    let reading = request
        .checked_reading(version.metric)
        .map_err(|e| AppError::Validation(vec![e]))?;
    if reading.is_some() && !access.scopes.contains(&Scope::Measurements) {
        return Err(AppError::Forbidden);
    }

    let status = match request.action {
        OutcomeAction::Done => Some(OutcomeStatus::Done),
        OutcomeAction::Skipped => Some(OutcomeStatus::Skipped),
        OutcomeAction::Undo => None,
    };
    match status {
        Some(status) => {
            tx.upsert_outcome(&NewOutcome {
                patient_id: patient.id,
                activity_id: request.activity_id,
                activity_version_id: version.id,
                scheduled: request.scheduled,
                status,
                reason: reason.as_deref(),
                reading,
                recorded_at: now,
                entered_by: access.account.id,
            })
            .await?
        }
        None => {
            tx.delete_outcome(patient.id, request.activity_id, request.scheduled)
                .await?
        }
    }
    let escalations = match reading {
        Some(reading) => {
            let weights = state
                .store
                .weights_between(patient.id, date - TimeDelta::days(7), date - TimeDelta::days(1))
                .await?;
            reading_escalations(&reading, date, &weights)
        }
        None => Vec::new(),
    };
    // Whatever the new entry is, the flags of the one it replaces no longer stand.
    tx.supersede_flags(request.activity_id, request.scheduled, now)
        .await?;
    for escalation in &escalations {
        let detail = format!("{} on {date}", reading.map(|r| r.display()).unwrap_or_default());
        tx.insert_reading_flag(&ReadingFlag {
            patient_id: patient.id,
            activity_id: request.activity_id,
            scheduled: request.scheduled,
            urgency: escalation.urgency(),
            rule: &escalation.rule_name(),
            detail: &detail,
            raised_at: now,
        })
        .await?;
    }
    let outcome = tx.outcome(request.activity_id, request.scheduled).await?;
    let result = OutcomeResult {
        activity_id: request.activity_id,
        scheduled: request.scheduled,
        outcome: outcome.map(|o| o.view),
        escalations,
    };
    idempotency::finish(tx, access.account.id, &key, StatusCode::OK, &result).await
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(agenda))
        .routes(routes!(record_outcome))
}
