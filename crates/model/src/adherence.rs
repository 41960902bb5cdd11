//! Adherence: how many of the occurrences that came due were done, skipped or
//! missed, per day, per activity and per week. Derived from the agenda, never
//! typed in.

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::agenda::{ActivityKind, AgendaItem, OutcomeStatus};
use crate::text::LocalizedText;

/// Where one occurrence stands as of a local date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Done,
    Skipped,
    /// An earlier day's occurrence nobody marked.
    Missed,
    /// Today's, not marked yet: it can still be done.
    Open,
    /// A later day's.
    Upcoming,
}

impl Mark {
    pub fn of(item: &AgendaItem, today: NaiveDate) -> Mark {
        match item.outcome.as_ref().map(|o| o.status) {
            Some(OutcomeStatus::Done) => Mark::Done,
            Some(OutcomeStatus::Skipped) => Mark::Skipped,
            None => match item.local.date().cmp(&today) {
                std::cmp::Ordering::Less => Mark::Missed,
                std::cmp::Ordering::Equal => Mark::Open,
                std::cmp::Ordering::Greater => Mark::Upcoming,
            },
        }
    }
}

/// Counts of occurrences by [`Mark`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    pub skipped: usize,
    pub missed: usize,
    pub open: usize,
    pub upcoming: usize,
}

impl Tally {
    pub fn add(&mut self, mark: Mark) {
        match mark {
            Mark::Done => self.done += 1,
            Mark::Skipped => self.skipped += 1,
            Mark::Missed => self.missed += 1,
            Mark::Open => self.open += 1,
            Mark::Upcoming => self.upcoming += 1,
        }
    }

    pub fn of<'a>(items: impl IntoIterator<Item = &'a AgendaItem>, today: NaiveDate) -> Tally {
        let mut tally = Tally::default();
        for item in items {
            tally.add(Mark::of(item, today));
        }
        tally
    }

    /// Occurrences that came due and were marked or missed.
    pub fn settled(&self) -> usize {
        self.done + self.skipped + self.missed
    }

    /// Done out of the settled ones, in whole percent (rounded down); `None`
    /// when nothing has come due yet, so an empty week is not "0 %".
    pub fn percent_done(&self) -> Option<u32> {
        let settled = self.settled();
        (settled > 0).then(|| (self.done * 100 / settled) as u32)
    }
}

/// One day of a week's adherence.
#[derive(Clone, Debug, PartialEq)]
pub struct DayAdherence {
    pub date: NaiveDate,
    pub tally: Tally,
}

/// One activity's adherence over the period.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityAdherence {
    pub activity_id: i64,
    pub kind: ActivityKind,
    pub title: LocalizedText,
    pub tally: Tally,
}

/// Adherence over a run of days.
#[derive(Clone, Debug, PartialEq)]
pub struct Adherence {
    pub days: Vec<DayAdherence>,
    /// In the order the activities first occur.
    pub activities: Vec<ActivityAdherence>,
    pub total: Tally,
}

impl Adherence {
    /// Adherence of the items dated `from` to `to` (included) as of `today`.
    /// Items outside the dates are left out.
    pub fn of(items: &[AgendaItem], from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Adherence {
        let mut days: Vec<DayAdherence> = from
            .iter_days()
            .take_while(|d| *d <= to)
            .map(|date| DayAdherence {
                date,
                tally: Tally::default(),
            })
            .collect();
        let mut activities: Vec<ActivityAdherence> = Vec::new();
        let mut total = Tally::default();
        for item in items {
            let date = item.local.date();
            let Some(day) = days.iter_mut().find(|d| d.date == date) else {
                continue;
            };
            let mark = Mark::of(item, today);
            day.tally.add(mark);
            total.add(mark);
            let index = match activities.iter().position(|a| a.activity_id == item.activity_id) {
                Some(index) => index,
                None => {
                    activities.push(ActivityAdherence {
                        activity_id: item.activity_id,
                        kind: item.kind,
                        title: item.title.clone(),
                        tally: Tally::default(),
                    });
                    activities.len() - 1
                }
            };
            activities[index].tally.add(mark);
        }
        Adherence {
            days,
            activities,
            total,
        }
    }
}

/// The Monday of the week `date` falls in (weeks run Monday to Sunday).
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - TimeDelta::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The Sunday that ends the week starting on `monday`.
pub fn week_end(monday: NaiveDate) -> NaiveDate {
    monday + TimeDelta::days(6)
}

#[cfg(test)]
mod tests {

    use super::*;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn item(activity_id: i64, day: u32, hour: u32, status: Option<OutcomeStatus>) -> AgendaItem {
        crate::agenda::test_item(activity_id, date(day).and_hms_opt(hour, 0, 0).unwrap(), status)
    }

    #[test]
    fn marks_tell_skipped_missed_open_and_upcoming_apart() {
        let today = date(25);
        assert_eq!(
            Mark::of(&item(1, 24, 8, Some(OutcomeStatus::Done)), today),
            Mark::Done
        );
        assert_eq!(
            Mark::of(&item(1, 24, 8, Some(OutcomeStatus::Skipped)), today),
            Mark::Skipped
        );
        assert_eq!(Mark::of(&item(1, 24, 23, None), today), Mark::Missed);
        // Today's unmarked items can still be done, even after their time.
        assert_eq!(Mark::of(&item(1, 25, 0, None), today), Mark::Open);
        assert_eq!(Mark::of(&item(1, 26, 8, None), today), Mark::Upcoming);
        // A later day marked early still counts as done.
        assert_eq!(
            Mark::of(&item(1, 26, 8, Some(OutcomeStatus::Done)), today),
            Mark::Done
        );
    }

    #[test]
    fn a_week_counts_per_day_per_activity_and_in_all() {
        // Monday 23 to Sunday 29 November 2026, as of Wednesday 25.
        let (monday, today) = (date(23), date(25));
        let items = vec![
            item(1, 23, 8, Some(OutcomeStatus::Done)),
            item(2, 23, 20, Some(OutcomeStatus::Skipped)),
            item(1, 24, 8, None),
            item(2, 24, 20, Some(OutcomeStatus::Done)),
            item(1, 25, 8, Some(OutcomeStatus::Done)),
            item(2, 25, 20, None),
            item(1, 26, 8, None),
            // Outside the week: left out.
            item(1, 22, 8, None),
            item(1, 30, 8, None),
        ];
        let week = Adherence::of(&items, monday, week_end(monday), today);
        assert_eq!(week.days.len(), 7);
        assert_eq!(week.days[0].date, monday);
        assert_eq!(
            week.days[0].tally,
            Tally {
                done: 1,
                skipped: 1,
                ..Tally::default()
            }
        );
        assert_eq!(
            week.days[1].tally,
            Tally {
                done: 1,
                missed: 1,
                ..Tally::default()
            }
        );
        assert_eq!(
            week.days[2].tally,
            Tally {
                done: 1,
                open: 1,
                ..Tally::default()
            }
        );
        assert_eq!(week.days[3].tally.upcoming, 1);
        assert_eq!(week.days[6].tally, Tally::default());

        let ids: Vec<_> = week.activities.iter().map(|a| a.activity_id).collect();
        assert_eq!(ids, vec![1, 2]);
        assert_eq!(
            week.activities[0].tally,
            Tally {
                done: 2,
                missed: 1,
                upcoming: 1,
                ..Tally::default()
            }
        );
        assert_eq!(
            week.activities[1].tally,
            Tally {
                done: 1,
                skipped: 1,
                open: 1,
                ..Tally::default()
            }
        );
        assert_eq!(
            week.total,
            Tally {
                done: 3,
                skipped: 1,
                missed: 1,
                open: 1,
                upcoming: 1
            }
        );
        // 3 done of 5 settled (open and upcoming do not count yet).
        assert_eq!(week.total.percent_done(), Some(60));
    }

    #[test]
    fn nothing_due_yet_has_no_percentage() {
        assert_eq!(Tally::default().percent_done(), None);
        let only_open = Tally {
            open: 3,
            upcoming: 2,
            ..Tally::default()
        };
        assert_eq!(only_open.percent_done(), None);
        let all_missed = Tally {
            missed: 2,
            ..Tally::default()
        };
        assert_eq!(all_missed.percent_done(), Some(0));
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-11-23 is a Monday, 2026-11-29 a Sunday.
        for day in 23..=29 {
            assert_eq!(week_start(date(day)), date(23), "day {day}");
        }
        assert_eq!(week_start(date(30)), date(30));
        assert_eq!(week_end(date(23)), date(29));
    }
}
