//! Notifications: an outbox written in the same transaction as the change that causes it, a
//! delivery worker with retries and backoff, and the channels a message can go out on — the
//! in-app inbox (always), WeCom and DingTalk group robots, an SMS gateway and e-mail.
//!
//! An area never talks to a channel directly: it calls [`outbox::enqueue`] inside its own
//! transaction, so a message exists exactly when the change that caused it was committed.

pub mod channels;
pub mod entity;
pub mod inbox;
pub mod outbox;
pub mod pages;
pub mod robots;
pub mod store;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;

pub use channels::NotifySettings;
pub use outbox::{Message, enqueue};

/// The ways a message can reach a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// 站内消息: the user's inbox in Yingji; delivered when the change commits.
    Inbox,
    /// 企业微信群机器人.
    Wecom,
    /// 钉钉群机器人.
    Dingtalk,
    /// 短信 through the bureau's SMS gateway.
    Sms,
    /// 电子邮件 over SMTP.
    Email,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 5] = [
        ChannelKind::Inbox,
        ChannelKind::Wecom,
        ChannelKind::Dingtalk,
        ChannelKind::Sms,
        ChannelKind::Email,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChannelKind::Inbox => "inbox",
            ChannelKind::Wecom => "wecom",
            ChannelKind::Dingtalk => "dingtalk",
            ChannelKind::Sms => "sms",
            ChannelKind::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChannelKind::Inbox => "站内消息",
            ChannelKind::Wecom => "企业微信",
            ChannelKind::Dingtalk => "钉钉",
            ChannelKind::Sms => "短信",
            ChannelKind::Email => "电子邮件",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One message as a network channel sends it: the worker has already resolved robots to their
/// webhook and made the link absolute.
#[derive(Clone, Debug, Default)]
pub struct Outgoing {
    pub id: uuid::Uuid,
    /// Phone number (SMS), e-mail address, or a robot's webhook URL.
    pub address: String,
    /// A DingTalk robot's signing secret (加签).
    pub secret: Option<String>,
    /// Mobile numbers a group robot should @-mention, comma-separated.
    pub mention: Option<String>,
    pub title: String,
    pub body: String,
    /// Absolute link the recipient opens (e.g. the 叫应 confirmation page).
    pub link: Option<String>,
}

impl Outgoing {
    /// Title, body and link as one plain text, the form robots and SMS carry.
    pub fn plain_text(&self) -> String {
        let mut text = format!("【{}】{}", self.title, self.body);
        if let Some(link) = &self.link {
            text.push('\n');
            text.push_str(link);
        }
        text
    }
}

/// Why a delivery failed, and whether trying again later may help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryError {
    pub message: String,
    /// Timeouts, connection errors, 5xx and rate limits are retried; a refused key is not.
    pub retryable: bool,
}

impl DeliveryError {
    pub fn retry(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: true,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: false,
        }
    }
}

pub type DeliveryFuture<'a> = Pin<Box<dyn Future<Output = Result<(), DeliveryError>> + Send + 'a>>;

/// A network channel. Implementations send one message and report the outcome; the worker
/// owns retries, backoff and the recorded state.
pub trait Channel: Send + Sync {
    fn kind(&self) -> ChannelKind;
    fn deliver<'a>(&'a self, message: &'a Outgoing) -> DeliveryFuture<'a>;
}

/// The configured network channels. The inbox needs none; a channel without configuration
/// (no SMS gateway, no SMTP server) is absent and its messages fail with a clear reason.
#[derive(Clone, Default)]
pub struct Channels(HashMap<ChannelKind, Arc<dyn Channel>>);

impl Channels {
    pub fn from_settings(settings: &NotifySettings, clock: &Arc<dyn Clock>) -> Self {
        let mut all = Self::default();
        for channel in channels::configured(settings, clock) {
            all.insert(channel);
        }
        all
    }

    pub fn insert(&mut self, channel: Arc<dyn Channel>) {
        self.0.insert(channel.kind(), channel);
    }

    pub fn get(&self, kind: ChannelKind) -> Option<&Arc<dyn Channel>> {
        self.0.get(&kind)
    }

    pub fn is_configured(&self, kind: ChannelKind) -> bool {
        kind == ChannelKind::Inbox || self.0.contains_key(&kind)
    }
}
