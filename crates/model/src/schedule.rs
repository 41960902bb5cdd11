//! Schedules and the occurrences they produce.
//!
//! Occurrences are computed, never stored. A schedule speaks in the patient's
//! wall-clock time; [`Schedule::slots_between`] lists the nominal local
//! date-times, and with the `tz` feature [`Schedule::occurrences_between`]
//! places them on the time line of an IANA zone, DST included.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

use crate::text::Lang;
use serde::{Deserialize, Serialize};

/// The most times of day a schedule may list.
pub const MAX_TIMES_A_DAY: usize = 12;

/// How often an activity comes due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recurrence {
    /// Every day at these times.
    Daily {
        #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::times_of_day))]
        times: Vec<NaiveTime>,
    },
    /// On these weekdays at these times.
    Weekly {
        /// `Mon` … `Sun`.
        #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::weekdays))]
        days: Vec<Weekday>,
        #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::times_of_day))]
        times: Vec<NaiveTime>,
    },
    /// Every `every` days counted from the schedule's start, at these times.
    EveryNDays {
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 365))]
        every: u32,
        #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::times_of_day))]
        times: Vec<NaiveTime>,
    },
    /// Once, at a local date-time (an appointment).
    Once {
        #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::local_date_time))]
        at: NaiveDateTime,
    },
    /// Whenever needed; never on the agenda by itself.
    AsNeeded,
}

/// A recurrence bounded by a first and an optional last local date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Schedule {
    pub recurrence: Recurrence,
    pub start: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
}

impl Schedule {
    pub fn new(recurrence: Recurrence, start: NaiveDate) -> Self {
        Schedule {
            recurrence,
            start,
            end: None,
        }
    }

    pub fn until(mut self, end: NaiveDate) -> Self {
        self.end = Some(end);
        self
    }

    /// Whether the schedule produces slots on `date`.
    fn is_due_on(&self, date: NaiveDate) -> bool {
        if date < self.start || self.end.is_some_and(|end| date > end) {
            return false;
        }
        match &self.recurrence {
            Recurrence::Daily { .. } => true,
            Recurrence::Weekly { days, .. } => days.contains(&date.weekday()),
            Recurrence::EveryNDays { every, .. } => {
                let every = i64::from((*every).max(1));
                (date - self.start).num_days() % every == 0
            }
            Recurrence::Once { at } => at.date() == date,
            Recurrence::AsNeeded => false,
        }
    }

    fn times_on(&self, date: NaiveDate) -> Vec<NaiveTime> {
        let mut times = match &self.recurrence {
            Recurrence::Daily { times }
            | Recurrence::Weekly { times, .. }
            | Recurrence::EveryNDays { times, .. } => times.clone(),
            Recurrence::Once { at } if at.date() == date => vec![at.time()],
            Recurrence::Once { .. } | Recurrence::AsNeeded => Vec::new(),
        };
        times.sort_unstable();
        times.dedup();
        times
    }

    /// What is wrong with a schedule a person wrote, if anything.
    pub fn check(&self) -> Result<(), crate::problem::FieldError> {
        let refuse = |code: &str, message: &str| crate::problem::FieldError {
            field: "schedule".into(),
            code: code.into(),
            message: message.into(),
        };
        if self.end.is_some_and(|end| end < self.start) {
            return Err(refuse("ends_before_start", "The schedule ends before it starts."));
        }
        let times = match &self.recurrence {
            Recurrence::Daily { times } => times,
            Recurrence::Weekly { days, times } => {
                if days.is_empty() {
                    return Err(refuse("no_days", "Choose at least one day of the week."));
                }
                times
            }
            Recurrence::EveryNDays { every, times } => {
                if *every == 0 || *every > 365 {
                    return Err(refuse("bad_interval", "Repeat every 1 to 365 days."));
                }
                times
            }
            Recurrence::Once { .. } | Recurrence::AsNeeded => return Ok(()),
        };
        if times.is_empty() {
            return Err(refuse("no_times", "Give at least one time of day."));
        }
        if times.len() > MAX_TIMES_A_DAY {
            return Err(refuse("too_many_times", "Give at most 12 times a day."));
        }
        Ok(())
    }

    /// The wall-clock date-time of a one-time schedule (an appointment).
    pub fn once_at(&self) -> Option<NaiveDateTime> {
        match self.recurrence {
            Recurrence::Once { at } => Some(at),
            _ => None,
        }
    }

    /// The nominal local date-times from `from` to `to` (both included), sorted
    /// and unique. These are the keys outcomes are recorded against.
    pub fn slots_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDateTime> {
        let mut slots = Vec::new();
        let mut date = from.max(self.start);
        let last = match self.end {
            Some(end) => to.min(end),
            None => to,
        };
        // Repeating times are the same every day: sorted once.
        let repeating = match self.recurrence {
            Recurrence::Once { .. } | Recurrence::AsNeeded => None,
            _ => Some(self.times_on(date)),
        };
        while date <= last {
            if self.is_due_on(date) {
                match &repeating {
                    Some(times) => slots.extend(times.iter().map(|t| date.and_time(*t))),
                    None => slots.extend(self.times_on(date).into_iter().map(|t| date.and_time(t))),
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        slots
    }
}

/// A time of day as people write it: "8:00 AM" in English, "8:00" / "20:00" in Spanish.
pub fn time_words(time: NaiveTime, lang: Lang) -> String {
    let (h, m) = (time.hour(), time.minute());
    match lang {
        Lang::En => {
            let hour12 = if h % 12 == 0 { 12 } else { h % 12 };
            format!("{hour12}:{m:02} {}", if h < 12 { "AM" } else { "PM" })
        }
        Lang::Es => format!("{h}:{m:02}"),
    }
}

fn list_words(items: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::En => "and",
        Lang::Es => "y",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

fn weekday_words(day: Weekday, lang: Lang) -> &'static str {
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const ES: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
    let i = day.num_days_from_monday() as usize;
    match lang {
        Lang::En => EN[i],
        Lang::Es => ES[i],
    }
}

fn month_day_words(date: NaiveDate, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const ES: [&str; 12] = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ];
    let month = date.month0() as usize;
    match lang {
        Lang::En => format!("{} {}", EN[month], date.day()),
        Lang::Es => format!("{} de {}", date.day(), ES[month]),
    }
}

impl Schedule {
    /// The schedule in words: "Every day at 8:00 AM and 8:00 PM",
    /// "Mon, Wed, Fri at 7:30 AM", "Todos los días a las 8:00 y 20:00".
    pub fn describe(&self, lang: Lang) -> String {
        let at = |times: &[NaiveTime]| {
            let mut sorted = times.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            let words: Vec<String> = sorted.into_iter().map(|t| time_words(t, lang)).collect();
            let joined = list_words(&words, lang);
            match lang {
                Lang::En => format!("at {joined}"),
                Lang::Es if words.len() == 1 && joined.starts_with("1:") => format!("a la {joined}"),
                Lang::Es => format!("a las {joined}"),
            }
        };
        let words = self.recurrence_words(lang, at);
        match (self.end, &self.recurrence) {
            (_, Recurrence::Once { .. }) | (None, _) => words,
            (Some(end), _) => match lang {
                Lang::En => format!("{words}, until {}", month_day_words(end, lang)),
                Lang::Es => format!("{words}, hasta el {}", month_day_words(end, lang)),
            },
        }
    }

    fn recurrence_words(&self, lang: Lang, at: impl Fn(&[NaiveTime]) -> String) -> String {
        match (&self.recurrence, lang) {
            (Recurrence::Daily { times }, Lang::En) => format!("Every day {}", at(times)),
            (Recurrence::Daily { times }, Lang::Es) => format!("Todos los días {}", at(times)),
            (Recurrence::Weekly { days, times }, _) => {
                let mut days = days.clone();
                days.sort_by_key(|d| d.num_days_from_monday());
                days.dedup();
                let names: Vec<&str> = days.into_iter().map(|d| weekday_words(d, lang)).collect();
                format!("{} {}", names.join(", "), at(times))
            }
            (Recurrence::EveryNDays { every, times }, Lang::En) => {
                format!("Every {every} days {}", at(times))
            }
            (Recurrence::EveryNDays { every, times }, Lang::Es) => format!("Cada {every} días {}", at(times)),
            (Recurrence::Once { at: when }, Lang::En) => {
                format!(
                    "Once, on {} {}",
                    month_day_words(when.date(), lang),
                    at(&[when.time()])
                )
            }
            (Recurrence::Once { at: when }, Lang::Es) => {
                format!(
                    "Una vez, el {} {}",
                    month_day_words(when.date(), lang),
                    at(&[when.time()])
                )
            }
            (Recurrence::AsNeeded, Lang::En) => "As needed".into(),
            (Recurrence::AsNeeded, Lang::Es) => "Cuando lo necesite".into(),
        }
    }
}

#[cfg(feature = "tz")]
pub use zoned::Occurrence;

#[cfg(feature = "tz")]
mod zoned {
    use super::Schedule;
    use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
    use chrono_tz::Tz;

    /// One scheduled occurrence placed on the time line of the patient's zone.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Occurrence {
        /// The wall-clock date-time the schedule asked for; the occurrence's key.
        pub scheduled: NaiveDateTime,
        /// The wall-clock date-time it really happens at (differs only in a DST gap).
        pub local: NaiveDateTime,
        /// The instant it happens.
        pub at: DateTime<Utc>,
    }

    /// Places a wall-clock time in `tz`. A time that happens twice (fall back)
    /// takes the first; a time that does not exist (spring forward) is read
    /// with the offset from before the gap, as RFC 5545 does, so 02:30 on the
    /// spring-forward day becomes 03:30 and calendar feeds agree with the app.
    pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> DateTime<Tz> {
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) => t,
            LocalResult::Ambiguous(first, _) => first,
            LocalResult::None => {
                let before_gap = (1..=48)
                    .map(|h| local - TimeDelta::hours(h))
                    .find_map(|earlier| tz.from_local_datetime(&earlier).earliest())
                    .map(|t| t.offset().fix())
                    .unwrap_or_else(|| tz.offset_from_utc_datetime(&local).fix());
                let utc = local - TimeDelta::seconds(i64::from(before_gap.local_minus_utc()));
                tz.from_utc_datetime(&utc)
            }
        }
    }

    /// Occurrences of an activity whose schedule changed over time. `versions`
    /// holds each version's effective date and schedule, oldest first; a version
    /// rules from its date until the next one's. Each occurrence comes with the
    /// index of the version it belongs to, so outcomes keep their meaning.
    pub fn versioned_occurrences(
        versions: &[(NaiveDate, &Schedule)],
        tz: Tz,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<(usize, Occurrence)> {
        let mut all = Vec::new();
        for (index, (effective, schedule)) in versions.iter().enumerate() {
            let start = from.max(*effective);
            let end = match versions.get(index + 1).and_then(|(next, _)| next.pred_opt()) {
                Some(last_day) => to.min(last_day),
                None => to,
            };
            if start <= end {
                all.extend(
                    schedule
                        .occurrences_between(tz, start, end)
                        .into_iter()
                        .map(|o| (index, o)),
                );
            }
        }
        all.sort_by_key(|(_, o)| (o.at, o.scheduled));
        all
    }

    impl Schedule {
        /// Occurrences on the local dates `from..=to` in `tz`, sorted by instant
        /// and unique by their scheduled wall-clock time.
        pub fn occurrences_between(&self, tz: Tz, from: NaiveDate, to: NaiveDate) -> Vec<Occurrence> {
            let mut occurrences: Vec<Occurrence> = self
                .slots_between(from, to)
                .into_iter()
                .map(|scheduled| {
                    let zoned = resolve_local(tz, scheduled);
                    Occurrence {
                        scheduled,
                        local: zoned.naive_local(),
                        at: zoned.with_timezone(&Utc),
                    }
                })
                .collect();
            occurrences.sort_by_key(|o| (o.at, o.scheduled));
            occurrences
        }
    }
}

#[cfg(feature = "tz")]
pub use zoned::{resolve_local, versioned_occurrences};

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn daily_times_come_sorted_each_day() {
        let s = Schedule::new(
            Recurrence::Daily {
                times: vec![t(20, 0), t(8, 0)],
            },
            d(2026, 1, 1),
        );
        let slots = s.slots_between(d(2026, 3, 1), d(2026, 3, 2));
        assert_eq!(
            slots,
            vec![
                d(2026, 3, 1).and_time(t(8, 0)),
                d(2026, 3, 1).and_time(t(20, 0)),
                d(2026, 3, 2).and_time(t(8, 0)),
                d(2026, 3, 2).and_time(t(20, 0)),
            ]
        );
    }

    #[test]
    fn weekly_only_on_its_days() {
        let s = Schedule::new(
            Recurrence::Weekly {
                days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
                times: vec![t(8, 30)],
            },
            d(2026, 1, 1),
        );
        // 2026-11-23 is a Monday.
        let days: Vec<_> = s
            .slots_between(d(2026, 11, 23), d(2026, 11, 29))
            .into_iter()
            .map(|slot| slot.date().weekday())
            .collect();
        assert_eq!(days, vec![Weekday::Mon, Weekday::Wed, Weekday::Fri]);
    }

    #[test]
    fn every_n_days_counts_from_the_start() {
        let s = Schedule::new(
            Recurrence::EveryNDays {
                every: 14,
                times: vec![t(9, 0)],
            },
            d(2026, 11, 1),
        );
        let dates: Vec<_> = s
            .slots_between(d(2026, 10, 1), d(2026, 12, 31))
            .into_iter()
            .map(|slot| slot.date())
            .collect();
        assert_eq!(
            dates,
            vec![
                d(2026, 11, 1),
                d(2026, 11, 15),
                d(2026, 11, 29),
                d(2026, 12, 13),
                d(2026, 12, 27)
            ]
        );
    }

    #[test]
    fn start_end_once_and_as_needed() {
        let s = Schedule::new(Recurrence::Daily { times: vec![t(8, 0)] }, d(2026, 5, 3)).until(d(2026, 5, 4));
        assert_eq!(s.slots_between(d(2026, 5, 1), d(2026, 5, 9)).len(), 2);
        let once = Schedule::new(
            Recurrence::Once {
                at: d(2026, 12, 2).and_time(t(10, 15)),
            },
            d(2026, 11, 1),
        );
        assert_eq!(
            once.slots_between(d(2026, 12, 1), d(2026, 12, 3)),
            vec![d(2026, 12, 2).and_time(t(10, 15))]
        );
        assert!(once.slots_between(d(2026, 12, 3), d(2026, 12, 9)).is_empty());
        let prn = Schedule::new(Recurrence::AsNeeded, d(2026, 1, 1));
        assert!(prn.slots_between(d(2026, 1, 1), d(2026, 12, 31)).is_empty());
    }

    #[test]
    fn schedules_in_words_in_both_languages() {
        let start = d(2026, 1, 1);
        let daily = Schedule::new(
            Recurrence::Daily {
                times: vec![t(20, 0), t(8, 0)],
            },
            start,
        );
        let weekly = Schedule::new(
            Recurrence::Weekly {
                days: vec![Weekday::Fri, Weekday::Mon, Weekday::Wed],
                times: vec![t(7, 30)],
            },
            start,
        );
        let every = Schedule::new(
            Recurrence::EveryNDays {
                every: 14,
                times: vec![t(10, 0)],
            },
            start,
        );
        let once = Schedule::new(
            Recurrence::Once {
                at: d(2026, 12, 9).and_time(t(13, 5)),
            },
            start,
        );
        let one_oclock = Schedule::new(
            Recurrence::Daily {
                times: vec![t(13, 0)],
            },
            start,
        );
        let three = Schedule::new(
            Recurrence::Daily {
                times: vec![t(0, 0), t(12, 0), t(18, 0)],
            },
            start,
        );
        for (schedule, en, es) in [
            (
                &daily,
                "Every day at 8:00 AM and 8:00 PM",
                "Todos los días a las 8:00 y 20:00",
            ),
            (&weekly, "Mon, Wed, Fri at 7:30 AM", "lun, mié, vie a las 7:30"),
            (&every, "Every 14 days at 10:00 AM", "Cada 14 días a las 10:00"),
            (
                &once,
                "Once, on Dec 9 at 1:05 PM",
                "Una vez, el 9 de dic a las 13:05",
            ),
            (&one_oclock, "Every day at 1:00 PM", "Todos los días a las 13:00"),
            (
                &three,
                "Every day at 12:00 AM, 12:00 PM and 6:00 PM",
                "Todos los días a las 0:00, 12:00 y 18:00",
            ),
            (
                &Schedule::new(Recurrence::AsNeeded, start),
                "As needed",
                "Cuando lo necesite",
            ),
            (
                &weekly.clone().until(d(2027, 1, 4)),
                "Mon, Wed, Fri at 7:30 AM, until Jan 4",
                "lun, mié, vie a las 7:30, hasta el 4 de ene",
            ),
        ] {
            assert_eq!(schedule.describe(Lang::En), en);
            assert_eq!(schedule.describe(Lang::Es), es);
        }
    }

    #[test]
    fn schedules_serialize_with_a_kind_tag() {
        let s = Schedule::new(
            Recurrence::Weekly {
                days: vec![Weekday::Mon],
                times: vec![t(7, 30)],
            },
            d(2026, 1, 1),
        );
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains(r#""kind":"weekly""#), "{json}");
        assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), s);
    }

    #[cfg(feature = "tz")]
    mod zoned {
        use super::*;
        use chrono::{TimeZone, Timelike, Utc};
        use chrono_tz::America::Chicago;
        use proptest::prelude::*;

        fn daily(times: &[(u32, u32)]) -> Schedule {
            Schedule::new(
                Recurrence::Daily {
                    times: times.iter().map(|&(h, m)| t(h, m)).collect(),
                },
                d(2020, 1, 1),
            )
        }

        /// (date, scheduled time) → (local wall-clock time it happens, UTC instant).
        #[test]
        fn dst_days_in_chicago_2026() {
            let cases = [
                // An ordinary winter day: CST is UTC-6.
                (
                    d(2026, 1, 15),
                    t(2, 30),
                    d(2026, 1, 15).and_time(t(2, 30)),
                    (2026, 1, 15, 8, 30),
                ),
                // Spring forward, 2026-03-08: 02:00 jumps to 03:00; 02:30 happens once, at 03:30 CDT.
                (
                    d(2026, 3, 8),
                    t(2, 30),
                    d(2026, 3, 8).and_time(t(3, 30)),
                    (2026, 3, 8, 8, 30),
                ),
                (
                    d(2026, 3, 8),
                    t(1, 59),
                    d(2026, 3, 8).and_time(t(1, 59)),
                    (2026, 3, 8, 7, 59),
                ),
                (
                    d(2026, 3, 8),
                    t(3, 0),
                    d(2026, 3, 8).and_time(t(3, 0)),
                    (2026, 3, 8, 8, 0),
                ),
                (
                    d(2026, 3, 8),
                    t(8, 0),
                    d(2026, 3, 8).and_time(t(8, 0)),
                    (2026, 3, 8, 13, 0),
                ),
                // Fall back, 2026-11-01: 01:00-02:00 happens twice; 01:30 happens once, the first time (CDT).
                (
                    d(2026, 11, 1),
                    t(1, 30),
                    d(2026, 11, 1).and_time(t(1, 30)),
                    (2026, 11, 1, 6, 30),
                ),
                (
                    d(2026, 11, 1),
                    t(2, 30),
                    d(2026, 11, 1).and_time(t(2, 30)),
                    (2026, 11, 1, 8, 30),
                ),
                (
                    d(2026, 11, 1),
                    t(8, 0),
                    d(2026, 11, 1).and_time(t(8, 0)),
                    (2026, 11, 1, 14, 0),
                ),
            ];
            for (date, time, want_local, (y, mo, da, h, mi)) in cases {
                let occurrences =
                    daily(&[(time.hour(), time.minute())]).occurrences_between(Chicago, date, date);
                assert_eq!(occurrences.len(), 1, "{date} {time}: exactly one occurrence");
                let o = &occurrences[0];
                assert_eq!(o.scheduled, date.and_time(time));
                assert_eq!(o.local, want_local, "{date} {time}: local time");
                assert_eq!(
                    o.at,
                    Utc.with_ymd_and_hms(y, mo, da, h, mi, 0).unwrap(),
                    "{date} {time}: instant"
                );
            }
        }

        #[test]
        fn every_half_hour_on_dst_days_never_doubles_or_vanishes() {
            let times: Vec<(u32, u32)> = (0..48).map(|i| (i / 2, (i % 2) * 30)).collect();
            for date in [d(2026, 3, 8), d(2026, 11, 1)] {
                let occurrences = daily(&times).occurrences_between(Chicago, date, date);
                assert_eq!(occurrences.len(), 48, "{date}");
                let mut keys: Vec<_> = occurrences.iter().map(|o| o.scheduled).collect();
                keys.dedup();
                assert_eq!(keys.len(), 48, "{date}: scheduled keys are unique");
            }
        }

        #[test]
        fn a_new_version_rules_from_its_effective_date() {
            let old = daily(&[(8, 0)]);
            let new = daily(&[(9, 0), (21, 0)]);
            let versions = [(d(2020, 1, 1), &old), (d(2026, 11, 27), &new)];
            let got: Vec<_> = versioned_occurrences(&versions, Chicago, d(2026, 11, 26), d(2026, 11, 27))
                .into_iter()
                .map(|(version, o)| (version, o.scheduled))
                .collect();
            assert_eq!(
                got,
                vec![
                    (0, d(2026, 11, 26).and_time(t(8, 0))),
                    (1, d(2026, 11, 27).and_time(t(9, 0))),
                    (1, d(2026, 11, 27).and_time(t(21, 0))),
                ]
            );
        }

        proptest! {
            #[test]
            fn occurrences_are_sorted_unique_and_inside_the_range(
                start_offset in 0i64..800,
                span in 0i64..60,
                raw_times in proptest::collection::vec((0u32..24, 0u32..60), 1..6),
                weekdays in proptest::collection::vec(0u8..7, 1..7),
                weekly in any::<bool>(),
            ) {
                let from = d(2025, 6, 1) + chrono::TimeDelta::days(start_offset);
                let to = from + chrono::TimeDelta::days(span);
                let times: Vec<NaiveTime> = raw_times.iter().map(|&(h, m)| t(h, m)).collect();
                let recurrence = if weekly {
                    Recurrence::Weekly {
                        days: weekdays.iter().map(|&w| Weekday::try_from(w).unwrap()).collect(),
                        times: times.clone(),
                    }
                } else {
                    Recurrence::Daily { times: times.clone() }
                };
                let occurrences = Schedule::new(recurrence, d(2025, 1, 1)).occurrences_between(Chicago, from, to);
                for pair in occurrences.windows(2) {
                    prop_assert!(pair[0].at <= pair[1].at, "sorted by instant");
                }
                let mut keys: Vec<_> = occurrences.iter().map(|o| o.scheduled).collect();
                keys.sort();
                let before = keys.len();
                keys.dedup();
                prop_assert_eq!(before, keys.len(), "unique");
                for o in &occurrences {
                    prop_assert!(o.scheduled.date() >= from && o.scheduled.date() <= to, "inside the range");
                }
                if !weekly {
                    let mut distinct = times.clone();
                    distinct.sort();
                    distinct.dedup();
                    prop_assert_eq!(occurrences.len() as i64, distinct.len() as i64 * (span + 1));
                }
            }
        }
    }
}
