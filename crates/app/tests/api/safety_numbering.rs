//! Record and document numbers of the safety ledgers come from the shared yearly counter
//! (`platform::db::sequence`): registrations at the same moment get different numbers, and a
//! database whose numbers were issued before the counter existed continues after the highest
//! one once the migration has taken them over.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use sea_orm_migration::SchemaManager;
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";

async fn create_unit(session: &Session) -> String {
    let body = json!({
        "name": "三台县编号测试化工有限公司",
        "industry_code": "hazchem_trading",
        "region_code": TONGCHUAN,
        "contact_name": "李明",
        "status": "operating"
    });
    let (status, body) = session.post_json("/api/v1/safety/units", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}

fn hazard(unit_id: &str) -> Value {
    json!({
        "unit_id": unit_id,
        "description": "危化品库房未分区存放",
        "category_code": "dangerous_goods",
        "grade": "general",
        "discovered_on": "2026-05-30",
        "source": "enforcement"
    })
}

async fn created(session: &Session, path: &str, body: &Value) -> Value {
    let (status, out) = session.post_json(path, body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {out}");
    out
}

async fn ok(session: &Session, path: &str, body: Value) -> Value {
    let (status, out) = session.post_json(path, &body).await;
    assert_eq!(status, StatusCode::OK, "{path}: {out}");
    out
}

/// A hazard, an accident, a case decided on a waiver, and a sent 提示函; returns the numbers.
async fn issue_one_of_each(session: &Session, unit_id: &str) -> [String; 5] {
    let h = created(session, "/api/v1/safety/hazards", &hazard(unit_id)).await;
    let a = created(
        session,
        "/api/v1/safety/accidents",
        &json!({
            "occurred_at": "2026-05-31T08:00",
            "reported_at": "2026-05-31T08:30",
            "region_code": TONGCHUAN,
            "place": "原料堆场",
            "party_name": "三台县编号测试化工有限公司",
            "type_code": "01",
            "deaths": 0,
            "serious_injuries": 1,
            "direct_loss_yuan": 20000,
            "summary": "钢管滚落砸伤作业人员"
        }),
    )
    .await;
    let c = created(
        session,
        "/api/v1/safety/enforcement",
        &json!({
            "unit_id": unit_id,
            "cause": "危险化学品未按规定分类、分区储存",
            "legal_basis": "《危险化学品安全管理条例》第八十条",
            "source": "routine",
            "filed_on": "2026-05-20",
            "officers": ["张明", "李华"]
        }),
    )
    .await;
    let case = format!("/api/v1/safety/enforcement/{}", c["id"].as_str().unwrap());
    let d = ok(
        session,
        &format!("{case}/investigate"),
        json!({"version": c["version"]}),
    )
    .await;
    let d = ok(
        session,
        &format!("{case}/notify"),
        json!({"notified_on": "2026-06-01", "version": d["version"]}),
    )
    .await;
    let d = ok(
        session,
        &format!("{case}/response"),
        json!({"waived": true, "version": d["version"]}),
    )
    .await;
    let d = ok(
        session,
        &format!("{case}/decide"),
        json!({"decided_on": "2026-06-01", "fine_yuan": 5000, "version": d["version"]}),
    )
    .await;
    let n = created(
        session,
        "/api/v1/safety/notices",
        &json!({
            "kind": "reminder",
            "title": "关于做好端午节期间安全防范工作的提示函",
            "content": "各乡镇：请加强隐患排查，落实值班值守。",
            "reply_required": false,
            "townships": [TONGCHUAN],
            "departments": [],
        }),
    )
    .await;
    let n = ok(
        session,
        &format!("/api/v1/safety/notices/{}/send", n["id"].as_str().unwrap()),
        json!({"version": n["version"]}),
    )
    .await;
    [
        &h["number"],
        &a["number"],
        &c["number"],
        &d["decision_number"],
        &n["number"],
    ]
    .map(|v| v.as_str().expect("a number").to_string())
}

#[tokio::test]
async fn numbers_issued_before_the_counter_continue_after_the_migration() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety).await;
        let first = issue_one_of_each(&safety, &unit_id).await;
        assert_eq!(
            first,
            [
                "YH2026-0001",
                "SG2026-0001",
                "AJ2026-0001",
                "三台应急罚〔2026〕1号",
                "三台应急提〔2026〕1号"
            ]
        );
        created(&safety, "/api/v1/safety/hazards", &hazard(&unit_id)).await;

        // A database from before the counter: records numbered, no counters for them.
        app.state
            .db
            .execute_unprepared("DELETE FROM sequences")
            .await
            .unwrap();
        let migration = safety::migrations()
            .into_iter()
            .find(|m| m.name() == "m20261129_000008_safety_numbers_to_sequences")
            .expect("the migration");
        let manager = SchemaManager::new(&app.state.db);
        migration.up(&manager).await.expect("migrated");
        // Running it again changes nothing.
        migration.up(&manager).await.expect("migrated again");

        let next = issue_one_of_each(&safety, &unit_id).await;
        assert_eq!(
            next,
            [
                "YH2026-0003",
                "SG2026-0002",
                "AJ2026-0002",
                "三台应急罚〔2026〕2号",
                "三台应急提〔2026〕2号"
            ]
        );
        // Taking over never lowers a counter that has moved on.
        migration.up(&manager).await.expect("migrated once more");
        let h = created(&safety, "/api/v1/safety/hazards", &hazard(&unit_id)).await;
        assert_eq!(h["number"], "YH2026-0004");
    })
    .await;
}

#[tokio::test]
async fn hazards_registered_at_the_same_moment_get_different_numbers() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety).await;
        let mut running = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (client, csrf) = (safety.client.clone(), safety.csrf.clone());
            let (url, body) = (safety.url("/api/v1/safety/hazards"), hazard(&unit_id));
            running.spawn(async move {
                let r = client
                    .post(url)
                    .header("x-csrf-token", csrf)
                    .json(&body)
                    .send()
                    .await
                    .expect("post");
                (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
            });
        }
        let mut numbers = Vec::new();
        while let Some(done) = running.join_next().await {
            let (status, h) = done.expect("task");
            assert_eq!(status, StatusCode::CREATED, "{h}");
            numbers.push(h["number"].as_str().unwrap().to_string());
        }
        numbers.sort();
        let expected: Vec<String> = (1..=8).map(|n| format!("YH2026-{n:04}")).collect();
        assert_eq!(numbers, expected);
    })
    .await;
}
