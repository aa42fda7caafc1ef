//! 乡镇范围 pages: the list with an outline drawing per county (SVG, no tiles needed; approximate
//! areas labelled 近似范围), the townships still without an area, the GeoJSON upload (every bad
//! feature named), and for the demo county the button that generates approximate areas.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use geo::{BoundingRect, InteriorPoint, MultiPolygon};
use platform::attachments::UPLOAD_BODY_LIMIT;
use platform::error::{AppError, AppResult};
use platform::regions::model::{county_of, short_name};
use platform::web::{AppState, PageCtx};
use serde::Deserialize;

use super::demo::{self, DEMO_COUNTY};
use super::model::AreaLevel;
use super::store::{self, Area, ImportOptions};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fire/areas", get(list_page))
        .route(
            "/fire/areas/import",
            post(import).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/fire/areas/demo", post(generate_demo))
}

/// One shape of a drawing: an SVG path, its style and a label.
pub struct Shape {
    pub d: String,
    pub class: &'static str,
    pub label: String,
    pub lx: f64,
    pub ly: f64,
}

/// A county's drawing.
pub struct Drawing {
    pub title: String,
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
    pub approximate: bool,
}

const DRAW_WIDTH: f64 = 640.0;

/// Draw a county's areas in an equirectangular projection scaled by cos(latitude).
fn draw(title: String, areas: &[&(Area, MultiPolygon<f64>)]) -> Option<Drawing> {
    let mut all = MultiPolygon::new(Vec::new());
    for (_, shape) in areas {
        all.0.extend(shape.0.iter().cloned());
    }
    let r = all.bounding_rect()?;
    let k = ((r.min().y + r.max().y) / 2.0).to_radians().cos();
    let (w, h) = ((r.width() * k).max(1e-9), r.height().max(1e-9));
    let scale = DRAW_WIDTH / w;
    let height = (h * scale).ceil();
    let at = |x: f64, y: f64| ((x - r.min().x) * k * scale, (r.max().y - y) * scale);
    let mut shapes = Vec::new();
    // The county outline first, under the townships.
    let mut ordered: Vec<&&(Area, MultiPolygon<f64>)> = areas.iter().collect();
    ordered.sort_by_key(|(a, _)| a.level != AreaLevel::County);
    for (area, shape) in ordered {
        let mut d = String::new();
        for polygon in &shape.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for (i, c) in ring.0.iter().enumerate() {
                    let (x, y) = at(c.x, c.y);
                    d.push_str(&format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" }));
                }
                d.push('Z');
            }
        }
        let (lx, ly, label) = match (area.level, shape.interior_point()) {
            (AreaLevel::Township, Some(p)) => {
                let (x, y) = at(p.x(), p.y());
                (x, y, short_name(&area.region_name))
            }
            _ => (0.0, 0.0, String::new()),
        };
        shapes.push(Shape {
            d,
            class: match (area.level, area.approximate) {
                (AreaLevel::County, _) => "county",
                (AreaLevel::Township, true) => "township approximate",
                (AreaLevel::Township, false) => "township",
            },
            label,
            lx,
            ly,
        });
    }
    Some(Drawing {
        title,
        width: DRAW_WIDTH,
        height,
        shapes,
        approximate: areas.iter().any(|(a, _)| a.approximate),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "areas/list.html")]
struct ListPage {
    ctx: PageCtx,
    items: Vec<Area>,
    drawings: Vec<Drawing>,
    missing: Vec<(String, String)>,
    may_write: bool,
    demo_county: bool,
    errors: Vec<String>,
    source: String,
    approximate: bool,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Notice {
    done: Option<String>,
    count: Option<usize>,
    missing: Option<usize>,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    errors: Vec<String>,
    options: ImportOptions,
    notice: Option<String>,
) -> AppResult<Response> {
    let shapes = store::shapes(&state.db, &ctx.actor).await?;
    let items: Vec<Area> = shapes.iter().map(|(a, _)| a.clone()).collect();
    let mut counties: Vec<String> = shapes
        .iter()
        .map(|(a, _)| county_of(&a.region_code))
        .collect();
    counties.dedup();
    let mut drawings = Vec::new();
    for county in counties {
        let of_county: Vec<&(Area, MultiPolygon<f64>)> = shapes
            .iter()
            .filter(|(a, _)| county_of(&a.region_code) == county)
            .collect();
        let name = platform::regions::store::county_names(&state.db, &county)
            .await?
            .0;
        if let Some(d) = draw(name, &of_county) {
            drawings.push(d);
        }
    }
    let actor_county = county_of(&ctx.actor.region_code);
    let missing = if ctx.actor.scope().prefix().len() == 6 {
        store::without_area(&state.db, &actor_county).await?
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let may_write = store::is_writer(&ctx.actor);
    let page = ListPage {
        demo_county: may_write
            && ctx.actor.scope().prefix().len() == 6
            && actor_county == DEMO_COUNTY,
        may_write,
        ctx,
        items,
        drawings,
        missing,
        errors,
        source: options.source.unwrap_or_default(),
        approximate: options.approximate.unwrap_or(false),
        notice,
    };
    Ok((status, page).into_response())
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::extract::Query(n): axum::extract::Query<Notice>,
) -> AppResult<Response> {
    let notice = match n.done.as_deref() {
        Some("imported") => Some(format!("导入完成：{} 个范围", n.count.unwrap_or(0))),
        Some("demo") => Some(format!(
            "已生成 {} 个乡镇的近似范围；{} 个乡镇没有可信的范围框，未生成",
            n.count.unwrap_or(0),
            n.missing.unwrap_or(0)
        )),
        _ => None,
    };
    render(&state, ctx, Vec::new(), ImportOptions::default(), notice).await
}

async fn import(
    State(state): State<AppState>,
    ctx: PageCtx,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let malformed = |_| AppError::bad_request("malformed_form", "上传内容格式不正确或过大");
    let mut text = None;
    let mut fields: Vec<(String, String)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let bytes = field.bytes().await.map_err(malformed)?;
        if name == "file" && is_file {
            if !bytes.is_empty() {
                text = Some(String::from_utf8_lossy(&bytes).into_owned());
            }
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let options = ImportOptions {
        source: field("source"),
        approximate: Some(field("approximate").is_some_and(|v| v == "on" || v == "true")),
    };
    let Some(text) = text else {
        return render(
            &state,
            ctx,
            vec!["请选择 GeoJSON 文件".into()],
            options,
            None,
        )
        .await;
    };
    match store::import(&state, &ctx.actor, &text, &options).await {
        Ok(outcome) => Ok(Redirect::to(&format!(
            "/fire/areas?done=imported&count={}",
            outcome.imported
        ))
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let list = errors.into_values().collect();
            render(&state, ctx, list, options, None).await
        }
        Err(err) => Err(err),
    }
}

async fn generate_demo(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let outcome = demo::generate(&state, &ctx.actor).await?;
    Ok(Redirect::to(&format!(
        "/fire/areas?done=demo&count={}&missing={}",
        outcome.townships,
        outcome.missing.len()
    ))
    .into_response())
}
