//! Alerts for caregivers: a medicine not marked within the hours the
//! patient chose.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::agenda::{ActivityKind, AgendaItem};
use crate::problem::FieldError;
use crate::text::LocalizedText;

/// The fewest and most hours a patient may choose.
pub const MISSED_MEDICINE_HOURS: (u8, u8) = (1, 24);

/// `GET/POST /api/patients/{p}/caregiver-alerts`: after how many hours an
/// unmarked medicine alerts the caregivers; `None` is off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaregiverAlertSettings {
    pub missed_medicine_hours: Option<u8>,
}

impl CaregiverAlertSettings {
    pub fn check(&self) -> Result<(), FieldError> {
        let (min, max) = MISSED_MEDICINE_HOURS;
        match self.missed_medicine_hours {
            Some(h) if !(min..=max).contains(&h) => Err(FieldError {
                field: "missed_medicine_hours".into(),
                code: "out_of_range".into(),
                message: format!("Choose from {min} to {max} hours, or turn the alert off."),
            }),
            _ => Ok(()),
        }
    }
}

/// A medicine not marked within the patient's hours: what, and since when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissedMedicine {
    pub activity_id: i64,
    pub title: LocalizedText,
    /// The wall-clock time it was due, where the patient lives.
    pub local: NaiveDateTime,
    /// The instant it was due.
    pub at: DateTime<Utc>,
}

/// `GET /api/patients/{p}/alerts`: what a caregiver should know now.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaregiverAlerts {
    /// The hours the patient chose; `None` when the alert is off.
    pub missed_medicine_hours: Option<u8>,
    pub missed_medicines: Vec<MissedMedicine>,
}

/// The medicines among `items` still unmarked `hours` after they were due,
/// oldest first. Hours are counted on the time line (instants), not on the
/// clock face, so a day with a DST change alerts neither early nor late.
pub fn missed_medicines(items: &[AgendaItem], hours: u8, now: DateTime<Utc>) -> Vec<MissedMedicine> {
    let wait = TimeDelta::hours(i64::from(hours));
    let mut missed: Vec<MissedMedicine> = items
        .iter()
        .filter(|i| i.kind == ActivityKind::Medication && i.outcome.is_none() && i.at + wait <= now)
        .map(|i| MissedMedicine {
            activity_id: i.activity_id,
            title: i.title.clone(),
            local: i.local,
            at: i.at,
        })
        .collect();
    missed.sort_by_key(|m| (m.at, m.activity_id));
    missed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::{test_item, OutcomeStatus};
    use chrono::NaiveDate;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    /// A dose due at `local` in Chicago, which is `utc` on the time line.
    fn dose(id: i64, local: NaiveDateTime, utc: NaiveDateTime, status: Option<OutcomeStatus>) -> AgendaItem {
        let mut item = test_item(id, local, status);
        item.at = utc.and_utc();
        item
    }

    #[test]
    fn an_unmarked_medicine_alerts_once_its_hours_have_passed_on_the_time_line() {
        // (what, due locally, due in UTC, hours, now in UTC, alerts?)
        let cases = [
            // An ordinary day (CST, UTC-6): 08:00 is 14:00Z.
            (
                "ordinary, just before",
                local(2026, 1, 12, 8, 0),
                local(2026, 1, 12, 14, 0),
                2,
                local(2026, 1, 12, 15, 59),
                false,
            ),
            (
                "ordinary, on the hour",
                local(2026, 1, 12, 8, 0),
                local(2026, 1, 12, 14, 0),
                2,
                local(2026, 1, 12, 16, 0),
                true,
            ),
            // Spring forward (8 March 2026): 01:30 CST is 07:30Z; two hours on
            // is 04:30 CDT on the clock, not 03:30 (which is only one hour on).
            (
                "spring, clock says 03:30",
                local(2026, 3, 8, 1, 30),
                local(2026, 3, 8, 7, 30),
                2,
                local(2026, 3, 8, 8, 30),
                false,
            ),
            (
                "spring, two real hours",
                local(2026, 3, 8, 1, 30),
                local(2026, 3, 8, 7, 30),
                2,
                local(2026, 3, 8, 9, 30),
                true,
            ),
            // Fall back (1 November 2026): the first 01:30 (CDT) is 06:30Z; one
            // hour on is 01:30 again on the clock (CST), and that is when it alerts.
            (
                "fall, second 01:30",
                local(2026, 11, 1, 1, 30),
                local(2026, 11, 1, 6, 30),
                1,
                local(2026, 11, 1, 7, 30),
                true,
            ),
            (
                "fall, just before",
                local(2026, 11, 1, 1, 30),
                local(2026, 11, 1, 6, 30),
                1,
                local(2026, 11, 1, 7, 29),
                false,
            ),
        ];
        for (what, due, utc, hours, now, alerts) in cases {
            let items = [dose(1, due, utc, None)];
            let missed = missed_medicines(&items, hours, now.and_utc());
            assert_eq!(!missed.is_empty(), alerts, "{what}");
            if alerts {
                assert_eq!(missed[0].local, due, "{what}: since when, on the clock");
                assert_eq!(missed[0].at, utc.and_utc(), "{what}");
            }
        }
    }

    #[cfg(feature = "tz")]
    #[test]
    fn the_cases_instants_are_chicagos() {
        let tz: chrono_tz::Tz = "America/Chicago".parse().unwrap();
        for (wall, utc) in [
            (local(2026, 3, 8, 1, 30), local(2026, 3, 8, 7, 30)),
            (local(2026, 11, 1, 1, 30), local(2026, 11, 1, 6, 30)),
            (local(2026, 1, 12, 8, 0), local(2026, 1, 12, 14, 0)),
        ] {
            assert_eq!(
                crate::schedule::resolve_local(tz, wall).with_timezone(&Utc),
                utc.and_utc()
            );
        }
    }

    #[test]
    fn only_unmarked_medicines_alert_oldest_first() {
        let now = local(2026, 1, 12, 23, 0).and_utc();
        let due = |h: u32| local(2026, 1, 12, h, 0);
        let utc = |h: u32| local(2026, 1, 12, h + 6, 0);
        let mut walk = dose(9, due(9), utc(9), None);
        walk.kind = ActivityKind::Exercise;
        let items = [
            dose(3, due(12), utc(12), None),
            dose(2, due(8), utc(8), None),
            dose(4, due(8), utc(8), Some(OutcomeStatus::Done)),
            dose(5, due(8), utc(8), Some(OutcomeStatus::Skipped)),
            walk,
        ];
        let ids: Vec<i64> = missed_medicines(&items, 1, now)
            .iter()
            .map(|m| m.activity_id)
            .collect();
        assert_eq!(ids, [2, 3]);
    }

    #[test]
    fn the_hours_are_one_to_a_day_or_off() {
        let with = |h| CaregiverAlertSettings {
            missed_medicine_hours: h,
        };
        assert!(with(None).check().is_ok());
        assert!(with(Some(1)).check().is_ok());
        assert!(with(Some(24)).check().is_ok());
        assert_eq!(with(Some(0)).check().unwrap_err().code, "out_of_range");
        assert_eq!(with(Some(25)).check().unwrap_err().code, "out_of_range");
    }
}
