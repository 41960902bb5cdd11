mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{Reply, TestApp};
use serde_json::{json, Value};

async fn delete(app: &TestApp, path: &str, cookie: &str) -> Reply {
    app.send(
        Request::delete(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Maria makes her calendar link; returns her cookie, her id and the feed's path.
async fn maria_with_a_link(app: &TestApp) -> (String, i64, String) {
    let cookie = app.login("maria").await;
    let maria = app.patient_id(&cookie, "Maria Santos").await;
    let made = app
        .post(
            &format!("/api/patients/{maria}/calendar-feed"),
            Some(&cookie),
            None,
            "",
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    assert_eq!(made.header("cache-control"), Some("no-store"));
    let path = made.json()["path"].as_str().unwrap().to_owned();
    (cookie, maria, path)
}

/// The lines of a feed with folded lines joined again.
fn lines(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// (UID, DTSTART, SUMMARY) of every event.
fn events(ics: &str) -> Vec<(String, String, String)> {
    let mut all = Vec::new();
    let (mut uid, mut start, mut summary) = (String::new(), String::new(), String::new());
    let mut in_alarm = false;
    for line in lines(ics) {
        match line.split_once(':') {
            Some(("BEGIN", "VALARM")) => in_alarm = true,
            Some(("END", "VALARM")) => in_alarm = false,
            Some(("UID", v)) => uid = v.to_owned(),
            Some(("DTSTART", v)) => start = v.to_owned(),
            Some(("SUMMARY", v)) if !in_alarm => summary = v.to_owned(),
            Some(("END", "VEVENT")) => all.push((uid.clone(), start.clone(), summary.clone())),
            _ => {}
        }
    }
    all
}

#[tokio::test]
async fn the_feed_has_marias_upcoming_reminders_in_spanish_with_alarms_and_utc_times() {
    let app = TestApp::new().await;
    let (cookie, maria, path) = maria_with_a_link(&app).await;
    let token = path
        .strip_prefix("/api/calendar/")
        .and_then(|p| p.strip_suffix(".ics"))
        .unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));

    let reply = app.get(&path, None).await;
    assert_eq!(reply.status, StatusCode::OK, "no session needed");
    assert_eq!(reply.header("content-type"), Some("text/calendar; charset=utf-8"));
    let ics = reply.text();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    let found = events(&ics);
    // Medicines, measurements and walks every day for two months, and the visits.
    assert!(found.len() > 6 * 60, "{} events", found.len());
    assert!(
        found.iter().any(|(_, _, s)| s == "Metformina 500 mg"),
        "Maria reads Spanish"
    );
    assert!(found
        .iter()
        .any(|(_, _, s)| s == "Cita de cardiología con el Dr. Patel"));
    assert!(ics.contains("TRIGGER:-PT15M\r\n") && ics.contains("TRIGGER:-P1D\r\n"));
    assert!(
        !found.iter().any(|(_, _, s)| s.contains("traslados")),
        "as-needed activities have no occurrences"
    );

    // Tomorrow's 08:00 metformin starts at the instant the agenda gives it.
    let today = app
        .get(&format!("/api/patients/{maria}/agenda"), Some(&cookie))
        .await
        .json()["today"]
        .as_str()
        .unwrap()
        .to_owned();
    let tomorrow =
        chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap() + chrono::TimeDelta::days(1);
    let agenda = app
        .get(
            &format!("/api/patients/{maria}/agenda?from={tomorrow}&to={tomorrow}"),
            Some(&cookie),
        )
        .await
        .json();
    let metformin = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["title"]["en"] == "Metformin 500 mg" && i["scheduled"].as_str().unwrap().ends_with("T08:00:00")
        })
        .unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(metformin["at"].as_str().unwrap()).unwrap();
    let uid = format!(
        "{}-{}T0800@tend",
        metformin["activity_id"],
        tomorrow.format("%Y%m%d")
    );
    let event = found
        .iter()
        .find(|(u, _, _)| *u == uid)
        .expect("tomorrow's metformin");
    assert_eq!(event.1, at.format("%Y%m%dT%H%M%SZ").to_string());

    // Fetched again, the same occurrences keep their UIDs.
    let again = events(&app.get(&path, None).await.text());
    assert_eq!(
        again.iter().map(|e| &e.0).collect::<Vec<_>>(),
        found.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_marked_occurrence_leaves_the_feed() {
    let app = TestApp::new().await;
    let (cookie, maria, path) = maria_with_a_link(&app).await;
    let agenda = app
        .get(&format!("/api/patients/{maria}/agenda"), Some(&cookie))
        .await
        .json();
    let evening = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["title"]["en"] == "Metformin 500 mg" && i["scheduled"].as_str().unwrap().ends_with("T20:00:00")
        })
        .unwrap()
        .clone();
    let uid = format!(
        "{}-{}@tend",
        evening["activity_id"],
        chrono::NaiveDateTime::parse_from_str(evening["scheduled"].as_str().unwrap(), "%Y-%m-%dT%H:%M:%S")
            .unwrap()
            .format("%Y%m%dT%H%M")
    );
    let has = |ics: &str| events(ics).iter().any(|(u, _, _)| *u == uid);
    assert!(has(&app.get(&path, None).await.text()));
    let marked = app
        .post(
            &format!("/api/patients/{maria}/outcomes"),
            Some(&cookie),
            Some("evening-metformin"),
            &json!({ "activity_id": evening["activity_id"], "scheduled": evening["scheduled"], "action": "done" })
                .to_string(),
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text());
    assert!(!has(&app.get(&path, None).await.text()));
}

#[tokio::test]
async fn the_link_shows_once_rotates_and_revokes() {
    let app = TestApp::new().await;
    let cookie = app.login("maria").await;
    let maria = app.patient_id(&cookie, "Maria Santos").await;
    let manage = format!("/api/patients/{maria}/calendar-feed");
    let none = app.get(&manage, Some(&cookie)).await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json(), json!({ "created_at": null }));

    let (_, _, first) = maria_with_a_link(&app).await;
    let shown: Value = app.get(&manage, Some(&cookie)).await.json();
    assert!(shown["created_at"].is_string());
    assert!(
        shown.get("path").is_none(),
        "the link is shown only once: {shown}"
    );

    // Rotating: a new link, and the old one stops working at once.
    let rotated = app.post(&manage, Some(&cookie), None, "").await;
    assert_eq!(rotated.status, StatusCode::CREATED);
    let second = rotated.json()["path"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    let old = app.get(&first, None).await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    assert_eq!(old.header("content-type"), Some("application/problem+json"));
    assert_eq!(app.get(&second, None).await.status, StatusCode::OK);

    // Revoking: nothing answers any more, and there is no link to show.
    assert_eq!(
        delete(&app, &manage, &cookie).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get(&second, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&manage, Some(&cookie)).await.json(),
        json!({ "created_at": null })
    );
    assert_eq!(
        delete(&app, &manage, &cookie).await.status,
        StatusCode::NO_CONTENT,
        "revoking twice is no error"
    );
}

#[tokio::test]
async fn unknown_and_malformed_feed_paths_are_404s() {
    let app = TestApp::new().await;
    let (_, _, path) = maria_with_a_link(&app).await;
    let without_suffix = path.strip_suffix(".ics").unwrap();
    for wrong in [
        "/api/calendar/0000000000000000000000000000000000000000000000000000000000000000.ics",
        "/api/calendar/.ics",
        without_suffix,
        &format!("{without_suffix}.ICS"),
        &format!("/api/calendar/{}.ics", "a".repeat(200)),
    ] {
        let reply = app.get(wrong, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{wrong}");
        assert!(!reply.text().contains("VCALENDAR"));
    }
}

#[tokio::test]
async fn only_maria_herself_manages_her_link() {
    let app = TestApp::new().await;
    let (maria_cookie, maria, path) = maria_with_a_link(&app).await;
    let manage = format!("/api/patients/{maria}/calendar-feed");
    // Ana may record for Maria and sees her reminders, Dana is her care
    // manager: neither may make, see or end her link. Luis's grant was
    // revoked and James is another patient: for them she does not exist.
    for (who, want) in [
        ("ana", StatusCode::FORBIDDEN),
        ("dana", StatusCode::FORBIDDEN),
        ("luis", StatusCode::NOT_FOUND),
        ("james", StatusCode::NOT_FOUND),
    ] {
        let cookie = app.login(who).await;
        let read = app.get(&manage, Some(&cookie)).await;
        assert_eq!(read.status, want, "{who} reads");
        assert!(!read.text().contains("created_at"), "{who} learns nothing");
        let make = app.post(&manage, Some(&cookie), None, "").await;
        assert_eq!(make.status, want, "{who} makes");
        assert!(!make.text().contains("/api/calendar/"));
        assert_eq!(delete(&app, &manage, &cookie).await.status, want, "{who} revokes");
    }
    assert_eq!(app.get(&manage, None).await.status, StatusCode::UNAUTHORIZED);
    // Maria's link is the one she made, and it still works.
    assert_eq!(app.get(&path, None).await.status, StatusCode::OK);
    assert!(app.get(&manage, Some(&maria_cookie)).await.json()["created_at"].is_string());
}

#[tokio::test]
async fn another_site_cannot_make_or_end_a_link() {
    let app = TestApp::new().await;
    let (cookie, maria, path) = maria_with_a_link(&app).await;
    let manage = format!("/api/patients/{maria}/calendar-feed");
    for method in ["POST", "DELETE"] {
        let reply = app
            .send(
                Request::builder()
                    .method(method)
                    .uri(&manage)
                    .header(header::COOKIE, &cookie)
                    .header("origin", "http://evil.test")
                    .header("host", "127.0.0.1:3000")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method}");
    }
    assert_eq!(app.get(&path, None).await.status, StatusCode::OK);
}
