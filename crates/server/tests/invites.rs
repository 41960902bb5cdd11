//! Invitations: a one-time code that expires, is used once, can be
//! withdrawn, is guessed only so often, and makes or replaces a grant.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{TimeDelta, Utc};
use common::{Reply, TestApp};
use serde_json::{json, Value};

async fn delete(app: &TestApp, path: &str, cookie: &str) -> Reply {
    let request = Request::delete(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

fn invite_body(scopes: &[&str], valid_days: u8) -> String {
    let until = (Utc::now() + TimeDelta::days(30)).date_naive();
    json!({ "label": "for Rosa", "scopes": scopes, "until": until, "valid_days": valid_days }).to_string()
}

async fn invite(app: &TestApp, cookie: &str, p: i64, scopes: &[&str], key: &str) -> Value {
    let reply = app
        .post(
            &format!("/api/patients/{p}/invites"),
            Some(cookie),
            Some(key),
            &invite_body(scopes, 7),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()
}

async fn lookup(app: &TestApp, code: &str) -> Reply {
    app.post(
        "/api/invites/lookup",
        None,
        None,
        &json!({ "code": code }).to_string(),
    )
    .await
}

fn sign_up_body(code: &str, username: &str) -> String {
    json!({ "code": code, "name": "Rosa", "username": username, "password": "a long walk at dawn" })
        .to_string()
}

fn cookie_of(reply: &Reply) -> String {
    reply
        .header("set-cookie")
        .expect("set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_invite_is_shown_once_looked_up_by_anyone_with_the_code_and_accepted_by_a_new_account_once() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let made = invite(&app, &maria, p, &["measurements"], "invite-1").await;
    let code = made["code"].as_str().unwrap().to_owned();
    assert!(regex_like_code(&code), "{code}");
    assert_eq!(made["path"], format!("/invite/{code}"));

    // The list has the invite, never its code.
    let open = app.get(&format!("/api/patients/{p}/invites"), Some(&maria)).await;
    assert_eq!(open.status, StatusCode::OK);
    assert_eq!(open.json().as_array().unwrap().len(), 1);
    assert_eq!(open.json()[0]["label"], "for Rosa");
    assert!(!open.text().contains(&code) && !open.text().contains(&code.replace('-', "")));

    // Typed in lower case with spaces, without logging in.
    let typed = code.to_lowercase().replace('-', " ");
    let preview = lookup(&app, &typed).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    assert_eq!(preview.json()["patient_name"], "Maria Santos");
    assert_eq!(preview.json()["scopes"], json!(["measurements"]));

    // A new account accepts it and is logged in, seeing Maria's measurements only.
    let signed = app
        .post("/api/invites/sign-up", None, None, &sign_up_body(&code, "Rosa"))
        .await;
    assert_eq!(signed.status, StatusCode::CREATED, "{}", signed.text());
    assert_eq!(signed.json()["patient_id"], p);
    let rosa = cookie_of(&signed);
    let session = app.get("/api/session", Some(&rosa)).await.json();
    assert_eq!(session["account"]["role"], "caregiver");
    assert_eq!(session["account"]["username"], "rosa");
    assert_eq!(session["patients"][0]["scopes"], json!(["measurements"]));
    assert_eq!(
        app.get(&format!("/api/patients/{p}/plan"), Some(&rosa))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let grants = app
        .get(&format!("/api/patients/{p}/grants"), Some(&maria))
        .await
        .json();
    let rosas: Vec<&Value> = grants
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["caregiver"] == "Rosa")
        .collect();
    assert_eq!(rosas.len(), 1);
    // Shared until the end of the chosen day where Maria lives, not of the code.
    assert_eq!(
        rosas[0]["expires_at"].as_str().unwrap()[..10],
        (Utc::now() + TimeDelta::days(31)).date_naive().to_string()
    );

    // Used up: no longer offered, nor accepted by anyone else.
    assert_eq!(lookup(&app, &code).await.status, StatusCode::NOT_FOUND);
    let again = app
        .post("/api/invites/sign-up", None, None, &sign_up_body(&code, "rosa2"))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(app
        .get(&format!("/api/patients/{p}/invites"), Some(&maria))
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());

    // The very same sign-up again (a retry) logs in again and makes nothing new.
    let retry = app
        .post("/api/invites/sign-up", None, None, &sign_up_body(&code, "rosa"))
        .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text());
    let grants = app
        .get(&format!("/api/patients/{p}/grants"), Some(&maria))
        .await
        .json();
    assert_eq!(
        grants
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["caregiver"] == "Rosa")
            .count(),
        1
    );
    // With another password it is someone else wanting the name.
    let other = json!({ "code": code, "name": "Rosa", "username": "rosa", "password": "another long one" });
    let taken = app
        .post("/api/invites/sign-up", None, None, &other.to_string())
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(taken.json()["errors"][0]["code"], "taken");
    // A taken username with a fresh code is taken too.
    let fresh = invite(&app, &maria, p, &["reminders"], "invite-2").await;
    let taken = app
        .post(
            "/api/invites/sign-up",
            None,
            None,
            &sign_up_body(fresh["code"].as_str().unwrap(), "ana"),
        )
        .await;
    assert_eq!(taken.json()["errors"][0]["code"], "taken");
}

fn regex_like_code(code: &str) -> bool {
    let (a, b) = code.split_once('-').unwrap_or_default();
    a.len() == 5
        && b.len() == 5
        && code
            .chars()
            .filter(|c| *c != '-')
            .all(|c| "ABCDEFGHJKMNPQRSTUVWXYZ23456789".contains(c))
}

#[tokio::test]
async fn a_retried_invite_is_the_same_invite_with_a_new_code() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let first = invite(&app, &maria, p, &["measurements"], "same-key").await;
    let retry = app
        .post(
            &format!("/api/patients/{p}/invites"),
            Some(&maria),
            Some("same-key"),
            &invite_body(&["measurements"], 7),
        )
        .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    let retry = retry.json();
    assert_eq!(retry["invite"]["id"], first["invite"]["id"]);
    assert_ne!(retry["code"], first["code"]);
    assert_eq!(
        app.get(&format!("/api/patients/{p}/invites"), Some(&maria))
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        lookup(&app, first["code"].as_str().unwrap()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lookup(&app, retry["code"].as_str().unwrap()).await.status,
        StatusCode::OK
    );
    // The same key with another body is a conflict.
    let other = app
        .post(
            &format!("/api/patients/{p}/invites"),
            Some(&maria),
            Some("same-key"),
            &invite_body(&["reminders"], 7),
        )
        .await;
    assert_eq!(other.status, StatusCode::CONFLICT);
    // Nothing shared, a day too far and too long open: every field says so.
    let until = (Utc::now() + TimeDelta::days(400)).date_naive();
    let bad = json!({ "scopes": [], "until": until, "valid_days": 30 }).to_string();
    let refused = app
        .post(
            &format!("/api/patients/{p}/invites"),
            Some(&maria),
            Some("bad"),
            &bad,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = refused.json();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["scopes", "until", "valid_days"]);
    // A refused invite leaves its key free.
    let ok = app
        .post(
            &format!("/api/patients/{p}/invites"),
            Some(&maria),
            Some("bad"),
            &invite_body(&["reminders"], 1),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_withdrawn_or_expired_code_opens_nothing() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let made = invite(&app, &maria, p, &["reminders"], "w").await;
    let id = made["invite"]["id"].as_i64().unwrap();
    // Nobody else withdraws it.
    let ana = app.login("ana").await;
    assert_eq!(
        delete(&app, &format!("/api/patients/{p}/invites/{id}"), &ana)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        delete(&app, &format!("/api/patients/{p}/invites/{id}"), &maria)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        delete(&app, &format!("/api/patients/{p}/invites/{id}"), &maria)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lookup(&app, made["code"].as_str().unwrap()).await.status,
        StatusCode::NOT_FOUND
    );

    let late = invite(&app, &maria, p, &["reminders"], "x").await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.dir.path().join("tend.db").display()))
        .await
        .unwrap();
    sqlx::query("UPDATE invites SET expires_at = ? WHERE id = ?")
        .bind(tend_server::store::ts(Utc::now() - TimeDelta::seconds(1)))
        .bind(late["invite"]["id"].as_i64().unwrap())
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        lookup(&app, late["code"].as_str().unwrap()).await.status,
        StatusCode::NOT_FOUND
    );
    let signed = app
        .post(
            "/api/invites/sign-up",
            None,
            None,
            &sign_up_body(late["code"].as_str().unwrap(), "rosa"),
        )
        .await;
    assert_eq!(signed.status, StatusCode::NOT_FOUND);
    assert!(app
        .get(&format!("/api/patients/{p}/invites"), Some(&maria))
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn an_existing_caregiver_accepts_and_the_invite_replaces_her_live_grant() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let made = invite(&app, &maria, p, &["measurements"], "for-ana").await;
    let ana = app.login("ana").await;
    let body = json!({ "code": made["code"] }).to_string();
    let accepted = app
        .post("/api/invites/accept", Some(&ana), Some("accept-1"), &body)
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    assert_eq!(accepted.json()["patient_id"], p);
    assert_eq!(
        accepted.json()["session"]["patients"][0]["scopes"],
        json!(["measurements"])
    );
    // One live grant for Ana: the new one. Her plan access ended with the old one.
    let grants = app
        .get(&format!("/api/patients/{p}/grants"), Some(&maria))
        .await
        .json();
    let anas: Vec<&Value> = grants
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["caregiver"] == "Ana")
        .collect();
    assert_eq!(anas.len(), 2);
    assert_eq!(anas.iter().filter(|g| g.get("revoked_at").is_none()).count(), 1);
    assert_eq!(anas[0]["scopes"], json!(["measurements"]));
    assert_eq!(
        app.get(&format!("/api/patients/{p}/plan"), Some(&ana))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let session = app.get("/api/session", Some(&ana)).await.json();
    assert_eq!(session["patients"][0]["scopes"], json!(["measurements"]));
    // A retry gets the first answer; another key finds the code used.
    let replay = app
        .post("/api/invites/accept", Some(&ana), Some("accept-1"), &body)
        .await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    let used = app
        .post("/api/invites/accept", Some(&ana), Some("accept-2"), &body)
        .await;
    assert_eq!(used.status, StatusCode::NOT_FOUND);

    // A patient's account is not a caregiver's.
    let fresh = invite(&app, &maria, p, &["measurements"], "for-james").await;
    let james = app.login("james").await;
    let refused = app
        .post(
            "/api/invites/accept",
            Some(&james),
            Some("j"),
            &json!({ "code": fresh["code"] }).to_string(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["errors"][0]["code"], "not_caregiver");
    assert_eq!(
        lookup(&app, fresh["code"].as_str().unwrap()).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn guessing_codes_is_stopped_after_ten_wrong_ones() {
    let app = TestApp::new().await;
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    let made = invite(&app, &maria, p, &["measurements"], "g").await;
    let code = made["code"].as_str().unwrap();
    // Right guesses do not count.
    for _ in 0..12 {
        assert_eq!(lookup(&app, code).await.status, StatusCode::OK);
    }
    for n in 0..10 {
        let wrong = format!(
            "{}{}",
            &code[..code.len() - 1],
            if code.ends_with('A') { 'B' } else { 'A' }
        );
        assert_eq!(
            lookup(&app, &wrong).await.status,
            StatusCode::NOT_FOUND,
            "guess {n}"
        );
    }
    let held = lookup(&app, code).await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(held.header("retry-after").is_some());
    let signed = app
        .post("/api/invites/sign-up", None, None, &sign_up_body(code, "rosa"))
        .await;
    assert_eq!(signed.status, StatusCode::TOO_MANY_REQUESTS);
    // Logging in is counted apart.
    app.login("ana").await;
}
