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
