mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::TestApp;

const WASM: &str = "tend-app-0123456789abcdef_bg.wasm";

async fn app_with_dist() -> TestApp {
    TestApp::with_dist(Some(dist_fixture())).await
}

fn dist_fixture() -> std::path::PathBuf {
    let dist = tempfile::tempdir().unwrap().keep();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Tend</title><script type=\"module\">alert(1)</script>",
    )
    .unwrap();
    std::fs::write(dist.join("index.html.br"), b"brotli-index").unwrap();
    std::fs::write(dist.join(WASM), b"\0asm-raw").unwrap();
    std::fs::write(dist.join(format!("{WASM}.br")), b"brotli-wasm").unwrap();
    std::fs::write(dist.join(format!("{WASM}.gz")), b"gzip-wasm").unwrap();
    std::fs::write(dist.join("robots.txt"), "User-agent: *\nDisallow: /\n").unwrap();
    dist
}

async fn get(app: &TestApp, path: &str, accept: &str, encoding: &str) -> common::Reply {
    app.send(
        Request::get(path)
            .header(header::ACCEPT, accept)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn hashed_files_come_precompressed_and_cached_for_a_year() {
    let app = app_with_dist().await;
    let br = get(&app, &format!("/{WASM}"), "*/*", "gzip, deflate, br").await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.body, b"brotli-wasm");
    assert_eq!(br.header("content-type"), Some("application/wasm"));
    assert_eq!(
        br.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(br.header("vary"), Some("accept-encoding"));
    let gz = get(&app, &format!("/{WASM}"), "*/*", "gzip").await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.body, b"gzip-wasm");
    let raw = get(&app, &format!("/{WASM}"), "*/*", "identity").await;
    assert_eq!(raw.body, b"\0asm-raw");
}

#[tokio::test]
async fn page_navigations_fall_back_to_index_html_without_caching() {
    let app = app_with_dist().await;
    for path in ["/", "/today", "/login"] {
        let reply = get(&app, path, "text/html,application/xhtml+xml", "identity").await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.text().contains("<title>Tend</title>"), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
    let br = get(&app, "/today", "text/html", "br").await;
    assert_eq!(br.header("content-encoding"), Some("br"));
}

#[tokio::test]
async fn missing_files_and_api_paths_are_real_404s() {
    let app = app_with_dist().await;
    let missing_asset = get(&app, "/missing-0123456789abcdef.js", "*/*", "identity").await;
    assert_eq!(missing_asset.status, StatusCode::NOT_FOUND);
    let not_html = get(&app, "/today", "application/json", "identity").await;
    assert_eq!(
        not_html.status,
        StatusCode::NOT_FOUND,
        "only page navigations get index.html"
    );
    let api = get(&app, "/api/unknown", "text/html", "identity").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.header("content-type"), Some("application/problem+json"));
    let robots = get(&app, "/robots.txt", "*/*", "identity").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(robots.text().contains("User-agent"));
}

#[tokio::test]
async fn the_page_runs_only_its_own_hashed_inline_script_and_the_api_runs_nothing() {
    let app = app_with_dist().await;
    let page = get(&app, "/today", "text/html", "identity").await;
    let policy = page
        .header("content-security-policy")
        .expect("a policy")
        .to_owned();
    let script_src = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap();
    // sha256 of `alert(1)`, the fixture's only inline script.
    assert_eq!(
        script_src,
        "script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    );
    for directive in ["object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    for reply in [page, app.get("/api/health", None).await] {
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(reply.header("x-frame-options"), Some("DENY"));
        assert_eq!(reply.header("cross-origin-opener-policy"), Some("same-origin"));
        assert!(reply.header("permissions-policy").unwrap().contains("camera=()"));
    }
    let api = app.get("/api/health", None).await;
    assert_eq!(
        api.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
    );
    // No HSTS over plain HTTP (the test app does not mark cookies Secure).
    assert_eq!(api.header("strict-transport-security"), None);
}

#[tokio::test]
async fn a_revalidated_page_keeps_the_page_policy() {
    // A 304 updates the cached page's headers: it must not carry the API's
    // "nothing may run" policy, or the app would not start from the cache.
    let app = app_with_dist().await;
    let first = get(&app, "/today", "text/html", "identity").await;
    let modified = first.header("last-modified").expect("last-modified").to_owned();
    let again = app
        .send(
            Request::get("/today")
                .header(header::ACCEPT, "text/html")
                .header(header::IF_MODIFIED_SINCE, modified)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again
        .header("content-security-policy")
        .unwrap()
        .contains("'wasm-unsafe-eval'"));
}

#[tokio::test]
async fn the_service_worker_manifest_and_icons_have_their_types_and_are_revalidated() {
    let dist = tempfile::tempdir().unwrap().keep();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Tend</title>").unwrap();
    std::fs::write(dist.join("sw.js"), "const BUILD = null;\n").unwrap();
    std::fs::write(dist.join("manifest.webmanifest"), "{\"name\":\"Tend\"}").unwrap();
    std::fs::create_dir_all(dist.join("icons")).unwrap();
    std::fs::write(dist.join("icons/icon-192.png"), b"\x89PNG").unwrap();
    std::fs::write(dist.join("icons/icon.svg"), "<svg/>").unwrap();
    let app = TestApp::with_dist(Some(dist)).await;
    // The worker may fetch from this origin (its own response's policy binds it).
    let worker = get(&app, "/sw.js", "*/*", "identity").await;
    assert!(worker
        .header("content-security-policy")
        .unwrap()
        .starts_with("default-src 'self'"));
    for (path, kind) in [
        ("/sw.js", "text/javascript"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/icons/icon-192.png", "image/png"),
        ("/icons/icon.svg", "image/svg+xml"),
    ] {
        let reply = get(&app, path, "*/*", "identity").await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.header("content-type"), Some(kind), "{path}");
        // A new build replaces them under the same name: never cached as immutable.
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
}

#[tokio::test]
async fn behind_https_every_answer_asks_for_https_and_the_cookie_is_secure() {
    let app = TestApp::secure(Some(dist_fixture())).await;
    let login = app
        .post(
            "/api/session",
            None,
            None,
            r#"{"username":"maria","password":"tend-demo"}"#,
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let cookie = login.header("set-cookie").unwrap().to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let session = cookie.split(';').next().unwrap();
    for reply in [
        login,
        app.get("/api/health", None).await,
        app.get("/api/session", Some(session)).await,
        app.get("/api/nothing-here", None).await,
        get(&app, "/today", "text/html", "identity").await,
        get(&app, &format!("/{WASM}"), "*/*", "br").await,
    ] {
        assert_eq!(
            reply.header("strict-transport-security"),
            Some("max-age=31536000"),
            "{}",
            reply.status
        );
    }
}
