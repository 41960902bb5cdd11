//! Dates and times in the person's language, through the browser's Intl.

use std::cell::RefCell;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};
use js_sys::{Array, Date, Intl, Object, Reflect};
use tend_model::Lang;
use wasm_bindgen::JsValue;

/// The ways Tend writes a date or a time through the browser's Intl, each an
/// `Intl.DateTimeFormat` made once a language: making one is the slow part,
/// formatting with it is not. The first one a page makes costs far more
/// (the browser loads its locale data: 40-150 ms at Lighthouse's 4x CPU
/// slowdown, measured with tools/bench/profile-start.mjs), so Today's two
/// formats, `long_date` and `time_of_day`, are written here instead, from
/// the same words and patterns (tests/components.rs compares them with
/// Intl for every minute of a day and every day of three years).
#[derive(Clone, Copy)]
enum Style {
    ShortDate,
    DateTime,
}

impl Style {
    /// The options: a date is written in UTC (see `noon_millis`), an instant
    /// in the browser's own zone.
    fn options(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Style::ShortDate => &[
                ("year", "numeric"),
                ("month", "short"),
                ("day", "numeric"),
                ("timeZone", "UTC"),
            ],
            Style::DateTime => &[
                ("year", "numeric"),
                ("month", "short"),
                ("day", "numeric"),
                ("hour", "numeric"),
                ("minute", "2-digit"),
            ],
        }
    }

    /// Made once for a language (and, for an instant, the browser's zone
    /// as its offset from UTC now: a phone that travels gets a new one).
    fn formatter(self, lang: Lang) -> Intl::DateTimeFormat {
        type Made = Vec<((u8, Lang, i32), Intl::DateTimeFormat)>;
        thread_local! {
            static MADE: RefCell<Made> = const { RefCell::new(Vec::new()) };
        }
        let zone = match self {
            Style::DateTime => Date::new_0().get_timezone_offset() as i32,
            Style::ShortDate => 0,
        };
        let key = (self as u8, lang, zone);
        MADE.with_borrow_mut(|made| {
            if let Some((_, f)) = made.iter().find(|(k, _)| *k == key) {
                return f.clone();
            }
            let opts = Object::new();
            for (name, value) in self.options() {
                let _ = Reflect::set(&opts, &JsValue::from_str(name), &JsValue::from_str(value));
            }
            let locales = Array::of1(&JsValue::from_str(lang.tag()));
            let f = Intl::DateTimeFormat::new(&locales, &opts);
            made.push((key, f.clone()));
            f
        })
    }

    fn format(self, millis: i64, lang: Lang) -> String {
        let formatter = self.formatter(lang);
        let date = Date::new(&JsValue::from_f64(millis as f64));
        formatter
            .format()
            .call1(&formatter, &date)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
}

/// The browser's today, as the first day a change may start.
pub fn browser_today() -> NaiveDate {
    let now = Date::new_0();
    NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .unwrap_or_default()
}

/// Noon UTC of a date: formatted in UTC, it is that date in every zone.
fn noon_millis(date: NaiveDate) -> i64 {
    date.and_hms_opt(12, 0, 0)
        .map(|d| d.and_utc().timestamp_millis())
        .unwrap_or(0)
}

/// The names of the days (Monday first) and months in a language, as Intl
/// writes them in a long date.
fn names(lang: Lang) -> (&'static [&'static str; 7], &'static [&'static str; 12]) {
    #[rustfmt::skip]
    const EN: ([&str; 7], [&str; 12]) = (
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"],
    );
    #[rustfmt::skip]
    const ES: ([&str; 7], [&str; 12]) = (
        ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre"],
    );
    match lang {
        Lang::En => (&EN.0, &EN.1),
        Lang::Es => (&ES.0, &ES.1),
    }
}

/// "Friday, November 27" / "viernes, 27 de noviembre" (Intl's weekday,
/// month and day, long).
pub fn long_date(date: NaiveDate, lang: Lang) -> String {
    let (weekdays, months) = names(lang);
    let weekday = weekdays[date.weekday().num_days_from_monday() as usize];
    let month = months[date.month0() as usize];
    match lang {
        Lang::En => format!("{weekday}, {month} {}", date.day()),
        Lang::Es => format!("{weekday}, {} de {month}", date.day()),
    }
}

/// "8:00 AM" / "8:00" (Intl's numeric hour and two-digit minute).
pub fn time_of_day(time: NaiveTime, lang: Lang) -> String {
    let (hour, minute) = (time.hour(), time.minute());
    match lang {
        Lang::En => {
            let half = if hour < 12 { "AM" } else { "PM" };
            format!("{}:{minute:02} {half}", (hour + 11) % 12 + 1)
        }
        Lang::Es => format!("{hour}:{minute:02}"),
    }
}

/// "Nov 27, 2026" / "27 nov 2026".
pub fn short_date(date: NaiveDate, lang: Lang) -> String {
    Style::ShortDate.format(noon_millis(date), lang)
}

/// An instant as a date and time in the browser's zone: "Nov 27, 2026, 8:05 AM".
pub fn date_time(at: DateTime<Utc>, lang: Lang) -> String {
    Style::DateTime.format(at.timestamp_millis(), lang)
}
