//! The care plan as a patient reads it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::agenda::ActivityKind;
use crate::problem::FieldError;
use crate::reading::Metric;
use crate::schedule::{Recurrence, Schedule};
use crate::text::LocalizedText;

/// One domain of the plan (medical, behavioural, functional, social) in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDomain {
    /// `medical`, `behavioural`, `functional` or `social`.
    pub domain: String,
    pub text: LocalizedText,
}

/// An activity of the plan with its schedule in words and the goal it serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanActivity {
    pub activity_id: i64,
    pub kind: ActivityKind,
    pub title: LocalizedText,
    pub instructions: LocalizedText,
    /// "Every day at 8:00 AM and 8:00 PM" in both languages.
    pub schedule: LocalizedText,
    pub goal_id: Option<i64>,
    /// The schedule in force, as the care manager edits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<crate::schedule::Schedule>,
}

/// Times typed as "8:00, 20:30": each `H:MM` or `HH:MM` on a 24-hour clock,
/// separated by commas or spaces; sorted, without repeats.
pub fn parse_times(text: &str) -> Result<Vec<chrono::NaiveTime>, FieldError> {
    let refuse = |code: &str, message: String| FieldError {
        field: "times".into(),
        code: code.into(),
        message,
    };
    let mut times = Vec::new();
    for part in text
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let time = chrono::NaiveTime::parse_from_str(part, "%H:%M").map_err(|_| {
            refuse(
                "invalid_time",
                format!("\"{part}\" is not a time like 8:00 or 20:30."),
            )
        })?;
        times.push(time);
    }
    times.sort();
    times.dedup();
    if times.is_empty() {
        return Err(refuse("required", "Give at least one time, like 8:00.".into()));
    }
    Ok(times)
}

/// A goal as listed in the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanGoal {
    pub id: i64,
    pub title: LocalizedText,
    /// `proposed`, `active`, `achieved` or `cancelled`.
    pub status: String,
    pub due_date: Option<NaiveDate>,
}

/// `GET /api/patients/{p}/plan`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanView {
    pub summary: LocalizedText,
    pub domains: Vec<PlanDomain>,
    pub status: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub activities: Vec<PlanActivity>,
    pub goals: Vec<PlanGoal>,
}

/// `POST /api/patients/{p}/activities/{a}/versions`: the care manager edits an
/// activity. The edit is a new version from `effective_from`; what was
/// recorded before keeps pointing at the version it was recorded against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityEdit {
    /// The first local date the new version rules; today or later.
    pub effective_from: NaiveDate,
    pub title: LocalizedText,
    pub instructions: LocalizedText,
    pub schedule: Schedule,
}

/// The answer to an edit: the new version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityVersionView {
    pub activity_id: i64,
    pub version: i64,
    pub effective_from: NaiveDate,
}

impl ActivityEdit {
    /// Everything wrong with the edit as of the patient's `today`.
    pub fn check(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.effective_from < today {
            errors.push(FieldError {
                field: "effective_from".into(),
                code: "in_past".into(),
                message: "An edit starts today or later: the past stays as it was.".into(),
            });
        }
        check_words_and_schedule(&self.title, &self.instructions, &self.schedule, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A title in both languages, words of a sane length, and a schedule that works.
fn check_words_and_schedule(
    title: &LocalizedText,
    instructions: &LocalizedText,
    schedule: &Schedule,
    errors: &mut Vec<FieldError>,
) {
    for (field, text) in [("title", title), ("instructions", instructions)] {
        if field == "title" && (text.en.trim().is_empty() || text.es.trim().is_empty()) {
            errors.push(FieldError {
                field: field.into(),
                code: "required".into(),
                message: "Give the title in English and in Spanish.".into(),
            });
        }
        if text.en.chars().count() > 1000 || text.es.chars().count() > 1000 {
            errors.push(FieldError {
                field: field.into(),
                code: "too_long".into(),
                message: "At most 1000 characters.".into(),
            });
        }
    }
    if let Err(e) = schedule.check() {
        errors.push(e);
    }
}

/// The kinds of activity a care manager adds by hand. Check-ins, visits and
/// lessons come with their own content and are set up with it.
pub const ADDABLE_KINDS: [ActivityKind; 4] = [
    ActivityKind::Medication,
    ActivityKind::Measurement,
    ActivityKind::Exercise,
    ActivityKind::Custom,
];

/// `POST /api/patients/{p}/activities`: the care manager adds an activity to
/// the plan, from its schedule's first day (today or later).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewActivity {
    /// `medication`, `measurement`, `exercise` or `custom`.
    pub kind: ActivityKind,
    pub title: LocalizedText,
    pub instructions: LocalizedText,
    /// Repeats daily, on weekdays or every few days, or as needed.
    pub schedule: Schedule,
    /// What a measurement measures; only for measurements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// The goal the activity serves, one of the patient's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_id: Option<i64>,
}

impl NewActivity {
    /// Everything wrong with the new activity as of the patient's `today`.
    /// Whether `goal_id` is the patient's is for the server to say.
    pub fn check(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let refuse = |field: &str, code: &str, message: &str| FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        };
        if !ADDABLE_KINDS.contains(&self.kind) {
            errors.push(refuse(
                "kind",
                "not_addable",
                "Add a medicine, a measurement, an exercise or another activity.",
            ));
        }
        match (self.kind, self.metric) {
            (ActivityKind::Measurement, None) => errors.push(refuse(
                "metric",
                "required",
                "Choose what the measurement measures.",
            )),
            (ActivityKind::Measurement, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(refuse(
                "metric",
                "not_a_measurement",
                "Only a measurement measures something.",
            )),
        }
        if self.schedule.start < today {
            errors.push(refuse(
                "schedule",
                "in_past",
                "A new activity starts today or later.",
            ));
        }
        if matches!(self.schedule.recurrence, Recurrence::Once { .. }) {
            errors.push(refuse(
                "schedule",
                "once",
                "A visit is added as a visit, not as an activity.",
            ));
        }
        check_words_and_schedule(&self.title, &self.instructions, &self.schedule, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The order domains are shown in.
pub const DOMAINS: [&str; 4] = ["medical", "behavioural", "functional", "social"];

/// One thing to get done in the first weeks at home, done when its activity
/// was marked done (or its visit attended).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    pub activity_id: i64,
    pub title: LocalizedText,
    pub instructions: LocalizedText,
    /// The last day it should be done by.
    pub due_on: Option<NaiveDate>,
    /// The first day it was done.
    pub done_on: Option<NaiveDate>,
}

/// Where a checklist item stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecklistState {
    Done,
    /// Not done yet, and still in time.
    ToDo,
    /// Not done, and its day has passed.
    Overdue,
}

impl ChecklistItem {
    pub fn state(&self, today: NaiveDate) -> ChecklistState {
        match (self.done_on, self.due_on) {
            (Some(_), _) => ChecklistState::Done,
            (None, Some(due)) if due < today => ChecklistState::Overdue,
            (None, _) => ChecklistState::ToDo,
        }
    }
}

/// `GET /api/patients/{p}/transition`: the first weeks home after a hospital
/// stay (a transition of care), as a checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionView {
    pub discharged_on: NaiveDate,
    /// How long the transition lasts, in days (30).
    pub days: i64,
    /// Today where the patient lives.
    pub today: NaiveDate,
    pub checklist: Vec<ChecklistItem>,
    /// When to call, in the patient's words.
    pub warning_signs: Vec<LocalizedText>,
}

impl TransitionView {
    /// Day 1 is the day of discharge; clamped to the transition.
    pub fn day(&self) -> i64 {
        ((self.today - self.discharged_on).num_days() + 1).clamp(1, self.days)
    }

    /// The last day of the transition.
    pub fn ends_on(&self) -> NaiveDate {
        self.discharged_on + chrono::TimeDelta::days(self.days - 1)
    }

    /// Still within the first `days` after discharge.
    pub fn is_current(&self) -> bool {
        self.today <= self.ends_on()
    }

    pub fn done_count(&self) -> usize {
        self.checklist.iter().filter(|i| i.done_on.is_some()).count()
    }
}

#[cfg(test)]
mod times_tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn times_are_read_sorted_and_once() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(parse_times("20:00, 8:00").unwrap(), [t(8, 0), t(20, 0)]);
        assert_eq!(parse_times(" 07:30 7:30;12:05 ").unwrap(), [t(7, 30), t(12, 5)]);
        assert_eq!(parse_times("").unwrap_err().code, "required");
        assert_eq!(parse_times("8am").unwrap_err().code, "invalid_time");
        assert_eq!(parse_times("25:00").unwrap_err().code, "invalid_time");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn item(due_on: Option<NaiveDate>, done_on: Option<NaiveDate>) -> ChecklistItem {
        ChecklistItem {
            activity_id: 1,
            title: LocalizedText::new("Follow-up visit", "Visita de seguimiento"),
            instructions: LocalizedText::default(),
            due_on,
            done_on,
        }
    }

    #[test]
    fn an_edit_starts_today_or_later_with_a_title_in_both_languages_and_a_sound_schedule() {
        use crate::schedule::Recurrence;
        let today = date(11, 27);
        let edit = |from, title: (&str, &str), recurrence| ActivityEdit {
            effective_from: from,
            title: LocalizedText::new(title.0, title.1),
            instructions: LocalizedText::default(),
            schedule: Schedule::new(recurrence, from),
        };
        let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let daily = || Recurrence::Daily { times: vec![nine] };
        assert!(edit(today, ("Metformin", "Metformina"), daily())
            .check(today)
            .is_ok());
        let codes = |e: ActivityEdit| -> Vec<String> {
            e.check(today).unwrap_err().into_iter().map(|e| e.code).collect()
        };
        assert_eq!(
            codes(edit(date(11, 26), ("Metformin", "Metformina"), daily())),
            ["in_past"]
        );
        assert_eq!(codes(edit(today, ("Metformin", " "), daily())), ["required"]);
        assert_eq!(
            codes(edit(
                today,
                ("Metformin", "Metformina"),
                Recurrence::Daily { times: vec![] }
            )),
            ["no_times"]
        );
        assert_eq!(
            codes(edit(
                today,
                ("M", "M"),
                Recurrence::Weekly {
                    days: vec![],
                    times: vec![nine]
                }
            )),
            ["no_days"]
        );
        assert_eq!(
            codes(edit(
                today,
                ("M", "M"),
                Recurrence::EveryNDays {
                    every: 0,
                    times: vec![nine]
                }
            )),
            ["bad_interval"]
        );
        assert_eq!(
            codes(edit(
                today,
                ("M", "M"),
                Recurrence::Daily {
                    times: vec![nine; 13]
                }
            )),
            ["too_many_times"]
        );
    }

    #[test]
    fn a_new_activity_is_one_a_care_manager_may_add_starting_today_or_later() {
        let today = date(11, 27);
        let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let walk = |kind, metric, start, recurrence| NewActivity {
            kind,
            title: LocalizedText::new("Walk", "Caminar"),
            instructions: LocalizedText::default(),
            schedule: Schedule::new(recurrence, start),
            metric,
            goal_id: None,
        };
        let weekly = || Recurrence::Weekly {
            days: vec![chrono::Weekday::Mon, chrono::Weekday::Thu],
            times: vec![nine],
        };
        let codes = |a: NewActivity| -> Vec<String> {
            a.check(today)
                .map(|()| Vec::new())
                .unwrap_or_else(|e| e.into_iter().map(|e| e.code).collect())
        };
        assert_eq!(
            codes(walk(ActivityKind::Exercise, None, today, weekly())),
            Vec::<String>::new()
        );
        assert_eq!(
            codes(walk(ActivityKind::Exercise, None, today, Recurrence::AsNeeded)),
            Vec::<String>::new()
        );
        assert_eq!(
            codes(walk(
                ActivityKind::Measurement,
                Some(Metric::Weight),
                date(12, 1),
                weekly()
            )),
            Vec::<String>::new()
        );
        assert_eq!(
            codes(walk(ActivityKind::Measurement, None, today, weekly())),
            ["required"]
        );
        assert_eq!(
            codes(walk(
                ActivityKind::Exercise,
                Some(Metric::Weight),
                today,
                weekly()
            )),
            ["not_a_measurement"]
        );
        assert_eq!(
            codes(walk(ActivityKind::Questionnaire, None, today, weekly())),
            ["not_addable"]
        );
        assert_eq!(
            codes(walk(ActivityKind::Exercise, None, date(11, 26), weekly())),
            ["in_past"]
        );
        let at = today.and_time(nine);
        assert_eq!(
            codes(walk(ActivityKind::Custom, None, today, Recurrence::Once { at })),
            ["once"]
        );
        let mut untitled = walk(ActivityKind::Medication, None, today, weekly());
        untitled.title.es = String::new();
        assert_eq!(codes(untitled), ["required"]);
        let mut stopped = walk(ActivityKind::Medication, None, today, weekly());
        stopped.schedule.end = Some(date(11, 26));
        assert_eq!(codes(stopped), ["ends_before_start"]);
    }

    #[test]
    fn checklist_items_are_done_to_do_or_overdue() {
        let today = date(11, 27);
        assert_eq!(
            item(Some(date(11, 26)), Some(date(11, 25))).state(today),
            ChecklistState::Done
        );
        assert_eq!(item(Some(date(11, 27)), None).state(today), ChecklistState::ToDo);
        assert_eq!(
            item(Some(date(11, 26)), None).state(today),
            ChecklistState::Overdue
        );
        assert_eq!(item(None, None).state(today), ChecklistState::ToDo);
    }

    #[test]
    fn the_days_count_from_discharge_and_stop_at_the_end() {
        let view = |today| TransitionView {
            discharged_on: date(11, 24),
            days: 30,
            today,
            checklist: vec![item(None, Some(date(11, 25))), item(None, None)],
            warning_signs: Vec::new(),
        };
        assert_eq!(view(date(11, 24)).day(), 1);
        assert_eq!(view(date(11, 27)).day(), 4);
        assert_eq!(view(date(11, 27)).ends_on(), date(12, 23));
        assert!(view(date(12, 23)).is_current());
        assert!(!view(date(12, 24)).is_current());
        assert_eq!(view(date(12, 24)).day(), 30);
        assert_eq!(view(date(11, 27)).done_count(), 1);
    }
}
