//! The 防火一张图 page: a Leaflet map filling the screen below the top bar (drawn by
//! `/static/fire-map.js` from the map API), its legend and date picker, and the day's hotspots
//! as a table below, for readers without JS or when the tile server fails.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use platform::error::AppResult;
use platform::web::form::Query;
use platform::web::map::MapSettings;
use platform::web::{AppState, PageCtx};

use super::api::DayQuery;
use super::layers::{self, LEGEND_STAGES, stage_colour};
use crate::areas::model::AreaLevel;
use crate::hotspots::store::Hotspot;

pub fn router() -> Router<AppState> {
    Router::new().route("/fire/map", get(map_page))
}

/// A stage in the legend: its label and colour.
pub struct LegendEntry {
    pub label: &'static str,
    pub colour: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "map/page.html")]
struct MapPage {
    ctx: PageCtx,
    day: String,
    hotspots: Vec<Hotspot>,
    legend: Vec<LegendEntry>,
    /// Some areas are approximate: the legend says 近似范围.
    approximate: bool,
    /// The county outline is in scope: the legend shows its line.
    county: bool,
    /// Some township areas are not approximate: the legend shows their solid line.
    exact: bool,
    /// No area in scope yet: the map can only show hotspots.
    no_areas: bool,
    tiles: MapSettings,
}

impl MapPage {
    fn tiles_url(&self) -> &str {
        self.tiles.tiles_url().unwrap_or_default()
    }

    fn annotation_url(&self) -> &str {
        self.tiles
            .tiles_url()
            .and(self.tiles.annotation.as_deref())
            .unwrap_or_default()
    }

    fn subdomains(&self) -> &str {
        self.tiles.subdomains.as_deref().unwrap_or("abc")
    }

    fn attribution(&self) -> &str {
        self.tiles.attribution.as_deref().unwrap_or_default()
    }

    fn max_zoom(&self) -> u8 {
        self.tiles.max_zoom.unwrap_or(18)
    }
}

async fn map_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(query): Query<DayQuery>,
) -> AppResult<MapPage> {
    crate::access::require_reader(&ctx.actor)?;
    let day = super::day_or_today(&state, query.day.as_deref())?;
    let areas = crate::areas::store::list(&state.db, &ctx.actor).await?;
    let hotspots = layers::day_hotspots(&state, &ctx.actor, day).await?;
    Ok(MapPage {
        day: day.format("%Y-%m-%d").to_string(),
        hotspots,
        legend: LEGEND_STAGES
            .iter()
            .map(|s| LegendEntry {
                label: s.label(),
                colour: stage_colour(*s),
            })
            .collect(),
        approximate: areas.iter().any(|a| a.approximate),
        county: areas.iter().any(|a| a.level == AreaLevel::County),
        exact: areas
            .iter()
            .any(|a| a.level == AreaLevel::Township && !a.approximate),
        no_areas: areas.is_empty(),
        tiles: state.settings.map.clone(),
        ctx,
    })
}
