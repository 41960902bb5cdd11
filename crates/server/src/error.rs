//! One error type for every handler: maps to a status and a problem+json body,
//! logs the cause, and never sends internals.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tend_model::problem::types;
use tend_model::{FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not logged in")]
    Unauthenticated,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid request")]
    Validation(Vec<FieldError>),
    #[error("idempotency key reused with a different request")]
    IdempotencyConflict,
    #[error("cross-origin request refused")]
    CrossOrigin,
    #[error("already done")]
    AlreadyDone,
    #[error("a preview changes nothing")]
    PreviewReadOnly,
    #[error("too many failed logins")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> AppError {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, types::UNAUTHENTICATED, "Please log in."),
            AppError::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                types::INVALID_CREDENTIALS,
                "Wrong username or password.",
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                types::FORBIDDEN,
                "You are not allowed to do this.",
            ),
            AppError::NotFound => (StatusCode::NOT_FOUND, types::NOT_FOUND, "Not found."),
            AppError::Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                types::VALIDATION,
                "Some values need fixing.",
            ),
            AppError::IdempotencyConflict => (
                StatusCode::CONFLICT,
                types::IDEMPOTENCY_CONFLICT,
                "This Idempotency-Key was already used for a different request.",
            ),
            AppError::CrossOrigin => (
                StatusCode::FORBIDDEN,
                types::CROSS_ORIGIN,
                "Requests that change data must come from Tend itself.",
            ),
            AppError::AlreadyDone => (
                StatusCode::CONFLICT,
                types::ALREADY_DONE,
                "This was done already.",
            ),
            AppError::PreviewReadOnly => (
                StatusCode::FORBIDDEN,
                types::PREVIEW_READ_ONLY,
                "This is a preview: nothing can be changed in it.",
            ),
            AppError::TooManyAttempts { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                types::TOO_MANY_ATTEMPTS,
                "Too many failed logins. Wait a few minutes and try again.",
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                types::INTERNAL,
                "Something went wrong on our side. Please try again.",
            ),
        }
    }

    pub fn problem(&self) -> Problem {
        let (status, kind, title) = self.parts();
        Problem {
            kind: kind.into(),
            title: title.into(),
            status: status.as_u16(),
            detail: None,
            errors: match self {
                AppError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

/// A problem+json response.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            // The cause goes to the log, never to the client.
            AppError::Internal(cause) => tracing::error!(error = %cause, "request failed"),
            AppError::Forbidden | AppError::NotFound | AppError::CrossOrigin | AppError::PreviewReadOnly => {
                tracing::warn!(refused = %self, "request refused")
            }
            _ => {}
        }
        let mut response = problem_response(&self.problem());
        if let AppError::TooManyAttempts { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Reads a JSON body, turning serde's complaint into a field error.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> AppResult<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        let field = e.to_string();
        // serde names the field in backticks, as in "missing field `action`".
        let name = field.split('`').nth(1).unwrap_or("body").to_owned();
        let code = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "malformed_json",
            _ => "invalid",
        };
        AppError::field(
            &name,
            code,
            format!("The request body is not valid: {}", strip_position(&field)),
        )
    })
}

fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}
