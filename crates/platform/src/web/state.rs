//! The one application state every route receives.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::metrics::Metrics;
use super::nav::NavSection;
use crate::clock::Clock;
use crate::home::WorkItemSource;

/// Tunable security settings (yingji.toml `[security]`, `YINGJI_*`).
#[derive(Clone, Debug)]
pub struct Settings {
    /// A session unused for this long is ended (idle timeout).
    pub session_idle_minutes: i64,
    /// Consecutive wrong passwords before the account locks.
    pub lockout_threshold: i32,
    /// How long a lockout lasts unless a security administrator lifts it sooner.
    pub lockout_minutes: i64,
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Where attachments are kept (content-addressed); back it up with the database.
    pub files_dir: std::path::PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_idle_minutes: 30,
            lockout_threshold: 5,
            lockout_minutes: 30,
            secure_cookies: false,
            files_dir: std::path::PathBuf::from("data/files"),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    /// Navigation of every area the binary was assembled with.
    pub nav: Arc<Vec<NavSection>>,
    /// Every area's source of work items for the home page.
    pub work_items: Arc<Vec<WorkItemSource>>,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        settings: Settings,
        nav: Vec<NavSection>,
        work_items: Vec<WorkItemSource>,
    ) -> Self {
        Self {
            db,
            clock,
            settings: Arc::new(settings),
            metrics: Arc::new(Metrics::default()),
            nav: Arc::new(nav),
            work_items: Arc::new(work_items),
        }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
