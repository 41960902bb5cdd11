//! Who read or changed a patient's record: the audit trail as the patient
//! sees it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::session::Role;

/// The part of a record an access touched, named for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordPart {
    /// The agenda and what was marked (reminders, adherence, readings).
    Reminders,
    Plan,
    Goals,
    CheckIns,
    CareTeam,
    Appointments,
    FirstDays,
    /// Who sees what: grants, invitations, the caregivers' alert, previews.
    Sharing,
    /// The record of who looked (read in a preview of the patient's app).
    WhoLooked,
    /// The care manager's panel: a summary of flags, the week's adherence,
    /// the last check-in and the next appointment.
    Panel,
    Other,
}

impl RecordPart {
    /// The part a route template belongs to (`/api/patients/{p}/agenda` → reminders).
    pub fn of_route(route: &str) -> RecordPart {
        if route == "/api/panel" {
            return RecordPart::Panel;
        }
        let rest = route.strip_prefix("/api/patients/{p}/").unwrap_or("");
        let first = rest.split('/').next().unwrap_or("");
        match first {
            "agenda" | "outcomes" | "calendar-feed" | "alerts" => RecordPart::Reminders,
            "plan" | "activities" => RecordPart::Plan,
            "goals" | "goal-requests" => RecordPart::Goals,
            "responses" | "check-ins" | "flags" => RecordPart::CheckIns,
            "care-team" => RecordPart::CareTeam,
            "appointments" => RecordPart::Appointments,
            "transition" => RecordPart::FirstDays,
            "grants" | "invites" | "caregiver-alerts" | "preview-accounts" => RecordPart::Sharing,
            "audit" => RecordPart::WhoLooked,
            _ => RecordPart::Other,
        }
    }
}

/// `GET /api/patients/{p}/audit`: one access to the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// Display name of who it was.
    pub who: String,
    pub role: Role,
    /// Whether it changed something (else it read, or tried and was refused).
    pub changed: bool,
    /// A change that was tried and refused: nothing was changed.
    #[serde(default)]
    pub refused: bool,
    pub part: RecordPart,
    /// Seen through a care manager's preview.
    pub preview: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_name_the_part_of_the_record() {
        for (route, part) in [
            ("/api/patients/{p}/agenda", RecordPart::Reminders),
            ("/api/patients/{p}/outcomes", RecordPart::Reminders),
            ("/api/patients/{p}/plan", RecordPart::Plan),
            (
                "/api/patients/{p}/activities/{activity}/versions",
                RecordPart::Plan,
            ),
            ("/api/patients/{p}/goal-requests/{id}/decision", RecordPart::Goals),
            ("/api/patients/{p}/responses", RecordPart::CheckIns),
            ("/api/patients/{p}/flags", RecordPart::CheckIns),
            ("/api/patients/{p}/care-team", RecordPart::CareTeam),
            (
                "/api/patients/{p}/appointments/{activity}/status",
                RecordPart::Appointments,
            ),
            ("/api/patients/{p}/transition", RecordPart::FirstDays),
            ("/api/patients/{p}/alerts", RecordPart::Reminders),
            ("/api/patients/{p}/grants/{id}", RecordPart::Sharing),
            ("/api/patients/{p}/preview-accounts", RecordPart::Sharing),
            ("/api/patients/{p}/audit", RecordPart::WhoLooked),
            ("/api/patients/{p}/something-new", RecordPart::Other),
            ("/api/health", RecordPart::Other),
            ("/api/panel", RecordPart::Panel),
        ] {
            assert_eq!(RecordPart::of_route(route), part, "{route}");
        }
    }
}
