//! One module per resource, each with its own router.

pub mod agenda;
pub mod alerts;
pub mod appointments;
pub mod audit;
pub mod calendar;
pub mod care_team;
pub mod check_ins;
pub mod goals;
pub mod grants;
pub mod health;
pub mod invites;
pub mod lessons;
pub mod panel;
pub mod plan;
pub mod requests;
pub mod session;
pub mod static_files;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::error::{AppError, AppResult};
use crate::store::{ActivityVersion, Patient};

/// The patient's IANA zone.
pub fn zone_of(patient: &Patient) -> AppResult<Tz> {
    patient
        .timezone
        .parse()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("patient has an unknown time zone")))
}

/// The last day of a grant where the patient lives: it ends at the end of that day there.
pub fn last_day(tz: Tz, ends_at: DateTime<Utc>) -> NaiveDate {
    (ends_at - chrono::TimeDelta::seconds(1))
        .with_timezone(&tz)
        .date_naive()
}

/// The local date where the patient lives at `now`.
pub fn local_today(patient: &Patient, now: DateTime<Utc>) -> AppResult<(Tz, NaiveDate)> {
    let tz = zone_of(patient)?;
    Ok((tz, now.with_timezone(&tz).date_naive()))
}

/// For each activity, the newest version in force on `day`. Versions come
/// oldest first (as the store lists them); the result is newest first.
pub fn versions_in_force(versions: &[ActivityVersion], day: NaiveDate) -> Vec<&ActivityVersion> {
    let mut seen = std::collections::HashSet::new();
    versions
        .iter()
        .rev()
        .filter(|v| v.effective_from <= day && seen.insert(v.activity_id))
        .collect()
}
