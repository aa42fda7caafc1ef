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
    if let Some(mobile) = &message.mention {
        text["mentioned_mobile_list"] = json!([mobile]);
    }
    json!({ "msgtype": "text", "text": text })
}
