//! 防火一张图: the map API gives the county outline and township areas (approximate ones
//! flagged) and the day's hotspots with their stages as one FeatureCollection; a township's
//! staff see only their township; another day shows that day's hotspots; a bad day is refused.
//! The page draws the legend (近似范围), says no tiles are configured, and lists the hotspots.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
}

fn feature(code: &str, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": {"code": code}, "geometry": geometry})
}

async fn import(s: &Session, query: &str, features: Vec<Value>) {
    let body = json!({"type": "FeatureCollection", "features": features});
    let r = s
        .client
        .post(s.url(&format!("/api/v1/fire/areas{query}")))
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "application/geo+json")
        .body(body.to_string())
        .send()
        .await
        .expect("import");
    assert_eq!(r.status(), StatusCode::CREATED);
}

const HEADER: &str = "latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight";

/// A MODIS pixel at (lon, lat) on 2026-06-01 00:30 UTC (08:30 in China: the test clock's day).
fn row(lon: f64, lat: f64) -> String {
    format!("{lat},{lon},326.4,1.1,1.0,2026-06-01,0030,T,MODIS,74,6.1NRT,294.3,23.9,D")
}

async fn receive(s: &Session, rows: &[String]) {
    let r = s
        .client
        .post(s.url("/api/v1/fire/hotspots/firms?file_name=MODIS_24h.csv"))
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "text/csv")
        .body(format!("{HEADER}\n{}\n", rows.join("\n")))
        .send()
        .await
        .expect("firms");
    assert_eq!(r.status(), StatusCode::CREATED);
}

fn of_kind<'a>(map: &'a Value, kind: &str) -> Vec<&'a Value> {
    map["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["kind"] == kind)
        .collect()
}

#[tokio::test]
async fn the_fire_map_shows_areas_and_the_days_hotspots_in_scope() {
    on_each_backend(|app, _| async move {
        let staff = login(&app, "disaster").await;
        // The county and 潼川镇 from the boundaries; 塔山镇 only approximately.
        import(
            &staff,
            "",
            vec![
                feature("510722", square(105.0, 31.0, 105.3, 31.2)),
                feature("510722101", square(105.0, 31.0, 105.1, 31.2)),
            ],
        )
        .await;
        import(
            &staff,
            "?approximate=true",
            vec![feature("510722104", square(105.1, 31.0, 105.2, 31.2))],
        )
        .await;
        // One hotspot in each township, one in the county in no township area.
        receive(
            &staff,
            &[row(105.05, 31.10), row(105.15, 31.15), row(105.25, 31.10)],
        )
        .await;
        // A patrol checkpoint in 潼川镇.
        let (status, c) = staff
            .post_json(
                "/api/v1/fire/checkpoints",
                &json!({"township": TONGCHUAN, "name": "云台山督导点", "kind": "supervision", "lon": "105.06", "lat": "31.12"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");

        let (status, map) = staff.get_json("/api/v1/fire/map").await;
        assert_eq!(status, StatusCode::OK, "{map}");
        assert_eq!(map["type"], "FeatureCollection");
        assert_eq!(map["day"], "2026-06-01");
        let areas = of_kind(&map, "area");
        let summary: Vec<(String, String, bool)> = areas
            .iter()
            .map(|a| {
                let p = &a["properties"];
                (
                    p["code"].as_str().unwrap().to_string(),
                    p["level"].as_str().unwrap().to_string(),
                    p["approximate"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("510722000000".into(), "county".into(), false),
                (TONGCHUAN.into(), "township".into(), false),
                (TASHAN.into(), "township".into(), true),
            ]
        );
        assert_eq!(areas[1]["properties"]["name"], "潼川镇");
        assert_eq!(areas[0]["geometry"]["type"], "MultiPolygon");
        // Areas come before hotspots, so hotspots are drawn on top.
        assert_eq!(map["features"][0]["properties"]["kind"], "area");

        let checkpoints = of_kind(&map, "checkpoint");
        assert_eq!(checkpoints.len(), 1, "{map}");
        assert_eq!(checkpoints[0]["properties"]["name"], "云台山督导点");
        assert_eq!(checkpoints[0]["geometry"]["coordinates"], json!([105.06, 31.12]));

        let hotspots = of_kind(&map, "hotspot");
        assert_eq!(hotspots.len(), 3, "{map}");
        let by_place = |place: &str| {
            hotspots
                .iter()
                .map(|h| &h["properties"])
                .find(|p| p["township"] == place)
                .unwrap_or_else(|| panic!("no hotspot in {place}: {map}"))
        };
        let tongchuan = by_place("潼川镇");
        assert_eq!(tongchuan["stage"], "waiting");
        assert_eq!(tongchuan["stage_label"], "待核查");
        assert_eq!(tongchuan["colour"], "#fa8c16");
        assert_eq!(tongchuan["verdict"], Value::Null);
        assert!(
            tongchuan["link"]
                .as_str()
                .unwrap()
                .starts_with("/fire/hotspots/")
        );
        let unassigned = by_place("县内（未匹配乡镇）");
        assert_eq!(unassigned["stage"], "unassigned");
        assert_eq!(unassigned["stage_label"], "待指派乡镇");
        let point = &hotspots[0]["geometry"];
        assert_eq!(point["type"], "Point");
        assert_eq!(point["coordinates"].as_array().unwrap().len(), 2);

        // The hotspot's link opens its page.
        let (status, _) = staff.text(tongchuan["link"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK);

        // 潼川镇's staff: their township's area and hotspot only.
        let town = login(&app, "tongchuan").await;
        let (status, theirs) = town.get_json("/api/v1/fire/map").await;
        assert_eq!(status, StatusCode::OK, "{theirs}");
        let codes: Vec<&Value> = of_kind(&theirs, "area")
            .iter()
            .map(|a| &a["properties"]["code"])
            .collect();
        assert_eq!(codes, vec![TONGCHUAN]);
        let places: Vec<&Value> = of_kind(&theirs, "hotspot")
            .iter()
            .map(|h| &h["properties"]["township"])
            .collect();
        assert_eq!(places, vec!["潼川镇"]);

        // Another day: the areas, no hotspots. A day that is no date: refused by field.
        let (status, before) = staff.get_json("/api/v1/fire/map?day=2026-05-31").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(before["day"], "2026-05-31");
        assert_eq!(of_kind(&before, "area").len(), 3);
        assert!(of_kind(&before, "hotspot").is_empty());
        for bad in ["2026-13-01", "yesterday", "2026-06-01T00:00"] {
            let (status, body) = staff.get_json(&format!("/api/v1/fire/map?day={bad}")).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
            assert!(body["error"]["fields"]["day"].is_string(), "{body}");
        }
        // Without the fire area's permission: refused.
        let auditor = login(&app, "auditor").await;
        let (status, _) = auditor.get_json("/api/v1/fire/map").await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The page: legend with 近似范围, no tiles configured, the day's hotspots listed.
        let (status, page) = staff.text("/fire/map").await;
        assert_eq!(status, StatusCode::OK);
        for needle in [
            "防火一张图",
            "近似范围",
            "未配置底图，仅显示乡镇范围",
            "/static/vendor/leaflet-1.9.4/leaflet.js",
            "data-src=\"/api/v1/fire/map?day=2026-06-01\"",
            "待指派乡镇",
            "共 3 个",
        ] {
            assert!(page.contains(needle), "page lacks {needle}");
        }
        let (status, page) = town.text("/fire/map?day=2026-05-31").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("当日没有卫星热点"));
        assert!(
            !page.contains("近似范围"),
            "潼川镇's own area is not approximate"
        );
    })
    .await;
}

/// With `[map]` tiles configured the page hands them to the map script and drops the
/// outlines-only note; a page asked for a day that is no date says so.
#[tokio::test]
async fn the_fire_map_page_uses_configured_tiles() {
    let tiles =
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY";
    let settings = platform::web::Settings {
        map: platform::web::map::MapSettings {
            tiles: Some(tiles.to_string()),
            subdomains: Some("01234567".to_string()),
            attribution: Some("天地图".to_string()),
            ..Default::default()
        },
        ..Default::default()
    };
    let app = yingji::testing::TestApp::spawn_with(&yingji::testing::Backend::Sqlite, settings)
        .await
        .expect("app");
    let staff = login(&app, "disaster").await;
    let (status, page) = staff.text("/fire/map").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("data-tiles=\"https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&#38;TILEROW={y}&#38;TILECOL={x}&#38;tk=KEY\""),
        "{page}"
    );
    assert!(page.contains("data-subdomains=\"01234567\""));
    assert!(!page.contains("未配置底图"));
    assert!(page.contains("尚未导入乡镇范围"));
    let (status, page) = staff.text("/fire/map?day=2026-02-30").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("日期格式应为"), "{page}");
}
