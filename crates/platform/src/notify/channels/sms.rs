//! 短信 through the bureau's own SMS gateway. Gateways differ, so the request is described in
//! yingji.toml: URL, method, a body template with `{phone}` and `{text}`, headers, and what a
//! successful answer contains.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::{answer_body, clip, request_failed};
use crate::notify::{Channel, ChannelKind, DeliveryError, DeliveryFuture, Outgoing};

const WHO: &str = "短信网关";

/// `[notify.sms]`.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsGateway {
    /// May hold `{phone}` and `{text}` too (URL-encoded), for gateways taking GET queries.
    pub url: String,
    #[serde(default)]
    pub method: SmsMethod,
    /// How `{phone}` and `{text}` are escaped in `body`, and the Content-Type sent.
    pub format: SmsFormat,
    /// The request body, e.g. `{"mobile":"{phone}","content":"{text}"}`; none for GET.
    pub body: Option<String>,
    /// Extra headers, e.g. `Authorization`.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Text a successful answer contains, for gateways answering 200 to a refusal too.
    pub success_contains: Option<String>,
}

/// Header values are credentials more often than not.
impl fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsGateway")
            .field("url", &self.url)
            .field("method", &self.method)
            .field("format", &self.format)
            .field("body", &self.body)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("success_contains", &self.success_contains)
            .finish()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SmsMethod {
    #[default]
    Post,
    Put,
    Get,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsFormat {
    /// Values escaped as JSON string contents: put the placeholders inside quotes.
    Json,
    /// Values URL-encoded: `mobile={phone}&content={text}`.
    Form,
}

impl SmsFormat {
    fn content_type(self) -> &'static str {
        match self {
            SmsFormat::Json => "application/json; charset=utf-8",
            SmsFormat::Form => "application/x-www-form-urlencoded",
        }
    }

    fn escape(self, value: &str) -> String {
        match self {
            SmsFormat::Json => {
                let quoted = serde_json::Value::from(value).to_string();
                quoted[1..quoted.len() - 1].to_string()
            }
            SmsFormat::Form => url_encode(value),
        }
    }
}

pub struct Sms {
    http: reqwest::Client,
    gateway: SmsGateway,
}

impl Sms {
    pub fn new(http: reqwest::Client, gateway: SmsGateway) -> Self {
        Self { http, gateway }
    }

    async fn send(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        let request = self.request(&message.address, &message.plain_text())?;
        let response = request.send().await.map_err(|e| request_failed(WHO, e))?;
        let body = answer_body(WHO, response).await?;
        match &self.gateway.success_contains {
            Some(mark) if !body.contains(mark.as_str()) => Err(DeliveryError::permanent(format!(
                "{WHO}未确认发送：{}",
                clip(&body)
            ))),
            _ => Ok(()),
        }
    }

    fn request(&self, phone: &str, text: &str) -> Result<reqwest::RequestBuilder, DeliveryError> {
        let g = &self.gateway;
        let url = fill(&g.url, phone, text, url_encode);
        let method = match g.method {
            SmsMethod::Post => reqwest::Method::POST,
            SmsMethod::Put => reqwest::Method::PUT,
            SmsMethod::Get => reqwest::Method::GET,
        };
        let mut request = self.http.request(method, url);
        for (name, value) in &g.headers {
            request = request.header(name, value);
        }
        if let Some(template) = &g.body {
            let body = fill(template, phone, text, |v| g.format.escape(v));
            if g.format == SmsFormat::Json
                && serde_json::from_str::<serde_json::Value>(&body).is_err()
            {
                return Err(DeliveryError::permanent(format!(
                    "{WHO}的 body 模板填入后不是有效的 JSON"
                )));
            }
            // A Content-Type among the configured headers wins (some gateways want their own).
            if !g
                .headers
                .keys()
                .any(|k| k.eq_ignore_ascii_case("content-type"))
            {
                request = request.header(reqwest::header::CONTENT_TYPE, g.format.content_type());
            }
            request = request.body(body);
        }
        Ok(request)
    }
}

impl Channel for Sms {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Sms
    }

    fn deliver<'a>(&'a self, message: &'a Outgoing) -> DeliveryFuture<'a> {
        Box::pin(self.send(message))
    }
}

fn url_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Replace `{phone}` and `{text}` in one pass, so a value that itself contains a placeholder
/// is never expanded again.
fn fill(template: &str, phone: &str, text: &str, escape: impl Fn(&str) -> String) -> String {
    let values = [("{phone}", escape(phone)), ("{text}", escape(text))];
    let mut out = String::with_capacity(template.len() + text.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match values.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, value)) => {
                out.push_str(value);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::notify::channels::testing::{HttpServer, client, outgoing};

    const PHONE: &str = "13800000003";

    fn gateway(server: &HttpServer, format: SmsFormat, body: &str) -> SmsGateway {
        SmsGateway {
            url: format!("{}/api/sms/send", server.base),
            method: SmsMethod::Post,
            format,
            body: Some(body.to_string()),
            headers: BTreeMap::new(),
            success_contains: None,
        }
    }

    async fn deliver(gateway: SmsGateway) -> Result<(), DeliveryError> {
        Sms::new(client(), gateway).deliver(&outgoing(PHONE)).await
    }

    fn json_gateway(server: &HttpServer) -> SmsGateway {
        gateway(
            server,
            SmsFormat::Json,
            r#"{"mobile":"{phone}","content":"{text}","sign":"应急管理局"}"#,
        )
    }

    #[tokio::test]
    async fn json_body_with_escaped_text_and_a_header() {
        let server = HttpServer::start(200, r#"{"code":0,"msg":"ok"}"#).await;
        let mut gateway = json_gateway(&server);
        gateway
            .headers
            .insert("Authorization".into(), "Bearer k-1".into());
        gateway.success_contains = Some(r#""code":0"#.into());
        deliver(gateway).await.expect("sent");
        let request = server.request();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/api/sms/send");
        assert_eq!(request.header("authorization"), "Bearer k-1");
        assert_eq!(
            request.header("content-type"),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            request.json(),
            json!({
                "mobile": PHONE,
                "content": "【暴雨红色预警】请立即组织转移 \"低洼\" 地区群众 & 回复确认\nhttps://yj.example.cn/confirm/7?k=a&b=c",
                "sign": "应急管理局",
            })
        );
    }

    #[tokio::test]
    async fn form_body_with_encoded_values_and_a_header() {
        let server = HttpServer::start(200, "OK").await;
        let mut gateway = gateway(
            &server,
            SmsFormat::Form,
            "account=yj&mobile={phone}&content={text}",
        );
        gateway.headers.insert("X-Api-Key".into(), "abc".into());
        deliver(gateway).await.expect("sent");
        let request = server.request();
        assert_eq!(request.header("x-api-key"), "abc");
        assert_eq!(
            request.header("content-type"),
            "application/x-www-form-urlencoded"
        );
        assert_eq!(request.headers.get_all("content-type").iter().count(), 1);
        assert!(
            request
                .text()
                .starts_with("account=yj&mobile=13800000003&content=%E3%80%90"),
            "{}",
            request.text()
        );
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_str(request.text()).expect("a form body");
        let expected = [
            ("account", "yj".to_string()),
            ("mobile", PHONE.to_string()),
            ("content", outgoing(PHONE).plain_text()),
        ]
        .map(|(k, v)| (k.to_string(), v));
        assert_eq!(fields, expected);
    }

    #[tokio::test]
    async fn get_gateways_take_the_values_in_the_url() {
        let server = HttpServer::start(200, "OK").await;
        let gateway = SmsGateway {
            url: format!("{}/send?to={{phone}}&msg={{text}}", server.base),
            method: SmsMethod::Get,
            body: None,
            ..gateway(&server, SmsFormat::Form, "")
        };
        deliver(gateway).await.expect("sent");
        let request = server.request();
        assert_eq!(request.method, "GET");
        assert!(request.body.is_empty());
        let query: Vec<(String, String)> =
            serde_urlencoded::from_str(request.query.as_deref().unwrap_or_default())
                .expect("a query");
        assert_eq!(query[1], ("msg".to_string(), outgoing(PHONE).plain_text()));
    }

    #[tokio::test]
    async fn an_answer_without_the_success_mark_is_permanent() {
        let server = HttpServer::start(200, r#"{"code":1003,"msg":"余额不足"}"#).await;
        let mut gateway = json_gateway(&server);
        gateway.success_contains = Some(r#""code":0"#.into());
        let error = deliver(gateway).await.unwrap_err();
        assert_eq!(
            error,
            DeliveryError::permanent(r#"短信网关未确认发送：{"code":1003,"msg":"余额不足"}"#)
        );
    }

    #[tokio::test]
    async fn status_and_timeout_classes() {
        let server = HttpServer::start(503, "busy").await;
        let error = deliver(json_gateway(&server)).await.unwrap_err();
        assert_eq!(error, DeliveryError::retry("短信网关应答 HTTP 503：busy"));
        let server = HttpServer::start(401, r#"{"error":"bad key"}"#).await;
        let error = deliver(json_gateway(&server)).await.unwrap_err();
        assert_eq!(
            error,
            DeliveryError::permanent(r#"短信网关应答 HTTP 401：{"error":"bad key"}"#)
        );
        let server = HttpServer::start_slow(200, "OK", Duration::from_secs(3)).await;
        let error = deliver(json_gateway(&server)).await.unwrap_err();
        assert_eq!(error, DeliveryError::retry("短信网关超时未应答"));
    }

    #[tokio::test]
    async fn a_template_that_is_not_json_is_permanent() {
        let server = HttpServer::start(200, "OK").await;
        let error = deliver(gateway(&server, SmsFormat::Json, r#"{"to":"{phone}","#))
            .await
            .unwrap_err();
        assert!(
            !error.retryable && error.message.contains("JSON"),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_configured_content_type_wins() {
        let server = HttpServer::start(200, "OK").await;
        let mut gateway = json_gateway(&server);
        gateway
            .headers
            .insert("Content-Type".into(), "application/json".into());
        deliver(gateway).await.expect("sent");
        let request = server.request();
        let types: Vec<_> = request.headers.get_all("content-type").iter().collect();
        assert_eq!(types, ["application/json"]);
    }

    #[test]
    fn placeholders_are_filled_once() {
        let filled = fill("{phone}:{text}:{other}", "{text}", "x", str::to_string);
        assert_eq!(filled, "{text}:x:{other}");
    }
}
