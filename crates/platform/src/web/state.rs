//! The one application state every route receives.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::metrics::Metrics;
use super::nav::NavSection;
use crate::clock::Clock;
use crate::home::WorkItemSource;
use crate::jobs::Job;
use crate::notify::Channels;

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
    /// The address users reach Yingji at, for links in SMS, robot and e-mail messages.
    pub public_url: String,
    /// Where feeds drop files to be taken in (e.g. `firms/<county code>/*.csv`).
    pub inbox_dir: std::path::PathBuf,
    /// Channel gateways (yingji.toml `[notify]`).
    pub notify: crate::notify::NotifySettings,
    /// Base-map tiles (yingji.toml `[map]`); none: outlines only.
    pub map: super::map::MapSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_idle_minutes: 30,
            lockout_threshold: 5,
            lockout_minutes: 30,
            secure_cookies: false,
            files_dir: std::path::PathBuf::from("data/files"),
            public_url: "http://127.0.0.1:8080".to_string(),
            inbox_dir: std::path::PathBuf::from("data/inbox"),
            notify: crate::notify::NotifySettings::default(),
            map: super::map::MapSettings::default(),
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
    /// The configured network channels for notifications.
    pub channels: Arc<Channels>,
    /// Every area's periodic jobs.
    pub jobs: Arc<Vec<Job>>,
    /// The duty area's roster lookup, when the binary has one.
    pub on_duty: Option<crate::on_duty::Lookup>,
    /// How each area loads what its 叫应 calls are about, by subject kind.
    pub call_subjects: Arc<Vec<(&'static str, crate::calls::Loader)>>,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        settings: Settings,
        nav: Vec<NavSection>,
        work_items: Vec<WorkItemSource>,
    ) -> Self {
        crate::notify::channels::install_tls_provider();
        let channels = Arc::new(Channels::from_settings(&settings.notify, &clock));
        Self {
            db,
            clock,
            channels,
            jobs: Arc::new(Vec::new()),
            on_duty: None,
            call_subjects: Arc::new(Vec::new()),
            settings: Arc::new(settings),
            metrics: Arc::new(Metrics::default()),
            nav: Arc::new(nav),
            work_items: Arc::new(work_items),
        }
    }

    /// The app with its areas' periodic jobs.
    pub fn with_jobs(mut self, jobs: Vec<Job>) -> Self {
        self.jobs = Arc::new(jobs);
        self
    }

    /// The app with the duty area's answer to "who is on duty".
    pub fn with_on_duty(mut self, lookup: crate::on_duty::Lookup) -> Self {
        self.on_duty = Some(lookup);
        self
    }

    /// The app with its areas' 叫应 subjects, so the chasing job can read any call's subject.
    pub fn with_call_subjects(
        mut self,
        loaders: Vec<(&'static str, crate::calls::Loader)>,
    ) -> Self {
        self.call_subjects = Arc::new(loaders);
        self
    }

    /// Replace the network channels (tests point them at local servers).
    pub fn with_channels(mut self, channels: Channels) -> Self {
        self.channels = Arc::new(channels);
        self
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
