//! A year of occurrences of 20 activities in one zone, DST changes
//! included, as the server expands a plan (issue 7's goal: at most 1 ms).

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tend_model::schedule::versioned_occurrences;
use tend_model::{Recurrence, Schedule};

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// Twenty activities like a busy plan's: medicines several times a day,
/// measurements, weekday walks, check-ins every 14 and 30 days, visits;
/// three of them edited once during the year (two versions).
fn plan() -> Vec<Vec<(NaiveDate, Schedule)>> {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let mid = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    let daily = |times: Vec<NaiveTime>| Schedule::new(Recurrence::Daily { times }, start);
    let weekly =
        |days: Vec<Weekday>, times: Vec<NaiveTime>| Schedule::new(Recurrence::Weekly { days, times }, start);
    let every =
        |every: u32, times: Vec<NaiveTime>| Schedule::new(Recurrence::EveryNDays { every, times }, start);
    let once = |month: u32, day: u32| {
        Schedule::new(
            Recurrence::Once {
                at: NaiveDate::from_ymd_opt(2026, month, day)
                    .unwrap()
                    .and_time(time(10, 30)),
            },
            start,
        )
    };
    let one = |s: Schedule| vec![(start, s)];
    use Weekday::*;
    vec![
        one(daily(vec![time(8, 0), time(20, 0)])),
        one(daily(vec![time(8, 0)])),
        one(daily(vec![time(7, 30)])),
        one(daily(vec![time(7, 0)])),
        one(daily(vec![time(2, 30)])), // in the spring-forward gap
        one(daily(vec![time(1, 30)])), // twice on the fall-back night
        one(daily(vec![time(8, 0), time(14, 0), time(20, 0)])),
        one(daily(vec![time(21, 0)])),
        one(weekly(vec![Mon, Wed, Fri], vec![time(9, 0)])),
        one(weekly(vec![Mon, Tue, Wed, Thu, Fri], vec![time(17, 0)])),
        one(weekly(vec![Sat], vec![time(10, 0)])),
        one(every(14, vec![time(18, 0)])),
        one(every(30, vec![time(18, 0)])),
        one(every(3, vec![time(12, 0)])),
        one(once(3, 20)),
        one(once(9, 15)),
        one(Schedule::new(Recurrence::AsNeeded, start)),
        vec![
            (start, daily(vec![time(8, 0)])),
            (mid, daily(vec![time(9, 0), time(21, 0)])),
        ],
        vec![
            (start, weekly(vec![Tue, Thu], vec![time(11, 0)])),
            (mid, weekly(vec![Mon, Wed, Fri], vec![time(11, 0)])),
        ],
        vec![
            (start, every(7, vec![time(19, 0)])),
            (mid, every(10, vec![time(19, 0)])),
        ],
    ]
}

/// Every activity's occurrences over the year, sorted as the agenda lists them.
fn year_of_occurrences(plan: &[Vec<(NaiveDate, Schedule)>], tz: Tz, from: NaiveDate, to: NaiveDate) -> usize {
    let mut all = Vec::new();
    for (activity, versions) in plan.iter().enumerate() {
        let schedules: Vec<_> = versions.iter().map(|(from, s)| (*from, s)).collect();
        all.extend(
            versioned_occurrences(&schedules, tz, from, to)
                .into_iter()
                .map(|(version, o)| (activity, version, o)),
        );
    }
    all.sort_by_key(|(activity, _, o)| (o.at, *activity));
    all.len()
}

fn bench(c: &mut Criterion) {
    let plan = plan();
    assert_eq!(plan.len(), 20);
    let tz: Tz = "America/Chicago".parse().unwrap();
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let count = year_of_occurrences(&plan, tz, from, to);
    println!("a year of 20 activities: {count} occurrences");
    c.bench_function("year of occurrences, 20 activities", |b| {
        b.iter(|| year_of_occurrences(black_box(&plan), black_box(tz), black_box(from), black_box(to)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
