//! What a caregiver gets from each endpoint follows the grant's scopes: the
//! API never sends what a scope does not allow.

mod common;

use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};
use common::TestApp;
use serde_json::{json, Value};

/// Maria shares exactly `scopes` with Ana from now on.
async fn share_with_ana(app: &TestApp, maria: &str, p: i64, scopes: &[&str]) {
    let grants = app
        .get(&format!("/api/patients/{p}/grants"), Some(maria))
        .await
        .json();
    let id = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["caregiver"] == "Ana" && g.get("revoked_at").is_none())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let until = (Utc::now() + TimeDelta::days(30)).date_naive();
    let reply = app
        .post(
            &format!("/api/patients/{p}/grants/{id}"),
            Some(maria),
            None,
            &json!({ "scopes": scopes, "until": until }).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

fn week(p: i64) -> String {
    let today = Utc::now().date_naive();
    format!(
        "/api/patients/{p}/agenda?from={}&to={}",
        today - TimeDelta::days(7),
        today
    )
}

#[tokio::test]
async fn measurements_alone_give_the_measurements_and_their_readings_and_nothing_else() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let full = app.get(&week(p), Some(&maria)).await.json();
    let weights_seen_by_maria = full["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["metric"] == "weight" && i["outcome"]["reading"].is_object())
        .count();
    assert!(weights_seen_by_maria > 0, "the demo has weights this week");
    assert!(full["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "medication"));

    share_with_ana(&app, &maria, p, &["measurements"]).await;
    let ana = app.login("ana").await;
    let reply = app.get(&week(p), Some(&ana)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let agenda = reply.json();
    let items = agenda["items"].as_array().unwrap();
    assert!(!items.is_empty());
    // What is measured (weight, sugar, pressure, minutes walked), and no medicine or visit.
    assert!(items.iter().all(|i| i["metric"].is_string()));
    assert!(!items
        .iter()
        .any(|i| ["medication", "appointment", "questionnaire"].contains(&i["kind"].as_str().unwrap())));
    let weights = items
        .iter()
        .filter(|i| i["metric"] == "weight" && i["outcome"]["reading"].is_object())
        .count();
    assert_eq!(weights, weights_seen_by_maria);
    // Every outcome shown is a reading; no skip and no reason is.
    assert!(items
        .iter()
        .all(|i| i["outcome"].is_null() || i["outcome"]["reading"].is_object()));
    assert!(!reply.text().contains("\"reason\""));
    // Nor the plan, the goals, or any check-in answer or score.
    for path in [
        "plan",
        "goals",
        "care-team",
        "check-ins",
        "flags",
        "responses?questionnaire=phq9",
    ] {
        let status = app
            .get(&format!("/api/patients/{p}/{path}"), Some(&ana))
            .await
            .status;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn without_measurements_no_reading_is_sent_by_the_agenda_or_the_goals() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let goals = app
        .get(&format!("/api/patients/{p}/goals"), Some(&maria))
        .await
        .json();
    let weight_goal = |goals: &Value| {
        goals
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["metric"] == "weight")
            .cloned()
            .unwrap()
    };
    assert!(!weight_goal(&goals)["points"].as_array().unwrap().is_empty());

    share_with_ana(&app, &maria, p, &["plan_goals", "reminders"]).await;
    let ana = app.login("ana").await;
    let agenda = app.get(&week(p), Some(&ana)).await;
    assert_eq!(agenda.status, StatusCode::OK);
    assert!(agenda.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["metric"] == "weight" && i["outcome"]["status"] == "done"));
    assert!(
        !agenda.text().contains("\"reading\""),
        "no reading without measurements"
    );
    let goals = app.get(&format!("/api/patients/{p}/goals"), Some(&ana)).await;
    assert_eq!(goals.status, StatusCode::OK);
    let weight = weight_goal(&goals.json());
    assert!(weight["points"].as_array().unwrap().is_empty());
    assert!(weight["progress"]["latest"].is_null());
    // Answers stay private: no check-in, response or flag.
    for path in ["check-ins", "flags", "responses?questionnaire=phq9"] {
        let status = app
            .get(&format!("/api/patients/{p}/{path}"), Some(&ana))
            .await
            .status;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }

    // The plan alone opens no agenda at all.
    share_with_ana(&app, &maria, p, &["plan_goals"]).await;
    assert_eq!(app.get(&week(p), Some(&ana)).await.status, StatusCode::FORBIDDEN);
}
