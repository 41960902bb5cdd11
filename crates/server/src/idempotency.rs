//! Retried writes: the same `Idempotency-Key` with the same request returns
//! the first answer; with another request it is a 409.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::error::{parse_json, AppError, AppResult};
use crate::store::{KeyState, Store, StoreTx};

/// The `Idempotency-Key` header in the OpenAPI document, as [`key_from`]
/// takes it: visible ASCII, 1 to 255 characters, no space at either end.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // only describes the header; handlers read it with `key_from`
pub struct IdempotencyKeyHeader {
    /// New for each change; the same when retrying it
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~](?:[ -~]*[!-~])?$"
    )]
    key: String,
}

/// The key a client sends with a write it may retry.
pub fn key_from(headers: &HeaderMap) -> AppResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if key.is_empty() || key.len() > 255 {
        return Err(AppError::field(
            "Idempotency-Key",
            "required",
            "Send an Idempotency-Key header of 1 to 255 characters, new for each change.",
        ));
    }
    Ok(key.to_owned())
}

/// What to do with a write after its key was claimed.
pub enum Claim {
    /// First use: do the write in this transaction, then [`finish`].
    Fresh(StoreTx),
    /// Seen before with the same request: send this answer again.
    Replayed(Response),
}

/// Claims `key` for this account and request (`what` names the endpoint,
/// `patient_id` the record, `body` the exact bytes sent).
pub async fn claim(
    store: &Store,
    account_id: i64,
    key: &str,
    what: &str,
    patient_id: i64,
    body: &[u8],
    now: DateTime<Utc>,
) -> AppResult<Claim> {
    let request_hash = request_hash(what, patient_id, body);
    let mut tx = store.begin().await?;
    match tx.claim_key(account_id, key, &request_hash, now).await? {
        KeyState::Fresh => Ok(Claim::Fresh(tx)),
        KeyState::Conflict => Err(AppError::IdempotencyConflict),
        KeyState::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = (status, [("content-type", "application/json")], body).into_response();
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(Claim::Replayed(response))
        }
    }
}

/// A write whose key is claimed: the key, the parsed body, when it is made,
/// and the transaction to make it in; [`finish`] answers and commits.
pub struct Write<T> {
    pub key: String,
    pub input: T,
    pub now: DateTime<Utc>,
    pub tx: StoreTx,
}

/// What became of a write's key: a write to make, or the first answer again.
pub enum Begun<T> {
    Fresh(Write<T>),
    Replayed(Response),
}

/// Reads the `Idempotency-Key` and the JSON body of a write, then claims the
/// key for this account, endpoint (`what`) and patient. A retry is answered
/// from the key before anything is checked again, so a saved write is never
/// refused later (after midnight, or a plan edit); a refused write rolls
/// back, and its key stays free.
pub async fn begin<T: DeserializeOwned>(
    store: &Store,
    account_id: i64,
    what: &str,
    patient_id: i64,
    headers: &HeaderMap,
    body: &[u8],
) -> AppResult<Begun<T>> {
    let key = key_from(headers)?;
    let input: T = parse_json(body)?;
    let now = Utc::now();
    Ok(
        match claim(store, account_id, &key, what, patient_id, body, now).await? {
            Claim::Fresh(tx) => Begun::Fresh(Write { key, input, now, tx }),
            Claim::Replayed(response) => Begun::Replayed(response),
        },
    )
}

/// What to do with a write whose answer cannot simply be sent again (it held
/// a secret that is kept nowhere).
pub enum RawClaim {
    /// First use: do the write in this transaction, then [`finish`].
    Fresh(StoreTx),
    /// Seen before with the same request: the stored answer, and a
    /// transaction to make a new one from it.
    Stored { tx: StoreTx, status: u16, body: String },
}

/// Like [`claim`], but hands back what was stored instead of replaying it.
pub async fn claim_raw(
    store: &Store,
    account_id: i64,
    key: &str,
    what: &str,
    patient_id: i64,
    body: &[u8],
    now: DateTime<Utc>,
) -> AppResult<RawClaim> {
    let mut tx = store.begin().await?;
    match tx
        .claim_key(account_id, key, &request_hash(what, patient_id, body), now)
        .await?
    {
        KeyState::Fresh => Ok(RawClaim::Fresh(tx)),
        KeyState::Conflict => Err(AppError::IdempotencyConflict),
        KeyState::Replay { status, body } => Ok(RawClaim::Stored { tx, status, body }),
    }
}

fn request_hash(what: &str, patient_id: i64, body: &[u8]) -> String {
    hex::encode(
        Sha256::new()
            .chain_update(what.as_bytes())
            .chain_update(patient_id.to_be_bytes())
            .chain_update(body)
            .finalize(),
    )
}

/// Stores the answer with the key, commits the write and sends the answer.
pub async fn finish<T: serde::Serialize>(
    mut tx: StoreTx,
    account_id: i64,
    key: &str,
    status: StatusCode,
    value: &T,
) -> AppResult<Response> {
    let body = serde_json::to_string(value).map_err(|e| AppError::Internal(e.into()))?;
    tx.finish_key(account_id, key, status.as_u16(), &body).await?;
    tx.commit().await?;
    Ok((status, [("content-type", "application/json")], body).into_response())
}
