//! Campaign and inspection pages: lists with filters and XLSX export, detail pages with their
//! timelines, forms for phones (the checklist loads for the chosen unit), photo upload and the
//! one-step hazard form on an inspection.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use platform::access::perm;
use platform::attachments::{self, Attachment, MultipartForm};
use platform::audit::store::AuditRow;
use platform::dicts::store::DictItem;
use platform::error::AppResult;
use platform::org::store::Department;
use platform::regions::Level;
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query, redirect_or_again};
use platform::web::paging::{PageOf, Paging, Sort, SortQuery, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::entity::inspection;
use super::model::{
    self, ANSWERS, Answer, CAMPAIGN_KINDS, CAMPAIGN_STATES, CHECKLISTS, Checklist,
    INSPECTION_KINDS, RESULTS,
};
use super::store::{
    self, Campaign, CampaignFilter, CampaignInput, CampaignProgress, FindingInput, Inspection,
    InspectionFilter, InspectionInput,
};
use crate::hazards::store::{CATEGORY_DICT, GRADES, Hazard};
use crate::units::store::UnitChoice;
use crate::units::store::{INDUSTRY_DICT, county_of};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/safety/campaigns", get(campaign_list))
        .route("/safety/campaigns/export", get(campaign_export))
        .route(
            "/safety/campaigns/new",
            get(campaign_new).post(campaign_create),
        )
        .route("/safety/campaigns/{id}", get(campaign_detail))
        .route(
            "/safety/campaigns/{id}/edit",
            get(campaign_edit).post(campaign_update),
        )
        .route("/safety/inspections", get(list_page))
        .route("/safety/inspections/export", get(export))
        .route("/safety/inspections/checklist", get(checklist_fragment))
        .route("/safety/inspections/new", get(new_page).post(create))
        .route("/safety/inspections/{id}", get(detail_page))
        .route("/safety/inspections/{id}/edit", get(edit_page).post(update))
        .route(
            "/safety/inspections/{id}/files",
            post(upload).layer(DefaultBodyLimit::max(attachments::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/safety/inspections/{id}/hazards",
            post(add_hazard).layer(DefaultBodyLimit::max(attachments::UPLOAD_BODY_LIMIT)),
        )
}

type Choices = &'static [(&'static str, &'static str)];

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

async fn townships(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<Region>> {
    let scope = ctx.actor.scope();
    let mut regions =
        platform::regions::store::list_level(&state.db, &scope, Level::Township).await?;
    if regions.is_empty() {
        regions.extend(platform::regions::store::find(&state.db, &ctx.actor.region_code).await?);
    }
    Ok(regions)
}

async fn departments(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<Department>> {
    platform::org::store::all(&state.db, &county_of(&ctx.actor.region_code)).await
}

/// Campaigns to pick for an inspection: those visible, latest first.
async fn campaign_choices(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<Campaign>> {
    store::all_campaigns(
        &state.db,
        &ctx.actor,
        &CampaignFilter::default(),
        store::today(state),
        500,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Campaigns

#[derive(Template, WebTemplate)]
#[template(path = "inspections/campaigns.html")]
struct CampaignListPage {
    ctx: PageCtx,
    filter: CampaignFilter,
    page: PageOf<Campaign>,
    query: String,
    kinds: Choices,
    states: Choices,
}

impl CampaignListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        text(value)
    }

    fn year_text(&self) -> String {
        self.filter.year.map(|y| y.to_string()).unwrap_or_default()
    }

    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }
}

async fn campaign_list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<CampaignFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<CampaignListPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(&state);
    let page = store::list_campaigns(&state.db, &ctx.actor, &filter, paging, today).await?;
    Ok(CampaignListPage {
        ctx,
        filter,
        page,
        query: query.unwrap_or_default(),
        kinds: CAMPAIGN_KINDS,
        states: CAMPAIGN_STATES,
    })
}

const CAMPAIGN_HEADERS: [&str; 8] = [
    "名称",
    "类型",
    "开始日期",
    "结束日期",
    "状态",
    "目标行业",
    "目标乡镇",
    "牵头部门",
];

async fn campaign_export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<CampaignFilter>,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(&state);
    let campaigns = store::all_campaigns(&state.db, &ctx.actor, &filter, today, 10_000).await?;
    let rows: Vec<Vec<String>> = campaigns
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                c.kind_label().to_string(),
                c.starts_on.to_string(),
                c.ends_on.to_string(),
                c.state_label().to_string(),
                c.sectors_text(),
                c.townships_text(),
                c.department_name.clone(),
            ]
        })
        .collect();
    let bytes = xlsx::workbook("专项行动", &CAMPAIGN_HEADERS, &rows)?;
    Ok(xlsx::download("专项行动.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "inspections/campaign.html")]
struct CampaignPage {
    ctx: PageCtx,
    campaign: Campaign,
    progress: CampaignProgress,
    history: Vec<AuditRow>,
    may_change: bool,
}

impl CampaignPage {
    fn inspections_href(&self, result: Option<&str>) -> String {
        store::list_href(&InspectionFilter {
            campaign: Some(self.campaign.id),
            result: result.map(str::to_string),
            ..Default::default()
        })
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        text(value)
    }

    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }
}

async fn campaign_detail(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<CampaignPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let campaign = store::get_campaign(&state.db, &ctx.actor, id, store::today(&state)).await?;
    let progress = store::progress(&state.db, &ctx.actor, &campaign).await?;
    // The trail of a county campaign is read with the county's scope it was written under.
    let history = platform::audit::store::history(
        &state.db,
        &platform::access::Scope::of(&campaign.region_code),
        store::CAMPAIGN_KIND,
        &id.to_string(),
    )
    .await?;
    Ok(CampaignPage {
        may_change: store::may_change_campaign(&ctx.actor, &campaign),
        ctx,
        campaign,
        progress,
        history,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "inspections/campaign_form.html")]
struct CampaignFormPage {
    ctx: PageCtx,
    editing: Option<Campaign>,
    input: CampaignInput,
    errors: FormErrors,
    kinds: Choices,
    sectors: Vec<DictItem>,
    townships: Vec<Region>,
    departments: Vec<Department>,
}

impl CampaignFormPage {
    fn has_sector(&self, code: &str) -> bool {
        self.input.sectors.iter().any(|s| s == code)
    }

    fn has_township(&self, code: &str) -> bool {
        self.input.townships.iter().any(|s| s == code)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        text(value)
    }
}

async fn campaign_form(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Campaign>,
    input: CampaignInput,
    errors: FormErrors,
) -> AppResult<CampaignFormPage> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    let sectors = platform::dicts::store::options(&state.db, INDUSTRY_DICT)
        .await?
        .into_iter()
        .filter(|i| i.parent_code.is_none())
        .collect();
    Ok(CampaignFormPage {
        sectors,
        townships: townships(state, &ctx).await?,
        departments: departments(state, &ctx).await?,
        ctx,
        editing,
        input,
        errors,
        kinds: CAMPAIGN_KINDS,
    })
}

async fn campaign_new(State(state): State<AppState>, ctx: PageCtx) -> AppResult<CampaignFormPage> {
    let today = store::today(&state);
    let input = CampaignInput {
        kind: "rectification".to_string(),
        starts_on: today.to_string(),
        ..Default::default()
    };
    campaign_form(&state, ctx, None, input, FormErrors::default()).await
}

async fn campaign_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<CampaignInput>,
) -> AppResult<Response> {
    let result = store::create_campaign(&state, &ctx.actor, &input).await;
    redirect_or_again(
        result,
        |c| format!("/safety/campaigns/{}?done=created", c.id),
        |errors| async move { campaign_form(&state, ctx, None, input, errors).await },
    )
    .await
}

async fn campaign_edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<CampaignFormPage> {
    let c = store::get_campaign(&state.db, &ctx.actor, id, store::today(&state)).await?;
    let input = CampaignInput::from_campaign(&c);
    campaign_form(&state, ctx, Some(c), input, FormErrors::default()).await
}

async fn campaign_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<CampaignInput>,
) -> AppResult<Response> {
    let result = store::update_campaign(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |_| format!("/safety/campaigns/{id}?done=saved"),
        |errors| async move {
            let c = store::get_campaign(&state.db, &ctx.actor, id, store::today(&state)).await?;
            campaign_form(&state, ctx, Some(c), input, errors).await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Inspections

#[derive(Template, WebTemplate)]
#[template(path = "inspections/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: InspectionFilter,
    sort: Sort<inspection::Column>,
    page: PageOf<Inspection>,
    query: String,
    townships: Vec<Region>,
    campaigns: Vec<Campaign>,
    kinds: Choices,
    results: Choices,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/safety/inspections/export?{}", self.query)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn is_campaign(&self, id: &Uuid) -> bool {
        self.filter.campaign.as_ref() == Some(id)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        text(value)
    }

    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<InspectionFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let sort = store::SORTS.pick(&sort)?;
    let page = store::list(&state.db, &ctx.actor.scope(), &filter, &sort, paging).await?;
    Ok(ListPage {
        townships: townships(&state, &ctx).await?,
        campaigns: campaign_choices(&state, &ctx).await?,
        ctx,
        filter,
        sort,
        page,
        query: query.unwrap_or_default(),
        kinds: INSPECTION_KINDS,
        results: RESULTS,
    })
}

const EXPORT_HEADERS: [&str; 12] = [
    "检查日期",
    "检查类型",
    "检查对象",
    "所属区域",
    "专项行动",
    "检查人员",
    "受邀专家",
    "检查表",
    "不符合项",
    "问题清单",
    "检查结果",
    "检查情况",
];

async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<InspectionFilter>,
    Query(sort): Query<SortQuery>,
) -> AppResult<Response> {
    let sort = store::SORTS.pick(&sort)?;
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let found = store::all(&state.db, &ctx.actor.scope(), &filter, &sort, 10_000).await?;
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|i| {
            vec![
                i.inspected_on.to_string(),
                i.kind_label().to_string(),
                i.target_name.clone(),
                i.region_name.clone(),
                i.campaign_name.clone(),
                i.inspectors_text(),
                i.experts_text(),
                i.checklist_label().to_string(),
                i.checklist
                    .iter()
                    .filter(|a| a.answer == "nonconform")
                    .map(|a| format!("{}：{}", a.label, a.note))
                    .collect::<Vec<_>>()
                    .join("；"),
                i.problems.join("；"),
                i.result_label().to_string(),
                text(&i.summary).to_string(),
            ]
        })
        .collect();
    let bytes = xlsx::workbook("检查记录", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download("检查记录.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "inspections/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    inspection: Inspection,
    hazards: Vec<Hazard>,
    history: Vec<AuditRow>,
    files: Vec<Attachment>,
    categories: Vec<DictItem>,
    grades: Choices,
    finding: FindingInput,
    errors: FormErrors,
}

impl DetailPage {
    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        text(value)
    }
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    finding: FindingInput,
    errors: FormErrors,
) -> AppResult<DetailPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let scope = ctx.actor.scope();
    let inspection = store::get(&state.db, &scope, id).await?;
    let hazards = store::hazards_of(&state.db, &scope, id, store::today(state)).await?;
    let history =
        platform::audit::store::history(&state.db, &scope, store::KIND, &id.to_string()).await?;
    let files = store::files(&state.db, &scope, id).await?;
    Ok(DetailPage {
        categories: platform::dicts::store::options(&state.db, CATEGORY_DICT).await?,
        grades: GRADES,
        ctx,
        inspection,
        hazards,
        history,
        files,
        finding,
        errors,
    })
}

fn blank_finding() -> FindingInput {
    FindingInput {
        grade: "general".to_string(),
        ..Default::default()
    }
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<DetailPage> {
    detail(&state, ctx, id, blank_finding(), FormErrors::default()).await
}

async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<Response> {
    let files = form.files("files");
    let result = store::attach(&state, &ctx.actor, id, &files, form.location()).await;
    redirect_or_again(
        result,
        |_| format!("/safety/inspections/{id}?done=files#files"),
        |errors| async move { detail(&state, ctx, id, blank_finding(), errors).await },
    )
    .await
}

/// The one-step hazard form: the hazard, its photos, and back to the inspection.
async fn add_hazard(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<Response> {
    let finding: FindingInput = form.fields()?;
    let files = form.files("files");
    let result =
        store::register_hazard(&state, &ctx.actor, id, &finding, &files, form.location()).await;
    redirect_or_again(
        result,
        |_| format!("/safety/inspections/{id}?done=hazard#hazards"),
        |errors| async move { detail(&state, ctx, id, finding, errors).await },
    )
    .await
}

/// The checklist part of the form, for the chosen unit (or group).
#[derive(Template, WebTemplate)]
#[template(path = "inspections/checklist.html")]
struct ChecklistPart {
    list: Option<&'static Checklist>,
    groups: &'static [Checklist],
    input: InspectionInput,
    answers: Choices,
    error: String,
}

impl ChecklistPart {
    fn answer_is(&self, item: &str, code: &str) -> bool {
        self.input.answer_of(item).is_some_and(|a| a.answer == code)
    }

    fn note_of(&self, item: &str) -> &str {
        self.input
            .answer_of(item)
            .map(|a| a.note.as_str())
            .unwrap_or("")
    }

    fn group_is(&self, group: &str) -> bool {
        self.list.is_some_and(|l| l.group == group)
    }
}

/// Which checklist a form shows: the one chosen, else the one of the unit's industry.
async fn checklist_for(
    state: &AppState,
    ctx: &PageCtx,
    input: &InspectionInput,
) -> AppResult<Option<&'static Checklist>> {
    if let Some(list) = input.checklist_group.as_deref().and_then(model::checklist) {
        return Ok(Some(list));
    }
    let unit = store::unit_in_scope(&state.db, &ctx.actor.scope(), &input.unit_id).await?;
    Ok(match unit {
        Some(u) => model::checklist(store::group_of_unit(&state.db, &u).await?),
        None => None,
    })
}

#[derive(Deserialize)]
struct ChecklistQuery {
    unit_id: Option<String>,
    checklist_group: Option<String>,
}

async fn checklist_fragment(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ChecklistQuery>,
) -> AppResult<ChecklistPart> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let input = InspectionInput {
        unit_id: q.unit_id,
        checklist_group: q.checklist_group.filter(|g| !g.is_empty()),
        ..Default::default()
    };
    let list = checklist_for(&state, &ctx, &input).await?;
    Ok(ChecklistPart {
        list,
        groups: CHECKLISTS,
        input,
        answers: ANSWERS,
        error: String::new(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "inspections/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Inspection>,
    tour: bool,
    input: InspectionInput,
    errors: FormErrors,
    units: Vec<UnitChoice>,
    townships: Vec<Region>,
    departments: Vec<Department>,
    campaigns: Vec<Campaign>,
    kinds: Vec<(&'static str, &'static str)>,
    results: Choices,
    checklist: ChecklistPart,
}

impl FormPage {
    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        text(value)
    }

    fn action(&self) -> String {
        match &self.editing {
            Some(i) => format!("/safety/inspections/{}/edit", i.id),
            None => "/safety/inspections/new".to_string(),
        }
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Inspection>,
    tour: bool,
    input: InspectionInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    let list = if tour {
        None
    } else {
        checklist_for(state, &ctx, &input).await?
    };
    let checklist = ChecklistPart {
        list,
        groups: CHECKLISTS,
        input: input.clone(),
        answers: ANSWERS,
        error: errors.get("checklist").to_string(),
    };
    Ok(FormPage {
        units: crate::units::store::all_choices(&state.db, &ctx.actor.scope()).await?,
        townships: townships(state, &ctx).await?,
        departments: departments(state, &ctx).await?,
        campaigns: campaign_choices(state, &ctx).await?,
        kinds: INSPECTION_KINDS
            .iter()
            .copied()
            .filter(|(code, _)| model::is_tour(code) == tour)
            .collect(),
        results: RESULTS,
        checklist,
        ctx,
        editing,
        tour,
        input,
        errors,
    })
}

/// An inspection form as posted: named fields, plus `answer_<item>` / `note_<item>` pairs.
fn input_from_pairs(pairs: Vec<(String, String)>) -> InspectionInput {
    let mut input = InspectionInput::default();
    let mut notes: Vec<(String, String)> = Vec::new();
    for (key, value) in pairs {
        let some = || Some(value.clone());
        match key.as_str() {
            "kind" => input.kind = value,
            "unit_id" => input.unit_id = some(),
            "target_region_code" => input.target_region_code = some(),
            "target_department_id" => input.target_department_id = some(),
            "inspected_on" => input.inspected_on = value,
            "campaign_id" => input.campaign_id = some(),
            "inspectors" => input.inspectors = value,
            "experts" => input.experts = some(),
            "checklist_group" => input.checklist_group = some().filter(|g| !g.is_empty()),
            "problems" => input.problems = some(),
            "result" => input.result = value,
            "summary" => input.summary = some(),
            "version" => input.version = value.trim().parse().ok(),
            _ => {
                if let Some(item) = key.strip_prefix("answer_") {
                    input.checklist.push(Answer {
                        item: item.to_string(),
                        answer: value,
                        note: String::new(),
                    });
                } else if let Some(item) = key.strip_prefix("note_") {
                    notes.push((item.to_string(), value));
                }
            }
        }
    }
    for (item, note) in notes {
        if let Some(a) = input.checklist.iter_mut().find(|a| a.item == item) {
            a.note = note;
        } else if !note.trim().is_empty() {
            // A note without a conclusion still counts as a missing answer, but is kept.
            input.checklist.push(Answer {
                item,
                answer: String::new(),
                note,
            });
        }
    }
    input
}

#[derive(Deserialize)]
struct NewQuery {
    unit: Option<String>,
    campaign: Option<String>,
    tour: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NewQuery>,
) -> AppResult<FormPage> {
    let tour = q.tour.is_some_and(|t| t == "1" || t == "true");
    let input = InspectionInput {
        kind: if tour { "supervision" } else { "routine" }.to_string(),
        unit_id: q.unit,
        campaign_id: q.campaign,
        inspected_on: store::today(&state).to_string(),
        inspectors: ctx.actor.display_name.clone(),
        result: "none".to_string(),
        ..Default::default()
    };
    form_page(&state, ctx, None, tour, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let input = input_from_pairs(pairs);
    let result = store::create(&state, &ctx.actor, &input).await;
    redirect_or_again(
        result,
        |i| format!("/safety/inspections/{}?done=created", i.id),
        |errors| async move {
            let tour = model::is_tour(&input.kind);
            form_page(&state, ctx, None, tour, input, errors).await
        },
    )
    .await
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<FormPage> {
    let found = store::get(&state.db, &ctx.actor.scope(), id).await?;
    let input = InspectionInput::from_inspection(&found);
    let tour = found.is_tour();
    form_page(&state, ctx, Some(found), tour, input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let input = input_from_pairs(pairs);
    let result = store::update(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |_| format!("/safety/inspections/{id}?done=saved"),
        |errors| async move {
            let found = store::get(&state.db, &ctx.actor.scope(), id).await?;
            let tour = found.is_tour();
            let mut input = input;
            input.unit_id = found.unit_id.map(|u| u.to_string());
            form_page(&state, ctx, Some(found), tour, input, errors).await
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_form_gathers_answers_and_notes_by_item() {
        let pairs = vec![
            ("kind".to_string(), "routine".to_string()),
            ("answer_gn01".to_string(), "conform".to_string()),
            ("note_gn01".to_string(), String::new()),
            ("answer_gn02".to_string(), "nonconform".to_string()),
            ("note_gn02".to_string(), "无专职安全员".to_string()),
            ("note_gn03".to_string(), "只写了说明".to_string()),
            ("version".to_string(), "3".to_string()),
        ];
        let input = input_from_pairs(pairs);
        assert_eq!(input.kind, "routine");
        assert_eq!(input.version, Some(3));
        assert_eq!(input.checklist.len(), 3);
        assert_eq!(input.answer_of("gn02").unwrap().note, "无专职安全员");
        assert_eq!(input.answer_of("gn03").unwrap().answer, "");
    }
}
