mod common;

use axum::http::StatusCode;
use chrono::{NaiveDate, TimeDelta};
use common::TestApp;
use serde_json::{json, Value};

struct Maria {
    cookie: String,
    id: i64,
    today: NaiveDate,
}

async fn maria(app: &TestApp) -> Maria {
    let cookie = app.login("maria").await;
    let id = app.patient_id(&cookie, "Maria Santos").await;
    let agenda = app
        .get(&format!("/api/patients/{id}/agenda"), Some(&cookie))
        .await
        .json();
    let today = NaiveDate::parse_from_str(agenda["today"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    Maria { cookie, id, today }
}

/// The occurrence of an activity (by English title) on the last date on or before `on` that has one.
async fn occurrence(app: &TestApp, m: &Maria, title: &str, on: NaiveDate) -> Value {
    let from = on - TimeDelta::days(6);
    let agenda = app
        .get(
            &format!("/api/patients/{}/agenda?from={from}&to={on}", m.id),
            Some(&m.cookie),
        )
        .await
        .json();
    agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|i| i["title"]["en"] == title)
        .unwrap_or_else(|| panic!("no {title} in the week before {on}"))
        .clone()
}

async fn record(app: &TestApp, m: &Maria, item: &Value, reading: Value, key: &str) -> common::Reply {
    let body = json!({ "activity_id": item["activity_id"], "scheduled": item["scheduled"], "action": "done", "reading": reading });
    app.post(
        &format!("/api/patients/{}/outcomes", m.id),
        Some(&m.cookie),
        Some(key),
        &body.to_string(),
    )
    .await
}

fn weight(value: f64) -> Value {
    json!({ "metric": "weight", "value": value, "unit": "lb" })
}

#[tokio::test]
async fn a_weight_is_kept_with_its_unit_and_shown_on_the_agenda() {
    let app = TestApp::new().await;
    let m = maria(&app).await;
    let today = occurrence(&app, &m, "Weigh yourself", m.today).await;
    assert_eq!(today["metric"], "weight");
    let reply = record(&app, &m, &today, weight(182.4), "w1").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["outcome"]["reading"], weight(182.4));
    let again = occurrence(&app, &m, "Weigh yourself", m.today).await;
    assert_eq!(again["outcome"]["reading"]["value"], 182.4);
}

#[tokio::test]
async fn two_pounds_up_since_yesterday_says_call_the_care_team_and_flags_it() {
    let app = TestApp::new().await;
    let m = maria(&app).await;
    let yesterday = occurrence(&app, &m, "Weigh yourself", m.today - TimeDelta::days(1)).await;
    assert_eq!(
        record(&app, &m, &yesterday, weight(178.0), "y").await.status,
        StatusCode::OK
    );
    let today = occurrence(&app, &m, "Weigh yourself", m.today).await;
    let calm = record(&app, &m, &today, weight(179.9), "t1").await;
    assert_eq!(calm.json()["escalations"], json!([]));
    let up = record(&app, &m, &today, weight(180.0), "t2").await;
    assert_eq!(up.json()["escalations"], json!([{ "rule": "weight_gain_day" }]));
    let flags = app.store.flags(m.id).await.unwrap();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].rule, "weight_gain_day");
    assert!(flags[0].detail.starts_with("180.0 lb"), "{}", flags[0].detail);
}

#[tokio::test]
async fn very_high_blood_pressure_and_low_sugar_escalate() {
    let app = TestApp::new().await;
    let m = maria(&app).await;
    let bp = occurrence(&app, &m, "Blood pressure", m.today).await;
    let reply = record(
        &app,
        &m,
        &bp,
        json!({ "metric": "blood_pressure", "systolic": 184, "diastolic": 96 }),
        "bp",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(
        reply.json()["escalations"],
        json!([{ "rule": "very_high_blood_pressure" }])
    );
    let sugar = occurrence(&app, &m, "Fasting blood sugar", m.today).await;
    let reply = record(&app, &m, &sugar, json!({ "metric": "glucose", "mg_dl": 62 }), "g").await;
    assert_eq!(reply.json()["escalations"], json!([{ "rule": "low_glucose" }]));
    let rules: Vec<(String, String)> = app
        .store
        .flags(m.id)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.rule, format!("{:?}", f.urgency)))
        .collect();
    assert!(
        rules.contains(&("blood_pressure_180_120".into(), "Urgent".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("glucose_below_70".into(), "Soon".into())),
        "{rules:?}"
    );
}

#[tokio::test]
async fn refused_readings_say_what_to_fix_and_store_nothing() {
    let app = TestApp::new().await;
    let m = maria(&app).await;
    let scale = occurrence(&app, &m, "Weigh yourself", m.today).await;
    let before = app.store.count_outcomes(m.id).await.unwrap();
    let zero = record(&app, &m, &scale, weight(0.0), "z").await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(zero.json()["errors"][0]["field"], "reading");
    assert_eq!(zero.json()["errors"][0]["code"], "out_of_range");
    let bp = occurrence(&app, &m, "Blood pressure", m.today).await;
    let upside_down = record(
        &app,
        &m,
        &bp,
        json!({ "metric": "blood_pressure", "systolic": 80, "diastolic": 120 }),
        "u",
    )
    .await;
    assert_eq!(
        upside_down.json()["errors"][0]["code"],
        "systolic_not_above_diastolic"
    );
    let body =
        json!({ "activity_id": scale["activity_id"], "scheduled": scale["scheduled"], "action": "done" });
    let bare = app
        .post(
            &format!("/api/patients/{}/outcomes", m.id),
            Some(&m.cookie),
            Some("b"),
            &body.to_string(),
        )
        .await;
    assert_eq!(bare.json()["errors"][0]["code"], "reading_required");
    let wrong = record(
        &app,
        &m,
        &scale,
        json!({ "metric": "glucose", "mg_dl": 100 }),
        "x",
    )
    .await;
    assert_eq!(wrong.json()["errors"][0]["code"], "wrong_metric");
    assert_eq!(app.store.count_outcomes(m.id).await.unwrap(), before);
    assert!(app.store.flags(m.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn readings_are_shared_only_with_the_measurements_scope() {
    let app = TestApp::new().await;
    let m = maria(&app).await;
    let today = occurrence(&app, &m, "Weigh yourself", m.today).await;
    assert_eq!(
        record(&app, &m, &today, weight(181.0), "m1").await.status,
        StatusCode::OK
    );
    // A neighbour who may see reminders and record, but not measurements.
    let hash = tend_server::auth::hash_password("neighbour-pass").unwrap();
    let neighbour = app
        .store
        .create_account("rosa", &hash, tend_model::Role::Caregiver, "Rosa", None)
        .await
        .unwrap();
    app.store
        .create_grant(
            m.id,
            neighbour,
            &[tend_model::Scope::Reminders, tend_model::Scope::RecordOnBehalf],
            chrono::Utc::now() + TimeDelta::days(30),
        )
        .await
        .unwrap();
    let login = app
        .post(
            "/api/session",
            None,
            None,
            r#"{"username":"rosa","password":"neighbour-pass"}"#,
        )
        .await;
    let cookie = login
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let agenda = app
        .get(&format!("/api/patients/{}/agenda", m.id), Some(&cookie))
        .await
        .json();
    let seen = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["activity_id"] == today["activity_id"])
        .unwrap();
    assert_eq!(seen["outcome"]["status"], "done", "she sees that it was done");
    assert!(
        seen["outcome"].get("reading").is_none(),
        "but not the weight: {seen}"
    );
    let body = json!({ "activity_id": today["activity_id"], "scheduled": today["scheduled"], "action": "done", "reading": weight(180.0) });
    let write = app
        .post(
            &format!("/api/patients/{}/outcomes", m.id),
            Some(&cookie),
            Some("r1"),
            &body.to_string(),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_corrected_or_undone_reading_supersedes_its_flag() {
    let app = TestApp::new().await;
    let m = maria(&app).await;
    let sugar = occurrence(&app, &m, "Fasting blood sugar", m.today).await;
    let low = record(
        &app,
        &m,
        &sugar,
        json!({ "metric": "glucose", "mg_dl": 62 }),
        "low",
    )
    .await;
    assert_eq!(low.json()["escalations"], json!([{ "rule": "low_glucose" }]));
    // Re-entered under a new key (a second tap): still one open flag.
    record(
        &app,
        &m,
        &sugar,
        json!({ "metric": "glucose", "mg_dl": 62 }),
        "low-again",
    )
    .await;
    let open =
        |flags: Vec<tend_model::FlagView>| flags.into_iter().filter(|f| f.superseded_at.is_none()).count();
    assert_eq!(open(app.store.flags(m.id).await.unwrap()), 1);
    // Corrected to a normal value: nothing stays open.
    record(
        &app,
        &m,
        &sugar,
        json!({ "metric": "glucose", "mg_dl": 112 }),
        "fixed",
    )
    .await;
    assert_eq!(open(app.store.flags(m.id).await.unwrap()), 0);
    assert_eq!(
        app.store.flags(m.id).await.unwrap().len(),
        2,
        "the history of flags is kept"
    );
    // Undo supersedes too.
    record(
        &app,
        &m,
        &sugar,
        json!({ "metric": "glucose", "mg_dl": 60 }),
        "low-3",
    )
    .await;
    let undo =
        json!({ "activity_id": sugar["activity_id"], "scheduled": sugar["scheduled"], "action": "undo" });
    app.post(
        &format!("/api/patients/{}/outcomes", m.id),
        Some(&m.cookie),
        Some("undo"),
        &undo.to_string(),
    )
    .await;
    assert_eq!(open(app.store.flags(m.id).await.unwrap()), 0);
}

#[tokio::test]
async fn goal_progress_is_derived_from_readings() {
    let app = TestApp::new().await;
    let m = maria(&app).await;
    let today = occurrence(&app, &m, "Weigh yourself", m.today).await;
    record(&app, &m, &today, weight(182.4), "g1").await;
    let goals = app
        .get(&format!("/api/patients/{}/goals", m.id), Some(&m.cookie))
        .await
        .json();
    let weight_goal = goals
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["metric"] == "weight")
        .unwrap();
    assert_eq!(
        weight_goal["target"],
        json!({ "direction": "within", "value": 176.0, "band": 2.0 })
    );
    assert_eq!(weight_goal["progress"]["latest"], 182.4);
    assert_eq!(weight_goal["progress"]["on_track"], false);
    let points = weight_goal["points"].as_array().unwrap();
    assert!(points.len() > 40, "60 days of weights");
    assert_eq!(
        points.last().unwrap(),
        &json!({ "date": m.today.to_string(), "value": 182.4 })
    );
    let walk = goals
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["metric"] == "activity_minutes")
        .unwrap();
    assert!(walk["progress"]["latest"].as_f64().is_some());
    let milestone = goals
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["metric"] == "what_matters")
        .unwrap();
    assert!(milestone["progress"]["on_track"].is_null());
}
