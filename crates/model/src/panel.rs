//! The care manager's panel: every patient with what needs attention, and
//! the orders and filters a care manager sorts them by.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::questionnaire::{Band, QuestionnaireId, Urgency};
use crate::text::LocalizedText;

/// Adherence below this, in percent, counts as low on the panel.
pub const LOW_ADHERENCE: u32 = 80;

/// A flag not yet acknowledged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelFlag {
    pub id: i64,
    pub urgency: Urgency,
    pub detail: String,
    pub raised_at: DateTime<Utc>,
}

/// The newest check-in and its score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelCheckIn {
    pub questionnaire: QuestionnaireId,
    pub total: u8,
    pub max: u8,
    pub band: Band,
    pub at: DateTime<Utc>,
}

/// The next appointment still to come.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelAppointment {
    pub activity_id: i64,
    pub title: LocalizedText,
    /// The wall-clock date-time where the patient lives.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::local_date_time))]
    pub when: NaiveDateTime,
}

/// One patient of the panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelPatient {
    pub id: i64,
    pub name: String,
    /// Open flags, most urgent first, then oldest first.
    pub open_flags: Vec<PanelFlag>,
    /// Occurrences of the last 7 days (today included) marked done.
    pub done_7d: u32,
    /// Occurrences of the last 7 days that came due: done, skipped or missed.
    pub due_7d: u32,
    pub last_check_in: Option<PanelCheckIn>,
    pub next_appointment: Option<PanelAppointment>,
}

impl PanelPatient {
    /// Done out of what came due, in whole percent; `None` when nothing came due.
    pub fn adherence(&self) -> Option<u32> {
        (self.due_7d > 0).then(|| self.done_7d * 100 / self.due_7d)
    }

    /// The most urgent open flag's urgency.
    pub fn top_urgency(&self) -> Option<Urgency> {
        self.open_flags.iter().map(|f| f.urgency).min()
    }

    pub fn low_adherence(&self) -> bool {
        self.adherence().is_some_and(|a| a < LOW_ADHERENCE)
    }
}

/// How the panel is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PanelSort {
    /// Most urgent flags first, then more flags, then lower adherence.
    #[default]
    Urgency,
    /// Lowest adherence first; nothing due last.
    Adherence,
    /// Longest since a check-in first; never checked in first of all.
    LastCheckIn,
    /// Soonest appointment first; none last.
    NextAppointment,
    Name,
}

impl PanelSort {
    pub const ALL: [PanelSort; 5] = [
        PanelSort::Urgency,
        PanelSort::Adherence,
        PanelSort::LastCheckIn,
        PanelSort::NextAppointment,
        PanelSort::Name,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PanelSort::Urgency => "urgency",
            PanelSort::Adherence => "adherence",
            PanelSort::LastCheckIn => "check-in",
            PanelSort::NextAppointment => "appointment",
            PanelSort::Name => "name",
        }
    }

    pub fn parse(s: &str) -> Option<PanelSort> {
        PanelSort::ALL.into_iter().find(|sort| sort.as_str() == s)
    }
}

/// Which patients the panel shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PanelFilter {
    /// Only patients with an open flag.
    pub flagged: bool,
    /// Only patients whose adherence is below [`LOW_ADHERENCE`].
    pub low_adherence: bool,
    /// Part of the name, in any case; blank matches everyone.
    pub name: String,
}

impl PanelFilter {
    pub fn matches(&self, patient: &PanelPatient) -> bool {
        let needle = self.name.trim().to_lowercase();
        (!self.flagged || !patient.open_flags.is_empty())
            && (!self.low_adherence || patient.low_adherence())
            && (needle.is_empty() || patient.name.to_lowercase().contains(&needle))
    }
}

/// The patients `filter` lets through, in `sort`'s order; ties by name, then id.
pub fn arrange<'a>(
    patients: &'a [PanelPatient],
    sort: PanelSort,
    filter: &PanelFilter,
) -> Vec<&'a PanelPatient> {
    let mut shown: Vec<&PanelPatient> = patients.iter().filter(|p| filter.matches(p)).collect();
    let by_name = |p: &PanelPatient| (p.name.to_lowercase(), p.id);
    match sort {
        PanelSort::Urgency => shown.sort_by_key(|p| {
            (
                // No flag sorts after every urgency.
                p.top_urgency().map_or(3, |u| u as u8),
                std::cmp::Reverse(p.open_flags.len()),
                p.adherence().unwrap_or(101),
                by_name(p),
            )
        }),
        PanelSort::Adherence => shown.sort_by_key(|p| (p.adherence().unwrap_or(101), by_name(p))),
        PanelSort::LastCheckIn => shown.sort_by_key(|p| (p.last_check_in.as_ref().map(|c| c.at), by_name(p))),
        PanelSort::NextAppointment => shown.sort_by_key(|p| {
            let when = p.next_appointment.as_ref().map(|a| a.when);
            (when.is_none(), when, by_name(p))
        }),
        PanelSort::Name => shown.sort_by_key(|p| by_name(p)),
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn patient(id: i64, name: &str) -> PanelPatient {
        PanelPatient {
            id,
            name: name.to_owned(),
            open_flags: Vec::new(),
            done_7d: 0,
            due_7d: 0,
            last_check_in: None,
            next_appointment: None,
        }
    }

    fn flag(id: i64, urgency: Urgency) -> PanelFlag {
        PanelFlag {
            id,
            urgency,
            detail: String::new(),
            raised_at: Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
        }
    }

    fn check_in(day: u32) -> Option<PanelCheckIn> {
        Some(PanelCheckIn {
            questionnaire: QuestionnaireId::Phq9,
            total: 5,
            max: 27,
            band: Band::Mild,
            at: Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap(),
        })
    }

    fn appointment(day: u32) -> Option<PanelAppointment> {
        Some(PanelAppointment {
            activity_id: 1,
            title: LocalizedText::new("Cardiology", "Cardiología"),
            when: NaiveDate::from_ymd_opt(2026, 12, day)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        })
    }

    fn names(list: Vec<&PanelPatient>) -> Vec<&str> {
        list.into_iter().map(|p| p.name.as_str()).collect()
    }

    fn sample() -> Vec<PanelPatient> {
        let mut alma = patient(1, "Alma Brooks");
        alma.open_flags = vec![flag(1, Urgency::Soon)];
        (alma.done_7d, alma.due_7d) = (9, 10);
        alma.last_check_in = check_in(20);
        let mut bruce = patient(2, "bruce Castillo");
        bruce.open_flags = vec![flag(2, Urgency::Urgent)];
        (bruce.done_7d, bruce.due_7d) = (10, 10);
        bruce.next_appointment = appointment(3);
        let mut carmen = patient(3, "Carmen Dubois");
        (carmen.done_7d, carmen.due_7d) = (5, 10);
        carmen.last_check_in = check_in(10);
        carmen.next_appointment = appointment(1);
        let mut dmitri = patient(4, "Dmitri Estrada");
        dmitri.open_flags = vec![flag(3, Urgency::Soon), flag(4, Urgency::Routine)];
        let esther = patient(5, "Esther Fischer");
        vec![alma, bruce, carmen, dmitri, esther]
    }

    #[test]
    fn adherence_counts_only_what_came_due() {
        let mut p = patient(1, "A");
        assert_eq!(p.adherence(), None);
        assert!(!p.low_adherence(), "nothing due is not low");
        (p.done_7d, p.due_7d) = (7, 9);
        assert_eq!(p.adherence(), Some(77));
        assert!(p.low_adherence());
        (p.done_7d, p.due_7d) = (8, 10);
        assert!(!p.low_adherence(), "80 % is not below 80 %");
    }

    #[test]
    fn urgency_order_puts_urgent_first_then_more_flags_then_lower_adherence() {
        let all = sample();
        assert_eq!(
            names(arrange(&all, PanelSort::Urgency, &PanelFilter::default())),
            [
                "bruce Castillo",
                "Dmitri Estrada",
                "Alma Brooks",
                "Carmen Dubois",
                "Esther Fischer"
            ]
        );
    }

    #[test]
    fn the_other_orders() {
        let all = sample();
        let none = PanelFilter::default();
        assert_eq!(
            names(arrange(&all, PanelSort::Adherence, &none)),
            [
                "Carmen Dubois",
                "Alma Brooks",
                "bruce Castillo",
                "Dmitri Estrada",
                "Esther Fischer"
            ]
        );
        assert_eq!(
            names(arrange(&all, PanelSort::LastCheckIn, &none)),
            [
                "bruce Castillo",
                "Dmitri Estrada",
                "Esther Fischer",
                "Carmen Dubois",
                "Alma Brooks"
            ]
        );
        assert_eq!(
            names(arrange(&all, PanelSort::NextAppointment, &none)),
            [
                "Carmen Dubois",
                "bruce Castillo",
                "Alma Brooks",
                "Dmitri Estrada",
                "Esther Fischer"
            ]
        );
        assert_eq!(
            names(arrange(&all, PanelSort::Name, &none)),
            [
                "Alma Brooks",
                "bruce Castillo",
                "Carmen Dubois",
                "Dmitri Estrada",
                "Esther Fischer"
            ]
        );
    }

    #[test]
    fn filters_combine() {
        let all = sample();
        let flagged = PanelFilter {
            flagged: true,
            ..PanelFilter::default()
        };
        assert_eq!(arrange(&all, PanelSort::Name, &flagged).len(), 3);
        let low = PanelFilter {
            low_adherence: true,
            ..PanelFilter::default()
        };
        assert_eq!(names(arrange(&all, PanelSort::Name, &low)), ["Carmen Dubois"]);
        let both = PanelFilter {
            flagged: true,
            low_adherence: true,
            name: String::new(),
        };
        assert!(arrange(&all, PanelSort::Name, &both).is_empty());
        let named = PanelFilter {
            name: "  CAS ".to_owned(),
            ..PanelFilter::default()
        };
        assert_eq!(names(arrange(&all, PanelSort::Name, &named)), ["bruce Castillo"]);
    }

    #[test]
    fn sorts_round_trip_through_their_names() {
        for sort in PanelSort::ALL {
            assert_eq!(PanelSort::parse(sort.as_str()), Some(sort));
        }
        assert_eq!(PanelSort::parse("shoe size"), None);
    }
}
