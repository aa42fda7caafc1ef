//! 电子邮件 over the bureau's SMTP server: subject = title, a plain-text body with the link.

use std::fmt;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::Deserialize;

use crate::notify::{Channel, ChannelKind, DeliveryError, DeliveryFuture, Outgoing};

/// `[notify.smtp]`.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpServer {
    pub host: String,
    /// Default by `tls`: 25 (none), 587 (starttls), 465 (tls).
    pub port: Option<u16>,
    /// The sender, `noreply@example.cn` or `应急管理局 <noreply@example.cn>`.
    pub from: String,
    pub username: Option<String>,
    pub password: Option<String>,
    #[serde(default)]
    pub tls: SmtpTls,
}

impl SmtpServer {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.tls {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        })
    }
}

impl fmt::Debug for SmtpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("tls", &self.tls)
            .finish()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain SMTP, for a relay inside the bureau's network only.
    None,
    /// STARTTLS, required: the connection is refused rather than sent in clear.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

type Transport = AsyncSmtpTransport<Tokio1Executor>;

pub struct Email {
    /// A bad sender address or TLS setup is reported on every message rather than making
    /// the channel vanish as "not configured".
    ready: Result<(Transport, Mailbox), String>,
}

impl Email {
    pub fn new(server: &SmtpServer, timeout: Duration) -> Self {
        let ready = server
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("发件地址 {} 无效：{e}", server.from))
            .and_then(|from| Ok((transport(server, timeout)?, from)));
        Self { ready }
    }

    async fn send(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        let (transport, from) = self.ready.as_ref().map_err(DeliveryError::permanent)?;
        let letter = letter(from, message)?;
        transport.send(letter).await.map_err(smtp_failed)?;
        Ok(())
    }
}

impl Channel for Email {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    fn deliver<'a>(&'a self, message: &'a Outgoing) -> DeliveryFuture<'a> {
        Box::pin(self.send(message))
    }
}

fn transport(server: &SmtpServer, timeout: Duration) -> Result<Transport, String> {
    let params =
        || TlsParameters::new(server.host.clone()).map_err(|e| format!("邮件 TLS 设置失败：{e}"));
    let tls = match server.tls {
        SmtpTls::None => Tls::None,
        SmtpTls::Starttls => Tls::Required(params()?),
        SmtpTls::Tls => Tls::Wrapper(params()?),
    };
    let mut builder = Transport::builder_dangerous(&server.host)
        .port(server.port())
        .tls(tls)
        .timeout(Some(timeout));
    if let Some(username) = &server.username {
        let password = server.password.clone().unwrap_or_default();
        builder = builder.credentials(Credentials::new(username.clone(), password));
    }
    Ok(builder.build())
}

fn letter(from: &Mailbox, message: &Outgoing) -> Result<lettre::Message, DeliveryError> {
    let to: Mailbox = message
        .address
        .parse()
        .map_err(|e| DeliveryError::permanent(format!("收件地址 {} 无效：{e}", message.address)))?;
    let mut text = message.body.clone();
    if let Some(link) = &message.link {
        text.push_str("\n\n");
        text.push_str(link);
    }
    lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(message.title.as_str())
        .header(ContentType::TEXT_PLAIN)
        .body(text)
        .map_err(|e| DeliveryError::permanent(format!("邮件无法生成：{e}")))
}

/// 5xx replies (unknown mailbox, refused login) will not change; 4xx replies, timeouts and
/// broken connections may.
fn smtp_failed(error: lettre::transport::smtp::Error) -> DeliveryError {
    if error.is_timeout() {
        return DeliveryError::retry("邮件服务器超时未应答");
    }
    // lettre's text already carries the server's reply or the I/O cause.
    let message = format!("邮件服务器：{error}");
    if error.is_permanent() {
        DeliveryError::permanent(message)
    } else {
        DeliveryError::retry(message)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::*;
    use crate::notify::channels::testing::{self, closed_port, outgoing};

    fn server(port: u16) -> SmtpServer {
        SmtpServer {
            host: "127.0.0.1".to_string(),
            port: Some(port),
            from: "应急管理局 <noreply@example.cn>".to_string(),
            username: None,
            password: None,
            tls: SmtpTls::None,
        }
    }

    async fn deliver(port: u16, address: &str) -> Result<(), DeliveryError> {
        Email::new(&server(port), Duration::from_secs(5))
            .deliver(&outgoing(address))
            .await
    }

    /// Header `name` of a message, unfolded.
    fn header(data: &str, name: &str) -> String {
        let head = data.split("\r\n\r\n").next().unwrap_or_default();
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let prefix = format!("{name}: ");
        unfolded
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_default()
            .to_string()
    }

    /// RFC 2047 `=?utf-8?b?…?=` words, as lettre writes non-ASCII headers.
    fn decode_words(value: &str) -> String {
        value
            .split_whitespace()
            .map(|word| {
                let lower = word.to_ascii_lowercase();
                let inner = lower
                    .strip_prefix("=?utf-8?b?")
                    .and_then(|w| w.strip_suffix("?="))
                    .map(|_| &word[10..word.len() - 2]);
                match inner {
                    Some(b64) => String::from_utf8(
                        base64::engine::general_purpose::STANDARD
                            .decode(b64)
                            .expect("base64 word"),
                    )
                    .expect("UTF-8 word"),
                    None => word.to_string(),
                }
            })
            .collect()
    }

    /// The body, undoing the transfer encoding lettre chose.
    fn body(data: &str) -> String {
        let text = data
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        let encoding = header(data, "Content-Transfer-Encoding");
        assert_eq!(encoding, "base64", "Chinese text goes base64");
        let joined: String = text.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .expect("base64 body");
        String::from_utf8(bytes)
            .expect("UTF-8 body")
            .replace("\r\n", "\n")
    }

    #[tokio::test]
    async fn sends_subject_body_and_link() {
        let smtp = testing::SmtpServer::start("250 OK").await;
        deliver(smtp.port, "duty@example.cn").await.expect("sent");
        let mails = smtp.mails();
        assert_eq!(mails.len(), 1);
        let mail = &mails[0];
        assert_eq!(mail.from, "<noreply@example.cn>");
        assert_eq!(mail.to, ["<duty@example.cn>"]);
        assert_eq!(decode_words(&header(&mail.data, "Subject")), "暴雨红色预警");
        assert_eq!(header(&mail.data, "To"), "duty@example.cn");
        assert!(
            decode_words(&header(&mail.data, "From")).contains("应急管理局"),
            "{}",
            mail.data
        );
        assert_eq!(
            header(&mail.data, "Content-Type"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            body(&mail.data),
            "请立即组织转移 \"低洼\" 地区群众 & 回复确认\n\nhttps://yj.example.cn/confirm/7?k=a&b=c"
        );
    }

    #[tokio::test]
    async fn a_refused_mailbox_is_permanent() {
        let smtp = testing::SmtpServer::start("550 5.1.1 no such user").await;
        let error = deliver(smtp.port, "nobody@example.cn").await.unwrap_err();
        assert!(!error.retryable, "{error:?}");
        assert!(error.message.contains("no such user"), "{error:?}");
        assert!(smtp.mails().is_empty());
    }

    #[tokio::test]
    async fn a_deferral_is_retried() {
        let smtp = testing::SmtpServer::start("451 4.7.1 try again later").await;
        let error = deliver(smtp.port, "duty@example.cn").await.unwrap_err();
        assert!(error.retryable, "{error:?}");
        assert!(error.message.contains("try again later"), "{error:?}");
    }

    #[tokio::test]
    async fn an_unreachable_server_is_retried() {
        let error = deliver(closed_port().await, "duty@example.cn")
            .await
            .unwrap_err();
        assert!(error.retryable, "{error:?}");
    }

    #[tokio::test]
    async fn bad_addresses_are_permanent() {
        let smtp = testing::SmtpServer::start("250 OK").await;
        let error = deliver(smtp.port, "not an address").await.unwrap_err();
        assert!(
            !error.retryable && error.message.contains("收件地址"),
            "{error:?}"
        );
        let wrong_sender = SmtpServer {
            from: "noreply".to_string(),
            ..server(smtp.port)
        };
        let error = Email::new(&wrong_sender, Duration::from_secs(5))
            .deliver(&outgoing("duty@example.cn"))
            .await
            .unwrap_err();
        assert!(
            !error.retryable && error.message.contains("发件地址"),
            "{error:?}"
        );
    }
}
