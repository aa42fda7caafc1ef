//! 巡查点位与分片包干: checkpoints refused with clear errors (bad numbers, swapped or outside
//! China, another township), QR codes that are a real PNG and SVG, scans recorded with the
//! distance, a second scan within ten minutes not recorded again, forged, voided and other
//! counties' codes refused with nothing written, the scan page behind the login, tours with the
//! scan rate per person and per township, and the XLSX exports.

use chrono::Duration;
use fire::patrols::entity::checkpoint;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use yingji::testing::TestApp;

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";
const API: &str = "/api/v1/fire/checkpoints";

fn point(township: &str, name: &str, lon: &str, lat: &str) -> Value {
    json!({"township": township, "name": name, "kind": "supervision", "lon": lon, "lat": lat})
}

async fn create(session: &Session, body: &Value) -> Value {
    let (status, c) = session.post_json(API, body).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c
}

fn token_of(c: &Value) -> String {
    c["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

async fn scan(session: &Session, token: &str, position: Value) -> (StatusCode, Value) {
    let mut body = position;
    body["token"] = json!(token);
    session.post_json("/api/v1/fire/checkins", &body).await
}

async fn checkins(app: &TestApp) -> u64 {
    fire::patrols::entity::checkin::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

fn refused(status: StatusCode, body: &Value, expected: StatusCode, message: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"]["message"], message, "{body}");
}

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
    let range = book.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

async fn bytes(session: &Session, path: &str) -> (StatusCode, String, Vec<u8>) {
    let r = session.get(path).await;
    let status = r.status();
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

/// The SVG is well-formed XML with an `svg` root.
fn assert_svg(text: &str) {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut root = None;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            quick_xml::events::Event::Start(e) if root.is_none() => {
                root = Some(String::from_utf8_lossy(e.name().as_ref()).to_string());
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(root.as_deref(), Some("svg"), "{text}");
}

async fn checkpoints_and_qr_codes(app: &TestApp) -> (Value, Value, Value) {
    let county = login(app, "disaster").await;
    let town = login(app, "tongchuan").await;

    // Bad input: each field named, nothing written.
    let (status, e) = county
        .post_json(
            API,
            &json!({"township": "510723101000", "name": "", "kind": "哨卡", "lon": "东经105", "lat": "200"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    for field in ["township", "name", "kind", "lon", "lat"] {
        assert!(e["error"]["fields"][field].is_string(), "{field}: {e}");
    }
    let (status, e) = county
        .post_json(API, &point(TONGCHUAN, "经纬度填反", "31.10", "105.08"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["fields"]["lon"]
            .as_str()
            .unwrap()
            .contains("经度")
    );
    // A township's staff keep their own township's checkpoints only.
    let (status, e) = town
        .post_json(API, &point(TASHAN, "别镇的点", "105.20", "31.22"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["township"].is_string(), "{e}");
    let (_, list) = county.get_json(API).await;
    assert_eq!(list.as_array().unwrap().len(), 0, "{list}");

    let a = create(
        &county,
        &point(TONGCHUAN, "琴泉寺林区入口", "105.0880", "31.1050"),
    )
    .await;
    assert_eq!(a["township_name"], "潼川镇");
    assert!(a.get("warning").is_none(), "no areas, no warning: {a}");
    let b = create(
        &town,
        &point(TONGCHUAN, "东山管护站", "105.1120", "31.0920"),
    )
    .await;
    let c = create(&county, &point(TASHAN, "塔山瞭望台", "105.2010", "31.2230")).await;
    assert_ne!(token_of(&a), token_of(&b));
    assert_eq!(token_of(&a).len(), 32);
    assert!(
        a["link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/fire/scan/{}", token_of(&a)))
    );

    // Scoped: the township sees its own, another township's answers 404.
    let (_, mine) = town.get_json(API).await;
    assert_eq!(mine.as_array().unwrap().len(), 2, "{mine}");
    let (status, _) = town
        .get_json(&format!("{API}/{}", c["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // An edit keeps the QR code; a stale one is refused.
    let id = a["id"].as_str().unwrap();
    let mut edit = point(TONGCHUAN, "琴泉寺林区入口卡点", "105.0881", "31.1051");
    edit["version"] = json!(1);
    let (status, edited) = county
        .send_json(reqwest::Method::PUT, &format!("{API}/{id}"), &edit)
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["link"], a["link"]);
    let (status, stale) = county
        .send_json(reqwest::Method::PUT, &format!("{API}/{id}"), &edit)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");

    // The QR codes: a PNG that decodes, an SVG that parses, a sheet per township.
    let (status, kind, png) = bytes(&county, &format!("/fire/checkpoints/{id}/qr.png")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "image/png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .expect("PNG decodes");
    let (w, h) = (reader.info().width, reader.info().height);
    assert_eq!(w, h);
    // 8 pixels a module, a version-3 code or larger (29 modules) with its quiet zone.
    assert!(w >= (29 + 8) * 8 && w % 8 == 0, "{w}");
    let (status, kind, svg) = bytes(&county, &format!("/fire/checkpoints/{id}/qr.svg")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "image/svg+xml");
    assert_svg(&String::from_utf8(svg).unwrap());
    let (status, _, _) = bytes(
        &town,
        &format!("/fire/checkpoints/{}/qr.png", c["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = county
        .text(&format!("/fire/checkpoints/sheet?township={TONGCHUAN}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("潼川镇巡查点位二维码") && page.contains("东山管护站"));
    assert!(!page.contains("塔山瞭望台"));
    assert_eq!(page.matches("class=\"qr-card\"").count(), 2);
    (edited, b, c)
}

async fn story(app: TestApp) {
    let (a, b, c) = checkpoints_and_qr_codes(&app).await;
    let county = login(&app, "disaster").await;
    let town = login(&app, "tongchuan").await;
    let leader = login(&app, "leader").await;
    let auditor = login(&app, "auditor").await;
    let (ta, tb, tc) = (token_of(&a), token_of(&b), token_of(&c));

    // A scan with the phone's position: recorded with the distance (about 111 m north).
    let (status, s) = scan(
        &town,
        &ta,
        json!({"lon": 105.0881, "lat": 31.1061, "accuracy": 12.5}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    assert_eq!(s["recorded"], true);
    assert_eq!(s["message"], "签到成功（09:00）");
    assert_eq!(s["checkin"]["distance_m"], 111.0);
    assert_eq!(s["checkin"]["user_name"], "潼川镇应急办");
    // Again within ten minutes: the same visit, no second row.
    app.clock.advance(Duration::minutes(5));
    let (status, again) = scan(&town, &ta, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["recorded"], false);
    assert_eq!(again["message"], "已签到（09:00）");
    assert_eq!(checkins(&app).await, 1);
    // Past ten minutes it is a new visit; without a position it still counts.
    app.clock.advance(Duration::minutes(6));
    let (status, later) = scan(&town, &ta, json!({"lon": "", "lat": ""})).await;
    assert_eq!(status, StatusCode::CREATED, "{later}");
    assert!(later["checkin"]["distance_m"].is_null(), "{later}");
    // Another township's checkpoint of the same county may be scanned.
    let (status, s) = scan(&leader, &tc, json!({"lon": 105.2010, "lat": 31.2230})).await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    assert_eq!(s["checkin"]["distance_m"], 0.0);

    // Forged, voided and other counties' codes: refused, nothing written.
    let before = checkins(&app).await;
    let (status, e) = scan(&town, &"0".repeat(32), json!({})).await;
    refused(status, &e, StatusCode::BAD_REQUEST, "二维码无效");
    let (status, e) = scan(&town, "../../etc/passwd", json!({})).await;
    refused(status, &e, StatusCode::BAD_REQUEST, "二维码无效");
    let (status, e) = scan(
        &town,
        &ta.to_uppercase().replace(|c: char| c.is_ascii_digit(), "f"),
        json!({}),
    )
    .await;
    refused(status, &e, StatusCode::BAD_REQUEST, "二维码无效");
    let (status, e) = county
        .post_json(
            &format!("{API}/{}/void", b["id"].as_str().unwrap()),
            &json!({"reason": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (status, voided) = county
        .post_json(
            &format!("{API}/{}/void", b["id"].as_str().unwrap()),
            &json!({"reason": "林区道路改线"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    assert_eq!(voided["voided"], true);
    let (status, e) = scan(&town, &tb, json!({})).await;
    refused(status, &e, StatusCode::CONFLICT, "该检查点已停用");
    let foreign = "abcdef0123456789abcdef0123456789";
    let now = app.state.now();
    checkpoint::ActiveModel {
        name: Set("邻县检查点".into()),
        kind: Set("patrol".into()),
        lon: Set(105.4),
        lat: Set(31.3),
        note: Set(None),
        token: Set(foreign.into()),
        ..platform::db::new_record(uuid::Uuid::now_v7(), "510723101000", None, now)
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let (status, e) = scan(&town, foreign, json!({})).await;
    refused(status, &e, StatusCode::BAD_REQUEST, "该二维码不属于本县");
    assert_eq!(checkins(&app).await, before);

    // The phone page: behind the login, then the check-in and its confirmation.
    let anonymous = browser();
    let r = anonymous
        .get(app.url(&format!("/fire/scan/{ta}")))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection());
    let to = r.headers()["location"].to_str().unwrap();
    assert!(to.starts_with("/login?next=") && to.contains(&ta), "{to}");
    let (status, page) = leader.text(&format!("/fire/scan/{ta}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("琴泉寺林区入口卡点") && page.contains("id=\"check-in\""));
    let r = leader
        .post_form(
            &format!("/fire/scan/{ta}"),
            &[("lon", "105.0881"), ("lat", "31.1051"), ("accuracy", "8")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("签到成功"), "{page}");
    let r = leader.post_form(&format!("/fire/scan/{ta}"), &[]).await;
    assert!(r.text().await.unwrap().contains("已签到（09:11）"));
    for (token, message) in [
        (tb.as_str(), "该检查点已停用"),
        (foreign, "该二维码不属于本县"),
        ("forged", "二维码无效"),
    ] {
        let (status, page) = leader.text(&format!("/fire/scan/{token}")).await;
        assert!(status.is_client_error(), "{token}: {status}");
        assert!(page.contains(message), "{token}");
    }

    // Tours: the leader's in 潼川镇 done (one scan asked, one made); 潼川镇's own staff asked for
    // three (two made); the leader's in 塔山镇 asks for a chosen checkpoint he did not scan.
    let tour = |township: &str, user: &str, required: &str| {
        json!({"township": township, "user": user, "date_from": "2026-06-01",
            "date_to": "2026-06-10", "required": required})
    };
    let (status, e) = county
        .post_json(
            "/api/v1/fire/tours",
            &json!({"township": TONGCHUAN, "user": "nobody", "date_from": "2026-06-10",
                "date_to": "2026-06-01", "required": "0"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    for field in ["user", "date_to", "required"] {
        assert!(e["error"]["fields"][field].is_string(), "{field}: {e}");
    }
    let (status, e) = county
        .post_json(
            "/api/v1/fire/tours",
            &json!({"township": TASHAN, "user": "leader",
            "date_from": "2026-06-01", "date_to": "2026-06-10", "checkpoints": [a["id"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["checkpoints"].is_string(), "{e}");
    for body in [
        tour(TONGCHUAN, "leader", "1"),
        tour(TONGCHUAN, "tongchuan", "3"),
    ] {
        let (status, t) = county.post_json("/api/v1/fire/tours", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{t}");
    }
    let mut chosen = tour(TASHAN, "leader", "1");
    let d = create(&county, &point(TASHAN, "双河口卡点", "105.2150", "31.2100")).await;
    chosen["checkpoints"] = json!([d["id"]]);
    let (status, t) = county.post_json("/api/v1/fire/tours", &chosen).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(t["scans"], 0);
    assert_eq!(t["done"], false);

    let (status, list) = county
        .get_json("/api/v1/fire/tours?from=2026-06-01&to=2026-06-30")
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["tours"].as_array().unwrap().len(), 3);
    let rates = &list["rates"];
    assert_eq!(rates["overall"]["tours"], 3);
    assert_eq!(rates["overall"]["done"], 1);
    assert_eq!(rates["overall"]["rate"], 33.3);
    let rate_of = |rows: &Value, name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| r["rate"].clone())
            .unwrap_or_else(|| panic!("{name} in {rows}"))
    };
    assert_eq!(rate_of(&rates["by_person"], "陈局长"), 50.0);
    assert_eq!(rate_of(&rates["by_person"], "潼川镇应急办"), 0.0);
    assert_eq!(rate_of(&rates["by_township"], "潼川镇"), 50.0);
    assert_eq!(rate_of(&rates["by_township"], "塔山镇"), 0.0);
    // The township sees its own tours only.
    let (_, own) = town
        .get_json("/api/v1/fire/tours?from=2026-06-01&to=2026-06-30")
        .await;
    assert_eq!(own["tours"].as_array().unwrap().len(), 2, "{own}");
    // A tour outside the period is not counted.
    let (_, july) = county
        .get_json("/api/v1/fire/tours?from=2026-07-01&to=2026-07-31")
        .await;
    assert!(july["rates"]["overall"]["rate"].is_null(), "{july}");

    // The exports open.
    let (status, _, xlsx) = bytes(&county, "/fire/tours.xlsx?from=2026-06-01&to=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    let tours = sheet(&xlsx, "包干任务");
    assert_eq!(tours.len(), 4);
    assert!(
        tours
            .iter()
            .any(|r| r.contains(&"陈局长".to_string()) && r.contains(&"已完成".to_string()))
    );
    let by_township = sheet(&xlsx, "按乡镇");
    assert_eq!(by_township[1], vec!["合计", "3", "1", "33.3%"]);
    let (status, _, xlsx) = bytes(
        &county,
        &format!("/fire/checkins.xlsx?township={TONGCHUAN}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let rows = sheet(&xlsx, "签到记录");
    assert_eq!(rows.len(), 1 + 3, "{rows:?}");
    let (_, mine) = town.get_json("/api/v1/fire/checkins?person=陈局长").await;
    assert_eq!(
        mine.as_array().unwrap().len(),
        1,
        "the leader's 潼川 scan only: {mine}"
    );

    // Audited: each check-in, each checkpoint and tour change.
    assert_eq!(audit_total(&auditor, "action=fire.checkin.record").await, 4);
    assert_eq!(
        audit_total(&auditor, "action=fire.checkpoint.create").await,
        4
    );
    assert_eq!(
        audit_total(&auditor, "action=fire.checkpoint.void").await,
        1
    );
    assert_eq!(audit_total(&auditor, "action=fire.tour.create").await, 3);

    // The forms: an error keeps what was typed; a tour saved from the page.
    let r = county
        .post_form(
            "/fire/checkpoints",
            &[
                ("township", TONGCHUAN),
                ("name", "打错经度的点"),
                ("kind", "patrol"),
                ("lon", "1050"),
                ("lat", "31.1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("打错经度的点") && page.contains("经度应为"),
        "{page}"
    );
    let r = county
        .post_form(
            "/fire/tours",
            &[
                ("township", TASHAN),
                ("user", "tashan"),
                ("date_from", "2026-06-01"),
                ("date_to", "2026-06-30"),
                ("required", "2"),
                ("checkpoints", c["id"].as_str().unwrap()),
                ("checkpoints", d["id"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, list) = county
        .get_json(&format!(
            "/api/v1/fire/tours?township={TASHAN}&person=tashan"
        ))
        .await;
    assert_eq!(
        list["tours"][0]["checkpoints"].as_array().unwrap().len(),
        2,
        "{list}"
    );

    // The pages open.
    for path in [
        "/fire/checkpoints".to_string(),
        "/fire/checkpoints/new".to_string(),
        format!("/fire/checkpoints/{}", a["id"].as_str().unwrap()),
        "/fire/tours".to_string(),
        "/fire/tours/new".to_string(),
        "/fire/checkins".to_string(),
    ] {
        let (status, _) = county.text(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn fire_patrols_checkpoints_scans_and_tours() {
    on_each_backend(|app, _| story(app)).await;
}

#[tokio::test]
async fn fire_patrols_demo_has_checkpoints_a_tour_and_scans() {
    on_each_backend(|app, _| async move {
        fire::patrols::demo::load_demo(&app.state).await.unwrap();
        fire::patrols::demo::load_demo(&app.state).await.unwrap();
        let leader = login(&app, "leader").await;
        let (_, points) = leader.get_json(API).await;
        assert_eq!(points.as_array().unwrap().len(), 4, "{points}");
        let (_, list) = leader.get_json("/api/v1/fire/tours").await;
        assert_eq!(list["tours"].as_array().unwrap().len(), 1, "{list}");
        assert_eq!(list["tours"][0]["user_name"], "陈局长");
        assert_eq!(list["rates"]["overall"]["rate"], 100.0, "{list}");
        assert_eq!(checkins(&app).await, 2);

        // With township areas, a position outside the township is saved with a warning.
        let staff = platform::auth::entity::user::Entity::find()
            .filter(platform::auth::entity::user::Column::Username.eq("disaster"))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let staff = platform::auth::actor_for(&app.state.db, &staff, None, None)
            .await
            .unwrap();
        fire::areas::demo::generate(&app.state, &staff)
            .await
            .unwrap();
        let county = login(&app, "disaster").await;
        let far = create(&county, &point(TONGCHUAN, "远处的点", "100.0", "30.0")).await;
        assert!(
            far["warning"].as_str().unwrap().contains("不在所选乡镇内"),
            "{far}"
        );
        let (_, page) = county
            .text(&format!(
                "/fire/checkpoints/{}",
                far["id"].as_str().unwrap()
            ))
            .await;
        assert!(page.contains("id=\"position-warning\""));
    })
    .await;
}
