//! Talking to the app like a client would.

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp, backends};

/// Run a story once per database backend.
pub async fn on_each_backend<F, Fut>(story: F)
where
    F: Fn(TestApp, Backend) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        let app = TestApp::spawn(&backend)
            .await
            .unwrap_or_else(|e| panic!("app on {} did not start: {e:#}", backend.name()));
        story(app, backend).await;
    }
}

pub fn browser() -> Client {
    platform::notify::channels::install_tls_provider();
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A logged-in browser-like session with its CSRF token.
pub struct Session {
    pub client: Client,
    pub csrf: String,
    pub base: String,
}

pub async fn try_login(app: &TestApp, username: &str, password: &str) -> (Client, Response) {
    let client = browser();
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("username", username),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login request");
    (client, response)
}

pub async fn login_with(app: &TestApp, username: &str, password: &str) -> Session {
    let (client, response) = try_login(app, username, password).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{username} should log in"
    );
    let me: Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    Session {
        csrf: me["csrf_token"].as_str().expect("csrf token").to_string(),
        client,
        base: app.base.clone(),
    }
}

pub async fn login(app: &TestApp, username: &str) -> Session {
    login_with(app, username, TEST_PASSWORD).await
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("get")
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let r = self.get(path).await;
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        let r = self
            .client
            .request(method, self.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .expect("send");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A multipart upload (files and fields), as a phone's form sends it.
    pub async fn post_multipart(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> (StatusCode, Value) {
        let r = self
            .client
            .post(self.url(path))
            .header("x-csrf-token", &self.csrf)
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    /// A POST whose body is a document (e.g. a CAP alert in XML).
    pub async fn send_text(&self, path: &str, body: &str) -> (StatusCode, Value) {
        let r = self
            .client
            .post(self.url(path))
            .header("x-csrf-token", &self.csrf)
            .header("content-type", "application/xml")
            .body(body.to_string())
            .send()
            .await
            .expect("send");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn patch_json(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::PATCH, path, body).await
    }

    /// Submit a page form the way a browser does (CSRF token in the form body).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("_csrf", &self.csrf));
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("post form")
    }

    pub async fn text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let status = r.status();
        (status, r.text().await.unwrap_or_default())
    }
}

/// The id of a demo account, looked up as the system administrator would.
pub async fn user_id(admin: &Session, username: &str) -> String {
    let (status, page) = admin
        .get_json(&format!("/api/v1/admin/users?q={username}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .and_then(|items| items.iter().find(|u| u["username"] == username))
        .and_then(|u| u["id"].as_str())
        .unwrap_or_else(|| panic!("user {username} not found in {page}"))
        .to_string()
}

pub fn new_department(name: &str, region: &str) -> Value {
    json!({"name": name, "region_code": region, "committees": ["safety"], "liaison_name": "张三", "liaison_phone": "0816-5421234"})
}

/// Count audit rows the auditor sees for a filter.
pub async fn audit_total(auditor: &Session, query: &str) -> u64 {
    let (status, page) = auditor
        .get_json(&format!("/api/v1/admin/audit?{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["total"].as_u64().expect("total")
}

/// Add a contact (mobile 13800000000), optionally linked to a user account.
pub async fn add_contact(
    s: &Session,
    name: &str,
    role: &str,
    region: &str,
    username: Option<&str>,
) {
    let (status, c) = s
        .post_json(
            "/api/v1/contacts",
            &json!({"name": name, "role": role, "region_code": region, "mobile": "13800000000", "username": username}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
}

/// A person's 叫应 calls about one kind of subject, oldest first: (id, token, state).
pub async fn calls_of(app: &TestApp, kind: &str, name: &str) -> Vec<(String, String, String)> {
    use platform::calls::entity::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Entity::find()
        .filter(Column::Name.eq(name))
        .filter(Column::SubjectKind.eq(kind))
        .order_by_asc(Column::FirstSentAt)
        .order_by_asc(Column::Wave)
        .order_by_asc(Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id.to_string(), c.token, c.state))
        .collect()
}

/// The cells of one sheet of an XLSX file as text, read back with calamine.
pub fn xlsx_sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}
