//! Writes a calendar feed across both DST changes of 2026 in America/Chicago
//! to stdout, for an independent parser to read back (`tools/check_ics.py`):
//! a daily 08:00 medicine and 02:30 dose from 2026-03-06 to 2026-03-10 and
//! from 2026-10-30 to 2026-11-03, and a visit whose text needs escaping and folding.
//!
//! `cargo run -p tend-model --features tz --example dst_feed > feed.ics`

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::America::Chicago;
use tend_model::{ActivityKind, AgendaItem, CalendarFeed, Lang, LocalizedText, Recurrence, Schedule};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a time")
}

fn items(
    id: i64,
    kind: ActivityKind,
    title: LocalizedText,
    instructions: LocalizedText,
    schedule: &Schedule,
) -> Vec<AgendaItem> {
    [
        (date(2026, 3, 6), date(2026, 3, 10)),
        (date(2026, 10, 30), date(2026, 11, 3)),
    ]
    .into_iter()
    .flat_map(|(from, to)| schedule.occurrences_between(Chicago, from, to))
    .map(|o| AgendaItem {
        activity_id: id,
        activity_version: 1,
        kind,
        title: title.clone(),
        instructions: instructions.clone(),
        metric: None,
        place: None,
        bring: None,
        lesson: None,
        scheduled: o.scheduled,
        local: o.local,
        at: o.at,
        outcome: None,
    })
    .collect()
}

fn main() {
    let start = date(2026, 1, 1);
    let mut all = items(
        7,
        ActivityKind::Medication,
        LocalizedText::new("Metformin 500 mg", "Metformina 500 mg"),
        LocalizedText::new("Take 1 tablet with breakfast.", "Tome 1 tableta con el desayuno."),
        &Schedule::new(
            Recurrence::Daily {
                times: vec![time(8, 0)],
            },
            start,
        ),
    );
    all.extend(items(
        8,
        ActivityKind::Medication,
        LocalizedText::new("Night dose", "Dosis de la noche"),
        LocalizedText::default(),
        &Schedule::new(
            Recurrence::Daily {
                times: vec![time(2, 30)],
            },
            start,
        ),
    ));
    all.extend(items(
        9,
        ActivityKind::Appointment,
        LocalizedText::new("Cardiology visit", "Cita de cardiología; Dr. Patel, 2.º piso"),
        LocalizedText::new(
            "",
            "Centro del Corazón, 2.º piso.\nTraiga su registro de peso, todas sus medicinas; y sus preguntas \\ dudas.",
        ),
        &Schedule::new(
            Recurrence::Once {
                at: date(2026, 11, 2).and_time(time(10, 30)),
            },
            start,
        ),
    ));
    all.sort_by_key(|i| (i.at, i.activity_id));
    let feed = CalendarFeed {
        lang: Lang::Es,
        generated: Utc.with_ymd_and_hms(2026, 2, 1, 12, 0, 0).unwrap(),
        items: &all,
    };
    print!("{}", feed.to_ics());
}
