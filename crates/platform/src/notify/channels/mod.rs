//! The network channels and their configuration (yingji.toml `[notify]`).

use std::sync::Arc;

use serde::Deserialize;

use super::Channel;

/// Gateways the bureau configures once. Group robots need no global setting: each robot's
/// webhook (and DingTalk secret) is registered on the robots page.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySettings {
    /// Seconds before a channel gives up on one request (default 10).
    pub timeout_seconds: Option<u64>,
}

impl NotifySettings {
    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.timeout_seconds.unwrap_or(10).max(1))
    }
}

/// Every network channel the settings make available.
pub fn configured(_settings: &NotifySettings) -> Vec<Arc<dyn Channel>> {
    Vec::new()
}
