//! The browser harness: Debian's `chromedriver` driving headless `chromium` through real pages.
//!
//! Every [`Browser`] starts its own `chromedriver` on a free local port with a fresh profile
//! directory, so sessions share nothing (cookies, cache) and can run in parallel. The driver runs
//! in its own process group; dropping the browser (also when a test fails or panics) kills the
//! group, chromium included, and removes the profile.
//!
//! The binaries default to `/usr/bin/chromedriver` and `/usr/bin/chromium` (Debian packages
//! `chromium-driver` and `chromium`); `YINGJI_CHROMEDRIVER` and `YINGJI_CHROMIUM` override them.
//! Screenshots go to `<workspace>/target/screenshots/<name>-<viewport>.png`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long a page may take to appear after a click or navigation.
const PAGE_TIMEOUT: Duration = Duration::from_secs(20);
/// How long chromedriver may take to answer `/status` after it starts.
const DRIVER_TIMEOUT: Duration = Duration::from_secs(20);

/// A browser window size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewport {
    /// Used in screenshot names: `home-desktop.png`.
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
}

/// An office screen.
pub const DESKTOP: Viewport = Viewport {
    name: "desktop",
    width: 1366,
    height: 900,
};
/// A phone held upright (the layout switches to the bottom bar under 768px).
pub const PHONE: Viewport = Viewport {
    name: "phone",
    width: 375,
    height: 812,
};

fn chromedriver_path() -> PathBuf {
    std::env::var_os("YINGJI_CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromedriver".into())
}

fn chromium_path() -> PathBuf {
    std::env::var_os("YINGJI_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into())
}

/// Where screenshots are saved: `<workspace>/target/screenshots` (or under `CARGO_TARGET_DIR`).
pub fn screenshot_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    };
    let dir = target.join("screenshots");
    dir.canonicalize().unwrap_or(dir)
}

/// A free port on 127.0.0.1 (bound, read and released; the caller retries if it is taken since).
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// One `chromedriver` process, leader of its own process group.
struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
    killed: bool,
}

impl Driver {
    fn start(dir: &Path) -> anyhow::Result<Self> {
        let binary = chromedriver_path();
        if !binary.exists() {
            bail!(
                "{} not found: install Debian's `chromium` and `chromium-driver` (and `fonts-noto-cjk`), \
                 or set YINGJI_CHROMEDRIVER / YINGJI_CHROMIUM",
                binary.display()
            );
        }
        let mut last_error = None;
        for attempt in 0..3 {
            let port = free_port()?;
            let log = dir.join(format!("chromedriver-{attempt}.log"));
            let out = std::fs::File::create(&log)?;
            let child = Command::new(&binary)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(out.try_clone()?)
                .stderr(out)
                .process_group(0)
                .spawn()
                .with_context(|| format!("starting {}", binary.display()))?;
            let mut driver = Driver {
                child,
                port,
                log,
                killed: false,
            };
            match driver.wait_ready() {
                Ok(()) => return Ok(driver),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow!("chromedriver did not start")))
    }

    /// Poll `GET /status` until chromedriver says it is ready.
    fn wait_ready(&mut self) -> anyhow::Result<()> {
        let started = Instant::now();
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        loop {
            if let Some(status) = self.child.try_wait()? {
                self.killed = true; // reaped: its pid must not be signalled again
                bail!(
                    "chromedriver exited with {status} before answering:\n{}",
                    self.log_tail()
                );
            }
            if let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
                stream.set_read_timeout(Some(Duration::from_secs(2)))?;
                let request = format!(
                    "GET /status HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                    self.port
                );
                if stream.write_all(request.as_bytes()).is_ok() {
                    let mut answer = String::new();
                    let _ = stream.read_to_string(&mut answer);
                    if answer.contains("\"ready\":true") || answer.contains("\"ready\": true") {
                        return Ok(());
                    }
                }
            }
            if started.elapsed() > DRIVER_TIMEOUT {
                self.kill();
                bail!(
                    "chromedriver did not answer on port {} within {:?}:\n{}",
                    self.port,
                    DRIVER_TIMEOUT,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Kill chromedriver and everything it started (chromium and its helpers share the group).
    fn kill(&mut self) {
        if std::mem::replace(&mut self.killed, true) {
            return;
        }
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) has no memory effects; -pid names the group this child leads
            // (spawned with process_group(0)), which holds only chromedriver and what it started.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One browser session with its own chromedriver and profile.
pub struct Browser {
    client: Client,
    pub viewport: Viewport,
    // Dropped after the client, in this order: driver (kills chromium), then the directory.
    driver: Driver,
    dir: tempfile::TempDir,
}

impl Browser {
    /// Start chromedriver and a headless chromium window of the given size.
    pub async fn open(viewport: Viewport) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new().prefix("yingji-e2e-").tempdir()?;
        let profile = dir.path().join("profile");
        std::fs::create_dir_all(&profile)?;
        let driver = {
            let dir = dir.path().to_path_buf();
            tokio::task::spawn_blocking(move || Driver::start(&dir)).await??
        };
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--lang=zh-CN".to_string(),
            format!("--window-size={},{}", viewport.width, viewport.height),
            format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": { "pageLoad": 30_000, "script": 10_000, "implicit": 0 },
            "goog:chromeOptions": {
                "binary": chromium_path().display().to_string(),
                "args": args,
                "prefs": { "intl.accept_languages": "zh-CN,zh" },
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let client = ClientBuilder::rustls()
            .context("TLS roots for the WebDriver client")?
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .map_err(|e| {
                anyhow!(
                    "starting chromium through chromedriver failed: {e}\n{}",
                    driver.log_tail()
                )
            })?;
        let browser = Browser {
            client,
            viewport,
            driver,
            dir,
        };
        // Headless windows may not honour --window-size exactly; make the viewport what we asked.
        browser.fit_viewport().await?;
        Ok(browser)
    }

    /// Resize the window so the page's layout viewport is exactly the requested size.
    async fn fit_viewport(&self) -> anyhow::Result<()> {
        for _ in 0..3 {
            let (w, h) = self.inner_size().await?;
            if w == self.viewport.width && h == self.viewport.height {
                return Ok(());
            }
            let (outer_w, outer_h) = self.client.get_window_size().await?;
            let outer_w = (outer_w as i64 + self.viewport.width as i64 - w as i64).max(1) as u32;
            let outer_h = (outer_h as i64 + self.viewport.height as i64 - h as i64).max(1) as u32;
            self.client.set_window_size(outer_w, outer_h).await?;
        }
        let (w, h) = self.inner_size().await?;
        if w != self.viewport.width {
            bail!(
                "the browser window is {w}x{h}, not {}x{} as asked",
                self.viewport.width,
                self.viewport.height
            );
        }
        Ok(())
    }

    /// The layout viewport, `innerWidth` × `innerHeight`, in CSS pixels.
    pub async fn inner_size(&self) -> anyhow::Result<(u32, u32)> {
        let v = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await?;
        let w = v.get(0).and_then(Value::as_u64).unwrap_or(0) as u32;
        let h = v.get(1).and_then(Value::as_u64).unwrap_or(0) as u32;
        Ok((w, h))
    }

    /// The WebDriver client, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// End the session properly (chromium quits), then stop chromedriver.
    pub async fn close(self) -> anyhow::Result<()> {
        let Browser {
            client,
            viewport: _,
            driver,
            dir,
        } = self;
        let closed = client.close().await;
        drop(driver);
        drop(dir);
        closed.map_err(|e| anyhow!("closing the browser session: {e}"))
    }

    /// Open a URL and wait for the page to load.
    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("opening {url}"))?;
        self.wait_loaded().await
    }

    /// The current path with its query, e.g. `/account/password`.
    pub async fn path(&self) -> anyhow::Result<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        })
    }

    pub async fn title(&self) -> anyhow::Result<String> {
        Ok(self.client.title().await?)
    }

    pub async fn find(&self, css: &str) -> anyhow::Result<Element> {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => Ok(e),
            Err(e) => Err(self
                .failure(&format!("no element matches `{css}` ({e})"))
                .await),
        }
    }

    pub async fn find_all(&self, css: &str) -> anyhow::Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    pub async fn exists(&self, css: &str) -> anyhow::Result<bool> {
        Ok(!self.find_all(css).await?.is_empty())
    }

    /// The rendered text of the first element matching `css`, trimmed.
    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        Ok(self.find(css).await?.text().await?.trim().to_string())
    }

    /// The text content of the whole page body (also text hidden by CSS).
    pub async fn body_text(&self) -> anyhow::Result<String> {
        let v = self
            .client
            .execute(
                "return document.body ? document.body.textContent : '';",
                vec![],
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Type into a field after clearing it.
    pub async fn fill(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let field = self.find(css).await?;
        field.clear().await?;
        field.send_keys(value).await?;
        let typed = field.prop("value").await?.unwrap_or_default();
        if typed != value {
            return Err(self
                .failure(&format!(
                    "typed {value:?} into `{css}` but it holds {typed:?}"
                ))
                .await);
        }
        Ok(())
    }

    /// Choose an option of a `<select>` by its value.
    pub async fn select(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let select = self.find(css).await?;
        select
            .select_by_value(value)
            .await
            .with_context(|| format!("choosing {value:?} in `{css}`"))?;
        Ok(())
    }

    /// Put a file into a file input, as a phone's camera or file picker would: a small real PNG
    /// (16×16, orange) named `name`, written into this browser's directory.
    pub async fn attach_photo(&self, css: &str, name: &str) -> anyhow::Result<()> {
        let path = self.dir().join(name);
        std::fs::write(&path, SAMPLE_PNG)?;
        self.find(css)
            .await?
            .send_keys(&path.to_string_lossy())
            .await
            .with_context(|| format!("attaching {name} to `{css}`"))?;
        Ok(())
    }

    /// Tick a check box (leaves it ticked if it already is).
    pub async fn check(&self, css: &str) -> anyhow::Result<()> {
        let b = self.find(css).await?;
        if !b.is_selected().await? {
            b.click().await?;
        }
        if !b.is_selected().await? {
            return Err(self.failure(&format!("`{css}` does not stay ticked")).await);
        }
        Ok(())
    }

    /// Click something that loads a new page (a submit button, a link) and wait for that page.
    pub async fn click_and_wait(&self, css: &str) -> anyhow::Result<()> {
        let target = self.find(css).await?;
        // Bring it to the middle of the screen, as a person scrolls, so the phone's fixed
        // bottom bar does not sit on top of it.
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'}); window.__e2eOldPage = true;",
                vec![serde_json::to_value(&target)?],
            )
            .await?;
        target
            .click()
            .await
            .with_context(|| format!("clicking `{css}`"))?;
        let started = Instant::now();
        loop {
            let done = self
                .client
                .execute(
                    "return window.__e2eOldPage !== true && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if let Ok(Value::Bool(true)) = done {
                return Ok(());
            }
            if started.elapsed() > PAGE_TIMEOUT {
                return Err(self
                    .failure(&format!("clicking `{css}` did not load a new page"))
                    .await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn wait_loaded(&self) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            if let Ok(Value::Bool(true)) = self
                .client
                .execute("return document.readyState === 'complete';", vec![])
                .await
            {
                return Ok(());
            }
            if started.elapsed() > PAGE_TIMEOUT {
                bail!("the page did not finish loading");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Log in through the login form and wait for the next page.
    pub async fn login(&self, base: &str, username: &str, password: &str) -> anyhow::Result<()> {
        self.goto(&format!("{base}/login")).await?;
        self.fill("input[name=username]", username).await?;
        self.fill("input[name=password]", password).await?;
        self.click_and_wait("form[action='/login'] button[type=submit]")
            .await
    }

    /// Press 退出 in the top bar.
    pub async fn logout(&self) -> anyhow::Result<()> {
        self.click_and_wait("form[action='/logout'] button").await
    }

    /// True when the element is rendered and visible: not `display:none` or `visibility:hidden`
    /// (itself or an ancestor), with a non-empty box that overlaps the viewport.
    pub async fn is_visible(&self, css: &str) -> anyhow::Result<bool> {
        let script = r#"
            const el = document.querySelector(arguments[0]);
            if (!el) return false;
            for (let e = el; e; e = e.parentElement) {
                const s = getComputedStyle(e);
                if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
            }
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                && r.top < window.innerHeight && r.left < window.innerWidth;
        "#;
        let v = self.client.execute(script, vec![json!(css)]).await?;
        Ok(v.as_bool().unwrap_or(false))
    }

    /// A computed CSS property of the first element matching `css`.
    pub async fn computed(&self, css: &str, property: &str) -> anyhow::Result<String> {
        let script = "const el = document.querySelector(arguments[0]); \
                      return el ? getComputedStyle(el).getPropertyValue(arguments[1]) : null;";
        match self
            .client
            .execute(script, vec![json!(css), json!(property)])
            .await?
        {
            Value::String(s) => Ok(s),
            _ => Err(self.failure(&format!("no element matches `{css}`")).await),
        }
    }

    /// How far the page is wider than the window (0 when nothing scrolls sideways).
    pub async fn horizontal_overflow(&self) -> anyhow::Result<i64> {
        let v = self
            .client
            .execute(
                "return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )
            .await?;
        Ok(v.as_i64().unwrap_or(0))
    }

    /// Whether the page's stylesheet and vendored scripts loaded: the first stylesheet has rules,
    /// and (on pages with the layout) htmx is defined.
    pub async fn assets_loaded(&self, expect_htmx: bool) -> anyhow::Result<bool> {
        let script = r#"
            const sheets = Array.from(document.styleSheets);
            const css = sheets.length > 0 && sheets.every(s => { try { return s.cssRules.length > 0; } catch (e) { return false; } });
            return [css, typeof window.htmx === 'object' || typeof window.htmx === 'function'];
        "#;
        let v = self.client.execute(script, vec![]).await?;
        let css = v.get(0).and_then(Value::as_bool).unwrap_or(false);
        let htmx = v.get(1).and_then(Value::as_bool).unwrap_or(false);
        Ok(css && (!expect_htmx || htmx))
    }

    /// Save a PNG of the window as `target/screenshots/<name>-<viewport>.png`.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let png = self.client.screenshot().await?;
        if !png.starts_with(b"\x89PNG") {
            bail!("the screenshot is not a PNG");
        }
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(format!("{name}-{}.png", self.viewport.name));
        std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// An error describing where the browser is, with a screenshot `failed-…` kept for a look.
    pub async fn failure(&self, what: &str) -> anyhow::Error {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let body = self.body_text().await.unwrap_or_default();
        let body: String = body
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(600)
            .collect();
        let slug: String = what
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(40)
            .collect();
        let shot = self
            .screenshot(&format!("failed-{}", slug.trim_matches('-')))
            .await
            .map(|p| p.display().to_string())
            .unwrap_or_else(|e| format!("(no screenshot: {e})"));
        anyhow!("{what}\n  at {url}\n  page text: {body}\n  screenshot: {shot}")
    }

    /// Fail unless the current path (with query) is `expected`.
    pub async fn expect_path(&self, expected: &str) -> anyhow::Result<()> {
        let path = self.path().await?;
        if path != expected {
            return Err(self
                .failure(&format!("expected to be at {expected}, but at {path}"))
                .await);
        }
        Ok(())
    }

    /// Fail unless the text of the first element matching `css` contains `needle` (soon).
    pub async fn expect_text(&self, css: &str, needle: &str) -> anyhow::Result<String> {
        // Script-drawn content (a map popup fading in, an htmx swap) may take a moment: the
        // text is read again for up to three seconds before the expectation fails.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        loop {
            let text = self.text(css).await?;
            if text.contains(needle) {
                return Ok(text);
            }
            if std::time::Instant::now() >= deadline {
                return Err(self
                    .failure(&format!(
                        "`{css}` reads {text:?}, expected it to contain {needle:?}"
                    ))
                    .await);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Fail unless the element is visible (see [`Browser::is_visible`]).
    pub async fn expect_visible(&self, css: &str) -> anyhow::Result<()> {
        if !self.is_visible(css).await? {
            return Err(self
                .failure(&format!(
                    "`{css}` should be visible at {}px",
                    self.viewport.width
                ))
                .await);
        }
        Ok(())
    }

    /// Fail if the element is visible.
    pub async fn expect_hidden(&self, css: &str) -> anyhow::Result<()> {
        if self.is_visible(css).await? {
            return Err(self
                .failure(&format!(
                    "`{css}` should be hidden at {}px",
                    self.viewport.width
                ))
                .await);
        }
        Ok(())
    }

    /// The cells of the table row (under `table`) whose cells include one equal to `key`, with
    /// the table's header texts, so a test can read a column by its heading.
    pub async fn table_row(&self, table: &str, key: &str) -> anyhow::Result<Vec<(String, String)>> {
        let script = r#"
            const t = document.querySelector(arguments[0]);
            if (!t) return null;
            const heads = Array.from(t.querySelectorAll('thead th')).map(th => th.textContent.trim());
            for (const tr of t.querySelectorAll('tbody tr')) {
                const cells = Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim().replace(/\s+/g, ' '));
                if (cells.includes(arguments[1])) return cells.map((c, i) => [heads[i] || '', c]);
            }
            return [];
        "#;
        let v = self
            .client
            .execute(script, vec![json!(table), json!(key)])
            .await?;
        let Some(rows) = v.as_array() else {
            return Err(self.failure(&format!("no table matches `{table}`")).await);
        };
        if rows.is_empty() {
            return Err(self
                .failure(&format!("no row of `{table}` has a cell {key:?}"))
                .await);
        }
        Ok(rows
            .iter()
            .map(|pair| {
                let head = pair
                    .get(0)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let cell = pair
                    .get(1)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                (head, cell)
            })
            .collect())
    }

    /// The rows of a table as cell texts.
    pub async fn table_rows(&self, table: &str) -> anyhow::Result<Vec<Vec<String>>> {
        let script = r#"
            const t = document.querySelector(arguments[0]);
            if (!t) return null;
            return Array.from(t.querySelectorAll('tbody tr')).map(tr =>
                Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim().replace(/\s+/g, ' ')));
        "#;
        let v = self.client.execute(script, vec![json!(table)]).await?;
        let Some(rows) = v.as_array() else {
            return Err(self.failure(&format!("no table matches `{table}`")).await);
        };
        Ok(rows
            .iter()
            .map(|r| {
                r.as_array()
                    .map(|cells| {
                        cells
                            .iter()
                            .map(|c| c.as_str().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect())
    }

    /// The profile and log directory of this browser (kept until it closes).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// A valid 16×16 PNG, for upload stories.
pub const SAMPLE_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x91, 0x68,
    0x36, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x78, 0x56, 0x21, 0x47,
    0x12, 0x62, 0x18, 0xd5, 0x30, 0xaa, 0x61, 0xf8, 0x6a, 0x00, 0x00, 0xcd, 0x2a, 0x7c, 0x10, 0x6f,
    0xb4, 0x8a, 0xcf, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The value of the column headed `heading` in a row from [`Browser::table_row`].
pub fn column<'a>(row: &'a [(String, String)], heading: &str) -> Option<&'a str> {
    row.iter()
        .find(|(h, _)| h == heading)
        .map(|(_, c)| c.as_str())
}
