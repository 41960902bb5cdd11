//! Nothing lost, nothing doubled: the real `tend` binary is killed with
//! SIGKILL while many clients send check-ins, started again on the same
//! file, and every client retries what was not acknowledged, with the same
//! `Idempotency-Key` and the same bytes, as the app's outbox does.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Row};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Clients writing at once.
const CLIENTS: usize = 32;
/// Check-ins each client has to send.
const WRITES_PER_CLIENT: usize = 60;
/// The server is killed once this many writes were acknowledged.
const ACKS_BEFORE_KILL: usize = 300;
/// Every how many acknowledged writes one is sent again after the restart, as
/// a phone does whose answer was lost on the way.
const RESEND_EVERY: usize = 10;

struct Server {
    child: Child,
    addr: SocketAddr,
}

fn free_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    listener.local_addr().expect("address")
}

async fn start(db: &Path, log: &Path, demo: bool) -> Server {
    let addr = free_addr();
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("log file");
    let mut command = Command::new(env!("CARGO_BIN_EXE_tend"));
    command
        .arg("--db")
        .arg(db)
        .arg("--addr")
        .arg(addr.to_string())
        .arg("--dist")
        .arg(db.with_file_name("no-dist"))
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(log);
    if demo {
        command.arg("--demo");
    }
    let mut child = command.spawn().expect("start tend");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(
            child.try_wait().expect("child state").is_none(),
            "tend exited early"
        );
        if let Ok(reply) = request(addr, "GET", "/api/health", None, None, "").await {
            if reply.status == 200 {
                return Server { child, addr };
            }
        }
        assert!(Instant::now() < deadline, "tend did not become healthy");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 request on its own connection; any failure to get a whole
/// answer is an error, as a phone losing its connection sees it.
async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    key: Option<&str>,
    body: &str,
) -> std::io::Result<Reply> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(cookie) = cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(key) = key {
            head.push_str(&format!("Idempotency-Key: {key}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (headers, body) = raw
            .split_once("\r\n\r\n")
            .ok_or_else(|| std::io::Error::other("cut off in the headers"))?;
        let status = headers
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other("no status line"))?;
        let length: usize = headers
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().to_owned())
            })
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| std::io::Error::other("no content-length"))?;
        if body.len() != length {
            return Err(std::io::Error::other("cut off in the body"));
        }
        Ok(Reply {
            status,
            headers: headers.to_owned(),
            body: body.to_owned(),
        })
    };
    tokio::time::timeout(Duration::from_secs(20), exchange)
        .await
        .map_err(|_| std::io::Error::other("timed out"))?
}

/// The GAD-7 answers of write `n`: its base-4 digits, so each write's
/// answers are unique and its stored row can be told from every other.
fn answers(n: usize) -> BTreeMap<String, u8> {
    (1..=7)
        .map(|item| (format!("gad7_{item}"), ((n >> (2 * (item - 1))) & 3) as u8))
        .collect()
}

struct Write {
    key: String,
    body: String,
}

#[derive(Default)]
struct ClientLog {
    /// Write number → the response id in its acknowledgement.
    acked: HashMap<usize, i64>,
    /// Writes sent without an acknowledgement (in flight at the kill).
    unacked: Vec<usize>,
    /// Writes not sent before the kill.
    unsent: Vec<usize>,
}

fn ack_id(reply: &Reply) -> Option<i64> {
    (reply.status == 201)
        .then(|| serde_json::from_str::<Value>(&reply.body).ok()?["id"].as_i64())
        .flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_check_ins_survive_sigkill_and_retries_store_nothing_twice() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("tend.db");
    let log = dir.path().join("server.log");
    let mut server = start(&db, &log, true).await;

    let login = request(
        server.addr,
        "POST",
        "/api/session",
        None,
        None,
        r#"{"username":"maria","password":"tend-demo"}"#,
    )
    .await
    .expect("log in");
    assert_eq!(login.status, 200, "log in: {}", login.body);
    let cookie = login
        .headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .and_then(|l| l["set-cookie:".len()..].trim().split(';').next())
        .expect("session cookie")
        .to_owned();
    let session = request(server.addr, "GET", "/api/session", Some(&cookie), None, "")
        .await
        .expect("session");
    assert_eq!(session.status, 200, "session: {}", session.body);
    let patient = serde_json::from_str::<Value>(&session.body).unwrap()["patients"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["relation"] == "own"))
        .and_then(|p| p["id"].as_i64())
        .expect("maria's patient id");

    let mut database = SqliteConnectOptions::new()
        .filename(&db)
        .read_only(true)
        .connect()
        .await
        .expect("read the database");
    let baseline: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM responses")
        .fetch_one(&mut database)
        .await
        .expect("baseline");
    drop(database);

    let writes: Arc<Vec<Write>> = Arc::new(
        (0..CLIENTS * WRITES_PER_CLIENT)
            .map(|n| Write {
                key: format!("durability-{n}"),
                body: serde_json::json!({ "questionnaire": "gad7", "answers": answers(n) }).to_string(),
            })
            .collect(),
    );
    let path = format!("/api/patients/{patient}/responses");
    let addr = Arc::new(RwLock::new(server.addr));
    let acks = Arc::new(AtomicUsize::new(0));

    // Before the kill: each client sends its writes one after another until
    // one gets no answer; the rest wait for the restart.
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let (writes, addr, acks, cookie, path) = (
            writes.clone(),
            addr.clone(),
            acks.clone(),
            cookie.clone(),
            path.clone(),
        );
        clients.push(tokio::spawn(async move {
            let mut log = ClientLog::default();
            let mine: Vec<usize> = (client * WRITES_PER_CLIENT..(client + 1) * WRITES_PER_CLIENT).collect();
            for (i, &n) in mine.iter().enumerate() {
                let w = &writes[n];
                let at = *addr.read().unwrap();
                match request(at, "POST", &path, Some(&cookie), Some(&w.key), &w.body).await {
                    Ok(reply) if ack_id(&reply).is_some() => {
                        log.acked.insert(n, ack_id(&reply).unwrap());
                        acks.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(reply) if reply.status < 500 => {
                        panic!("write {n} refused with {}: {}", reply.status, reply.body)
                    }
                    _ => {
                        log.unacked.push(n);
                        log.unsent.extend_from_slice(&mine[i + 1..]);
                        break;
                    }
                }
            }
            log
        }));
    }

    while acks.load(Ordering::SeqCst) < ACKS_BEFORE_KILL {
        assert!(
            !clients.iter().all(|c| c.is_finished()),
            "every client finished before the kill; raise WRITES_PER_CLIENT"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reap");
    let acked_before_kill = acks.load(Ordering::SeqCst);

    let mut logs = Vec::new();
    for client in clients {
        logs.push(client.await.expect("client"));
    }
    let in_flight: usize = logs.iter().map(|l| l.unacked.len()).sum();
    let unsent: usize = logs.iter().map(|l| l.unsent.len()).sum();
    let acked_first: usize = logs.iter().map(|l| l.acked.len()).sum();
    assert!(in_flight > 0, "no write was in flight at the kill");

    // Started again on the same file: every client retries what got no
    // answer, sends what it had not sent yet, and sends again some that were
    // acknowledged (their answer lost on the way).
    server = start(&db, &log, false).await;
    *addr.write().unwrap() = server.addr;
    let mut clients = Vec::new();
    for mut log in logs {
        let (writes, addr, cookie, path) = (writes.clone(), addr.clone(), cookie.clone(), path.clone());
        clients.push(tokio::spawn(async move {
            let mut resent = Vec::new();
            let mut acked: Vec<_> = log.acked.iter().map(|(&n, &id)| (n, id)).collect();
            acked.sort();
            for (n, first_id) in acked.into_iter().filter(|(n, _)| n % RESEND_EVERY == 0) {
                resent.push((n, first_id));
            }
            let mut retried = 0;
            let mut replayed = 0;
            let todo: Vec<(usize, bool)> = log
                .unacked
                .iter()
                .map(|&n| (n, true))
                .chain(log.unsent.iter().map(|&n| (n, false)))
                .chain(resent.iter().map(|&(n, _)| (n, true)))
                .collect();
            for (n, is_retry) in todo {
                let w = &writes[n];
                let at = *addr.read().unwrap();
                let reply = request(at, "POST", &path, Some(&cookie), Some(&w.key), &w.body)
                    .await
                    .unwrap_or_else(|e| panic!("write {n} after the restart: {e}"));
                let id = ack_id(&reply).unwrap_or_else(|| {
                    panic!("write {n} after the restart: {} {}", reply.status, reply.body)
                });
                if is_retry {
                    retried += 1;
                }
                if reply
                    .headers
                    .to_ascii_lowercase()
                    .contains("idempotent-replayed: true")
                {
                    replayed += 1;
                }
                if let Some(&(_, first_id)) = resent.iter().find(|(r, _)| *r == n) {
                    assert_eq!(id, first_id, "write {n} sent again got another answer");
                } else {
                    log.acked.insert(n, id);
                }
            }
            (log.acked, resent.len(), retried, replayed)
        }));
    }
    let mut acked: HashMap<usize, i64> = HashMap::new();
    let (mut resent, mut retried, mut replayed) = (0, 0, 0);
    for client in clients {
        let (a, s, r, p) = client.await.expect("client after the restart");
        acked.extend(a);
        resent += s;
        retried += r;
        replayed += p;
    }
    server.child.kill().expect("stop tend");
    server.child.wait().expect("reap");

    // What the file holds: each write's answers exactly once, under the id
    // its acknowledgement named, and nothing else.
    let mut database = SqliteConnectOptions::new()
        .filename(&db)
        .read_only(true)
        .connect()
        .await
        .expect("read the database");
    let rows = sqlx::query("SELECT id, answers FROM responses WHERE id > ? AND patient_id = ?")
        .bind(baseline)
        .bind(patient)
        .fetch_all(&mut database)
        .await
        .expect("responses");
    let mut rows_per_write: HashMap<usize, Vec<i64>> = HashMap::new();
    for row in &rows {
        let stored: BTreeMap<String, u8> =
            serde_json::from_str(row.get::<&str, _>("answers")).expect("answers JSON");
        let n = (1..=7).fold(0, |n, item| {
            n | (usize::from(stored[&format!("gad7_{item}")]) << (2 * (item - 1)))
        });
        rows_per_write.entry(n).or_default().push(row.get("id"));
    }
    let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM idempotency_keys WHERE key LIKE 'durability-%'")
        .fetch_one(&mut database)
        .await
        .expect("keys");

    println!(
        "durability: {CLIENTS} clients, {} writes; acknowledged before the kill {acked_before_kill} \
         (by the clients' count {acked_first}); in flight at the kill {in_flight}; not yet sent {unsent}; \
         retried after the restart {retried} (of which sent again after an acknowledgement {resent}), \
         answered from the key {replayed}; rows {}; keys {keys}; {:.1} s",
        writes.len(),
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        acked.len(),
        writes.len(),
        "every write was acknowledged in the end"
    );
    for (&n, &id) in &acked {
        match rows_per_write.get(&n).map(Vec::as_slice) {
            Some([stored]) => assert_eq!(*stored, id, "write {n} stored under another id than acknowledged"),
            Some(more) => panic!("write {n} stored {} times", more.len()),
            None => panic!("acknowledged write {n} (response {id}) is not in the database"),
        }
    }
    assert_eq!(rows.len(), writes.len(), "rows that no write made");
    assert_eq!(keys, writes.len() as i64, "one idempotency key per write");
}
