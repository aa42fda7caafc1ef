//! 乡镇范围: a GeoJSON with the county outline and two townships (one by code, one by name)
//! imported in one go; bad files refused whole with every bad feature named; importing again
//! replaces; points located (on the shared boundary: the lower code; outside the county);
//! the demo county's 26 approximate areas; the page with its drawing, labels and upload errors.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
}

fn feature(props: Value, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": props, "geometry": geometry})
}

fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

async fn import(session: &Session, query: &str, body: &str) -> (StatusCode, Value) {
    let r = session
        .client
        .post(session.url(&format!("/api/v1/fire/areas{query}")))
        .header("x-csrf-token", &session.csrf)
        .header("content-type", "application/geo+json")
        .body(body.to_string())
        .send()
        .await
        .expect("import");
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn locate(session: &Session, lon: f64, lat: f64) -> Value {
    let (status, body) = session
        .get_json(&format!("/api/v1/fire/areas/locate?lon={lon}&lat={lat}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn fire_areas_imported_replaced_and_located() {
    on_each_backend(|app, _| async move {
        let staff = login(&app, "disaster").await;
        let auditor = login(&app, "auditor").await;
        let good = collection(vec![
            feature(json!({"gb": "156510722", "name": "三台县"}), square(105.0, 31.0, 105.3, 31.2)),
            feature(json!({"code": "510722101"}), square(105.0, 31.0, 105.1, 31.2)),
            feature(json!({"name": "塔山镇"}), square(105.1, 31.0, 105.2, 31.2)),
        ]);
        let (status, body) = import(&staff, "?source=县自然资源局界线", &good).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["imported"], 3);
        assert_eq!(body["replaced"], 0);
        let (_, list) = staff.get_json("/api/v1/fire/areas").await;
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0]["region_code"], "510722000000");
        assert_eq!(list[0]["level"], "county");
        assert_eq!(list[2]["region_code"], "510722104000");
        assert_eq!(list[2]["region_name"], "塔山镇");
        assert_eq!(list[2]["approximate"], false);
        assert_eq!(list[2]["source"], "县自然资源局界线");
        assert_eq!(audit_total(&auditor, "action=fire.area.import").await, 3);

        // Inside, on the shared boundary (the lower code), in the county only, outside.
        let at = locate(&staff, 105.15, 31.1).await;
        assert_eq!(at["result"], "township");
        assert_eq!(at["region_code"], "510722104000");
        assert_eq!(at["region_name"], "塔山镇");
        let at = locate(&staff, 105.1, 31.1).await;
        assert_eq!(at["region_code"], "510722101000", "{at}");
        assert_eq!(locate(&staff, 105.25, 31.1).await["result"], "county_only");
        assert_eq!(locate(&staff, 104.0, 30.5).await["result"], "outside");
        let (status, _) = staff.get_json("/api/v1/fire/areas/locate?lon=105.1").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // Bad files go in not at all; every bad feature is named.
        let bad = collection(vec![
            feature(json!({"code": "510722101"}), square(105.0, 31.0, 105.2, 31.2)),
            feature(json!({"code": "510722106"}), Value::Null),
            feature(json!({"code": "510722107"}), json!({"type": "LineString", "coordinates": [[105.0, 31.0], [105.1, 31.1]]})),
            feature(json!({"code": "510722999"}), square(105.0, 31.0, 105.1, 31.1)),
            feature(json!({"code": "510700000000"}), square(105.0, 31.0, 105.1, 31.1)),
            feature(json!({"name": "不存在镇"}), square(105.0, 31.0, 105.1, 31.1)),
            feature(json!({"code": "510722108"}), json!({"type": "Polygon", "coordinates": [[[105.0, 31.0], [205.0, 31.0], [105.1, 31.1], [105.0, 31.0]]]})),
        ]);
        let (status, body) = import(&staff, "", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let fields = &body["error"]["fields"];
        assert!(fields.get("feature_0001").is_none(), "{body}");
        assert!(fields["feature_0002"].as_str().unwrap().contains("没有几何图形"), "{body}");
        assert!(fields["feature_0003"].as_str().unwrap().contains("不是面"), "{body}");
        assert!(fields["feature_0004"].as_str().unwrap().contains("未知区划"), "{body}");
        assert!(fields["feature_0005"].as_str().unwrap().contains("不在您的管辖范围内"), "{body}");
        assert!(fields["feature_0006"].as_str().unwrap().contains("不存在镇"), "{body}");
        assert!(fields["feature_0007"].as_str().unwrap().contains("坐标无效"), "{body}");
        let (status, body) = import(&staff, "", "{\"type\": \"Feature\"}").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["file"].as_str().unwrap().contains("FeatureCollection"), "{body}");
        let (_, list) = staff.get_json("/api/v1/fire/areas").await;
        assert_eq!(list.as_array().unwrap().len(), 3, "nothing of the bad file went in");

        // A township's staff read but do not import.
        let township = login(&app, "tongchuan").await;
        let (status, _) = import(&township, "", &good).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Importing again replaces: 潼川镇 now covers both, so the old boundary point is its.
        let again = collection(vec![feature(json!({"code": "510722101000"}), square(105.0, 31.0, 105.2, 31.2))]);
        let (status, body) = import(&staff, "?approximate=true", &again).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["replaced"], 1);
        let (_, list) = staff.get_json("/api/v1/fire/areas").await;
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 3);
        assert_eq!(list[1]["approximate"], true);
        let at = locate(&staff, 105.15, 31.1).await;
        assert_eq!(at["region_code"], "510722101000", "the cached index was rebuilt: {at}");
        assert_eq!(at["approximate"], true);
    })
    .await;
}

#[tokio::test]
async fn fire_areas_demo_county_and_page() {
    on_each_backend(|app, _| async move {
        let staff = login(&app, "disaster").await;
        let (status, page) = staff.text("/fire/areas").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("生成三台县近似乡镇范围（演示）"), "{page}");
        assert!(page.contains("暂无乡镇范围"));

        let township = login(&app, "tongchuan").await;
        let (status, _) = township
            .post_json("/api/v1/fire/areas/demo", &json!({}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (status, body) = staff.post_json("/api/v1/fire/areas/demo", &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["townships"], 26);
        assert_eq!(body["missing"].as_array().unwrap().len(), 7, "{body}");
        let (_, list) = staff.get_json("/api/v1/fire/areas").await;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 27);
        assert_eq!(list.iter().filter(|a| a["approximate"] == true).count(), 26);
        // 潼川镇's box centre is in 潼川镇; far away is outside.
        let at = locate(&staff, 105.0895, 31.0843).await;
        assert_eq!(at["region_code"], "510722101000", "{at}");
        assert_eq!(at["approximate"], true);
        assert_eq!(locate(&staff, 104.06, 30.66).await["result"], "outside");
        // Generating again replaces, it does not pile up.
        let (status, body) = staff.post_json("/api/v1/fire/areas/demo", &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["replaced"], 27);

        let (status, page) = staff.text("/fire/areas").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("近似范围"));
        assert!(page.contains("<svg class=\"area-map\""));
        assert!(page.contains("潼川镇"));
        assert!(page.contains("尚无范围的乡镇（7 个）"), "{page}");

        // The page's upload names each bad feature.
        let bad = collection(vec![feature(json!({"code": "510722999"}), Value::Null)]);
        let form = reqwest::multipart::Form::new().text("source", "测试").part(
            "file",
            reqwest::multipart::Part::text(bad).file_name("bad.geojson"),
        );
        let r = staff
            .client
            .post(staff.url(&format!("/fire/areas/import?_csrf={}", staff.csrf)))
            .multipart(form)
            .send()
            .await
            .expect("upload");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("第 1 个要素：没有几何图形；未知区划：510722999000"),
            "{html}"
        );

        let (status, page) = township.text("/fire/areas").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("生成三台县近似乡镇范围"));
        assert!(!page.contains("导入乡镇范围</h2>"));
    })
    .await;
}
