//! The authorization matrix: every route of the OpenAPI document (so a new
//! route without expectations fails here) × every kind of actor, with the
//! status each must get, no 5xx, and no other patient's name or id in any
//! answer that succeeded.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::{TimeDelta, Utc};
use common::TestApp;
use serde_json::Value;
use tend_model::{Role, Scope};

/// Who may use a route, as the server decides it.
#[derive(Clone, Copy, Debug)]
enum Policy {
    /// Anyone, logged in or not.
    Public,
    /// Anyone logged in.
    Session,
    /// Of a patient's record: a caregiver needs all of `needs` (or one of
    /// them, with `any`); the patient's care manager may read but not write.
    Record {
        needs: &'static [Scope],
        any: bool,
        writes: bool,
    },
    /// Only the patient's care manager (plan edits, decisions, referrals).
    CareTeam,
    /// Only the patient themself.
    OwnOnly,
    /// Any care manager, for their own patients (the panel).
    CareManagers,
}

fn expectations() -> BTreeMap<&'static str, Policy> {
    use Policy::*;
    use Scope::*;
    let read = |needs| Record {
        needs,
        any: false,
        writes: false,
    };
    let write = |needs| Record {
        needs,
        any: false,
        writes: true,
    };
    let plan = read(&[PlanGoals]);
    let answers = read(&[Assessments]);
    BTreeMap::from([
        ("GET /api/health", Public),
        ("GET /api/openapi.json", Public),
        ("GET /api/calendar/{token}.ics", Public),
        ("POST /api/session", Public),
        ("DELETE /api/session", Public),
        ("GET /api/session", Session),
        ("POST /api/session/password", Session),
        ("GET /api/lessons", Session),
        ("GET /api/lessons/{slug}", Session),
        ("GET /api/questionnaires", Public),
        // Reminders or measurements; with measurements alone, only what is measured.
        (
            "GET /api/patients/{p}/agenda",
            Record {
                needs: &[Reminders, Measurements],
                any: true,
                writes: false,
            },
        ),
        ("POST /api/patients/{p}/outcomes", write(&[RecordOnBehalf])),
        ("GET /api/patients/{p}/plan", plan),
        ("GET /api/patients/{p}/goals", plan),
        ("GET /api/patients/{p}/care-team", plan),
        ("GET /api/patients/{p}/appointments", plan),
        ("GET /api/patients/{p}/transition", plan),
        ("GET /api/patients/{p}/goal-requests", plan),
        (
            "POST /api/patients/{p}/goal-requests",
            write(&[PlanGoals, RecordOnBehalf]),
        ),
        ("GET /api/patients/{p}/check-ins", answers),
        ("GET /api/patients/{p}/flags", answers),
        ("GET /api/patients/{p}/responses", answers),
        (
            "POST /api/patients/{p}/responses",
            write(&[RecordOnBehalf, Assessments]),
        ),
        ("POST /api/patients/{p}/activities/{activity}/versions", CareTeam),
        ("POST /api/patients/{p}/activities", CareTeam),
        ("POST /api/patients/{p}/goals", CareTeam),
        ("POST /api/patients/{p}/appointments/{activity}/status", CareTeam),
        ("POST /api/patients/{p}/goal-requests/{id}/decision", CareTeam),
        ("GET /api/patients/{p}/audit", OwnOnly),
        ("GET /api/patients/{p}/grants", OwnOnly),
        ("POST /api/patients/{p}/grants/{id}", OwnOnly),
        ("DELETE /api/patients/{p}/grants/{id}", OwnOnly),
        ("GET /api/patients/{p}/calendar-feed", OwnOnly),
        ("POST /api/patients/{p}/calendar-feed", OwnOnly),
        ("DELETE /api/patients/{p}/calendar-feed", OwnOnly),
        ("GET /api/panel", CareManagers),
        ("POST /api/patients/{p}/flags/{flag}/acknowledgement", CareTeam),
        ("GET /api/patients/{p}/preview-accounts", CareTeam),
        ("POST /api/patients/{p}/goals/{goal}", CareTeam),
        ("GET /api/patients/{p}/invites", OwnOnly),
        ("POST /api/patients/{p}/invites", OwnOnly),
        ("DELETE /api/patients/{p}/invites/{id}", OwnOnly),
        // The code is the key: no session needed to see or take it (guesses are throttled).
        ("POST /api/invites/lookup", Public),
        ("POST /api/invites/sign-up", Public),
        ("POST /api/invites/accept", Session),
        ("GET /api/patients/{p}/caregiver-alerts", OwnOnly),
        ("POST /api/patients/{p}/caregiver-alerts", OwnOnly),
        ("GET /api/patients/{p}/alerts", read(&[Reminders])),
    ])
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Actor {
    Patient,
    OtherPatient,
    /// Ana: every scope but the self-assessment answers.
    CaregiverWithScopes,
    /// Caregivers holding one scope each.
    CaregiverPlanOnly,
    CaregiverRemindersOnly,
    CaregiverMeasurementsOnly,
    CaregiverAssessmentsOnly,
    CaregiverRecordOnly,
    CaregiverExpired,
    CaregiverRevoked,
    CareManager,
    OtherCareManager,
    Nobody,
    /// The care manager previewing the app as the patient, then as Ana.
    PreviewAsPatient,
    PreviewAsCaregiver,
}

const ACTORS: [Actor; 15] = [
    Actor::Patient,
    Actor::OtherPatient,
    Actor::CaregiverWithScopes,
    Actor::CaregiverPlanOnly,
    Actor::CaregiverRemindersOnly,
    Actor::CaregiverMeasurementsOnly,
    Actor::CaregiverAssessmentsOnly,
    Actor::CaregiverRecordOnly,
    Actor::CaregiverExpired,
    Actor::CaregiverRevoked,
    Actor::CareManager,
    Actor::OtherCareManager,
    Actor::Nobody,
    Actor::PreviewAsPatient,
    Actor::PreviewAsCaregiver,
];

/// The single-scope caregivers this test makes: login and scope.
const ONE_SCOPE: [(Actor, &str, Scope); 5] = [
    (Actor::CaregiverPlanOnly, "pat-plan", Scope::PlanGoals),
    (Actor::CaregiverRemindersOnly, "rey-reminders", Scope::Reminders),
    (
        Actor::CaregiverMeasurementsOnly,
        "mia-measurements",
        Scope::Measurements,
    ),
    (Actor::CaregiverAssessmentsOnly, "ada-answers", Scope::Assessments),
    (Actor::CaregiverRecordOnly, "rob-record", Scope::RecordOnBehalf),
];

/// What a caregiver with a live grant from the patient holds.
fn live_scopes(actor: Actor) -> Option<Vec<Scope>> {
    match actor {
        Actor::CaregiverWithScopes => Some(vec![
            Scope::PlanGoals,
            Scope::Reminders,
            Scope::Measurements,
            Scope::RecordOnBehalf,
        ]),
        other => ONE_SCOPE
            .iter()
            .find(|(a, _, _)| *a == other)
            .map(|(_, _, scope)| vec![*scope]),
    }
}

/// What an actor must get: `None` means "let through" (the handler may still
/// answer 2xx, 400, 409 or 422 for the made-up body), else that exact status.
fn expected(policy: Policy, actor: Actor, method: &Method) -> Option<StatusCode> {
    use Actor::*;
    let hidden = Some(StatusCode::NOT_FOUND);
    let refused = Some(StatusCode::FORBIDDEN);
    let anonymous = Some(StatusCode::UNAUTHORIZED);
    // A preview changes nothing, whatever the route; it reads as the previewed person.
    let (actor, previewing) = match actor {
        PreviewAsPatient => (Patient, true),
        PreviewAsCaregiver => (CaregiverWithScopes, true),
        other => (other, false),
    };
    if previewing && !matches!(*method, Method::GET | Method::HEAD) {
        return refused;
    }
    match (policy, actor) {
        (Policy::Public, _) => None,
        (Policy::CareManagers, Nobody) => anonymous,
        (Policy::CareManagers, CareManager | OtherCareManager) => None,
        (Policy::CareManagers, _) => refused,
        (_, Nobody) => anonymous,
        (Policy::Session, _) => None,
        // Records of someone one may not see at all are hidden.
        (_, OtherPatient | CaregiverExpired | CaregiverRevoked | OtherCareManager) => hidden,
        (Policy::OwnOnly, Patient) => None,
        (Policy::OwnOnly, _) => refused,
        (Policy::CareTeam, CareManager) => None,
        (Policy::CareTeam, _) => refused,
        (Policy::Record { .. }, Patient) => None,
        (Policy::Record { writes, .. }, CareManager) => writes.then_some(StatusCode::FORBIDDEN),
        (Policy::Record { needs, any, .. }, caregiver) => {
            let held = live_scopes(caregiver).expect("a caregiver with a live grant");
            let allowed = if any {
                needs.iter().any(|n| held.contains(n))
            } else {
                needs.iter().all(|n| held.contains(n))
            };
            (!allowed).then_some(StatusCode::FORBIDDEN)
        }
    }
}

/// Every patient id an answer names: `patient_id` anywhere, and the ids of
/// the session's patients and of the panel's rows.
fn patient_ids(route: &str, body: &Value) -> BTreeSet<i64> {
    fn walk(value: &Value, found: &mut BTreeSet<i64>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    if key == "patient_id" {
                        found.extend(inner.as_i64());
                    }
                    walk(inner, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, found)),
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    walk(body, &mut found);
    let listed = match route {
        "GET /api/session" => body["patients"].as_array(),
        "GET /api/panel" => body.as_array(),
        _ => None,
    };
    found.extend(listed.into_iter().flatten().filter_map(|p| p["id"].as_i64()));
    found
}

#[tokio::test]
async fn every_route_refuses_whom_it_must_and_leaks_no_other_patient() {
    let app = TestApp::new().await;
    let now = Utc::now();
    let hash = tend_server::auth::hash_password(tend_server::store::demo::DEMO_PASSWORD).unwrap();
    let maria = app.login("maria").await;
    let p = app.patient_id(&maria, "Maria Santos").await;
    // An expired grant, and a care manager with no patients of her own here.
    let eve = app
        .store
        .create_account("eve", &hash, Role::Caregiver, "Eve", None)
        .await
        .unwrap();
    app.store
        .create_grant(p, eve, &Scope::ALL, now - TimeDelta::days(1))
        .await
        .unwrap();
    app.store
        .create_account("carl", &hash, Role::CareManager, "Carl Reyes RN", None)
        .await
        .unwrap();
    // Caregivers of Maria holding one scope each.
    for (_, username, scope) in ONE_SCOPE {
        let id = app
            .store
            .create_account(username, &hash, Role::Caregiver, username, None)
            .await
            .unwrap();
        app.store
            .create_grant(p, id, &[scope], now + TimeDelta::days(30))
            .await
            .unwrap();
    }
    let mut cookies = BTreeMap::new();
    for (actor, username) in [
        ("patient", "maria"),
        ("other", "james"),
        ("caregiver", "ana"),
        ("expired", "eve"),
        ("revoked", "luis"),
        ("manager", "dana"),
        ("other-manager", "carl"),
    ]
    .into_iter()
    .chain(ONE_SCOPE.iter().map(|(_, username, _)| (*username, *username)))
    {
        cookies.insert(actor, app.login(username).await);
    }
    let cookie = |actor: Actor| -> Option<&str> {
        let key = match actor {
            Actor::Patient => "patient",
            Actor::OtherPatient => "other",
            Actor::CaregiverWithScopes => "caregiver",
            Actor::CaregiverExpired => "expired",
            Actor::CaregiverRevoked => "revoked",
            Actor::CareManager => "manager",
            Actor::OtherCareManager => "other-manager",
            Actor::PreviewAsPatient | Actor::PreviewAsCaregiver => "manager",
            Actor::Nobody => return None,
            single => ONE_SCOPE.iter().find(|(a, _, _)| *a == single).unwrap().1,
        };
        cookies.get(key).map(String::as_str)
    };

    // Every patient there is, by id and name: the care manager's panel holds them all.
    let everyone: BTreeMap<i64, String> = app
        .get("/api/panel", Some(&cookies["manager"]))
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["id"].as_i64().unwrap(),
                row["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(everyone.len() >= 42, "{} patients", everyone.len());
    let james = app.patient_id(&cookies["other"], "James Okafor").await;
    // Whose data an actor's answers may hold, on this route.
    let may_hold = |actor: Actor, path: &str| -> BTreeSet<i64> {
        use Actor::*;
        match actor {
            CareManager if !path.starts_with("/api/patients/") => everyone.keys().copied().collect(),
            Patient | PreviewAsPatient | PreviewAsCaregiver | CareManager => BTreeSet::from([p]),
            OtherPatient => BTreeSet::from([james]),
            CaregiverExpired | CaregiverRevoked | OtherCareManager | Nobody => BTreeSet::new(),
            caregiver => {
                assert!(live_scopes(caregiver).is_some());
                BTreeSet::from([p])
            }
        }
    };

    // Real ids for the other path parameters.
    let agenda = app
        .get(&format!("/api/patients/{p}/agenda"), Some(&maria))
        .await
        .json();
    let activity = agenda["items"][0]["activity_id"].as_i64().unwrap();
    let requests = app
        .get(&format!("/api/patients/{p}/goal-requests"), Some(&maria))
        .await
        .json();
    let request_id = requests[0]["id"].as_i64().unwrap();
    // Grant routes act on Eve's expired grant, so no live access changes mid-test.
    let grants = app
        .get(&format!("/api/patients/{p}/grants"), Some(&maria))
        .await
        .json();
    let eve_grant = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["caregiver"] == "Eve")
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    let account = |session: &str| {
        let session = session.to_owned();
        let app = &app;
        async move {
            app.get("/api/session", Some(&session)).await.json()["account"]["id"]
                .as_i64()
                .unwrap()
        }
    };
    let maria_account = account(&maria).await;
    let ana_account = account(&cookies["caregiver"]).await;
    // An open invite for the withdraw route.
    let until = (now + TimeDelta::days(30)).date_naive();
    let made = app
        .post(
            &format!("/api/patients/{p}/invites"),
            Some(&maria),
            Some("matrix-invite"),
            &serde_json::json!({ "scopes": ["reminders"], "until": until, "valid_days": 1 }).to_string(),
        )
        .await
        .json();
    let invite_id = made["invite"]["id"].as_i64().unwrap();

    let doc = app.get("/api/openapi.json", None).await.json();
    let table = expectations();
    let mut seen = Vec::new();
    let mut failures = Vec::new();
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for method in methods.as_object().unwrap().keys() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let key = format!("{method} {path}");
            let Some(policy) = table.get(key.as_str()).copied() else {
                failures.push(format!("{key}: no expectations; add it to the matrix"));
                continue;
            };
            seen.push(key.clone());
            let uri = path
                .replace("{p}", &p.to_string())
                .replace("{activity}", &activity.to_string())
                .replace(
                    "{id}",
                    &if path.contains("/grants/") {
                        eve_grant
                    } else if path.contains("/invites/") {
                        invite_id
                    } else {
                        request_id
                    }
                    .to_string(),
                )
                .replace("{flag}", "999999")
                .replace("{goal}", "1")
                .replace("{slug}", "low-salt")
                .replace("{token}.ics", "not-a-token.ics");
            for actor in ACTORS {
                // A logout or password change would end the actor's session for the next routes.
                if key == "DELETE /api/session" && actor != Actor::Nobody {
                    continue;
                }
                let mut request = Request::builder()
                    .method(method.clone())
                    .uri(&uri)
                    .header("content-type", "application/json")
                    .header("idempotency-key", format!("matrix-{key}-{actor:?}"));
                if let Some(c) = cookie(actor) {
                    request = request.header("cookie", c);
                }
                match actor {
                    Actor::PreviewAsPatient => request = request.header("tend-preview-as", maria_account),
                    Actor::PreviewAsCaregiver => request = request.header("tend-preview-as", ana_account),
                    _ => {}
                }
                // A body that parses nowhere: authorization must answer before it matters.
                let body = if method == Method::GET || method == Method::DELETE {
                    ""
                } else {
                    "{}"
                };
                let reply = app.send(request.body(Body::from(body)).unwrap()).await;
                let status = reply.status;
                let ok = !status.is_server_error()
                    && match expected(policy, actor, &method) {
                        Some(want) => status == want,
                        None => {
                            !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                                && (status != StatusCode::NOT_FOUND || key.contains("calendar/{token}"))
                        }
                    };
                if !ok {
                    failures.push(format!(
                        "{key} as {actor:?}: got {status}, wanted {}",
                        expected(policy, actor, &method)
                            .map_or("to be let through (never a 5xx)".to_owned(), |s| s.to_string())
                    ));
                }
                if !status.is_success() {
                    continue;
                }
                // Whatever succeeded names no one the actor may not see, by name or by id.
                let allowed = may_hold(actor, path);
                let text = reply.text();
                for (id, name) in &everyone {
                    if !allowed.contains(id) && text.contains(name.as_str()) {
                        failures.push(format!("{key} as {actor:?}: another patient's name ({name})"));
                    }
                }
                if !allowed.contains(&james) && text.contains("Okafor") {
                    failures.push(format!("{key} as {actor:?}: another patient's name (Okafor)"));
                }
                if let Ok(body) = serde_json::from_str::<Value>(&text) {
                    for id in patient_ids(&key, &body) {
                        if !allowed.contains(&id) {
                            failures.push(format!("{key} as {actor:?}: another patient's id ({id})"));
                        }
                    }
                    // Measurements alone open the agenda with what is measured, and only that.
                    if key == "GET /api/patients/{p}/agenda" && actor == Actor::CaregiverMeasurementsOnly {
                        let items = body["items"].as_array().unwrap();
                        if items.is_empty() || items.iter().any(|i| i["metric"].is_null()) {
                            failures.push(format!("{key} as {actor:?}: holds more than the measurements"));
                        }
                    }
                }
            }
        }
    }
    for key in table.keys() {
        if !seen.iter().any(|s| s == key) {
            failures.push(format!("{key}: in the matrix but not in the OpenAPI document"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(seen.len() >= 29, "only {} routes checked", seen.len());
}
