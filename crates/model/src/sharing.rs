//! Sharing: the patient's grants to family caregivers, each with scopes, an
//! expiry, and revocable at once.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::session::Scope;

/// `GET /api/patients/{p}/grants`: one caregiver's access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantView {
    pub id: i64,
    pub caregiver: String,
    pub scopes: Vec<Scope>,
    pub created_at: DateTime<Utc>,
    /// The end of the last day of access, where the patient lives.
    pub expires_at: DateTime<Utc>,
    /// That last day, as the patient chose it (the day `expires_at` ends).
    pub until: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl GrantView {
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// The longest a grant may run from today, in days.
pub const MAX_GRANT_DAYS: i64 = 366;

/// `POST /api/patients/{p}/grants/{id}`: change what is shared, and until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantUpdate {
    pub scopes: Vec<Scope>,
    /// The last day of access (where the patient lives), at most a year ahead.
    pub until: NaiveDate,
}

impl GrantUpdate {
    pub fn check(&self, today: NaiveDate) -> Result<(), FieldError> {
        let refuse = |field: &str, code: &str, message: &str| FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        };
        if self.scopes.is_empty() {
            return Err(refuse(
                "scopes",
                "none",
                "Share at least one thing, or stop sharing instead.",
            ));
        }
        if self.until < today {
            return Err(refuse("until", "in_past", "Choose today or a later day."));
        }
        if (self.until - today).num_days() > MAX_GRANT_DAYS {
            return Err(refuse("until", "too_far", "Share for at most a year at a time."));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_shares_something_until_a_day_within_a_year() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let update = |scopes: Vec<Scope>, days: i64| GrantUpdate {
            scopes,
            until: today + chrono::TimeDelta::days(days),
        };
        assert!(update(vec![Scope::Measurements], 0).check(today).is_ok());
        assert!(update(vec![Scope::Measurements], 366).check(today).is_ok());
        assert_eq!(update(vec![], 30).check(today).unwrap_err().code, "none");
        assert_eq!(
            update(vec![Scope::Reminders], -1).check(today).unwrap_err().code,
            "in_past"
        );
        assert_eq!(
            update(vec![Scope::Reminders], 367).check(today).unwrap_err().code,
            "too_far"
        );
    }
}
