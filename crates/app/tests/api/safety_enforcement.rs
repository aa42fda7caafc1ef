//! 行政执法案件 over HTTP: a case's whole life (notice, the response period, decision with its
//! document number, partial and full payment, closing), hearings, dismissal, numbering, scope,
//! optimistic locking, bad input, hazard links, pages, totals and export. Today is 2026-06-01.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

async fn create_unit(session: &Session, name: &str, region: &str) -> String {
    let body = json!({
        "name": name,
        "industry_code": "hazchem_trading",
        "region_code": region,
        "contact_name": "李明",
        "status": "operating"
    });
    let (status, body) = session.post_json("/api/v1/safety/units", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}

async fn create_hazard(session: &Session, unit_id: &str) -> String {
    let body = json!({
        "unit_id": unit_id,
        "description": "危化品库房未分区存放",
        "category_code": "dangerous_goods",
        "grade": "general",
        "discovered_on": "2026-05-10",
        "source": "enforcement"
    });
    let (status, body) = session.post_json("/api/v1/safety/hazards", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}

fn case_body(unit_id: &str) -> Value {
    json!({
        "unit_id": unit_id,
        "cause": "危险化学品未按规定分类、分区储存",
        "legal_basis": "《危险化学品安全管理条例》第八十条",
        "source": "routine",
        "filed_on": "2026-05-20",
        "officers": ["张明", "李华"]
    })
}

async fn file_case(session: &Session, unit_id: &str) -> Value {
    let (status, c) = session
        .post_json("/api/v1/safety/enforcement", &case_body(unit_id))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c
}

fn version(c: &Value) -> i64 {
    c["version"].as_i64().expect("version")
}

fn id(c: &Value) -> String {
    c["id"].as_str().expect("id").to_string()
}

/// POST an action with the case's current version added; asserts the status.
async fn act(
    session: &Session,
    c: &Value,
    action: &str,
    mut body: Value,
    want: StatusCode,
) -> Value {
    body["version"] = json!(version(c));
    let (status, out) = session
        .post_json(
            &format!("/api/v1/safety/enforcement/{}/{action}", id(c)),
            &body,
        )
        .await;
    assert_eq!(status, want, "{action}: {out}");
    out
}

/// Filed → investigating → notified on `notified_on`.
async fn to_notified(session: &Session, unit_id: &str, notified_on: &str) -> Value {
    let c = file_case(session, unit_id).await;
    let c = act(session, &c, "investigate", json!({}), StatusCode::OK).await;
    act(
        session,
        &c,
        "notify",
        json!({"notified_on": notified_on}),
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn a_case_walks_its_whole_life() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县执法测试化工有限公司", TONGCHUAN).await;

        let c = file_case(&safety, &unit_id).await;
        assert_eq!(c["number"], "AJ2026-0001");
        assert_eq!(c["state"], "filed");
        assert_eq!(c["region_code"], TONGCHUAN);
        assert_eq!(c["officers"], json!(["张明", "李华"]));
        assert_eq!(file_case(&safety, &unit_id).await["number"], "AJ2026-0002");

        // No skipping: a decision needs the notice first.
        act(&safety, &c, "decide", json!({"decided_on": "2026-06-01", "fine_yuan": 1000}), StatusCode::CONFLICT).await;
        let c = act(&safety, &c, "investigate", json!({}), StatusCode::OK).await;
        assert_eq!(c["state"], "investigating");
        // The notice cannot precede filing.
        let body = act(&safety, &c, "notify", json!({"notified_on": "2026-05-19"}), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(body["error"]["fields"]["notified_on"].is_string(), "{body}");
        let c = act(&safety, &c, "notify", json!({"notified_on": "2026-06-01"}), StatusCode::OK).await;
        assert_eq!(c["state"], "notified");

        // 10 万元 carries a hearing right: 5 days to respond, the decision from 06-07.
        let decision = json!({"decided_on": "2026-06-01", "fine_yuan": "100000", "measures": ["warning"]});
        let body = act(&safety, &c, "decide", decision, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(
            body["error"]["fields"]["decided_on"].as_str().unwrap().contains("2026-06-07"),
            "{body}"
        );
        app.clock.advance(chrono::Duration::days(5));
        // Days later the session has timed out: log in again.
        let safety = login(&app, "safety").await;
        let early = json!({"decided_on": "2026-06-06", "fine_yuan": "100000"});
        act(&safety, &c, "decide", early, StatusCode::UNPROCESSABLE_ENTITY).await;
        app.clock.advance(chrono::Duration::days(1));
        // Days later the session has timed out: log in again.
        let safety = login(&app, "safety").await;
        let decision = json!({"decided_on": "2026-06-07", "fine_yuan": "100000", "measures": ["warning"]});
        let c = act(&safety, &c, "decide", decision, StatusCode::OK).await;
        assert_eq!(c["state"], "decided");
        assert_eq!(c["decision_number"], "三台应急罚〔2026〕1号");
        assert_eq!(c["fine_fen"], 10_000_000);
        assert_eq!(c["measures"], json!(["warning"]));

        // A partial payment starts execution; closing is refused while unpaid.
        let c = act(&safety, &c, "payments", json!({"amount_yuan": "40000", "paid_on": "2026-06-07"}), StatusCode::OK).await;
        assert_eq!(c["state"], "executing");
        assert_eq!(c["paid_fen"], 4_000_000);
        assert_eq!(c["outstanding_fen"], 6_000_000);
        let body = act(&safety, &c, "close", json!({}), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(
            body["error"]["fields"]["reason"].as_str().unwrap().contains("60000.00"),
            "{body}"
        );
        // More than is owed is refused.
        act(&safety, &c, "payments", json!({"amount_yuan": "60000.01", "paid_on": "2026-06-07"}), StatusCode::UNPROCESSABLE_ENTITY).await;
        let c = act(&safety, &c, "payments", json!({"amount_yuan": 60000, "paid_on": "2026-06-07", "note": "缴款书 0001"}), StatusCode::OK).await;
        assert_eq!(c["outstanding_fen"], 0);
        assert_eq!(c["payments"].as_array().unwrap().len(), 2);
        let c = act(&safety, &c, "close", json!({}), StatusCode::OK).await;
        assert_eq!(c["state"], "closed");
        assert_eq!(c["closed_on"], "2026-06-07");
        // No going back, no more edits.
        act(&safety, &c, "payments", json!({"amount_yuan": "1", "paid_on": "2026-06-07"}), StatusCode::CONFLICT).await;
        let mut edit = case_body(&unit_id);
        edit["version"] = c["version"].clone();
        let (status, _) = safety
            .patch_json(&format!("/api/v1/safety/enforcement/{}", id(&c)), &edit)
            .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Typical case, then the totals of the period and the list behind them.
        let c = act(&safety, &c, "typical", json!({"typical": true, "reported_on": "2026-06-07", "note": "报市局"}), StatusCode::OK).await;
        assert_eq!(c["typical"], true);
        let (status, totals) = safety
            .get_json("/api/v1/safety/enforcement/totals?from=2026-06-01&to=2026-06-30")
            .await;
        assert_eq!(status, StatusCode::OK, "{totals}");
        assert_eq!(totals, json!({"filed": 0, "decided": 1, "fines_decided_fen": 10_000_000,
            "fines_collected_fen": 10_000_000, "typical": 1}));
        let (_, typical) = safety
            .get_json("/api/v1/safety/enforcement?from=2026-06-01&to=2026-06-30&basis=reported&typical=true")
            .await;
        assert_eq!(typical["total"], 1, "{typical}");

        // list_href shows the rows behind each figure.
        let june = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
        for (figure, want) in [
            (safety::enforcement::TotalsFigure::Filed, 0),
            (safety::enforcement::TotalsFigure::Decided, 1),
            (safety::enforcement::TotalsFigure::Collected, 1),
            (safety::enforcement::TotalsFigure::Typical, 1),
        ] {
            let href = safety::enforcement::list_href(figure, Some(TONGCHUAN), june(1), june(30));
            assert!(href.starts_with("/safety/enforcement?"), "{href}");
            let (_, rows) = safety.get_json(&format!("/api/v1{href}")).await;
            assert_eq!(rows["total"], want, "{figure:?}: {href}");
        }

        // The page tells the story: the decision number, payments and the timeline.
        let (status, page) = safety.text(&format!("/safety/enforcement/{}", id(&c))).await;
        assert_eq!(status, StatusCode::OK);
        for text in ["三台应急罚〔2026〕1号", "已结案", "典型案例", "送达告知书", "作出决定", "缴款", "缴款书 0001"] {
            assert!(page.contains(text), "{text} missing from the case page");
        }
        // Each change left an audit row.
        let auditor = login(&app, "auditor").await;
        let rows = audit_total(&auditor, &format!("entity=safety_enforcement_case&record_id={}", id(&c))).await;
        assert_eq!(rows, 8, "create, investigate, notify, decide, 2 payments, close, typical");
    })
    .await;
}

#[tokio::test]
async fn hearings_waivers_and_dismissal() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县听证测试有限公司", TONGCHUAN).await;
        let c = to_notified(&safety, &unit_id, "2026-05-25").await;

        // Waiver and hearing together make no sense; a hearing cannot precede the notice.
        let body = act(&safety, &c, "response", json!({"hearing_requested": true, "waived": true}), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(body["error"]["fields"]["waived"].is_string(), "{body}");
        let body = act(&safety, &c, "response", json!({"hearing_requested": true, "hearing_on": "2026-05-24"}), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(body["error"]["fields"]["hearing_on"].is_string(), "{body}");
        // A requested hearing with no date yet blocks the decision.
        let c = act(&safety, &c, "response", json!({"hearing_requested": true, "statement": "请求从轻处罚"}), StatusCode::OK).await;
        let body = act(&safety, &c, "decide", json!({"decided_on": "2026-06-01", "fine_yuan": 60000}), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(body["error"]["fields"]["hearing_on"].as_str().unwrap().contains("听证日期"), "{body}");
        // The decision must come after the hearing.
        let c = act(&safety, &c, "response", json!({"hearing_requested": true, "hearing_on": "2026-06-01"}), StatusCode::OK).await;
        let body = act(&safety, &c, "decide", json!({"decided_on": "2026-06-01", "fine_yuan": 60000}), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(body["error"]["fields"]["decided_on"].as_str().unwrap().contains("听证"), "{body}");
        app.clock.advance(chrono::Duration::days(1));
        // Days later the session has timed out: log in again.
        let safety = login(&app, "safety").await;
        let c = act(&safety, &c, "decide", json!({"decided_on": "2026-06-02", "fine_yuan": 60000}), StatusCode::OK).await;
        assert_eq!(c["decision_number"], "三台应急罚〔2026〕1号");

        // A written waiver lets the decision come on the day of the notice.
        let w = to_notified(&safety, &unit_id, "2026-06-02").await;
        let w = act(&safety, &w, "response", json!({"waived": true}), StatusCode::OK).await;
        let w = act(&safety, &w, "decide", json!({"decided_on": "2026-06-02", "fine_yuan": 5000}), StatusCode::OK).await;
        // Numbers run on per county and year.
        assert_eq!(w["decision_number"], "三台应急罚〔2026〕2号");
        // 不予处罚 needs a reason, closes without payment, and takes the next number.
        let n = to_notified(&safety, &unit_id, "2026-05-25").await;
        act(&safety, &n, "decide", json!({"decided_on": "2026-06-02", "no_penalty": true}), StatusCode::UNPROCESSABLE_ENTITY).await;
        let n = act(&safety, &n, "decide", json!({"decided_on": "2026-06-02", "no_penalty": true, "no_penalty_reason": "违法行为轻微并及时改正"}), StatusCode::OK).await;
        assert_eq!(n["decision_number"], "三台应急罚〔2026〕3号");
        act(&safety, &n, "payments", json!({"amount_yuan": "1", "paid_on": "2026-06-02"}), StatusCode::CONFLICT).await;
        let n = act(&safety, &n, "close", json!({}), StatusCode::OK).await;
        assert_eq!(n["state"], "closed");
        // Unpaid but closed with a reason (court enforcement).
        let court = act(&safety, &c, "close", json!({"reason": "已申请人民法院强制执行"}), StatusCode::OK).await;
        assert_eq!(court["close_reason"], "已申请人民法院强制执行");

        // Dismissal: a reason, before the notice only, and then nothing more.
        let d = file_case(&safety, &unit_id).await;
        let body = act(&safety, &d, "dismiss", json!({"reason": " "}), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(body["error"]["fields"]["reason"].is_string(), "{body}");
        let d = act(&safety, &d, "dismiss", json!({"reason": "违法事实不成立"}), StatusCode::OK).await;
        assert_eq!(d["state"], "dismissed");
        assert_eq!(d["dismiss_reason"], "违法事实不成立");
        act(&safety, &d, "investigate", json!({}), StatusCode::CONFLICT).await;
        act(&safety, &w, "dismiss", json!({"reason": "违法事实不成立"}), StatusCode::CONFLICT).await;
    })
    .await;
}

#[tokio::test]
async fn scope_versions_bad_input_and_hazard_links() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县范围测试有限公司", TONGCHUAN).await;
        let other_unit = create_unit(&safety, "三台县塔山测试有限公司", TASHAN).await;
        let c = file_case(&safety, &unit_id).await;
        let case_id = id(&c);

        // Another township: 404 on the API and the page, nothing in its list.
        let tashan = login(&app, "tashan").await;
        let (status, _) = tashan
            .get_json(&format!("/api/v1/safety/enforcement/{case_id}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tashan.text(&format!("/safety/enforcement/{case_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = tashan.get_json("/api/v1/safety/enforcement").await;
        assert_eq!(list["total"], 0, "{list}");
        // ... nor file against a unit outside its township.
        let (status, body) = tashan
            .post_json("/api/v1/safety/enforcement", &case_body(&unit_id))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let tongchuan = login(&app, "tongchuan").await;
        let (status, _) = tongchuan
            .get_json(&format!("/api/v1/safety/enforcement/{case_id}"))
            .await;
        assert_eq!(status, StatusCode::OK);

        // A stale edit: 409.
        let mut edit = case_body(&unit_id);
        edit["cause"] = json!("未建立事故隐患排查治理制度");
        edit["version"] = c["version"].clone();
        let path = format!("/api/v1/safety/enforcement/{case_id}");
        let (status, edited) = safety.patch_json(&path, &edit).await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["cause"], "未建立事故隐患排查治理制度");
        let (status, body) = safety.patch_json(&path, &edit).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "stale_edit");
        act(&safety, &c, "investigate", json!({}), StatusCode::CONFLICT).await;

        // Bad input comes back field by field.
        let mut bad = case_body("00000000-0000-0000-0000-000000000000");
        bad["officers"] = json!(["张明"]);
        bad["inspection_id"] = json!("not-a-uuid");
        bad["source"] = json!("rumour");
        bad["filed_on"] = json!("2026-06-02");
        let (status, body) = safety.post_json("/api/v1/safety/enforcement", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let fields = &body["error"]["fields"];
        for f in ["unit_id", "officers", "inspection_id", "source", "filed_on"] {
            assert!(fields[f].is_string(), "{f}: {body}");
        }
        assert!(
            fields["officers"].as_str().unwrap().contains("两"),
            "{body}"
        );
        let mut good_inspection = case_body(&unit_id);
        good_inspection["inspection_id"] = json!("0192f1a2-7b3c-7d4e-8f90-123456789abc");
        let (status, body) = safety
            .post_json("/api/v1/safety/enforcement", &good_inspection)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(
            body["inspection_id"],
            "0192f1a2-7b3c-7d4e-8f90-123456789abc"
        );

        let n = to_notified(&safety, &unit_id, "2026-05-25").await;
        let body = act(
            &safety,
            &n,
            "decide",
            json!({"decided_on": "2026-06-01", "fine_yuan": "-500"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(
            body["error"]["fields"]["fine_yuan"]
                .as_str()
                .unwrap()
                .contains("大于 0"),
            "{body}"
        );
        let body = act(
            &safety,
            &n,
            "decide",
            json!({"decided_on": "2026-06-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(body["error"]["fields"]["fine_yuan"].is_string(), "{body}");
        let body = act(
            &safety,
            &n,
            "decide",
            json!({"decided_on": "2026-06-01", "measures": ["flogging"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(body["error"]["fields"]["measures"].is_string(), "{body}");

        // Hazards: only the case's own unit's, once.
        let own = create_hazard(&safety, &unit_id).await;
        let foreign = create_hazard(&safety, &other_unit).await;
        let (_, fresh) = safety.get_json(&path).await;
        let body = act(
            &safety,
            &fresh,
            "hazards",
            json!({"hazard_id": foreign}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(body["error"]["fields"]["hazard_id"].is_string(), "{body}");
        let linked = act(
            &safety,
            &fresh,
            "hazards",
            json!({"hazard_id": own}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(linked["hazards"][0]["number"], "YH2026-0001");
        act(
            &safety,
            &linked,
            "hazards",
            json!({"hazard_id": own}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        let (status, page) = safety.text(&format!("/safety/enforcement/{case_id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains(&format!("/safety/hazards/{own}")),
            "no link to the hazard"
        );
        let (status, unlinked) = safety
            .send_json(
                reqwest::Method::DELETE,
                &format!("{path}/hazards/{own}"),
                &json!({"version": version(&linked)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{unlinked}");
        assert_eq!(unlinked["hazards"], json!([]));
    })
    .await;
}

#[tokio::test]
async fn pages_list_totals_forms_and_export() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县页面测试化工有限公司", TONGCHUAN).await;
        let other_unit = create_unit(&safety, "三台县塔山页面测试有限公司", TASHAN).await;

        // The new-case form preselects the unit given.
        let (status, page) = safety
            .text(&format!("/safety/enforcement/new?unit_id={unit_id}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains(&format!("value=\"{unit_id}\" selected")),
            "{page}"
        );

        // Filing through the form: one officer is refused beside the field, typed text kept.
        let form = [
            ("unit_id", unit_id.as_str()),
            ("cause", "未按规定对从业人员进行安全生产教育和培训"),
            ("source", "routine"),
            ("filed_on", "2026-05-20"),
            ("officers", "张明"),
            ("officers", ""),
        ];
        let r = safety.post_form("/safety/enforcement/new", &form).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("执法人员不得少于两人"), "{page}");
        assert!(page.contains("未按规定对从业人员进行安全生产教育和培训"));
        let mut form = form.to_vec();
        form[5] = ("officers", "李华");
        let r = safety.post_form("/safety/enforcement/new", &form).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/safety/enforcement/"), "{location}");
        let case_path = location.split('?').next().unwrap().to_string();

        // Actions through the page forms; a refused one shows why.
        let (_, c) = safety.get_json(&format!("/api/v1{case_path}")).await;
        let v = version(&c).to_string();
        let r = safety
            .post_form(&format!("{case_path}/investigate"), &[("version", &v)])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let v = (version(&c) + 1).to_string();
        let r = safety
            .post_form(
                &format!("{case_path}/notify"),
                &[("version", &v), ("notified_on", "2026-05-25")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let v = (version(&c) + 2).to_string();
        let r = safety
            .post_form(
                &format!("{case_path}/decide"),
                &[
                    ("version", &v),
                    ("decided_on", "2026-05-27"),
                    ("fine_yuan", "20000"),
                    ("measures", "warning"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("最早可于 2026-05-29"), "{page}");
        assert!(page.contains("value=\"20000\""), "the typed fine was lost");
        let r = safety
            .post_form(
                &format!("{case_path}/decide"),
                &[
                    ("version", &v),
                    ("decided_on", "2026-05-29"),
                    ("fine_yuan", "20000"),
                    ("measures", "warning"),
                    ("measures", "confiscation"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = safety.text(&case_path).await;
        assert!(
            page.contains("三台应急罚〔2026〕1号") && page.contains("没收违法所得"),
            "{page}"
        );

        // A second case in another township, paid in part.
        let c2 = to_notified(&safety, &other_unit, "2026-05-21").await;
        let c2 = act(
            &safety,
            &c2,
            "decide",
            json!({"decided_on": "2026-05-30", "fine_yuan": 150000}),
            StatusCode::OK,
        )
        .await;
        act(
            &safety,
            &c2,
            "payments",
            json!({"amount_yuan": 50000, "paid_on": "2026-05-31"}),
            StatusCode::OK,
        )
        .await;

        // The list: totals of the filtered rows, and the township filter.
        let (status, page) = safety.text("/safety/enforcement").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("件数 <strong>2</strong> 件"), "{page}");
        assert!(
            page.contains("罚款决定 <strong>17.00</strong> 万元"),
            "{page}"
        );
        assert!(page.contains("已收缴 <strong>5.00</strong> 万元"), "{page}");
        let (_, page) = safety
            .text(&format!("/safety/enforcement?township={TASHAN}&q=塔山"))
            .await;
        assert!(
            page.contains("件数 <strong>1</strong> 件") && page.contains("15.00"),
            "{page}"
        );
        let (_, page) = safety.text("/safety/enforcement?state=executing").await;
        assert!(
            page.contains("三台县塔山页面测试有限公司")
                && !page.contains("三台县页面测试化工有限公司")
        );

        // The API is in the OpenAPI document.
        let (status, doc) = safety.get_json("/api/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        for path in [
            "/api/v1/safety/enforcement",
            "/api/v1/safety/enforcement/{id}/decide",
            "/api/v1/safety/enforcement/{id}/payments",
            "/api/v1/safety/enforcement/totals",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{path} missing from the OpenAPI document"
            );
        }

        // Export the filtered rows and read them back.
        let response = safety
            .get(&format!("/safety/enforcement/export?township={TONGCHUAN}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        use calamine::Reader;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("行政执法案件").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 2, "header and one case");
        assert_eq!(rows[0][0].to_string(), "案件编号");
        assert_eq!(rows[1][0].to_string(), "AJ2026-0001");
        assert_eq!(rows[1][1].to_string(), "三台县页面测试化工有限公司");
        assert_eq!(rows[1][7].to_string(), "张明、李华");
        assert_eq!(rows[1][12].to_string(), "三台应急罚〔2026〕1号");
        assert_eq!(rows[1][13].to_string(), "20000.00");
        assert_eq!(rows[1][14].to_string(), "警告、没收违法所得");
    })
    .await;
}

#[tokio::test]
async fn demo_cases_load_over_the_year() {
    on_each_backend(|app, _| async move {
        // The demo's "year so far" as on the day it was written: 2026-01-01..2026-11-28.
        app.clock.advance(chrono::Duration::days(181));
        safety::units::load_demo(&app.state)
            .await
            .expect("demo units");
        safety::hazards::load_demo(&app.state)
            .await
            .expect("demo hazards");
        safety::enforcement::load_demo(&app.state)
            .await
            .expect("demo cases");
        let safety = login(&app, "safety").await;
        let (_, all) = safety
            .get_json("/api/v1/safety/enforcement?per_page=200")
            .await;
        assert_eq!(all["total"], 40, "{all}");
        let items = all["items"].as_array().unwrap();
        assert!(
            items
                .iter()
                .all(|c| c["cause"].as_str().unwrap().starts_with("【演示】"))
        );
        let count = |state: &str| items.iter().filter(|c| c["state"] == state).count();
        assert_eq!(count("dismissed"), 1);
        assert_eq!(items.iter().filter(|c| c["typical"] == true).count(), 3);
        assert!(
            items
                .iter()
                .all(|c| c["filed_on"].as_str().unwrap() < "2026-11-29")
        );
        assert!(count("closed") >= 20, "closed: {}", count("closed"));
        assert!(count("closed") < 40);
        let numbers: std::collections::BTreeSet<&str> = items
            .iter()
            .filter_map(|c| c["decision_number"].as_str())
            .collect();
        let decided = items
            .iter()
            .filter(|c| c["decision_number"].is_string())
            .count();
        assert_eq!(numbers.len(), decided, "decision numbers are unique");
        assert!(numbers.contains("三台应急罚〔2026〕1号"));
        let fines: Vec<i64> = items
            .iter()
            .map(|c| c["fine_fen"].as_i64().unwrap())
            .filter(|f| *f > 0)
            .collect();
        assert!(
            fines.iter().all(|f| (500_000..=20_000_000).contains(f)),
            "{fines:?}"
        );
    })
    .await;
}
