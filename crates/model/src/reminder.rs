//! Reminders the app shows while it is open: which occurrences come due now,
//! and the quiet hours a person sets on a device.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};

use crate::agenda::{Agenda, AgendaItem};

/// How long after its time an unmarked occurrence is still worth a reminder.
/// Older ones wait on the Today screen instead of popping up late.
pub const REMINDER_GRACE: TimeDelta = TimeDelta::minutes(30);

/// Hours of the day without reminders on one device, from `from` up to `to`;
/// `22:00–07:00` runs over midnight. Equal times mean no quiet hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl QuietHours {
    /// Whether a local time of day falls in the quiet hours.
    pub fn contains(&self, time: NaiveTime) -> bool {
        match self.from.cmp(&self.to) {
            std::cmp::Ordering::Equal => false,
            std::cmp::Ordering::Less => self.from <= time && time < self.to,
            std::cmp::Ordering::Greater => time >= self.from || time < self.to,
        }
    }

    /// Reads `HH:MM-HH:MM`, as [`QuietHours::to_text`] writes it.
    pub fn parse(text: &str) -> Option<QuietHours> {
        let (from, to) = text.split_once('-')?;
        Some(QuietHours {
            from: parse_hh_mm(from)?,
            to: parse_hh_mm(to)?,
        })
    }

    pub fn to_text(&self) -> String {
        format!("{}-{}", hh_mm(self.from), hh_mm(self.to))
    }
}

/// `HH:MM`, as a time field of a form gives it. Read by hand: chrono's
/// general parser would add weight to the app for two numbers.
pub fn parse_hh_mm(text: &str) -> Option<NaiveTime> {
    let (h, m) = text.trim().split_once(':')?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// A time of day as `HH:MM`.
pub fn hh_mm(time: NaiveTime) -> String {
    use chrono::Timelike;
    format!("{:02}:{:02}", time.hour(), time.minute())
}

impl Agenda {
    /// Occurrences to remind of at `now`: not yet marked, come due no longer
    /// than [`REMINDER_GRACE`] ago, and not reminded of before (`reminded`
    /// holds [`AgendaItem::key`]s). In time order.
    pub fn reminders_due<'a>(&'a self, now: DateTime<Utc>, reminded: &[String]) -> Vec<&'a AgendaItem> {
        self.items
            .iter()
            .filter(|i| i.outcome.is_none())
            .filter(|i| i.at <= now && now - i.at < REMINDER_GRACE)
            .filter(|i| !reminded.contains(&i.key()))
            .collect()
    }

    /// The reminded keys worth keeping: those of occurrences still on this
    /// agenda, so the list stays as short as a day.
    pub fn keep_reminded(&self, reminded: &[String]) -> Vec<String> {
        reminded
            .iter()
            .filter(|key| self.item_by_key(key).is_some())
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::{OutcomeStatus, OutcomeView};
    use chrono::{NaiveDate, TimeZone};

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn agenda(times: &[(u32, u32)]) -> Agenda {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        Agenda {
            patient_id: 1,
            patient_name: "Maria".into(),
            zone: "America/Chicago".into(),
            today: day,
            from: day,
            to: day,
            items: times
                .iter()
                .enumerate()
                .map(|(i, &(h, m))| {
                    let local = day.and_time(t(h, m));
                    AgendaItem {
                        at: local.and_utc() + TimeDelta::hours(6),
                        ..crate::agenda::test_item(i as i64 + 1, local, None)
                    }
                })
                .collect(),
        }
    }

    /// `h:m` in Chicago on the agenda's day, as an instant.
    fn chicago(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap() + TimeDelta::hours(6)
    }

    fn due(agenda: &Agenda, now: DateTime<Utc>, reminded: &[String]) -> Vec<NaiveTime> {
        agenda
            .reminders_due(now, reminded)
            .into_iter()
            .map(|i| i.local.time())
            .collect()
    }

    #[test]
    fn an_occurrence_comes_due_at_its_time_and_stays_due_for_the_grace_period() {
        let day = agenda(&[(8, 0), (20, 0)]);
        assert_eq!(due(&day, chicago(7, 59), &[]), vec![]);
        assert_eq!(due(&day, chicago(8, 0), &[]), vec![t(8, 0)]);
        assert_eq!(due(&day, chicago(8, 29), &[]), vec![t(8, 0)]);
        assert_eq!(due(&day, chicago(8, 30), &[]), vec![], "too late to pop up");
        assert_eq!(due(&day, chicago(20, 5), &[]), vec![t(20, 0)]);
    }

    #[test]
    fn an_occurrence_is_reminded_of_once_and_not_once_marked() {
        let mut day = agenda(&[(8, 0), (8, 0)]);
        let first = day.items[0].key();
        assert_eq!(due(&day, chicago(8, 1), &[]).len(), 2);
        assert_eq!(due(&day, chicago(8, 1), std::slice::from_ref(&first)).len(), 1);
        day.items[1].outcome = Some(OutcomeView {
            status: OutcomeStatus::Done,
            reason: None,
            recorded_at: chicago(7, 58),
            entered_by: "Maria".into(),
            entered_by_id: 1,
            reading: None,
        });
        assert_eq!(due(&day, chicago(8, 1), std::slice::from_ref(&first)), vec![]);
    }

    #[test]
    fn reminded_keys_of_other_days_are_let_go() {
        let day = agenda(&[(8, 0)]);
        let kept = day.keep_reminded(&[day.items[0].key(), "3-20261126T0800".into()]);
        assert_eq!(kept, vec![day.items[0].key()]);
    }

    #[test]
    fn quiet_hours_may_run_over_midnight() {
        let night = QuietHours::parse("22:00-07:00").unwrap();
        let nap = QuietHours::parse("13:00-14:30").unwrap();
        let none = QuietHours::parse("08:00-08:00").unwrap();
        for (time, in_night, in_nap) in [
            (t(21, 59), false, false),
            (t(22, 0), true, false),
            (t(0, 0), true, false),
            (t(6, 59), true, false),
            (t(7, 0), false, false),
            (t(12, 59), false, false),
            (t(13, 0), false, true),
            (t(14, 29), false, true),
            (t(14, 30), false, false),
        ] {
            assert_eq!(night.contains(time), in_night, "night at {time}");
            assert_eq!(nap.contains(time), in_nap, "nap at {time}");
            assert!(!none.contains(time), "none at {time}");
        }
    }

    #[test]
    fn quiet_hours_read_back_what_they_write() {
        let night = QuietHours {
            from: t(22, 0),
            to: t(7, 0),
        };
        assert_eq!(night.to_text(), "22:00-07:00");
        assert_eq!(QuietHours::parse(&night.to_text()), Some(night));
        for bad in [
            "",
            "22:00",
            "25:00-07:00",
            "22:60-07:00",
            "7:00-8:00",
            "night-day",
            "+1:00-07:00",
        ] {
            assert_eq!(QuietHours::parse(bad), None, "{bad:?}");
        }
    }
}
