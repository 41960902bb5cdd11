//! Dates and times in the person's language, through the browser's Intl.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use js_sys::{Array, Date, Intl, Object, Reflect};
use tend_model::Lang;
use wasm_bindgen::JsValue;

fn format_utc(millis: i64, lang: Lang, options: &[(&str, &str)]) -> String {
    let mut with_zone = options.to_vec();
    with_zone.push(("timeZone", "UTC"));
    format_millis(millis, lang, &with_zone)
}

/// Formats an instant; without a `timeZone` option, in the browser's own zone.
fn format_millis(millis: i64, lang: Lang, options: &[(&str, &str)]) -> String {
    let opts = Object::new();
    for (key, value) in options {
        let _ = Reflect::set(&opts, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    let locales = Array::of1(&JsValue::from_str(lang.tag()));
    let formatter = Intl::DateTimeFormat::new(&locales, &opts);
    let date = Date::new(&JsValue::from_f64(millis as f64));
    formatter
        .format()
        .call1(&formatter, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
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

/// "Friday, November 27" / "viernes, 27 de noviembre".
pub fn long_date(date: NaiveDate, lang: Lang) -> String {
    let millis = noon_millis(date);
    format_utc(
        millis,
        lang,
        &[("weekday", "long"), ("month", "long"), ("day", "numeric")],
    )
}

/// "8:00 AM" / "8:00".
pub fn time_of_day(time: NaiveTime, lang: Lang) -> String {
    let millis = NaiveDate::default().and_time(time).and_utc().timestamp_millis();
    format_utc(millis, lang, &[("hour", "numeric"), ("minute", "2-digit")])
}

/// "Nov 27, 2026" / "27 nov 2026".
pub fn short_date(date: NaiveDate, lang: Lang) -> String {
    let millis = noon_millis(date);
    format_utc(
        millis,
        lang,
        &[("year", "numeric"), ("month", "short"), ("day", "numeric")],
    )
}

/// An instant as a date and time in the browser's zone: "Nov 27, 2026, 8:05 AM".
pub fn date_time(at: DateTime<Utc>, lang: Lang) -> String {
    format_millis(
        at.timestamp_millis(),
        lang,
        &[
            ("year", "numeric"),
            ("month", "short"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
        ],
    )
}
