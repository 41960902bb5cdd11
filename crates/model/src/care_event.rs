//! Appointments and referrals the patient can follow until their loop closes:
//! ordered → scheduled → attended → closed.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::agenda::ActivityKind;
use crate::problem::FieldError;
use crate::text::LocalizedText;

/// Where an appointment or referral stands. The order is the loop's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CareEventStatus {
    /// Asked for by a clinician.
    Ordered,
    /// A date and place are set.
    Scheduled,
    /// The patient went.
    Attended,
    /// The result came back to the care team: the loop is closed.
    Closed,
}

impl CareEventStatus {
    pub const ALL: [CareEventStatus; 4] = [
        CareEventStatus::Ordered,
        CareEventStatus::Scheduled,
        CareEventStatus::Attended,
        CareEventStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CareEventStatus::Ordered => "ordered",
            CareEventStatus::Scheduled => "scheduled",
            CareEventStatus::Attended => "attended",
            CareEventStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CareEventStatus> {
        CareEventStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One step of the trail: when it was reached, by whom, with an optional note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareEventStep {
    pub status: CareEventStatus,
    pub at: DateTime<Utc>,
    /// Display name of who recorded it.
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<LocalizedText>,
}

/// `GET /api/patients/{p}/appointments`: an appointment or referral of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareEvent {
    pub activity_id: i64,
    /// `appointment` or `referral`.
    pub kind: ActivityKind,
    pub title: LocalizedText,
    pub instructions: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<LocalizedText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bring: Option<LocalizedText>,
    /// The wall-clock date-time where the patient lives, when one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::local_date_time_or_null))]
    pub when: Option<NaiveDateTime>,
    /// The steps reached so far, oldest first.
    pub steps: Vec<CareEventStep>,
}

impl CareEvent {
    /// The furthest step reached; a plan item with no trail yet counts as ordered.
    pub fn status(&self) -> CareEventStatus {
        self.steps
            .iter()
            .map(|s| s.status)
            .max()
            .unwrap_or(CareEventStatus::Ordered)
    }

    /// Every status of the loop in order, each with the step that reached it.
    pub fn timeline(&self) -> Vec<(CareEventStatus, Option<&CareEventStep>)> {
        CareEventStatus::ALL
            .into_iter()
            .map(|status| (status, self.steps.iter().rev().find(|s| s.status == status)))
            .collect()
    }

    /// Whether the loop is still open (not closed).
    pub fn is_open(&self) -> bool {
        self.status() != CareEventStatus::Closed
    }
}

/// `POST /api/patients/{p}/appointments/{activity}/status`: the care team moves it on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareEventUpdate {
    pub status: CareEventStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The longest note kept on a step, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

impl CareEventUpdate {
    /// A step moves the loop forward: never back, never to where it is.
    pub fn check(&self, current: Option<CareEventStatus>) -> Result<(), FieldError> {
        if let Some(current) = current {
            if self.status <= current {
                return Err(FieldError {
                    field: "status".into(),
                    code: "not_forward".into(),
                    message: format!(
                        "It is already {}: a new status must come after it.",
                        current.as_str()
                    ),
                });
            }
        }
        if self
            .note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            return Err(FieldError {
                field: "note".into(),
                code: "too_long".into(),
                message: format!("The note can be at most {MAX_NOTE_CHARS} characters."),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn step(status: CareEventStatus, day: u32) -> CareEventStep {
        CareEventStep {
            status,
            at: Utc.with_ymd_and_hms(2026, 11, day, 15, 0, 0).unwrap(),
            by: "Dana Whitfield RN".into(),
            note: None,
        }
    }

    fn event(steps: Vec<CareEventStep>) -> CareEvent {
        CareEvent {
            activity_id: 1,
            kind: ActivityKind::Referral,
            title: LocalizedText::new("Diabetes education class", "Clase de diabetes"),
            instructions: LocalizedText::default(),
            place: None,
            bring: None,
            when: None,
            steps,
        }
    }

    #[test]
    fn the_status_is_the_furthest_step_and_the_timeline_has_all_four() {
        assert_eq!(event(vec![]).status(), CareEventStatus::Ordered);
        let e = event(vec![
            step(CareEventStatus::Ordered, 2),
            step(CareEventStatus::Scheduled, 5),
        ]);
        assert_eq!(e.status(), CareEventStatus::Scheduled);
        assert!(e.is_open());
        let timeline: Vec<_> = e
            .timeline()
            .into_iter()
            .map(|(s, step)| (s, step.map(|x| x.at)))
            .collect();
        assert_eq!(
            timeline,
            vec![
                (
                    CareEventStatus::Ordered,
                    Some(step(CareEventStatus::Ordered, 2).at)
                ),
                (
                    CareEventStatus::Scheduled,
                    Some(step(CareEventStatus::Scheduled, 5).at)
                ),
                (CareEventStatus::Attended, None),
                (CareEventStatus::Closed, None),
            ]
        );
        let closed = event(vec![
            step(CareEventStatus::Ordered, 2),
            step(CareEventStatus::Scheduled, 5),
            step(CareEventStatus::Attended, 9),
            step(CareEventStatus::Closed, 12),
        ]);
        assert!(!closed.is_open());
    }

    #[test]
    fn updates_only_move_forward() {
        let to = |status| CareEventUpdate { status, note: None };
        assert!(to(CareEventStatus::Ordered).check(None).is_ok());
        assert!(to(CareEventStatus::Scheduled)
            .check(Some(CareEventStatus::Ordered))
            .is_ok());
        // Skipping a step is allowed: a walk-in is attended without being scheduled.
        assert!(to(CareEventStatus::Attended)
            .check(Some(CareEventStatus::Ordered))
            .is_ok());
        for (status, current) in [
            (CareEventStatus::Ordered, CareEventStatus::Ordered),
            (CareEventStatus::Scheduled, CareEventStatus::Attended),
            (CareEventStatus::Closed, CareEventStatus::Closed),
        ] {
            assert_eq!(to(status).check(Some(current)).unwrap_err().code, "not_forward");
        }
        let long = CareEventUpdate {
            status: CareEventStatus::Closed,
            note: Some("x".repeat(MAX_NOTE_CHARS + 1)),
        };
        assert_eq!(
            long.check(Some(CareEventStatus::Attended)).unwrap_err().code,
            "too_long"
        );
    }

    #[test]
    fn statuses_round_trip_as_words() {
        for status in CareEventStatus::ALL {
            assert_eq!(CareEventStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.as_str())
            );
        }
        assert_eq!(CareEventStatus::parse("lost"), None);
    }
}
