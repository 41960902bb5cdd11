//! Errors on the wire: RFC 9457 problem details, shared so the app can read them.

use serde::{Deserialize, Serialize};

/// An `application/problem+json` body. `type` is stable and safe to match on;
/// `title` is for people; `errors` names fields to fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One field that was refused, with a stable code and a human message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Stable problem types. Clients match on these, never on titles.
pub mod types {
    pub const UNAUTHENTICATED: &str = "/problems/unauthenticated";
    pub const INVALID_CREDENTIALS: &str = "/problems/invalid-credentials";
    pub const FORBIDDEN: &str = "/problems/forbidden";
    pub const NOT_FOUND: &str = "/problems/not-found";
    pub const VALIDATION: &str = "/problems/validation";
    pub const IDEMPOTENCY_CONFLICT: &str = "/problems/idempotency-key-reused";
    pub const CROSS_ORIGIN: &str = "/problems/cross-origin";
    pub const ALREADY_DONE: &str = "/problems/already-done";
    pub const PREVIEW_READ_ONLY: &str = "/problems/preview-read-only";
    pub const TOO_MANY_ATTEMPTS: &str = "/problems/too-many-attempts";
    pub const INTERNAL: &str = "/problems/internal";
}
