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
            Some(secret) if !secret.is_empty() => signed_url(
                &message.address,
                secret,
                self.clock.now().timestamp_millis(),
            )?,
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
    let mobiles: Vec<&str> = message
        .mention
        .as_deref()
        .map(super::mentions)
        .unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::clock::ManualClock;
    use crate::notify::channels::testing::{HttpServer, client, outgoing};

    const OK: &str = r#"{"errcode":0,"errmsg":"ok"}"#;
    const SECRET: &str = "SEC0123456789abcdef";
    /// 2023-11-14 22:13:21 UTC; its signature (from `openssl dgst -sha256 -hmac`) holds
    /// `+`, `/` and `=`, which must reach DingTalk URL-encoded.
    const AT_MS: i64 = 1_700_000_001_000;
    const SIGN: &str = "kujV3c4ZyLzQ2c9Dwu4+RoLx3PHsAZR/MbOcDcDgK3E=";

    fn robot() -> DingTalk {
        let at = Utc
            .timestamp_millis_opt(AT_MS)
            .single()
            .expect("valid time");
        DingTalk::new(client(), Arc::new(ManualClock::new(at)))
    }

    async fn deliver(server: &HttpServer, message: Outgoing) -> Result<(), DeliveryError> {
        let message = Outgoing {
            address: format!("{}/robot/send?access_token=tok", server.base),
            ..message
        };
        robot().deliver(&message).await
    }

    #[test]
    fn the_signature_matches_a_known_vector() {
        assert_eq!(sign(SECRET, AT_MS), SIGN);
    }

    #[tokio::test]
    async fn signs_with_the_clock_and_mentions() {
        let server = HttpServer::start(200, OK).await;
        let message = Outgoing {
            secret: Some(SECRET.to_string()),
            mention: Some("13800000002".to_string()),
            ..outgoing("")
        };
        deliver(&server, message.clone()).await.expect("sent");
        let request = server.request();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/robot/send");
        assert_eq!(
            request.query.as_deref(),
            Some(
                "access_token=tok&timestamp=1700000001000\
                 &sign=kujV3c4ZyLzQ2c9Dwu4%2BRoLx3PHsAZR%2FMbOcDcDgK3E%3D"
            )
        );
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(request.query.as_deref().unwrap_or_default())
                .expect("a form query");
        assert_eq!(pairs[2], ("sign".to_string(), sign(SECRET, AT_MS)));
        assert_eq!(request.header("content-type"), "application/json");
        assert_eq!(
            request.json(),
            json!({
                "msgtype": "text",
                "text": { "content": message.plain_text() },
                "at": { "atMobiles": ["13800000002"], "isAtAll": false },
            })
        );
    }

    #[tokio::test]
    async fn without_a_secret_nothing_is_signed() {
        let server = HttpServer::start(200, OK).await;
        let message = Outgoing {
            secret: Some(" ".to_string()),
            ..outgoing("")
        };
        deliver(&server, message.clone()).await.expect("sent");
        let request = server.request();
        assert_eq!(request.query.as_deref(), Some("access_token=tok"));
        assert_eq!(
            request.json()["at"],
            json!({ "atMobiles": [], "isAtAll": false })
        );
    }

    #[tokio::test]
    async fn too_fast_is_retried_other_refusals_are_not() {
        let server = HttpServer::start(200, r#"{"errcode":130101,"errmsg":"send too fast"}"#).await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert_eq!(
            error,
            DeliveryError::retry("钉钉机器人限流：130101 send too fast")
        );
        let server =
            HttpServer::start(200, r#"{"errcode":310000,"errmsg":"sign not match"}"#).await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert_eq!(
            error,
            DeliveryError::permanent("钉钉机器人拒绝：310000 sign not match")
        );
    }

    #[tokio::test]
    async fn status_and_timeout_classes() {
        let server = HttpServer::start(500, "").await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert!(error.retryable, "{error:?}");
        let server = HttpServer::start(404, "").await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert!(!error.retryable, "{error:?}");
        let server = HttpServer::start_slow(200, OK, Duration::from_secs(3)).await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert_eq!(error, DeliveryError::retry("钉钉机器人超时未应答"));
    }

    #[tokio::test]
    async fn a_malformed_webhook_with_a_secret_is_permanent() {
        let message = Outgoing {
            secret: Some(SECRET.to_string()),
            ..outgoing("oapi.dingtalk.com/robot/send")
        };
        let error = robot().deliver(&message).await.unwrap_err();
        assert!(
            !error.retryable && error.message.contains("地址无效"),
            "{error:?}"
        );
    }
}
