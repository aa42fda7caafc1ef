//! 灾害过程与灾情报告: a flood process from 初报 through three 续报 (one a zero report) to
//! 核报, with a returned township, a falling cumulative figure refused without a 订正说明, a
//! correction after approval, late flags against the deadlines, the direct-report flag, each
//! consistency check's refusal, scope (a township cannot enter another's figures, a village
//! none), and the XLSX and DOCX read back.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

fn flood() -> Value {
    json!({"name": "“5·28”洪涝灾害", "main_type": "洪涝", "other_types": ["滑坡"],
        "started_at": "2026-05-28T08:00", "townships": [TONGCHUAN, TASHAN]})
}

fn entry_path(report: &str, township: &str) -> String {
    format!("/api/v1/disaster/reports/{report}/townships/{township}")
}

async fn report(session: &Session, id: &str) -> Value {
    let (status, body) = session
        .get_json(&format!("/api/v1/disaster/reports/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn entry_of<'a>(detail: &'a Value, township: &str) -> &'a Value {
    detail["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["township"] == township)
        .expect("entry")
}

/// Save (and submit) a township's figures at the entry's current version.
async fn enter(
    session: &Session,
    report_id: &str,
    township: &str,
    values: Value,
    extra: Value,
) -> (StatusCode, Value) {
    let detail = report(session, report_id).await;
    let version = entry_of(&detail, township)["version"].clone();
    let mut body = json!({"values": values, "submit": true, "version": version});
    if let Value::Object(more) = extra {
        body.as_object_mut().unwrap().extend(more);
    }
    session
        .send_json(Method::PUT, &entry_path(report_id, township), &body)
        .await
}

async fn enter_ok(session: &Session, report_id: &str, township: &str, values: Value) {
    let (status, body) = enter(session, report_id, township, values, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn approve_and_send(county: &Session, report_id: &str, note: Option<&str>) -> Value {
    let (status, body) = county
        .post_json(
            &format!("/api/v1/disaster/reports/{report_id}/approve"),
            &json!({"ledger_note": note}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = county
        .post_json(
            &format!("/api/v1/disaster/reports/{report_id}/upward"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "reported");
    body
}

async fn open_update(county: &Session, process: &str, day: &str) -> String {
    let (status, body) = county
        .post_json(
            &format!("/api/v1/disaster/processes/{process}/reports"),
            &json!({"stage": "update", "figures_to": day}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}

fn refused_field(status: StatusCode, body: &Value, field: &str, says: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let message = body["error"]["fields"][field].as_str().unwrap_or_default();
    assert!(message.contains(says), "{field}: {message} / {body}");
}

async fn docx_text(session: &Session, path: &str) -> String {
    let response = session.get(path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    let docx = docx_rs::read_docx(&bytes).expect("a readable DOCX");
    docx.document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_flood_from_initial_report_to_final_report() {
    on_each_backend(|app, _| async move {
        let county = login(&app, "disaster").await;
        let tongchuan = login(&app, "tongchuan").await;
        let tashan = login(&app, "tashan").await;
        let village = login(&app, "village").await;

        // A process needs a known type, a start and townships of the county.
        let (status, body) = county
            .post_json(
                "/api/v1/disaster/processes",
                &json!({"name": "", "main_type": "火山", "started_at": "x", "townships": ["510799101000"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        for field in ["name", "main_type", "started_at", "townships"] {
            assert!(body["error"]["fields"][field].is_string(), "{field}: {body}");
        }
        let (status, _) = tongchuan.post_json("/api/v1/disaster/processes", &flood()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the county opens a process");

        let (status, process) = county.post_json("/api/v1/disaster/processes", &flood()).await;
        assert_eq!(status, StatusCode::CREATED, "{process}");
        assert_eq!(process["other_type_labels"], json!(["滑坡"]));
        let pid = process["id"].as_str().unwrap().to_string();
        let (_, reports) = county
            .get_json(&format!("/api/v1/disaster/reports?process={pid}"))
            .await;
        assert_eq!(reports.as_array().unwrap().len(), 1);
        assert_eq!(reports[0]["stage"], "initial");
        let initial = reports[0]["id"].as_str().unwrap().to_string();
        // 初报 due two hours after the start (08:00 UTC+8 → 02:00 UTC).
        assert_eq!(reports[0]["due_at"], "2026-05-28T02:00:00Z");

        // Scope: a township enters its own figures only; a village none.
        let (status, _) = tashan
            .send_json(Method::PUT, &entry_path(&initial, TONGCHUAN), &json!({"values": {"affected_people": "1"}, "version": 1}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = village
            .send_json(Method::PUT, &entry_path(&initial, TONGCHUAN), &json!({"values": {}, "version": 1}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Each consistency check refuses with its explanation under the indicator.
        let cases = [
            (json!({"crop_affected": "10", "crop_failed": "12"}), "crop_failed", "成灾面积不能大于受灾面积"),
            (json!({"crop_affected": "10", "crop_failed": "8", "crop_lost": "9"}), "crop_lost", "绝收面积不能大于成灾面积"),
            (json!({"affected_people": "-5"}), "affected_people", "不小于 0"),
            (json!({"crop_affected": "1.234"}), "crop_affected", "最多 2 位小数"),
            (json!({"injured": "2", "injured_severe": "3"}), "injured_severe", "重伤人数不能大于受伤人数"),
            (json!({"relocated": "20", "relocated_now": "30"}), "relocated_now", "不能大于累计"),
            (json!({"need_relief": "20", "need_relief_now": "30"}), "need_relief_now", "不能大于累计"),
            (json!({"relocated": "20", "relocated_central": "15", "relocated_dispersed": "10"}), "relocated_dispersed", "集中安置与分散安置之和"),
            (json!({"collapsed_rooms": "2", "collapsed_households": "3"}), "collapsed_households", "户数不能大于间数"),
            (json!({"loss_total": "100", "loss_housing": "80", "loss_agriculture": "30.5"}), "loss_total", "各行业损失之和"),
        ];
        for (values, field, says) in cases {
            let (status, body) = enter(&tongchuan, &initial, TONGCHUAN, values, json!({})).await;
            refused_field(status, &body, field, says);
        }
        let detail = report(&county, &initial).await;
        assert_eq!(entry_of(&detail, TONGCHUAN)["status"], "draft", "nothing saved");
        assert!(entry_of(&detail, TONGCHUAN)["values"].as_object().unwrap().is_empty());

        let first = json!({"affected_people": "1200", "evacuated": "300", "relocated": "150",
            "relocated_now": "150", "crop_affected": "85.5", "crop_failed": "40", "crop_lost": "12.25",
            "collapsed_rooms": "6", "collapsed_households": "2", "loss_total": "320.5", "loss_housing": "120"});
        enter_ok(&tongchuan, &initial, TONGCHUAN, first).await;
        // Not approvable while 塔山镇 has not submitted.
        let (status, body) = county
            .post_json(&format!("/api/v1/disaster/reports/{initial}/approve"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("塔山镇"), "{body}");
        // The home pages: 塔山镇 still has it to fill in; once it has, the county has it to
        // approve; once sent upward, nobody has it waiting.
        let waiting = |home: &str, what: &str| home.contains(&format!("{what}：{}初报", process["name"].as_str().unwrap()));
        assert!(waiting(&tashan.text("/").await.1, "灾情待填报"));
        assert!(!waiting(&county.text("/").await.1, "灾情报告待审核"), "塔山镇 has not submitted");
        enter_ok(&tashan, &initial, TASHAN, json!({"affected_people": "400", "deaths": "1"})).await;
        assert!(!waiting(&tashan.text("/").await.1, "灾情待填报"));
        assert!(waiting(&county.text("/").await.1, "灾情报告待审核"));
        let sent = approve_and_send(&county, &initial, None).await;
        assert!(!waiting(&county.text("/").await.1, "灾情报告待审核"));
        assert!(!waiting(&county.text("/").await.1, "灾情报告待上报"));
        assert_eq!(sent["late"], true, "reported days after the two-hour deadline");

        // 续报 1: a cumulative figure lower than the 初报's is refused without a 订正说明.
        let u1 = open_update(&county, &pid, "2026-05-29").await;
        let (status, body) = enter(&tashan, &u1, TASHAN, json!({"affected_people": "350", "deaths": "1"}), json!({})).await;
        refused_field(status, &body, "affected_people", "不能低于上次报告的 400");
        let (status, body) = enter(
            &tashan, &u1, TASHAN,
            json!({"affected_people": "350", "deaths": "1"}),
            json!({"correction_reason": "核实后剔除重复统计的 50 人"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["correction_reason"], "核实后剔除重复统计的 50 人");
        enter_ok(&tongchuan, &u1, TONGCHUAN, json!({"affected_people": "1500", "evacuated": "300", "relocated": "200", "relocated_now": "80",
            "crop_affected": "90", "crop_failed": "40", "crop_lost": "12.25", "collapsed_rooms": "6",
            "collapsed_households": "2", "loss_total": "400", "loss_housing": "150"})).await;
        // The county returns 潼川镇 with a reason; it corrects and submits again.
        let (status, body) = county
            .post_json(&format!("{}/return", entry_path(&u1, TONGCHUAN)), &json!({"reason": ""}))
            .await;
        refused_field(status, &body, "reason", "请填写退回原因");
        let (status, body) = county
            .post_json(&format!("{}/return", entry_path(&u1, TONGCHUAN)), &json!({"reason": "倒塌房屋户数请核实"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "returned");
        enter_ok(&tongchuan, &u1, TONGCHUAN, json!({"affected_people": "1500", "evacuated": "300", "relocated": "200", "relocated_now": "80",
            "crop_affected": "90", "crop_failed": "40", "crop_lost": "12.25", "collapsed_rooms": "6",
            "collapsed_households": "3", "loss_total": "400", "loss_housing": "150"})).await;
        let sent = approve_and_send(&county, &u1, None).await;
        assert_eq!(sent["late"], true);

        // 续报 2: 塔山镇 has nothing new — a zero report carries its figures.
        let u2 = open_update(&county, &pid, "2026-05-30").await;
        let (status, body) = tashan
            .post_json(&format!("{}/zero", entry_path(&u2, TASHAN)), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["zero"], true);
        assert_eq!(body["status_label"], "零报告");
        assert_eq!(body["values"]["affected_people"], "350");
        enter_ok(&tongchuan, &u2, TONGCHUAN, json!({"affected_people": "1600", "evacuated": "300", "relocated": "200", "relocated_now": "50",
            "crop_affected": "95", "crop_failed": "40", "crop_lost": "12.25", "collapsed_rooms": "6",
            "collapsed_households": "3", "loss_total": "450", "loss_housing": "150"})).await;
        approve_and_send(&county, &u2, None).await;

        // 续报 3, due 09:00 today and sent at 09:00: on time. The same day twice is refused.
        let u3 = open_update(&county, &pid, "2026-05-31").await;
        let (status, body) = county
            .post_json(&format!("/api/v1/disaster/processes/{pid}/reports"), &json!({"stage": "update", "figures_to": "2026-05-31"}))
            .await;
        refused_field(status, &body, "figures_to", "已经建立");
        enter_ok(&tongchuan, &u3, TONGCHUAN, json!({"affected_people": "1600", "evacuated": "300", "relocated": "200", "relocated_now": "20",
            "crop_affected": "95", "crop_failed": "40", "crop_lost": "12.25", "collapsed_rooms": "6",
            "collapsed_households": "3", "loss_total": "450", "loss_housing": "150"})).await;
        let (status, _) = county.post_json(&format!("{}/zero", entry_path(&u3, TASHAN)), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "the county may mark a township's zero report");
        let sent = approve_and_send(&county, &u3, None).await;
        assert_eq!(sent["late"], false, "{sent}");

        // Closing stops 续报.
        let (status, closed) = county
            .post_json(&format!("/api/v1/disaster/processes/{pid}/close"), &json!({"ended_at": "2026-05-31T20:00", "version": process["version"]}))
            .await;
        assert_eq!(status, StatusCode::OK, "{closed}");
        let (status, body) = county
            .post_json(&format!("/api/v1/disaster/processes/{pid}/reports"), &json!({"stage": "update"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "process_closed");

        // 核报: 10 dead and missing → flagged for direct reporting; houses against the ledger.
        let (status, fin) = county
            .post_json(&format!("/api/v1/disaster/processes/{pid}/reports"), &json!({"stage": "final"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{fin}");
        let fin = fin["id"].as_str().unwrap().to_string();
        let (status, _) = county
            .post_json(&format!("/api/v1/disaster/processes/{pid}/reports"), &json!({"stage": "final"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "one 核报 only");
        enter_ok(&tongchuan, &fin, TONGCHUAN, json!({"affected_people": "1650", "deaths": "6", "missing": "3",
            "evacuated": "300", "relocated": "200", "crop_affected": "95", "crop_failed": "40", "crop_lost": "12.25",
            "collapsed_rooms": "6", "collapsed_households": "3", "loss_total": "460", "loss_housing": "150"})).await;
        enter_ok(&tashan, &fin, TASHAN, json!({"affected_people": "350", "deaths": "1"})).await;
        let (status, body) = tongchuan
            .post_json(&format!("/api/v1/disaster/reports/{fin}/ledger"), &json!({"kind": "house",
                "region_code": "510722101201", "name": "王大富", "degree": "collapsed", "rooms": 3}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = tongchuan
            .post_json(&format!("/api/v1/disaster/reports/{fin}/ledger"), &json!({"kind": "person",
                "region_code": "510722101201", "name": "李某", "fate": "dead", "sex": "男", "age": 200,
                "day": "2026-05-28", "cause": "房屋倒塌"}))
            .await;
        refused_field(status, &body, "age", "年龄");
        let (status, body) = tongchuan
            .post_json(&format!("/api/v1/disaster/reports/{fin}/ledger"), &json!({"kind": "person",
                "region_code": "510722101201", "name": "李某", "fate": "dead", "sex": "男", "age": 60,
                "day": "2026-05-28", "cause": "房屋倒塌", "id_number": "110105194912310021"}))
            .await;
        refused_field(status, &body, "id_number", "校验位");
        let (status, body) = tashan
            .post_json(&format!("/api/v1/disaster/reports/{fin}/ledger"), &json!({"kind": "house",
                "region_code": "510722101201", "name": "越界", "degree": "severe", "rooms": 1}))
            .await;
        refused_field(status, &body, "region_code", "本辖区");
        // A row entered by mistake is voided with a reason (not by another township).
        let (status, body) = tongchuan
            .post_json(&format!("/api/v1/disaster/reports/{fin}/ledger"), &json!({"kind": "house",
                "region_code": "510722101201", "name": "王大福", "degree": "general", "rooms": 2}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let wrong = body["houses"].as_array().unwrap().iter().find(|h| h["head"] == "王大福").unwrap()["id"]
            .as_str().unwrap().to_string();
        let void = format!("/api/v1/disaster/reports/{fin}/ledger/{wrong}/void");
        let (status, body) = tongchuan.post_json(&void, &json!({"reason": " "})).await;
        refused_field(status, &body, "reason", "作废原因");
        let (status, _) = tashan.post_json(&void, &json!({"reason": "重复"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another township's row");
        let (status, body) = tongchuan.post_json(&void, &json!({"reason": "与王大富重复"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["houses"].as_array().unwrap().len(), 1, "{body}");
        let (status, _) = tongchuan.post_json(&void, &json!({"reason": "再次"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "voided once");
        let detail = report(&county, &fin).await;
        assert_eq!(detail["report"]["direct_report"], true);
        assert_eq!(detail["direct_report_label"], "须直报省厅和应急管理部");
        assert_eq!(detail["totals"]["deaths"], "7");
        assert_eq!(detail["totals"]["missing"], "3");
        assert_eq!(detail["ledger"]["agrees"], false);
        let (status, body) = county
            .post_json(&format!("/api/v1/disaster/reports/{fin}/approve"), &json!({}))
            .await;
        refused_field(status, &body, "ledger_note", "与台账不一致");
        approve_and_send(&county, &fin, Some("死亡失踪人员台账由公安部门核对中，另行补报")).await;

        // After approval: the township may not edit; the county corrects with a reason.
        let (status, body) = enter(&tongchuan, &fin, TONGCHUAN, json!({"affected_people": "1660"}), json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let corrected = json!({"affected_people": "1660", "deaths": "6", "missing": "3",
            "evacuated": "300", "relocated": "200", "crop_affected": "95", "crop_failed": "40", "crop_lost": "12.25",
            "collapsed_rooms": "6", "collapsed_households": "3", "loss_total": "460", "loss_housing": "150"});
        let (status, body) = enter(&county, &fin, TONGCHUAN, corrected.clone(), json!({})).await;
        refused_field(status, &body, "correction_reason", "订正说明");
        let (status, body) = enter(&county, &fin, TONGCHUAN, corrected, json!({"correction_reason": "民政核对后增加 10 人"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let detail = report(&county, &fin).await;
        assert_eq!(detail["totals"]["affected_people"], "2010", "totals are the townships' sum");
        let auditor = login(&app, "auditor").await;
        assert!(audit_total(&auditor, "action=disaster.entry.correct").await >= 1);

        // The report list flags late ones.
        let (_, all) = county.get_json(&format!("/api/v1/disaster/reports?process={pid}")).await;
        let late: Vec<bool> = all.as_array().unwrap().iter().map(|r| r["late"].as_bool().unwrap()).collect();
        assert_eq!(all.as_array().unwrap().len(), 5);
        assert!(late.contains(&true) && late.contains(&false));

        // XLSX: the form's header rows, one row per township, the totals row.
        let response = county.get(&format!("/api/v1/disaster/reports/{fin}/xlsx")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let rows = xlsx_sheet(&response.bytes().await.unwrap(), "灾情快报");
        assert_eq!(rows[0][0], "自然灾害情况统计快报表");
        assert!(rows[1][0].contains("“5·28”洪涝灾害") && rows[1][0].contains("核报"), "{:?}", rows[1]);
        assert_eq!(rows[2][0], "须直报省厅和应急管理部");
        assert_eq!(rows[3][2], "人员受灾");
        assert_eq!(rows[4][2], "受灾人口（人）");
        let names: Vec<&str> = rows[5..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(names, ["潼川镇", "塔山镇", "合计"]);
        assert_eq!(rows[7][2], "2010");
        let crop = 2 + disaster::losses::indicators::ALL.iter().position(|i| i.code == "crop_lost").unwrap();
        assert_eq!(rows[5][crop], "12.25");

        // DOCX: the summary with the reports, the latest totals and the late ones.
        let text = docx_text(&county, &format!("/api/v1/disaster/processes/{pid}/summary.docx")).await;
        assert!(text.contains("关于“5·28”洪涝灾害灾情的总结报告"), "{text}");
        assert!(text.contains("洪涝（水旱灾害），并伴有滑坡"), "{text}");
        assert!(text.contains("受灾人口2010人"), "{text}");
        assert!(text.contains("迟报：初报"), "{text}");
        assert!(text.contains(disaster::losses::model::DIRECT_LABEL), "{text}");
    })
    .await;
}

#[tokio::test]
async fn a_drought_reports_every_ten_days_and_townships_can_be_added() {
    on_each_backend(|app, _| async move {
        let county = login(&app, "disaster").await;
        let tashan = login(&app, "tashan").await;
        let (status, process) = county
            .post_json(
                "/api/v1/disaster/processes",
                &json!({"name": "2026年春旱", "main_type": "drought",
                "started_at": "2026-05-01T08:00", "townships": [TONGCHUAN]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{process}");
        let pid = process["id"].as_str().unwrap().to_string();
        // 塔山镇 is not affected yet: it does not see the process.
        let (status, _) = tashan
            .get_json(&format!("/api/v1/disaster/processes/{pid}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = county
            .post_json(
                &format!("/api/v1/disaster/processes/{pid}/reports"),
                &json!({"stage": "update"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["figures_to"], "2026-05-01");
        let (status, body) = county
            .post_json(
                &format!("/api/v1/disaster/processes/{pid}/reports"),
                &json!({"stage": "update", "figures_to": "2026-05-05"}),
            )
            .await;
        refused_field(status, &body, "figures_to", "每 10 天续报一次");
        let (status, body) = county
            .post_json(
                &format!("/api/v1/disaster/processes/{pid}/reports"),
                &json!({"stage": "update"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["figures_to"], "2026-05-11");
        let open = body["id"].as_str().unwrap().to_string();

        let (status, spread) = county
            .post_json(
                &format!("/api/v1/disaster/processes/{pid}/townships"),
                &json!({"townships": ["塔山镇"], "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{spread}");
        assert_eq!(spread["townships"].as_array().unwrap().len(), 2);
        let (status, detail) = tashan
            .get_json(&format!("/api/v1/disaster/reports/{open}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{detail}");
        let entries = detail["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "a township sees its own entry: {detail}");
        assert_eq!(entries[0]["township"], TASHAN);
    })
    .await;
}

#[tokio::test]
async fn the_pages_show_the_demo_and_keep_what_was_typed() {
    on_each_backend(|app, _| async move {
        disaster::processes::demo::load_demo(&app.state)
            .await
            .unwrap();
        disaster::processes::demo::load_demo(&app.state)
            .await
            .unwrap();
        let county = login(&app, "disaster").await;
        let (status, html) = county.text("/disaster/processes").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("“汛期”洪涝灾害") && html.contains("“风雹”强对流灾害"),
            "{html}"
        );
        let (_, reports) = county.get_json("/api/v1/disaster/reports").await;
        let open = reports
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["status"] == "open")
            .expect("the hail 初报 is being entered");
        let id = open["id"].as_str().unwrap();
        let (status, html) = county.text(&format!("/disaster/reports/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("潼川镇") && html.contains("已报送"), "{html}");
        let (status, html) = county.text("/disaster/reports").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("迟报"), "the demo 初报 was late");

        let tashan = login(&app, "tashan").await;
        let (_, home) = tashan.text("/").await;
        assert!(home.contains("灾情待填报：“风雹”强对流灾害初报"), "{home}");
        let path = format!("/disaster/reports/{id}/townships/{TASHAN}");
        let (status, html) = tashan.text(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("人员受灾") && html.contains("报送县应急管理局"));
        let response = tashan
            .post_form(
                &path,
                &[
                    ("version", "1"),
                    ("crop_affected", "5"),
                    ("crop_failed", "8"),
                    ("action", "submit"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("成灾面积不能大于受灾面积"), "{html}");
        assert!(html.contains(r#"value="8""#), "typed values are kept");
        let response = tashan
            .post_form(
                &format!("/disaster/reports/{id}/townships/{TONGCHUAN}"),
                &[("version", "1"), ("affected_people", "5")],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "another township's form"
        );
    })
    .await;
}

/// The figures-to days of a process's 续报, in order.
async fn update_days(session: &Session, process: &str) -> Vec<String> {
    let (_, reports) = session
        .get_json(&format!("/api/v1/disaster/reports?process={process}"))
        .await;
    let mut days: Vec<String> = reports
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["figures_to"].as_str().map(String::from))
        .collect();
    days.sort();
    days
}

#[tokio::test]
async fn the_job_opens_each_day_s_update_until_the_process_closes() {
    on_each_backend(|app, _| async move {
        let county = login(&app, "disaster").await;
        let (status, process) = county
            .post_json(
                "/api/v1/disaster/processes",
                &json!({"name": "“5·30”风雹灾害", "main_type": "hail",
                "started_at": "2026-05-30T16:00", "townships": [TASHAN]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{process}");
        let pid = process["id"].as_str().unwrap().to_string();
        let job = disaster::losses::jobs().remove(0);
        (job.run)(&app.state).await.unwrap();
        (job.run)(&app.state).await.unwrap();
        (job.run)(&app.state).await.unwrap();
        // Today is 1 June: the 30th and the 31st have ended, the 1st not yet.
        assert_eq!(
            update_days(&county, &pid).await,
            ["2026-05-30", "2026-05-31"]
        );
        let (status, _) = county
            .post_json(
                &format!("/api/v1/disaster/processes/{pid}/close"),
                &json!({"version": process["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        app.clock.advance(chrono::Duration::days(2));
        (job.run)(&app.state).await.unwrap();
        let county = login(&app, "disaster").await;
        assert_eq!(
            update_days(&county, &pid).await.len(),
            2,
            "no 续报 after closing"
        );
    })
    .await;
}
