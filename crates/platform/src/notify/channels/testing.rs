//! Local servers the channel tests talk to: an HTTP server that records every request and
//! gives a set answer, and a minimal SMTP server that records the envelope and the data.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("the request body is UTF-8")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

#[derive(Clone)]
struct Http {
    answer: Arc<Mutex<(StatusCode, &'static str)>>,
    delay: Duration,
    seen: Arc<Mutex<Vec<Recorded>>>,
    /// How many requests have arrived, for [`HttpServer::wait_for`].
    count: Arc<watch::Sender<usize>>,
    /// Closed: requests are recorded but not answered until [`HttpServer::release`].
    gate: Arc<watch::Sender<bool>>,
}

/// An HTTP server on 127.0.0.1 answering every request with `status` and `body` (changed with
/// [`HttpServer::answer`]). It runs until the test's runtime ends.
pub struct HttpServer {
    pub base: String,
    answer: Arc<Mutex<(StatusCode, &'static str)>>,
    seen: Arc<Mutex<Vec<Recorded>>>,
    count: Arc<watch::Sender<usize>>,
    gate: Arc<watch::Sender<bool>>,
}

impl HttpServer {
    pub async fn start(status: u16, body: &'static str) -> Self {
        Self::start_slow(status, body, Duration::ZERO).await
    }

    /// Answers only after `delay`, to run a client into its timeout.
    pub async fn start_slow(status: u16, body: &'static str, delay: Duration) -> Self {
        Self::serve(status, body, delay, true).await
    }

    /// Records each request at once but answers none until [`HttpServer::release`]: a send
    /// held in flight, so a test can look at what the sender left behind meanwhile.
    pub async fn start_held(status: u16, body: &'static str) -> Self {
        Self::serve(status, body, Duration::ZERO, false).await
    }

    async fn serve(status: u16, body: &'static str, delay: Duration, open: bool) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(Mutex::new((
            StatusCode::from_u16(status).expect("a valid status"),
            body,
        )));
        let count = Arc::new(watch::Sender::new(0));
        let gate = Arc::new(watch::Sender::new(open));
        let state = Http {
            answer: answer.clone(),
            delay,
            seen: seen.clone(),
            count: count.clone(),
            gate: gate.clone(),
        };
        let app = axum::Router::new().fallback(record).with_state(state);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            base,
            answer,
            seen,
            count,
            gate,
        }
    }

    /// Answer later requests with `status` and `body` (a gateway that recovers or breaks).
    pub fn answer(&self, status: u16, body: &'static str) {
        *self.answer.lock().expect("not poisoned") =
            (StatusCode::from_u16(status).expect("a valid status"), body);
    }

    /// Answer the held requests, and every later one at once.
    pub fn release(&self) {
        self.gate.send_replace(true);
    }

    /// Wait until `n` requests have arrived (at most 10 s, then panic).
    pub async fn wait_for(&self, n: usize) {
        let mut arrived = self.count.subscribe();
        tokio::time::timeout(Duration::from_secs(10), arrived.wait_for(|c| *c >= n))
            .await
            .unwrap_or_else(|_| panic!("{n} requests did not arrive"))
            .expect("the server is running");
    }

    /// The only request received.
    pub fn request(&self) -> Recorded {
        let seen = self.seen.lock().expect("not poisoned");
        assert_eq!(seen.len(), 1, "exactly one request");
        seen[0].clone()
    }

    /// Every request received, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

async fn record(
    State(http): State<Http>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let arrived = {
        let mut seen = http.seen.lock().expect("not poisoned");
        seen.push(Recorded {
            method,
            path: uri.path().to_string(),
            query: uri.query().map(str::to_string),
            headers,
            body,
        });
        seen.len()
    };
    http.count.send_replace(arrived);
    let mut open = http.gate.subscribe();
    let _ = open.wait_for(|open| *open).await;
    tokio::time::sleep(http.delay).await;
    *http.answer.lock().expect("not poisoned")
}

/// What one SMTP session handed over.
#[derive(Clone, Debug, Default)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// An SMTP server on 127.0.0.1 that answers RCPT with `rcpt_reply` (e.g. "250 OK",
/// "550 no such user", "451 try later").
pub struct SmtpServer {
    pub port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpServer {
    pub async fn start(rcpt_reply: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let keep = mails.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let keep = keep.clone();
                tokio::spawn(async move {
                    let mail = session(socket, rcpt_reply).await;
                    keep.lock().expect("not poisoned").push(mail);
                });
            }
        });
        Self { port, mails }
    }

    /// Every mail whose DATA was accepted.
    pub fn mails(&self) -> Vec<Mail> {
        let mails = self.mails.lock().expect("not poisoned");
        mails
            .iter()
            .filter(|m| !m.data.is_empty())
            .cloned()
            .collect()
    }
}

async fn session(socket: tokio::net::TcpStream, rcpt_reply: &str) -> Mail {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let mut mail = Mail::default();
    let _ = write.write_all(b"220 test.local ESMTP\r\n").await;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return mail;
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let answer = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            "250 test.local".to_string()
        } else if let Some(from) = upper.strip_prefix("MAIL FROM:") {
            mail.from = command[command.len() - from.len()..].to_string();
            "250 OK".to_string()
        } else if let Some(to) = upper.strip_prefix("RCPT TO:") {
            mail.to
                .push(command[command.len() - to.len()..].to_string());
            rcpt_reply.to_string()
        } else if upper == "DATA" {
            let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
            mail.data = read_data(&mut lines).await;
            "250 queued".to_string()
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return mail;
        } else if upper == "RSET" || upper == "NOOP" {
            "250 OK".to_string()
        } else {
            "502 not implemented".to_string()
        };
        let _ = write.write_all(format!("{answer}\r\n").as_bytes()).await;
    }
}

/// The message up to the line holding a single dot, dot-stuffing undone.
async fn read_data(lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 || line == ".\r\n" {
            return data;
        }
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}

/// A message as the worker hands it over, addressed to `address`.
pub fn outgoing(address: &str) -> crate::notify::Outgoing {
    crate::notify::Outgoing {
        id: uuid::Uuid::now_v7(),
        address: address.to_string(),
        secret: None,
        mention: None,
        title: "暴雨红色预警".to_string(),
        body: "请立即组织转移 \"低洼\" 地区群众 & 回复确认".to_string(),
        link: Some("https://yj.example.cn/confirm/7?k=a&b=c".to_string()),
    }
}

/// A port nothing listens on: bound, then let go.
pub async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("address").port()
}

/// The client the channels get, with the 1 s timeout the timeout tests run into.
pub fn client() -> reqwest::Client {
    super::http_client(Duration::from_secs(1))
}
