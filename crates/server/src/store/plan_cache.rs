//! Each patient's activity versions, decoded, kept in memory: the agenda
//! reads them on every request, and they change only when the care manager
//! edits the plan. A change is forgotten only once it is committed, and a
//! read that raced with it is not kept, so no old plan outlives its change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::ActivityVersion;

/// Past this many patients the cache starts again from empty.
const MOST_PATIENTS: usize = 20_000;

#[derive(Default)]
pub struct PlanCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Counts forgettings; a read keeps its result only if none came between.
    generation: u64,
    versions: HashMap<i64, Arc<Vec<ActivityVersion>>>,
}

impl PlanCache {
    /// The patient's versions, or the generation to hand to [`PlanCache::keep`]
    /// with what is read from the database.
    pub fn get(&self, patient_id: i64) -> Result<Arc<Vec<ActivityVersion>>, u64> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match inner.versions.get(&patient_id) {
            Some(versions) => Ok(versions.clone()),
            None => Err(inner.generation),
        }
    }

    /// Keeps what was read, unless a change was committed since `generation`.
    pub fn keep(&self, patient_id: i64, generation: u64, versions: Arc<Vec<ActivityVersion>>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.generation != generation {
            return;
        }
        if inner.versions.len() >= MOST_PATIENTS {
            inner.versions.clear();
        }
        inner.versions.insert(patient_id, versions);
    }

    /// After a committed change of any plan.
    pub fn forget_all(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.generation += 1;
        inner.versions.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_that_raced_with_a_committed_change_is_not_kept() {
        let cache = PlanCache::default();
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
}
