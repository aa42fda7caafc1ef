//! 企业微信群机器人: a text message posted to the robot's webhook.

use serde_json::json;

use super::robot_post;
use crate::notify::{Channel, ChannelKind, DeliveryFuture, Outgoing};

const WHO: &str = "企业微信机器人";
/// errcode for "api freq out of limit" (20 messages a minute per robot).
const FREQUENCY_LIMIT: i64 = 45009;

pub struct WeCom {
    http: reqwest::Client,
}

impl WeCom {
    pub fn new(http: reqwest::Client) -> Self {
        Self { http }
    }
}

impl Channel for WeCom {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Wecom
    }

    fn deliver<'a>(&'a self, message: &'a Outgoing) -> DeliveryFuture<'a> {
        Box::pin(robot_post(
            &self.http,
            WHO,
            &message.address,
            payload(message),
            FREQUENCY_LIMIT,
        ))
    }
}

/// `mentioned_mobile_list` only when someone is to be @-mentioned.
fn payload(message: &Outgoing) -> serde_json::Value {
    let mut text = json!({ "content": message.plain_text() });
    if let Some(mobiles) = &message.mention {
        text["mentioned_mobile_list"] = json!(super::mentions(mobiles));
    }
    json!({ "msgtype": "text", "text": text })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::notify::channels::testing::{HttpServer, client, closed_port, outgoing};

    const OK: &str = r#"{"errcode":0,"errmsg":"ok"}"#;

    async fn deliver(server: &HttpServer, message: Outgoing) -> Result<(), DeliveryError> {
        let message = Outgoing {
            address: format!("{}/cgi-bin/webhook/send?key=abc-123", server.base),
            ..message
        };
        WeCom::new(client()).deliver(&message).await
    }

    use crate::notify::DeliveryError;

    #[tokio::test]
    async fn posts_text_with_the_mention() {
        let server = HttpServer::start(200, OK).await;
        let message = Outgoing {
            mention: Some("13800000001".to_string()),
            ..outgoing("")
        };
        deliver(&server, message.clone()).await.expect("sent");
        let request = server.request();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/cgi-bin/webhook/send");
        assert_eq!(request.query.as_deref(), Some("key=abc-123"));
        assert_eq!(request.header("content-type"), "application/json");
        assert_eq!(
            request.json(),
            json!({
                "msgtype": "text",
                "text": {
                    "content": "【暴雨红色预警】请立即组织转移 \"低洼\" 地区群众 & 回复确认\nhttps://yj.example.cn/confirm/7?k=a&b=c",
                    "mentioned_mobile_list": ["13800000001"],
                },
            })
        );
    }

    #[tokio::test]
    async fn without_a_mention_the_list_is_left_out() {
        let server = HttpServer::start(200, OK).await;
        deliver(&server, outgoing("")).await.expect("sent");
        let message = outgoing("");
        assert_eq!(
            server.request().json(),
            json!({ "msgtype": "text", "text": { "content": message.plain_text() } })
        );
    }

    #[tokio::test]
    async fn a_refusal_is_permanent_and_says_why() {
        let server =
            HttpServer::start(200, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#).await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert_eq!(
            error,
            DeliveryError::permanent("企业微信机器人拒绝：93000 invalid webhook url")
        );
    }

    #[tokio::test]
    async fn the_frequency_limit_is_retried() {
        let server =
            HttpServer::start(200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#).await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert!(error.retryable, "{error:?}");
        assert!(error.message.contains("45009"), "{error:?}");
    }

    #[tokio::test]
    async fn server_errors_are_retried_client_errors_are_not() {
        let server = HttpServer::start(502, "bad gateway").await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert_eq!(
            error,
            DeliveryError::retry("企业微信机器人应答 HTTP 502：bad gateway")
        );
        let server = HttpServer::start(404, "not found").await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert_eq!(
            error,
            DeliveryError::permanent("企业微信机器人应答 HTTP 404：not found")
        );
        let server = HttpServer::start(200, "<html>portal</html>").await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert!(
            !error.retryable && error.message.contains("无法识别"),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn timeouts_and_refused_connections_are_retried() {
        let server = HttpServer::start_slow(200, OK, Duration::from_secs(3)).await;
        let error = deliver(&server, outgoing("")).await.unwrap_err();
        assert_eq!(error, DeliveryError::retry("企业微信机器人超时未应答"));

        let message = outgoing(&format!(
            "http://127.0.0.1:{}/send?key=k",
            closed_port().await
        ));
        let error = WeCom::new(client()).deliver(&message).await.unwrap_err();
        assert!(
            error.retryable && error.message.contains("连接失败"),
            "{error:?}"
        );
        assert!(
            !error.message.contains("key=k"),
            "the URL's key stays out: {error:?}"
        );
    }

    #[tokio::test]
    async fn a_malformed_webhook_is_permanent() {
        let error = WeCom::new(client())
            .deliver(&outgoing("not a url"))
            .await
            .unwrap_err();
        assert!(
            !error.retryable && error.message.contains("地址无效"),
            "{error:?}"
        );
    }
}
