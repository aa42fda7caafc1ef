//! The map's layers: each is one function from (reader, day) to GeoJSON features, every one
//! reading through its ledger's scoped store, so a reader sees on the map exactly what the
//! ledgers show them. The API and the page ask every layer in [`all`] in turn.
//!
//! Adding a layer: write one more function returning `Vec<Feature>` (its `kind` in the
//! properties) and list it in [`all`]; the page's script draws unknown kinds as plain markers
//! until it learns to style them.

use std::future::Future;
use std::pin::Pin;

use chrono::NaiveDate;
use platform::access::Actor;
use platform::error::AppResult;
use platform::regions::model::short_name;
use platform::web::AppState;
use serde::Serialize;
use serde_json::{Value, json};

use crate::areas::model::AreaLevel;
use crate::hotspots::model::Stage;
use crate::hotspots::store::{Hotspot, ListFilter};

/// One GeoJSON feature; `properties.kind` tells the layer (`area`, `hotspot`, …).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Feature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A GeoJSON geometry (WGS84 / CGCS2000 longitude, latitude).
    #[schema(value_type = Object)]
    pub geometry: Value,
    #[schema(value_type = Object)]
    pub properties: Value,
}

impl Feature {
    fn new(geometry: Value, properties: Value) -> Self {
        Self {
            kind: "Feature",
            geometry,
            properties,
        }
    }
}

/// A layer: the features a reader may see for a day.
pub type Layer = for<'a> fn(
    &'a AppState,
    &'a Actor,
    NaiveDate,
) -> Pin<Box<dyn Future<Output = AppResult<Vec<Feature>>> + Send + 'a>>;

/// Every layer, bottom first: areas under checkpoints under hotspots.
pub fn all() -> Vec<Layer> {
    vec![
        |state, actor, day| Box::pin(areas(state, actor, day)),
        |state, actor, day| Box::pin(checkpoints(state, actor, day)),
        |state, actor, day| Box::pin(hotspots(state, actor, day)),
    ]
}

/// Every layer's features, in layer order.
pub async fn features(state: &AppState, actor: &Actor, day: NaiveDate) -> AppResult<Vec<Feature>> {
    let mut out = Vec::new();
    for layer in all() {
        out.extend(layer(state, actor, day).await?);
    }
    Ok(out)
}

/// The county outline and township areas in the reader's scope (the day does not matter:
/// areas are the live ones). Township names are short (潼川镇, not 三台县潼川镇).
async fn areas(state: &AppState, actor: &Actor, _day: NaiveDate) -> AppResult<Vec<Feature>> {
    let mut shapes = crate::areas::store::shapes(&state.db, actor).await?;
    // The county outline first, so it is drawn under the townships.
    shapes.sort_by_key(|(a, _)| a.level != AreaLevel::County);
    Ok(shapes
        .into_iter()
        .map(|(area, shape)| {
            let geometry =
                serde_json::to_value(geojson::Geometry::from(&shape)).unwrap_or(Value::Null);
            Feature::new(
                geometry,
                json!({
                    "kind": "area",
                    "level": area.level.code(),
                    "code": area.region_code,
                    "name": short_name(&area.region_name),
                    "approximate": area.approximate,
                }),
            )
        })
        .collect())
}

/// The live patrol checkpoints in the reader's scope (the day does not matter).
async fn checkpoints(state: &AppState, actor: &Actor, _day: NaiveDate) -> AppResult<Vec<Feature>> {
    let filter = crate::patrols::store::CheckpointFilter::default();
    let list = crate::patrols::store::list_checkpoints(state, actor, &filter).await?;
    Ok(list
        .into_iter()
        .map(|c| {
            Feature::new(
                json!({"type": "Point", "coordinates": [c.lon, c.lat]}),
                json!({
                    "kind": "checkpoint",
                    "name": c.name,
                    "kind_label": c.kind_label(),
                    "township": c.township_name,
                    "link": format!("/fire/checkpoints/{}", c.id),
                }),
            )
        })
        .collect())
}

/// The day's hotspots in the reader's scope, withdrawn ones left out.
pub async fn day_hotspots(
    state: &AppState,
    actor: &Actor,
    day: NaiveDate,
) -> AppResult<Vec<Hotspot>> {
    let text = day.format("%Y-%m-%d").to_string();
    let filter = ListFilter {
        from: Some(text.clone()),
        to: Some(text),
        township: None,
    };
    let mut list = crate::hotspots::store::list(state, actor, &filter).await?;
    list.retain(|h| h.stage != Stage::Voided);
    Ok(list)
}

/// The stage's colour on the map, matching its tag's tone on the pages — except that a
/// hotspot in no township (red on the pages, as overdue ones) is purple, to tell them apart.
pub fn stage_colour(stage: Stage) -> &'static str {
    if stage == Stage::Unassigned {
        return "#722ed1";
    }
    match stage.tone() {
        "red" => "#cf1322",
        "orange" => "#fa8c16",
        "green" => "#389e0d",
        "blue" => "#0958d9",
        _ => "#8c8c8c",
    }
}

/// The stages a day's map can show, for the legend.
pub const LEGEND_STAGES: [Stage; 5] = [
    Stage::Unassigned,
    Stage::Waiting,
    Stage::Overdue,
    Stage::Answered,
    Stage::AnsweredLate,
];

fn hotspot_feature(h: &Hotspot) -> Feature {
    Feature::new(
        json!({"type": "Point", "coordinates": [h.longitude, h.latitude]}),
        json!({
            "kind": "hotspot",
            "id": h.id,
            "number": h.number,
            "stage": h.stage,
            "stage_label": h.stage.label(),
            "colour": stage_colour(h.stage),
            "township": h.place_label(),
            "verdict": h.verdict.map(|v| v.label()),
            "detected": h.detected_local(),
            "pixels": h.pixels,
            "link": format!("/fire/hotspots/{}", h.id),
        }),
    )
}

async fn hotspots(state: &AppState, actor: &Actor, day: NaiveDate) -> AppResult<Vec<Feature>> {
    let list = day_hotspots(state, actor, day).await?;
    Ok(list.iter().map(hotspot_feature).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_in_the_legend_has_its_own_colour() {
        let mut colours: Vec<&str> = LEGEND_STAGES.iter().map(|s| stage_colour(*s)).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), LEGEND_STAGES.len());
    }
}
