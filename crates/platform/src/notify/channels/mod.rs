//! The network channels and their configuration (yingji.toml `[notify]`).

mod dingtalk;
mod sms;
mod smtp;
/// Local servers channel tests talk to (a recording HTTP endpoint, a minimal SMTP server); the
/// app's integration tests use them too, so they are compiled in, not behind `cfg(test)`.
pub mod testing;
mod wecom;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::Deserialize;

pub use dingtalk::DingTalk;
pub use sms::{Sms, SmsFormat, SmsGateway, SmsMethod};
pub use smtp::{Email, SmtpServer, SmtpTls};
pub use wecom::WeCom;

use super::{Channel, DeliveryError};
use crate::clock::Clock;

/// Gateways the bureau configures once. Group robots need no global setting: each robot's
/// webhook (and DingTalk secret) is registered on the robots page.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySettings {
    /// Seconds before a channel gives up on one request (default 10, at most 120: a send
    /// must end well within the outbox's claim timeout, or another worker sends it again).
    pub timeout_seconds: Option<u64>,
    /// Addresses the worker serves at once (default 8, 1–32); each address's messages still
    /// go one after another. Lower it for a gateway that limits connections.
    pub concurrency: Option<usize>,
    /// The SMS gateway (`[notify.sms]`); without it SMS messages fail as "not configured".
    pub sms: Option<SmsGateway>,
    /// The mail server (`[notify.smtp]`); without it e-mail fails as "not configured".
    pub smtp: Option<SmtpServer>,
}

impl NotifySettings {
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds.unwrap_or(10).clamp(1, 120))
    }

    pub fn concurrency(&self) -> usize {
        self.concurrency.unwrap_or(8).clamp(1, 32)
    }
}

/// Every network channel the settings make available: the robots always, SMS and e-mail
/// when their gateway is configured.
pub fn configured(settings: &NotifySettings, clock: &Arc<dyn Clock>) -> Vec<Arc<dyn Channel>> {
    let http = http_client(settings.timeout());
    let mut all: Vec<Arc<dyn Channel>> = vec![
        Arc::new(WeCom::new(http.clone())),
        Arc::new(DingTalk::new(http.clone(), clock.clone())),
    ];
    if let Some(gateway) = &settings.sms {
        all.push(Arc::new(Sms::new(http, gateway.clone())));
    }
    if let Some(server) = &settings.smtp {
        all.push(Arc::new(Email::new(server, settings.timeout())));
    }
    all
}

/// Make aws-lc-rs the process's rustls provider. reqwest is built without a provider of its
/// own (one backend for the whole binary, see Cargo.toml), so any `reqwest::Client` built
/// without our configuration — the tests' clients, for one — needs this first. Idempotent.
pub fn install_tls_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// The HTTP client the robots and the SMS gateway share; `timeout` bounds a whole request.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .use_preconfigured_tls(tls_config())
        .connect_timeout(timeout)
        .timeout(timeout)
        .build()
        .expect("a client with a ready rustls configuration always builds")
}

/// rustls with aws-lc-rs and the system's CA store (so a bureau's own CA can be added there).
/// Built once: every `AppState` makes a client, tests make hundreds.
fn tls_config() -> rustls::ClientConfig {
    static CONFIG: OnceLock<rustls::ClientConfig> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            let (added, _) =
                roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
            if added == 0 {
                tracing::warn!("no system CA certificates: HTTPS channels will fail");
            }
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("aws-lc-rs supports TLS 1.2 and 1.3")
                .with_root_certificates(roots)
                .with_no_client_auth()
        })
        .clone()
}

/// A request that got no answer: the network may recover, a malformed address will not.
fn request_failed(who: &str, error: reqwest::Error) -> DeliveryError {
    let (builder, timeout) = (error.is_builder(), error.is_timeout());
    let detail = describe(&error.without_url());
    if builder {
        DeliveryError::permanent(format!("{who}地址无效：{detail}"))
    } else if timeout {
        DeliveryError::retry(format!("{who}超时未应答"))
    } else {
        DeliveryError::retry(format!("{who}连接失败：{detail}"))
    }
}

/// An error and its causes on one line (reqwest's own text alone says little). The URL is
/// left out by the caller: a webhook's URL carries its access token.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push('：');
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The body of a 2xx answer. A 5xx or 429 may pass; any other status will not.
async fn answer_body(who: &str, response: reqwest::Response) -> Result<String, DeliveryError> {
    let status = response.status();
    let body = response.text().await.map_err(|e| request_failed(who, e))?;
    if status.is_success() {
        return Ok(body);
    }
    let message = format!("{who}应答 HTTP {}：{}", status.as_u16(), clip(&body));
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        Err(DeliveryError::retry(message))
    } else {
        Err(DeliveryError::permanent(message))
    }
}

/// What a group robot's webhook answers: `{"errcode":0,"errmsg":"ok"}`.
#[derive(Deserialize)]
struct RobotAnswer {
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

/// Post `payload` to a robot. `busy` is the robot's rate-limit code, the only refusal worth
/// retrying.
async fn robot_post(
    http: &reqwest::Client,
    who: &str,
    url: &str,
    payload: serde_json::Value,
    busy: i64,
) -> Result<(), DeliveryError> {
    let response = http
        .post(url)
        .json(&payload)
        .send()
        .await
        .map_err(|e| request_failed(who, e))?;
    let body = answer_body(who, response).await?;
    let answer: RobotAnswer = serde_json::from_str(&body)
        .map_err(|_| DeliveryError::permanent(format!("{who}应答无法识别：{}", clip(&body))))?;
    match answer.errcode {
        0 => Ok(()),
        code if code == busy => Err(DeliveryError::retry(format!(
            "{who}限流：{code} {}",
            answer.errmsg
        ))),
        code => Err(DeliveryError::permanent(format!(
            "{who}拒绝：{code} {}",
            answer.errmsg
        ))),
    }
}

/// A gateway's answer cut to fit an error message.
fn clip(text: &str) -> String {
    const MAX: usize = 200;
    let text = text.trim();
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The mobiles a group robot message @-mentions: one message per group names everyone in it.
pub fn mentions(list: &str) -> Vec<&str> {
    list.split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn one_robot_message_mentions_several_people() {
        assert_eq!(
            mentions("13800000001, 13800000002,,"),
            vec!["13800000001", "13800000002"]
        );
        assert!(mentions("").is_empty());
    }

    use super::*;

    #[test]
    fn settings_read_from_toml() {
        let settings: NotifySettings = toml::from_str(
            r#"
            timeout_seconds = 5
            [sms]
            url = "https://sms.example.cn/send"
            format = "json"
            body = '{"mobile":"{phone}","content":"{text}"}'
            headers = { Authorization = "Bearer k" }
            success_contains = '"code":0'
            [smtp]
            host = "smtp.example.cn"
            port = 465
            from = "应急管理局 <noreply@example.cn>"
            username = "noreply@example.cn"
            password = "p"
            tls = "tls"
            "#,
        )
        .expect("valid [notify]");
        assert_eq!(settings.timeout(), Duration::from_secs(5));
        let slow = NotifySettings {
            timeout_seconds: Some(3600),
            ..Default::default()
        };
        assert_eq!(slow.timeout(), Duration::from_secs(120));
        assert!(slow.timeout() < crate::notify::outbox::CLAIM_TIMEOUT.to_std().unwrap());
        let sms = settings.sms.expect("sms");
        assert_eq!(sms.method, SmsMethod::Post);
        assert_eq!(sms.format, SmsFormat::Json);
        assert_eq!(sms.headers["Authorization"], "Bearer k");
        let smtp = settings.smtp.expect("smtp");
        assert_eq!(smtp.tls, SmtpTls::Tls);
        assert_eq!(smtp.port(), 465);
    }

    #[test]
    fn the_operations_guide_example_is_valid() {
        #[derive(Deserialize)]
        struct File {
            notify: NotifySettings,
        }
        let guide = include_str!("../../../../../docs/OPERATIONS.md");
        let block = guide
            .split("```toml\n")
            .find(|b| b.starts_with("[notify]"))
            .and_then(|b| b.split("```").next())
            .expect("the guide shows [notify]");
        let file: File = toml::from_str(block).expect("the guide's [notify] parses");
        assert!(file.notify.sms.is_some() && file.notify.smtp.is_some());
    }

    #[test]
    fn unknown_keys_are_refused() {
        let wrong =
            toml::from_str::<NotifySettings>("[smtp]\nhost = \"h\"\nfrom = \"a@b.cn\"\nssl = true");
        assert!(wrong.is_err());
    }

    #[test]
    fn robots_always_sms_and_email_when_configured() {
        let clock: Arc<dyn Clock> = Arc::new(crate::clock::SystemClock);
        let kinds = |s: &NotifySettings| -> Vec<_> {
            configured(s, &clock).iter().map(|c| c.kind()).collect()
        };
        use crate::notify::ChannelKind::*;
        assert_eq!(kinds(&NotifySettings::default()), [Wecom, Dingtalk]);
        let settings: NotifySettings = toml::from_str(
            "[sms]\nurl = \"http://g\"\nformat = \"form\"\nbody = \"p={phone}\"\n\
             [smtp]\nhost = \"h\"\nfrom = \"a@b.cn\"\ntls = \"none\"",
        )
        .expect("valid");
        assert_eq!(kinds(&settings), [Wecom, Dingtalk, Sms, Email]);
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let settings: NotifySettings = toml::from_str(
            "[sms]\nurl = \"http://g\"\nformat = \"form\"\nbody = \"\"\n\
             headers = { Authorization = \"Bearer hidden-key\" }\n\
             [smtp]\nhost = \"h\"\nfrom = \"a@b.cn\"\nusername = \"u\"\npassword = \"hidden-pass\"",
        )
        .expect("valid");
        let text = format!("{settings:?}");
        assert!(
            !text.contains("hidden-key") && !text.contains("hidden-pass"),
            "{text}"
        );
    }

    #[test]
    fn clip_cuts_on_characters() {
        assert_eq!(clip(" 短 "), "短");
        let long = "应".repeat(300);
        assert_eq!(clip(&long).chars().count(), 201);
    }
}
