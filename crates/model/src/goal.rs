//! Measurable goals and their progress, derived from readings and outcomes,
//! never typed in.

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::text::LocalizedText;

/// What a goal aims at.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "direction", rename_all = "snake_case")]
pub enum GoalTarget {
    /// Below a value (A1c below 7.5 %).
    Below { value: f64 },
    /// Within `band` of a value (weight within 2 lb of 176 lb).
    Within { value: f64, band: f64 },
    /// At least this much a week (walk 150 minutes a week).
    PerWeek { value: f64 },
    /// A milestone that matters to the patient; no numbers.
    Milestone,
}

/// One point of a goal's measure: a local date and a value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Point {
    pub date: NaiveDate,
    pub value: f64,
}

/// Where a goal stands.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalProgress {
    /// The latest value (for a weekly goal: this week's total so far).
    pub latest: Option<f64>,
    /// On track now; `None` when there is nothing to measure yet.
    pub on_track: Option<bool>,
}

impl GoalTarget {
    /// The band to shade on a chart: (low, high).
    pub fn band(&self) -> Option<(f64, f64)> {
        match *self {
            GoalTarget::Within { value, band } => Some((value - band, value + band)),
            GoalTarget::Below { value } => Some((f64::MIN, value)),
            GoalTarget::PerWeek { value } => Some((value, f64::MAX)),
            GoalTarget::Milestone => None,
        }
    }

    /// Progress from the measure's points (any order) as of `today`.
    pub fn progress(&self, points: &[Point], today: NaiveDate) -> GoalProgress {
        match *self {
            GoalTarget::Milestone => GoalProgress {
                latest: None,
                on_track: None,
            },
            GoalTarget::PerWeek { value } => {
                let monday = today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
                let this_week: f64 = points
                    .iter()
                    .filter(|p| p.date >= monday && p.date <= today)
                    .map(|p| p.value)
                    .sum();
                // On track when the week so far keeps pace with the weekly target.
                let days_gone = f64::from(today.weekday().num_days_from_monday() + 1);
                GoalProgress {
                    latest: Some(this_week),
                    on_track: Some(this_week + 1e-9 >= value * days_gone / 7.0),
                }
            }
            GoalTarget::Below { .. } | GoalTarget::Within { .. } => {
                let latest = points
                    .iter()
                    .filter(|p| p.date <= today)
                    .max_by_key(|p| p.date)
                    .map(|p| p.value);
                let (low, high) = self.band().unwrap_or((f64::MIN, f64::MAX));
                GoalProgress {
                    latest,
                    on_track: latest.map(|v| v >= low - 1e-9 && v <= high + 1e-9),
                }
            }
        }
    }
}

/// A goal with its derived progress and the points to chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalView {
    pub id: i64,
    pub title: LocalizedText,
    pub status: String,
    pub metric: String,
    pub unit: String,
    pub target: GoalTarget,
    pub due_date: Option<NaiveDate>,
    pub progress: GoalProgress,
    /// The measure over the last year, oldest first.
    pub points: Vec<Point>,
}

/// The statuses a care manager sets on a goal (a proposal becomes active
/// through its decision).
pub const EDITABLE_STATUSES: [&str; 3] = ["active", "achieved", "cancelled"];

/// `POST /api/patients/{p}/goals/{g}`: the care manager changes a goal's
/// words, its numbers (of the same kind: what is measured stays), its due
/// date or its status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalEdit {
    pub title: LocalizedText,
    pub target: GoalTarget,
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// `active`, `achieved` or `cancelled`.
    pub status: String,
}

impl GoalEdit {
    /// Everything wrong with the edit of a goal whose target is `current`.
    pub fn check(&self, current: &GoalTarget) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_title(&self.title, &mut errors);
        if std::mem::discriminant(&self.target) != std::mem::discriminant(current) {
            errors.push(refusal(
                "target",
                "kind_changed",
                "Keep the kind of target: what is measured stays.",
            ));
        }
        check_numbers(&self.target, &mut errors);
        if !EDITABLE_STATUSES.contains(&self.status.as_str()) {
            errors.push(refusal("status", "unknown", "Use active, achieved or cancelled."));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn refusal(field: &str, code: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// A goal is written in both languages, in a line.
fn check_title(title: &LocalizedText, errors: &mut Vec<FieldError>) {
    let (en, es) = (title.en.trim(), title.es.trim());
    if en.is_empty() || es.is_empty() {
        errors.push(refusal(
            "title",
            "required",
            "Give the goal in English and in Spanish.",
        ));
    } else if en.chars().count() > 200 || es.chars().count() > 200 {
        errors.push(refusal("title", "too_long", "At most 200 characters."));
    }
}

/// Positive numbers, and a band narrower than its value.
fn check_numbers(target: &GoalTarget, errors: &mut Vec<FieldError>) {
    let positive = |v: f64| v.is_finite() && v > 0.0 && v < 100_000.0;
    let numbers_ok = match *target {
        GoalTarget::Below { value } | GoalTarget::PerWeek { value } => positive(value),
        GoalTarget::Within { value, band } => positive(value) && positive(band) && band < value,
        GoalTarget::Milestone => true,
    };
    if !numbers_ok {
        errors.push(refusal(
            "target",
            "out_of_range",
            "Use positive numbers; a band smaller than its value.",
        ));
    }
}

/// What a new goal may measure, and the unit its numbers are in: the
/// readings the plan takes, the lab's A1c, and "what matters to me"
/// milestones without numbers.
pub const GOAL_MEASURES: [(&str, &str); 6] = [
    ("weight", "lb"),
    ("blood_pressure", "mmHg"),
    ("glucose", "mg/dL"),
    ("activity_minutes", "min"),
    ("a1c", "%"),
    ("what_matters", ""),
];

/// `POST /api/patients/{p}/goals`: the care manager sets a goal with its
/// target (active from today).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewGoal {
    pub title: LocalizedText,
    /// `weight`, `blood_pressure` (the top number), `glucose`,
    /// `activity_minutes`, `a1c` or `what_matters`.
    pub measure: String,
    pub target: GoalTarget,
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
}

impl NewGoal {
    /// The unit of the goal's numbers, when its measure is known.
    pub fn unit(&self) -> Option<&'static str> {
        GOAL_MEASURES
            .iter()
            .find(|(measure, _)| *measure == self.measure)
            .map(|(_, unit)| *unit)
    }

    /// Everything wrong with the new goal as of the patient's `today`.
    pub fn check(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_title(&self.title, &mut errors);
        let fits = directions_for(&self.measure).contains(&self.target.direction());
        if self.unit().is_none() {
            errors.push(refusal("measure", "unknown", "Choose what the goal measures."));
        } else if !fits {
            errors.push(refusal(
                "target",
                "does_not_fit",
                "Minutes are counted a week, what matters is a milestone, and the rest aim below or near a number.",
            ));
        }
        check_numbers(&self.target, &mut errors);
        if self.due_date.is_some_and(|due| due < today) {
            errors.push(refusal("due_date", "in_past", "A goal is due today or later."));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The kinds of target (`direction`s) that fit a measure, the usual first:
/// minutes are counted a week, what matters is a milestone, and the rest aim
/// below or near a number.
pub fn directions_for(measure: &str) -> &'static [&'static str] {
    match measure {
        "what_matters" => &["milestone"],
        "activity_minutes" => &["per_week"],
        "a1c" | "blood_pressure" => &["below"],
        "weight" => &["within", "below"],
        "glucose" => &["below", "within"],
        _ => &[],
    }
}

impl GoalTarget {
    /// `below`, `within`, `per_week` or `milestone`, as in JSON.
    pub fn direction(&self) -> &'static str {
        match self {
            GoalTarget::Below { .. } => "below",
            GoalTarget::Within { .. } => "within",
            GoalTarget::PerWeek { .. } => "per_week",
            GoalTarget::Milestone => "milestone",
        }
    }
}

#[cfg(test)]
mod new_goal_tests {
    use super::*;

    fn goal(measure: &str, target: GoalTarget, due: Option<NaiveDate>) -> Vec<String> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        NewGoal {
            title: LocalizedText::new("Sugar below 130", "Azúcar por debajo de 130"),
            measure: measure.into(),
            target,
            due_date: due,
        }
        .check(today)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.code)
        .collect()
    }

    #[test]
    fn a_new_goal_measures_something_known_with_a_target_that_fits_it() {
        let below = GoalTarget::Below { value: 130.0 };
        let near = GoalTarget::Within {
            value: 170.0,
            band: 3.0,
        };
        let week = GoalTarget::PerWeek { value: 150.0 };
        let later = NaiveDate::from_ymd_opt(2027, 3, 1);
        assert!(goal("glucose", below, later).is_empty());
        assert!(goal("weight", near, None).is_empty());
        assert!(goal("activity_minutes", week, None).is_empty());
        assert!(goal("what_matters", GoalTarget::Milestone, later).is_empty());
        assert_eq!(goal("mood", below, None), ["unknown"]);
        assert_eq!(goal("activity_minutes", below, None), ["does_not_fit"]);
        assert_eq!(goal("what_matters", below, None), ["does_not_fit"]);
        assert_eq!(goal("weight", GoalTarget::Milestone, None), ["does_not_fit"]);
        assert_eq!(goal("blood_pressure", near, None), ["does_not_fit"]);
        assert_eq!(
            goal(
                "weight",
                GoalTarget::Within {
                    value: 2.0,
                    band: 3.0
                },
                None
            ),
            ["out_of_range"]
        );
        assert_eq!(
            goal("glucose", below, NaiveDate::from_ymd_opt(2026, 11, 27)),
            ["in_past"]
        );
        let mut untitled = NewGoal {
            title: LocalizedText::new("", "x"),
            measure: "weight".into(),
            target: near,
            due_date: None,
        };
        assert_eq!(untitled.check(NaiveDate::MIN).unwrap_err()[0].code, "required");
        untitled.measure = "a1c".into();
        assert_eq!(untitled.unit(), Some("%"));
    }
}

#[cfg(test)]
mod edit_tests {
    use super::*;

    fn edit(target: GoalTarget, status: &str) -> GoalEdit {
        GoalEdit {
            title: LocalizedText::new("Weight near 176 lb", "Peso cerca de 176 lb"),
            target,
            due_date: None,
            status: status.into(),
        }
    }

    fn codes(result: Result<(), Vec<crate::problem::FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn numbers_change_but_not_the_kind_of_target() {
        let weight = GoalTarget::Within {
            value: 176.0,
            band: 2.0,
        };
        assert!(edit(
            GoalTarget::Within {
                value: 174.0,
                band: 3.0
            },
            "active"
        )
        .check(&weight)
        .is_ok());
        assert_eq!(
            codes(edit(GoalTarget::Below { value: 7.5 }, "active").check(&weight)),
            ["kind_changed"]
        );
        assert_eq!(
            codes(
                edit(
                    GoalTarget::Within {
                        value: 176.0,
                        band: 0.0
                    },
                    "active"
                )
                .check(&weight)
            ),
            ["out_of_range"]
        );
        assert_eq!(
            codes(
                edit(
                    GoalTarget::Within {
                        value: 2.0,
                        band: 5.0
                    },
                    "active"
                )
                .check(&weight)
            ),
            ["out_of_range"]
        );
        assert_eq!(
            codes(
                edit(
                    GoalTarget::Within {
                        value: f64::NAN,
                        band: 1.0
                    },
                    "active"
                )
                .check(&weight)
            ),
            ["out_of_range"]
        );
        assert_eq!(
            codes(edit(GoalTarget::Milestone, "done").check(&GoalTarget::Milestone)),
            ["unknown"]
        );
        assert!(edit(GoalTarget::Milestone, "achieved")
            .check(&GoalTarget::Milestone)
            .is_ok());
        let mut blank = edit(GoalTarget::Milestone, "active");
        blank.title.es = " ".into();
        assert_eq!(codes(blank.check(&GoalTarget::Milestone)), ["required"]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }
    fn p(day: u32, value: f64) -> Point {
        Point { date: d(day), value }
    }

    #[test]
    fn a_band_goal_is_on_track_inside_the_band_by_the_latest_reading() {
        let weight = GoalTarget::Within {
            value: 176.0,
            band: 2.0,
        };
        let progress = weight.progress(&[p(25, 177.0), p(27, 182.4), p(26, 178.0)], d(27));
        assert_eq!(
            progress,
            GoalProgress {
                latest: Some(182.4),
                on_track: Some(false)
            }
        );
        assert_eq!(weight.progress(&[p(26, 178.0)], d(27)).on_track, Some(true));
        assert_eq!(weight.progress(&[p(26, 173.9)], d(27)).on_track, Some(false));
        assert_eq!(
            weight.progress(&[], d(27)),
            GoalProgress {
                latest: None,
                on_track: None
            }
        );
        let a1c = GoalTarget::Below { value: 7.5 };
        assert_eq!(a1c.progress(&[p(1, 7.4)], d(27)).on_track, Some(true));
        assert_eq!(a1c.progress(&[p(1, 7.6)], d(27)).on_track, Some(false));
    }

    #[test]
    fn a_weekly_goal_counts_this_week_and_keeps_pace() {
        // 2026-11-27 is a Friday: five days of the week have gone, so 150 × 5/7 ≈ 107 is on pace.
        let walk = GoalTarget::PerWeek { value: 150.0 };
        let week = [
            p(22, 60.0),
            p(23, 20.0),
            p(24, 20.0),
            p(25, 20.0),
            p(26, 20.0),
            p(27, 20.0),
        ];
        let progress = walk.progress(&week, d(27));
        assert_eq!(progress.latest, Some(100.0), "Sunday the 22nd is last week");
        assert_eq!(progress.on_track, Some(false));
        let more = [p(23, 40.0), p(24, 20.0), p(25, 20.0), p(26, 20.0), p(27, 20.0)];
        assert_eq!(walk.progress(&more, d(27)).on_track, Some(true));
    }
}
