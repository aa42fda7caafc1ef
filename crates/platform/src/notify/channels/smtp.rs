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
    let params = || {
        TlsParameters::new(server.host.clone()).map_err(|e| format!("邮件 TLS 设置失败：{e}"))
    };
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
    let message = format!("邮件服务器：{}", super::describe(&error));
    if error.is_permanent() {
        DeliveryError::permanent(message)
    } else {
        DeliveryError::retry(message)
    }
}
