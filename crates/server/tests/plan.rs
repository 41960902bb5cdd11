//! Appointments and referrals followed until their loop closes, and lessons.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

fn by_title<'a>(list: &'a Value, title: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"]["en"] == title)
        .unwrap_or_else(|| panic!("{title} missing"))
}

fn statuses(event: &Value) -> Vec<&str> {
    event["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn appointments_and_referrals_show_place_what_to_bring_and_their_trail() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let reply = app
        .get(&format!("/api/patients/{p}/appointments"), Some(&maria))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let events = reply.json();
    let cardiology = by_title(&events, "Cardiology visit with Dr. Patel");
    assert_eq!(cardiology["kind"], "appointment");
    assert_eq!(
        cardiology["place"]["en"],
        "Heart Center, 2nd floor, 1200 W. Harrison St."
    );
    assert_eq!(
        cardiology["bring"]["es"],
        "Su registro de peso y todos sus frascos de medicina"
    );
    assert!(cardiology["when"].as_str().unwrap().ends_with("T10:30:00"));
    assert_eq!(statuses(cardiology), ["ordered", "scheduled"]);
    assert_eq!(
        statuses(by_title(&events, "Diabetes education class")),
        ["ordered", "scheduled"]
    );
    // The closed loop comes last, with its notes.
    let last = events.as_array().unwrap().last().unwrap();
    assert_eq!(last["title"]["en"], "Ride program for appointments");
    assert_eq!(statuses(last), ["ordered", "scheduled", "attended", "closed"]);
    assert_eq!(
        last["steps"][3]["note"]["en"],
        "Enrolled: call 2 days before a visit to book a ride."
    );
    assert_eq!(last["steps"][3]["by"], "Dana Whitfield RN");
    // Only appointments and referrals are listed.
    assert!(events
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["kind"] == "appointment" || e["kind"] == "referral"));

    // The agenda carries the same place and what to bring, and lessons by name.
    let agenda = app
        .get(
            &format!(
                "/api/patients/{p}/agenda?from={}&to={}",
                &cardiology["when"].as_str().unwrap()[..10],
                &cardiology["when"].as_str().unwrap()[..10]
            ),
            Some(&maria),
        )
        .await
        .json();
    let item = by_title(&agenda["items"], "Cardiology visit with Dr. Patel");
    assert_eq!(item["place"], cardiology["place"]);
    assert_eq!(item["bring"], cardiology["bring"]);
}

#[tokio::test]
async fn only_the_care_manager_moves_a_referral_on_once_per_key_and_never_back() {
    let app = TestApp::new().await;
    let dana = app.login("dana").await;
    let maria = app.login("maria").await;
    let ana = app.login("ana").await;
    let luis = app.login("luis").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let events = app
        .get(&format!("/api/patients/{p}/appointments"), Some(&dana))
        .await
        .json();
    let class = by_title(&events, "Diabetes education class")["activity_id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/patients/{p}/appointments/{class}/status");
    let attended = json!({ "status": "attended", "note": "Came with her daughter." }).to_string();

    for (who, cookie, want) in [
        ("maria", &maria, StatusCode::FORBIDDEN),
        ("ana", &ana, StatusCode::FORBIDDEN),
        ("luis", &luis, StatusCode::NOT_FOUND),
    ] {
        let reply = app
            .post(&path, Some(cookie), Some(&format!("k-{who}")), &attended)
            .await;
        assert_eq!(reply.status, want, "{who}: {}", reply.text());
    }
    let first = app.post(&path, Some(&dana), Some("step-1"), &attended).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!(statuses(&first.json()), ["ordered", "scheduled", "attended"]);
    let again = app.post(&path, Some(&dana), Some("step-1"), &attended).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json(), first.json());

    // Back to scheduled is refused with a reason; an unknown activity is a 404.
    let back = app
        .post(
            &path,
            Some(&dana),
            Some("step-2"),
            &json!({ "status": "scheduled" }).to_string(),
        )
        .await;
    assert_eq!(back.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(back.json()["errors"][0]["code"], "not_forward");
    let nowhere = app
        .post(
            &format!("/api/patients/{p}/appointments/999999/status"),
            Some(&dana),
            Some("step-3"),
            &attended,
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);

    // Maria sees one new step, by Dana, with the note.
    let events = app
        .get(&format!("/api/patients/{p}/appointments"), Some(&maria))
        .await
        .json();
    let class = by_title(&events, "Diabetes education class");
    assert_eq!(statuses(class), ["ordered", "scheduled", "attended"]);
    assert_eq!(class["steps"][2]["by"], "Dana Whitfield RN");
    assert_eq!(class["steps"][2]["note"]["es"], "Came with her daughter.");
}

#[tokio::test]
async fn lessons_come_in_both_languages_to_anyone_logged_in() {
    let app = TestApp::new().await;
    assert_eq!(
        app.get("/api/lessons", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let james = app.login("james").await;
    let list = app.get("/api/lessons", Some(&james)).await.json();
    let slugs: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["low-salt", "daily-weight", "low-blood-sugar", "inhaler"]);
    let inhaler = app.get("/api/lessons/inhaler", Some(&james)).await;
    assert_eq!(inhaler.status, StatusCode::OK);
    let inhaler = inhaler.json();
    assert_eq!(inhaler["en"]["title"], "Using your inhaler");
    assert_eq!(inhaler["es"]["title"], "Cómo usar su inhalador");
    assert_eq!(
        inhaler["en"]["sections"][1]["heading"],
        "With a spacer (recommended)"
    );
    assert_eq!(inhaler["en"]["sections"][1]["blocks"][0]["type"], "points");
    assert_eq!(
        app.get("/api/lessons/nothing", Some(&james)).await.status,
        StatusCode::NOT_FOUND
    );

    // James's education item names its lesson.
    let p = app.patient_id(&james, "James Okafor").await;
    let agenda = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&james))
        .await
        .json();
    assert_eq!(
        by_title(&agenda["items"], "Lesson: using your inhaler")["lesson"],
        "inhaler"
    );
}

#[tokio::test]
async fn a_proposed_goal_waits_for_the_care_manager_who_accepts_or_declines_with_a_reason() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let dana = app.login("dana").await;
    let ana = app.login("ana").await;
    let luis = app.login("luis").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let path = format!("/api/patients/{p}/goal-requests");

    // The demo's declined change request says why.
    let listed = app.get(&path, Some(&maria)).await.json();
    let declined = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "declined")
        .expect("a declined request");
    assert_eq!(declined["kind"], "change");
    assert_eq!(declined["goal_title"]["en"], "Walk 150 minutes a week");
    assert!(declined["reason"]
        .as_str()
        .unwrap()
        .starts_with("Dr. Ruiz would like"));
    assert_eq!(declined["decided_by"], "Dana Whitfield RN");

    let propose = json!({ "kind": "propose", "text": "  Walk to church on Sundays " }).to_string();
    let first = app.post(&path, Some(&maria), Some("propose-1"), &propose).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let request = first.json();
    assert_eq!(request["status"], "open");
    assert_eq!(request["text"], "Walk to church on Sundays");
    assert_eq!(request["goal_title"]["en"], "Walk to church on Sundays");
    assert_eq!(request["created_by"], "Maria");
    let again = app.post(&path, Some(&maria), Some("propose-1"), &propose).await;
    assert_eq!(again.json(), request);
    let goals = app
        .get(&format!("/api/patients/{p}/goals"), Some(&maria))
        .await
        .json();
    let proposed: Vec<_> = goals
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["title"]["en"] == "Walk to church on Sundays")
        .collect();
    assert_eq!(
        proposed.len(),
        1,
        "one goal for one proposal, however often retried"
    );
    assert_eq!(proposed[0]["status"], "proposed");

    // Refusals say what is wrong.
    let empty = app
        .post(
            &path,
            Some(&maria),
            Some("propose-2"),
            &json!({ "kind": "propose", "text": "  " }).to_string(),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["errors"][0]["code"], "required");
    let james = app.login("james").await;
    let james_id = app.patient_id(&james, "James Okafor").await;
    let james_goal_comment = json!({ "kind": "comment", "goal_id": 1_000_000, "text": "hi" }).to_string();
    let foreign = app
        .post(&path, Some(&maria), Some("comment-1"), &james_goal_comment)
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign.json()["errors"][0]["code"], "unknown");
    assert_eq!(
        app.post(
            &format!("/api/patients/{james_id}/goal-requests"),
            Some(&maria),
            Some("x"),
            &propose
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // Ana may take part for her mother; Luis may not; the care manager decides instead.
    let by_ana = app
        .post(
            &path,
            Some(&ana),
            Some("ana-1"),
            &json!({ "kind": "propose", "text": "Cook together on Fridays" }).to_string(),
        )
        .await;
    assert_eq!(by_ana.status, StatusCode::OK, "{}", by_ana.text());
    assert_eq!(by_ana.json()["created_by"], "Ana");
    assert_eq!(
        app.post(&path, Some(&luis), Some("luis-1"), &propose)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&path, Some(&dana), Some("dana-1"), &propose)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let decide = |id: i64| format!("{path}/{id}/decision");
    let id = request["id"].as_i64().unwrap();
    let no_reason = app
        .post(
            &decide(id),
            Some(&dana),
            Some("d-1"),
            &json!({ "decision": "decline" }).to_string(),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.json()["errors"][0]["field"], "reason");
    let by_maria = app
        .post(
            &decide(id),
            Some(&maria),
            Some("d-2"),
            &json!({ "decision": "accept" }).to_string(),
        )
        .await;
    assert_eq!(by_maria.status, StatusCode::FORBIDDEN);
    let decline = json!({ "decision": "decline", "reason": "The church is 2 miles uphill; let's start with the park." });
    let decided = app
        .post(&decide(id), Some(&dana), Some("d-3"), &decline.to_string())
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text());
    assert_eq!(decided.json()["status"], "declined");
    assert_eq!(decided.json()["reason"], decline["reason"]);
    let twice = app
        .post(
            &decide(id),
            Some(&dana),
            Some("d-4"),
            &json!({ "decision": "accept" }).to_string(),
        )
        .await;
    assert_eq!(twice.json()["errors"][0]["code"], "already_decided");
    let goals = app
        .get(&format!("/api/patients/{p}/goals"), Some(&maria))
        .await
        .json();
    let goal = goals
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["title"]["en"] == "Walk to church on Sundays")
        .unwrap();
    assert_eq!(goal["status"], "cancelled");
    // Accepting Ana's proposal makes it an active goal.
    let ana_id = by_ana.json()["id"].as_i64().unwrap();
    let accepted = app
        .post(
            &decide(ana_id),
            Some(&dana),
            Some("d-5"),
            &json!({ "decision": "accept" }).to_string(),
        )
        .await;
    assert_eq!(accepted.json()["status"], "accepted");
    let goals = app
        .get(&format!("/api/patients/{p}/goals"), Some(&maria))
        .await
        .json();
    assert!(goals
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["title"]["en"] == "Cook together on Fridays" && g["status"] == "active"));
}

#[tokio::test]
async fn james_first_30_days_are_a_checklist_done_by_marking_and_attending() {
    let app = TestApp::new().await;
    let james = app.login("james").await;
    let dana = app.login("dana").await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&james, "James Okafor").await;
    let path = format!("/api/patients/{p}/transition");
    let view = app.get(&path, Some(&james)).await.json();
    let today = view["today"].as_str().unwrap().to_owned();
    let discharged =
        chrono::NaiveDate::parse_from_str(view["discharged_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!(
        (chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap() - discharged).num_days(),
        3
    );
    assert_eq!(view["days"], 30);
    let titles: Vec<_> = view["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"]["en"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Follow-up visit with Dr. Chen",
            "Medicine review with the pharmacist",
            "Warning signs: when to call"
        ]
    );
    assert_eq!(view["checklist"][0]["done_on"], serde_json::Value::Null);
    assert_eq!(view["checklist"][1]["done_on"], serde_json::Value::Null);
    assert_eq!(view["warning_signs"].as_array().unwrap().len(), 5);

    // James marks the medicine review done today; Dana records the visit attended.
    let review = view["checklist"][1]["activity_id"].as_i64().unwrap();
    let agenda = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&james))
        .await
        .json();
    let occurrence = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["activity_id"] == review)
        .expect("the review is today");
    let done =
        json!({ "activity_id": review, "scheduled": occurrence["scheduled"], "action": "done" }).to_string();
    let reply = app
        .post(
            &format!("/api/patients/{p}/outcomes"),
            Some(&james),
            Some("review-done"),
            &done,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let follow_up = view["checklist"][0]["activity_id"].as_i64().unwrap();
    let attended = app
        .post(
            &format!("/api/patients/{p}/appointments/{follow_up}/status"),
            Some(&dana),
            Some("attended"),
            &json!({ "status": "attended" }).to_string(),
        )
        .await;
    assert_eq!(attended.status, StatusCode::OK, "{}", attended.text());
    let view = app.get(&path, Some(&james)).await.json();
    assert_eq!(view["checklist"][0]["done_on"], today.as_str());
    assert_eq!(view["checklist"][1]["done_on"], today.as_str());

    // Maria's plan has no transition of care; she may not see James's.
    let maria_id = app.patient_id(&maria, "Maria Santos").await;
    let none = app
        .get(&format!("/api/patients/{maria_id}/transition"), Some(&maria))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json(), serde_json::Value::Null);
    assert_eq!(app.get(&path, Some(&maria)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_edit_is_a_new_version_from_its_date_and_the_past_keeps_its_own() {
    let app = TestApp::new().await;
    let dana = app.login("dana").await;
    let maria = app.login("maria").await;
    let ana = app.login("ana").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let agenda_on = |from: String, to: String| {
        let (app, maria) = (&app, &maria);
        async move {
            app.get(
                &format!("/api/patients/{p}/agenda?from={from}&to={to}"),
                Some(maria),
            )
            .await
            .json()
        }
    };
    let today_agenda = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&maria))
        .await
        .json();
    let today =
        chrono::NaiveDate::parse_from_str(today_agenda["today"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let (yesterday, tomorrow) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let metformin = |agenda: &Value| -> Vec<(String, i64, bool)> {
        agenda["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                i["title"]["en"] == "Metformin 500 mg" || i["title"]["en"] == "Metformin 500 mg with meals"
            })
            .map(|i| {
                (
                    i["local"].as_str().unwrap()[11..16].to_owned(),
                    i["activity_version"].as_i64().unwrap(),
                    !i["outcome"].is_null(),
                )
            })
            .collect()
    };
    let before_yesterday = metformin(&agenda_on(yesterday.to_string(), yesterday.to_string()).await);
    let activity = by_title(&today_agenda["items"], "Metformin 500 mg")["activity_id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/patients/{p}/activities/{activity}/versions");
    let edit = |from: chrono::NaiveDate| {
        json!({
            "effective_from": from,
            "title": { "en": "Metformin 500 mg with meals", "es": "Metformina 500 mg con las comidas" },
            "instructions": { "en": "With breakfast and dinner.", "es": "Con el desayuno y la cena." },
            "schedule": { "recurrence": { "kind": "daily", "times": ["09:00:00", "21:00:00"] }, "start": from }
        })
        .to_string()
    };

    for (who, cookie, want) in [
        ("maria", &maria, StatusCode::FORBIDDEN),
        ("ana", &ana, StatusCode::FORBIDDEN),
    ] {
        let reply = app
            .post(&path, Some(cookie), Some(&format!("e-{who}")), &edit(tomorrow))
            .await;
        assert_eq!(reply.status, want, "{who}");
    }
    let past = app
        .post(&path, Some(&dana), Some("e-past"), &edit(yesterday))
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(past.json()["errors"][0]["code"], "in_past");
    let made = app.post(&path, Some(&dana), Some("e-1"), &edit(tomorrow)).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text());
    assert_eq!(made.json()["version"], 2);
    assert_eq!(
        app.post(&path, Some(&dana), Some("e-1"), &edit(tomorrow))
            .await
            .json(),
        made.json()
    );
    let twice = app.post(&path, Some(&dana), Some("e-2"), &edit(tomorrow)).await;
    assert_eq!(twice.json()["errors"][0]["code"], "version_exists");

    // Yesterday and today keep version 1 and what was recorded; tomorrow is version 2.
    assert_eq!(
        metformin(&agenda_on(yesterday.to_string(), yesterday.to_string()).await),
        before_yesterday
    );
    assert!(before_yesterday.iter().all(|(_, version, _)| *version == 1));
    let today_now = metformin(&agenda_on(today.to_string(), today.to_string()).await);
    assert_eq!(
        today_now
            .iter()
            .map(|(t, v, _)| (t.as_str(), *v))
            .collect::<Vec<_>>(),
        [("08:00", 1), ("20:00", 1)]
    );
    let next = metformin(&agenda_on(tomorrow.to_string(), tomorrow.to_string()).await);
    assert_eq!(
        next.iter().map(|(t, v, _)| (t.as_str(), *v)).collect::<Vec<_>>(),
        [("09:00", 2), ("21:00", 2)]
    );
    // Today's 08:00 can still be marked against its own version.
    let done = json!({ "activity_id": activity, "scheduled": format!("{today}T08:00:00"), "action": "done" });
    let reply = app
        .post(
            &format!("/api/patients/{p}/outcomes"),
            Some(&maria),
            Some("m-1"),
            &done.to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let today_after = metformin(&agenda_on(today.to_string(), today.to_string()).await);
    assert_eq!(today_after[0], ("08:00".to_owned(), 1, true));
}

#[tokio::test]
async fn a_free_number_keeps_its_unit_and_range() {
    let app = TestApp::new().await;
    let james = app.login("james").await;
    let p = app.patient_id(&james, "James Okafor").await;
    let agenda = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&james))
        .await
        .json();
    let peak = by_title(&agenda["items"], "Peak flow");
    assert_eq!(peak["metric"], json!({ "number": "liters_per_minute" }));
    let send = |key: &'static str, reading: Value| {
        let body = json!({
            "activity_id": peak["activity_id"],
            "scheduled": peak["scheduled"],
            "action": "done",
            "reading": reading,
        })
        .to_string();
        let (app, james) = (&app, &james);
        async move {
            app.post(
                &format!("/api/patients/{p}/outcomes"),
                Some(james),
                Some(key),
                &body,
            )
            .await
        }
    };
    let low = send(
        "pf-1",
        json!({ "metric": "number", "value": 20.0, "unit": "liters_per_minute" }),
    )
    .await;
    assert_eq!(low.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(low.json()["errors"][0]["code"], "out_of_range");
    let other_unit = send(
        "pf-2",
        json!({ "metric": "number", "value": 99.0, "unit": "degrees_f" }),
    )
    .await;
    assert_eq!(other_unit.json()["errors"][0]["code"], "wrong_metric");
    let ok = send(
        "pf-3",
        json!({ "metric": "number", "value": 320.0, "unit": "liters_per_minute" }),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    assert_eq!(ok.json()["outcome"]["reading"]["value"], 320.0);
}

#[tokio::test]
async fn dana_adds_a_weekly_walk_then_stops_it_and_the_agenda_follows() {
    use chrono::{Datelike, TimeDelta};
    let app = TestApp::new().await;
    let dana = app.login("dana").await;
    let maria = app.login("maria").await;
    let james = app.login("james").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let today_agenda = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&maria))
        .await
        .json();
    let today =
        chrono::NaiveDate::parse_from_str(today_agenda["today"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let plan = app
        .get(&format!("/api/patients/{p}/plan"), Some(&maria))
        .await
        .json();
    let goal = plan["goals"][0]["id"].as_i64().unwrap();
    // Only Maria has goals in the demo: a goal of nobody's stands for one not hers.
    let not_hers = plan["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_i64().unwrap())
        .max()
        .unwrap()
        + 1000;
    // Today's weekday and the one three days on; nothing on the days between.
    let (first, second) = (today.weekday(), (today + TimeDelta::days(3)).weekday());
    let walk = |kind: &str, start: chrono::NaiveDate, goal: i64| {
        json!({
            "kind": kind,
            "title": { "en": "Walk 20 minutes", "es": "Caminar 20 minutos" },
            "instructions": { "en": "At an easy pace.", "es": "A paso tranquilo." },
            "schedule": {
                "recurrence": { "kind": "weekly", "days": [first.to_string(), second.to_string()], "times": ["10:00:00"] },
                "start": start
            },
            "goal_id": goal
        })
        .to_string()
    };
    let path = format!("/api/patients/{p}/activities");
    for (who, cookie) in [("maria", &maria), ("james", &james)] {
        let reply = app
            .post(
                &path,
                Some(cookie),
                Some(&format!("a-{who}")),
                &walk("exercise", today, goal),
            )
            .await;
        let want = if who == "maria" {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(reply.status, want, "{who}");
    }
    for (body, field, code) in [
        (walk("questionnaire", today, goal), "kind", "not_addable"),
        (
            walk("exercise", today.pred_opt().unwrap(), goal),
            "schedule",
            "in_past",
        ),
        (walk("exercise", today, not_hers), "goal_id", "not_this_patients"),
        (walk("measurement", today, goal), "metric", "required"),
    ] {
        let reply = app
            .post(&path, Some(&dana), Some(&format!("a-{code}")), &body)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        let problem = reply.json();
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        assert_eq!(problem["errors"][0]["code"], code, "{problem}");
    }
    let made = app
        .post(&path, Some(&dana), Some("a-1"), &walk("exercise", today, goal))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let activity = made.json()["activity_id"].as_i64().unwrap();
    assert_eq!(made.json()["version"], 1);
    // A retry is the same answer, and the plan holds the walk once.
    let again = app
        .post(&path, Some(&dana), Some("a-1"), &walk("exercise", today, goal))
        .await;
    assert_eq!(again.json(), made.json());
    let walks = |plan: &Value| -> Vec<Value> {
        plan["activities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["title"]["en"] == "Walk 20 minutes")
            .cloned()
            .collect()
    };
    let plan = app
        .get(&format!("/api/patients/{p}/plan"), Some(&maria))
        .await
        .json();
    let listed = walks(&plan);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["activity_id"], activity);
    assert_eq!(listed[0]["kind"], "exercise");
    assert_eq!(listed[0]["goal_id"], goal);
    assert!(
        listed[0]["schedule"]["en"].as_str().unwrap().contains("10:00 AM"),
        "{}",
        listed[0]
    );

    let walk_days = |from: chrono::NaiveDate, to: chrono::NaiveDate| {
        let (app, maria) = (&app, &maria);
        async move {
            let agenda = app
                .get(
                    &format!("/api/patients/{p}/agenda?from={from}&to={to}"),
                    Some(maria),
                )
                .await
                .json();
            agenda["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["activity_id"] == activity)
                .map(|i| i["local"].as_str().unwrap()[..16].to_owned())
                .collect::<Vec<_>>()
        }
    };
    let week = walk_days(today, today + TimeDelta::days(6)).await;
    assert_eq!(
        week,
        [
            format!("{today}T10:00"),
            format!("{}T10:00", today + TimeDelta::days(3))
        ]
    );

    // Dana stops it after tomorrow: a version from tomorrow that ends then.
    let tomorrow = today.succ_opt().unwrap();
    let stop = json!({
        "effective_from": tomorrow,
        "title": { "en": "Walk 20 minutes", "es": "Caminar 20 minutos" },
        "instructions": { "en": "At an easy pace.", "es": "A paso tranquilo." },
        "schedule": {
            "recurrence": { "kind": "daily", "times": ["10:00:00"] },
            "start": tomorrow,
            "end": tomorrow
        }
    });
    let stopped = app
        .post(
            &format!("/api/patients/{p}/activities/{activity}/versions"),
            Some(&dana),
            Some("a-stop"),
            &stop.to_string(),
        )
        .await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.text());
    assert_eq!(
        walk_days(today, today + TimeDelta::days(6)).await,
        [format!("{today}T10:00"), format!("{tomorrow}T10:00")]
    );
    // The plan still lists it until its last day has passed.
    assert_eq!(
        walks(
            &app.get(&format!("/api/patients/{p}/plan"), Some(&maria))
                .await
                .json()
        )
        .len(),
        1
    );
}
