//! The harness every integration and browser test starts the application with: the real app on
//! a random local port against a fresh database — SQLite always, PostgreSQL when
//! `YINGJI_TEST_DATABASE_URL` names a server (each test gets its own database there).

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use platform::clock::ManualClock;
use platform::web::{AppState, Settings};
use sea_orm::ConnectionTrait;

/// The password every demo account has in tests.
pub const TEST_PASSWORD: &str = "Test-pass-2026";

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    pub state: AppState,
    pub clock: ManualClock,
    pub database_url: String,
    _dir: Option<tempfile::TempDir>,
    /// Attachments of this app only.
    _files: tempfile::TempDir,
}

/// Which databases the suite runs on: SQLite, and PostgreSQL when configured.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    if let Ok(url) = std::env::var("YINGJI_TEST_DATABASE_URL")
        && !url.trim().is_empty()
    {
        all.push(Backend::Postgres(url));
    }
    all
}

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    /// An administrative URL of a PostgreSQL server; a fresh database is created on it.
    Postgres(String),
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

async fn fresh_database(backend: &Backend) -> anyhow::Result<(String, Option<tempfile::TempDir>)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir()?;
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            Ok((url, Some(dir)))
        }
        Backend::Postgres(admin_url) => {
            let name = format!("yj_test_{}", uuid::Uuid::now_v7().simple());
            let admin = sea_orm::Database::connect(admin_url.as_str()).await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(admin_url);
            Ok((format!("{base}/{name}"), None))
        }
    }
}

impl TestApp {
    /// Start the app with the demo county (regions, departments, accounts; no area ledgers)
    /// loaded and every demo account's password set to [`TEST_PASSWORD`].
    pub async fn spawn(backend: &Backend) -> anyhow::Result<Self> {
        Self::spawn_with(backend, Settings::default()).await
    }

    pub async fn spawn_with(backend: &Backend, settings: Settings) -> anyhow::Result<Self> {
        let (database_url, dir) = fresh_database(backend).await?;
        let app = Self::start(database_url, dir, settings).await?;
        crate::demo::load_county(&app.state, |_| TEST_PASSWORD.to_string()).await?;
        Ok(app)
    }

    /// A second server on the database of a running one (its `database_url`), as after a
    /// restart or beside it behind a load balancer: nothing is loaded, and it has its own
    /// clock, starting where every test app's starts. Keep the first app alive while this one
    /// runs (it owns a SQLite database's folder).
    pub async fn spawn_on(database_url: &str, settings: Settings) -> anyhow::Result<Self> {
        Self::start(database_url.to_string(), None, settings).await
    }

    async fn start(
        database_url: String,
        dir: Option<tempfile::TempDir>,
        mut settings: Settings,
    ) -> anyhow::Result<Self> {
        let files = tempfile::tempdir()?;
        settings.files_dir = files.path().to_path_buf();
        settings.inbox_dir = files.path().join("inbox");
        let db = platform::db::connect(&database_url).await?;
        crate::migrate(&db).await?;
        let clock = ManualClock::new(
            Utc.with_ymd_and_hms(2026, 6, 1, 1, 0, 0)
                .single()
                .unwrap_or_else(Utc::now),
        );
        let (router, state) = crate::app(db, Arc::new(clock.clone()), settings);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = crate::serve(router, listener).await;
        });
        Ok(Self {
            base: format!("http://{addr}"),
            addr,
            state,
            clock,
            database_url,
            _dir: dir,
            _files: files,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}
