//! Readings a patient records for the plan's measurements, their validation,
//! and the escalation rules they trigger.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::questionnaire::Escalation;

/// What a measurement activity measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Weight,
    BloodPressure,
    Glucose,
    ActivityMinutes,
    Spo2,
    /// A number in a unit the plan names (peak flow, temperature, hours, pain).
    Number(NumberUnit),
}

/// The units a free-number measurement can be taken in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NumberUnit {
    /// Peak flow, in liters a minute (whole numbers).
    LitersPerMinute,
    /// Body temperature in °F, to a tenth.
    DegreesF,
    /// Hours (of sleep), to a tenth.
    Hours,
    /// Pain from 0 to 10 (whole numbers).
    PainScore,
}

impl NumberUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            NumberUnit::LitersPerMinute => "l_min",
            NumberUnit::DegreesF => "deg_f",
            NumberUnit::Hours => "hours",
            NumberUnit::PainScore => "pain",
        }
    }

    /// How the unit is written after a value, the same in English and Spanish.
    pub fn symbol(self) -> &'static str {
        match self {
            NumberUnit::LitersPerMinute => "L/min",
            NumberUnit::DegreesF => "°F",
            NumberUnit::Hours => "h",
            NumberUnit::PainScore => "/10",
        }
    }

    /// The values a person can have, and whether they are whole.
    fn range(self) -> (f64, f64, bool) {
        match self {
            NumberUnit::LitersPerMinute => (50.0, 900.0, true),
            NumberUnit::DegreesF => (90.0, 110.0, false),
            NumberUnit::Hours => (0.0, 24.0, false),
            NumberUnit::PainScore => (0.0, 10.0, true),
        }
    }
}

impl Metric {
    pub const ALL: [Metric; 9] = [
        Metric::Weight,
        Metric::BloodPressure,
        Metric::Glucose,
        Metric::ActivityMinutes,
        Metric::Spo2,
        Metric::Number(NumberUnit::LitersPerMinute),
        Metric::Number(NumberUnit::DegreesF),
        Metric::Number(NumberUnit::Hours),
        Metric::Number(NumberUnit::PainScore),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Weight => "weight",
            Metric::BloodPressure => "blood_pressure",
            Metric::Glucose => "glucose",
            Metric::ActivityMinutes => "activity_minutes",
            Metric::Spo2 => "spo2",
            Metric::Number(NumberUnit::LitersPerMinute) => "number:l_min",
            Metric::Number(NumberUnit::DegreesF) => "number:deg_f",
            Metric::Number(NumberUnit::Hours) => "number:hours",
            Metric::Number(NumberUnit::PainScore) => "number:pain",
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The unit a reading is entered in (the same in English and Spanish).
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Weight => "lb",
            Metric::BloodPressure => "mmHg",
            Metric::Glucose => "mg/dL",
            Metric::ActivityMinutes => "min",
            Metric::Spo2 => "%",
            Metric::Number(unit) => unit.symbol(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WeightUnit {
    #[default]
    Lb,
    Kg,
}

const LB_PER_KG: f64 = 2.204_622_621_8;

/// One reading with its unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "metric", rename_all = "snake_case", try_from = "ReadingFields")]
pub enum Reading {
    Weight {
        value: f64,
        unit: WeightUnit,
    },
    BloodPressure {
        systolic: u16,
        diastolic: u16,
    },
    Glucose {
        mg_dl: u16,
    },
    ActivityMinutes {
        minutes: u16,
    },
    Spo2 {
        percent: u8,
    },
    /// A free number in the unit the plan names.
    Number {
        value: f64,
        unit: NumberUnit,
    },
}

/// A reading as it is read off the wire: every field of every metric, each
/// optional. Serde's decoder for an internally tagged enum buffers the whole
/// object first; for `Reading` it was the largest function in the app's
/// first download (13 KB). The same JSON is accepted and refused.
#[derive(Deserialize)]
struct ReadingFields {
    metric: ReadingMetric,
    value: Option<f64>,
    unit: Option<ReadingUnit>,
    systolic: Option<u16>,
    diastolic: Option<u16>,
    mg_dl: Option<u16>,
    minutes: Option<u16>,
    percent: Option<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ReadingMetric {
    Weight,
    BloodPressure,
    Glucose,
    ActivityMinutes,
    Spo2,
    Number,
}

/// The units of weights and of free numbers, under their wire names.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ReadingUnit {
    Lb,
    Kg,
    LitersPerMinute,
    DegreesF,
    Hours,
    PainScore,
}

impl TryFrom<ReadingFields> for Reading {
    type Error = String;

    fn try_from(f: ReadingFields) -> Result<Reading, String> {
        fn needs<T>(field: Option<T>, name: &str) -> Result<T, String> {
            field.ok_or_else(|| format!("missing field `{name}`"))
        }
        Ok(match f.metric {
            ReadingMetric::Weight => Reading::Weight {
                value: needs(f.value, "value")?,
                unit: match needs(f.unit, "unit")? {
                    ReadingUnit::Lb => WeightUnit::Lb,
                    ReadingUnit::Kg => WeightUnit::Kg,
                    _ => return Err("unknown variant for `unit`, expected `lb` or `kg`".into()),
                },
            },
            ReadingMetric::BloodPressure => Reading::BloodPressure {
                systolic: needs(f.systolic, "systolic")?,
                diastolic: needs(f.diastolic, "diastolic")?,
            },
            ReadingMetric::Glucose => Reading::Glucose {
                mg_dl: needs(f.mg_dl, "mg_dl")?,
            },
            ReadingMetric::ActivityMinutes => Reading::ActivityMinutes {
                minutes: needs(f.minutes, "minutes")?,
            },
            ReadingMetric::Spo2 => Reading::Spo2 {
                percent: needs(f.percent, "percent")?,
            },
            ReadingMetric::Number => Reading::Number {
                value: needs(f.value, "value")?,
                unit: match needs(f.unit, "unit")? {
                    ReadingUnit::LitersPerMinute => NumberUnit::LitersPerMinute,
                    ReadingUnit::DegreesF => NumberUnit::DegreesF,
                    ReadingUnit::Hours => NumberUnit::Hours,
                    ReadingUnit::PainScore => NumberUnit::PainScore,
                    _ => {
                        return Err(
                            "unknown variant for `unit`, expected `liters_per_minute`, `degrees_f`, \
                                    `hours` or `pain_score`"
                                .into(),
                        )
                    }
                },
            },
        })
    }
}

/// Why a reading was refused, specific enough to tell the person what to fix.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum ReadingError {
    #[error("enter a number")]
    NotANumber,
    #[error("must be between {min} and {max}")]
    OutOfRange { min: f64, max: f64 },
    #[error("the top number must be higher than the bottom number")]
    SystolicNotAboveDiastolic,
    #[error("this reading does not belong to this measurement")]
    WrongMetric,
}

impl ReadingError {
    /// A stable code for problem details.
    pub fn code(self) -> &'static str {
        match self {
            ReadingError::NotANumber => "not_a_number",
            ReadingError::OutOfRange { .. } => "out_of_range",
            ReadingError::SystolicNotAboveDiastolic => "systolic_not_above_diastolic",
            ReadingError::WrongMetric => "wrong_metric",
        }
    }
}

fn within(value: f64, min: f64, max: f64) -> Result<(), ReadingError> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ReadingError::OutOfRange { min, max })
    }
}

/// Reads a number typed on a phone: "182.4", " 182,4 " (decimal comma) are fine.
fn number(text: &str) -> Result<f64, ReadingError> {
    let cleaned = text.trim().replace(',', ".");
    if cleaned.is_empty() {
        return Err(ReadingError::NotANumber);
    }
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or(ReadingError::NotANumber)
}

fn whole(text: &str) -> Result<u16, ReadingError> {
    let value = number(text)?;
    if value.fract() != 0.0 || !(0.0..=f64::from(u16::MAX)).contains(&value) {
        return Err(ReadingError::NotANumber);
    }
    Ok(value as u16)
}

impl Reading {
    pub fn metric(&self) -> Metric {
        match self {
            Reading::Weight { .. } => Metric::Weight,
            Reading::BloodPressure { .. } => Metric::BloodPressure,
            Reading::Glucose { .. } => Metric::Glucose,
            Reading::ActivityMinutes { .. } => Metric::ActivityMinutes,
            Reading::Spo2 { .. } => Metric::Spo2,
            Reading::Number { unit, .. } => Metric::Number(*unit),
        }
    }

    /// Refuses values no person has: sane ranges, and a systolic above the diastolic.
    pub fn validate(&self) -> Result<(), ReadingError> {
        match *self {
            Reading::Weight {
                value,
                unit: WeightUnit::Lb,
            } => within(value, 50.0, 700.0),
            Reading::Weight {
                value,
                unit: WeightUnit::Kg,
            } => within(value, 23.0, 320.0),
            Reading::BloodPressure { systolic, diastolic } => {
                within(f64::from(systolic), 60.0, 260.0)?;
                within(f64::from(diastolic), 30.0, 160.0)?;
                if systolic <= diastolic {
                    return Err(ReadingError::SystolicNotAboveDiastolic);
                }
                Ok(())
            }
            // Meters read down to about 10; the lowest values matter most (low-sugar steps).
            Reading::Glucose { mg_dl } => within(f64::from(mg_dl), 10.0, 600.0),
            Reading::ActivityMinutes { minutes } => within(f64::from(minutes), 1.0, 600.0),
            Reading::Spo2 { percent } => within(f64::from(percent), 50.0, 100.0),
            Reading::Number { value, unit } => {
                let (min, max, whole) = unit.range();
                within(value, min, max)?;
                if whole && value.fract() != 0.0 {
                    return Err(ReadingError::NotANumber);
                }
                Ok(())
            }
        }
    }

    /// Parses what was typed for a metric (`second` is the diastolic of a
    /// blood pressure) and validates it.
    pub fn parse(
        metric: Metric,
        first: &str,
        second: &str,
        unit: WeightUnit,
    ) -> Result<Reading, ReadingError> {
        let reading = match metric {
            Metric::Weight => Reading::Weight {
                value: (number(first)? * 10.0).round() / 10.0,
                unit,
            },
            Metric::BloodPressure => Reading::BloodPressure {
                systolic: whole(first)?,
                diastolic: whole(second)?,
            },
            Metric::Glucose => Reading::Glucose { mg_dl: whole(first)? },
            Metric::ActivityMinutes => Reading::ActivityMinutes {
                minutes: whole(first)?,
            },
            Metric::Number(unit) => Reading::Number {
                value: if unit.range().2 {
                    f64::from(whole(first)?)
                } else {
                    (number(first)? * 10.0).round() / 10.0
                },
                unit,
            },
            Metric::Spo2 => Reading::Spo2 {
                percent: u8::try_from(whole(first)?).map_err(|_| ReadingError::OutOfRange {
                    min: 50.0,
                    max: 100.0,
                })?,
            },
        };
        reading.validate()?;
        Ok(reading)
    }

    /// A weight in pounds, for the weight-gain rules.
    pub fn weight_lb(&self) -> Option<f64> {
        match *self {
            Reading::Weight {
                value,
                unit: WeightUnit::Lb,
            } => Some(value),
            Reading::Weight {
                value,
                unit: WeightUnit::Kg,
            } => Some(value * LB_PER_KG),
            _ => None,
        }
    }

    /// The reading as people write it: "182.4 lb", "128/82 mmHg", "112 mg/dL".
    pub fn display(&self) -> String {
        match *self {
            Reading::Weight { value, unit } => {
                format!(
                    "{} {}",
                    decimal(value, 1),
                    if unit == WeightUnit::Lb { "lb" } else { "kg" }
                )
            }
            Reading::BloodPressure { systolic, diastolic } => format!("{systolic}/{diastolic} mmHg"),
            Reading::Glucose { mg_dl } => format!("{mg_dl} mg/dL"),
            Reading::ActivityMinutes { minutes } => format!("{minutes} min"),
            Reading::Spo2 { percent } => format!("{percent} %"),
            Reading::Number {
                value,
                unit: NumberUnit::PainScore,
            } => format!("{}/10", decimal(value, 0)),
            Reading::Number { value, unit } if unit.range().2 => {
                format!("{} {}", decimal(value, 0), unit.symbol())
            }
            Reading::Number { value, unit } => format!("{} {}", decimal(value, 1), unit.symbol()),
        }
    }
}

/// A bound of a range as people write it: "50", "22.7" (a bound has at most
/// one decimal).
pub fn plain(value: f64) -> String {
    decimal(value, if value.fract() == 0.0 { 0 } else { 1 })
}

/// `value` with `places` decimals, a half rounded away from zero (182.45 is
/// "182.5"), written with integers only: Rust's float formatting is 7 KB of
/// the app's first download (twiggy), for a weight's one decimal.
pub fn decimal(value: f64, places: u32) -> String {
    debug_assert!(value.is_finite() && places <= 3, "{places} places of a reading");
    let scale = 10u64.pow(places);
    // `as` saturates: no reading comes near u64's limit.
    let scaled = (value.abs() * scale as f64).round() as u64;
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    let (whole, part) = (scaled / scale, scaled % scale);
    match places {
        0 => format!("{sign}{whole}"),
        _ => format!("{sign}{whole}.{part:0width$}", width = places as usize),
    }
}

/// Pounds of gain in a day, and in a week, that call for the care team today.
pub const DAILY_GAIN_LB: f64 = 2.0;
pub const WEEKLY_GAIN_LB: f64 = 5.0;
/// Tolerance for readings entered to a tenth of a pound.
const EPSILON: f64 = 1e-6;

/// What a new reading on a local `date` sets in motion. `earlier_weights`
/// are the patient's weights in pounds on earlier local dates (any order).
///
/// - weight up ≥ 2 lb from the day before, or ≥ 5 lb from the lowest of the
///   7 days before → "call your care team today";
/// - blood pressure ≥ 180 systolic or ≥ 120 diastolic → urgent message;
/// - glucose below 70 mg/dL → the low-sugar steps.
pub fn reading_escalations(
    reading: &Reading,
    date: NaiveDate,
    earlier_weights: &[(NaiveDate, f64)],
) -> Vec<Escalation> {
    let mut escalations = Vec::new();
    match *reading {
        Reading::BloodPressure { systolic, diastolic } if systolic >= 180 || diastolic >= 120 => {
            escalations.push(Escalation::VeryHighBloodPressure);
        }
        Reading::Glucose { mg_dl } if mg_dl < 70 => escalations.push(Escalation::LowGlucose),
        Reading::Weight { .. } => {
            let Some(now) = reading.weight_lb() else {
                return escalations;
            };
            let yesterday = date.pred_opt();
            let day_before: Option<f64> = earlier_weights
                .iter()
                .filter(|(d, _)| Some(*d) == yesterday)
                .map(|(_, w)| *w)
                .reduce(f64::min);
            let week_low: Option<f64> = earlier_weights
                .iter()
                .filter(|(d, _)| *d < date && (date - *d).num_days() <= 7)
                .map(|(_, w)| *w)
                .reduce(f64::min);
            if day_before.is_some_and(|w| now - w >= DAILY_GAIN_LB - EPSILON) {
                escalations.push(Escalation::WeightGainDay);
            } else if week_low.is_some_and(|w| now - w >= WEEKLY_GAIN_LB - EPSILON) {
                escalations.push(Escalation::WeightGainWeek);
            }
        }
        _ => {}
    }
    escalations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_the_float_formatter_would_but_halves_go_up() {
        // Every tenth from 0 to 1000 as a person types it: what `{:.1}` writes.
        for tenths in 0..=10_000u32 {
            let typed = format!("{}.{}", tenths / 10, tenths % 10);
            let value: f64 = typed.parse().unwrap();
            assert_eq!(decimal(value, 1), format!("{value:.1}"), "{typed}");
            assert_eq!(decimal(value, 1), typed);
        }
        for whole in 0..=1000u32 {
            assert_eq!(decimal(f64::from(whole), 0), format!("{whole}"));
        }
        assert_eq!(decimal(182.45, 1), "182.5");
        assert_eq!(decimal(100.44, 1), "100.4");
        assert_eq!(decimal(7.25, 1), "7.3");
        assert_eq!(decimal(9.96, 1), "10.0");
        assert_eq!(decimal(4.5, 0), "5");
        assert_eq!(decimal(-2.04, 1), "-2.0");
        assert_eq!(decimal(-0.04, 1), "0.0");
        assert_eq!(decimal(0.0, 1), "0.0");
        assert_eq!(
            (plain(50.0), plain(22.7), plain(700.0)),
            ("50".into(), "22.7".into(), "700".into())
        );
    }

    #[test]
    fn every_reading_reads_back_as_written_and_a_wrong_one_is_refused() {
        let all = [
            Reading::Weight {
                value: 181.4,
                unit: WeightUnit::Lb,
            },
            Reading::Weight {
                value: 82.3,
                unit: WeightUnit::Kg,
            },
            Reading::BloodPressure {
                systolic: 128,
                diastolic: 82,
            },
            Reading::Glucose { mg_dl: 104 },
            Reading::ActivityMinutes { minutes: 30 },
            Reading::Spo2 { percent: 97 },
            Reading::Number {
                value: 99.1,
                unit: NumberUnit::DegreesF,
            },
            Reading::Number {
                value: 420.0,
                unit: NumberUnit::LitersPerMinute,
            },
            Reading::Number {
                value: 7.5,
                unit: NumberUnit::Hours,
            },
            Reading::Number {
                value: 3.0,
                unit: NumberUnit::PainScore,
            },
        ];
        for reading in all {
            let json = serde_json::to_string(&reading).unwrap();
            assert_eq!(serde_json::from_str::<Reading>(&json).unwrap(), reading, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&all[2]).unwrap(),
            r#"{"metric":"blood_pressure","systolic":128,"diastolic":82}"#
        );
        for (json, why) in [
            (r#"{"metric":"weight","unit":"lb"}"#, "missing field `value`"),
            (r#"{"metric":"weight","value":80}"#, "missing field `unit`"),
            (r#"{"metric":"weight","value":80,"unit":"hours"}"#, "unit"),
            (r#"{"metric":"number","value":8,"unit":"kg"}"#, "unit"),
            (
                r#"{"metric":"blood_pressure","systolic":120}"#,
                "missing field `diastolic`",
            ),
            (r#"{"metric":"spo2","percent":300}"#, "300"),
            (r#"{"metric":"mood","value":3}"#, "unknown variant `mood`"),
            (r#"{"value":3}"#, "missing field `metric`"),
        ] {
            let error = serde_json::from_str::<Reading>(json).unwrap_err().to_string();
            assert!(error.contains(why), "{json}: {error}");
        }
    }

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn typed_values_are_refused_with_a_specific_reason() {
        let cases: [(Metric, &str, &str, Result<Reading, ReadingError>); 10] = [
            (
                Metric::Weight,
                "182.4",
                "",
                Ok(Reading::Weight {
                    value: 182.4,
                    unit: WeightUnit::Lb,
                }),
            ),
            (
                Metric::Weight,
                " 182,4 ",
                "",
                Ok(Reading::Weight {
                    value: 182.4,
                    unit: WeightUnit::Lb,
                }),
            ),
            (
                Metric::Weight,
                "0",
                "",
                Err(ReadingError::OutOfRange {
                    min: 50.0,
                    max: 700.0,
                }),
            ),
            (Metric::Weight, "abc", "", Err(ReadingError::NotANumber)),
            (Metric::Weight, "", "", Err(ReadingError::NotANumber)),
            (
                Metric::BloodPressure,
                "128",
                "82",
                Ok(Reading::BloodPressure {
                    systolic: 128,
                    diastolic: 82,
                }),
            ),
            (
                Metric::BloodPressure,
                "80",
                "120",
                Err(ReadingError::SystolicNotAboveDiastolic),
            ),
            (
                Metric::BloodPressure,
                "120.5",
                "80",
                Err(ReadingError::NotANumber),
            ),
            (
                Metric::Glucose,
                "5",
                "",
                Err(ReadingError::OutOfRange {
                    min: 10.0,
                    max: 600.0,
                }),
            ),
            (
                Metric::Spo2,
                "101",
                "",
                Err(ReadingError::OutOfRange {
                    min: 50.0,
                    max: 100.0,
                }),
            ),
        ];
        for (metric, first, second, want) in cases {
            assert_eq!(
                Reading::parse(metric, first, second, WeightUnit::Lb),
                want,
                "{metric:?} {first:?} {second:?}"
            );
        }
        assert!(Reading::parse(Metric::Weight, "80", "", WeightUnit::Kg).is_ok());
        assert!(Reading::parse(Metric::Weight, "400", "", WeightUnit::Kg).is_err());
    }

    #[test]
    fn weight_gain_of_two_pounds_in_a_day_or_five_in_a_week() {
        let weigh = |value| Reading::Weight {
            value,
            unit: WeightUnit::Lb,
        };
        let history = [(d(20), 176.0), (d(21), 176.4), (d(25), 178.2), (d(26), 179.0)];
        for (value, want) in [
            (180.9, vec![]),
            (181.0, vec![Escalation::WeightGainDay]),
            (182.4, vec![Escalation::WeightGainDay]),
        ] {
            assert_eq!(
                reading_escalations(&weigh(value), d(27), &history),
                want,
                "{value} after 179.0"
            );
        }
        // No reading yesterday: the week rule still sees the lowest of the 7 days before, 176.4.
        let gaps = [(d(20), 176.4), (d(21), 177.0)];
        assert_eq!(reading_escalations(&weigh(181.3), d(27), &gaps), vec![]);
        assert_eq!(
            reading_escalations(&weigh(181.4), d(27), &gaps),
            vec![Escalation::WeightGainWeek]
        );
        // Eight days back is outside the week.
        assert_eq!(
            reading_escalations(&weigh(190.0), d(27), &[(d(19), 170.0)]),
            vec![]
        );
        // Kilograms are compared in pounds: 82 kg is 180.8 lb.
        let kg = Reading::Weight {
            value: 82.0,
            unit: WeightUnit::Kg,
        };
        assert_eq!(
            reading_escalations(&kg, d(27), &[(d(26), 178.0)]),
            vec![Escalation::WeightGainDay]
        );
    }

    #[test]
    fn blood_pressure_and_glucose_thresholds() {
        let bp = |systolic, diastolic| Reading::BloodPressure { systolic, diastolic };
        assert_eq!(reading_escalations(&bp(179, 119), d(27), &[]), vec![]);
        assert_eq!(
            reading_escalations(&bp(180, 90), d(27), &[]),
            vec![Escalation::VeryHighBloodPressure]
        );
        assert_eq!(
            reading_escalations(&bp(150, 120), d(27), &[]),
            vec![Escalation::VeryHighBloodPressure]
        );
        let sugar = |mg_dl| Reading::Glucose { mg_dl };
        assert_eq!(reading_escalations(&sugar(70), d(27), &[]), vec![]);
        assert_eq!(
            reading_escalations(&sugar(69), d(27), &[]),
            vec![Escalation::LowGlucose]
        );
    }

    #[test]
    fn free_numbers_take_their_unit_s_range_and_precision() {
        let parse = |unit, text: &str| Reading::parse(Metric::Number(unit), text, "", WeightUnit::Lb);
        assert_eq!(
            parse(NumberUnit::LitersPerMinute, "320"),
            Ok(Reading::Number {
                value: 320.0,
                unit: NumberUnit::LitersPerMinute
            })
        );
        assert_eq!(
            parse(NumberUnit::LitersPerMinute, "320.5"),
            Err(ReadingError::NotANumber)
        );
        assert_eq!(
            parse(NumberUnit::LitersPerMinute, "20"),
            Err(ReadingError::OutOfRange {
                min: 50.0,
                max: 900.0
            })
        );
        assert_eq!(
            parse(NumberUnit::DegreesF, "100,44").map(|r| r.display()),
            Ok("100.4 °F".to_owned())
        );
        assert_eq!(
            parse(NumberUnit::DegreesF, "37"),
            Err(ReadingError::OutOfRange {
                min: 90.0,
                max: 110.0
            })
        );
        assert_eq!(
            parse(NumberUnit::PainScore, "0").map(|r| r.display()),
            Ok("0/10".to_owned())
        );
        assert_eq!(
            parse(NumberUnit::PainScore, "11"),
            Err(ReadingError::OutOfRange { min: 0.0, max: 10.0 })
        );
        assert_eq!(parse(NumberUnit::Hours, "abc"), Err(ReadingError::NotANumber));
        for metric in Metric::ALL {
            assert_eq!(Metric::parse(metric.as_str()), Some(metric));
        }
        let json = serde_json::to_value(parse(NumberUnit::Hours, "7.5").unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"metric": "number", "value": 7.5, "unit": "hours"})
        );
    }

    #[test]
    fn readings_round_trip_as_tagged_json() {
        let reading = Reading::BloodPressure {
            systolic: 128,
            diastolic: 82,
        };
        let json = serde_json::to_string(&reading).unwrap();
        assert_eq!(
            json,
            r#"{"metric":"blood_pressure","systolic":128,"diastolic":82}"#
        );
        assert_eq!(serde_json::from_str::<Reading>(&json).unwrap(), reading);
        assert_eq!(reading.display(), "128/82 mmHg");
    }
}
