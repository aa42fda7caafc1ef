//! 钉钉群机器人: a text message posted to the robot's webhook, signed (加签) when the robot
//! has a secret.

use std::sync::Arc;

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::robot_post;
use crate::clock::Clock;
use crate::notify::{Channel, ChannelKind, DeliveryError, DeliveryFuture, Outgoing};

const WHO: &str = "钉钉机器人";
/// errcode for "send too fast" (20 messages a minute per robot).
const TOO_FAST: i64 = 130101;

pub struct DingTalk {
    http: reqwest::Client,
    /// DingTalk refuses a signature whose timestamp is more than an hour off its own clock.
    clock: Arc<dyn Clock>,
}

impl DingTalk {
    pub fn new(http: reqwest::Client, clock: Arc<dyn Clock>) -> Self {
        Self { http, clock }
    }

    async fn send(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        let url = match message.secret.as_deref().map(str::trim) {
            Some(secret) if !secret.is_empty() => {
                signed_url(&message.address, secret, self.clock.now().timestamp_millis())?
            }
            _ => message.address.clone(),
        };
        robot_post(&self.http, WHO, &url, payload(message), TOO_FAST).await
    }
}

impl Channel for DingTalk {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Dingtalk
    }

    fn deliver<'a>(&'a self, message: &'a Outgoing) -> DeliveryFuture<'a> {
        Box::pin(self.send(message))
    }
}

fn payload(message: &Outgoing) -> serde_json::Value {
    let mobiles: Vec<&str> = message.mention.iter().map(String::as_str).collect();
    json!({
        "msgtype": "text",
        "text": { "content": message.plain_text() },
        "at": { "atMobiles": mobiles, "isAtAll": false },
    })
}

/// Base64 of HMAC-SHA256 over `"{timestamp}\n{secret}"`, keyed with the secret.
pub fn sign(secret: &str, timestamp_ms: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The webhook (which already carries `access_token`) with `timestamp` and the URL-encoded
/// `sign` appended.
fn signed_url(webhook: &str, secret: &str, timestamp_ms: i64) -> Result<String, DeliveryError> {
    let mut url = reqwest::Url::parse(webhook)
        .map_err(|e| DeliveryError::permanent(format!("{WHO}地址无效：{e}")))?;
    url.query_pairs_mut()
        .append_pair("timestamp", &timestamp_ms.to_string())
        .append_pair("sign", &sign(secret, timestamp_ms));
    Ok(url.into())
}
