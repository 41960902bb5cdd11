//! The care manager's panel, acknowledging flags, and previews.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{Reply, TestApp};
use serde_json::{json, Value};

/// A PHQ-9 with item 9 answered: an urgent flag for the care manager.
fn phq9_item9() -> String {
    let mut answers = serde_json::Map::new();
    for i in 1..=8 {
        answers.insert(format!("phq9_{i}"), json!(1));
    }
    answers.insert("phq9_9".into(), json!(1));
    json!({ "questionnaire": "phq9", "answers": answers }).to_string()
}

async fn as_previewed(
    app: &TestApp,
    method: &str,
    path: &str,
    cookie: &str,
    account: i64,
    body: &str,
) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", format!("preview-{method}-{path}"))
        .header("tend-preview-as", account.to_string())
        .body(Body::from(body.to_owned()))
        .unwrap();
    app.send(request).await
}

async fn account_id(app: &TestApp, username: &str) -> i64 {
    let cookie = app.login(username).await;
    app.get("/api/session", Some(&cookie)).await.json()["account"]["id"]
        .as_i64()
        .unwrap()
}

fn row(panel: &Value, id: i64) -> &Value {
    panel
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .expect("patient on the panel")
}

#[tokio::test]
async fn the_panel_lists_every_patient_of_the_care_manager_with_a_new_flag_first() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let dana = app.login("dana").await;

    let before = app.get("/api/panel", Some(&dana)).await;
    assert_eq!(before.status, StatusCode::OK);
    let before = before.json();
    assert_eq!(
        before.as_array().unwrap().len(),
        42,
        "Maria, James and 40 generated patients"
    );
    assert!(row(&before, p)["open_flags"].as_array().unwrap().is_empty());
    // Maria's history gives her a week to count.
    assert!(row(&before, p)["due_7d"].as_u64().unwrap() > 0);
    assert!(row(&before, p)["done_7d"].as_u64().unwrap() <= row(&before, p)["due_7d"].as_u64().unwrap());
    assert!(row(&before, p)["next_appointment"]["title"]["en"].is_string());

    let sent = app
        .post(
            &format!("/api/patients/{p}/responses"),
            Some(&maria),
            Some("k1"),
            &phq9_item9(),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text());

    let after = app.get("/api/panel", Some(&dana)).await.json();
    assert_eq!(after[0]["id"], p, "the patient with an urgent flag comes first");
    let flags = after[0]["open_flags"].as_array().unwrap();
    assert_eq!(flags[0]["urgency"], "urgent");
    assert_eq!(after[0]["last_check_in"]["questionnaire"], "phq9");
    assert_eq!(after[0]["last_check_in"]["total"], 9);
    assert_eq!(after[0]["last_check_in"]["max"], 27);

    // Reading the panel reads every patient's record: each one's trail says so.
    let audit = app
        .get(&format!("/api/patients/{p}/audit"), Some(&maria))
        .await
        .json();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["part"] == "panel" && e["who"] == "Dana Whitfield RN"),
        "{audit}"
    );

    for (who, status) in [("maria", StatusCode::FORBIDDEN), ("ana", StatusCode::FORBIDDEN)] {
        let cookie = app.login(who).await;
        assert_eq!(app.get("/api/panel", Some(&cookie)).await.status, status, "{who}");
    }
    assert_eq!(app.get("/api/panel", None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_flag_is_acknowledged_once_with_a_note_by_the_care_manager_only() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    app.post(
        &format!("/api/patients/{p}/responses"),
        Some(&maria),
        Some("k1"),
        &phq9_item9(),
    )
    .await;
    let dana = app.login("dana").await;
    let flags = app
        .get(&format!("/api/patients/{p}/flags"), Some(&dana))
        .await
        .json();
    let flag = flags[0]["id"].as_i64().unwrap();
    let path = format!("/api/patients/{p}/flags/{flag}/acknowledgement");
    let note = json!({ "note": "Called Maria; safety plan reviewed, sees Dr. Patel tomorrow." }).to_string();

    let blank = app
        .post(
            &path,
            Some(&dana),
            Some("a0"),
            &json!({ "note": "  " }).to_string(),
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(blank.json()["errors"][0]["field"], "note");
    for who in ["maria", "ana"] {
        let cookie = app.login(who).await;
        assert_eq!(
            app.post(&path, Some(&cookie), Some("x"), &note).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }

    let first = app.post(&path, Some(&dana), Some("a1"), &note).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let first = first.json();
    assert_eq!(first["acknowledged_by"], "Dana Whitfield RN");
    assert!(first["acknowledged_at"].is_string());
    // A retry answers the same and changes nothing; another try is a conflict.
    let again = app.post(&path, Some(&dana), Some("a1"), &note).await;
    assert_eq!(again.json(), first);
    assert_eq!(
        app.post(&path, Some(&dana), Some("a2"), &note).await.status,
        StatusCode::CONFLICT
    );
    let missing = format!("/api/patients/{p}/flags/999999/acknowledgement");
    assert_eq!(
        app.post(&missing, Some(&dana), Some("a3"), &note).await.status,
        StatusCode::NOT_FOUND
    );

    let stored = app
        .get(&format!("/api/patients/{p}/flags"), Some(&dana))
        .await
        .json();
    assert_eq!(stored[0], first, "what was answered is what is stored");
    let panel = app.get("/api/panel", Some(&dana)).await.json();
    assert!(row(&panel, p)["open_flags"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_preview_answers_as_the_previewed_person_and_changes_nothing() {
    let app = TestApp::new().await;
    let maria_cookie = app.login("maria").await;
    let p = app.patient_id(&maria_cookie, "Maria Santos").await;
    let (maria, ana, luis) = (
        account_id(&app, "maria").await,
        account_id(&app, "ana").await,
        account_id(&app, "luis").await,
    );
    let dana = app.login("dana").await;

    let choices = app
        .get(&format!("/api/patients/{p}/preview-accounts"), Some(&dana))
        .await
        .json();
    let names: Vec<&str> = choices
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Maria", "Ana"],
        "the patient and caregivers with a live grant only"
    );
    for who in ["maria", "ana"] {
        let cookie = app.login(who).await;
        let status = app
            .get(&format!("/api/patients/{p}/preview-accounts"), Some(&cookie))
            .await
            .status;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }

    // As Maria: her own session, with the preview said.
    let session = as_previewed(&app, "GET", "/api/session", &dana, maria, "")
        .await
        .json();
    assert_eq!(session["account"]["username"], "maria");
    assert_eq!(session["preview"]["by"], "Dana Whitfield RN");
    let responses = as_previewed(
        &app,
        "GET",
        &format!("/api/patients/{p}/responses"),
        &dana,
        maria,
        "",
    )
    .await;
    assert_eq!(responses.status, StatusCode::OK);

    // As Ana: what Ana may see, and no more.
    let session = as_previewed(&app, "GET", "/api/session", &dana, ana, "")
        .await
        .json();
    assert_eq!(session["account"]["username"], "ana");
    let listed: Vec<i64> = session["patients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [p]);
    let answers = as_previewed(
        &app,
        "GET",
        &format!("/api/patients/{p}/responses"),
        &dana,
        ana,
        "",
    )
    .await;
    assert_eq!(
        answers.status,
        StatusCode::FORBIDDEN,
        "Ana does not see self-assessment answers"
    );
    let agenda = as_previewed(&app, "GET", &format!("/api/patients/{p}/agenda"), &dana, ana, "").await;
    assert_eq!(agenda.status, StatusCode::OK);

    // Writes are refused by the server, whoever is previewed, and nothing is stored.
    let outcomes_before = app.store.count_outcomes(p).await.unwrap();
    let today = agenda.json()["today"].as_str().unwrap().to_owned();
    let item = &agenda.json()["items"][0];
    let mark = json!({
        "activity_id": item["activity_id"],
        "scheduled": item["scheduled"],
        "action": "done",
    })
    .to_string();
    for previewed in [maria, ana] {
        let refused = as_previewed(
            &app,
            "POST",
            &format!("/api/patients/{p}/outcomes"),
            &dana,
            previewed,
            &mark,
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.json()["type"], "/problems/preview-read-only");
        let refused = as_previewed(
            &app,
            "POST",
            &format!("/api/patients/{p}/responses"),
            &dana,
            previewed,
            &phq9_item9(),
        )
        .await;
        assert_eq!(refused.json()["type"], "/problems/preview-read-only");
    }
    let logout = as_previewed(&app, "DELETE", "/api/session", &dana, maria, "").await;
    assert_eq!(
        logout.status,
        StatusCode::FORBIDDEN,
        "not even a log-out: {today}"
    );
    assert_eq!(app.store.count_outcomes(p).await.unwrap(), outcomes_before);
    assert_eq!(
        app.get("/api/panel", Some(&dana)).await.status,
        StatusCode::OK,
        "the care manager's own session goes on"
    );

    // Not Luis (revoked), not another care manager's patient, not a care manager, and not by a patient.
    assert_eq!(
        as_previewed(&app, "GET", "/api/session", &dana, luis, "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        as_previewed(&app, "GET", "/api/session", &dana, 999_999, "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let dana_id = account_id(&app, "dana").await;
    assert_eq!(
        as_previewed(&app, "GET", "/api/session", &dana, dana_id, "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let james_cookie = app.login("james").await;
    assert_eq!(
        as_previewed(&app, "GET", "/api/session", &james_cookie, maria, "")
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Maria's trail shows Dana's preview reads as previews.
    let audit = app
        .get(&format!("/api/patients/{p}/audit"), Some(&maria_cookie))
        .await
        .json();
    let previews: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["preview"] == true)
        .collect();
    assert!(!previews.is_empty(), "{audit}");
    assert!(previews.iter().all(|e| e["who"] == "Dana Whitfield RN"));
}

#[tokio::test]
async fn the_care_manager_changes_a_goal_s_numbers_words_and_status_but_not_its_kind() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let dana = app.login("dana").await;
    let goals = app
        .get(&format!("/api/patients/{p}/goals"), Some(&dana))
        .await
        .json();
    let weight = goals
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["target"]["direction"] == "within")
        .expect("a weight goal")
        .clone();
    let path = format!("/api/patients/{p}/goals/{}", weight["id"]);
    let edit = json!({
        "title": { "en": "Weight near 174 lb", "es": "Peso cerca de 174 lb" },
        "target": { "direction": "within", "value": 174.0, "band": 3.0 },
        "due_date": "2027-03-01",
        "status": "active",
    })
    .to_string();
    for who in ["maria", "ana"] {
        let cookie = app.login(who).await;
        assert_eq!(
            app.post(&path, Some(&cookie), Some("g0"), &edit).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let saved = app.post(&path, Some(&dana), Some("g1"), &edit).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    assert_eq!(saved.json()["title"]["en"], "Weight near 174 lb");
    let after = app
        .get(&format!("/api/patients/{p}/goals"), Some(&maria))
        .await
        .json();
    let now = after
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == weight["id"])
        .unwrap();
    assert_eq!(now["target"]["value"], 174.0);
    assert_eq!(now["target"]["band"], 3.0);
    assert_eq!(now["unit"], weight["unit"], "the unit stays");
    assert_eq!(now["due_date"], "2027-03-01");

    let other_kind = json!({
        "title": { "en": "Weight", "es": "Peso" },
        "target": { "direction": "below", "value": 180.0 },
        "status": "active",
    })
    .to_string();
    let refused = app.post(&path, Some(&dana), Some("g2"), &other_kind).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["errors"][0]["code"], "kind_changed");
    let missing = format!("/api/patients/{p}/goals/999999");
    assert_eq!(
        app.post(&missing, Some(&dana), Some("g3"), &edit).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_care_manager_sets_a_new_goal_whose_progress_comes_from_the_readings() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let dana = app.login("dana").await;
    let path = format!("/api/patients/{p}/goals");
    let sugar = |target: serde_json::Value, due: &str| {
        json!({
            "title": { "en": " Fasting sugar below 130 ", "es": "Azúcar en ayunas por debajo de 130" },
            "measure": "glucose",
            "target": target,
            "due_date": due,
        })
        .to_string()
    };
    let good = sugar(json!({ "direction": "below", "value": 130.0 }), "2099-01-31");
    for who in ["maria", "ana"] {
        let cookie = app.login(who).await;
        let reply = app.post(&path, Some(&cookie), Some("n0"), &good).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}");
    }
    for (body, field, code) in [
        (
            sugar(json!({ "direction": "per_week", "value": 130.0 }), "2099-01-31"),
            "target",
            "does_not_fit",
        ),
        (
            sugar(json!({ "direction": "below", "value": -4.0 }), "2099-01-31"),
            "target",
            "out_of_range",
        ),
        (
            sugar(json!({ "direction": "below", "value": 130.0 }), "2020-01-01"),
            "due_date",
            "in_past",
        ),
    ] {
        let reply = app
            .post(&path, Some(&dana), Some(&format!("n-{code}")), &body)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        assert_eq!(reply.json()["errors"][0]["field"], field);
        assert_eq!(reply.json()["errors"][0]["code"], code);
    }
    let made = app.post(&path, Some(&dana), Some("n1"), &good).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    assert_eq!(made.json()["title"]["en"], "Fasting sugar below 130");
    assert_eq!(made.json()["status"], "active");
    // Sent again, the same goal: one goal, not two.
    assert_eq!(
        app.post(&path, Some(&dana), Some("n1"), &good).await.json(),
        made.json()
    );
    let goals = app.get(&path, Some(&maria)).await.json();
    let new: Vec<&serde_json::Value> = goals
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["title"]["en"] == "Fasting sugar below 130")
        .collect();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["unit"], "mg/dL");
    assert_eq!(new[0]["metric"], "glucose");
    assert_eq!(new[0]["due_date"], "2099-01-31");
    // Maria's demo sugars are its points, and the latest says whether she is on track.
    assert!(!new[0]["points"].as_array().unwrap().is_empty(), "{}", new[0]);
    assert!(new[0]["progress"]["latest"].is_number());
    assert!(new[0]["progress"]["on_track"].is_boolean());
}

#[tokio::test]
async fn a_preview_shows_exactly_what_maria_and_ana_get_themselves() {
    let app = TestApp::new().await;
    let dana = app.login("dana").await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let ana = app.login("ana").await;
    let week = {
        let today = app
            .get(&format!("/api/patients/{p}/agenda"), Some(&maria))
            .await
            .json()["today"]
            .as_str()
            .unwrap()
            .parse::<chrono::NaiveDate>()
            .unwrap();
        format!("from={}&to={today}", today - chrono::TimeDelta::days(6))
    };
    let paths = [
        "/api/session".to_owned(),
        format!("/api/patients/{p}/agenda"),
        format!("/api/patients/{p}/agenda?{week}"),
        format!("/api/patients/{p}/plan"),
        format!("/api/patients/{p}/goals"),
        format!("/api/patients/{p}/care-team"),
        format!("/api/patients/{p}/appointments"),
        format!("/api/patients/{p}/transition"),
        format!("/api/patients/{p}/goal-requests"),
        format!("/api/patients/{p}/alerts"),
        format!("/api/patients/{p}/check-ins"),
        format!("/api/patients/{p}/responses?questionnaire=phq9"),
    ];
    for (name, own) in [("maria", &maria), ("ana", &ana)] {
        let previewed = app.get("/api/session", Some(own)).await.json()["account"]["id"]
            .as_i64()
            .unwrap();
        for path in &paths {
            let theirs = app.get(path, Some(own)).await;
            let preview = as_previewed(&app, "GET", path, &dana, previewed, "").await;
            assert_eq!(
                preview.status,
                theirs.status,
                "{path} as {name}: {}",
                preview.text()
            );
            let (mut seen, mut shown): (Value, Value) = (theirs.json(), preview.json());
            // What legitimately differs: the session says who looks through whose eyes.
            if path == "/api/session" {
                assert!(seen.get("preview").is_none());
                assert_eq!(shown["preview"]["by"], "Dana Whitfield RN");
                shown.as_object_mut().unwrap().remove("preview");
                assert_eq!(
                    seen["patients"].as_array().unwrap().len(),
                    1,
                    "{name} sees Maria only"
                );
            }
            // Problems name the request; only their content is compared.
            for answer in [&mut seen, &mut shown] {
                if let Some(problem) = answer.as_object_mut().filter(|o| o.contains_key("type")) {
                    problem.remove("instance");
                }
            }
            assert_eq!(
                shown, seen,
                "{path}: the preview as {name} differs from {name}'s own answer"
            );
        }
    }
}
