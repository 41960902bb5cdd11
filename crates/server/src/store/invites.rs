//! The SQL of invitations, and of the caregiver alert the patient sets.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use tend_model::{InviteView, Role, Scope};

use super::{parse_scopes, parse_ts, scopes_text, ts, Store, StoreResult, StoreTx};

/// An open invite found by its code.
#[derive(Clone, Debug)]
pub struct OpenInvite {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub scopes: Vec<Scope>,
    pub until: NaiveDate,
    pub expires_at: DateTime<Utc>,
}

/// An invite to store.
pub struct NewInvite<'a> {
    pub patient_id: i64,
    pub code_hash: &'a str,
    pub label: &'a str,
    pub scopes: &'a [Scope],
    pub until: NaiveDate,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

const OPEN: &str = "withdrawn_at IS NULL AND accepted_at IS NULL AND expires_at > ?";

fn invite_from_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<InviteView> {
    let until: String = row.try_get("grant_until")?;
    Ok(InviteView {
        id: row.try_get("id")?,
        label: row.try_get("label")?,
        scopes: parse_scopes(&row.try_get::<String, _>("scopes")?),
        until: NaiveDate::parse_from_str(&until, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(e.into()))?,
        created_at: parse_ts(&row.try_get::<String, _>("created_at")?),
        expires_at: parse_ts(&row.try_get::<String, _>("expires_at")?),
    })
}

impl Store {
    /// A patient's invites that can still be accepted, newest first.
    pub async fn open_invites(&self, patient_id: i64, now: DateTime<Utc>) -> StoreResult<Vec<InviteView>> {
        let sql = format!(
            "SELECT id, label, scopes, grant_until, created_at, expires_at FROM invites
             WHERE patient_id = ? AND {OPEN} ORDER BY id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(patient_id)
            .bind(ts(now))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(invite_from_row).collect()
    }

    /// The open invite with this code hash, with its patient's name.
    pub async fn open_invite_by_code(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<OpenInvite>> {
        let sql = format!(
            "SELECT i.id, i.patient_id, p.name, i.scopes, i.grant_until, i.expires_at
             FROM invites i JOIN patients p ON p.id = i.patient_id
             WHERE i.code_hash = ? AND {}",
            OPEN.replace("withdrawn_at", "i.withdrawn_at")
                .replace("accepted_at", "i.accepted_at")
                .replace("expires_at", "i.expires_at")
        );
        let row = sqlx::query(&sql)
            .bind(code_hash)
            .bind(ts(now))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let until: String = row.try_get("grant_until")?;
            Ok(OpenInvite {
                id: row.try_get("id")?,
                patient_id: row.try_get("patient_id")?,
                patient_name: row.try_get("name")?,
                scopes: parse_scopes(&row.try_get::<String, _>("scopes")?),
                until: NaiveDate::parse_from_str(&until, "%Y-%m-%d")
                    .map_err(|e| sqlx::Error::Decode(e.into()))?,
                expires_at: parse_ts(&row.try_get::<String, _>("expires_at")?),
            })
        })
        .transpose()
    }

    /// Who accepted the invite with this code hash, and whose invite it was.
    pub async fn invite_accepted_by(&self, code_hash: &str) -> StoreResult<Option<(i64, i64)>> {
        let row = sqlx::query(
            "SELECT accepted_by, patient_id FROM invites WHERE code_hash = ? AND accepted_by IS NOT NULL",
        )
        .bind(code_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| Ok((row.try_get("accepted_by")?, row.try_get("patient_id")?)))
            .transpose()
    }

    /// Withdraws an open invite of the patient's; false when there is none such.
    pub async fn withdraw_invite(&self, patient_id: i64, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let _turn = self.writes.lock().await;
        let sql = format!("UPDATE invites SET withdrawn_at = ? WHERE id = ? AND patient_id = ? AND {OPEN}");
        let done = sqlx::query(&sql)
            .bind(ts(now))
            .bind(id)
            .bind(patient_id)
            .bind(ts(now))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl StoreTx {
    pub async fn insert_invite(&mut self, invite: &NewInvite<'_>) -> StoreResult<InviteView> {
        let id = sqlx::query(
            "INSERT INTO invites (patient_id, code_hash, label, scopes, grant_until, created_by, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(invite.patient_id)
        .bind(invite.code_hash)
        .bind(invite.label)
        .bind(scopes_text(invite.scopes))
        .bind(invite.until.format("%Y-%m-%d").to_string())
        .bind(invite.created_by)
        .bind(ts(invite.created_at))
        .bind(ts(invite.expires_at))
        .execute(&mut *self.tx)
        .await?
        .last_insert_rowid();
        self.invite(id).await.map(|i| i.expect("just inserted"))
    }

    /// One invite of any state, seen from inside this transaction.
    pub async fn invite(&mut self, id: i64) -> StoreResult<Option<InviteView>> {
        let row = sqlx::query(
            "SELECT id, label, scopes, grant_until, created_at, expires_at FROM invites WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(invite_from_row).transpose()
    }

    /// Gives an open invite a new code (its old one stops working); false
    /// when the invite is no longer open.
    pub async fn replace_invite_code(
        &mut self,
        id: i64,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let sql = format!("UPDATE invites SET code_hash = ? WHERE id = ? AND {OPEN}");
        let done = sqlx::query(&sql)
            .bind(code_hash)
            .bind(id)
            .bind(ts(now))
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Makes a caregiver account inside this transaction; returns its id.
    pub async fn insert_caregiver(
        &mut self,
        username: &str,
        password_hash: &str,
        display_name: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        Ok(sqlx::query(
            "INSERT INTO accounts (username, password_hash, role, display_name, patient_id, created_at)
             VALUES (?, ?, ?, ?, NULL, ?)",
        )
        .bind(username)
        .bind(password_hash)
        .bind(Role::Caregiver.as_str())
        .bind(display_name)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?
        .last_insert_rowid())
    }

    /// Accepts an open invite for a caregiver: the invite is used up, a live
    /// grant of that caregiver to the patient ends, and the new one starts.
    /// Returns the new grant's id, or `None` when the invite is not open.
    pub async fn accept_invite(
        &mut self,
        invite: &OpenInvite,
        caregiver_id: i64,
        grant_expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let sql = format!("UPDATE invites SET accepted_at = ?, accepted_by = ? WHERE id = ? AND {OPEN}");
        let claimed = sqlx::query(&sql)
            .bind(ts(now))
            .bind(caregiver_id)
            .bind(invite.id)
            .bind(ts(now))
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        if claimed != 1 {
            return Ok(None);
        }
        // One live grant per patient and caregiver: the invite's replaces the one before.
        sqlx::query(
            "UPDATE grants SET revoked_at = ?
             WHERE patient_id = ? AND caregiver_id = ? AND revoked_at IS NULL AND expires_at > ?",
        )
        .bind(ts(now))
        .bind(invite.patient_id)
        .bind(caregiver_id)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        let grant_id = sqlx::query(
            "INSERT INTO grants (patient_id, caregiver_id, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(invite.patient_id)
        .bind(caregiver_id)
        .bind(scopes_text(&invite.scopes))
        .bind(ts(now))
        .bind(ts(grant_expires_at))
        .execute(&mut *self.tx)
        .await?
        .last_insert_rowid();
        sqlx::query("UPDATE invites SET grant_id = ? WHERE id = ?")
            .bind(grant_id)
            .bind(invite.id)
            .execute(&mut *self.tx)
            .await?;
        Ok(Some(grant_id))
    }
}

impl Store {
    /// After how many hours an unmarked medicine alerts the caregivers; `None` is off.
    pub async fn missed_medicine_hours(&self, patient_id: i64) -> StoreResult<Option<u8>> {
        let hours: Option<i64> =
            sqlx::query_scalar("SELECT missed_medicine_hours FROM patients WHERE id = ?")
                .bind(patient_id)
                .fetch_optional(&self.pool)
                .await?
                .flatten();
        Ok(hours.and_then(|h| u8::try_from(h).ok()))
    }
}

impl StoreTx {
    pub async fn set_missed_medicine_hours(&mut self, patient_id: i64, hours: Option<u8>) -> StoreResult<()> {
        sqlx::query("UPDATE patients SET missed_medicine_hours = ? WHERE id = ?")
            .bind(hours.map(i64::from))
            .bind(patient_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
