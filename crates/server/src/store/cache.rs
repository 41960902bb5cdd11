//! What the agenda reads on every request and what seldom changes, kept in
//! memory per patient: the activity versions (they change only when the care
//! manager edits the plan) and the patient's name and zone (never changed).
//! A change is forgotten only once it is committed, and a read that raced
//! with it is not kept, so nothing old outlives its change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Past this many patients the cache starts again from empty.
const MOST_PATIENTS: usize = 20_000;

pub struct ByPatient<V> {
    inner: Mutex<Inner<V>>,
}

struct Inner<V> {
    /// Counts forgettings; a read keeps its result only if none came between.
    generation: u64,
    values: HashMap<i64, Arc<V>>,
}

impl<V> Default for ByPatient<V> {
    fn default() -> Self {
        ByPatient {
            inner: Mutex::new(Inner {
                generation: 0,
                values: HashMap::new(),
            }),
        }
    }
}

impl<V> ByPatient<V> {
    /// The patient's value, or the generation to hand to [`ByPatient::keep`]
    /// with what is read from the database.
    pub fn get(&self, patient_id: i64) -> Result<Arc<V>, u64> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match inner.values.get(&patient_id) {
            Some(value) => Ok(value.clone()),
            None => Err(inner.generation),
        }
    }

    /// Keeps what was read, unless a change was committed since `generation`.
    pub fn keep(&self, patient_id: i64, generation: u64, value: Arc<V>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.generation != generation {
            return;
        }
        if inner.values.len() >= MOST_PATIENTS {
            inner.values.clear();
        }
        inner.values.insert(patient_id, value);
    }

    /// After a committed change of any patient's value.
    pub fn forget_all(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.generation += 1;
        inner.values.clear();
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
}
