//! Pages: `/disaster/relief/programmes` (list, new, one programme with its totals by
//! township), `/disaster/relief/rolls` (filter, 建立名册), the roll page (households, add,
//! steps by level, payments, corrections), a household's page (edit or 更正, 发放, 删除),
//! the printable 公示 and its XLSX, and the roll's XLSX import.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::attachments::{MultipartForm, UPLOAD_BODY_LIMIT};
use platform::error::AppResult;
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query, fen_as_yuan};
use platform::web::import::RowError;
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::api::{ProgrammeDetail, programme_detail};
use super::households::{self, Correction, Household, HouseholdInput, PUBLIC_HEADERS};
use super::import;
use super::model::{KINDS, METHODS, RollState, wan_yuan};
use super::payments::{self, Payment, PaymentInput};
use super::store::{self, Programme, ProgrammeInput, Roll, RollFilter, RollInput, StepInput};
use crate::access::{self, Level};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/disaster/relief/programmes",
            get(programmes_page).post(create_programme),
        )
        .route("/disaster/relief/programmes/new", get(new_programme_page))
        .route("/disaster/relief/programmes/{id}", get(programme_page))
        .route(
            "/disaster/relief/programmes/{id}/close",
            post(close_programme),
        )
        .route("/disaster/relief/rolls", get(rolls_page).post(create_roll))
        .route("/disaster/relief/rolls/{id}", get(roll_page))
        .route(
            "/disaster/relief/rolls/{id}/households",
            post(add_household),
        )
        .route("/disaster/relief/rolls/{id}/steps", post(move_roll))
        .route("/disaster/relief/rolls/{id}/pay", post(pay_roll))
        .route("/disaster/relief/rolls/{id}/public", get(public_page))
        .route("/disaster/relief/rolls/{id}/public.xlsx", get(public_xlsx))
        .route(
            "/disaster/relief/rolls/{id}/import",
            get(import_page)
                .post(import_submit)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/disaster/relief/import-template.xlsx",
            get(import_template),
        )
        .route(
            "/disaster/relief/households/{id}",
            get(household_page).post(save_household),
        )
        .route(
            "/disaster/relief/households/{id}/void",
            post(void_household),
        )
        .route("/disaster/relief/households/{id}/pay", post(pay_household))
}

fn status_of(errors: &FormErrors) -> StatusCode {
    match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `?done=` after a redirect: the codes the layout does not already announce (saved, voided,
/// imported are the platform's).
#[derive(Clone, Debug, Default, Deserialize)]
struct Done {
    done: Option<String>,
}

fn done_text(done: &Option<String>) -> Option<&'static str> {
    Some(match done.as_deref()? {
        "added" => "已新增救助对象",
        "moved" => "名册状态已更新",
        "paid" => "已登记发放",
        "corrected" => "已更正，更正记录已留存",
        "closed" => "项目已结束：不再建立名册、新增救助对象，已审批名册仍可发放",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Programmes

#[derive(Template, WebTemplate)]
#[template(path = "relief/programmes.html")]
struct ProgrammesPage {
    ctx: PageCtx,
    programmes: Vec<Programme>,
    may_create: bool,
}

async fn programmes_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<ProgrammesPage> {
    Ok(ProgrammesPage {
        programmes: store::list_programmes(&state, &ctx.actor).await?,
        may_create: access::is_county_writer(&ctx.actor),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "relief/programme_form.html")]
struct ProgrammeForm {
    ctx: PageCtx,
    input: ProgrammeInput,
    kinds: &'static [(&'static str, &'static str)],
    errors: FormErrors,
}

async fn new_programme_page(ctx: PageCtx) -> AppResult<ProgrammeForm> {
    access::require_county_writer(&ctx.actor)?;
    let input = ProgrammeInput {
        kind: "winter_spring".into(),
        ..ProgrammeInput::default()
    };
    Ok(ProgrammeForm {
        ctx,
        input,
        kinds: KINDS,
        errors: FormErrors::default(),
    })
}

async fn create_programme(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<ProgrammeInput>,
) -> AppResult<Response> {
    match store::create_programme(&state, &ctx.actor, &input).await {
        Ok(p) => Ok(
            Redirect::to(&format!("/disaster/relief/programmes/{}?done=saved", p.id))
                .into_response(),
        ),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let page = ProgrammeForm {
                ctx,
                input,
                kinds: KINDS,
                errors,
            };
            Ok((status_of(&page.errors), page).into_response())
        }
    }
}

/// One township's line on the programme page.
struct TownshipLine {
    name: String,
    code: String,
    paid: String,
    households: i64,
    person_times: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "relief/programme.html")]
struct ProgrammePage {
    ctx: PageCtx,
    detail: ProgrammeDetail,
    lines: Vec<TownshipLine>,
    rolls: Vec<Roll>,
    paid_wan: String,
    budget_used: String,
    may_close: bool,
    done: Option<&'static str>,
}

async fn programme_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(done): Query<Done>,
) -> AppResult<ProgrammePage> {
    let detail = programme_detail(&state, &ctx.actor, id).await?;
    let names = platform::regions::store::short_names(
        &state.db,
        detail.totals.iter().map(|t| t.township.clone()),
    )
    .await?;
    let lines = detail
        .totals
        .iter()
        .map(|t| TownshipLine {
            name: names.get(&t.township).cloned().unwrap_or_default(),
            code: t.township.clone(),
            paid: fen_as_yuan(t.paid_fen),
            households: t.households,
            person_times: t.person_times,
        })
        .collect();
    let filter = RollFilter {
        programme: Some(id.to_string()),
        ..Default::default()
    };
    let budget = detail.programme.budget_fen;
    let budget_used = if budget > 0 {
        format!("{:.1}%", detail.paid_fen as f64 * 100.0 / budget as f64)
    } else {
        "—".into()
    };
    Ok(ProgrammePage {
        rolls: store::list_rolls(&state, &ctx.actor, &filter).await?,
        paid_wan: wan_yuan(detail.paid_fen),
        budget_used,
        may_close: detail.programme.is_open() && access::is_county_writer(&ctx.actor),
        lines,
        detail,
        done: done_text(&done.done),
        ctx,
    })
}

#[derive(Clone, Debug, Default, Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: i32,
}

async fn close_programme(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> AppResult<Response> {
    store::close_programme(&state, &ctx.actor, id, form.version).await?;
    Ok(Redirect::to(&format!("/disaster/relief/programmes/{id}?done=closed")).into_response())
}

// ---------------------------------------------------------------------------------------------
// Rolls

#[derive(Template, WebTemplate)]
#[template(path = "relief/rolls.html")]
struct RollsPage {
    ctx: PageCtx,
    rolls: Vec<Roll>,
    filter: RollFilter,
    programmes: Vec<Programme>,
    townships: Vec<Region>,
    villages: Vec<Region>,
    states: [RollState; 4],
    may_create: bool,
    input: RollInput,
    errors: FormErrors,
}

async fn rolls_form(
    state: &AppState,
    ctx: PageCtx,
    filter: RollFilter,
    input: RollInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let may_create = matches!(
        access::require_editor(&ctx.actor),
        Ok(Level::Township | Level::Village)
    );
    let page = RollsPage {
        rolls: store::list_rolls(state, &ctx.actor, &filter).await?,
        programmes: store::list_programmes(state, &ctx.actor).await?,
        townships: store::townships(&state.db, &ctx.actor).await?,
        villages: store::villages(&state.db, &ctx.actor).await?,
        states: RollState::ALL,
        may_create,
        filter,
        input,
        errors,
        ctx,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn rolls_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<RollFilter>,
) -> AppResult<Response> {
    let input = RollInput {
        programme_id: filter.programme.clone().unwrap_or_default(),
        village: None,
    };
    rolls_form(&state, ctx, filter, input, FormErrors::default()).await
}

async fn create_roll(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<RollInput>,
) -> AppResult<Response> {
    match store::create_roll(&state, &ctx.actor, &input).await {
        Ok(r) => Ok(
            Redirect::to(&format!("/disaster/relief/rolls/{}?done=saved", r.id)).into_response(),
        ),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            rolls_form(&state, ctx, RollFilter::default(), input, errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "relief/roll.html")]
struct RollPage {
    ctx: PageCtx,
    roll: Roll,
    programme: Programme,
    households: Vec<Household>,
    payments: Vec<Payment>,
    corrections: Vec<Correction>,
    level: Option<Level>,
    may_fill: bool,
    may_pay: bool,
    input: HouseholdInput,
    errors: FormErrors,
    step_errors: FormErrors,
    methods: &'static [(&'static str, &'static str)],
    today: String,
    done: Option<&'static str>,
}

impl RollPage {
    fn may_post(&self) -> bool {
        self.roll.state == RollState::Draft
            && matches!(self.level, Some(Level::Township | Level::Village))
    }
    fn may_check(&self) -> bool {
        self.roll.state == RollState::Posted && self.level == Some(Level::Township)
    }
    fn may_approve(&self) -> bool {
        self.roll.state == RollState::Checked && self.level == Some(Level::County)
    }
    fn may_return(&self) -> bool {
        self.may_check() || self.may_approve()
    }
    fn posting(&self) -> String {
        households::posting_text(self.roll.posted_from, self.roll.posted_to)
    }
    fn week_later(&self) -> String {
        chrono::NaiveDate::parse_from_str(&self.today, "%Y-%m-%d")
            .map(|d| (d + chrono::Days::new(7)).to_string())
            .unwrap_or_default()
    }
}

struct RollView {
    input: HouseholdInput,
    errors: FormErrors,
    step_errors: FormErrors,
    done: Option<&'static str>,
}

async fn roll_view(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    view: RollView,
) -> AppResult<Response> {
    let roll = store::get_roll(state, &ctx.actor, id).await?;
    let programme = store::get_programme(state, &ctx.actor, roll.programme_id).await?;
    let level = access::require_editor(&ctx.actor).ok();
    let page = RollPage {
        households: households::of_roll(state, &ctx.actor, id, false).await?,
        payments: payments::of_roll(state, &ctx.actor, id).await?,
        corrections: households::corrections(state, &ctx.actor, id).await?,
        may_fill: roll.state == RollState::Draft
            && matches!(level, Some(Level::Township | Level::Village))
            && programme.is_open(),
        may_pay: roll.state == RollState::Approved
            && matches!(level, Some(Level::County | Level::Township)),
        level,
        roll,
        programme,
        input: view.input,
        methods: METHODS,
        today: store::today(state).to_string(),
        done: view.done,
        ctx,
        errors: view.errors,
        step_errors: view.step_errors,
    };
    let status = if page.errors.fields.is_empty() && page.errors.message.is_none() {
        status_of(&page.step_errors)
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

async fn roll_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(done): Query<Done>,
) -> AppResult<Response> {
    let view = RollView {
        input: HouseholdInput::default(),
        errors: FormErrors::default(),
        step_errors: FormErrors::default(),
        done: done_text(&done.done),
    };
    roll_view(&state, ctx, id, view).await
}

async fn add_household(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<HouseholdInput>,
) -> AppResult<Response> {
    match households::add(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/disaster/relief/rolls/{id}?done=added#households"
        ))
        .into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let view = RollView {
                input,
                errors,
                step_errors: FormErrors::default(),
                done: None,
            };
            roll_view(&state, ctx, id, view).await
        }
    }
}

async fn move_roll(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<StepInput>,
) -> AppResult<Response> {
    match store::move_roll(&state, &ctx.actor, id, &input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/disaster/relief/rolls/{id}?done=moved")).into_response())
        }
        Err(err) => {
            let step_errors = FormErrors::from_error(err)?;
            let view = RollView {
                input: HouseholdInput::default(),
                errors: FormErrors::default(),
                step_errors,
                done: None,
            };
            roll_view(&state, ctx, id, view).await
        }
    }
}

async fn pay_roll(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<PaymentInput>,
) -> AppResult<Response> {
    match payments::pay_roll(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/disaster/relief/rolls/{id}?done=paid#payments"))
                .into_response(),
        ),
        Err(err) => {
            let step_errors = FormErrors::from_error(err)?;
            let view = RollView {
                input: HouseholdInput::default(),
                errors: FormErrors::default(),
                step_errors,
                done: None,
            };
            roll_view(&state, ctx, id, view).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 公示

#[derive(Template, WebTemplate)]
#[template(path = "relief/public.html")]
struct PublicPage {
    roll: Roll,
    programme: Programme,
    county: String,
    rows: Vec<Vec<String>>,
    headers: [&'static str; 7],
    posting: String,
    total: String,
}

async fn public_rows(
    state: &AppState,
    ctx: &PageCtx,
    id: Uuid,
) -> AppResult<(Roll, Programme, Vec<Vec<String>>)> {
    let roll = store::get_roll(state, &ctx.actor, id).await?;
    let programme = store::get_programme(state, &ctx.actor, roll.programme_id).await?;
    let rows = households::public_rows(&households::of_roll(state, &ctx.actor, id, true).await?);
    Ok((roll, programme, rows))
}

async fn public_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<PublicPage> {
    let (roll, programme, rows) = public_rows(&state, &ctx, id).await?;
    let (county, _) = platform::regions::store::county_names(&state.db, &programme.county).await?;
    Ok(PublicPage {
        posting: households::posting_text(roll.posted_from, roll.posted_to),
        total: roll.amount_yuan(),
        county,
        headers: PUBLIC_HEADERS,
        roll,
        programme,
        rows,
    })
}

async fn public_xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let (roll, programme, rows) = public_rows(&state, &ctx, id).await?;
    let bytes = xlsx::workbook("公示名单", &PUBLIC_HEADERS, &rows)?;
    let name = format!(
        "{}{}救助对象公示名单.xlsx",
        programme.name, roll.village_name
    );
    Ok(xlsx::download(&name, bytes))
}

// ---------------------------------------------------------------------------------------------
// Import

#[derive(Template, WebTemplate)]
#[template(path = "relief/import.html")]
struct ImportPage {
    ctx: PageCtx,
    roll: Roll,
    columns: [&'static str; 7],
    errors: Vec<RowError>,
    message: Option<String>,
}

async fn import_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<ImportPage> {
    access::require_editor(&ctx.actor)?;
    let roll = store::get_roll(&state, &ctx.actor, id).await?;
    Ok(ImportPage {
        ctx,
        roll,
        columns: import::HEADERS,
        errors: Vec::new(),
        message: None,
    })
}

async fn import_template(ctx: PageCtx) -> AppResult<Response> {
    access::require_editor(&ctx.actor)?;
    let bytes = xlsx::workbook("救助名册", &import::HEADERS, &[import::example()])?;
    Ok(xlsx::download("救助名册导入模板.xlsx", bytes))
}

async fn import_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<Response> {
    let roll = store::get_roll(&state, &ctx.actor, id).await?;
    let refused = |ctx, roll, message: String, errors| {
        let page = ImportPage {
            ctx,
            roll,
            columns: import::HEADERS,
            errors,
            message: Some(message),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let upload = match platform::web::import::Upload::read(&form, import::HEADERS.len()) {
        Ok(u) => u,
        Err(err) => {
            let e = FormErrors::from_error(err)?;
            let message = e
                .fields
                .values()
                .next()
                .cloned()
                .or(e.message)
                .unwrap_or_default();
            return refused(ctx, roll, message, Vec::new());
        }
    };
    match import::import(&state, &ctx.actor, id, &upload.rows, upload.valid_only).await {
        Ok(done) if done.imported > 0 => Ok(Redirect::to(&format!(
            "/disaster/relief/rolls/{id}?done=imported&count={}&skipped={}",
            done.imported, done.skipped
        ))
        .into_response()),
        Ok(done) => refused(
            ctx,
            roll,
            "有错误，未导入任何数据；请修改后重新上传，或勾选“只导入无误的行”".into(),
            done.errors,
        ),
        Err(err) => {
            let e = FormErrors::from_error(err)?;
            refused(ctx, roll, e.message.unwrap_or_default(), Vec::new())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One household

#[derive(Template, WebTemplate)]
#[template(path = "relief/household.html")]
struct HouseholdPage {
    ctx: PageCtx,
    household: Household,
    roll: Roll,
    input: HouseholdInput,
    may_edit: bool,
    may_correct: bool,
    may_pay: bool,
    methods: &'static [(&'static str, &'static str)],
    today: String,
    errors: FormErrors,
    pay_errors: FormErrors,
}

fn input_of(h: &Household) -> HouseholdInput {
    HouseholdInput {
        head_name: h.head_name.clone(),
        id_number: h.id_number.clone(),
        size: Some(h.size.to_string()),
        bank_account: h.bank_account.clone(),
        phone: h.phone.clone(),
        reason: h.reason.clone(),
        amount: Some(h.amount_yuan()),
        version: Some(h.version),
        correction_reason: None,
    }
}

async fn household_view(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    input: Option<HouseholdInput>,
    errors: FormErrors,
    pay_errors: FormErrors,
) -> AppResult<Response> {
    let household = households::get_household(state, &ctx.actor, id).await?;
    let roll = store::get_roll(state, &ctx.actor, household.roll_id).await?;
    let level = access::require_editor(&ctx.actor).ok();
    let page = HouseholdPage {
        input: input.unwrap_or_else(|| input_of(&household)),
        may_edit: roll.state == RollState::Draft
            && matches!(level, Some(Level::Township | Level::Village))
            && !household.masked,
        may_correct: roll.state == RollState::Approved
            && matches!(level, Some(Level::County | Level::Township)),
        may_pay: roll.state == RollState::Approved
            && matches!(level, Some(Level::County | Level::Township))
            && household.unpaid_fen() > 0,
        methods: METHODS,
        today: store::today(state).to_string(),
        household,
        roll,
        ctx,
        errors,
        pay_errors,
    };
    let status = if status_of(&page.errors) == StatusCode::OK {
        status_of(&page.pay_errors)
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

async fn household_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    household_view(
        &state,
        ctx,
        id,
        None,
        FormErrors::default(),
        FormErrors::default(),
    )
    .await
}

/// 保存: an edit while the roll is filled in, a correction once it is approved.
async fn save_household(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<HouseholdInput>,
) -> AppResult<Response> {
    let correcting = input.correction_reason.is_some();
    let result = if correcting {
        households::correct(&state, &ctx.actor, id, &input).await
    } else {
        households::update(&state, &ctx.actor, id, &input).await
    };
    match result {
        Ok(h) => {
            let done = if correcting { "corrected" } else { "saved" };
            Ok(Redirect::to(&format!(
                "/disaster/relief/rolls/{}?done={done}#households",
                h.roll_id
            ))
            .into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            household_view(&state, ctx, id, Some(input), errors, FormErrors::default()).await
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
struct VoidForm {
    #[serde(default)]
    reason: String,
}

async fn void_household(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VoidForm>,
) -> AppResult<Response> {
    let h = households::get_household(&state, &ctx.actor, id).await?;
    match households::void(&state, &ctx.actor, id, &form.reason).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/disaster/relief/rolls/{}?done=voided#households",
            h.roll_id
        ))
        .into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            household_view(&state, ctx, id, None, errors, FormErrors::default()).await
        }
    }
}

async fn pay_household(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<PaymentInput>,
) -> AppResult<Response> {
    match payments::pay_household(&state, &ctx.actor, id, &input).await {
        Ok(_) => {
            let h = households::get_household(&state, &ctx.actor, id).await?;
            Ok(Redirect::to(&format!(
                "/disaster/relief/rolls/{}?done=paid#payments",
                h.roll_id
            ))
            .into_response())
        }
        Err(err) => {
            let pay_errors = FormErrors::from_error(err)?;
            household_view(&state, ctx, id, None, FormErrors::default(), pay_errors).await
        }
    }
}
