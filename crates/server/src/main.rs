//! `tend`: the server binary. With no configuration it opens (or creates)
//! `./data/tend.db`, runs migrations and listens on 127.0.0.1:3000.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use tend_server::{app, auth, store::demo, AppState, Store};
use tracing_subscriber::EnvFilter;

#[derive(Parser, Debug)]
#[command(
    name = "tend",
    version,
    about = "Tend's API server; also serves the built app"
)]
struct Config {
    /// SQLite database file; created with its folder if missing.
    #[arg(long, env = "TEND_DB", default_value = "./data/tend.db")]
    db: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "TEND_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Seed the demo patients and logins (once; later starts leave them as they are).
    #[arg(long, env = "TEND_DEMO")]
    demo: bool,
    /// Folder of the built app (Trunk's output).
    #[arg(long, env = "TEND_DIST", default_value = "./dist")]
    dist: PathBuf,
    /// Mark the session cookie Secure (use behind HTTPS).
    #[arg(long, env = "TEND_SECURE_COOKIES")]
    secure_cookies: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = Config::parse();
    let store = Store::open(&config.db).await?;
    tracing::info!(db = %config.db.display(), "database ready");
    if config.demo {
        let hash = tokio::task::spawn_blocking(|| auth::hash_password(demo::DEMO_PASSWORD)).await??;
        if store.seed_demo(chrono::Utc::now(), &hash).await? {
            tracing::info!("demo data seeded");
        } else {
            tracing::info!("demo data already present");
        }
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built app found; serving the API only");
    }
    let state = AppState {
        store,
        dist: Some(config.dist.clone()),
        secure_cookies: config.secure_cookies,
        login_throttle: Default::default(),
    };
    // Sessions' last uses are noted in memory; write them once a minute.
    let saver = {
        let store = state.store.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                if let Err(error) = store.save_session_uses().await {
                    tracing::warn!(%error, "could not save the sessions' last uses");
                }
            }
        })
    };
    let store = state.store.clone();
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("Tend is listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    saver.abort();
    store.save_session_uses().await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
