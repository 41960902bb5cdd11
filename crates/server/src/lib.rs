//! Tend's bundled API server: axum on an embedded SQLite database. It also
//! serves the built app. [`app`] builds the whole router, so tests drive it
//! without a socket.

pub mod auth;
pub mod error;
pub mod idempotency;
pub mod routes;
pub mod security;
pub mod store;
pub mod throttle;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::extract::{MatchedPath, Request};
use axum::{middleware, Json, Router};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The built app (Trunk's `dist/`); `None` serves the API alone.
    pub dist: Option<PathBuf>,
    /// Marks the session cookie `Secure`; turn on behind HTTPS.
    pub secure_cookies: bool,
    /// Failed logins per account and per address.
    pub login_throttle: Arc<throttle::LoginThrottle>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tend API",
        version = "0.1.0",
        description = "Care plans, reminders and check-ins for patients, their caregivers and care managers. Errors are RFC 9457 problem details."
    ),
    modifiers(&SessionCookie),
    tags(
        (name = "health", description = "Liveness, and this document"),
        (name = "session", description = "Logging in and out"),
        (name = "agenda", description = "Occurrences and their outcomes"),
        (name = "check-ins", description = "Self-assessments, their scores and flags"),
        (name = "plan", description = "The care plan and the care team"),
        (name = "lessons", description = "Education lessons in English and Spanish"),
        (name = "audit", description = "Who read or changed a patient's record"),
        (name = "sharing", description = "What each family caregiver may see, until when"),
        (name = "reminders", description = "The calendar feed of a patient's reminders and its secret link"),
        (name = "panel", description = "The care manager's panel and previews"),
    )
)]
struct ApiDoc;

struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::health::router())
        .merge(routes::session::router())
        .merge(routes::agenda::router())
        .merge(routes::check_ins::router())
        .merge(routes::care_team::router())
        .merge(routes::plan::router())
        .merge(routes::goals::router())
        .merge(routes::appointments::router())
        .merge(routes::lessons::router())
        .merge(routes::requests::router())
        .merge(routes::audit::router())
        .merge(routes::grants::router())
        .merge(routes::invites::router())
        .merge(routes::alerts::router())
        .merge(routes::calendar::router())
        .merge(routes::panel::router())
        .routes(routes!(openapi_document))
}

/// The OpenAPI 3.1 document of every API route, itself included.
pub fn openapi() -> utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| api_router().into_openapi()).clone()
}

/// This document: every route of the API, what it takes and what it answers.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "health",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)),
)]
async fn openapi_document() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// The whole server: API, OpenAPI document and the built app.
pub fn app(state: AppState) -> Router {
    let api: Router<AppState> = api_router().into();
    api.fallback(routes::static_files::serve)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_same_origin,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::record_accesses,
        ))
        .layer(middleware::from_fn(auth::refuse_writes_in_preview))
        .layer(
            // Spans name the route template, never the concrete path or query:
            // ids and dates of a patient stay out of the logs.
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_else(|| "(static)".to_owned());
                    tracing::info_span!("request", method = %request.method(), route)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(middleware::map_response_with_state(
            state.clone(),
            |axum::extract::State(state): axum::extract::State<AppState>,
             mut response: axum::response::Response| async move {
                security::add_common_headers(response.headers_mut(), state.secure_cookies);
                response
            },
        ))
        .with_state(state)
}
