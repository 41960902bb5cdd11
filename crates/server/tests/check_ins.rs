mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

fn phq9(item9: u8, others: u8) -> Value {
    let mut answers = serde_json::Map::new();
    for i in 1..=8 {
        answers.insert(format!("phq9_{i}"), json!(others));
    }
    answers.insert("phq9_9".into(), json!(item9));
    json!({ "questionnaire": "phq9", "answers": answers })
}

fn gad7(total: u8) -> Value {
    let mut answers = serde_json::Map::new();
    let mut left = total;
    for i in 1..=7 {
        let value = left.min(3);
        answers.insert(format!("gad7_{i}"), json!(value));
        left -= value;
    }
    json!({ "questionnaire": "gad7", "answers": answers })
}

async fn maria(app: &TestApp) -> (String, i64) {
    let cookie = app.login("maria").await;
    let id = app.patient_id(&cookie, "Maria Santos").await;
    (cookie, id)
}

#[tokio::test]
async fn questionnaires_are_published_with_items_and_options_in_both_languages() {
    let app = TestApp::new().await;
    let list = app.get("/api/questionnaires", None).await.json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["phq9", "gad7", "hf_symptoms", "social_needs"]);
    let phq = &list[0];
    assert_eq!(
        phq["items"].as_array().unwrap().len(),
        10,
        "nine items and the difficulty item"
    );
    assert_eq!(
        phq["items"][8]["text"]["en"],
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    );
    assert_eq!(phq["items"][0]["options"][1]["label"]["es"], "Varios días");
}

#[tokio::test]
async fn item_nine_brings_crisis_resources_and_an_urgent_flag() {
    let app = TestApp::new().await;
    let (cookie, p) = maria(&app).await;
    let reply = app
        .post(
            &format!("/api/patients/{p}/responses"),
            Some(&cookie),
            Some("r1"),
            &phq9(1, 0).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["crisis_resources"], true);
    assert_eq!(body["total"], 1);
    assert_eq!(body["band"], "minimal");
    let dana = app.login("dana").await;
    let flags = app
        .get(&format!("/api/patients/{p}/flags"), Some(&dana))
        .await
        .json();
    assert_eq!(flags[0]["rule"], "phq9_item9");
    assert_eq!(flags[0]["urgency"], "urgent");
    assert!(flags[0]["detail"].as_str().unwrap().contains("item 9"));
}

#[tokio::test]
async fn the_server_scores_and_never_trusts_a_sent_score() {
    let app = TestApp::new().await;
    let (cookie, p) = maria(&app).await;
    let mut body = phq9(0, 2);
    body["total"] = json!(0);
    body["band"] = json!("minimal");
    let reply = app
        .post(
            &format!("/api/patients/{p}/responses"),
            Some(&cookie),
            Some("r2"),
            &body.to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["total"], 16);
    assert_eq!(reply.json()["band"], "moderately_severe");
    assert_eq!(reply.json()["crisis_resources"], false);
}

#[tokio::test]
async fn severe_scores_raise_flags_and_show_in_history() {
    let app = TestApp::new().await;
    let (cookie, p) = maria(&app).await;
    let before = app
        .get(
            &format!("/api/patients/{p}/responses?questionnaire=gad7"),
            Some(&cookie),
        )
        .await
        .json();
    let reply = app
        .post(
            &format!("/api/patients/{p}/responses"),
            Some(&cookie),
            Some("g1"),
            &gad7(16).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.json()["band"], "severe");
    let history = app
        .get(
            &format!("/api/patients/{p}/responses?questionnaire=gad7"),
            Some(&cookie),
        )
        .await
        .json();
    assert_eq!(
        history.as_array().unwrap().len(),
        before.as_array().unwrap().len() + 1
    );
    assert_eq!(history.as_array().unwrap().last().unwrap()["total"], 16);
    assert!(history
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["questionnaire"] == "gad7"));
    let flags = app
        .get(&format!("/api/patients/{p}/flags"), Some(&cookie))
        .await
        .json();
    assert_eq!(flags[0]["rule"], "severe_score");
    assert_eq!(flags[0]["urgency"], "soon");

    let below = app
        .post(
            &format!("/api/patients/{p}/responses"),
            Some(&cookie),
            Some("g2"),
            &gad7(14).to_string(),
        )
        .await;
    assert_eq!(below.json()["escalations"], json!([]));
    let flags_after = app
        .get(&format!("/api/patients/{p}/flags"), Some(&cookie))
        .await
        .json();
    assert_eq!(
        flags_after.as_array().unwrap().len(),
        flags.as_array().unwrap().len(),
        "14 raises no flag"
    );
}

#[tokio::test]
async fn incomplete_and_out_of_range_answers_are_refused_item_by_item() {
    let app = TestApp::new().await;
    let (cookie, p) = maria(&app).await;
    let path = format!("/api/patients/{p}/responses");
    let mut incomplete = gad7(3);
    incomplete["answers"].as_object_mut().unwrap().remove("gad7_4");
    incomplete["answers"].as_object_mut().unwrap().remove("gad7_6");
    let reply = app
        .post(&path, Some(&cookie), Some("bad1"), &incomplete.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = reply.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, ["answers.gad7_4:missing", "answers.gad7_6:missing"]);

    let mut out_of_range = gad7(3);
    out_of_range["answers"]["gad7_1"] = json!(7);
    let reply = app
        .post(&path, Some(&cookie), Some("bad2"), &out_of_range.to_string())
        .await;
    assert_eq!(reply.json()["errors"][0]["code"], "out_of_range");

    let unknown = json!({ "questionnaire": "phq99", "answers": {} });
    let reply = app
        .post(&path, Some(&cookie), Some("bad3"), &unknown.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.store.flags(p).await.unwrap().len(),
        0,
        "nothing stored, nothing flagged"
    );
}

#[tokio::test]
async fn a_retried_check_in_is_stored_once() {
    let app = TestApp::new().await;
    let (cookie, p) = maria(&app).await;
    let path = format!("/api/patients/{p}/responses");
    let before = app.store.count_responses(p).await.unwrap();
    let body = phq9(0, 1).to_string();
    let first = app.post(&path, Some(&cookie), Some("same"), &body).await;
    let second = app.post(&path, Some(&cookie), Some("same"), &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(first.body, second.body);
    assert_eq!(app.store.count_responses(p).await.unwrap(), before + 1);
    let other = app
        .post(&path, Some(&cookie), Some("same"), &phq9(0, 2).to_string())
        .await;
    assert_eq!(other.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn mental_health_answers_stay_private_unless_shared() {
    let app = TestApp::new().await;
    let (_, p) = maria(&app).await;
    let ana = app.login("ana").await;
    for path in [
        format!("/api/patients/{p}/responses"),
        format!("/api/patients/{p}/flags"),
        format!("/api/patients/{p}/check-ins"),
    ] {
        assert_eq!(
            app.get(&path, Some(&ana)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let write = app
        .post(
            &format!("/api/patients/{p}/responses"),
            Some(&ana),
            Some("a1"),
            &phq9(0, 0).to_string(),
        )
        .await;
    assert_eq!(
        write.status,
        StatusCode::FORBIDDEN,
        "Ana may record, but not see answers"
    );
    let james = app.login("james").await;
    assert_eq!(
        app.get(&format!("/api/patients/{p}/responses"), Some(&james))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let dana = app.login("dana").await;
    assert_eq!(
        app.get(&format!("/api/patients/{p}/responses"), Some(&dana))
            .await
            .status,
        StatusCode::OK
    );
    let dana_write = app
        .post(
            &format!("/api/patients/{p}/responses"),
            Some(&dana),
            Some("d1"),
            &phq9(0, 0).to_string(),
        )
        .await;
    assert_eq!(dana_write.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/patients/1/check-ins", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn check_ins_come_from_the_plan_with_history_and_due_dates() {
    let app = TestApp::new().await;
    let (cookie, p) = maria(&app).await;
    let list = app
        .get(&format!("/api/patients/{p}/check-ins"), Some(&cookie))
        .await
        .json();
    let list = list.as_array().unwrap();
    let names: Vec<&str> = list
        .iter()
        .map(|s| s["questionnaire"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"phq9") && names.contains(&"gad7"), "{names:?}");
    let phq = list.iter().find(|s| s["questionnaire"] == "phq9").unwrap();
    assert!(
        phq["last"]["total"].is_number(),
        "60 days of history include PHQ-9 results"
    );
    assert!(phq["next_due"].is_string());
    let history = app
        .get(
            &format!("/api/patients/{p}/responses?questionnaire=phq9"),
            Some(&cookie),
        )
        .await
        .json();
    assert!(history.as_array().unwrap().len() >= 4);

    // The demo leaves yesterday's PHQ-9 unanswered; answering it clears it.
    assert_eq!(phq["due"], true, "{phq}");
    assert!(phq["due_since"].is_string());
    app.post(
        &format!("/api/patients/{p}/responses"),
        Some(&cookie),
        Some("due"),
        &phq9(0, 0).to_string(),
    )
    .await;
    let after = app
        .get(&format!("/api/patients/{p}/check-ins"), Some(&cookie))
        .await
        .json();
    let phq_after = after
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["questionnaire"] == "phq9")
        .unwrap()
        .clone();
    assert_eq!(phq_after["due"], false);
    assert_eq!(phq_after["last"]["total"], 0);
}

#[tokio::test]
async fn heart_symptoms_and_social_needs_raise_their_own_flags() {
    let app = TestApp::new().await;
    let (cookie, p) = maria(&app).await;
    let path = format!("/api/patients/{p}/responses");
    let hf = json!({ "questionnaire": "hf_symptoms", "answers": {
        "hf_breath": 0, "hf_swelling": 1, "hf_sleep": 0, "hf_dizzy": 0, "hf_weight": 1 } });
    let reply = app.post(&path, Some(&cookie), Some("hf"), &hf.to_string()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["band"], "yellow_zone");
    let social = json!({ "questionnaire": "social_needs", "answers": {
        "sn_housing": 0, "sn_food": 0, "sn_transport": 1, "sn_utilities": 0, "sn_safety": 0 } });
    let reply = app
        .post(&path, Some(&cookie), Some("sn"), &social.to_string())
        .await;
    assert_eq!(
        reply.json()["escalations"],
        json!([{ "rule": "social_need", "need": "transport" }])
    );
    let rules: Vec<String> = app
        .store
        .flags(p)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, ["social_need_transport", "hf_yellow_zone"]);
    let list = app
        .get(&format!("/api/patients/{p}/check-ins"), Some(&cookie))
        .await
        .json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["questionnaire"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"hf_symptoms") && names.contains(&"social_needs"),
        "{names:?}"
    );
}
