//! 风险会商报告: drafting with judgments, editing with optimistic locking, numbering per county
//! and year when issued, the letter as DOCX and on A4, voiding without reusing numbers, the
//! archive's filters and export, bad input, and who may read and write.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";
const API: &str = "/api/v1/warning/consultations";

async fn department(app: &yingji::testing::TestApp, name: &str) -> String {
    let admin = login(app, "sysadmin").await;
    let (status, page) = admin
        .get_json(&format!("/api/v1/admin/departments?q={name}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{name} not found"))
        .to_string()
}

fn judgment(hazard: &str, level: &str, townships: &[&str], text: &str) -> Value {
    json!({"hazard_type": hazard, "level": level, "townships": townships, "text": text})
}

fn report(title: &str, period: (&str, &str), departments: &[&str], judgments: Vec<Value>) -> Value {
    json!({
        "title": title,
        "period_from": period.0,
        "period_to": period.1,
        "meeting_on": "2026-06-01",
        "convener": "县应急管理局",
        "departments": departments,
        "experts": "市气象台首席预报员张某",
        "judgments": judgments,
        "measures": "各乡镇加强隐患点巡查，提前转移受威胁群众。\n各部门落实24小时值班。",
        "issuer": "陈局长",
    })
}

async fn draft(session: &Session, body: &Value) -> Value {
    let (status, created) = session.post_json(API, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn issue(session: &Session, c: &Value) -> (StatusCode, Value) {
    session
        .post_json(
            &format!("{API}/{}/issue", c["id"].as_str().unwrap()),
            &json!({"version": c["version"]}),
        )
        .await
}

async fn issued(session: &Session, body: &Value) -> Value {
    let c = draft(session, body).await;
    let (status, c) = issue(session, &c).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    c
}

fn flood(towns: &[&str]) -> Value {
    judgment(
        "flood",
        "high",
        towns,
        "预计6月3日至5日有大到暴雨，局地大暴雨，山洪和中小河流洪水风险高。",
    )
}

/// The Word file's paragraphs, read back with a DOCX reader.
async fn read_docx(session: &Session, path: &str) -> String {
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
async fn a_report_is_drafted_edited_issued_printed_and_voided() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let weather = department(&app, "气象").await;
        let water = department(&app, "水利").await;

        // A draft with two judgments: floods in two townships, landslides county-wide.
        let body = report(
            "2026年6月上旬自然灾害风险会商报告",
            ("2026-06-02", "2026-06-10"),
            &[&weather, &water],
            vec![
                flood(&[TONGCHUAN, TASHAN]),
                judgment(
                    "landslide",
                    "elevated",
                    &[COUNTY],
                    "丘陵区切坡建房点滑坡风险较高。",
                ),
            ],
        );
        let d = draft(&disaster, &body).await;
        assert_eq!(d["state"], "draft");
        assert!(d["number"].is_null());
        assert_eq!(d["region_code"], COUNTY);
        assert_eq!(d["departments"][0]["name"], "县气象局");
        assert_eq!(d["judgments"][0]["hazard_label"], "洪涝");
        assert_eq!(d["judgments"][0]["areas"][1]["name"], "塔山镇");
        assert_eq!(d["judgments"][1]["areas"][0]["name"], "全县");
        assert_eq!(d["judgments"][1]["level"], "elevated");
        let id = d["id"].as_str().unwrap().to_string();

        // Edit the draft; a second edit from the same version is stale.
        let mut edit = body.clone();
        edit["title"] = json!("2026年6月上旬汛期风险会商报告");
        edit["judgments"] = json!([flood(&[TONGCHUAN])]);
        edit["version"] = d["version"].clone();
        let (status, d2) = disaster.patch_json(&format!("{API}/{id}"), &edit).await;
        assert_eq!(status, StatusCode::OK, "{d2}");
        assert_eq!(d2["judgments"].as_array().unwrap().len(), 1);
        assert_eq!(d2["judgments"][0]["areas"].as_array().unwrap().len(), 1);
        let (status, stale) = disaster.patch_json(&format!("{API}/{id}"), &edit).await;
        assert_eq!(status, StatusCode::CONFLICT, "{stale}");
        assert_eq!(stale["error"]["code"], "stale_edit");
        assert!(
            stale["error"]["message"]
                .as_str()
                .unwrap()
                .contains("周减灾")
        );

        // Issued: numbered 1, then 2 for the next in the same year.
        let (status, first) = issue(&disaster, &d2).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!(first["state"], "issued");
        assert_eq!(first["number"], "三台应急会商〔2026〕1号");
        assert_eq!(first["issued_on"], "2026-06-01");
        assert_eq!(first["issued_by_name"], "周减灾");
        let second = issued(&disaster, &body).await;
        assert_eq!(second["number"], "三台应急会商〔2026〕2号");

        // An issued report is frozen.
        let mut late = edit.clone();
        late["title"] = json!("改过的标题");
        late["version"] = first["version"].clone();
        let (status, refused) = disaster.patch_json(&format!("{API}/{id}"), &late).await;
        assert_eq!(status, StatusCode::CONFLICT, "{refused}");
        assert_eq!(refused["error"]["code"], "transition_refused");
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap()
                .contains("已印发")
        );
        let (_, again) = issue(&disaster, &first).await;
        assert_eq!(again["error"]["code"], "transition_refused", "{again}");
        let (_, still) = disaster.get_json(&format!("{API}/{id}")).await;
        assert_eq!(still["title"], "2026年6月上旬汛期风险会商报告");

        // The Word file: number, period, participants, the judgment, the measures.
        let text = read_docx(&disaster, &format!("{API}/{id}/docx")).await;
        for expected in [
            "三台县应急管理局",
            "三台应急会商〔2026〕1号",
            "2026年6月2日至2026年6月10日",
            "县气象局、县水利局",
            "（一）洪涝：潼川镇，风险等级高。预计6月3日至5日有大到暴雨",
            "二、防范措施建议",
            "各部门落实24小时值班。",
            "签发人：陈局长",
            "2026年6月1日",
        ] {
            assert!(text.contains(expected), "{expected} missing from\n{text}");
        }
        // The printable page shows the same letter.
        let (status, print) = disaster
            .text(&format!("/warning/consultations/{id}/print"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(print.contains("三台应急会商〔2026〕1号") && print.contains("@page"));
        assert!(!print.contains("sidebar"));

        // Voiding needs a reason; the number stays with the voided report and is not reused.
        let void = format!("{API}/{id}/void");
        let (status, body_) = disaster
            .post_json(&void, &json!({"version": first["version"], "reason": " "}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body_}");
        assert_eq!(body_["error"]["fields"]["reason"], "作废须说明原因");
        let (status, voided) = disaster
            .post_json(
                &void,
                &json!({"version": first["version"], "reason": "研判时段有误"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{voided}");
        assert_eq!(voided["state"], "voided");
        assert_eq!(voided["void_reason"], "研判时段有误");
        assert_eq!(voided["number"], "三台应急会商〔2026〕1号");
        let (status, _) = disaster
            .post_json(
                &void,
                &json!({"version": voided["version"], "reason": "再次"}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let text = read_docx(&disaster, &format!("{API}/{id}/docx")).await;
        assert!(text.contains("（已作废）"), "a voided letter says so");
        let third = issued(&disaster, &body).await;
        assert_eq!(third["number"], "三台应急会商〔2026〕3号");

        // A new year starts again at 1.
        app.clock.advance(chrono::Duration::days(215));
        let disaster = login(&app, "disaster").await;
        let mut next_year = body.clone();
        next_year["meeting_on"] = json!("2027-01-02");
        next_year["period_from"] = json!("2027-01-03");
        next_year["period_to"] = json!("2027-01-31");
        let new_year = issued(&disaster, &next_year).await;
        assert_eq!(new_year["number"], "三台应急会商〔2027〕1号");

        // Every step is in the trail, with Chinese names.
        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "action=consultation.issue").await, 4);
        assert_eq!(audit_total(&auditor, "action=consultation.void").await, 1);
        assert_eq!(
            audit_total(&auditor, "entity=warning_consultation&action=update").await,
            1
        );
        let (_, page) = disaster.text(&format!("/warning/consultations/{id}")).await;
        assert!(page.contains("印发") && page.contains("研判时段有误"));

        // The API is documented.
        let (_, doc) = disaster.get_json("/api/openapi.json").await;
        for path in [
            API.to_string(),
            format!("{API}/{{id}}"),
            format!("{API}/{{id}}/issue"),
            format!("{API}/{{id}}/void"),
            format!("{API}/{{id}}/docx"),
        ] {
            assert!(doc["paths"][&path].is_object(), "{path}");
        }
    })
    .await;
}

/// The field errors of a refused request.
fn fields(body: &Value) -> &serde_json::Map<String, Value> {
    body["error"]["fields"]
        .as_object()
        .unwrap_or_else(|| panic!("no field errors in {body}"))
}

#[tokio::test]
async fn bad_input_is_refused_beside_its_field_and_nothing_is_written() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let weather = department(&app, "气象").await;
        let ok = report(
            "会商报告",
            ("2026-06-02", "2026-06-10"),
            &[&weather],
            vec![flood(&[TONGCHUAN])],
        );

        // The period runs backwards.
        let mut bad = ok.clone();
        bad["period_to"] = json!("2026-05-20");
        let (status, body) = disaster.post_json(API, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "validation_failed");
        assert_eq!(
            fields(&body)["period_to"],
            "会商时段的结束日期不能早于开始日期"
        );

        // Judgments without a hazard type, a level, townships or text; a township elsewhere.
        let mut bad = ok.clone();
        bad["judgments"] = json!([
            judgment("", "high", &[TONGCHUAN], "有风险"),
            judgment("flood", "", &[TONGCHUAN], "  "),
            judgment("flood", "low", &[], "有风险"),
            judgment("flood", "low", &["510723101000"], "有风险"),
            judgment("volcano", "low", &[TASHAN], "有风险"),
        ]);
        let (status, body) = disaster.post_json(API, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let f = fields(&body);
        assert_eq!(f["judgments[0].hazard_type"], "请选择灾害种类");
        assert_eq!(f["judgments[1].level"], "请选择风险等级");
        assert_eq!(f["judgments[1].text"], "请填写研判意见");
        assert_eq!(f["judgments[2].townships"], "请选择涉及的乡镇，或选“全县”");
        assert_eq!(
            f["judgments[3].townships"],
            "乡镇 510723101000 不在本县范围内"
        );
        assert!(
            f["judgments[4].hazard_type"]
                .as_str()
                .unwrap()
                .contains("字典")
        );
        assert!(!f.contains_key("judgments[0].text"), "{body}");

        // Missing basics, and a department of no one's.
        let (status, body) = disaster
            .post_json(API, &json!({"departments": ["not-an-id"]}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let f = fields(&body);
        for key in [
            "title",
            "period_from",
            "period_to",
            "meeting_on",
            "convener",
            "departments",
        ] {
            assert!(f.contains_key(key), "{key} in {body}");
        }
        // A date that is not one.
        let mut bad = ok.clone();
        bad["meeting_on"] = json!("6月1日");
        let (_, body) = disaster.post_json(API, &bad).await;
        assert_eq!(fields(&body)["meeting_on"], "日期格式应为 2026-06-01");

        // A draft may lack judgments, measures and issuer, but cannot be issued that way.
        let mut thin = ok.clone();
        thin["judgments"] = json!([]);
        thin["measures"] = json!("");
        thin["issuer"] = Value::Null;
        thin["departments"] = json!([]);
        let d = draft(&disaster, &thin).await;
        let (status, body) = issue(&disaster, &d).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let f = fields(&body);
        assert_eq!(f["judgments"], "印发前请至少填写一条风险研判");
        assert_eq!(f["departments"], "印发前请至少选择一个参会部门");
        assert_eq!(f["measures"], "印发前请填写防范措施建议");
        assert_eq!(f["issuer"], "印发前请填写签发人");

        // A bad edit leaves the draft as it was.
        let mut edit = bad.clone();
        edit["version"] = d["version"].clone();
        let (status, _) = disaster
            .patch_json(&format!("{API}/{}", d["id"].as_str().unwrap()), &edit)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, same) = disaster
            .get_json(&format!("{API}/{}", d["id"].as_str().unwrap()))
            .await;
        assert_eq!(same["version"], d["version"]);
        assert_eq!(same["meeting_on"], "2026-06-01");

        // Nothing half-written: one report, one creation in the trail, no number used.
        let (_, all) = disaster.get_json(API).await;
        assert_eq!(all["total"], 1, "{all}");
        let auditor = login(&app, "auditor").await;
        assert_eq!(
            audit_total(&auditor, "entity=warning_consultation").await,
            1
        );
        let good = issued(&disaster, &ok).await;
        assert_eq!(good["number"], "三台应急会商〔2026〕1号");
    })
    .await;
}

#[tokio::test]
async fn townships_read_their_countys_issued_reports_but_only_the_county_writes() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let weather = department(&app, "气象").await;
        let body = report(
            "会商报告",
            ("2026-06-02", "2026-06-10"),
            &[&weather],
            vec![flood(&[TASHAN])],
        );
        let out = issued(&disaster, &body).await;
        let kept = draft(&disaster, &body).await;

        // 潼川镇 reads the county's issued report (though it concerns 塔山镇), not the draft.
        let town = login(&app, "tongchuan").await;
        let (status, list) = town.get_json(API).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], out["id"]);
        let out_id = out["id"].as_str().unwrap();
        let kept_id = kept["id"].as_str().unwrap();
        assert_eq!(
            town.get_json(&format!("{API}/{out_id}")).await.0,
            StatusCode::OK
        );
        assert_eq!(
            town.get_json(&format!("{API}/{kept_id}")).await.0,
            StatusCode::NOT_FOUND
        );
        let docx = town.get(&format!("{API}/{out_id}/docx")).await;
        assert_eq!(docx.status(), StatusCode::OK);
        let (status, page) = town.text(&format!("/warning/consultations/{out_id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("/issue\"") && !page.contains("/void\""));

        // ... but writes nothing.
        let (status, _) = town.post_json(API, &body).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let mut edit = body.clone();
        edit["version"] = kept["version"].clone();
        assert_eq!(
            town.patch_json(&format!("{API}/{kept_id}"), &edit).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            town.post_json(
                &format!("{API}/{out_id}/void"),
                &json!({"version": out["version"], "reason": "x"})
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            town.get("/warning/consultations/new").await.status(),
            StatusCode::FORBIDDEN
        );

        // The bureau's leader reads drafts too, without writing; work-safety staff read nothing.
        let leader = login(&app, "leader").await;
        let (_, list) = leader.get_json(API).await;
        assert_eq!(list["total"], 2);
        assert_eq!(leader.post_json(API, &body).await.0, StatusCode::FORBIDDEN);
        let (_, page) = leader.text("/warning/consultations").await;
        assert!(!page.contains("拟写会商报告"));
        let safety = login(&app, "safety").await;
        assert_eq!(safety.get_json(API).await.0, StatusCode::FORBIDDEN);
        let (_, home) = safety.text("/").await;
        assert!(!home.contains("/warning/consultations"));

        // A village liaison and a member department's liaison read what the county issued.
        for who in ["village", "housing"] {
            let reader = login(&app, who).await;
            let (_, list) = reader.get_json(API).await;
            assert_eq!(list["total"], 1, "{who}: {list}");
            assert_eq!(
                reader.get_json(&format!("{API}/{kept_id}")).await.0,
                StatusCode::NOT_FOUND
            );
        }
    })
    .await;
}

/// The numbers or titles of a filtered list, sorted.
async fn found(session: &Session, query: &str) -> Vec<String> {
    let (status, page) = session.get_json(&format!("{API}?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {page}");
    let mut titles: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    assert_eq!(page["total"], titles.len() as u64, "{query}");
    titles
}

#[tokio::test]
async fn the_archive_filters_exactly_and_exports_what_it_shows() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let weather = department(&app, "气象").await;
        let forestry = department(&app, "林业").await;
        // A: floods in 潼川镇, 6/1–6/10, issued.
        let a = report(
            "A 汛期会商",
            ("2026-06-01", "2026-06-10"),
            &[&weather],
            vec![flood(&[TONGCHUAN])],
        );
        issued(&disaster, &a).await;
        // B: landslides county-wide, 6/11–6/20, a draft.
        let b = report(
            "B 地灾会商",
            ("2026-06-11", "2026-06-20"),
            &[&weather],
            vec![judgment(
                "landslide",
                "elevated",
                &[COUNTY],
                "切坡建房点风险较高",
            )],
        );
        draft(&disaster, &b).await;
        // C: forest fire in 塔山镇, 5/20–5/31, issued then voided.
        let mut c = report(
            "C 森林防火会商",
            ("2026-05-20", "2026-05-31"),
            &[&forestry],
            vec![judgment(
                "forest_fire",
                "moderate",
                &[TASHAN],
                "清明后野外用火减少",
            )],
        );
        c["measures"] = json!("严管野外火源，加强护林员巡山。");
        let c = issued(&disaster, &c).await;
        let (status, _) = disaster
            .post_json(
                &format!("{API}/{}/void", c["id"].as_str().unwrap()),
                &json!({"version": c["version"], "reason": "重复印发"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        // D: floods in 塔山镇, met late in 2025, never issued.
        let mut d = report(
            "D 元旦会商",
            ("2026-01-01", "2026-01-10"),
            &[&weather],
            vec![flood(&[TASHAN])],
        );
        d["meeting_on"] = json!("2025-12-28");
        draft(&disaster, &d).await;

        let all = ["A 汛期会商", "B 地灾会商", "C 森林防火会商", "D 元旦会商"];
        let pick = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(found(&disaster, "").await, pick(&all));
        assert_eq!(found(&disaster, "year=2026").await, pick(&all[..3]));
        assert_eq!(found(&disaster, "year=2025").await, pick(&["D 元旦会商"]));
        assert_eq!(
            found(&disaster, "from=2026-06-05&to=2026-06-12").await,
            pick(&["A 汛期会商", "B 地灾会商"])
        );
        assert_eq!(
            found(&disaster, "from=2026-05-31&to=2026-05-31").await,
            pick(&["C 森林防火会商"])
        );
        assert_eq!(
            found(&disaster, "to=2026-01-05").await,
            pick(&["D 元旦会商"])
        );
        assert_eq!(
            found(&disaster, "hazard=flood").await,
            pick(&["A 汛期会商", "D 元旦会商"])
        );
        assert_eq!(
            found(&disaster, "hazard=hydro").await,
            pick(&["A 汛期会商", "D 元旦会商"]),
            "a category finds its kinds"
        );
        assert_eq!(
            found(&disaster, "hazard=geological").await,
            pick(&["B 地灾会商"])
        );
        assert_eq!(
            found(&disaster, &format!("township={TONGCHUAN}")).await,
            pick(&["A 汛期会商", "B 地灾会商"]),
            "county-wide judgments concern every township"
        );
        assert_eq!(
            found(&disaster, &format!("township={TASHAN}")).await,
            pick(&["B 地灾会商", "C 森林防火会商", "D 元旦会商"])
        );
        assert_eq!(found(&disaster, "q=切坡建房").await, pick(&["B 地灾会商"]));
        assert_eq!(
            found(&disaster, "q=护林员").await,
            pick(&["C 森林防火会商"])
        );
        assert_eq!(found(&disaster, "q=元旦").await, pick(&["D 元旦会商"]));
        assert_eq!(
            found(&disaster, "q=会商〔2026〕1号").await,
            pick(&["A 汛期会商"])
        );
        assert_eq!(
            found(&disaster, "state=voided").await,
            pick(&["C 森林防火会商"])
        );
        assert_eq!(
            found(&disaster, &format!("state=draft&township={TASHAN}")).await,
            pick(&["B 地灾会商", "D 元旦会商"])
        );
        assert_eq!(
            found(&disaster, "hazard=flood&year=2026&state=issued").await,
            pick(&["A 汛期会商"])
        );
        // Blank fields from the search form mean "any".
        assert_eq!(
            found(&disaster, "q=&year=&from=&to=&hazard=&township=&state=").await,
            pick(&all)
        );
        // Pages.
        let (_, page) = disaster.get_json(&format!("{API}?per_page=3&page=2")).await;
        assert_eq!(page["total"], 4);
        assert_eq!(page["items"].as_array().unwrap().len(), 1);

        // The list page shows the same, with the filter kept in the export link.
        let (status, page) = disaster
            .text(&format!(
                "/warning/consultations?hazard=flood&township={TASHAN}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("D 元旦会商") && !page.contains("A 汛期会商"));
        assert!(page.contains("/warning/consultations/export?hazard=flood"));
        assert!(page.contains(&format!("township={TASHAN}\">导出")));

        // Export what is filtered, read back.
        let response = disaster
            .get("/warning/consultations/export?hazard=flood")
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        use calamine::Reader;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("风险会商").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 3, "header and two flood reports");
        assert_eq!(rows[0][0].to_string(), "文号");
        assert_eq!(rows[0][8].to_string(), "风险研判");
        let a_row = rows.iter().find(|r| r[1] == "A 汛期会商").expect("A");
        assert_eq!(a_row[0].to_string(), "三台应急会商〔2026〕1号");
        assert_eq!(a_row[2].to_string(), "已印发");
        assert_eq!(a_row[3].to_string(), "2026-06-01 至 2026-06-10");
        assert_eq!(a_row[6].to_string(), "县气象局");
        assert!(
            a_row[8]
                .to_string()
                .starts_with("洪涝｜高｜潼川镇｜预计6月3日")
        );
        let d_row = rows.iter().find(|r| r[1] == "D 元旦会商").expect("D");
        assert_eq!(d_row[0].to_string(), "");
        assert_eq!(d_row[2].to_string(), "草稿");
        // A township's export holds only what it may read.
        let town = login(&app, "tashan").await;
        let response = town.get("/warning/consultations/export").await;
        let bytes = response.bytes().await.unwrap();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let rows = book.worksheet_range("风险会商").unwrap().rows().count();
        assert_eq!(rows, 3, "header, A and the voided C");
    })
    .await;
}

#[tokio::test]
async fn pages_draft_add_rows_issue_and_print() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let weather = department(&app, "气象").await;
        let (_, home) = disaster.text("/").await;
        assert!(home.contains("/warning/consultations") && home.contains("预警与会商"));
        let (status, page) = disaster.text("/warning/consultations/new").await;
        assert_eq!(status, StatusCode::OK);
        for expected in [
            "增加一条研判",
            "潼川镇",
            "全县",
            "洪涝",
            "滑坡",
            "县气象局",
            "较高",
        ] {
            assert!(page.contains(expected), "{expected}");
        }
        // One more row through htmx: a fragment, with the button for the next.
        let (status, row) = disaster
            .text("/warning/consultations/judgment-row?index=2")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(row.contains("value=\"2:510722101000\"") && row.contains("index=3"));
        assert!(!row.contains("<html"));

        let form = |period_to: &'static str| {
            vec![
                ("title", "2026年6月上旬自然灾害风险会商报告"),
                ("period_from", "2026-06-02"),
                ("period_to", period_to),
                ("meeting_on", "2026-06-01"),
                ("convener", "县应急管理局"),
                ("experts", "县自然资源局地灾专家李某"),
                ("measures", "加强巡查\n提前转移"),
                ("issuer", "陈局长"),
                ("j_hazard", "flood"),
                ("j_level", "high"),
                ("j_area", "0:510722101000"),
                ("j_area", "0:510722104000"),
                ("j_text", "强降雨山洪风险高"),
                // An empty second row is dropped.
                ("j_hazard", ""),
                ("j_level", ""),
                ("j_text", ""),
                ("j_hazard", "landslide"),
                ("j_level", "elevated"),
                ("j_area", "2:510722000000"),
                ("j_text", "丘陵区滑坡风险较高"),
            ]
        };
        // A backwards period comes back with the error and what was typed.
        let mut bad = form("2026-05-01");
        bad.push(("departments", weather.as_str()));
        let response = disaster.post_form("/warning/consultations/new", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("会商时段的结束日期不能早于开始日期"));
        assert!(page.contains("强降雨山洪风险高") && page.contains("丘陵区滑坡风险较高"));
        assert!(
            page.contains("value=\"1:510722000000\" checked"),
            "the row moved up, kept"
        );

        let mut good = form("2026-06-10");
        good.push(("departments", weather.as_str()));
        let response = disaster
            .post_form("/warning/consultations/new", &good)
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let id = location
            .trim_start_matches("/warning/consultations/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let (_, c) = disaster.get_json(&format!("{API}/{id}")).await;
        assert_eq!(c["judgments"].as_array().unwrap().len(), 2, "{c}");
        assert_eq!(c["judgments"][0]["areas"].as_array().unwrap().len(), 2);
        assert_eq!(c["judgments"][1]["areas"][0]["name"], "全县");

        // The edit page shows the rows; a judgment row's error is shown beside it.
        let (status, edit) = disaster
            .text(&format!("/warning/consultations/{id}/edit"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(edit.contains("丘陵区滑坡风险较高"));
        let mut missing = good.clone();
        missing.retain(|(k, v)| !(*k == "j_text" && *v == "强降雨山洪风险高"));
        missing.insert(12, ("j_text", ""));
        missing.push(("version", "1"));
        let response = disaster
            .post_form(&format!("/warning/consultations/{id}/edit"), &missing)
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("请填写研判意见"));

        // Issue from the report's page; the number appears, the forms to change it go.
        let (_, detail) = disaster.text(&location).await;
        assert!(detail.contains("（印发时编号）") && detail.contains("/issue\""));
        let response = disaster
            .post_form(
                &format!("/warning/consultations/{id}/issue"),
                &[("version", "1")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, detail) = disaster
            .text(&format!("/warning/consultations/{id}?done=issued"))
            .await;
        assert!(detail.contains("三台应急会商〔2026〕1号"));
        assert!(detail.contains("会商报告已印发"));
        assert!(!detail.contains("/issue\"") && detail.contains("/void\""));
        // A stale void from the page says who changed the report.
        let response = disaster
            .post_form(
                &format!("/warning/consultations/{id}/void"),
                &[("version", "1"), ("reason", "重复")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("周减灾"));

        let (status, print) = disaster
            .text(&format!("/warning/consultations/{id}/print"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(print.contains("（二）滑坡：全县，风险等级较高。丘陵区滑坡风险较高"));
        let (_, list) = disaster.text("/warning/consultations").await;
        assert!(list.contains("三台应急会商〔2026〕1号") && list.contains("tag red"));
        assert!(list.contains("name=\"viewport\""));
    })
    .await;
}

#[tokio::test]
async fn the_demo_year_has_reports_and_issuing_continues_its_numbers() {
    on_each_backend(|app, _| async move {
        // Late November: the year's reports are out, December's is still a draft.
        app.clock.advance(chrono::Duration::days(180));
        warning::consultations::load_demo(&app.state)
            .await
            .expect("demo reports");
        let disaster = login(&app, "disaster").await;
        let (_, all) = disaster.get_json(&format!("{API}?per_page=200")).await;
        let items = all["items"].as_array().unwrap();
        assert_eq!(items.len(), 11, "{all}");
        assert!(
            items
                .iter()
                .all(|c| c["title"].as_str().unwrap().starts_with("【演示】"))
        );
        assert_eq!(items.iter().filter(|c| c["state"] == "voided").count(), 1);
        assert_eq!(items.iter().filter(|c| c["state"] == "draft").count(), 1);
        let (_, hydro) = disaster.get_json(&format!("{API}?hazard=hydro")).await;
        assert!(hydro["total"].as_u64().unwrap() >= 5, "{hydro}");
        // The next report follows the demo's ten numbers.
        let weather = department(&app, "气象").await;
        let body = report(
            "会商报告",
            ("2026-11-29", "2026-12-10"),
            &[&weather],
            vec![flood(&[TONGCHUAN])],
        );
        let next = issued(&disaster, &body).await;
        assert_eq!(next["number"], "三台应急会商〔2026〕11号");
        // A demo letter reads back.
        let first = items
            .iter()
            .find(|c| c["number"] == "三台应急会商〔2026〕1号")
            .expect("January's report");
        let text = read_docx(
            &disaster,
            &format!("{API}/{}/docx", first["id"].as_str().unwrap()),
        )
        .await;
        assert!(text.contains("森林火灾"), "{text}");
        // Loading twice adds nothing.
        warning::consultations::load_demo(&app.state).await.unwrap();
        let (_, again) = disaster.get_json(&format!("{API}?per_page=1")).await;
        assert_eq!(again["total"], 12);
    })
    .await;
}
