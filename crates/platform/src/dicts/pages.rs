//! 数据字典 pages: the dictionaries, the items of one edition with a form to add one, the edit
//! form of an item, enabling and disabling, and switching the current edition.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{makes_cycle, parse_code, parse_label};
use super::store::{self, Dict, DictItem, ItemChange, ItemFilter, NewItem};
use crate::access::perm;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::form::{Form, FormErrors, Path, Query};
use crate::web::paging::{PageOf, Paging, page_link};
use crate::web::{AppState, PageCtx};

const PER_PAGE: u64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/dicts", get(dicts_page))
        .route("/admin/dicts/{code}", get(items_page))
        .route("/admin/dicts/{code}/items", post(create_submit))
        .route("/admin/dicts/{code}/current-edition", post(edition_submit))
        .route(
            "/admin/dicts/items/{id}/edit",
            get(edit_page).post(edit_submit),
        )
        .route("/admin/dicts/items/{id}/enable", post(enable_submit))
        .route("/admin/dicts/items/{id}/disable", post(disable_submit))
}

#[derive(Template, WebTemplate)]
#[template(path = "dicts/list.html")]
struct DictsPage {
    ctx: PageCtx,
    dicts: Vec<Dict>,
}

async fn dicts_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<DictsPage> {
    ctx.actor.require(perm::ADMIN_ORG)?;
    let dicts = store::list_dicts(&state.db).await?;
    Ok(DictsPage { ctx, dicts })
}

/// What the add and edit forms send; kept as typed so a refused form shows it again.
#[derive(Clone, Debug, Default, Deserialize)]
struct ItemForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    edition: String,
    #[serde(default)]
    parent_code: String,
    #[serde(default)]
    sort: String,
    /// Checkbox: present when ticked.
    enabled: Option<String>,
    #[serde(default)]
    version: String,
}

impl ItemForm {
    fn of(item: &DictItem) -> Self {
        Self {
            code: item.code.clone(),
            label: item.label.clone(),
            edition: item.edition.clone(),
            parent_code: item.parent_code.clone().unwrap_or_default(),
            sort: item.sort.to_string(),
            enabled: item.enabled.then(|| "on".to_string()),
            version: item.version.to_string(),
        }
    }

    /// Blank is "not given"; anything else must be a whole number.
    fn sort(&self) -> Result<Option<i32>, AppError> {
        let text = self.sort.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse()
            .map(Some)
            .map_err(|_| AppError::field("sort", "排序须为整数"))
    }
}

/// A refused sort number, reported together with what else is visibly wrong in the form.
fn with_sort_error(err: AppError, mut fields: FieldErrors) -> AppError {
    if let AppError::Validation(sort) = err {
        fields.extend(sort);
    }
    AppError::Validation(fields)
}

#[derive(Clone, Debug, Default, Deserialize)]
struct ItemsQuery {
    edition: Option<String>,
    q: Option<String>,
    /// `enabled`, `disabled` or blank for all.
    status: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dicts/items.html")]
struct ItemsPage {
    ctx: PageCtx,
    dict: Dict,
    edition: String,
    is_current: bool,
    items: PageOf<DictItem>,
    /// Every item of the edition: parent choices and parent labels.
    all: Vec<DictItem>,
    q: String,
    status: String,
    query: String,
    form: ItemForm,
    errors: FormErrors,
}

impl ItemsPage {
    fn parent_label(&self, code: &str) -> String {
        self.all
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.label.clone())
            .unwrap_or_else(|| code.to_string())
    }

    /// Another page of the same filtered list (without the notice of a past redirect).
    fn link(&self, page: u64) -> String {
        let kept: Vec<&str> = self
            .query
            .split('&')
            .filter(|p| !p.starts_with("done="))
            .collect();
        page_link(&kept.join("&"), page)
    }
}

/// Build the items page; `form` and `errors` are what a refused submission brings back.
async fn render_items(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    query: ItemsQuery,
    raw_query: String,
    form: Option<ItemForm>,
    errors: FormErrors,
) -> AppResult<ItemsPage> {
    ctx.actor.require(perm::ADMIN_ORG)?;
    let dict = store::get_dict(&state.db, code).await?;
    let edition = query
        .edition
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .unwrap_or(&dict.current_edition)
        .to_string();
    let status = query.status.clone().unwrap_or_default();
    let filter = ItemFilter {
        edition: Some(edition.clone()),
        q: query.q.clone(),
        enabled: match status.as_str() {
            "enabled" => Some(true),
            "disabled" => Some(false),
            _ => None,
        },
    };
    let paging = Paging {
        page: query.page,
        per_page: Some(query.per_page.unwrap_or(PER_PAGE)),
    };
    let items = store::search_items(&state.db, code, &filter, paging).await?;
    let all = store::items(&state.db, code, Some(&edition)).await?;
    let form = form.unwrap_or_else(|| ItemForm {
        edition: edition.clone(),
        ..ItemForm::default()
    });
    Ok(ItemsPage {
        ctx,
        is_current: edition == dict.current_edition,
        dict,
        edition,
        items,
        all,
        q: query.q.unwrap_or_default(),
        status,
        query: raw_query,
        form,
        errors,
    })
}

async fn items_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Query(query): Query<ItemsQuery>,
    RawQuery(raw): RawQuery,
) -> AppResult<ItemsPage> {
    render_items(
        &state,
        ctx,
        &code,
        query,
        raw.unwrap_or_default(),
        None,
        FormErrors::default(),
    )
    .await
}

fn back_to(dict_code: &str, edition: &str, done: &str) -> Redirect {
    Redirect::to(&format!(
        "/admin/dicts/{dict_code}?edition={edition}&done={done}"
    ))
}

/// Show the items page again with the refusal on it, answering with the refusal's status.
async fn refused_on_items(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    edition: &str,
    form: Option<ItemForm>,
    err: AppError,
) -> AppResult<Response> {
    let status = err.status();
    let errors = FormErrors::from_error(err)?;
    let query = ItemsQuery {
        edition: Some(edition.to_string()),
        ..ItemsQuery::default()
    };
    let raw = format!("edition={edition}");
    let page = render_items(state, ctx, code, query, raw, form, errors).await?;
    Ok((status, page).into_response())
}

async fn create_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Form(form): Form<ItemForm>,
) -> AppResult<Response> {
    let result = match form.sort() {
        Ok(sort) => {
            let input = NewItem {
                code: form.code.clone(),
                label: form.label.clone(),
                edition: Some(form.edition.clone()),
                parent_code: Some(form.parent_code.clone()),
                sort,
            };
            store::create_item(&state, &ctx.actor, &code, &input).await
        }
        Err(err) => {
            let mut fields = FieldErrors::new();
            if let Err(m) = parse_code(&form.code) {
                fields.insert("code".into(), m.into());
            }
            if let Err(m) = parse_label(&form.label) {
                fields.insert("label".into(), m.into());
            }
            Err(with_sort_error(err, fields))
        }
    };
    match result {
        Ok(item) => Ok(back_to(&code, &item.edition, "created").into_response()),
        Err(err) => {
            // Show the edition the item was meant for, if it exists; else the current one.
            let dict = store::get_dict(&state.db, &code).await?;
            let edition = if dict.has_edition(form.edition.trim()) {
                form.edition.trim().to_string()
            } else {
                dict.current_edition.clone()
            };
            refused_on_items(&state, ctx, &code, &edition, Some(form), err).await
        }
    }
}

#[derive(Deserialize)]
struct EditionForm {
    #[serde(default)]
    edition: String,
}

async fn edition_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Form(form): Form<EditionForm>,
) -> AppResult<Response> {
    match store::set_current_edition(&state, &ctx.actor, &code, &form.edition).await {
        Ok(dict) => Ok(back_to(&code, &dict.current_edition, "saved").into_response()),
        Err(err) => {
            let edition = form.edition.trim().to_string();
            let dict = store::get_dict(&state.db, &code).await?;
            let edition = if dict.has_edition(&edition) {
                edition
            } else {
                dict.current_edition
            };
            refused_on_items(&state, ctx, &code, &edition, None, err).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dicts/edit.html")]
struct EditPage {
    ctx: PageCtx,
    dict: Dict,
    item: DictItem,
    /// Items that may become the parent: same edition, neither the item nor below it.
    parents: Vec<DictItem>,
    form: ItemForm,
    errors: FormErrors,
}

async fn render_edit(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    form: Option<ItemForm>,
    errors: FormErrors,
) -> AppResult<EditPage> {
    ctx.actor.require(perm::ADMIN_ORG)?;
    let item = store::get_item(&state.db, id).await?;
    let dict = store::get_dict(&state.db, &item.dict_code).await?;
    let siblings = store::items(&state.db, &item.dict_code, Some(&item.edition)).await?;
    let parent_of: HashMap<String, Option<String>> = siblings
        .iter()
        .map(|i| (i.code.clone(), i.parent_code.clone()))
        .collect();
    let parents = siblings
        .into_iter()
        .filter(|p| !makes_cycle(&parent_of, &item.code, &p.code))
        .collect();
    let form = form.unwrap_or_else(|| ItemForm::of(&item));
    Ok(EditPage {
        ctx,
        dict,
        item,
        parents,
        form,
        errors,
    })
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<EditPage> {
    render_edit(&state, ctx, id, None, FormErrors::default()).await
}

async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<ItemForm>,
) -> AppResult<Response> {
    let result = match form.sort() {
        Ok(sort) => {
            let change = ItemChange {
                label: Some(form.label.clone()),
                parent_code: Some(form.parent_code.clone()),
                sort,
                enabled: Some(form.enabled.is_some()),
                version: form.version.trim().parse().ok(),
            };
            store::update_item(&state, &ctx.actor, id, &change).await
        }
        Err(err) => {
            let mut fields = FieldErrors::new();
            if let Err(m) = parse_label(&form.label) {
                fields.insert("label".into(), m.into());
            }
            Err(with_sort_error(err, fields))
        }
    };
    match result {
        Ok(item) => Ok(back_to(&item.dict_code, &item.edition, "saved").into_response()),
        Err(err) => {
            let status = err.status();
            let errors = FormErrors::from_error(err)?;
            let page = render_edit(&state, ctx, id, Some(form), errors).await?;
            Ok((status, page).into_response())
        }
    }
}

#[derive(Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: String,
}

async fn toggle(
    state: AppState,
    ctx: PageCtx,
    id: Uuid,
    enabled: bool,
    form: VersionForm,
) -> AppResult<Response> {
    let version = form.version.trim().parse().ok();
    match store::set_enabled(&state, &ctx.actor, id, enabled, version).await {
        Ok(item) => Ok(back_to(&item.dict_code, &item.edition, "saved").into_response()),
        Err(err) => {
            let item = store::get_item(&state.db, id).await?;
            refused_on_items(&state, ctx, &item.dict_code, &item.edition, None, err).await
        }
    }
}

async fn enable_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> AppResult<Response> {
    toggle(state, ctx, id, true, form).await
}

async fn disable_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> AppResult<Response> {
    toggle(state, ctx, id, false, form).await
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use tower::ServiceExt;

    use super::*;
    use crate::access::{Actor, Role};
    use crate::dicts::store::tests::{actor, item_by_code, state};

    struct Answer {
        status: StatusCode,
        location: String,
        body: String,
    }

    async fn send(
        state: &AppState,
        who: &Actor,
        method: &str,
        uri: &str,
        form: Option<&str>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if form.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let mut request = request
            .body(Body::from(form.unwrap_or("").to_string()))
            .expect("request");
        request.extensions_mut().insert(who.clone());
        let response = router()
            .with_state(state.clone())
            .oneshot(request)
            .await
            .expect("answer");
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = axum::body::to_bytes(response.into_body(), 4 << 20)
            .await
            .expect("body");
        Answer {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn admin() -> Actor {
        actor(vec![Role::SystemAdmin])
    }

    #[tokio::test]
    async fn the_administrator_browses_dictionaries_and_editions() {
        let state = state().await;
        let list = send(&state, &admin(), "GET", "/admin/dicts", None).await;
        assert_eq!(list.status, StatusCode::OK);
        for text in [
            "事故类别",
            "行业类别",
            "灾害种类",
            "隐患类别",
            "GB6441-2025",
        ] {
            assert!(list.body.contains(text), "{text} missing");
        }
        let old = send(&state, &admin(), "GET", "/admin/dicts/accident_type", None).await;
        assert_eq!(old.status, StatusCode::OK);
        assert!(old.body.contains("物体打击") && old.body.contains("中毒和窒息"));
        assert!(old.body.contains("正在查看当前版本"));
        let new = send(
            &state,
            &admin(),
            "GET",
            "/admin/dicts/accident_type?edition=GB6441-2025",
            None,
        )
        .await;
        assert!(new.body.contains("起重致害") && new.body.contains("设为当前版本"));
        let found = send(
            &state,
            &admin(),
            "GET",
            "/admin/dicts/unit_industry?q=%E7%83%9F%E8%8A%B1&status=enabled",
            None,
        )
        .await;
        assert!(
            found.body.contains("<td>烟花爆竹零售</td>") && !found.body.contains("<td>尾矿库</td>")
        );
        let missing = send(
            &state,
            &admin(),
            "GET",
            "/admin/dicts/accident_type?edition=1999",
            None,
        )
        .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn other_users_do_not_open_the_admin_pages() {
        let state = state().await;
        let staff = actor(vec![Role::SafetyStaff]);
        assert_eq!(
            send(&state, &staff, "GET", "/admin/dicts", None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let post = send(
            &state,
            &staff,
            "POST",
            "/admin/dicts/unit_industry/items",
            Some("code=x&label=y&edition=2024"),
        )
        .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn adding_an_item_redirects_and_a_refusal_keeps_what_was_typed() {
        let state = state().await;
        let form =
            "code=gas&label=%E7%87%83%E6%B0%94%E9%87%8D%E5%A4%8D&edition=2024&parent_code=&sort=";
        let refused = send(
            &state,
            &admin(),
            "POST",
            "/admin/dicts/unit_industry/items",
            Some(form),
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("本版本中已有编码 gas"));
        assert!(
            refused.body.contains("value=\"燃气重复\""),
            "typed label kept"
        );

        let bad_sort = "code=kiln&label=&edition=2024&parent_code=&sort=abc";
        let refused = send(
            &state,
            &admin(),
            "POST",
            "/admin/dicts/unit_industry/items",
            Some(bad_sort),
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("排序须为整数")
                && refused.body.contains(crate::dicts::model::LABEL_RULE)
        );

        let form = "_csrf=t&code=kiln&label=%E7%A0%96%E7%AA%91&edition=2024&parent_code=industry_trade&sort=";
        let created = send(
            &state,
            &admin(),
            "POST",
            "/admin/dicts/unit_industry/items",
            Some(form),
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER);
        assert_eq!(
            created.location,
            "/admin/dicts/unit_industry?edition=2024&done=created"
        );
        let kiln = item_by_code(&state, "unit_industry", "2024", "kiln").await;
        assert_eq!(kiln.parent_code.as_deref(), Some("industry_trade"));
    }

    #[tokio::test]
    async fn editing_saves_and_a_stale_form_shows_the_conflict() {
        let state = state().await;
        let item = item_by_code(&state, "hazard_category", "2024", "training").await;
        let edit_url = format!("/admin/dicts/items/{}/edit", item.id);
        let page = send(&state, &admin(), "GET", &edit_url, None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("安全教育培训") && page.body.contains("management_defect"));

        let form = format!(
            "label=%E5%AE%89%E5%85%A8%E5%9F%B9%E8%AE%AD&parent_code=management_defect&sort=5&enabled=on&version={}",
            item.version
        );
        let saved = send(&state, &admin(), "POST", &edit_url, Some(&form)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(
            saved.location,
            "/admin/dicts/hazard_category?edition=2024&done=saved"
        );
        let after = item_by_code(&state, "hazard_category", "2024", "training").await;
        assert_eq!(
            (after.label.as_str(), after.sort, after.enabled),
            ("安全培训", 5, true)
        );

        let stale = send(&state, &admin(), "POST", &edit_url, Some(&form)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("您看到的不是最新内容"));
        assert!(stale.body.contains("value=\"安全培训\""));
    }

    #[tokio::test]
    async fn disabling_and_enabling_from_the_list() {
        let state = state().await;
        let item = item_by_code(&state, "disaster_type", "2024", "tsunami").await;
        let url = format!("/admin/dicts/items/{}/disable", item.id);
        let done = send(
            &state,
            &admin(),
            "POST",
            &url,
            Some(&format!("version={}", item.version)),
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert!(
            !item_by_code(&state, "disaster_type", "2024", "tsunami")
                .await
                .enabled
        );

        let stale = send(
            &state,
            &admin(),
            "POST",
            &url.replace("disable", "enable"),
            Some("version=1"),
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("您看到的不是最新内容"));

        let switched = send(
            &state,
            &admin(),
            "POST",
            "/admin/dicts/accident_type/current-edition",
            Some("edition=GB6441-2025"),
        )
        .await;
        assert_eq!(
            switched.location,
            "/admin/dicts/accident_type?edition=GB6441-2025&done=saved"
        );
    }
}
