//! Storage: every SQL statement of the server lives in this module.
//!
//! The interface is small and speaks domain types, so another backend
//! (PostgreSQL) can stand behind it without touching handlers. SQL stays
//! portable where it costs nothing (no SQLite-only functions in queries).

mod cache;
pub mod demo;
pub mod invites;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use tend_model::{
    ActivityEdit, Answers, AuditEntry, Band, CareEventStatus, CareEventStep, CareTeamMember, Escalation,
    FlagView, GoalRequestView, GrantView, Lang, LocalizedText, Metric, NewActivity, NewGoal, OutcomeStatus,
    OutcomeView, PlanDomain, PlanGoal, PreviewAccount, QuestionnaireId, Reading, RecordPart, Relation,
    RequestKind, RequestStatus, ResponseView, Role, Schedule, Scope, Urgency,
};

pub type StoreResult<T> = Result<T, sqlx::Error>;

/// Instants are stored as RFC 3339 UTC text with whole seconds, so they sort as text.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_ts(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Wall-clock date-times are stored as `YYYY-MM-DDTHH:MM:SS`.
pub fn local_key(local: NaiveDateTime) -> String {
    local.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn localized(json: &str) -> LocalizedText {
    serde_json::from_str(json).unwrap_or_default()
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    /// SQLite has one writer at a time. Writers queue here, holding no pool
    /// connection while they wait, so the one writing can always get a
    /// connection for its reads (eight retries waiting inside SQLite's busy
    /// timeout once held every connection and starved the writer).
    writes: Arc<tokio::sync::Mutex<()>>,
    /// Each patient's activity versions, as the agenda reads them.
    plans: Arc<cache::ByPatient<Vec<ActivityVersion>>>,
    /// Patients: their name, zone and language never change once made.
    patients: Arc<cache::ByPatient<Patient>>,
    /// Each patient's recorded outcomes, by the window of local dates read.
    outcomes: Arc<OutcomeWindows>,
    /// Live sessions and their accounts; last uses are written by
    /// [`Store::save_session_uses`].
    sessions: Arc<cache::Sessions>,
}

#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub display_name: String,
    pub patient_id: Option<i64>,
}

/// What an access to a patient's record did, for the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Change,
    /// A change that was tried and refused (invalid, a conflict, a failure):
    /// nothing was changed.
    RefusedChange,
    /// A care manager's read through a preview.
    Preview,
}

impl Access {
    fn action(self) -> &'static str {
        match self {
            Access::Change => "change",
            Access::RefusedChange => "refused",
            Access::Read | Access::Preview => "read",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Patient {
    pub id: i64,
    pub name: String,
    pub timezone: String,
    /// The language the patient prefers, for what Tend writes outside the app.
    pub language: Lang,
}

#[derive(Clone, Debug)]
pub struct Grant {
    pub scopes: Vec<Scope>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Grant {
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

#[derive(Clone, Debug)]
pub struct ActivityVersion {
    pub id: i64,
    pub activity_id: i64,
    pub kind: String,
    pub version: i64,
    pub effective_from: NaiveDate,
    pub title: LocalizedText,
    pub instructions: LocalizedText,
    pub schedule: Schedule,
    /// For questionnaire activities: which questionnaire.
    pub questionnaire: Option<QuestionnaireId>,
    /// For measurements: what they measure.
    pub metric: Option<Metric>,
    pub goal_id: Option<i64>,
    /// For appointments: where, and what to bring.
    pub place: Option<LocalizedText>,
    pub bring: Option<LocalizedText>,
    /// For education: the lesson it opens.
    pub lesson: Option<String>,
}

/// A patient an account may open: relation, scopes and, for a caregiver,
/// when the grant ends.
#[derive(Clone, Debug)]
pub struct PatientOpen {
    pub id: i64,
    pub name: String,
    pub relation: Relation,
    pub scopes: Vec<Scope>,
    pub until: Option<DateTime<Utc>>,
}

/// A recorded outcome with the display name of whoever entered it.
#[derive(Clone, Debug)]
pub struct RecordedOutcome {
    pub activity_id: i64,
    pub scheduled: NaiveDateTime,
    pub view: OutcomeView,
}

/// What an idempotency key says about a write that is about to happen.
pub enum KeyState {
    /// First use: go ahead, then store the answer with [`StoreTx::finish_key`].
    Fresh,
    /// Seen with the same request: here is the first answer.
    Replay { status: u16, body: String },
    /// Seen with a different request.
    Conflict,
}

fn account_from_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<Account> {
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        password_hash: row.try_get("password_hash")?,
        role: Role::parse(&role).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
        display_name: row.try_get("display_name")?,
        patient_id: row.try_get("patient_id")?,
    })
}

fn parse_scopes(text: &str) -> Vec<Scope> {
    let mut scopes: Vec<Scope> = text.split_whitespace().filter_map(Scope::parse).collect();
    scopes.sort();
    scopes
}

pub fn scopes_text(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
}

/// Outcomes recorded in `from..=to`, per patient and window.
/// Windows of this many days or more are not kept.
const MOST_DAYS_KEPT: i64 = 14;
type OutcomeWindows = cache::ByPatient<Vec<RecordedOutcome>, (NaiveDate, NaiveDate)>;

const ACCOUNT_COLUMNS: &str = "id, username, password_hash, role, display_name, patient_id";

impl Store {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store {
            pool,
            writes: Arc::default(),
            plans: Arc::default(),
            patients: Arc::default(),
            outcomes: Arc::default(),
            sessions: Arc::default(),
        })
    }

    pub async fn begin(&self) -> StoreResult<StoreTx> {
        let gate = self.writes.clone().lock_owned().await;
        Ok(StoreTx {
            tx: self.pool.begin().await?,
            _gate: gate,
            plans: self.plans.clone(),
            plan_changed: false,
            outcomes: self.outcomes.clone(),
            outcomes_changed: Vec::new(),
            sessions: self.sessions.clone(),
            sessions_changed: None,
        })
    }

    /// Reads the pragmas the server relies on, for the health check and tests.
    pub async fn pragmas(&self) -> StoreResult<(String, i64, i64)> {
        let mut conn = self.pool.acquire().await?;
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await?;
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await?;
        Ok((journal, synchronous, foreign_keys))
    }

    /// Closes every connection (for tests that open the file again).
    #[doc(hidden)]
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    pub async fn account_by_id(&self, id: i64) -> StoreResult<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?");
        sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|row| account_from_row(&row))
            .transpose()
    }

    /// Whether a care manager may preview the app as `target`: a patient of
    /// theirs, or a caregiver with a live grant from one of their patients.
    pub async fn may_preview(
        &self,
        care_manager_id: i64,
        target: &Account,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        match target.role {
            Role::Patient => match target.patient_id {
                Some(patient) => self.is_assigned(care_manager_id, patient).await,
                None => Ok(false),
            },
            Role::Caregiver => Ok(!self
                .previewable_patients(care_manager_id, target, now)
                .await?
                .is_empty()),
            Role::CareManager => Ok(false),
        }
    }

    /// The patients of a care manager that `target` may open: what a preview
    /// as `target` lists.
    pub async fn previewable_patients(
        &self,
        care_manager_id: i64,
        target: &Account,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        let mut mine = Vec::new();
        for PatientOpen { id, .. } in self.patients_for(target, now).await? {
            if self.is_assigned(care_manager_id, id).await? {
                mine.push(id);
            }
        }
        Ok(mine)
    }

    /// Whom a care manager may preview the app as for one patient: the
    /// patient's account and every caregiver with a live grant, with scopes.
    pub async fn preview_accounts(
        &self,
        patient_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<PreviewAccount>> {
        let rows = sqlx::query(
            "SELECT a.id, a.display_name, a.role, '' AS scopes FROM accounts a WHERE a.patient_id = ? AND a.role = 'patient'
             UNION ALL
             SELECT a.id, a.display_name, a.role, g.scopes FROM grants g JOIN accounts a ON a.id = g.caregiver_id
             WHERE g.patient_id = ? AND g.id = (
                 SELECT MAX(g2.id) FROM grants g2
                 WHERE g2.caregiver_id = g.caregiver_id AND g2.patient_id = g.patient_id
                   AND g2.revoked_at IS NULL AND g2.expires_at > ?)",
        )
        .bind(patient_id)
        .bind(patient_id)
        .bind(ts(now))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let role = Role::parse(&row.try_get::<String, _>("role")?).unwrap_or(Role::Caregiver);
                Ok(PreviewAccount {
                    account_id: row.try_get("id")?,
                    name: row.try_get("display_name")?,
                    role,
                    scopes: match role {
                        Role::Patient => Scope::ALL.to_vec(),
                        _ => parse_scopes(&row.try_get::<String, _>("scopes")?),
                    },
                })
            })
            .collect()
    }

    pub async fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = ?");
        sqlx::query(&sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?
            .map(|row| account_from_row(&row))
            .transpose()
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let _turn = self.writes.lock().await;
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(ts(now))
        .bind(ts(expires_at))
        .bind(ts(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The account of a live session: not past its absolute expiry, and not
    /// idle longer than `idle_limit` allows for the account's role. A session
    /// past either is deleted. A live one's use is noted in memory and
    /// written with the others by [`Store::save_session_uses`], so telling
    /// who asks is neither a query nor a write on most requests.
    pub async fn session_account(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle_limit: impl Fn(Role) -> chrono::TimeDelta,
    ) -> StoreResult<Option<Account>> {
        let generation = match self.sessions.use_at(token_hash, now, &idle_limit) {
            cache::SessionLookup::Live(account) => return Ok(Some(account)),
            cache::SessionLookup::Ended => {
                self.delete_session(token_hash).await?;
                return Ok(None);
            }
            cache::SessionLookup::Unknown(generation) => generation,
        };
        let Some(mut session) = self.read_session(token_hash).await? else {
            return Ok(None);
        };
        if !session.is_live(now, &idle_limit) {
            self.delete_session(token_hash).await?;
            return Ok(None);
        }
        let account = session.account.clone();
        // Kept as used now, like a session found in memory.
        session.note_use(now);
        self.sessions.keep(token_hash, generation, session);
        Ok(Some(account))
    }

    async fn read_session(&self, token_hash: &str) -> StoreResult<Option<cache::CachedSession>> {
        let sql = format!(
            "SELECT s.expires_at, s.last_seen_at, {} FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = ?",
            ACCOUNT_COLUMNS
                .split(", ")
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(cache::CachedSession::read(
            account_from_row(&row)?,
            parse_ts(&row.try_get::<String, _>("expires_at")?),
            parse_ts(&row.try_get::<String, _>("last_seen_at")?),
        )))
    }

    /// Writes the sessions' last uses noted since the last save, in one
    /// transaction; the server calls it once a minute and when it stops. A
    /// crash loses at most that minute of uses, which can only end a session
    /// sooner, never keep one longer.
    pub async fn save_session_uses(&self) -> StoreResult<usize> {
        let uses = self.sessions.unsaved_uses();
        if uses.is_empty() {
            return Ok(0);
        }
        let _turn = self.writes.lock().await;
        let mut tx = self.pool.begin().await?;
        for (token_hash, seen) in &uses {
            write_last_use(&mut tx, token_hash, *seen).await?;
        }
        tx.commit().await?;
        self.sessions.saved(&uses);
        Ok(uses.len())
    }

    /// Every grant a patient made, newest first.
    /// The patient's grants, newest first; `tz` is where the patient lives,
    /// for the last day of each.
    pub async fn grants_of(&self, patient_id: i64, tz: chrono_tz::Tz) -> StoreResult<Vec<GrantView>> {
        let rows = sqlx::query(
            "SELECT g.id, a.display_name, g.scopes, g.created_at, g.expires_at, g.revoked_at
             FROM grants g JOIN accounts a ON a.id = g.caregiver_id
             WHERE g.patient_id = ? ORDER BY g.id DESC",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let expires_at = parse_ts(&row.try_get::<String, _>("expires_at")?);
                Ok(GrantView {
                    id: row.try_get("id")?,
                    caregiver: row.try_get("display_name")?,
                    scopes: parse_scopes(&row.try_get::<String, _>("scopes")?),
                    created_at: parse_ts(&row.try_get::<String, _>("created_at")?),
                    expires_at,
                    until: crate::routes::last_day(tz, expires_at),
                    revoked_at: row
                        .try_get::<Option<String>, _>("revoked_at")?
                        .as_deref()
                        .map(parse_ts),
                })
            })
            .collect()
    }

    /// Changes a live grant of the patient's; false when there is none such.
    pub async fn update_grant(
        &self,
        patient_id: i64,
        grant_id: i64,
        scopes: &[Scope],
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let _turn = self.writes.lock().await;
        let done = sqlx::query(
            "UPDATE grants SET scopes = ?, expires_at = ?
             WHERE id = ? AND patient_id = ? AND revoked_at IS NULL AND expires_at > ?",
        )
        .bind(scopes_text(scopes))
        .bind(ts(expires_at))
        .bind(grant_id)
        .bind(patient_id)
        .bind(ts(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends a grant at once (its caregiver's very next request is refused);
    /// false when there is no live grant such.
    pub async fn revoke_grant(
        &self,
        patient_id: i64,
        grant_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let _turn = self.writes.lock().await;
        let done = sqlx::query(
            "UPDATE grants SET revoked_at = ? WHERE id = ? AND patient_id = ? AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(grant_id)
        .bind(patient_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records one access to a patient's record by someone else.
    pub async fn record_access(
        &self,
        patient_ids: &[i64],
        account: &Account,
        access: Access,
        route: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let _turn = self.writes.lock().await;
        let mut tx = self.pool.begin().await?;
        for patient_id in patient_ids {
            sqlx::query(
                "INSERT INTO audit_events (patient_id, account_id, role, action, route, preview, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(patient_id)
            .bind(account.id)
            .bind(account.role.as_str())
            .bind(access.action())
            .bind(route)
            .bind(access == Access::Preview)
            .bind(ts(at))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The newest `limit` accesses to a patient's record by others.
    pub async fn audit(&self, patient_id: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT e.at, a.display_name, e.role, e.action, e.route, e.preview
             FROM audit_events e JOIN accounts a ON a.id = e.account_id
             WHERE e.patient_id = ? ORDER BY e.at DESC, e.id DESC LIMIT ?",
        )
        .bind(patient_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let role: String = row.try_get("role")?;
                Ok(AuditEntry {
                    at: parse_ts(&row.try_get::<String, _>("at")?),
                    who: row.try_get("display_name")?,
                    role: Role::parse(&role)
                        .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
                    changed: row.try_get::<String, _>("action")? == "change",
                    refused: row.try_get::<String, _>("action")? == "refused",
                    part: RecordPart::of_route(&row.try_get::<String, _>("route")?),
                    preview: row.try_get::<i64, _>("preview")? != 0,
                })
            })
            .collect()
    }

    /// Moves every session of an account back in time by `by`, as if unused
    /// that long (for tests of idle and absolute expiry).
    #[doc(hidden)]
    pub async fn age_sessions(&self, username: &str, by: chrono::TimeDelta) -> StoreResult<()> {
        self.save_session_uses().await?;
        let _turn = self.writes.lock().await;
        let rows = sqlx::query(
            "SELECT s.token_hash, s.account_id, s.last_seen_at FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE a.username = ?",
        )
        .bind(username)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let seen = parse_ts(&row.try_get::<String, _>("last_seen_at")?) - by;
            sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
                .bind(ts(seen))
                .bind(row.try_get::<String, _>("token_hash")?)
                .execute(&self.pool)
                .await?;
            self.sessions.forget_account(row.try_get("account_id")?);
        }
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let _turn = self.writes.lock().await;
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        self.sessions.forget(token_hash);
        Ok(())
    }

    pub async fn patient(&self, id: i64) -> StoreResult<Option<Patient>> {
        let generation = match self.patients.get(id) {
            Ok(patient) => return Ok(Some(patient.as_ref().clone())),
            Err(generation) => generation,
        };
        let patient = self.read_patient(id).await?;
        if let Some(found) = &patient {
            self.patients.keep(id, generation, Arc::new(found.clone()));
        }
        Ok(patient)
    }

    async fn read_patient(&self, id: i64) -> StoreResult<Option<Patient>> {
        let row = sqlx::query("SELECT id, name, timezone, language FROM patients WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(Patient {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                timezone: row.try_get("timezone")?,
                language: Lang::from_tag(&row.try_get::<String, _>("language")?).unwrap_or_default(),
            })
        })
        .transpose()
    }

    /// The patient whose calendar link in force has this token hash.
    pub async fn calendar_patient(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        sqlx::query_scalar(
            "SELECT patient_id FROM calendar_tokens WHERE token_hash = ? AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// When the patient's calendar link in force was made, if there is one.
    pub async fn calendar_link_created(&self, patient_id: i64) -> StoreResult<Option<DateTime<Utc>>> {
        let created: Option<String> = sqlx::query_scalar(
            "SELECT created_at FROM calendar_tokens WHERE patient_id = ? AND revoked_at IS NULL",
        )
        .bind(patient_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(created.as_deref().map(parse_ts))
    }

    /// Puts a new calendar link in force for the patient, revoking the one
    /// before in the same transaction, so there is never more than one.
    pub async fn replace_calendar_link(
        &self,
        patient_id: i64,
        token_hash: &str,
        created_by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE calendar_tokens SET revoked_at = ? WHERE patient_id = ? AND revoked_at IS NULL")
            .bind(ts(now))
            .bind(patient_id)
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "INSERT INTO calendar_tokens (patient_id, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(patient_id)
        .bind(token_hash)
        .bind(created_by)
        .bind(ts(now))
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }

    /// Revokes the patient's calendar link in force; revoking none is no error.
    pub async fn revoke_calendar_link(&self, patient_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let _turn = self.writes.lock().await;
        sqlx::query("UPDATE calendar_tokens SET revoked_at = ? WHERE patient_id = ? AND revoked_at IS NULL")
            .bind(ts(now))
            .bind(patient_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Creates an account; returns its id.
    pub async fn create_account(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
        display_name: &str,
        patient_id: Option<i64>,
    ) -> StoreResult<i64> {
        let _turn = self.writes.lock().await;
        Ok(sqlx::query(
            "INSERT INTO accounts (username, password_hash, role, display_name, patient_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(username)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(display_name)
        .bind(patient_id)
        .bind(ts(Utc::now()))
        .execute(&self.pool)
        .await?
        .last_insert_rowid())
    }

    /// A patient shares `scopes` with a caregiver until `expires_at`.
    pub async fn create_grant(
        &self,
        patient_id: i64,
        caregiver_id: i64,
        scopes: &[Scope],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let _turn = self.writes.lock().await;
        sqlx::query(
            "INSERT INTO grants (patient_id, caregiver_id, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(patient_id)
        .bind(caregiver_id)
        .bind(scopes_text(scopes))
        .bind(ts(Utc::now()))
        .bind(ts(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The grant in force from a patient to a caregiver: the newest one that
    /// is neither revoked nor expired. The same rule lists patients in
    /// [`Store::patients_for`].
    pub async fn active_grant(
        &self,
        caregiver_id: i64,
        patient_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Grant>> {
        let row = sqlx::query(
            "SELECT scopes, expires_at, revoked_at FROM grants
             WHERE caregiver_id = ? AND patient_id = ? AND revoked_at IS NULL AND expires_at > ?
             ORDER BY id DESC LIMIT 1",
        )
        .bind(caregiver_id)
        .bind(patient_id)
        .bind(ts(now))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Grant {
                scopes: parse_scopes(&row.try_get::<String, _>("scopes")?),
                expires_at: parse_ts(&row.try_get::<String, _>("expires_at")?),
                revoked_at: row
                    .try_get::<Option<String>, _>("revoked_at")?
                    .as_deref()
                    .map(parse_ts),
            })
        })
        .transpose()
    }

    pub async fn is_assigned(&self, care_manager_id: i64, patient_id: i64) -> StoreResult<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM care_assignments WHERE care_manager_id = ? AND patient_id = ?")
                .bind(care_manager_id)
                .bind(patient_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// The patients an account may open, with its relation to each and the
    /// scopes granted. Expired and revoked grants are left out.
    pub async fn patients_for(&self, account: &Account, now: DateTime<Utc>) -> StoreResult<Vec<PatientOpen>> {
        let rows = match account.role {
            Role::Patient => {
                sqlx::query("SELECT id, name, '' AS scopes, NULL AS expires_at FROM patients WHERE id = ?")
                    .bind(account.patient_id)
                    .fetch_all(&self.pool)
                    .await?
            }
            Role::Caregiver => {
                sqlx::query(
                    "SELECT p.id, p.name, g.scopes, g.expires_at FROM grants g JOIN patients p ON p.id = g.patient_id
                     WHERE g.caregiver_id = ? AND g.id = (
                         SELECT MAX(g2.id) FROM grants g2
                         WHERE g2.caregiver_id = g.caregiver_id AND g2.patient_id = g.patient_id
                           AND g2.revoked_at IS NULL AND g2.expires_at > ?)
                     ORDER BY p.name",
                )
                .bind(account.id)
                .bind(ts(now))
                .fetch_all(&self.pool)
                .await?
            }
            Role::CareManager => {
                sqlx::query(
                    "SELECT p.id, p.name, '' AS scopes, NULL AS expires_at FROM care_assignments a JOIN patients p ON p.id = a.patient_id
                     WHERE a.care_manager_id = ? ORDER BY p.name",
                )
                .bind(account.id)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.into_iter()
            .map(|row| {
                let (relation, scopes) = match account.role {
                    Role::Patient => (Relation::Own, Scope::ALL.to_vec()),
                    Role::Caregiver => (
                        Relation::Caregiver,
                        parse_scopes(&row.try_get::<String, _>("scopes")?),
                    ),
                    Role::CareManager => (Relation::CareManager, care_manager_scopes()),
                };
                Ok(PatientOpen {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    relation,
                    scopes,
                    until: row
                        .try_get::<Option<String>, _>("expires_at")?
                        .as_deref()
                        .map(parse_ts),
                })
            })
            .collect()
    }

    /// Every version of every activity of a patient, oldest version first.
    pub async fn activity_versions(&self, patient_id: i64) -> StoreResult<Arc<Vec<ActivityVersion>>> {
        let generation = match self.plans.get(patient_id) {
            Ok(versions) => return Ok(versions),
            Err(generation) => generation,
        };
        let versions = Arc::new(self.read_activity_versions(patient_id).await?);
        self.plans.keep(patient_id, generation, versions.clone());
        Ok(versions)
    }

    async fn read_activity_versions(&self, patient_id: i64) -> StoreResult<Vec<ActivityVersion>> {
        let rows = sqlx::query(
            "SELECT v.id, v.activity_id, a.kind, v.version, v.effective_from, v.title, v.instructions, v.schedule,
                    v.questionnaire, v.metric, v.goal_id, v.place, v.bring, v.lesson
             FROM activity_versions v JOIN activities a ON a.id = v.activity_id
             WHERE a.patient_id = ? ORDER BY v.activity_id, v.effective_from",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let schedule: String = row.try_get("schedule")?;
                let effective: String = row.try_get("effective_from")?;
                Ok(ActivityVersion {
                    id: row.try_get("id")?,
                    activity_id: row.try_get("activity_id")?,
                    kind: row.try_get("kind")?,
                    version: row.try_get("version")?,
                    effective_from: effective
                        .parse()
                        .map_err(|e: chrono::ParseError| sqlx::Error::Decode(e.into()))?,
                    title: localized(&row.try_get::<String, _>("title")?),
                    instructions: localized(&row.try_get::<String, _>("instructions")?),
                    schedule: serde_json::from_str(&schedule).map_err(|e| sqlx::Error::Decode(e.into()))?,
                    questionnaire: row
                        .try_get::<Option<String>, _>("questionnaire")?
                        .as_deref()
                        .and_then(QuestionnaireId::parse),
                    metric: row
                        .try_get::<Option<String>, _>("metric")?
                        .as_deref()
                        .and_then(Metric::parse),
                    goal_id: row.try_get("goal_id")?,
                    place: row
                        .try_get::<Option<String>, _>("place")?
                        .as_deref()
                        .map(localized),
                    bring: row
                        .try_get::<Option<String>, _>("bring")?
                        .as_deref()
                        .map(localized),
                    lesson: row.try_get("lesson")?,
                })
            })
            .collect()
    }

    /// The plan's transition of care, as stored (JSON), if it has one.
    pub async fn transition(&self, patient_id: i64) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT transition FROM care_plans WHERE patient_id = ?")
                .bind(patient_id)
                .fetch_optional(&self.pool)
                .await?
                .flatten(),
        )
    }

    /// For each activity of the patient's that was ever marked done: the first
    /// local date it was done on.
    pub async fn first_done_dates(&self, patient_id: i64) -> StoreResult<Vec<(i64, NaiveDate)>> {
        let rows = sqlx::query(
            "SELECT activity_id, MIN(scheduled_local) AS first FROM outcomes
             WHERE patient_id = ? AND status = 'done' GROUP BY activity_id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .filter_map(|row| {
                let first: String = row.try_get("first").ok()?;
                let day = NaiveDate::parse_from_str(first.get(..10)?, "%Y-%m-%d").ok()?;
                Some(Ok((row.try_get("activity_id").ok()?, day)))
            })
            .collect()
    }

    /// The steps of a patient's appointments and referrals, oldest first,
    /// each with its activity.
    pub async fn care_event_steps(&self, patient_id: i64) -> StoreResult<Vec<(i64, CareEventStep)>> {
        let rows = sqlx::query(
            "SELECT s.activity_id, s.status, s.at, s.note, a.display_name
             FROM care_event_steps s
             JOIN activities act ON act.id = s.activity_id
             JOIN accounts a ON a.id = s.recorded_by
             WHERE act.patient_id = ? ORDER BY s.at, s.id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let status: String = row.try_get("status")?;
                let at: String = row.try_get("at")?;
                Ok((
                    row.try_get("activity_id")?,
                    CareEventStep {
                        status: CareEventStatus::parse(&status)
                            .ok_or_else(|| sqlx::Error::Decode(format!("unknown status {status}").into()))?,
                        at: parse_ts(&at),
                        by: row.try_get("display_name")?,
                        note: row
                            .try_get::<Option<String>, _>("note")?
                            .as_deref()
                            .map(localized),
                    },
                ))
            })
            .collect()
    }

    /// A patient's goal requests, newest first, with the goal's title.
    pub async fn goal_requests(&self, patient_id: i64) -> StoreResult<Vec<GoalRequestView>> {
        let sql =
            format!("{GOAL_REQUEST_SELECT} WHERE r.patient_id = ? ORDER BY r.created_at DESC, r.id DESC");
        let rows = sqlx::query(&sql).bind(patient_id).fetch_all(&self.pool).await?;
        rows.iter().map(goal_request_from_row).collect()
    }

    /// Outcomes of a patient's occurrences scheduled on the local dates `from..=to`.
    pub async fn outcomes_between(
        &self,
        patient_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Arc<Vec<RecordedOutcome>>> {
        // Only short windows are kept (today, the week, the panel's and the
        // alerts' days): a long one is read now and not held in memory.
        let keep = (to - from).num_days() < MOST_DAYS_KEPT;
        let generation = match self.outcomes.get_at(patient_id, &(from, to)) {
            Ok(outcomes) => return Ok(outcomes),
            Err(generation) => generation,
        };
        let rows = sqlx::query(
            "SELECT o.activity_id, o.scheduled_local, o.status, o.reason, o.readings, o.recorded_at, a.display_name, o.entered_by AS entered_by_id
             FROM outcomes o JOIN accounts a ON a.id = o.entered_by
             WHERE o.patient_id = ? AND o.scheduled_local >= ? AND o.scheduled_local < ?",
        )
        .bind(patient_id)
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(to.succ_opt().unwrap_or(to).format("%Y-%m-%d").to_string())
        .fetch_all(&self.pool)
        .await?;
        let outcomes = Arc::new(
            rows.into_iter()
                .map(|row| recorded_from_row(&row))
                .collect::<StoreResult<Vec<_>>>()?,
        );
        if keep {
            self.outcomes
                .keep_at(patient_id, (from, to), generation, outcomes.clone());
        }
        Ok(outcomes)
    }

    /// The plan's summary, domains, status and who changed it last.
    #[allow(clippy::type_complexity)]
    pub async fn care_plan(
        &self,
        patient_id: i64,
    ) -> StoreResult<Option<(LocalizedText, Vec<PlanDomain>, String, DateTime<Utc>, String)>> {
        let row = sqlx::query(
            "SELECT c.summary, c.domains, c.status, c.updated_at, a.display_name
             FROM care_plans c JOIN accounts a ON a.id = c.updated_by WHERE c.patient_id = ?",
        )
        .bind(patient_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let by_domain: std::collections::BTreeMap<String, LocalizedText> =
            serde_json::from_str(&row.try_get::<String, _>("domains")?).unwrap_or_default();
        let domains = tend_model::plan::DOMAINS
            .iter()
            .filter_map(|d| {
                by_domain.get(*d).map(|text| PlanDomain {
                    domain: (*d).to_owned(),
                    text: text.clone(),
                })
            })
            .collect();
        Ok(Some((
            localized(&row.try_get::<String, _>("summary")?),
            domains,
            row.try_get("status")?,
            parse_ts(&row.try_get::<String, _>("updated_at")?),
            row.try_get("display_name")?,
        )))
    }

    /// A patient's goals, oldest first.
    pub async fn goals(&self, patient_id: i64) -> StoreResult<Vec<PlanGoal>> {
        Ok(self
            .goal_rows(patient_id)
            .await?
            .into_iter()
            .map(|(goal, _, _)| goal)
            .collect())
    }

    /// A patient's care team, in the order the care manager set.
    pub async fn care_team(&self, patient_id: i64) -> StoreResult<Vec<CareTeamMember>> {
        let rows = sqlx::query(
            "SELECT name, role, phone, hours, call_for FROM care_team_members WHERE patient_id = ? ORDER BY position, id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(CareTeamMember {
                    name: row.try_get("name")?,
                    role: localized(&row.try_get::<String, _>("role")?),
                    phone: row.try_get("phone")?,
                    hours: localized(&row.try_get::<String, _>("hours")?),
                    call_for: localized(&row.try_get::<String, _>("call_for")?),
                })
            })
            .collect()
    }

    /// A patient's responses, oldest first; only one questionnaire's if given.
    pub async fn responses(
        &self,
        patient_id: i64,
        questionnaire: Option<QuestionnaireId>,
    ) -> StoreResult<Vec<ResponseView>> {
        let sql = format!(
            "SELECT r.id, r.questionnaire, r.answers, r.total, r.band, r.escalations, r.recorded_at, a.display_name, r.entered_by AS entered_by_id
             FROM responses r JOIN accounts a ON a.id = r.entered_by
             WHERE r.patient_id = ? {}
             ORDER BY r.recorded_at, r.id",
            if questionnaire.is_some() { "AND r.questionnaire = ?" } else { "" }
        );
        let mut query = sqlx::query(&sql).bind(patient_id);
        if let Some(q) = questionnaire {
            query = query.bind(q.as_str());
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(response_from_row).collect()
    }

    /// A patient's flags, newest first.
    pub async fn flags(&self, patient_id: i64) -> StoreResult<Vec<FlagView>> {
        let rows = sqlx::query(
            "SELECT f.id, f.rule, f.urgency, f.detail, f.raised_at, f.acknowledged_at, f.superseded_at,
                    a.display_name AS acknowledged_by, f.acknowledgement_note
             FROM flags f LEFT JOIN accounts a ON a.id = f.acknowledged_by
             WHERE f.patient_id = ? ORDER BY f.raised_at DESC, f.id DESC",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let urgency: String = row.try_get("urgency")?;
                Ok(FlagView {
                    id: row.try_get("id")?,
                    rule: row.try_get("rule")?,
                    urgency: decode_json(&format!("\"{urgency}\""))?,
                    detail: row.try_get("detail")?,
                    raised_at: parse_ts(&row.try_get::<String, _>("raised_at")?),
                    acknowledged_at: row
                        .try_get::<Option<String>, _>("acknowledged_at")?
                        .as_deref()
                        .map(parse_ts),
                    superseded_at: row
                        .try_get::<Option<String>, _>("superseded_at")?
                        .as_deref()
                        .map(parse_ts),
                    acknowledged_by: row.try_get("acknowledged_by")?,
                    acknowledgement_note: row.try_get("acknowledgement_note")?,
                })
            })
            .collect()
    }

    /// A patient's newest response, if any.
    pub async fn last_response(&self, patient_id: i64) -> StoreResult<Option<ResponseView>> {
        let row = sqlx::query(
            "SELECT r.id, r.questionnaire, r.answers, r.total, r.band, r.escalations, r.recorded_at, a.display_name, r.entered_by AS entered_by_id
             FROM responses r JOIN accounts a ON a.id = r.entered_by
             WHERE r.patient_id = ? ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1",
        )
        .bind(patient_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(response_from_row).transpose()
    }

    pub async fn count_responses(&self, patient_id: i64) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE patient_id = ?")
            .bind(patient_id)
            .fetch_one(&self.pool)
            .await
    }

    /// A patient's readings of one metric on the local dates `from..=to`, by date.
    pub async fn readings_between(
        &self,
        patient_id: i64,
        metric: Metric,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<(NaiveDate, Reading)>> {
        let rows = sqlx::query(
            "SELECT scheduled_local, readings FROM outcomes
             WHERE patient_id = ? AND readings IS NOT NULL AND scheduled_local >= ? AND scheduled_local < ?
             ORDER BY scheduled_local",
        )
        .bind(patient_id)
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(to.succ_opt().unwrap_or(to).format("%Y-%m-%d").to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut readings = Vec::new();
        for row in rows {
            let scheduled: String = row.try_get("scheduled_local")?;
            let Ok(date) = NaiveDate::parse_from_str(scheduled.get(..10).unwrap_or_default(), "%Y-%m-%d")
            else {
                continue;
            };
            if let Some(reading) = first_reading(row.try_get::<Option<String>, _>("readings")?.as_deref())
                .filter(|r| r.metric() == metric)
            {
                readings.push((date, reading));
            }
        }
        Ok(readings)
    }

    /// A patient's weights in pounds on the local dates `from..=to`, by date.
    pub async fn weights_between(
        &self,
        patient_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<(NaiveDate, f64)>> {
        Ok(self
            .readings_between(patient_id, Metric::Weight, from, to)
            .await?
            .into_iter()
            .filter_map(|(date, r)| r.weight_lb().map(|lb| (date, lb)))
            .collect())
    }

    /// A patient's goals with their metric and target as stored.
    pub async fn goal_rows(&self, patient_id: i64) -> StoreResult<Vec<(PlanGoal, String, String)>> {
        let rows = sqlx::query(
            "SELECT id, title, status, due_date, metric, target FROM goals WHERE patient_id = ? ORDER BY id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok((
                    PlanGoal {
                        id: row.try_get("id")?,
                        title: localized(&row.try_get::<String, _>("title")?),
                        status: row.try_get("status")?,
                        due_date: row
                            .try_get::<Option<String>, _>("due_date")?
                            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    },
                    row.try_get("metric")?,
                    row.try_get("target")?,
                ))
            })
            .collect()
    }

    pub async fn count_outcomes(&self, patient_id: i64) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM outcomes WHERE patient_id = ?")
            .bind(patient_id)
            .fetch_one(&self.pool)
            .await
    }
}

/// Care managers read everything of their patients; recording on a patient's
/// behalf is not theirs to do.
pub fn care_manager_scopes() -> Vec<Scope> {
    vec![
        Scope::PlanGoals,
        Scope::Reminders,
        Scope::Measurements,
        Scope::Assessments,
    ]
}

fn decode_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(e.into()))
}

fn response_from_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<ResponseView> {
    let questionnaire: String = row.try_get("questionnaire")?;
    let questionnaire = QuestionnaireId::parse(&questionnaire)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown questionnaire {questionnaire}").into()))?;
    let band: String = row.try_get("band")?;
    let escalations: Vec<Escalation> = decode_json(&row.try_get::<String, _>("escalations")?)?;
    Ok(ResponseView {
        id: row.try_get("id")?,
        questionnaire,
        answers: decode_json(&row.try_get::<String, _>("answers")?)?,
        total: u8::try_from(row.try_get::<i64, _>("total")?).unwrap_or(u8::MAX),
        max: questionnaire.definition().max_score,
        band: decode_json::<Band>(&format!("\"{band}\""))?,
        crisis_resources: escalations.contains(&Escalation::CrisisResources),
        escalations,
        recorded_at: parse_ts(&row.try_get::<String, _>("recorded_at")?),
        entered_by: row.try_get("display_name")?,
        entered_by_id: row.try_get("entered_by_id")?,
    })
}

/// A name as serde writes it, e.g. `moderately_severe`.
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The first reading of an outcome's JSON list; older or foreign shapes read as none.
fn first_reading(json: Option<&str>) -> Option<Reading> {
    let list: Vec<Reading> = serde_json::from_str(json?).ok()?;
    list.into_iter().next()
}

fn recorded_from_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<RecordedOutcome> {
    let scheduled: String = row.try_get("scheduled_local")?;
    let status: String = row.try_get("status")?;
    Ok(RecordedOutcome {
        activity_id: row.try_get("activity_id")?,
        scheduled: NaiveDateTime::parse_from_str(&scheduled, "%Y-%m-%dT%H:%M:%S")
            .map_err(|e| sqlx::Error::Decode(e.into()))?,
        view: OutcomeView {
            status: OutcomeStatus::parse(&status)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown status {status}").into()))?,
            reason: row.try_get("reason")?,
            recorded_at: parse_ts(&row.try_get::<String, _>("recorded_at")?),
            entered_by: row.try_get("display_name")?,
            entered_by_id: row.try_get("entered_by_id")?,
            reading: first_reading(row.try_get::<Option<String>, _>("readings")?.as_deref()),
        },
    })
}

const GOAL_REQUEST_SELECT: &str = "SELECT r.id, r.kind, r.goal_id, g.title AS goal_title, r.text, r.status,
        r.created_at, c.display_name AS created_by, r.decided_at, d.display_name AS decided_by, r.reason
     FROM goal_requests r
     JOIN accounts c ON c.id = r.created_by
     LEFT JOIN accounts d ON d.id = r.decided_by
     LEFT JOIN goals g ON g.id = r.goal_id";

fn goal_request_from_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<GoalRequestView> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let bad = |what: String| sqlx::Error::Decode(what.into());
    Ok(GoalRequestView {
        id: row.try_get("id")?,
        kind: RequestKind::parse(&kind).ok_or_else(|| bad(format!("unknown kind {kind}")))?,
        goal_id: row.try_get("goal_id")?,
        goal_title: row
            .try_get::<Option<String>, _>("goal_title")?
            .as_deref()
            .map(localized),
        text: row.try_get("text")?,
        status: RequestStatus::parse(&status).ok_or_else(|| bad(format!("unknown status {status}")))?,
        created_at: parse_ts(&row.try_get::<String, _>("created_at")?),
        created_by: row.try_get("created_by")?,
        decided_at: row
            .try_get::<Option<String>, _>("decided_at")?
            .as_deref()
            .map(parse_ts),
        decided_by: row.try_get("decided_by")?,
        reason: row.try_get("reason")?,
    })
}

/// A session's last use, unless the database has a later one.
async fn write_last_use(
    conn: &mut sqlx::SqliteConnection,
    token_hash: &str,
    seen: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?")
        .bind(ts(seen))
        .bind(token_hash)
        .bind(ts(seen))
        .execute(conn)
        .await?;
    Ok(())
}

/// A write transaction. Dropped without [`StoreTx::commit`], it rolls back.
pub struct StoreTx {
    tx: Transaction<'static, Sqlite>,
    /// This transaction's turn to write; released with it.
    _gate: tokio::sync::OwnedMutexGuard<()>,
    plans: Arc<cache::ByPatient<Vec<ActivityVersion>>>,
    /// An activity or a version was written: the cached plans go at commit.
    plan_changed: bool,
    outcomes: Arc<OutcomeWindows>,
    /// Patients whose outcomes were written: their cached ones go at commit.
    outcomes_changed: Vec<i64>,
    sessions: Arc<cache::Sessions>,
    /// This account changed, and every session of it but the one named
    /// ended: its cached sessions go at commit, the one kept with its last
    /// use written first.
    sessions_changed: Option<(i64, String)>,
}

/// An outcome to record for one occurrence.
pub struct NewOutcome<'a> {
    pub patient_id: i64,
    pub activity_id: i64,
    pub activity_version_id: i64,
    pub scheduled: NaiveDateTime,
    pub status: OutcomeStatus,
    pub reason: Option<&'a str>,
    pub reading: Option<Reading>,
    pub recorded_at: DateTime<Utc>,
    pub entered_by: i64,
}

/// A flag raised by a reading.
pub struct ReadingFlag<'a> {
    pub patient_id: i64,
    pub activity_id: i64,
    pub scheduled: NaiveDateTime,
    pub urgency: Urgency,
    pub rule: &'a str,
    pub detail: &'a str,
    pub raised_at: DateTime<Utc>,
}

/// A scored response to store, with the flags it raises (urgency, rule, detail).
pub struct NewResponse<'a> {
    pub patient_id: i64,
    pub questionnaire: QuestionnaireId,
    pub answers: &'a Answers,
    pub total: u8,
    pub band: Band,
    pub escalations: &'a [Escalation],
    pub flags: Vec<(Urgency, String, String)>,
    pub entered_by: i64,
    pub recorded_at: DateTime<Utc>,
}

impl StoreTx {
    /// A new password hash for the account; every other session of it ends.
    pub async fn set_password(&mut self, account_id: i64, hash: &str, keep_session: &str) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(account_id)
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?")
            .bind(account_id)
            .bind(keep_session)
            .execute(&mut *self.tx)
            .await?;
        self.sessions_changed = Some((account_id, keep_session.to_owned()));
        Ok(())
    }

    /// A new version of an activity from `edit.effective_from`, keeping what
    /// the edit does not change (goal, questionnaire, metric, place, lesson)
    /// from the version before. Returns the new version's number, or `None`
    /// when a version already starts that day.
    pub async fn insert_activity_version(
        &mut self,
        previous: &ActivityVersion,
        edit: &ActivityEdit,
        created_by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        self.plan_changed = true;
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM activity_versions WHERE activity_id = ? AND effective_from = ?",
        )
        .bind(previous.activity_id)
        .bind(edit.effective_from.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        if taken.is_some() {
            return Ok(None);
        }
        let newest: i64 =
            sqlx::query_scalar("SELECT MAX(version) FROM activity_versions WHERE activity_id = ?")
                .bind(previous.activity_id)
                .fetch_one(&mut *self.tx)
                .await?;
        let text = |t: &LocalizedText| serde_json::to_string(t).unwrap_or_default();
        sqlx::query(
            "INSERT INTO activity_versions (activity_id, version, effective_from, title, instructions, goal_id, schedule,
                 created_by, created_at, questionnaire, metric, place, bring, lesson)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(previous.activity_id)
        .bind(newest + 1)
        .bind(edit.effective_from.to_string())
        .bind(text(&edit.title))
        .bind(text(&edit.instructions))
        .bind(previous.goal_id)
        .bind(serde_json::to_string(&edit.schedule).unwrap_or_default())
        .bind(created_by)
        .bind(ts(now))
        .bind(previous.questionnaire.map(|q| q.as_str()))
        .bind(previous.metric.map(|m| m.as_str()))
        .bind(previous.place.as_ref().map(text))
        .bind(previous.bring.as_ref().map(text))
        .bind(previous.lesson.as_deref())
        .execute(&mut *self.tx)
        .await?;
        Ok(Some(newest + 1))
    }

    /// A new activity of the plan and its first version, from its schedule's
    /// first day. Returns the activity's id.
    pub async fn insert_activity(
        &mut self,
        patient_id: i64,
        activity: &NewActivity,
        created_by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        self.plan_changed = true;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO activities (patient_id, kind, created_at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(patient_id)
        .bind(activity.kind.as_str())
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await?;
        let text = |t: &LocalizedText| serde_json::to_string(t).unwrap_or_default();
        sqlx::query(
            "INSERT INTO activity_versions (activity_id, version, effective_from, title, instructions, goal_id, schedule,
                 created_by, created_at, metric)
             VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(activity.schedule.start.to_string())
        .bind(text(&activity.title))
        .bind(text(&activity.instructions))
        .bind(activity.goal_id)
        .bind(serde_json::to_string(&activity.schedule).unwrap_or_default())
        .bind(created_by)
        .bind(ts(now))
        .bind(activity.metric.map(|m| m.as_str()))
        .execute(&mut *self.tx)
        .await?;
        Ok(id)
    }

    /// A new "what matters to me" goal in the patient's words, as proposed.
    pub async fn insert_proposed_goal(
        &mut self,
        patient_id: i64,
        text: &str,
        start: NaiveDate,
        proposed_by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        // Written in one language, shown as written in both.
        let title = serde_json::to_string(&LocalizedText::new(text, text)).unwrap_or_default();
        let id = sqlx::query(
            "INSERT INTO goals (patient_id, title, metric, target, start_date, due_date, status, proposed_by, created_at)
             VALUES (?, ?, 'what_matters', '{\"direction\":\"milestone\"}', ?, NULL, 'proposed', ?, ?)",
        )
        .bind(patient_id)
        .bind(title)
        .bind(start.to_string())
        .bind(proposed_by)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?
        .last_insert_rowid();
        Ok(id)
    }

    /// Whether the goal is one of this patient's.
    /// A goal's target as stored (JSON with its unit), if the goal is the patient's.
    pub async fn goal_target(&mut self, goal_id: i64, patient_id: i64) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT target FROM goals WHERE id = ? AND patient_id = ?")
            .bind(goal_id)
            .bind(patient_id)
            .fetch_optional(&mut *self.tx)
            .await
    }

    /// A new active goal, set by the care manager; returns its id.
    pub async fn insert_goal(
        &mut self,
        patient_id: i64,
        goal: &NewGoal,
        target_json: &str,
        start: NaiveDate,
        set_by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO goals (patient_id, title, metric, target, start_date, due_date, status, proposed_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?) RETURNING id",
        )
        .bind(patient_id)
        .bind(serde_json::to_string(&goal.title).unwrap_or_default())
        .bind(&goal.measure)
        .bind(target_json)
        .bind(start.to_string())
        .bind(goal.due_date.map(|d| d.to_string()))
        .bind(set_by)
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
    }

    /// Changes a goal's words, target, due date and status.
    pub async fn update_goal(
        &mut self,
        goal_id: i64,
        title: &LocalizedText,
        target_json: &str,
        due_date: Option<NaiveDate>,
        status: &str,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE goals SET title = ?, target = ?, due_date = ?, status = ? WHERE id = ?")
            .bind(serde_json::to_string(title).unwrap_or_default())
            .bind(target_json)
            .bind(due_date.map(|d| d.to_string()))
            .bind(status)
            .bind(goal_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn goal_belongs(&mut self, goal_id: i64, patient_id: i64) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM goals WHERE id = ? AND patient_id = ?")
            .bind(goal_id)
            .bind(patient_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(found.is_some())
    }

    pub async fn insert_goal_request(
        &mut self,
        patient_id: i64,
        kind: RequestKind,
        goal_id: Option<i64>,
        text: &str,
        created_by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let id = sqlx::query(
            "INSERT INTO goal_requests (patient_id, goal_id, kind, text, status, created_by, created_at)
             VALUES (?, ?, ?, ?, 'open', ?, ?)",
        )
        .bind(patient_id)
        .bind(goal_id)
        .bind(kind.as_str())
        .bind(text)
        .bind(created_by)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?
        .last_insert_rowid();
        Ok(id)
    }

    /// One request as the list shows it, seen from inside this transaction.
    pub async fn goal_request(&mut self, id: i64) -> StoreResult<GoalRequestView> {
        let sql = format!("{GOAL_REQUEST_SELECT} WHERE r.id = ?");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *self.tx).await?;
        goal_request_from_row(&row)
    }

    /// The kind, status and goal of one of a patient's requests.
    pub async fn goal_request_state(
        &mut self,
        patient_id: i64,
        id: i64,
    ) -> StoreResult<Option<(RequestKind, RequestStatus, Option<i64>)>> {
        let row =
            sqlx::query("SELECT kind, status, goal_id FROM goal_requests WHERE id = ? AND patient_id = ?")
                .bind(id)
                .bind(patient_id)
                .fetch_optional(&mut *self.tx)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let kind: String = row.try_get("kind")?;
        let status: String = row.try_get("status")?;
        Ok(RequestKind::parse(&kind)
            .zip(RequestStatus::parse(&status))
            .map(|(k, s)| (k, s, row.try_get("goal_id").ok().flatten())))
    }

    /// Records the care manager's decision; a decided proposal makes its goal
    /// active (accepted) or cancelled (declined).
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_goal_request(
        &mut self,
        id: i64,
        kind: RequestKind,
        goal_id: Option<i64>,
        status: RequestStatus,
        reason: Option<&str>,
        decided_by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE goal_requests SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        )
        .bind(status.as_str())
        .bind(reason)
        .bind(decided_by)
        .bind(ts(now))
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        if let (RequestKind::Propose, Some(goal)) = (kind, goal_id) {
            let goal_status = if status == RequestStatus::Accepted {
                "active"
            } else {
                "cancelled"
            };
            sqlx::query("UPDATE goals SET status = ? WHERE id = ?")
                .bind(goal_status)
                .bind(goal)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Moves an appointment or referral on by one step.
    /// Acknowledges an open flag of the patient with a note; `false` when
    /// there is no such flag of this patient, or it was acknowledged already.
    pub async fn acknowledge_flag(
        &mut self,
        patient_id: i64,
        flag_id: i64,
        by: i64,
        note: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE flags SET acknowledged_at = ?, acknowledged_by = ?, acknowledgement_note = ?
             WHERE id = ? AND patient_id = ? AND acknowledged_at IS NULL",
        )
        .bind(ts(at))
        .bind(by)
        .bind(note)
        .bind(flag_id)
        .bind(patient_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_care_event_step(
        &mut self,
        activity_id: i64,
        status: CareEventStatus,
        note: Option<&str>,
        at: DateTime<Utc>,
        recorded_by: i64,
    ) -> StoreResult<()> {
        // A note is written in one language and shown as written in both.
        let note = note.map(|n| serde_json::to_string(&LocalizedText::new(n, n)).unwrap_or_default());
        sqlx::query(
            "INSERT INTO care_event_steps (activity_id, status, at, note, recorded_by) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(activity_id)
        .bind(status.as_str())
        .bind(ts(at))
        .bind(note)
        .bind(recorded_by)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Claims an idempotency key for this request. The claim is the
    /// transaction's first write, so a concurrent retry with the same key
    /// waits for this one to commit and then sees its answer.
    pub async fn claim_key(
        &mut self,
        account_id: i64,
        key: &str,
        request_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<KeyState> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (account_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (account_id, key) DO NOTHING",
        )
        .bind(account_id)
        .bind(key)
        .bind(request_hash)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(KeyState::Fresh);
        }
        let row = sqlx::query(
            "SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE account_id = ? AND key = ?",
        )
        .bind(account_id)
        .bind(key)
        .fetch_one(&mut *self.tx)
        .await?;
        let stored_hash: String = row.try_get("request_hash")?;
        if stored_hash != request_hash {
            return Ok(KeyState::Conflict);
        }
        let status: Option<i64> = row.try_get("response_status")?;
        let body: Option<String> = row.try_get("response_body")?;
        match (status, body) {
            (Some(status), Some(body)) => Ok(KeyState::Replay {
                status: u16::try_from(status).unwrap_or(200),
                body,
            }),
            // A claim without an answer cannot outlive its transaction.
            _ => Err(sqlx::Error::Protocol(
                "idempotency key claimed without an answer".into(),
            )),
        }
    }

    pub async fn finish_key(
        &mut self,
        account_id: i64,
        key: &str,
        status: u16,
        body: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE idempotency_keys SET response_status = ?, response_body = ? WHERE account_id = ? AND key = ?",
        )
        .bind(i64::from(status))
        .bind(body)
        .bind(account_id)
        .bind(key)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records done or skipped for an occurrence, replacing an earlier mark.
    pub async fn upsert_outcome(&mut self, outcome: &NewOutcome<'_>) -> StoreResult<()> {
        self.outcomes_changed.push(outcome.patient_id);
        sqlx::query(
            "INSERT INTO outcomes (patient_id, activity_id, activity_version_id, scheduled_local, status, reason, readings, recorded_at, entered_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (activity_id, scheduled_local) DO UPDATE SET
               activity_version_id = excluded.activity_version_id, status = excluded.status,
               reason = excluded.reason, readings = excluded.readings,
               recorded_at = excluded.recorded_at, entered_by = excluded.entered_by",
        )
        .bind(outcome.patient_id)
        .bind(outcome.activity_id)
        .bind(outcome.activity_version_id)
        .bind(local_key(outcome.scheduled))
        .bind(outcome.status.as_str())
        .bind(outcome.reason)
        .bind(outcome.reading.map(|r| serde_json::to_string(&[r]).unwrap_or_default()))
        .bind(ts(outcome.recorded_at))
        .bind(outcome.entered_by)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn delete_outcome(
        &mut self,
        patient_id: i64,
        activity_id: i64,
        scheduled: NaiveDateTime,
    ) -> StoreResult<()> {
        self.outcomes_changed.push(patient_id);
        sqlx::query("DELETE FROM outcomes WHERE patient_id = ? AND activity_id = ? AND scheduled_local = ?")
            .bind(patient_id)
            .bind(activity_id)
            .bind(local_key(scheduled))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn outcome(
        &mut self,
        activity_id: i64,
        scheduled: NaiveDateTime,
    ) -> StoreResult<Option<RecordedOutcome>> {
        let row = sqlx::query(
            "SELECT o.activity_id, o.scheduled_local, o.status, o.reason, o.readings, o.recorded_at, a.display_name, o.entered_by AS entered_by_id
             FROM outcomes o JOIN accounts a ON a.id = o.entered_by
             WHERE o.activity_id = ? AND o.scheduled_local = ?",
        )
        .bind(activity_id)
        .bind(local_key(scheduled))
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|row| recorded_from_row(&row)).transpose()
    }

    /// Stores a scored response and the flags it raises; returns the response id.
    pub async fn insert_response(&mut self, response: &NewResponse<'_>) -> StoreResult<i64> {
        let id = sqlx::query(
            "INSERT INTO responses (patient_id, questionnaire, answers, total, band, escalations, entered_by, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(response.patient_id)
        .bind(response.questionnaire.as_str())
        .bind(serde_json::to_string(response.answers).unwrap_or_default())
        .bind(i64::from(response.total))
        .bind(serde_name(&response.band))
        .bind(serde_json::to_string(response.escalations).unwrap_or_default())
        .bind(response.entered_by)
        .bind(ts(response.recorded_at))
        .execute(&mut *self.tx)
        .await?
        .last_insert_rowid();
        for (urgency, rule, detail) in &response.flags {
            sqlx::query(
                "INSERT INTO flags (patient_id, rule, urgency, detail, response_id, raised_at) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(response.patient_id)
            .bind(rule)
            .bind(serde_name(urgency))
            .bind(detail)
            .bind(id)
            .bind(ts(response.recorded_at))
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(id)
    }

    /// Raises a flag for the care manager from a reading entered for one occurrence.
    pub async fn insert_reading_flag(&mut self, flag: &ReadingFlag<'_>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO flags (patient_id, rule, urgency, detail, raised_at, activity_id, scheduled_local)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(flag.patient_id)
        .bind(flag.rule)
        .bind(serde_name(&flag.urgency))
        .bind(flag.detail)
        .bind(ts(flag.raised_at))
        .bind(flag.activity_id)
        .bind(local_key(flag.scheduled))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Marks the open flags of an occurrence as superseded by a later entry
    /// (a corrected value, an undo or a skip), so no stale value stays open.
    pub async fn supersede_flags(
        &mut self,
        activity_id: i64,
        scheduled: NaiveDateTime,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE flags SET superseded_at = ?
             WHERE activity_id = ? AND scheduled_local = ? AND superseded_at IS NULL AND acknowledged_at IS NULL",
        )
        .bind(ts(now))
        .bind(activity_id)
        .bind(local_key(scheduled))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn response(&mut self, id: i64) -> StoreResult<ResponseView> {
        let row = sqlx::query(
            "SELECT r.id, r.questionnaire, r.answers, r.total, r.band, r.escalations, r.recorded_at, a.display_name, r.entered_by AS entered_by_id
             FROM responses r JOIN accounts a ON a.id = r.entered_by WHERE r.id = ?",
        )
        .bind(id)
        .fetch_one(&mut *self.tx)
        .await?;
        response_from_row(&row)
    }

    /// Commits, then forgets what the caches kept of what changed. Run as a
    /// task of its own: a request dropped while it waits (its client went
    /// away) must not leave a commit that landed with its caches unforgotten.
    pub async fn commit(self) -> StoreResult<()> {
        tokio::spawn(self.commit_and_forget())
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("the commit's task ended early: {e}")))?
    }

    async fn commit_and_forget(mut self) -> StoreResult<()> {
        if let Some((_, kept)) = &self.sessions_changed {
            if let Some(seen) = self.sessions.unsaved_use(kept) {
                write_last_use(&mut self.tx, kept, seen).await?;
            }
        }
        self.tx.commit().await?;
        if self.plan_changed {
            self.plans.forget_all();
            self.outcomes.forget_all();
        }
        for patient_id in self.outcomes_changed.drain(..) {
            self.outcomes.forget(patient_id);
        }
        if let Some((account_id, _)) = self.sessions_changed {
            self.sessions.forget_account(account_id);
        }
        Ok(())
    }

    /// Raw access for the demo seeder, which lives inside this module and
    /// writes plans and outcomes.
    fn conn(&mut self) -> &mut sqlx::SqliteConnection {
        self.plan_changed = true;
        &mut self.tx
    }
}
