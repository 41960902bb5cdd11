//! Components in a real browser (headless Chromium): what a person sees and
//! what a tap gives out.
#![cfg(target_arch = "wasm32")]

use chrono::{NaiveDate, TimeDelta};
use leptos::prelude::*;
use tend_app::components::{AgendaItemCard, DayProgress, OfflineBanner};
use tend_app::i18n::provide_lang;
use tend_model::{
    ActivityKind, AgendaItem, Lang, LocalizedText, Metric, OutcomeAction, OutcomeRequest, OutcomeStatus,
    OutcomeView, Progress, Reading,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn metformin(outcome: Option<OutcomeView>) -> AgendaItem {
    let local = NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    AgendaItem {
        activity_id: 7,
        activity_version: 1,
        kind: ActivityKind::Medication,
        title: LocalizedText::new("Metformin 500 mg", "Metformina 500 mg"),
        instructions: LocalizedText::new("Take 1 tablet with breakfast.", "Tome 1 tableta con el desayuno."),
        metric: None,
        place: None,
        bring: None,
        lesson: None,
        scheduled: local,
        local,
        at: local.and_utc() + TimeDelta::hours(6),
        outcome,
    }
}

fn container() -> HtmlElement {
    let doc = document();
    let div: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

/// Lets Leptos run its scheduled effects.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn buttons(root: &HtmlElement) -> Vec<HtmlElement> {
    let list = root.query_selector_all("button").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn button_named(root: &HtmlElement, name: &str) -> HtmlElement {
    buttons(root)
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().starts_with(name))
        .unwrap_or_else(|| panic!("no {name} button in {}", root.inner_html()))
}

#[wasm_bindgen_test]
async fn an_open_item_shows_time_and_instructions_and_gives_out_done() {
    let root = container();
    let received = RwSignal::new(Vec::<OutcomeRequest>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AgendaItemCard
                item=metformin(None)
                me=1_i64
                saving=false
                on_change=Callback::new(move |r| received.update(|all| all.push(r)))
            />
        }
    });
    tick().await;
    let text = root.text_content().unwrap();
    assert!(text.contains("Metformin 500 mg"), "{text}");
    assert!(text.contains("8:00"), "{text}");
    assert!(text.contains("Take 1 tablet with breakfast."), "{text}");
    assert!(text.contains("Medicine"), "{text}");

    button_named(&root, "Done").click();
    let got = received.get_untracked();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].activity_id, 7);
    assert_eq!(got[0].action, OutcomeAction::Done);
    assert_eq!(got[0].reason, None);
}

#[wasm_bindgen_test]
async fn skipping_asks_for_an_optional_reason() {
    let root = container();
    let received = RwSignal::new(Vec::<OutcomeRequest>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AgendaItemCard
                item=metformin(None)
                me=1_i64
                saving=false
                on_change=Callback::new(move |r| received.update(|all| all.push(r)))
            />
        }
    });
    tick().await;
    button_named(&root, "Skip").click();
    tick().await;
    let input: web_sys::HtmlInputElement = root
        .query_selector("input")
        .unwrap()
        .expect("reason field")
        .unchecked_into();
    let label = root.query_selector("label").unwrap().unwrap();
    assert_eq!(
        label.get_attribute("for"),
        Some(input.id()),
        "the field has its label"
    );
    input.set_value("  Felt dizzy ");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    button_named(&root, "Skip it").click();
    let got = received.get_untracked();
    assert_eq!(got.len(), 1, "one change given out");
    assert_eq!(got[0].action, OutcomeAction::Skipped);
    assert_eq!(got[0].reason.as_deref(), Some("Felt dizzy"));
}

#[wasm_bindgen_test]
async fn a_marked_item_shows_who_entered_it_and_offers_undo() {
    let root = container();
    let received = RwSignal::new(Vec::<OutcomeRequest>::new());
    let done_by_ana = OutcomeView {
        status: OutcomeStatus::Done,
        reason: None,
        recorded_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
        entered_by: "Ana".into(),
        entered_by_id: 7,
        reading: None,
    };
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AgendaItemCard
                item=metformin(Some(done_by_ana.clone()))
                me=1_i64
                saving=false
                on_change=Callback::new(move |r| received.update(|all| all.push(r)))
            />
        }
    });
    tick().await;
    let text = root.text_content().unwrap();
    assert!(text.contains("Done · entered by Ana"), "{text}");
    assert!(buttons(&root)
        .iter()
        .all(|b| !b.text_content().unwrap().starts_with("Done")));
    button_named(&root, "Undo").click();
    assert_eq!(received.get_untracked()[0].action, OutcomeAction::Undo);
}

#[wasm_bindgen_test]
async fn progress_reads_in_the_chosen_language() {
    let root = container();
    let lang = RwSignal::new(Lang::En);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_lang(lang);
        view! {
            <DayProgress progress=Progress {
                done: 4,
                skipped: 1,
                total: 7,
            } />
        }
    });
    tick().await;
    assert!(root.text_content().unwrap().contains("4 of 7 done"));
    lang.set(Lang::Es);
    tick().await;
    assert!(
        root.text_content().unwrap().contains("4 de 7 hechas"),
        "{}",
        root.text_content().unwrap()
    );
}

fn blood_pressure() -> AgendaItem {
    let mut item = metformin(None);
    item.activity_id = 9;
    item.kind = ActivityKind::Measurement;
    item.title = LocalizedText::new("Blood pressure", "Presión arterial");
    item.metric = Some(Metric::BloodPressure);
    item
}

fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_measurement_refuses_impossible_values_and_keeps_what_was_typed() {
    let root = container();
    let received = RwSignal::new(Vec::<OutcomeRequest>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AgendaItemCard
                item=blood_pressure()
                me=1_i64
                saving=false
                on_change=Callback::new(move |r| received.update(|all| all.push(r)))
            />
        }
    });
    tick().await;
    let inputs = root.query_selector_all("input").unwrap();
    assert_eq!(inputs.length(), 2, "systolic and diastolic");
    let top: web_sys::HtmlInputElement = inputs.item(0).unwrap().unchecked_into();
    let bottom: web_sys::HtmlInputElement = inputs.item(1).unwrap().unchecked_into();
    for input in [&top, &bottom] {
        let label = root
            .query_selector(&format!("label[for='{}']", input.id()))
            .unwrap();
        assert!(label.is_some(), "every field has its label");
    }
    type_into(&top, "80");
    type_into(&bottom, "120");
    button_named(&root, "Save").click();
    tick().await;
    let text = root.text_content().unwrap();
    assert!(
        text.contains("The top number (systolic) must be higher than the bottom number (diastolic)."),
        "{text}"
    );
    assert_eq!(top.value(), "80", "what was typed stays");
    assert_eq!(bottom.value(), "120");
    assert_eq!(top.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(received.get_untracked().is_empty(), "nothing given out");

    type_into(&top, "abc");
    button_named(&root, "Save").click();
    tick().await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("Enter a whole number, like 120."));

    type_into(&top, "128");
    type_into(&bottom, "82");
    button_named(&root, "Save").click();
    let got = received.get_untracked();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].action, OutcomeAction::Done);
    assert_eq!(
        got[0].reading,
        Some(Reading::BloodPressure {
            systolic: 128,
            diastolic: 82
        })
    );
}

fn refused_mark(outcome: OutcomeAction) -> tend_model::PendingChange {
    let item = metformin(None);
    tend_model::PendingChange {
        key: "k-1".into(),
        seq: 1,
        account_id: 1,
        patient_id: 7,
        made_at: item.at,
        title: item.title.clone(),
        change: tend_model::Change::Outcome(OutcomeRequest {
            activity_id: item.activity_id,
            scheduled: item.scheduled,
            action: outcome,
            reason: None,
            reading: Some(Reading::Glucose { mg_dl: 112 }),
        }),
        body: "{}".into(),
        device_score: None,
        refused: Some(tend_model::Problem {
            kind: tend_model::problem::types::VALIDATION.into(),
            title: "Invalid".into(),
            status: 422,
            detail: None,
            errors: vec![tend_model::FieldError {
                field: "scheduled".into(),
                code: "not_scheduled".into(),
                message: "This activity is not scheduled at that time.".into(),
            }],
        }),
    }
}

#[wasm_bindgen_test]
async fn the_outbox_banner_says_offline_what_waits_and_what_was_refused() {
    let root = container();
    let offline = RwSignal::new(true);
    let waiting = RwSignal::new(2_usize);
    // A check-in refused while it waited shows the score the device gave it.
    let check_in = tend_model::PendingChange {
        key: "k-2".into(),
        title: LocalizedText::new("Mood check (PHQ-9)", "Estado de ánimo (PHQ-9)"),
        change: tend_model::Change::Response(tend_model::ResponseRequest {
            questionnaire: tend_model::QuestionnaireId::Phq9,
            answers: Default::default(),
        }),
        device_score: Some((9, 27)),
        ..refused_mark(OutcomeAction::Done)
    };
    let refused = RwSignal::new(vec![refused_mark(OutcomeAction::Done), check_in]);
    let events = RwSignal::new(Vec::<String>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <OfflineBanner
                offline=offline
                waiting=waiting
                refused=refused
                on_send_now=Callback::new(move |()| events.update(|e| e.push("send".into())))
                on_retry=Callback::new(move |key: String| events.update(|e| e.push(format!("retry {key}"))))
                on_dismiss=Callback::new(move |key: String| events.update(|e| e.push(format!("dismiss {key}"))))
            />
        }
    });
    tick().await;
    let status = root
        .query_selector("[role=status]")
        .unwrap()
        .expect("a status region");
    let said = status.text_content().unwrap();
    assert!(said.contains("You are offline."), "{said}");
    assert!(said.contains("2 changes are waiting to be sent."), "{said}");
    let text = root.text_content().unwrap();
    assert!(
        text.contains("Not saved: Metformin 500 mg at 8:00 AM, Done: 112 mg/dL"),
        "what was entered: {text}"
    );
    assert!(
        text.contains("This item is no longer in your plan at that time."),
        "why: {text}"
    );
    assert!(
        text.contains("Not saved: Mood check (PHQ-9) of ") && text.contains(", score 9 of 27"),
        "the check-in: {text}"
    );
    button_named(&root, "Send now").click();
    button_named(&root, "Try again").click();
    button_named(&root, "Dismiss").click();
    assert_eq!(events.get_untracked(), ["send", "retry k-1", "dismiss k-1"]);

    // All sent: the status region stays, empty, so what comes next is announced.
    offline.set(false);
    waiting.set(1);
    refused.set(Vec::new());
    tick().await;
    assert_eq!(status.text_content().unwrap(), "1 change is waiting to be sent.");
    waiting.set(0);
    tick().await;
    assert_eq!(status.text_content().unwrap(), "");
    assert!(
        root.query_selector("button").unwrap().is_none(),
        "{}",
        root.inner_html()
    );
}

/// The router's site-map matching: segment by segment, `:name` taking one
/// non-empty segment, decoded; nothing longer or shorter matches.
#[wasm_bindgen_test]
fn addresses_match_their_route_and_nothing_else() {
    use tend_app::router::match_path;
    type Params = &'static [(&'static str, &'static str)];
    let cases: &[(&str, &str, Option<Params>)] = &[
        ("/", "/", Some(&[])),
        ("/login", "/login", Some(&[])),
        ("/login", "/login/", None),
        ("/patients/:p/today", "/patients/12/today", Some(&[("p", "12")])),
        ("/patients/:p/today", "/patients//today", None),
        ("/patients/:p/today", "/patients/12/today/x", None),
        ("/patients/:p/goals", "/patients/12/goals/3", None),
        (
            "/patients/:p/goals/:g",
            "/patients/12/goals/3",
            Some(&[("p", "12"), ("g", "3")]),
        ),
        ("/invite/:code", "/invite/AB%20CD", Some(&[("code", "AB CD")])),
        ("/lessons/:slug", "/lessons", None),
    ];
    for (pattern, path, want) in cases {
        let got = match_path(pattern, path);
        match want {
            None => assert!(got.is_none(), "{pattern} should not match {path}"),
            Some(pairs) => {
                let got = got.unwrap_or_else(|| panic!("{pattern} should match {path}"));
                for (key, value) in pairs.iter() {
                    assert_eq!(got.get(key).as_deref(), Some(*value), "{pattern} {path} {key}");
                }
                assert_eq!(got.get("other"), None);
            }
        }
    }
}

/// A trailing slash leads where the address without it does.
#[wasm_bindgen_test]
fn a_trailing_slash_finds_the_same_route() {
    use tend_app::router::{find_route, Route};
    let routes = [
        Route::now("/", || ().into_any()),
        Route::now("/settings", || ().into_any()),
        Route::now("/patients/:p/today", || ().into_any()),
    ];
    let found = |path: &str| find_route(&routes, path).map(|(i, params)| (i, params.get("p")));
    assert_eq!(found("/"), Some((0, None)));
    assert_eq!(found("/settings"), Some((1, None)));
    assert_eq!(found("/settings/"), Some((1, None)));
    assert_eq!(found("/patients/4/today/"), Some((2, Some("4".to_owned()))));
    assert_eq!(found("/settings/x"), None);
    assert_eq!(found("/nowhere"), None);
}

#[wasm_bindgen_test]
fn a_query_and_an_address_are_read_as_the_browser_writes_them() {
    use tend_app::router::{Address, ParamsMap};
    let query = ParamsMap::from_query("?next=%2Finvite%2FAB12&week=2026-11-30&empty=&plus=a+b");
    assert_eq!(query.get("next").as_deref(), Some("/invite/AB12"));
    assert_eq!(query.get("week").as_deref(), Some("2026-11-30"));
    assert_eq!(query.get("empty").as_deref(), Some(""));
    assert_eq!(query.get("plus").as_deref(), Some("a b"));
    assert_eq!(query.get("missing"), None);
    assert_eq!(ParamsMap::from_query(""), ParamsMap::default());
    let address = Address::parse("/patients/3/goals?x=1#taking-part");
    assert_eq!(
        (
            address.path.as_str(),
            address.query.as_str(),
            address.fragment.as_str()
        ),
        ("/patients/3/goals", "?x=1", "#taking-part")
    );
    let bare = Address::parse("/login");
    assert_eq!(
        (bare.path.as_str(), bare.query.as_str(), bare.fragment.as_str()),
        ("/login", "", "")
    );
}

/// A link is current on its own page and the pages under it, as the
/// patient's section links need (`aria-current="page"`).
#[wasm_bindgen_test]
fn a_link_is_current_on_its_page_and_below_it() {
    use tend_app::router::is_current;
    assert!(is_current("/", "/"));
    assert!(!is_current("/", "/patients/1/today"));
    assert!(is_current("/patients/1/goals", "/patients/1/goals"));
    assert!(is_current("/patients/1/goals", "/patients/1/goals/3"));
    assert!(!is_current("/patients/1/goals", "/patients/1/go"));
    assert!(!is_current("/patients/1/goals", "/patients/1"));
    assert!(!is_current("/patients/1/goals", "/patients/2/goals"));
    assert!(!is_current("/patients/1/goals#taking-part", "/patients/1/goals"));
}

/// Intl's own text for a date or a time (UTC, as `tend_app::format` writes
/// them): what Today's formats, written without Intl, must equal.
fn intl(lang: Lang, millis: f64, options: &[(&str, &str)]) -> String {
    let opts = js_sys::Object::new();
    for (name, value) in options.iter().chain(&[("timeZone", "UTC")]) {
        js_sys::Reflect::set(&opts, &(*name).into(), &(*value).into()).unwrap();
    }
    let formatter = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&lang.tag().into()), &opts);
    formatter
        .format()
        .call1(&formatter, &js_sys::Date::new(&millis.into()))
        .unwrap()
        .as_string()
        .unwrap()
}

/// Today's times and long dates are written without Intl (its first use
/// costs the page a long task), and exactly as Intl writes them: every
/// minute of a day and every day of three years, in both languages.
#[wasm_bindgen_test]
fn todays_dates_and_times_read_as_intl_writes_them() {
    use tend_app::format::{long_date, time_of_day};
    for lang in [Lang::En, Lang::Es] {
        let hour_minute = [("hour", "numeric"), ("minute", "2-digit")];
        for minute in 0..24 * 60 {
            let time = chrono::NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap();
            let expected = intl(lang, f64::from(minute) * 60_000.0, &hour_minute);
            assert_eq!(time_of_day(time, lang), expected, "{lang:?} {time}");
        }
        let long = [("weekday", "long"), ("month", "long"), ("day", "numeric")];
        let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for day in first.iter_days().take(3 * 365 + 1) {
            let noon = day.and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp_millis();
            assert_eq!(
                long_date(day, lang),
                intl(lang, noon as f64, &long),
                "{lang:?} {day}"
            );
        }
    }
}
