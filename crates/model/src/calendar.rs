//! Calendar feeds (RFC 5545): a patient's upcoming occurrences as events with
//! alarms, for the calendar app on a phone to subscribe to.
//!
//! Times are written in UTC (`…Z`): the server places every occurrence on the
//! time line of the patient's zone (DST included) before it gets here, so a
//! calendar shows the right local time without a VTIMEZONE to trust.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::agenda::{occurrence_key, ActivityKind, AgendaItem};
use crate::text::Lang;

/// How far ahead a feed reaches, in days from the patient's today.
pub const FEED_DAYS: i64 = 60;

/// The longest content line, in octets, before it is folded (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// `GET`/`POST /api/patients/{p}/calendar-feed`: the patient's calendar link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeedView {
    /// When the link in force was made; none when there is no link.
    pub created_at: Option<DateTime<Utc>>,
    /// The link's path, `/api/calendar/{token}.ics`, only in the answer that
    /// made it: the server keeps a hash of the token, never the token itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl CalendarFeedView {
    pub fn is_active(&self) -> bool {
        self.created_at.is_some()
    }
}

/// A patient's reminders as an iCalendar document.
pub struct CalendarFeed<'a> {
    /// The language of the patient: event titles, descriptions and the calendar's name.
    pub lang: Lang,
    /// When the feed was made: every event's DTSTAMP.
    pub generated: DateTime<Utc>,
    /// Upcoming occurrences; those already marked done or skipped are left out.
    pub items: &'a [AgendaItem],
}

/// The event's UID: the activity and its scheduled wall-clock time, so the
/// same occurrence keeps its UID in every fetch of the feed.
pub fn event_uid(item: &AgendaItem) -> String {
    format!("{}@tend", occurrence_key(item.activity_id, item.scheduled))
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks
/// (RFC 5545 §3.3.11); other control characters are dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded so no line is longer than 75 octets (a
/// continuation starts with a space) and never inside a character, ended by CRLF.
pub fn push_folded(out: &mut String, line: &str) {
    let mut budget = MAX_LINE_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > budget {
            out.push_str("\r\n ");
            // The leading space counts towards the continuation's 75 octets.
            budget = MAX_LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn utc_stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Appointments and referrals are visits: they take time and are worth a
/// reminder the day before as well.
fn is_visit(kind: ActivityKind) -> bool {
    matches!(kind, ActivityKind::Appointment | ActivityKind::Referral)
}

impl CalendarFeed<'_> {
    /// The calendar's name in the patient's language.
    pub fn name(&self) -> &'static str {
        match self.lang {
            Lang::En => "Tend reminders",
            Lang::Es => "Recordatorios de Tend",
        }
    }

    /// The items that become events: not yet marked done or skipped.
    pub fn open_items(&self) -> impl Iterator<Item = &AgendaItem> {
        self.items.iter().filter(|i| i.outcome.is_none())
    }

    /// The whole document, with CRLF line endings and folded lines.
    pub fn to_ics(&self) -> String {
        let mut out = String::new();
        let mut line = |text: &str| push_folded(&mut out, text);
        line("BEGIN:VCALENDAR");
        line("VERSION:2.0");
        line("PRODID:-//Tend//Tend reminders//EN");
        line("CALSCALE:GREGORIAN");
        line("METHOD:PUBLISH");
        line(&format!("NAME:{}", escape_text(self.name())));
        line(&format!("X-WR-CALNAME:{}", escape_text(self.name())));
        line("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
        line("X-PUBLISHED-TTL:PT1H");
        let stamp = utc_stamp(self.generated);
        for item in self.open_items() {
            let summary = escape_text(item.title.get(self.lang));
            line("BEGIN:VEVENT");
            line(&format!("UID:{}", event_uid(item)));
            line(&format!("DTSTAMP:{stamp}"));
            line(&format!("DTSTART:{}", utc_stamp(item.at)));
            line(if is_visit(item.kind) {
                "DURATION:PT1H"
            } else {
                "DURATION:PT15M"
            });
            line(&format!("SUMMARY:{summary}"));
            // What to bring goes with the instructions; where, as the location.
            let mut description = item.instructions.get(self.lang).trim().to_owned();
            if let Some(bring) = item.bring.as_ref().map(|b| b.get(self.lang)) {
                let label = match self.lang {
                    Lang::En => "Bring",
                    Lang::Es => "Traiga",
                };
                description = format!("{description}\n{label}: {bring}").trim().to_owned();
            }
            if !description.is_empty() {
                line(&format!("DESCRIPTION:{}", escape_text(&description)));
            }
            if let Some(place) = item.place.as_ref().map(|p| p.get(self.lang)) {
                line(&format!("LOCATION:{}", escape_text(place)));
            }
            // Reminders do not make the person look busy; a visit does.
            line(if is_visit(item.kind) {
                "TRANSP:OPAQUE"
            } else {
                "TRANSP:TRANSPARENT"
            });
            let triggers: &[&str] = if is_visit(item.kind) {
                &["-P1D", "-PT1H"]
            } else {
                &["-PT15M"]
            };
            for trigger in triggers {
                line("BEGIN:VALARM");
                line("ACTION:DISPLAY");
                line(&format!("DESCRIPTION:{summary}"));
                line(&format!("TRIGGER:{trigger}"));
                line("END:VALARM");
            }
            line("END:VEVENT");
        }
        line("END:VCALENDAR");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::{OutcomeStatus, OutcomeView};
    use crate::text::LocalizedText;
    use chrono::{NaiveDate, NaiveDateTime, TimeZone};

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    fn item(activity_id: i64, kind: ActivityKind, title: LocalizedText, local: NaiveDateTime) -> AgendaItem {
        AgendaItem {
            kind,
            title,
            instructions: LocalizedText::new(
                "Take 1 tablet with breakfast.",
                "Tome 1 tableta con el desayuno.",
            ),
            // Chicago in November (CST, UTC-6) for these tests.
            at: local.and_utc() + chrono::TimeDelta::hours(6),
            ..crate::agenda::test_item(activity_id, local, None)
        }
    }

    fn metformin(local: NaiveDateTime) -> AgendaItem {
        item(
            7,
            ActivityKind::Medication,
            LocalizedText::new("Metformin 500 mg", "Metformina 500 mg"),
            local,
        )
    }

    fn generated() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 15, 4, 5).unwrap()
    }

    /// The lines of a document with folded lines joined again (RFC 5545 §3.1).
    fn unfolded(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn values<'a>(lines: &'a [String], name: &str) -> Vec<&'a str> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .collect()
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_line_breaks() {
        for (raw, want) in [
            ("plain", "plain"),
            (r"a\b", r"a\\b"),
            ("salt; water, rest", r"salt\; water\, rest"),
            ("line one\nline two", r"line one\nline two"),
            ("windows\r\nbreak", r"windows\nbreak"),
            ("old mac\rbreak", r"old mac\nbreak"),
            ("bell\u{7}gone", "bellgone"),
            ("tab\tkept", "tab\tkept"),
            ("Cita: 2.º piso", "Cita: 2.º piso"),
        ] {
            assert_eq!(escape_text(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        // Two-byte characters make an odd boundary fall inside one if split by bytes.
        let value = "ñá".repeat(70);
        let mut out = String::new();
        push_folded(&mut out, &format!("DESCRIPTION:{value}"));
        assert!(out.ends_with("\r\n"));
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 3, "folded into several lines");
        for (i, line) in physical.iter().enumerate() {
            assert!(line.len() <= 75, "line {i} has {} octets", line.len());
            if i > 0 {
                assert!(line.starts_with(' '), "a continuation starts with a space");
            }
        }
        assert_eq!(unfolded(&out), vec![format!("DESCRIPTION:{value}")]);
        // A line of exactly 75 octets stays whole.
        let mut exact = String::new();
        push_folded(&mut exact, &"x".repeat(75));
        assert_eq!(exact, format!("{}\r\n", "x".repeat(75)));
    }

    #[test]
    fn every_line_ends_with_crlf_and_none_is_too_long() {
        let mut long = metformin(at(2026, 11, 28, 8, 0));
        long.instructions = LocalizedText::new(
            "Take 1 tablet with breakfast, with a full glass of water; if you feel dizzy, sit down and call your care team.\nDo not double the dose.",
            "",
        );
        let items = [long];
        let ics = CalendarFeed {
            lang: Lang::En,
            generated: generated(),
            items: &items,
        }
        .to_ics();
        assert!(!ics.replace("\r\n", "").contains('\n'), "no bare LF");
        assert!(!ics.replace("\r\n", "").contains('\r'), "no bare CR");
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
        }
        let lines = unfolded(&ics);
        assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
        assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
        assert_eq!(
            values(&lines, "DESCRIPTION")[0],
            r"Take 1 tablet with breakfast\, with a full glass of water\; if you feel dizzy\, sit down and call your care team.\nDo not double the dose."
        );
    }

    #[test]
    fn events_speak_the_patients_language_and_carry_alarms() {
        let mut visit = item(
            9,
            ActivityKind::Appointment,
            LocalizedText::new(
                "Cardiology visit with Dr. Patel",
                "Cita de cardiología con el Dr. Patel",
            ),
            at(2026, 12, 9, 10, 30),
        );
        visit.instructions =
            LocalizedText::new("Dr. Patel checks your heart.", "El Dr. Patel revisa su corazón.");
        visit.place = Some(LocalizedText::new(
            "Heart Center, 2nd floor",
            "Centro del Corazón, 2.º piso",
        ));
        visit.bring = Some(LocalizedText::new("Your weight log", "Su registro de peso"));
        let items = [metformin(at(2026, 11, 28, 8, 0)), visit];
        let ics = CalendarFeed {
            lang: Lang::Es,
            generated: generated(),
            items: &items,
        }
        .to_ics();
        let lines = unfolded(&ics);
        assert_eq!(values(&lines, "X-WR-CALNAME"), vec!["Recordatorios de Tend"]);
        assert_eq!(
            values(&lines, "SUMMARY"),
            vec!["Metformina 500 mg", "Cita de cardiología con el Dr. Patel"]
        );
        assert_eq!(
            values(&lines, "DESCRIPTION")[..2],
            ["Tome 1 tableta con el desayuno.", "Metformina 500 mg"]
        );
        // A visit says where (escaped) and what to bring.
        assert_eq!(values(&lines, "LOCATION"), vec!["Centro del Corazón\\, 2.º piso"]);
        assert!(values(&lines, "DESCRIPTION")
            .contains(&"El Dr. Patel revisa su corazón.\\nTraiga: Su registro de peso"));
        assert_eq!(values(&lines, "DTSTAMP"), vec!["20261127T150405Z"; 2]);
        assert_eq!(
            values(&lines, "DTSTART"),
            vec!["20261128T140000Z", "20261209T163000Z"]
        );
        assert_eq!(values(&lines, "TRIGGER"), vec!["-PT15M", "-P1D", "-PT1H"]);
        assert_eq!(values(&lines, "ACTION"), vec!["DISPLAY"; 3]);
        assert_eq!(values(&lines, "DURATION"), vec!["PT15M", "PT1H"]);
    }

    #[test]
    fn uids_are_stable_across_fetches_and_unique_per_occurrence() {
        let items = [
            metformin(at(2026, 11, 28, 8, 0)),
            metformin(at(2026, 11, 28, 20, 0)),
            metformin(at(2026, 11, 29, 8, 0)),
        ];
        let uids = |generated| {
            let ics = CalendarFeed {
                lang: Lang::En,
                generated,
                items: &items,
            }
            .to_ics();
            values(&unfolded(&ics), "UID")
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let first = uids(generated());
        let later = uids(generated() + chrono::TimeDelta::hours(5));
        assert_eq!(first, later, "the same occurrences keep their UIDs");
        assert_eq!(
            first,
            vec![
                "7-20261128T0800@tend",
                "7-20261128T2000@tend",
                "7-20261129T0800@tend"
            ]
        );
    }

    #[test]
    fn marked_occurrences_are_left_out() {
        let mut done = metformin(at(2026, 11, 28, 8, 0));
        done.outcome = Some(OutcomeView {
            status: OutcomeStatus::Done,
            reason: None,
            recorded_at: generated(),
            entered_by: "Maria".into(),
            entered_by_id: 1,
            reading: None,
        });
        let mut skipped = metformin(at(2026, 11, 28, 20, 0));
        skipped.outcome = done.outcome.clone().map(|o| OutcomeView {
            status: OutcomeStatus::Skipped,
            ..o
        });
        let open = metformin(at(2026, 11, 29, 8, 0));
        let items = [done, skipped, open];
        let ics = CalendarFeed {
            lang: Lang::En,
            generated: generated(),
            items: &items,
        }
        .to_ics();
        assert_eq!(values(&unfolded(&ics), "UID"), vec!["7-20261129T0800@tend"]);
    }

    #[cfg(feature = "tz")]
    mod zoned {
        use super::*;
        use crate::schedule::{Recurrence, Schedule};
        use chrono::NaiveTime;
        use chrono_tz::America::Chicago;

        /// A daily 08:00 in Chicago is 13:00Z while daylight time lasts and
        /// 14:00Z from the fall-back day, 2026-11-01, on.
        #[test]
        fn a_daily_eight_oclock_in_chicago_moves_in_utc_across_fall_back() {
            let schedule = Schedule::new(
                Recurrence::Daily {
                    times: vec![NaiveTime::from_hms_opt(8, 0, 0).unwrap()],
                },
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            );
            let items: Vec<AgendaItem> = schedule
                .occurrences_between(
                    Chicago,
                    NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(),
                    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                )
                .into_iter()
                .map(|o| AgendaItem {
                    local: o.local,
                    at: o.at,
                    ..metformin(o.scheduled)
                })
                .collect();
            let ics = CalendarFeed {
                lang: Lang::En,
                generated: generated(),
                items: &items,
            }
            .to_ics();
            let lines = unfolded(&ics);
            assert_eq!(
                values(&lines, "DTSTART"),
                vec![
                    "20261030T130000Z",
                    "20261031T130000Z",
                    "20261101T140000Z",
                    "20261102T140000Z"
                ]
            );
            assert_eq!(
                values(&lines, "UID"),
                vec![
                    "7-20261030T0800@tend",
                    "7-20261031T0800@tend",
                    "7-20261101T0800@tend",
                    "7-20261102T0800@tend"
                ]
            );
        }
    }
}
