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

#[tokio::test]
async fn an_unmarked_medicine_alerts_the_caregivers_after_the_hours_maria_chose() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let ana = app.login("ana").await;
    let alerts = |cookie: String| {
        let app = &app;
        async move { app.get(&format!("/api/patients/{p}/alerts"), Some(&cookie)).await }
    };
    // Off until Maria chooses.
    let off = alerts(ana.clone()).await;
    assert_eq!(off.status, StatusCode::OK);
    assert!(off.json()["missed_medicines"].as_array().unwrap().is_empty());
    assert!(off.json()["missed_medicine_hours"].is_null());

    let choose = |hours: Value, key: &'static str| {
        let (app, maria) = (&app, maria.clone());
        async move {
            app.post(
                &format!("/api/patients/{p}/caregiver-alerts"),
                Some(&maria),
                Some(key),
                &json!({ "missed_medicine_hours": hours }).to_string(),
            )
            .await
        }
    };
    assert_eq!(
        choose(json!(0), "h0").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        choose(json!(25), "h25").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let set = choose(json!(1), "h1").await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    let read = app
        .get(&format!("/api/patients/{p}/caregiver-alerts"), Some(&maria))
        .await;
    assert_eq!(read.json()["missed_medicine_hours"], 1);
    // Only Maria chooses.
    let by_ana = app
        .post(
            &format!("/api/patients/{p}/caregiver-alerts"),
            Some(&ana),
            Some("a"),
            r#"{"missed_medicine_hours":2}"#,
        )
        .await;
    assert_eq!(by_ana.status, StatusCode::FORBIDDEN);

    // Yesterday evening's metformin, where Maria lives, left unmarked.
    let today: chrono::NaiveDate = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&maria))
        .await
        .json()["today"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let yesterday = today - TimeDelta::days(1);
    let agenda = app
        .get(
            &format!("/api/patients/{p}/agenda?from={yesterday}&to={yesterday}"),
            Some(&maria),
        )
        .await
        .json();
    let dose = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["title"]["en"] == "Metformin 500 mg" && i["local"].as_str().unwrap().ends_with("T20:00:00")
        })
        .unwrap()
        .clone();
    let mark = |action: &str, key: &str| {
        let body =
            json!({ "activity_id": dose["activity_id"], "scheduled": dose["scheduled"], "action": action })
                .to_string();
        let (app, maria, key) = (&app, maria.clone(), key.to_owned());
        async move {
            let reply = app
                .post(
                    &format!("/api/patients/{p}/outcomes"),
                    Some(&maria),
                    Some(&key),
                    &body,
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        }
    };
    mark("undo", "undo-evening").await;
    let now = alerts(ana.clone()).await.json();
    assert_eq!(now["missed_medicine_hours"], 1);
    let missed = now["missed_medicines"].as_array().unwrap();
    let evening = missed
        .iter()
        .find(|m| m["activity_id"] == dose["activity_id"] && m["local"] == dose["local"])
        .unwrap_or_else(|| panic!("yesterday's evening metformin not in {missed:?}"));
    assert_eq!(evening["title"]["en"], "Metformin 500 mg");
    assert_eq!(evening["at"], dose["at"]);
    // Medicines only.
    assert!(missed.iter().all(|m| m["title"]["en"] != "Weigh yourself"));

    // Marked (here by Maria), it no longer alerts.
    mark("done", "done-evening").await;
    let after = alerts(ana.clone()).await.json();
    assert!(!after["missed_medicines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["activity_id"] == dose["activity_id"] && m["local"] == dose["local"]));

    // Turned off, nothing alerts; a caregiver without the reminders gets none at all.
    assert_eq!(choose(Value::Null, "off").await.status, StatusCode::OK);
    mark("undo", "undo-again").await;
    assert!(alerts(ana.clone()).await.json()["missed_medicines"]
        .as_array()
        .unwrap()
        .is_empty());
    share_with_ana(&app, &maria, p, &["measurements"]).await;
    assert_eq!(alerts(ana.clone()).await.status, StatusCode::FORBIDDEN);
    let luis = app.login("luis").await;
    assert_eq!(alerts(luis).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_check_in_ana_fills_for_maria_says_she_entered_it_to_maria_and_to_dana() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    // Filling a check-in for Maria needs both: may record, and sees the answers.
    share_with_ana(&app, &maria, p, &["record_on_behalf", "assessments"]).await;
    let ana = app.login("ana").await;
    let ana_id = app.get("/api/session", Some(&ana)).await.json()["account"]["id"]
        .as_i64()
        .unwrap();
    let maria_id = app.get("/api/session", Some(&maria)).await.json()["account"]["id"]
        .as_i64()
        .unwrap();
    let answers: serde_json::Map<String, Value> = (1..=7).map(|i| (format!("gad7_{i}"), json!(1))).collect();
    let reply = app
        .post(
            &format!("/api/patients/{p}/responses"),
            Some(&ana),
            Some("ana-fills-gad7"),
            &json!({ "questionnaire": "gad7", "answers": answers }).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["entered_by"], "Ana");
    assert_eq!(reply.json()["entered_by_id"], ana_id);

    let dana = app.login("dana").await;
    for (who, cookie) in [("maria", &maria), ("dana", &dana), ("ana", &ana)] {
        let history = app
            .get(
                &format!("/api/patients/{p}/responses?questionnaire=gad7"),
                Some(cookie),
            )
            .await;
        assert_eq!(history.status, StatusCode::OK, "{who}: {}", history.text());
        let history = history.json();
        let list = history.as_array().unwrap();
        let newest = list.last().unwrap();
        assert_eq!(newest["entered_by"], "Ana", "as {who}");
        assert_eq!(newest["entered_by_id"], ana_id, "as {who}");
        // Maria's own check-ins of the demo say they are hers, by id.
        let own = list.iter().find(|r| r["entered_by"] == "Maria").unwrap();
        assert_eq!(own["entered_by_id"], maria_id, "as {who}");
    }
}

#[tokio::test]
async fn a_later_last_day_extends_a_live_grant_and_an_ended_one_is_shared_again_only_by_a_new_invitation() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let ana = app.login("ana").await;
    let ana_id = app.get("/api/session", Some(&ana)).await.json()["account"]["id"]
        .as_i64()
        .unwrap();
    let grants = app
        .get(&format!("/api/patients/{p}/grants"), Some(&maria))
        .await
        .json();
    let grant = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["caregiver"] == "Ana" && g.get("revoked_at").is_none())
        .unwrap()
        .clone();
    let id = grant["id"].as_i64().unwrap();
    let old_end: chrono::DateTime<Utc> = grant["expires_at"].as_str().unwrap().parse().unwrap();
    let old_until: chrono::NaiveDate = grant["until"].as_str().unwrap().parse().unwrap();
    // The last day is Maria's day: it ends at midnight where she lives (Chicago).
    assert_eq!(
        (old_end - TimeDelta::seconds(1))
            .with_timezone(&chrono_tz::America::Chicago)
            .date_naive(),
        old_until
    );

    let later = old_until + TimeDelta::days(200);
    let reply = app
        .post(
            &format!("/api/patients/{p}/grants/{id}"),
            Some(&maria),
            None,
            &json!({ "scopes": grant["scopes"], "until": later }).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let extended = reply.json();
    assert_eq!(extended["until"], json!(later));
    let new_end: chrono::DateTime<Utc> = extended["expires_at"].as_str().unwrap().parse().unwrap();
    let midnight_after = later.succ_opt().unwrap().and_hms_opt(0, 0, 0).unwrap();
    let expected_end = chrono::TimeZone::from_local_datetime(&chrono_tz::America::Chicago, &midnight_after)
        .single()
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(new_end, expected_end, "{old_end} -> {new_end}");
    assert_eq!(extended["scopes"], grant["scopes"]);
    // Stored, as the next read says; and Ana is let in past the old end, not past the new one.
    let stored = app
        .get(&format!("/api/patients/{p}/grants"), Some(&maria))
        .await
        .json();
    let stored = stored
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(stored["expires_at"], extended["expires_at"]);
    let at = |instant| app.store.active_grant(ana_id, p, instant);
    assert!(at(old_end + TimeDelta::days(1)).await.unwrap().is_some());
    assert!(at(new_end - TimeDelta::seconds(1)).await.unwrap().is_some());
    assert!(at(new_end).await.unwrap().is_none());
    // Her session says the new last day, where Maria lives.
    let session = app.get("/api/session", Some(&ana)).await.json();
    assert_eq!(session["patients"][0]["last_day"], json!(later));

    // An ended grant stays ended: sharing again goes through a new invitation.
    let revoked = app
        .send(
            axum::http::Request::delete(format!("/api/patients/{p}/grants/{id}"))
                .header("cookie", &maria)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let again = app
        .post(
            &format!("/api/patients/{p}/grants/{id}"),
            Some(&maria),
            None,
            &json!({ "scopes": ["reminders"], "until": later }).to_string(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.text());
    let expired_id = app
        .store
        .create_account("eve", "not-a-hash", tend_model::Role::Caregiver, "Eve", None)
        .await
        .unwrap();
    app.store
        .create_grant(
            p,
            expired_id,
            &[tend_model::Scope::Reminders],
            Utc::now() - TimeDelta::days(1),
        )
        .await
        .unwrap();
    let grants = app
        .get(&format!("/api/patients/{p}/grants"), Some(&maria))
        .await
        .json();
    let eve = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["caregiver"] == "Eve")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let renew = app
        .post(
            &format!("/api/patients/{p}/grants/{eve}"),
            Some(&maria),
            None,
            &json!({ "scopes": ["reminders"], "until": later }).to_string(),
        )
        .await;
    assert_eq!(renew.status, StatusCode::NOT_FOUND, "{}", renew.text());
}
