//! Map tiles (yingji.toml `[map]`): which tile server, if any, draws the base map under the
//! areas' outlines. Without one the maps still draw every outline on a plain background, so a
//! county without internet access or a 天地图 key loses nothing but the background.

use serde::{Deserialize, Serialize};

/// The base-map tiles; all optional. With no `tiles` the maps show outlines only.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MapSettings {
    /// Tile URL template with `{z}`, `{x}`, `{y}` (and `{s}` for a subdomain), e.g. 天地图's
    /// `https://t{s}.tianditu.gov.cn/vec_w/wmts?...&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY`.
    pub tiles: Option<String>,
    /// A second layer drawn over the tiles, e.g. 天地图's place names (`cva_w`).
    pub annotation: Option<String>,
    /// The characters or words `{s}` takes, e.g. `01234567` for 天地图 (default `abc`).
    pub subdomains: Option<String>,
    /// Credit shown in the map's corner, e.g. `天地图 GS(2024)0650号`.
    pub attribution: Option<String>,
    /// Highest zoom the tile server has (default 18).
    pub max_zoom: Option<u8>,
}

impl MapSettings {
    /// Why the settings cannot work, if they cannot: a template without `{z}`/`{x}`/`{y}` or
    /// not an http(s) address would only show broken tiles.
    pub fn problem(&self) -> Option<String> {
        [("tiles", &self.tiles), ("annotation", &self.annotation)]
            .into_iter()
            .filter_map(|(name, url)| Some((name, url.as_deref()?)))
            .find_map(|(name, url)| {
                let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p));
                let http = url.starts_with("https://") || url.starts_with("http://");
                (!placeholders || !http).then(|| {
                    format!("[map] {name} 应为 http(s) 地址并含 {{z}}、{{x}}、{{y}}：{url}")
                })
            })
            .or_else(|| {
                (self.annotation.is_some() && self.tiles.is_none())
                    .then(|| "[map] 设置了 annotation 却没有 tiles".to_string())
            })
    }

    /// The tile URL, when one is configured and usable.
    pub fn tiles_url(&self) -> Option<&str> {
        self.tiles.as_deref().filter(|_| self.problem().is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_templates_need_placeholders_and_http() {
        let ok = MapSettings {
            tiles: Some("https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k".into()),
            ..Default::default()
        };
        assert_eq!(ok.problem(), None);
        assert!(ok.tiles_url().is_some());
        let no_xyz = MapSettings {
            tiles: Some("https://tiles.example.cn/{z}.png".into()),
            ..Default::default()
        };
        assert!(no_xyz.problem().unwrap().contains("tiles"));
        assert_eq!(no_xyz.tiles_url(), None);
        let annotation_only = MapSettings {
            annotation: Some("https://a/{z}/{x}/{y}.png".into()),
            ..Default::default()
        };
        assert!(annotation_only.problem().is_some());
        assert_eq!(MapSettings::default().problem(), None);
    }
}
