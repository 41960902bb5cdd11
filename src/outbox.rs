//! Changes made on this device (marks, readings, check-ins) on their way to the
//! server. Each is written to IndexedDB before it is sent and removed only
//! when the server has answered it, so a dropped network, a reload or a
//! closed tab loses nothing; the outbox is sent at start, when the
//! connection returns, every half minute while something waits, and right
//! after a change is made. Its `Idempotency-Key` makes the server store each
//! change once however often it is sent. The rules live in
//! [`tend_model::outbox`].

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::outbox::is_refusal;
use tend_model::{Change, LocalizedText, Outbox, PendingChange};

use crate::api::{self, ApiError};
use crate::session::SessionState;

/// How often waiting changes are tried again while the app is open.
const RETRY_EVERY: Duration = Duration::from_secs(30);

/// A change the server has stored, with its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    pub key: String,
    pub patient_id: i64,
    /// The server's answer (JSON), read by the page that shows it: an
    /// outcome's [`tend_model::OutcomeResult`], a check-in's
    /// [`tend_model::ResponseView`]. The outbox itself never needs to read it.
    pub answer: String,
}

/// The handle pages use, from context ([`use_outbox`]).
#[derive(Clone, Copy)]
pub struct OutboxHandle {
    outbox: RwSignal<Outbox>,
    /// Keys of the changes on their way now (one at a time; a list is
    /// smaller in the wasm than a hashed set).
    sending: RwSignal<Vec<String>>,
    delivered: RwSignal<Vec<Delivery>>,
    /// The browser says it has a network, and the last try reached the server.
    online: RwSignal<bool>,
    session: Signal<SessionState>,
    replaying: StoredValue<bool>,
    /// Asked for again while one ran (the connection came back during a
    /// try that was failing): one more pass once it ends.
    again: StoredValue<bool>,
}

pub fn provide_outbox(session: Signal<SessionState>) {
    let handle = OutboxHandle {
        outbox: RwSignal::new(Outbox::default()),
        sending: RwSignal::new(Vec::new()),
        delivered: RwSignal::new(Vec::new()),
        online: RwSignal::new(navigator_online()),
        session,
        replaying: StoredValue::new(false),
        again: StoredValue::new(false),
    };
    provide_context(handle);
    // At start and whenever someone logs in: read what waits, and send it.
    Effect::new(move |_| {
        if handle.account().is_some() {
            spawn_local(handle.replay());
        }
    });
    let _ = window_event_listener(leptos::ev::online, move |_| {
        handle.online.set(true);
        spawn_local(handle.replay());
    });
    let _ = window_event_listener(leptos::ev::offline, move |_| handle.online.set(false));
    set_interval(
        move || {
            if handle.waiting() > 0 {
                spawn_local(handle.replay());
            }
        },
        RETRY_EVERY,
    );
}

pub fn use_outbox() -> OutboxHandle {
    use_context::<OutboxHandle>().expect("outbox context")
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl OutboxHandle {
    pub fn online(&self) -> bool {
        self.online.get()
    }

    /// The whole outbox, tracked.
    pub fn outbox(&self) -> Signal<Outbox> {
        self.outbox.into()
    }

    /// The logged-in account, tracked: only its changes are shown and sent.
    pub fn account(&self) -> Option<i64> {
        self.session.with(|s| s.view().map(|v| v.account.id))
    }

    fn account_untracked(&self) -> Option<i64> {
        self.session.with_untracked(|s| s.view().map(|v| v.account.id))
    }

    /// How many of this account's changes wait to be sent, tracked.
    pub fn waiting(&self) -> usize {
        let Some(account) = self.account() else {
            return 0;
        };
        self.outbox.with(|o| o.waiting_count(account))
    }

    /// This account's changes the server refused, tracked.
    pub fn refused(&self) -> Vec<PendingChange> {
        let Some(account) = self.account() else {
            return Vec::new();
        };
        self.outbox.with(|o| o.refused(account).cloned().collect())
    }

    /// Whether the change with this key is on its way right now, tracked.
    pub fn is_sending(&self, key: &str) -> bool {
        self.sending.with(|s| s.iter().any(|k| k == key))
    }

    /// Every change stored since the app started, in order, tracked.
    pub fn delivered(&self) -> Signal<Vec<Delivery>> {
        self.delivered.into()
    }

    /// Keeps a change on the device and sends it as soon as it can; a
    /// check-in comes with its score as the device computed it.
    pub fn add(
        &self,
        patient_id: i64,
        title: LocalizedText,
        change: Change,
        key: String,
        device_score: Option<(u8, u8)>,
    ) {
        let Some(account_id) = self.account_untracked() else {
            return;
        };
        let body = match &change {
            Change::Outcome(request) => serde_json::to_string(request),
            Change::Response(request) => serde_json::to_string(request),
        };
        let Ok(body) = body else { return };
        let now = js_sys::Date::now();
        let pending = PendingChange {
            key,
            seq: self.outbox.with_untracked(|o| o.next_seq(now as u64)),
            account_id,
            patient_id,
            made_at: chrono::DateTime::from_timestamp_millis(now as i64).unwrap_or_default(),
            title,
            change,
            body,
            refused: None,
            device_score,
        };
        self.outbox.update(|o| o.add(pending.clone()));
        let handle = *self;
        if api::previewing().is_some() {
            // A preview keeps nothing on the device: the server is asked once,
            // refuses, and the refusal shows like any other.
            spawn_local(async move { handle.send_once(pending).await });
            return;
        }
        spawn_local(async move {
            store::put(&pending).await;
            handle.replay().await;
        });
    }

    /// Sends one change without storing it, and shows the server's answer.
    async fn send_once(self, change: PendingChange) {
        match send(&change).await {
            Ok(answer) => self.outbox.update(|o| {
                o.remove(&change.key);
                self.delivered.update(|d| {
                    d.push(Delivery {
                        key: change.key.clone(),
                        patient_id: change.patient_id,
                        answer,
                    })
                });
            }),
            Err(ApiError::Problem(problem)) => self.outbox.update(|o| {
                o.refuse(&change.key, problem);
            }),
            Err(_) => self.outbox.update(|o| {
                o.remove(&change.key);
            }),
        }
    }

    /// Sends a refused change again, with the same key and body.
    pub fn retry(&self, key: &str) {
        let mut again = None;
        self.outbox.update(|o| again = o.retry(key).cloned());
        let handle = *self;
        if api::previewing().is_some() {
            if let Some(change) = again {
                spawn_local(async move { handle.send_once(change).await });
            }
            return;
        }
        spawn_local(async move {
            if let Some(change) = again {
                store::put(&change).await;
            }
            handle.replay().await;
        });
    }

    /// Forgets a refused change, as the person asked.
    pub fn dismiss(&self, key: &str) {
        self.outbox.update(|o| {
            o.remove(key);
        });
        let key = key.to_owned();
        spawn_local(async move { store::delete(&key).await });
    }

    /// Tries to send everything waiting now.
    pub fn send_now(&self) {
        spawn_local(self.replay());
    }

    /// Sends this account's waiting changes one by one, in order, until the
    /// network fails; one replay at a time. Asked for while one runs, it
    /// runs again when that one ends: the connection may have come back
    /// while a try was failing, which would otherwise leave the changes
    /// waiting (and the app saying it is offline) until the next timer.
    async fn replay(self) {
        // A preview sends nothing that waits on this device.
        if api::previewing().is_some() {
            return;
        }
        match self.replaying.try_get_value() {
            Some(false) => {}
            Some(true) => {
                self.again.set_value(true);
                return;
            }
            None => return,
        }
        self.replaying.set_value(true);
        loop {
            self.again.set_value(false);
            self.replay_once().await;
            if self.again.try_get_value() != Some(true) {
                break;
            }
        }
        self.replaying.try_set_value(false);
    }

    async fn replay_once(self) {
        // Changes made in another tab, or before a reload, are in storage only.
        let stored = store::all().await;
        self.outbox.update(|o| o.merge(stored));
        let mut tried = Vec::new();
        while let Some(account) = self.account_untracked() {
            let next = self
                .outbox
                .with_untracked(|o| o.to_send(account).find(|c| !tried.contains(&c.key)).cloned());
            let Some(change) = next else { break };
            tried.push(change.key.clone());
            self.sending.update(|s| s.push(change.key.clone()));
            let result = send(&change).await;
            self.sending.update(|s| s.retain(|k| *k != change.key));
            match result {
                Ok(answer) => {
                    self.online.set(true);
                    self.outbox.update(|o| {
                        o.remove(&change.key);
                    });
                    self.delivered.update(|d| {
                        d.push(Delivery {
                            key: change.key.clone(),
                            patient_id: change.patient_id,
                            answer,
                        })
                    });
                    store::delete(&change.key).await;
                }
                Err(ApiError::Problem(problem)) if is_refusal(problem.status) => {
                    self.online.set(true);
                    let mut refused = None;
                    self.outbox
                        .update(|o| refused = o.refuse(&change.key, problem).cloned());
                    if let Some(refused) = refused {
                        store::put(&refused).await;
                    }
                }
                Err(ApiError::Network) => {
                    self.online.set(false);
                    break;
                }
                // A lost session, or trouble on the server: it waits for the next try.
                Err(_) => break,
            }
        }
    }
}

async fn send(change: &PendingChange) -> Result<String, ApiError> {
    match &change.change {
        Change::Outcome(_) => api::record_outcome_body(change.patient_id, &change.body, &change.key).await,
        Change::Response(_) => api::submit_response_body(change.patient_id, &change.body, &change.key).await,
    }
}

/// The outbox in IndexedDB: one object store of JSON strings keyed by
/// idempotency key. Without IndexedDB (some private windows) the outbox lives
/// in memory only.
mod store {
    use std::cell::RefCell;

    use js_sys::{Array, Promise};
    use tend_model::PendingChange;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

    const DATABASE: &str = "tend";
    const STORE: &str = "outbox";

    thread_local! {
        static OPEN: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
    }

    /// Waits for a request's success and gives its result.
    async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
        let promise = Promise::new(&mut |resolve, reject| {
            request.set_onsuccess(Some(&resolve));
            request.set_onerror(Some(&reject));
        });
        JsFuture::from(promise).await?;
        request.result()
    }

    /// Waits until a write transaction is committed, so the change is on disk.
    async fn committed(transaction: &IdbTransaction) -> Result<(), JsValue> {
        let promise = Promise::new(&mut |resolve, reject| {
            transaction.set_oncomplete(Some(&resolve));
            transaction.set_onerror(Some(&reject));
            transaction.set_onabort(Some(&reject));
        });
        JsFuture::from(promise).await.map(|_| ())
    }

    async fn database() -> Result<IdbDatabase, JsValue> {
        if let Some(db) = OPEN.with(|o| o.borrow().clone()) {
            return Ok(db);
        }
        let factory = web_sys::window()
            .ok_or(JsValue::NULL)?
            .indexed_db()?
            .ok_or(JsValue::NULL)?;
        let request: IdbOpenDbRequest = factory.open_with_u32(DATABASE, 1)?;
        let upgrade = Closure::once_into_js(move |event: web_sys::Event| {
            let db = event
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|db| db.dyn_into::<IdbDatabase>().ok());
            if let Some(db) = db {
                let _ = db.create_object_store(STORE);
            }
        });
        request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        let db: IdbDatabase = done(&request).await?.dyn_into()?;
        OPEN.with(|o| *o.borrow_mut() = Some(db.clone()));
        Ok(db)
    }

    async fn write(key: &str, value: Option<String>) -> Result<(), JsValue> {
        let db = database().await?;
        let transaction = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
        let store = transaction.object_store(STORE)?;
        match value {
            Some(json) => store.put_with_key(&JsValue::from_str(&json), &JsValue::from_str(key))?,
            None => store.delete(&JsValue::from_str(key))?,
        };
        committed(&transaction).await
    }

    pub async fn put(change: &PendingChange) {
        if let Ok(json) = serde_json::to_string(change) {
            let _ = write(&change.key, Some(json)).await;
        }
    }

    pub async fn delete(key: &str) {
        let _ = write(key, None).await;
    }

    pub async fn all() -> Vec<PendingChange> {
        async fn read() -> Result<Vec<PendingChange>, JsValue> {
            let db = database().await?;
            let store = db.transaction_with_str(STORE)?.object_store(STORE)?;
            let values: Array = done(&store.get_all()?).await?.dyn_into()?;
            Ok(values
                .iter()
                .filter_map(|v| v.as_string())
                .filter_map(|json| serde_json::from_str(&json).ok())
                .collect())
        }
        read().await.unwrap_or_default()
    }
}
