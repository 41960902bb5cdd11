//! The OpenAPI document against the router: nothing routed is left out of it,
//! and what schemathesis (in `scripts/test`) found stays fixed.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;
use serde_json::Value;

/// Routes added outside the document, each with why. `.routes(routes!(…))`
/// cannot add an undocumented route (the handler must carry
/// `#[utoipa::path]`); a bare `.route(…)`, `.nest(…)` or `.fallback(…)` can.
const ROUTED_OUTSIDE_THE_DOCUMENT: [(&str, &str, &str); 2] = [
    (
        "routes/calendar.rs",
        r#".route("/api/calendar/{file}", get(feed))"#,
        // axum cannot match `{token}.ics`; `feed` carries #[utoipa::path] with that shape,
        // and a last segment without `.ics` is a 404.
        "documented as GET /api/calendar/{token}.ics",
    ),
    (
        "lib.rs",
        ".fallback(routes::static_files::serve)",
        // Files of the built app; any other /api/ path is a problem+json 404.
        "the built app's files, not the API",
    ),
];

fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/");
            let name = path.to_str().unwrap().trim_start_matches(root).to_owned();
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn nothing_is_routed_around_the_document() {
    let mut files = Vec::new();
    sources(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut unexplained = Vec::new();
    let mut explained = 0;
    for (name, text) in &files {
        for (number, line) in text.lines().enumerate() {
            let code = line.trim();
            if code.starts_with("//") {
                continue;
            }
            for call in [
                ".route(",
                ".route_service(",
                ".nest(",
                ".nest_service(",
                ".fallback(",
                ".fallback_service(",
            ] {
                if !code.contains(call) {
                    continue;
                }
                if ROUTED_OUTSIDE_THE_DOCUMENT
                    .iter()
                    .any(|(file, known, _)| file == name && code.contains(known))
                {
                    explained += 1;
                } else {
                    unexplained.push(format!("{name}:{}: {code}", number + 1));
                }
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "routed outside the OpenAPI document (use .routes(routes!(…)) with #[utoipa::path], \
         or explain it in ROUTED_OUTSIDE_THE_DOCUMENT):\n{}",
        unexplained.join("\n")
    );
    assert_eq!(
        explained,
        ROUTED_OUTSIDE_THE_DOCUMENT.len(),
        "a known exception is gone"
    );
}

/// Every documented path answers 405 to the methods it does not document, so
/// no method is routed there without being in the document.
#[tokio::test]
async fn documented_paths_take_only_their_documented_methods() {
    let app = TestApp::new().await;
    let cookie = app.login("maria").await;
    let doc = app.get("/api/openapi.json", None).await.json();
    assert!(
        doc["paths"]["/api/openapi.json"]["get"].is_object(),
        "the document lists itself"
    );
    let mut wrong = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let uri = path
            .split('/')
            .map(|segment| match segment {
                "{token}.ics" => "not-a-token.ics",
                "{slug}" => "low-salt",
                s if s.starts_with('{') => "1",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            let documented = item.get(method.as_str().to_lowercase()).is_some();
            let request = Request::builder()
                .method(method.clone())
                .uri(&uri)
                .header("cookie", &cookie)
                .header("content-type", "application/json")
                .body(Body::from(if method == Method::GET { "" } else { "{}" }))
                .unwrap();
            let status = app.send(request).await.status;
            if documented == (status == StatusCode::METHOD_NOT_ALLOWED) {
                wrong.push(format!("{method} {uri}: {status}, documented: {documented}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn operation<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    &doc["paths"][path][method]
}

/// The limits the document states are the ones the server keeps.
#[tokio::test]
async fn documented_limits_are_the_enforced_ones() {
    let app = TestApp::new().await;
    let doc = app.get("/api/openapi.json", None).await.json();
    let key = operation(&doc, "post", "/api/patients/{p}/outcomes")["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Idempotency-Key")
        .unwrap()["schema"]
        .clone();
    assert_eq!(key["minLength"], 1);
    assert_eq!(key["maxLength"], 255);
    let cookie = app.login("maria").await;
    let p = app.patient_id(&cookie, "Maria Santos").await;
    let too_long = "k".repeat(256);
    let reply = app
        .post(
            &format!("/api/patients/{p}/outcomes"),
            Some(&cookie),
            Some(&too_long),
            "{}",
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["errors"][0]["field"], "Idempotency-Key");

    let new_password = &doc["components"]["schemas"]["PasswordChange"]["properties"]["new_password"];
    let (min, max) = tend_model::session::PASSWORD_CHARS;
    assert_eq!(new_password["minLength"], min);
    assert_eq!(new_password["maxLength"], max);

    // Wall-clock times have no offset, so they are not RFC 3339 date-times.
    let item = &doc["components"]["schemas"]["AgendaItem"]["properties"];
    for field in ["scheduled", "local"] {
        assert!(item[field]["format"].is_null(), "{field}: {}", item[field]);
        assert!(item[field]["pattern"].is_string());
    }
    assert_eq!(item["at"]["format"], "date-time");
}

/// Found by schemathesis: an empty `from`, `to` or `questionnaire` was taken
/// as left out, though the document says a date or a questionnaire.
#[tokio::test]
async fn empty_query_values_are_refused_as_documented() {
    let app = TestApp::new().await;
    let cookie = app.login("maria").await;
    let p = app.patient_id(&cookie, "Maria Santos").await;
    for (query, field) in [
        ("agenda?from=", "from"),
        ("agenda?from=2026-05-01&to=", "to"),
        ("responses?questionnaire=", "questionnaire"),
    ] {
        let reply = app
            .get(&format!("/api/patients/{p}/{query}"), Some(&cookie))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(reply.json()["errors"][0]["field"], field, "{query}");
    }
    // Left out, they still mean today and every questionnaire.
    for query in ["agenda", "responses"] {
        let reply = app
            .get(&format!("/api/patients/{p}/{query}"), Some(&cookie))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{query}");
    }
}
