//! Serves the built app: precompressed files, long caching for hashed names,
//! and index.html for page navigations only.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::AppError;
use crate::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Trunk names build outputs with a 16-hex-digit content hash, e.g.
/// `tend-app-0123456789abcdef_bg.wasm`; those never change and cache for a year.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split(['-', '_', '.'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_navigation(request: &Request) -> bool {
    let last = request.uri().path().rsplit('/').next().unwrap_or("");
    let accepts_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    matches!(*request.method(), Method::GET | Method::HEAD) && !last.contains('.') && accepts_html
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found\n",
    )
        .into_response()
}

/// The fallback of the whole router: API paths that matched no route are a
/// problem+json 404; everything else is a file of the built app.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path == "/api" || path.starts_with("/api/") {
        return AppError::NotFound.into_response();
    }
    let Some(dist) = state.dist.clone() else {
        return not_found();
    };
    let navigation = is_navigation(&request);
    let (parts, _) = request.into_parts();
    let rebuild = |uri: &str| {
        let mut builder = Request::builder().method(parts.method.clone()).uri(uri);
        for (name, value) in &parts.headers {
            builder = builder.header(name, value);
        }
        builder.body(Body::empty()).unwrap_or_default()
    };
    let files = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    let Ok(response) = files.oneshot(rebuild(parts.uri.path())).await;
    let page_fallback = response.status() == StatusCode::NOT_FOUND && navigation;
    // The page, whether sent whole or revalidated (a 304 carries headers too).
    let serves_page = page_fallback || path.ends_with('/') || path.ends_with(".html") || is_html(&response);
    let (response, cache) = if page_fallback {
        let index = ServeFile::new(dist.join("index.html"))
            .precompressed_br()
            .precompressed_gzip();
        let Ok(response) = index.oneshot(rebuild("/index.html")).await;
        (response.map(Body::new), REVALIDATE)
    } else if response.status() == StatusCode::NOT_FOUND {
        return not_found();
    } else if is_hashed(&path) {
        (response.map(Body::new), IMMUTABLE)
    } else {
        (response.map(Body::new), REVALIDATE)
    };
    let mut response = response;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if serves_page {
        // The page's policy names the hash of each inline script it has.
        let html = tokio::fs::read_to_string(dist.join("index.html"))
            .await
            .unwrap_or_default();
        if let Ok(policy) = HeaderValue::from_str(&crate::security::page_policy(&html)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    } else {
        // A file's own policy binds only a worker (sw.js): it fetches from here.
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::security::FILE_POLICY),
        );
    }
    response
}

fn is_html<B>(response: &axum::http::Response<B>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("/tend-app-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("/tend-app-0123456789abcdef.js"));
        assert!(is_hashed("/main-fedcba9876543210.css"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/robots.txt"));
        assert!(!is_hashed("/tend-app-0123.js"));
    }
}
