//! Reminders on this device while the app is open: the browser's permission
//! to notify (asked for only after a tap), the person's choices kept in
//! localStorage, and the watcher that shows a notification when an item of
//! today comes due, once per occurrence and never in quiet hours.

use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::{Agenda, AgendaItem, Lang, QuietHours};
use wasm_bindgen::{JsCast, JsValue};

use crate::api;
use crate::format::time_of_day;
use crate::i18n::{texts, use_lang};
use crate::session::{use_session, SessionState};

const ENABLED_KEY: &str = "tend.reminders";
const QUIET_KEY: &str = "tend.quiet-hours";
const REMINDED_KEY: &str = "tend.reminded";
/// How often the watcher looks at the clock.
const TICK: Duration = Duration::from_secs(20);
/// How old the watcher's copy of today may get before it asks again, in ms.
const REFRESH_MS: f64 = 10.0 * 60.0 * 1000.0;

/// What the browser lets Tend do about notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// This browser has no notifications for web pages.
    Unsupported,
    /// Not asked yet.
    Ask,
    Granted,
    Denied,
}

fn supported() -> bool {
    web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &JsValue::from_str("Notification")).unwrap_or(false))
}

pub fn permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => Permission::Granted,
        web_sys::NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Ask,
    }
}

/// Asks the browser; call only from a tap, so the question comes when expected.
pub async fn request_permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    if let Ok(promise) = web_sys::Notification::request_permission() {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    permission()
}

/// The person's choices on this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceReminders {
    pub enabled: bool,
    pub quiet: Option<QuietHours>,
}

impl Default for DeviceReminders {
    fn default() -> Self {
        DeviceReminders {
            enabled: false,
            quiet: QuietHours::parse("22:00-07:00"),
        }
    }
}

fn stored(key: &str) -> Option<String> {
    crate::local_storage()?.get_item(key).ok()?
}

fn store(key: &str, value: &str) {
    if let Some(s) = crate::local_storage() {
        let _ = s.set_item(key, value);
    }
}

impl DeviceReminders {
    pub fn load() -> DeviceReminders {
        let defaults = DeviceReminders::default();
        DeviceReminders {
            enabled: stored(ENABLED_KEY).as_deref() == Some("on"),
            quiet: match stored(QUIET_KEY).as_deref() {
                None => defaults.quiet,
                Some("") => None,
                Some(text) => QuietHours::parse(text),
            },
        }
    }

    pub fn save(&self) {
        store(ENABLED_KEY, if self.enabled { "on" } else { "off" });
        store(QUIET_KEY, &self.quiet.map(|q| q.to_text()).unwrap_or_default());
    }
}

/// Puts this device's choices in context; the Settings page changes them.
pub fn provide_device_reminders() -> RwSignal<DeviceReminders> {
    let choices = RwSignal::new(DeviceReminders::load());
    provide_context(choices);
    choices
}

pub fn use_device_reminders() -> RwSignal<DeviceReminders> {
    use_context::<RwSignal<DeviceReminders>>().unwrap_or_else(|| RwSignal::new(DeviceReminders::load()))
}

/// Whether this device should watch for reminders now: they are on and a
/// patient is logged in (a caregiver or care manager is not reminded).
pub fn watcher_wanted() -> Memo<bool> {
    let session = use_session();
    let choices = use_device_reminders();
    Memo::new(move |_| {
        choices.with(|c| c.enabled)
            && session.with(|s| matches!(s, SessionState::LoggedIn(view) if view.own_patient().is_some()))
    })
}

/// Occurrence keys already reminded of, one a line.
fn reminded() -> Vec<String> {
    stored(REMINDED_KEY)
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The time of day on this device's clock, for quiet hours.
fn device_time() -> NaiveTime {
    let date = js_sys::Date::new_0();
    NaiveTime::from_hms_opt(date.get_hours(), date.get_minutes(), 0).unwrap_or_default()
}

fn notify(item: &AgendaItem, lang: Lang) {
    let t = texts(lang);
    let options = web_sys::NotificationOptions::new();
    options.set_body(&(t.reminder_body)(
        &time_of_day(item.local.time(), lang),
        item.instructions.get(lang),
    ));
    // One notification per occurrence, even if two tabs are open.
    options.set_tag(&item.key());
    options.set_lang(lang.tag());
    if let Ok(notification) = web_sys::Notification::new_with_options(item.title.get(lang), &options) {
        let focus = wasm_bindgen::closure::Closure::once_into_js(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.focus();
            }
        });
        notification.set_onclick(Some(focus.unchecked_ref()));
    }
}

/// Shows the reminders due now from `agenda`, unless quiet hours say no, and
/// remembers them so a reload does not show them again.
fn remind(agenda: &Agenda, choices: DeviceReminders, lang: Lang) {
    if choices.quiet.is_some_and(|q| q.contains(device_time())) {
        return;
    }
    let mut done = agenda.keep_reminded(&reminded());
    for item in agenda.reminders_due(now(), &done) {
        notify(item, lang);
        done.push(item.key());
    }
    store(REMINDED_KEY, &done.join("\n"));
}

/// Watches the clock while the app is open and reminds the patient of what
/// comes due today. Shows nothing on the page.
#[component]
pub fn ReminderWatcher() -> impl IntoView {
    let session = use_session();
    let choices = use_device_reminders();
    let lang = use_lang();
    // The last copy of today and when it came (ms); the watcher asks again
    // when it is old, and just before reminding, so a mark made since counts.
    let today = StoredValue::new(None::<(Agenda, f64)>);
    let busy = StoredValue::new(false);
    let tick = move || {
        let choices = choices.get_untracked();
        if !choices.enabled || busy.get_value() || permission() != Permission::Granted {
            return;
        }
        let Some(patient_id) = session.with_untracked(|s| match s {
            SessionState::LoggedIn(view) => view.own_patient().map(|p| p.id),
            _ => None,
        }) else {
            return;
        };
        let fresh = today.with_value(|t| {
            t.as_ref().is_some_and(|(agenda, at)| {
                agenda.patient_id == patient_id && js_sys::Date::now() - at < REFRESH_MS
            })
        });
        let something_due = today.with_value(|t| {
            t.as_ref()
                .is_some_and(|(agenda, _)| !agenda.reminders_due(now(), &reminded()).is_empty())
        });
        if fresh && !something_due {
            return;
        }
        busy.set_value(true);
        spawn_local(async move {
            // Offline, the last copy still reminds.
            if let Ok(agenda) = api::agenda_today(patient_id).await {
                today.set_value(Some((agenda, js_sys::Date::now())));
            }
            today.with_value(|t| {
                if let Some((agenda, _)) = t.as_ref().filter(|(a, _)| a.patient_id == patient_id) {
                    remind(agenda, choices, lang.get_untracked());
                }
            });
            busy.set_value(false);
        });
    };
    // At once when someone logs in or the choices change, then on the clock.
    Effect::new(move |_| {
        session.track();
        choices.track();
        tick();
    });
    if let Ok(handle) = set_interval_with_handle(tick, TICK) {
        on_cleanup(move || handle.clear());
    }
}
