mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

fn item<'a>(agenda: &'a Value, title: &str, time: &str) -> &'a Value {
    agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"]["en"] == title && i["scheduled"].as_str().unwrap().ends_with(time))
        .unwrap_or_else(|| panic!("{title} at {time} not on the agenda"))
}

async fn maria_today(app: &TestApp) -> (String, i64, Value) {
    let cookie = app.login("maria").await;
    let maria = app.patient_id(&cookie, "Maria Santos").await;
    let agenda = app
        .get(&format!("/api/patients/{maria}/agenda"), Some(&cookie))
        .await;
    assert_eq!(agenda.status, StatusCode::OK, "{}", agenda.text());
    (cookie, maria, agenda.json())
}

fn done_body(agenda: &Value, title: &str, time: &str, action: &str) -> String {
    let i = item(agenda, title, time);
    json!({ "activity_id": i["activity_id"], "scheduled": i["scheduled"], "action": action }).to_string()
}

#[tokio::test]
async fn health_answers_and_the_database_runs_wal_full_with_foreign_keys() {
    let app = TestApp::new().await;
    let reply = app.get("/api/health", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["database"], "ok");
    let (journal, synchronous, foreign_keys) = app.store.pragmas().await.unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(synchronous, 2, "synchronous = FULL");
    assert_eq!(foreign_keys, 1);
}

#[tokio::test]
async fn wrong_username_and_wrong_password_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong_password = app
        .post(
            "/api/session",
            None,
            None,
            r#"{"username":"maria","password":"nope"}"#,
        )
        .await;
    let unknown_user = app
        .post(
            "/api/session",
            None,
            None,
            r#"{"username":"nobody","password":"tend-demo"}"#,
        )
        .await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.status, unknown_user.status);
    assert_eq!(wrong_password.body, unknown_user.body);
    assert_eq!(
        wrong_password.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(wrong_password.json()["type"], "/problems/invalid-credentials");
    assert!(wrong_password.header("set-cookie").is_none());
}

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_logout_ends_the_session() {
    let app = TestApp::new().await;
    let reply = app
        .post(
            "/api/session",
            None,
            None,
            r#"{"username":"maria","password":"tend-demo"}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let set_cookie = reply.header("set-cookie").unwrap();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let body = reply.json();
    assert_eq!(body["account"]["role"], "patient");
    assert_eq!(body["patients"][0]["name"], "Maria Santos");
    assert_eq!(body["patients"][0]["relation"], "own");

    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert_eq!(
        app.get("/api/session", Some(&cookie)).await.status,
        StatusCode::OK
    );
    let logout = app
        .send(
            Request::delete("/api/session")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert!(logout.header("set-cookie").unwrap().contains("Max-Age=0"));
    let after = app.get("/api/session", Some(&cookie)).await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "the old cookie no longer works"
    );
}

#[tokio::test]
async fn nobody_logged_in_gets_401_problem_json() {
    let app = TestApp::new().await;
    for path in ["/api/session", "/api/patients/1/agenda"] {
        let reply = app.get(path, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json"),
            "{path}"
        );
        assert_eq!(reply.json()["type"], "/problems/unauthenticated");
    }
    let forged = app.get("/api/session", Some("tend_session=forged")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let post = app.post("/api/patients/1/outcomes", None, Some("k"), "{}").await;
    assert_eq!(post.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn marias_today_has_her_plan_in_her_zone() {
    let app = TestApp::new().await;
    let (_, _, agenda) = maria_today(&app).await;
    assert_eq!(agenda["zone"], "America/Chicago");
    assert_eq!(agenda["from"], agenda["today"]);
    let metformin = item(&agenda, "Metformin 500 mg", "T08:00:00");
    assert_eq!(metformin["kind"], "medication");
    assert_eq!(metformin["title"]["es"], "Metformina 500 mg");
    assert!(metformin["outcome"].is_null(), "today starts unmarked");
    item(&agenda, "Metformin 500 mg", "T20:00:00");
    item(&agenda, "Weigh yourself", "T07:30:00");
    item(&agenda, "Furosemide 40 mg", "T08:00:00");
}

#[tokio::test]
async fn history_goes_back_sixty_days_with_missed_and_skipped_days() {
    let app = TestApp::new().await;
    let (cookie, maria, agenda) = maria_today(&app).await;
    let today = chrono::NaiveDate::parse_from_str(agenda["today"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let from = today - chrono::TimeDelta::days(60);
    let to = today - chrono::TimeDelta::days(1);
    let past = app
        .get(
            &format!("/api/patients/{maria}/agenda?from={from}&to={to}"),
            Some(&cookie),
        )
        .await
        .json();
    let items = past["items"].as_array().unwrap();
    let count = |status: &str| items.iter().filter(|i| i["outcome"]["status"] == status).count();
    let missed = items.iter().filter(|i| i["outcome"].is_null()).count();
    assert!(items.len() > 60 * 6, "{} occurrences", items.len());
    assert!(count("done") > items.len() * 3 / 4);
    assert!(count("skipped") > 0 && missed > 0);
    assert!(
        items.iter().any(|i| i["outcome"]["entered_by"] == "Ana"),
        "Ana recorded some"
    );
}

#[tokio::test]
async fn a_patient_cannot_read_or_write_another_patients_agenda() {
    let app = TestApp::new().await;
    let james = app.login("james").await;
    let james_id = app.patient_id(&james, "James Okafor").await;
    let (maria, maria_id, agenda) = maria_today(&app).await;
    assert_ne!(maria_id, james_id);
    let read = app
        .get(&format!("/api/patients/{james_id}/agenda"), Some(&maria))
        .await;
    assert_eq!(read.status, StatusCode::NOT_FOUND);
    assert!(!read.text().contains("James"), "nothing of James leaks");
    let write = app
        .post(
            &format!("/api/patients/{james_id}/outcomes"),
            Some(&maria),
            Some("k1"),
            &done_body(&agenda, "Metformin 500 mg", "T08:00:00", "done"),
        )
        .await;
    assert_eq!(write.status, StatusCode::NOT_FOUND);
    // Nor can she record one of James's activities under her own id.
    let james_agenda = app
        .get(&format!("/api/patients/{james_id}/agenda"), Some(&james))
        .await
        .json();
    let inhaler = item(&james_agenda, "Tiotropium inhaler", "T09:00:00");
    let body =
        json!({ "activity_id": inhaler["activity_id"], "scheduled": inhaler["scheduled"], "action": "done" });
    let smuggled = app
        .post(
            &format!("/api/patients/{maria_id}/outcomes"),
            Some(&maria),
            Some("k2"),
            &body.to_string(),
        )
        .await;
    assert_eq!(smuggled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(smuggled.json()["errors"][0]["field"], "activity_id");
}

#[tokio::test]
async fn caregivers_and_care_managers_see_what_they_may() {
    let app = TestApp::new().await;
    let (_, maria_id, agenda) = maria_today(&app).await;
    let path = format!("/api/patients/{maria_id}/agenda");

    let ana = app.login("ana").await;
    assert_eq!(app.get(&path, Some(&ana)).await.status, StatusCode::OK);
    let luis = app.login("luis").await;
    let session = app.get("/api/session", Some(&luis)).await.json();
    assert_eq!(session["patients"], json!([]), "a revoked grant lists nobody");
    assert_eq!(app.get(&path, Some(&luis)).await.status, StatusCode::NOT_FOUND);

    let dana = app.login("dana").await;
    let panel = app.get("/api/session", Some(&dana)).await.json();
    assert_eq!(panel["patients"].as_array().unwrap().len(), 42);
    assert_eq!(app.get(&path, Some(&dana)).await.status, StatusCode::OK);
    let outcomes = format!("/api/patients/{maria_id}/outcomes");
    let body = done_body(&agenda, "Metformin 500 mg", "T08:00:00", "done");
    let write = app.post(&outcomes, Some(&dana), Some("dana-1"), &body).await;
    assert_eq!(
        write.status,
        StatusCode::FORBIDDEN,
        "care managers read, they do not record"
    );

    let by_ana = app.post(&outcomes, Some(&ana), Some("ana-1"), &body).await;
    assert_eq!(by_ana.status, StatusCode::OK, "{}", by_ana.text());
    assert_eq!(by_ana.json()["outcome"]["entered_by"], "Ana");
}

#[tokio::test]
async fn a_retried_outcome_is_recorded_once_and_a_reused_key_is_a_conflict() {
    let app = TestApp::new().await;
    let (cookie, maria, agenda) = maria_today(&app).await;
    let path = format!("/api/patients/{maria}/outcomes");
    let body = done_body(&agenda, "Metformin 500 mg", "T08:00:00", "done");
    let before = app.store.count_outcomes(maria).await.unwrap();

    let first = app.post(&path, Some(&cookie), Some("key-1"), &body).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!(first.json()["outcome"]["status"], "done");
    assert_eq!(first.json()["outcome"]["entered_by"], "Maria");
    assert_eq!(app.store.count_outcomes(maria).await.unwrap(), before + 1);

    let replay = app.post(&path, Some(&cookie), Some("key-1"), &body).await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(replay.body, first.body, "the replay returns the first answer");
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        app.store.count_outcomes(maria).await.unwrap(),
        before + 1,
        "nothing new stored"
    );

    let other = done_body(&agenda, "Furosemide 40 mg", "T08:00:00", "done");
    let conflict = app.post(&path, Some(&cookie), Some("key-1"), &other).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(conflict.json()["type"], "/problems/idempotency-key-reused");
    assert_eq!(app.store.count_outcomes(maria).await.unwrap(), before + 1);

    let today = app
        .get(&format!("/api/patients/{maria}/agenda"), Some(&cookie))
        .await
        .json();
    assert_eq!(
        item(&today, "Metformin 500 mg", "T08:00:00")["outcome"]["status"],
        "done"
    );
    assert!(item(&today, "Furosemide 40 mg", "T08:00:00")["outcome"].is_null());
}

#[tokio::test]
async fn concurrent_retries_with_one_key_record_once() {
    let app = TestApp::new().await;
    let (cookie, maria, agenda) = maria_today(&app).await;
    let path = format!("/api/patients/{maria}/outcomes");
    let body = done_body(&agenda, "Furosemide 40 mg", "T08:00:00", "done");
    let before = app.store.count_outcomes(maria).await.unwrap();
    let replies = futures_join(&app, &path, &cookie, &body).await;
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.body, replies[0].body);
    }
    assert_eq!(app.store.count_outcomes(maria).await.unwrap(), before + 1);
}

async fn futures_join(app: &TestApp, path: &str, cookie: &str, body: &str) -> Vec<common::Reply> {
    let mut handles = Vec::new();
    for _ in 0..8 {
        let router = app.router.clone();
        let request = Request::post(path)
            .header(header::COOKIE, cookie)
            .header("idempotency-key", "same-key")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        handles.push(tokio::spawn(async move {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
            common::Reply {
                status,
                headers,
                body,
            }
        }));
    }
    let mut replies = Vec::new();
    for handle in handles {
        replies.push(handle.await.unwrap());
    }
    replies
}

#[tokio::test]
async fn skip_with_a_reason_then_undo() {
    let app = TestApp::new().await;
    let (cookie, maria, agenda) = maria_today(&app).await;
    let path = format!("/api/patients/{maria}/outcomes");
    // Metformin is every day (the walk is only on weekdays).
    let i = item(&agenda, "Metformin 500 mg", "T20:00:00");
    assert!(i["outcome"].is_null());
    // Today and the week were read before (the server keeps each window's
    // outcomes in memory): each change shows on the next read of both.
    let agenda_path = format!("/api/patients/{maria}/agenda");
    let today = chrono::NaiveDate::parse_from_str(agenda["today"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let week_path = format!(
        "{agenda_path}?from={}&to={today}",
        today - chrono::TimeDelta::days(6)
    );
    let week = app.get(&week_path, Some(&cookie)).await.json();
    assert!(item(&week, "Metformin 500 mg", &format!("{today}T20:00:00"))["outcome"].is_null());
    let evening =
        |agenda: &Value| item(agenda, "Metformin 500 mg", &format!("{today}T20:00:00"))["outcome"].clone();

    let skip = json!({ "activity_id": i["activity_id"], "scheduled": i["scheduled"], "action": "skipped", "reason": "  Upset stomach " });
    let reply = app
        .post(&path, Some(&cookie), Some("s1"), &skip.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["outcome"]["status"], "skipped");
    assert_eq!(reply.json()["outcome"]["reason"], "Upset stomach");
    for path in [&agenda_path, &week_path] {
        let now = app.get(path, Some(&cookie)).await.json();
        assert_eq!(evening(&now)["status"], "skipped", "{path}");
    }
    let undo = json!({ "activity_id": i["activity_id"], "scheduled": i["scheduled"], "action": "undo" });
    let reply = app
        .post(&path, Some(&cookie), Some("s2"), &undo.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.json()["outcome"].is_null());
    for path in [&agenda_path, &week_path] {
        let now = app.get(path, Some(&cookie)).await.json();
        assert!(evening(&now).is_null(), "{path}");
    }
}

#[tokio::test]
async fn refused_writes_say_which_field_and_why() {
    let app = TestApp::new().await;
    let (cookie, maria, agenda) = maria_today(&app).await;
    let path = format!("/api/patients/{maria}/outcomes");
    let body = done_body(&agenda, "Metformin 500 mg", "T08:00:00", "done");

    let no_key = app.post(&path, Some(&cookie), None, &body).await;
    assert_eq!(no_key.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_key.json()["errors"][0]["field"], "Idempotency-Key");

    let i = item(&agenda, "Metformin 500 mg", "T08:00:00");
    let off_schedule = json!({ "activity_id": i["activity_id"], "scheduled": format!("{}T09:15:00", agenda["today"].as_str().unwrap()), "action": "done" });
    let reply = app
        .post(&path, Some(&cookie), Some("v1"), &off_schedule.to_string())
        .await;
    assert_eq!(reply.json()["errors"][0]["code"], "not_scheduled");

    let tomorrow = chrono::NaiveDate::parse_from_str(agenda["today"].as_str().unwrap(), "%Y-%m-%d").unwrap()
        + chrono::TimeDelta::days(1);
    let future = json!({ "activity_id": i["activity_id"], "scheduled": format!("{tomorrow}T08:00:00"), "action": "done" });
    let reply = app
        .post(&path, Some(&cookie), Some("v2"), &future.to_string())
        .await;
    assert_eq!(reply.json()["errors"][0]["code"], "in_future");

    let bad_action =
        json!({ "activity_id": i["activity_id"], "scheduled": i["scheduled"], "action": "maybe" });
    let reply = app
        .post(&path, Some(&cookie), Some("v3"), &bad_action.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"));

    let reason_with_done = json!({ "activity_id": i["activity_id"], "scheduled": i["scheduled"], "action": "done", "reason": "x" });
    let reply = app
        .post(&path, Some(&cookie), Some("v4"), &reason_with_done.to_string())
        .await;
    assert_eq!(reply.json()["errors"][0]["code"], "only_with_skip");

    let bad_dates = app
        .get(
            &format!("/api/patients/{maria}/agenda?from=yesterday"),
            Some(&cookie),
        )
        .await;
    assert_eq!(bad_dates.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_dates.json()["errors"][0]["field"], "from");
    let backwards = app
        .get(
            &format!("/api/patients/{maria}/agenda?from=2026-05-02&to=2026-05-01"),
            Some(&cookie),
        )
        .await;
    assert_eq!(backwards.json()["errors"][0]["code"], "before_from");
    let nothing_stored = app.store.count_outcomes(maria).await.unwrap();
    let again = app.store.count_outcomes(maria).await.unwrap();
    assert_eq!(nothing_stored, again);
}

#[tokio::test]
async fn writes_from_another_site_are_refused() {
    let app = TestApp::new().await;
    let reply = app
        .send(
            Request::post("/api/session")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "http://evil.example")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"username":"maria","password":"tend-demo"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.json()["type"], "/problems/cross-origin");
    let same = app
        .send(
            Request::post("/api/session")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "http://127.0.0.1:3000")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"username":"maria","password":"tend-demo"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK);
}

#[tokio::test]
async fn the_demo_seed_runs_once() {
    let app = TestApp::new().await;
    let hash = tend_server::auth::hash_password("tend-demo").unwrap();
    let (_, maria, _) = maria_today(&app).await;
    let before = app.store.count_outcomes(maria).await.unwrap();
    assert!(!app.store.seed_demo(chrono::Utc::now(), &hash).await.unwrap());
    assert_eq!(app.store.count_outcomes(maria).await.unwrap(), before);
    let dana = app.login("dana").await;
    let session = app.get("/api/session", Some(&dana)).await.json();
    assert_eq!(
        session["patients"].as_array().unwrap().len(),
        42,
        "no patients doubled"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::new().await;
    let reply = app.get("/api/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/health", &["get"][..]),
        ("/api/session", &["get", "post", "delete"][..]),
        ("/api/session/password", &["post"][..]),
        ("/api/patients/{p}/agenda", &["get"][..]),
        ("/api/patients/{p}/outcomes", &["post"][..]),
        ("/api/questionnaires", &["get"][..]),
        ("/api/patients/{p}/responses", &["get", "post"][..]),
        ("/api/patients/{p}/flags", &["get"][..]),
        ("/api/patients/{p}/check-ins", &["get"][..]),
        ("/api/patients/{p}/care-team", &["get"][..]),
        ("/api/patients/{p}/plan", &["get"][..]),
        ("/api/patients/{p}/goals", &["get", "post"][..]),
        ("/api/patients/{p}/appointments", &["get"][..]),
        ("/api/patients/{p}/appointments/{activity}/status", &["post"][..]),
        ("/api/lessons", &["get"][..]),
        ("/api/patients/{p}/transition", &["get"][..]),
        ("/api/patients/{p}/audit", &["get"][..]),
        ("/api/patients/{p}/activities/{activity}/versions", &["post"][..]),
        ("/api/patients/{p}/activities", &["post"][..]),
        ("/api/patients/{p}/goal-requests", &["get", "post"][..]),
        ("/api/patients/{p}/goal-requests/{id}/decision", &["post"][..]),
        ("/api/lessons/{slug}", &["get"][..]),
        ("/api/patients/{p}/calendar-feed", &["get", "post", "delete"][..]),
        ("/api/calendar/{token}.ics", &["get"][..]),
        ("/api/patients/{p}/grants", &["get"][..]),
        ("/api/patients/{p}/grants/{id}", &["post", "delete"][..]),
        ("/api/openapi.json", &["get"][..]),
    ] {
        for method in methods {
            assert!(paths[path].get(*method).is_some(), "{method} {path} documented");
        }
    }
}

#[tokio::test]
async fn unknown_api_paths_are_problem_json_404s() {
    let app = TestApp::new().await;
    let reply = app.get("/api/nothing-here", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"));
}

#[tokio::test]
async fn the_care_team_is_the_patients_own_and_shared_with_the_plan() {
    let app = TestApp::new().await;
    let (maria, maria_id, _) = maria_today(&app).await;
    let team = app
        .get(&format!("/api/patients/{maria_id}/care-team"), Some(&maria))
        .await
        .json();
    assert_eq!(team[0]["name"], "Dana Whitfield RN");
    assert_eq!(team[0]["phone"], "+1-312-555-0140");
    assert_eq!(team[0]["role"]["es"], "Gestora de cuidados");
    let ana = app.login("ana").await;
    assert_eq!(
        app.get(&format!("/api/patients/{maria_id}/care-team"), Some(&ana))
            .await
            .status,
        StatusCode::OK
    );
    let james = app.login("james").await;
    let james_id = app.patient_id(&james, "James Okafor").await;
    let his = app
        .get(&format!("/api/patients/{james_id}/care-team"), Some(&james))
        .await
        .json();
    assert_eq!(his[1]["name"], "Dr. Michael Chen");
    assert_eq!(
        app.get(&format!("/api/patients/{james_id}/care-team"), Some(&maria))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_plan_reads_in_plain_language_with_schedules_in_words() {
    let app = TestApp::new().await;
    let (maria, maria_id, _) = maria_today(&app).await;
    let plan = app
        .get(&format!("/api/patients/{maria_id}/plan"), Some(&maria))
        .await
        .json();
    assert!(plan["summary"]["en"].as_str().unwrap().contains("quinceañera"));
    let domains: Vec<&str> = plan["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["domain"].as_str().unwrap())
        .collect();
    assert_eq!(domains, ["medical", "behavioural", "functional", "social"]);
    let activities = plan["activities"].as_array().unwrap();
    let metformin = activities
        .iter()
        .find(|a| a["title"]["en"] == "Metformin 500 mg")
        .unwrap();
    assert_eq!(metformin["schedule"]["en"], "Every day at 8:00 AM and 8:00 PM");
    assert_eq!(metformin["schedule"]["es"], "Todos los días a las 8:00 y 20:00");
    let goal_id = metformin["goal_id"].as_i64().unwrap();
    let goal = plan["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == goal_id)
        .unwrap();
    assert_eq!(goal["title"]["en"], "A1c below 7.5 %");
    let bp = activities
        .iter()
        .find(|a| a["title"]["en"] == "Blood pressure")
        .unwrap();
    assert_eq!(bp["schedule"]["en"], "Mon, Wed, Fri at 8:30 AM");
    assert_eq!(plan["goals"].as_array().unwrap().len(), 4);
    let luis = app.login("luis").await;
    assert_eq!(
        app.get(&format!("/api/patients/{maria_id}/plan"), Some(&luis))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_a_while_and_no_other() {
    let app = TestApp::new().await;
    let attempt = |username: &str, password: &str| {
        let body = serde_json::json!({ "username": username, "password": password }).to_string();
        let app = &app;
        async move { app.post("/api/session", None, None, &body).await }
    };
    for n in 0..tend_server::throttle::PER_ACCOUNT {
        let reply = attempt("luis", "not-it").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "try {n}");
    }
    // Locked now, even with the right password, and said so.
    let locked = attempt("LUIS ", tend_server::store::demo::DEMO_PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.json()["type"], "/problems/too-many-attempts");
    let wait: u64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((800..=900).contains(&wait), "{wait}");
    // Others log in as usual.
    assert_eq!(
        attempt("ana", tend_server::store::demo::DEMO_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn care_managers_are_logged_off_after_15_idle_minutes_patients_after_30() {
    let app = TestApp::new().await;
    let dana = app.login("dana").await;
    let maria = app.login("maria").await;
    for who in ["dana", "maria"] {
        app.store
            .age_sessions(who, chrono::TimeDelta::minutes(20))
            .await
            .unwrap();
    }
    assert_eq!(
        app.get("/api/session", Some(&dana)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/session", Some(&maria)).await.status, StatusCode::OK);
    // Using it touched Maria's session; 20 idle minutes more are still fine, 31 are not.
    app.store
        .age_sessions("maria", chrono::TimeDelta::minutes(20))
        .await
        .unwrap();
    assert_eq!(app.get("/api/session", Some(&maria)).await.status, StatusCode::OK);
    app.store
        .age_sessions("maria", chrono::TimeDelta::minutes(31))
        .await
        .unwrap();
    assert_eq!(
        app.get("/api/session", Some(&maria)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The ended session is gone for good.
    assert_eq!(
        app.get("/api/session", Some(&maria)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_the_other_sessions() {
    let app = TestApp::new().await;
    let phone = app.login("maria").await;
    let laptop = app.login("maria").await;
    // Both in use (and so known to the server's memory of sessions).
    for session in [&phone, &laptop] {
        assert_eq!(
            app.get("/api/session", Some(session)).await.status,
            StatusCode::OK
        );
    }
    let change = |current: &str, new: &str| {
        serde_json::json!({ "current_password": current, "new_password": new }).to_string()
    };
    let path = "/api/session/password";
    let wrong = app
        .post(path, Some(&phone), None, &change("nope", "a long walk at dawn"))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["errors"][0]["field"], "current_password");
    let short = app
        .post(
            path,
            Some(&phone),
            None,
            &change(tend_server::store::demo::DEMO_PASSWORD, "short"),
        )
        .await;
    assert_eq!(short.json()["errors"][0]["code"], "too_short");
    assert_eq!(
        app.post(path, None, None, &change("a", "b")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let done = app
        .post(
            path,
            Some(&phone),
            None,
            &change(tend_server::store::demo::DEMO_PASSWORD, "a long walk at dawn"),
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text());
    // This session stays; the other ended; the old password no longer opens.
    assert_eq!(app.get("/api/session", Some(&phone)).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/session", Some(&laptop)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let login = |password: &str| serde_json::json!({ "username": "maria", "password": password }).to_string();
    assert_eq!(
        app.post(
            "/api/session",
            None,
            None,
            &login(tend_server::store::demo::DEMO_PASSWORD)
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post("/api/session", None, None, &login("a long walk at dawn"))
            .await
            .status,
        StatusCode::OK
    );
    // A second change needs the new password, and ends the first one's session too.
    let again = app.login_with("maria", "a long walk at dawn").await;
    assert_eq!(app.get("/api/session", Some(&again)).await.status, StatusCode::OK);
    let done = app
        .post(
            path,
            Some(&phone),
            None,
            &change("a long walk at dawn", "rain on the tin roof"),
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text());
    assert_eq!(
        app.get("/api/session", Some(&again)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/session", Some(&phone)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_sessions_last_use_is_saved_and_outlives_a_restart() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    // Unused for 25 minutes, then used: the use is noted in memory…
    app.store
        .age_sessions("maria", chrono::TimeDelta::minutes(25))
        .await
        .unwrap();
    assert_eq!(app.get("/api/session", Some(&maria)).await.status, StatusCode::OK);
    // …and written once saved; nothing is left to save after that.
    assert_eq!(app.store.save_session_uses().await.unwrap(), 1);
    assert_eq!(app.store.save_session_uses().await.unwrap(), 0);
    // A server started again on the same file knows of the use: 25 minutes
    // more of idleness are within Maria's 30, as they would not be without it.
    let restarted = app.restart().await;
    restarted
        .store
        .age_sessions("maria", chrono::TimeDelta::minutes(25))
        .await
        .unwrap();
    assert_eq!(
        restarted.get("/api/session", Some(&maria)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_access_by_someone_else_is_in_the_patients_audit_and_only_she_reads_it() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let ana = app.login("ana").await;
    let dana = app.login("dana").await;
    let luis = app.login("luis").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let path = format!("/api/patients/{p}/audit");
    assert_eq!(app.get(&path, Some(&maria)).await.json(), serde_json::json!([]));

    // Maria's own reads leave no trace; Luis is refused and leaves none either.
    app.get(&format!("/api/patients/{p}/plan"), Some(&maria)).await;
    assert_eq!(
        app.get(&format!("/api/patients/{p}/plan"), Some(&luis))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let agenda = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&ana))
        .await
        .json();
    let item = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "medication")
        .unwrap();
    let done = serde_json::json!({ "activity_id": item["activity_id"], "scheduled": item["scheduled"], "action": "done" });
    let marked = app
        .post(
            &format!("/api/patients/{p}/outcomes"),
            Some(&ana),
            Some("audit-1"),
            &done.to_string(),
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text());
    app.get(&format!("/api/patients/{p}/plan"), Some(&dana)).await;

    let entries = app.get(&path, Some(&maria)).await.json();
    let seen: Vec<(String, String, bool, String)> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["who"].as_str().unwrap().to_owned(),
                e["role"].as_str().unwrap().to_owned(),
                e["changed"].as_bool().unwrap(),
                e["part"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "Dana Whitfield RN".into(),
                "care_manager".into(),
                false,
                "plan".into()
            ),
            ("Ana".into(), "caregiver".into(), true, "reminders".into()),
            ("Ana".into(), "caregiver".into(), false, "reminders".into()),
        ]
    );
    assert!(entries.as_array().unwrap().iter().all(|e| e["preview"] == false));
    for cookie in [&ana, &dana] {
        assert_eq!(app.get(&path, Some(cookie)).await.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn maria_narrows_what_ana_sees_and_ending_it_works_on_anas_next_request() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let ana = app.login("ana").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let grants = app
        .get(&format!("/api/patients/{p}/grants"), Some(&maria))
        .await
        .json();
    let names: Vec<_> = grants
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["caregiver"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Ana") && names.contains(&"Luis"), "{names:?}");
    let ana_grant = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["caregiver"] == "Ana")
        .unwrap();
    let id = ana_grant["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/patients/{p}/grants"), Some(&ana))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let today = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&maria))
        .await
        .json()["today"]
        .as_str()
        .unwrap()
        .to_owned();
    let until = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap() + chrono::TimeDelta::days(30);
    let path = format!("/api/patients/{p}/grants/{id}");
    let none = app
        .post(
            &path,
            Some(&maria),
            None,
            &serde_json::json!({ "scopes": [], "until": until }).to_string(),
        )
        .await;
    assert_eq!(none.json()["errors"][0]["code"], "none");
    let narrowed = app
        .post(
            &path,
            Some(&maria),
            None,
            &serde_json::json!({ "scopes": ["measurements"], "until": until }).to_string(),
        )
        .await;
    assert_eq!(narrowed.status, StatusCode::OK, "{}", narrowed.text());
    assert_eq!(narrowed.json()["scopes"], serde_json::json!(["measurements"]));
    // Ana's session is the same one; her next requests see the change: the
    // agenda has her measurements only, and the plan is closed.
    let agenda = app.get(&format!("/api/patients/{p}/agenda"), Some(&ana)).await;
    assert_eq!(agenda.status, StatusCode::OK);
    assert!(agenda.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["metric"].is_string() && i["kind"] != "medication"));
    assert_eq!(
        app.get(&format!("/api/patients/{p}/plan"), Some(&ana))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let revoked = app
        .send(
            axum::http::Request::delete(&path)
                .header("cookie", &maria)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/patients/{p}/plan"), Some(&ana))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let session = app.get("/api/session", Some(&ana)).await.json();
    assert_eq!(session["patients"], serde_json::json!([]));
    // An ended grant cannot be changed back to life.
    let again = app
        .post(
            &path,
            Some(&maria),
            None,
            &serde_json::json!({ "scopes": ["reminders"], "until": until }).to_string(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn guesses_sent_at_once_cannot_all_pass_the_throttle() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let mut handles = Vec::new();
    for n in 0..12 {
        let router = app.router.clone();
        let body = serde_json::json!({ "username": "maria", "password": format!("guess-{n}") }).to_string();
        handles.push(tokio::spawn(async move {
            let request = Request::post("/api/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let _ = response.into_body().collect().await;
            status
        }));
    }
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.push(handle.await.unwrap());
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (checked, throttled),
        (
            tend_server::throttle::PER_ACCOUNT,
            12 - tend_server::throttle::PER_ACCOUNT
        ),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn the_audit_says_what_was_done_a_refused_change_is_no_change_and_a_refused_read_no_read() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let ana = app.login("ana").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let agenda = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&maria))
        .await
        .json();
    let item = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "medication")
        .unwrap();
    let outcomes = format!("/api/patients/{p}/outcomes");
    // A change refused for its content changed nothing, and says so.
    let refused = app
        .post(
            &outcomes,
            Some(&ana),
            Some("audit-refused"),
            r#"{"action":"done"}"#,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    // A read refused for its query read nothing: no entry.
    let bad = app
        .get(&format!("/api/patients/{p}/agenda?from=yesterday"), Some(&ana))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A change, then the same change again: the second only shows what was stored.
    let done = serde_json::json!({ "activity_id": item["activity_id"], "scheduled": item["scheduled"], "action": "done" })
        .to_string();
    for _ in 0..2 {
        let marked = app.post(&outcomes, Some(&ana), Some("audit-done"), &done).await;
        assert_eq!(marked.status, StatusCode::OK, "{}", marked.text());
    }
    // The missed-medicine alert is part of her reminders.
    assert_eq!(
        app.get(&format!("/api/patients/{p}/alerts"), Some(&ana))
            .await
            .status,
        StatusCode::OK
    );

    let entries = app
        .get(&format!("/api/patients/{p}/audit"), Some(&maria))
        .await
        .json();
    let seen: Vec<(bool, bool, String)> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["changed"].as_bool().unwrap(),
                e["refused"].as_bool().unwrap(),
                e["part"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let reminders = || "reminders".to_owned();
    assert_eq!(
        seen,
        [
            (false, false, reminders()),
            (false, false, reminders()),
            (true, false, reminders()),
            (false, true, reminders()),
        ],
        "newest first: the alert, the replay, the change, the refused change"
    );
}

#[tokio::test]
async fn every_route_of_a_record_names_its_part_in_the_audit() {
    let doc = tend_server::openapi();
    let doc = serde_json::to_value(&doc).unwrap();
    let others: Vec<&String> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|path| path.starts_with("/api/patients/{p}/"))
        .filter(|path| tend_model::RecordPart::of_route(path) == tend_model::RecordPart::Other)
        .collect();
    assert!(others.is_empty(), "filed under Other: {others:?}");
}

#[tokio::test]
async fn twenty_wrong_logins_from_one_address_hold_it_back_and_no_other_address() {
    use std::net::SocketAddr;
    let app = TestApp::new().await;
    let from = |address: &str, username: &str, password: &str| {
        let mut request = Request::post("/api/session")
            .header("content-type", "application/json")
            .body(Body::from(
                serde_json::json!({ "username": username, "password": password }).to_string(),
            ))
            .unwrap();
        let peer: SocketAddr = address.parse().unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        app.send(request)
    };
    // Four wrong tries for each of five names: under each account's limit, at the address's.
    assert_eq!(tend_server::throttle::PER_ADDRESS, 20);
    for n in 0..tend_server::throttle::PER_ADDRESS {
        let name = format!("guess{}", n % 5);
        let reply = from("203.0.113.7:40000", &name, "not-it").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "try {n}");
    }
    // The address is held back now, even with a right password, on another port too.
    let held = from(
        "203.0.113.7:40001",
        "maria",
        tend_server::store::demo::DEMO_PASSWORD,
    )
    .await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", held.text());
    assert_eq!(held.json()["type"], "/problems/too-many-attempts");
    assert!(held.header("retry-after").is_some());
    // Another address logs in as usual.
    let other = from(
        "198.51.100.2:40000",
        "maria",
        tend_server::store::demo::DEMO_PASSWORD,
    )
    .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text());
}
