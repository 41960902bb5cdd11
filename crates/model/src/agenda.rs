//! The agenda: a patient's occurrences for some local dates, with what was
//! recorded for each, and the rules the Today screen shows.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::questionnaire::Escalation;
use crate::reading::{Metric, Reading};
use crate::text::LocalizedText;

/// What kind of thing an activity asks the patient to do (CareKit's task kinds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Medication,
    Measurement,
    Exercise,
    Education,
    Questionnaire,
    Appointment,
    Referral,
    Custom,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 8] = [
        ActivityKind::Medication,
        ActivityKind::Measurement,
        ActivityKind::Exercise,
        ActivityKind::Education,
        ActivityKind::Questionnaire,
        ActivityKind::Appointment,
        ActivityKind::Referral,
        ActivityKind::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Medication => "medication",
            ActivityKind::Measurement => "measurement",
            ActivityKind::Exercise => "exercise",
            ActivityKind::Education => "education",
            ActivityKind::Questionnaire => "questionnaire",
            ActivityKind::Appointment => "appointment",
            ActivityKind::Referral => "referral",
            ActivityKind::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What was recorded for an occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    Done,
    Skipped,
}

impl OutcomeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeStatus::Done => "done",
            OutcomeStatus::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<OutcomeStatus> {
        match s {
            "done" => Some(OutcomeStatus::Done),
            "skipped" => Some(OutcomeStatus::Skipped),
            _ => None,
        }
    }
}

/// An outcome as everyone who may see it sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeView {
    pub status: OutcomeStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// Display name of the account that entered it ("Ana" when a caregiver did).
    pub entered_by: String,
    /// The id of that account: who "I" am is decided on ids, never on names.
    #[serde(default)]
    pub entered_by_id: i64,
    /// What was measured, for a measurement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

impl OutcomeView {
    /// Who entered it, when it was not the account `me`: "entered by Ana".
    pub fn entered_by_other(&self, me: i64) -> Option<&str> {
        (self.entered_by_id != me).then_some(self.entered_by.as_str())
    }
}

/// A stable key for an occurrence of an activity, for lists and element ids.
pub fn occurrence_key(activity_id: i64, scheduled: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    // Written out rather than with chrono's format strings, whose machinery
    // would otherwise be in the app's first download (the outbox keys by it).
    format!(
        "{activity_id}-{:04}{:02}{:02}T{:02}{:02}",
        scheduled.year(),
        scheduled.month(),
        scheduled.day(),
        scheduled.hour(),
        scheduled.minute()
    )
}

/// One occurrence on the agenda.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaItem {
    pub activity_id: i64,
    pub activity_version: i64,
    pub kind: ActivityKind,
    pub title: LocalizedText,
    pub instructions: LocalizedText,
    /// What a measurement measures; its outcome then carries a reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// Where an appointment is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<LocalizedText>,
    /// What to bring to an appointment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bring: Option<LocalizedText>,
    /// The lesson an education item opens (`GET /api/lessons/{slug}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// The wall-clock date-time the schedule asked for: the occurrence's key.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::local_date_time))]
    pub scheduled: NaiveDateTime,
    /// The wall-clock date-time it really happens at in `zone`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::local_date_time))]
    pub local: NaiveDateTime,
    pub at: DateTime<Utc>,
    pub outcome: Option<OutcomeView>,
}

impl AgendaItem {
    /// A stable key for this occurrence, for lists and element ids.
    pub fn key(&self) -> String {
        occurrence_key(self.activity_id, self.scheduled)
    }

    pub fn part_of_day(&self) -> PartOfDay {
        PartOfDay::of(self.local.time())
    }
}

/// `GET /api/patients/{p}/agenda`: occurrences on the patient's local dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agenda {
    pub patient_id: i64,
    pub patient_name: String,
    /// The patient's IANA time zone.
    pub zone: String,
    /// Today's date where the patient lives.
    pub today: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub items: Vec<AgendaItem>,
}

impl Agenda {
    /// Items on one local date, grouped into parts of the day, in order.
    pub fn day_by_part(&self, date: NaiveDate) -> Vec<(PartOfDay, Vec<&AgendaItem>)> {
        PartOfDay::ALL
            .into_iter()
            .map(|part| {
                let items = self
                    .items
                    .iter()
                    .filter(|i| i.local.date() == date && i.part_of_day() == part)
                    .collect::<Vec<_>>();
                (part, items)
            })
            .filter(|(_, items)| !items.is_empty())
            .collect()
    }

    /// The item with this [`AgendaItem::key`].
    pub fn item_by_key(&self, key: &str) -> Option<&AgendaItem> {
        self.items.iter().find(|i| i.key() == key)
    }

    pub fn progress_on(&self, date: NaiveDate) -> Progress {
        Progress::of(self.items.iter().filter(|i| i.local.date() == date))
    }

    /// Replaces the outcome of one occurrence; returns whether it was found.
    pub fn set_outcome(
        &mut self,
        activity_id: i64,
        scheduled: NaiveDateTime,
        outcome: Option<OutcomeView>,
    ) -> bool {
        match self
            .items
            .iter_mut()
            .find(|i| i.activity_id == activity_id && i.scheduled == scheduled)
        {
            Some(item) => {
                item.outcome = outcome;
                true
            }
            None => false,
        }
    }
}

/// "4 of 7 done": how far along a day is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub skipped: usize,
    pub total: usize,
}

impl Progress {
    pub fn of<'a>(items: impl IntoIterator<Item = &'a AgendaItem>) -> Progress {
        items.into_iter().fold(Progress::default(), |mut p, item| {
            p.total += 1;
            match item.outcome.as_ref().map(|o| o.status) {
                Some(OutcomeStatus::Done) => p.done += 1,
                Some(OutcomeStatus::Skipped) => p.skipped += 1,
                None => {}
            }
            p
        })
    }

    /// Items not yet marked either way.
    pub fn open(&self) -> usize {
        self.total - self.done - self.skipped
    }
}

/// Morning until noon, afternoon until 17:00, evening after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartOfDay {
    Morning,
    Afternoon,
    Evening,
}

impl PartOfDay {
    pub const ALL: [PartOfDay; 3] = [PartOfDay::Morning, PartOfDay::Afternoon, PartOfDay::Evening];

    /// A name for ids and classes: `morning`, `afternoon`, `evening`.
    pub fn slug(self) -> &'static str {
        match self {
            PartOfDay::Morning => "morning",
            PartOfDay::Afternoon => "afternoon",
            PartOfDay::Evening => "evening",
        }
    }

    pub fn of(time: NaiveTime) -> PartOfDay {
        match time.hour() {
            0..=11 => PartOfDay::Morning,
            12..=16 => PartOfDay::Afternoon,
            _ => PartOfDay::Evening,
        }
    }
}

/// What the patient does to one occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeAction {
    Done,
    Skipped,
    /// Takes back a done or skipped mark.
    Undo,
}

/// The answer to `POST /api/patients/{p}/outcomes`: the occurrence's outcome now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeResult {
    pub activity_id: i64,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::local_date_time))]
    pub scheduled: NaiveDateTime,
    pub outcome: Option<OutcomeView>,
    /// What the reading sets in motion now (weight gain, very high blood pressure, low sugar).
    #[serde(default)]
    pub escalations: Vec<Escalation>,
}

/// The longest skip reason kept, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// `POST /api/patients/{p}/outcomes`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeRequest {
    pub activity_id: i64,
    /// The occurrence's scheduled wall-clock date-time, as the agenda gave it.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::local_date_time))]
    pub scheduled: NaiveDateTime,
    pub action: OutcomeAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The value measured, with `done` on a measurement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

impl OutcomeRequest {
    /// The reading to keep for an activity that measures `metric` (or nothing):
    /// a measurement marked done needs its value, and only a measurement takes one.
    pub fn checked_reading(&self, metric: Option<Metric>) -> Result<Option<Reading>, FieldError> {
        let refuse = |code: &str, message: &str| FieldError {
            field: "reading".into(),
            code: code.into(),
            message: message.into(),
        };
        match (self.action, metric, self.reading) {
            (OutcomeAction::Done, Some(_), None) => {
                Err(refuse("reading_required", "Enter the value you measured."))
            }
            (_, _, None) => Ok(None),
            (OutcomeAction::Done, Some(metric), Some(reading)) => {
                if reading.metric() != metric {
                    return Err(refuse(
                        "wrong_metric",
                        "This value does not belong to this measurement.",
                    ));
                }
                reading
                    .validate()
                    .map(|()| Some(reading))
                    .map_err(|e| refuse(e.code(), &format!("The value {e}.")))
            }
            (OutcomeAction::Done, None, Some(_)) => {
                Err(refuse("not_a_measurement", "This item takes no value."))
            }
            (_, _, Some(_)) => Err(refuse(
                "only_with_done",
                "A value goes with marking a measurement done.",
            )),
        }
    }

    /// The reason to keep: trimmed, empty as none, only with a skip.
    /// Refuses a reason that is too long or given with anything but a skip.
    pub fn clean_reason(&self) -> Result<Option<String>, FieldError> {
        let reason = self.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        match (self.action, reason) {
            (_, None) => Ok(None),
            (OutcomeAction::Skipped, Some(r)) if r.chars().count() <= MAX_REASON_CHARS => {
                Ok(Some(r.to_owned()))
            }
            (OutcomeAction::Skipped, Some(_)) => Err(FieldError {
                field: "reason".into(),
                code: "too_long".into(),
                message: format!("The reason can be at most {MAX_REASON_CHARS} characters."),
            }),
            (_, Some(_)) => Err(FieldError {
                field: "reason".into(),
                code: "only_with_skip".into(),
                message: "A reason can be given only when skipping.".into(),
            }),
        }
    }
}

/// A metformin occurrence at `local` (also its instant, as if in UTC), with
/// an outcome entered by Maria when `status` is given: the model's tests
/// build on it and change what they need.
#[cfg(test)]
pub(crate) fn test_item(activity_id: i64, local: NaiveDateTime, status: Option<OutcomeStatus>) -> AgendaItem {
    AgendaItem {
        activity_id,
        activity_version: 1,
        kind: ActivityKind::Medication,
        title: LocalizedText::new("Metformin", "Metformina"),
        instructions: LocalizedText::default(),
        metric: None,
        place: None,
        bring: None,
        lesson: None,
        scheduled: local,
        local,
        at: local.and_utc(),
        outcome: status.map(|status| OutcomeView {
            status,
            reason: None,
            recorded_at: local.and_utc(),
            entered_by: "Maria".into(),
            entered_by_id: 1,
            reading: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(hour: u32, status: Option<OutcomeStatus>) -> AgendaItem {
        let local = NaiveDate::from_ymd_opt(2026, 11, 27)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap();
        test_item(i64::from(hour), local, status)
    }

    #[test]
    fn an_occurrence_key_is_the_activity_and_the_local_minute() {
        let at = |y, mo, d, h, mi| {
            NaiveDate::from_ymd_opt(y, mo, d)
                .unwrap()
                .and_hms_opt(h, mi, 30)
                .unwrap()
        };
        assert_eq!(occurrence_key(7, at(2026, 3, 8, 2, 5)), "7-20260308T0205");
        assert_eq!(occurrence_key(123, at(2026, 12, 31, 23, 59)), "123-20261231T2359");
        // As chrono's format strings wrote it before: keys kept on phones stay valid.
        for (y, mo, d, h, mi) in [(2026, 1, 1, 0, 0), (2027, 11, 7, 13, 45), (999, 2, 3, 4, 5)] {
            let when = at(y, mo, d, h, mi);
            assert_eq!(
                occurrence_key(1, when),
                format!("1-{}", when.format("%Y%m%dT%H%M"))
            );
        }
    }

    #[test]
    fn parts_of_the_day_have_their_boundaries() {
        for (h, m, want) in [
            (0, 0, PartOfDay::Morning),
            (11, 59, PartOfDay::Morning),
            (12, 0, PartOfDay::Afternoon),
            (16, 59, PartOfDay::Afternoon),
            (17, 0, PartOfDay::Evening),
            (23, 59, PartOfDay::Evening),
        ] {
            assert_eq!(
                PartOfDay::of(NaiveTime::from_hms_opt(h, m, 0).unwrap()),
                want,
                "{h}:{m}"
            );
        }
    }

    #[test]
    fn progress_counts_done_and_skipped_apart() {
        let items = [
            item(7, Some(OutcomeStatus::Done)),
            item(8, Some(OutcomeStatus::Done)),
            item(9, Some(OutcomeStatus::Skipped)),
            item(13, None),
            item(20, None),
        ];
        let p = Progress::of(&items);
        assert_eq!((p.done, p.skipped, p.total, p.open()), (2, 1, 5, 2));
    }

    #[test]
    fn a_day_groups_into_parts_in_order_and_skips_empty_parts() {
        let agenda = Agenda {
            patient_id: 1,
            patient_name: "Maria".into(),
            zone: "America/Chicago".into(),
            today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            from: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            items: vec![item(7, None), item(8, None), item(20, None)],
        };
        let parts: Vec<_> = agenda
            .day_by_part(agenda.today)
            .into_iter()
            .map(|(part, items)| (part, items.len()))
            .collect();
        assert_eq!(parts, vec![(PartOfDay::Morning, 2), (PartOfDay::Evening, 1)]);
    }

    #[test]
    fn measurements_need_a_valid_value_of_their_own_kind() {
        use crate::reading::WeightUnit;
        let request = |action, reading| OutcomeRequest {
            activity_id: 1,
            scheduled: NaiveDate::from_ymd_opt(2026, 11, 27)
                .unwrap()
                .and_hms_opt(7, 30, 0)
                .unwrap(),
            action,
            reason: None,
            reading,
        };
        let weight = Reading::Weight {
            value: 182.4,
            unit: WeightUnit::Lb,
        };
        let code = |r: Result<Option<Reading>, FieldError>| r.map_err(|e| e.code);
        assert_eq!(
            code(request(OutcomeAction::Done, Some(weight)).checked_reading(Some(Metric::Weight))),
            Ok(Some(weight))
        );
        assert_eq!(
            code(request(OutcomeAction::Done, None).checked_reading(Some(Metric::Weight))),
            Err("reading_required".into())
        );
        assert_eq!(
            code(request(OutcomeAction::Skipped, None).checked_reading(Some(Metric::Weight))),
            Ok(None)
        );
        assert_eq!(
            code(request(OutcomeAction::Done, Some(weight)).checked_reading(Some(Metric::Glucose))),
            Err("wrong_metric".into())
        );
        assert_eq!(
            code(request(OutcomeAction::Done, Some(weight)).checked_reading(None)),
            Err("not_a_measurement".into())
        );
        assert_eq!(
            code(request(OutcomeAction::Undo, Some(weight)).checked_reading(Some(Metric::Weight))),
            Err("only_with_done".into())
        );
        let zero = Reading::Weight {
            value: 0.0,
            unit: WeightUnit::Lb,
        };
        assert_eq!(
            code(request(OutcomeAction::Done, Some(zero)).checked_reading(Some(Metric::Weight))),
            Err("out_of_range".into())
        );
        let upside_down = Reading::BloodPressure {
            systolic: 80,
            diastolic: 120,
        };
        assert_eq!(
            code(
                request(OutcomeAction::Done, Some(upside_down)).checked_reading(Some(Metric::BloodPressure))
            ),
            Err("systolic_not_above_diastolic".into())
        );
    }

    #[test]
    fn reasons_are_kept_only_with_skips_and_not_too_long() {
        let request = |action, reason: Option<&str>| OutcomeRequest {
            activity_id: 1,
            scheduled: NaiveDate::from_ymd_opt(2026, 11, 27)
                .unwrap()
                .and_hms_opt(8, 0, 0)
                .unwrap(),
            action,
            reason: reason.map(str::to_owned),
            reading: None,
        };
        assert_eq!(
            request(OutcomeAction::Skipped, Some("  felt dizzy ")).clean_reason(),
            Ok(Some("felt dizzy".into()))
        );
        assert_eq!(
            request(OutcomeAction::Skipped, Some("   ")).clean_reason(),
            Ok(None)
        );
        assert_eq!(request(OutcomeAction::Done, None).clean_reason(), Ok(None));
        assert_eq!(
            request(OutcomeAction::Done, Some("why"))
                .clean_reason()
                .unwrap_err()
                .code,
            "only_with_skip"
        );
        let long = "x".repeat(MAX_REASON_CHARS + 1);
        assert_eq!(
            request(OutcomeAction::Skipped, Some(&long))
                .clean_reason()
                .unwrap_err()
                .code,
            "too_long"
        );
    }
}
