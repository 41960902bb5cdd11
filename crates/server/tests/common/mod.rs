//! A fresh server on a fresh temporary SQLite file per test, driven through
//! `app()` without a socket.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tend_server::{app, auth, store::demo, AppState, Store};
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    pub dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_dist(None).await
    }

    pub async fn with_dist(dist: Option<std::path::PathBuf>) -> TestApp {
        TestApp::with_options(dist, false).await
    }

    /// As served behind HTTPS (`--secure-cookies`).
    pub async fn secure(dist: Option<std::path::PathBuf>) -> TestApp {
        TestApp::with_options(dist, true).await
    }

    pub async fn with_options(dist: Option<std::path::PathBuf>, secure_cookies: bool) -> TestApp {
        let app = TestApp::serve(tempfile::tempdir().expect("temp dir"), dist, secure_cookies).await;
        let hash = auth::hash_password(demo::DEMO_PASSWORD).expect("hash");
        assert!(app
            .store
            .seed_demo(chrono::Utc::now(), &hash)
            .await
            .expect("seed"));
        app
    }

    /// A server on `dir`'s database, opened (and created) as `tend` opens it.
    async fn serve(
        dir: tempfile::TempDir,
        dist: Option<std::path::PathBuf>,
        secure_cookies: bool,
    ) -> TestApp {
        let store = Store::open(&dir.path().join("tend.db"))
            .await
            .expect("open store");
        let router = app(AppState {
            store: store.clone(),
            dist,
            secure_cookies,
            login_throttle: Default::default(),
        });
        TestApp { router, store, dir }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn post(&self, path: &str, cookie: Option<&str>, key: Option<&str>, body: &str) -> Reply {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request.body(Body::from(body.to_owned())).unwrap())
            .await
    }

    /// The same database opened by a new server (a restart), the old one
    /// no longer serving.
    pub async fn restart(self) -> TestApp {
        let TestApp { store, dir, .. } = self;
        store.close().await;
        TestApp::serve(dir, None, false).await
    }

    /// Logs in and returns the `Cookie` header value to send.
    pub async fn login(&self, username: &str) -> String {
        self.login_with(username, demo::DEMO_PASSWORD).await
    }

    pub async fn login_with(&self, username: &str, password: &str) -> String {
        let reply = self
            .post(
                "/api/session",
                None,
                None,
                &serde_json::json!({ "username": username, "password": password }).to_string(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "login {username}: {}", reply.text());
        let set_cookie = reply.header("set-cookie").expect("set-cookie").to_owned();
        set_cookie.split(';').next().unwrap().to_owned()
    }

    pub async fn patient_id(&self, cookie: &str, name: &str) -> i64 {
        let session = self.get("/api/session", Some(cookie)).await.json();
        session["patients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} not in session"))["id"]
            .as_i64()
            .unwrap()
    }
}
