//! What every request reads and what seldom changes, kept in memory: per
//! patient, the activity versions (they change only when the care manager
//! edits the plan), the patient's name and zone (never changed) and the
//! outcomes recorded in each window of dates the agenda was read for
//! (forgotten when one of that patient's outcomes is written); per session
//! token, the session and its account. A change is forgotten only
//! once it is committed, and a read that raced with it is not kept, so
//! nothing old outlives its change.
//!
//! These caches assume what Tend is: one server process owning its SQLite
//! file. A second process writing the same file would not be seen here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use super::Account;

/// A cache's lock, taken even when a panic poisoned it: what it guards is
/// only inserted, removed or cleared, never left half-changed.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Past this many patients the cache starts again from empty.
const MOST_PATIENTS: usize = 20_000;
/// Past this many keys of one patient (agenda windows), that patient's
/// values start again from empty.
const MOST_KEYS_PER_PATIENT: usize = 8;

/// Values per patient, each under a key of its own (`()` where a patient has
/// one value; a window of dates for the outcomes recorded in it).
pub struct ByPatient<V, K = ()> {
    inner: Mutex<Inner<V, K>>,
}

struct Inner<V, K> {
    /// Counts forgettings; a read keeps its result only if none came between.
    generation: u64,
    values: HashMap<i64, HashMap<K, Arc<V>>>,
}

impl<V, K> Default for ByPatient<V, K> {
    fn default() -> Self {
        ByPatient {
            inner: Mutex::new(Inner {
                generation: 0,
                values: HashMap::new(),
            }),
        }
    }
}

impl<V, K: Eq + std::hash::Hash> ByPatient<V, K> {
    /// The patient's value under `key`, or the generation to hand to
    /// [`ByPatient::keep_at`] with what is read from the database.
    pub fn get_at(&self, patient_id: i64, key: &K) -> Result<Arc<V>, u64> {
        let inner = lock(&self.inner);
        match inner.values.get(&patient_id).and_then(|values| values.get(key)) {
            Some(value) => Ok(value.clone()),
            None => Err(inner.generation),
        }
    }

    /// Keeps what was read, unless a change was committed since `generation`.
    pub fn keep_at(&self, patient_id: i64, key: K, generation: u64, value: Arc<V>) {
        let mut inner = lock(&self.inner);
        if inner.generation != generation {
            return;
        }
        if inner.values.len() >= MOST_PATIENTS {
            inner.values.clear();
        }
        let values = inner.values.entry(patient_id).or_default();
        if values.len() >= MOST_KEYS_PER_PATIENT {
            values.clear();
        }
        values.insert(key, value);
    }

    /// After a committed change of one patient's values.
    pub fn forget(&self, patient_id: i64) {
        let mut inner = lock(&self.inner);
        inner.generation += 1;
        inner.values.remove(&patient_id);
    }

    /// After a committed change of any patient's values.
    pub fn forget_all(&self) {
        let mut inner = lock(&self.inner);
        inner.generation += 1;
        inner.values.clear();
    }
}

impl<V> ByPatient<V> {
    /// The patient's value, or the generation to hand to [`ByPatient::keep`].
    pub fn get(&self, patient_id: i64) -> Result<Arc<V>, u64> {
        self.get_at(patient_id, &())
    }

    /// Keeps what was read, unless a change was committed since `generation`.
    pub fn keep(&self, patient_id: i64, generation: u64, value: Arc<V>) {
        self.keep_at(patient_id, (), generation, value)
    }
}

/// Past this many sessions, those whose last use is saved are dropped.
const MOST_SESSIONS: usize = 100_000;

/// A live session as the database has it, but for its last use, which is
/// kept here first and written with the others once a minute.
#[derive(Clone, Debug)]
pub struct CachedSession {
    pub account: Account,
    pub expires_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The last use the database has.
    saved_seen: DateTime<Utc>,
}

impl CachedSession {
    pub fn is_live(
        &self,
        now: DateTime<Utc>,
        idle_limit: impl Fn(tend_model::Role) -> chrono::TimeDelta,
    ) -> bool {
        self.expires_at > now && now - self.last_seen <= idle_limit(self.account.role)
    }

    /// Notes a use at `now` (a slow request's earlier `now` does not take
    /// the last use back).
    pub fn note_use(&mut self, now: DateTime<Utc>) {
        self.last_seen = self.last_seen.max(now);
    }

    /// Its last use, when the database does not have it yet.
    fn unsaved_use(&self) -> Option<DateTime<Utc>> {
        (self.last_seen > self.saved_seen).then_some(self.last_seen)
    }

    /// A session as read from the database.
    pub fn read(account: Account, expires_at: DateTime<Utc>, last_seen: DateTime<Utc>) -> Self {
        CachedSession {
            account,
            expires_at,
            last_seen,
            saved_seen: last_seen,
        }
    }
}

/// What the memory of sessions says of a token.
pub enum SessionLookup {
    /// Live: its use is noted.
    Live(Account),
    /// Past its expiry or idle too long: forgotten here, to be deleted.
    Ended,
    /// Not here: read it, then hand this generation to [`Sessions::keep`].
    Unknown(u64),
}

/// Sessions by token hash, so that telling who asks costs no query.
#[derive(Default)]
pub struct Sessions {
    inner: Mutex<SessionsInner>,
}

#[derive(Default)]
struct SessionsInner {
    /// Counts forgettings; a read keeps its result only if none came between.
    generation: u64,
    by_token: HashMap<String, CachedSession>,
}

impl Sessions {
    /// Whether the session is live at `now` (not past `expires_at`, not idle
    /// longer than its role's `idle_limit`), noting the use if it is. One
    /// that has ended is forgotten in the same step, so no request that
    /// comes after sees it live, even before it is deleted.
    pub fn use_at(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle_limit: impl Fn(tend_model::Role) -> chrono::TimeDelta,
    ) -> SessionLookup {
        let mut inner = lock(&self.inner);
        let Some(session) = inner.by_token.get_mut(token_hash) else {
            return SessionLookup::Unknown(inner.generation);
        };
        if !session.is_live(now, &idle_limit) {
            inner.generation += 1;
            inner.by_token.remove(token_hash);
            return SessionLookup::Ended;
        }
        session.note_use(now);
        SessionLookup::Live(session.account.clone())
    }

    /// Keeps a session read from the database, unless one was forgotten since
    /// `generation` (it may have been this one, ended by then).
    pub fn keep(&self, token_hash: &str, generation: u64, session: CachedSession) {
        let mut inner = lock(&self.inner);
        if inner.generation != generation {
            return;
        }
        if inner.by_token.len() >= MOST_SESSIONS {
            inner.by_token.retain(|_, s| s.unsaved_use().is_some());
            if inner.by_token.len() >= MOST_SESSIONS {
                return;
            }
        }
        inner.by_token.insert(token_hash.to_owned(), session);
    }

    /// After a session was deleted (logged out, expired).
    pub fn forget(&self, token_hash: &str) {
        let mut inner = lock(&self.inner);
        inner.generation += 1;
        inner.by_token.remove(token_hash);
    }

    /// After an account's sessions or the account itself changed in the
    /// database (a new password; a test aged its sessions).
    pub fn forget_account(&self, account_id: i64) {
        let mut inner = lock(&self.inner);
        inner.generation += 1;
        inner.by_token.retain(|_, s| s.account.id != account_id);
    }

    /// A session's last use, when the database does not have it yet.
    pub fn unsaved_use(&self, token_hash: &str) -> Option<DateTime<Utc>> {
        let inner = lock(&self.inner);
        inner.by_token.get(token_hash)?.unsaved_use()
    }

    /// The uses the database does not have yet: token hash and last use.
    pub fn unsaved_uses(&self) -> Vec<(String, DateTime<Utc>)> {
        let inner = lock(&self.inner);
        inner
            .by_token
            .iter()
            .filter_map(|(token, s)| Some((token.clone(), s.unsaved_use()?)))
            .collect()
    }

    /// These uses are in the database now.
    pub fn saved(&self, uses: &[(String, DateTime<Utc>)]) {
        let mut inner = lock(&self.inner);
        for (token, seen) in uses {
            if let Some(session) = inner.by_token.get_mut(token) {
                session.saved_seen = session.saved_seen.max(*seen);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_that_raced_with_a_committed_change_is_not_kept() {
        let cache = ByPatient::<Vec<u8>>::default();
        let generation = cache.get(7).unwrap_err();
        // A change commits while the read is under way: what it read may be old.
        cache.forget_all();
        cache.keep(7, generation, Arc::new(Vec::new()));
        let now = cache.get(7).unwrap_err();
        assert_ne!(now, generation);
        // Read again after the change: kept, and served from then on.
        cache.keep(7, now, Arc::new(Vec::new()));
        assert!(cache.get(7).is_ok());
        cache.forget_all();
        assert!(cache.get(7).is_err());
    }

    #[test]
    fn a_change_of_one_patient_forgets_only_that_patients_values() {
        let cache = ByPatient::<Vec<u8>, (u8, u8)>::default();
        let generation = cache.get_at(7, &(1, 1)).unwrap_err();
        cache.keep_at(7, (1, 1), generation, Arc::new(vec![1]));
        cache.keep_at(7, (1, 2), generation, Arc::new(vec![2]));
        cache.keep_at(8, (1, 1), generation, Arc::new(vec![3]));
        assert_eq!(*cache.get_at(7, &(1, 2)).unwrap(), vec![2]);
        // A read of patient 8 under way while patient 7 changes is not kept
        // either: the generation is one for all.
        let reading_8 = cache.get_at(8, &(2, 2)).unwrap_err();
        cache.forget(7);
        assert!(cache.get_at(7, &(1, 1)).is_err());
        assert!(cache.get_at(7, &(1, 2)).is_err());
        assert_eq!(*cache.get_at(8, &(1, 1)).unwrap(), vec![3]);
        cache.keep_at(8, (2, 2), reading_8, Arc::new(vec![4]));
        assert!(cache.get_at(8, &(2, 2)).is_err());
    }

    fn session(account_id: i64, seen: DateTime<Utc>) -> CachedSession {
        let account = Account {
            id: account_id,
            username: "maria".into(),
            password_hash: String::new(),
            role: tend_model::Role::Patient,
            display_name: "Maria Santos".into(),
            patient_id: Some(1),
        };
        CachedSession::read(account, seen + chrono::TimeDelta::days(30), seen)
    }

    fn thirty_minutes(_: tend_model::Role) -> chrono::TimeDelta {
        chrono::TimeDelta::minutes(30)
    }

    fn lookup(sessions: &Sessions, token: &str, at: DateTime<Utc>) -> SessionLookup {
        sessions.use_at(token, at, thirty_minutes)
    }

    fn unknown(sessions: &Sessions, token: &str, at: DateTime<Utc>) -> u64 {
        match lookup(sessions, token, at) {
            SessionLookup::Unknown(generation) => generation,
            _ => panic!("{token} is known"),
        }
    }

    /// Read from the database (not known here before) and kept.
    fn kept(sessions: &Sessions, token: &str, account_id: i64, at: DateTime<Utc>) {
        let generation = unknown(sessions, token, at);
        sessions.keep(token, generation, session(account_id, at));
    }

    fn is_live(sessions: &Sessions, token: &str, at: DateTime<Utc>) -> bool {
        matches!(lookup(sessions, token, at), SessionLookup::Live(_))
    }

    #[test]
    fn a_session_ended_while_it_was_being_read_is_not_kept() {
        let sessions = Sessions::default();
        let t0 = Utc::now();
        let generation = unknown(&sessions, "a", t0);
        // Logged out (or its password changed) while the read was under way.
        sessions.forget("a");
        sessions.keep("a", generation, session(1, t0));
        unknown(&sessions, "a", t0);
        let generation = unknown(&sessions, "b", t0);
        sessions.forget_account(1);
        sessions.keep("b", generation, session(1, t0));
        unknown(&sessions, "b", t0);
    }

    #[test]
    fn an_idle_session_ends_for_every_request_after_the_first_that_finds_it_so() {
        let sessions = Sessions::default();
        let t0 = Utc::now();
        kept(&sessions, "a", 1, t0);
        let late = t0 + chrono::TimeDelta::minutes(31);
        assert!(matches!(lookup(&sessions, "a", late), SessionLookup::Ended));
        // The next request, even before the session is deleted, must read the
        // database again, where it is still 31 minutes idle.
        unknown(&sessions, "a", late);
        kept(&sessions, "b", 1, t0);
        assert!(is_live(&sessions, "b", t0 + chrono::TimeDelta::minutes(29)));
        assert!(
            is_live(&sessions, "b", t0 + chrono::TimeDelta::minutes(58)),
            "each use counts"
        );
    }

    #[test]
    fn uses_are_noted_in_memory_and_saved_once() {
        let sessions = Sessions::default();
        let t0 = Utc::now();
        kept(&sessions, "a", 1, t0);
        assert!(sessions.unsaved_uses().is_empty());
        let t1 = t0 + chrono::TimeDelta::seconds(5);
        assert!(is_live(&sessions, "a", t1));
        // An older use (a slow request) does not take the last use back.
        assert!(is_live(&sessions, "a", t0));
        let uses = sessions.unsaved_uses();
        assert_eq!(uses, vec![("a".to_owned(), t1)]);
        sessions.saved(&uses);
        assert!(sessions.unsaved_uses().is_empty());
        // Another account's sessions stay when one account's go.
        kept(&sessions, "b", 2, t0);
        kept(&sessions, "c", 1, t0);
        assert!(is_live(&sessions, "c", t1));
        assert_eq!(sessions.unsaved_use("c"), Some(t1));
        assert_eq!(sessions.unsaved_use("a"), None, "saved already");
        sessions.forget_account(1);
        unknown(&sessions, "a", t1);
        unknown(&sessions, "c", t1);
        assert!(is_live(&sessions, "b", t1));
        assert_eq!(sessions.unsaved_uses(), vec![("b".to_owned(), t1)]);
    }
}
