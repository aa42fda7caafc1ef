//! 救助名册与发放: a winter–spring relief roll built by 凤凰村's liaison, refused with clear
//! errors for an invalid ID number, an amount over the programme's cap and a household
//! already in the programme (on the same roll, and on another village's roll); an XLSX
//! import with row errors (all or valid only); 公示, township check and county approval; an
//! edit after approval refused without a correction and accepted with one; the 公示 XLSX read
//! back with masked numbers; payments limited to the approved amount, the whole roll paid at
//! once, and the paid totals with person-times (a household paid twice counted once).

use disaster::relief::id_number;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji::testing::TestApp;

use crate::support::*;

const FENGHUANG: &str = "510722101201";
const LIULIN: &str = "510722101204";
const TONGCHUAN: &str = "510722101000";
const API: &str = "/api/v1/disaster/relief";

fn id(n: u32) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1960 + n as i32, 3, 9).unwrap();
    id_number::make("510722", birth, n)
}

fn household(name: &str, id_number: &str, size: u32, amount: &str) -> Value {
    json!({"head_name": name, "id_number": id_number, "size": size,
        "bank_account": "6217000012345678", "reason": "因灾缺衣少被", "amount": amount})
}

async fn add(session: &Session, roll: &str, body: &Value) -> (StatusCode, Value) {
    session
        .post_json(&format!("{API}/rolls/{roll}/households"), body)
        .await
}

fn field_error<'a>(body: &'a Value, field: &str) -> &'a str {
    body["error"]["fields"][field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} error: {body}"))
}

async fn step(session: &Session, roll: &str, body: Value) -> (StatusCode, Value) {
    let (_, detail) = session.get_json(&format!("{API}/rolls/{roll}")).await;
    let mut body = body;
    body["version"] = detail["roll"]["version"].clone();
    session
        .post_json(&format!("{API}/rolls/{roll}/steps"), &body)
        .await
}

async fn import(
    session: &Session,
    roll: &str,
    rows: &[[&str; 7]],
    valid_only: bool,
) -> (StatusCode, Value) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let bytes =
        platform::web::xlsx::workbook("救助名册", &disaster::relief::import::HEADERS, &rows)
            .unwrap();
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("名册.xlsx"),
    );
    if valid_only {
        form = form.text("valid_only", "on");
    }
    session
        .post_multipart(&format!("{API}/rolls/{roll}/import"), form)
        .await
}

fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("range");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// A raw copy of household `id` on another roll, as a second writer racing the first would
/// insert it (the store's own check skipped).
async fn household_row(
    app: &TestApp,
    id: &str,
    roll: &str,
    village: &str,
) -> disaster::relief::entity::household::ActiveModel {
    use disaster::relief::entity::household;
    use sea_orm::{EntityTrait, Set};
    let original = household::Entity::find_by_id(id.parse::<uuid::Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the household");
    household::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        region_code: Set(village.into()),
        version: Set(1),
        created_at: Set(original.created_at),
        created_by: Set(None),
        updated_at: Set(original.updated_at),
        updated_by: Set(None),
        voided_at: Set(None),
        void_reason: Set(None),
        programme_id: Set(original.programme_id),
        roll_id: Set(roll.parse().unwrap()),
        head_name: Set(original.head_name),
        id_number: Set(original.id_number),
        live_id_number: Set(original.live_id_number),
        size: Set(original.size),
        bank_account: Set(original.bank_account),
        phone: Set(None),
        reason: Set(original.reason),
        amount_fen: Set(original.amount_fen),
    }
}

async fn programme(county: &Session) -> String {
    let (status, bad) = county
        .post_json(
            &format!("{API}/programmes"),
            &json!({"kind": "winter_spring", "name": "",
            "period_label": "2026–2027年度冬春", "starts_on": "2027-04-30", "ends_on": "2026-11-01",
            "budget": "abc"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert!(field_error(&bad, "ends_on").contains("不能早于"));
    assert!(field_error(&bad, "budget").contains("预算"));
    let (status, p) = county
        .post_json(&format!("{API}/programmes"), &json!({"kind": "winter_spring",
            "name": "2026–2027年度冬春临时生活困难救助", "period_label": "2026–2027年度冬春",
            "starts_on": "2026-11-01", "ends_on": "2027-04-30", "budget": "5000000", "cap": "2000"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["cap_fen"], 200_000);
    p["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_winter_spring_roll_is_built_checked_approved_and_paid() {
    on_each_backend(|app: TestApp, backend| async move {
        let county = login(&app, "disaster").await;
        let township = login(&app, "tongchuan").await;
        let village = login(&app, "village").await;
        let leader = login(&app, "leader").await;
        let pid = programme(&county).await;

        // The village builds its roll; the township builds 柳林村's.
        let (status, roll) = village.post_json(&format!("{API}/rolls"), &json!({"programme_id": pid})).await;
        assert_eq!(status, StatusCode::CREATED, "{roll}");
        assert_eq!(roll["village"], FENGHUANG);
        let roll = roll["id"].as_str().unwrap().to_string();
        let (status, again) = village.post_json(&format!("{API}/rolls"), &json!({"programme_id": pid})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
        let (status, other) = township
            .post_json(&format!("{API}/rolls"), &json!({"programme_id": pid, "village": LIULIN}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{other}");
        let other = other["id"].as_str().unwrap().to_string();

        // Households: one good, then the refusals, each beside its field.
        let a = id(1);
        let (status, ha) = add(&village, &roll, &household("王德明", &a.to_lowercase(), 4, "1200")).await;
        assert_eq!(status, StatusCode::CREATED, "{ha}");
        assert_eq!(ha["id_number"], a, "stored upper-case");
        let ha_id = ha["id"].as_str().unwrap().to_string();
        let mut wrong = a.clone();
        wrong.replace_range(17.., if a.ends_with('1') { "2" } else { "1" });
        let (status, bad) = add(&village, &roll, &household("李秀英", &wrong, 2, "800")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(field_error(&bad, "id_number").contains("校验位"), "{bad}");
        let (status, bad) = add(&village, &roll, &household("李秀英", &id(2), 2, "2000.01")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(field_error(&bad, "amount").contains("上限 2000.00"), "{bad}");
        let (status, bad) = add(&village, &roll, &household("王德明", &a, 4, "900")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(field_error(&bad, "id_number").contains("已在本名册中"), "{bad}");
        let (status, bad) = add(&township, &other, &household("王德明", &a, 4, "900")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(field_error(&bad, "id_number").contains("凤凰村"), "{bad}");

        // The database itself keeps one live household per programme, whatever the store does.
        let twin = household_row(&app, &ha_id, &other, LIULIN).await;
        let err = sea_orm::ActiveModelTrait::insert(twin, &app.state.db).await.unwrap_err();
        assert!(
            matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))),
            "{err}"
        );

        // Import: everything or nothing, then only the valid rows.
        let (b, c, e) = (id(3), id(4), id(5));
        let rows = [
            ["李秀英", b.as_str(), "2", "6217000011112222", "", "因灾房屋受损", "1500"],
            ["张国华", c.as_str(), "3", "6217000033334444", "13800000000", "因灾缺粮", "900.5"],
            ["刘桂芳", wrong.as_str(), "2", "6217000055556666", "", "因灾缺粮", "800"],
            ["张国华", c.as_str(), "3", "6217000033334444", "", "因灾缺粮", "900"],
            ["王德明", a.as_str(), "4", "6217000012345678", "", "因灾缺粮", "900"],
            ["陈建军", e.as_str(), "0", "1234", "", "因灾缺粮", "2500"],
        ];
        let (status, refused) = import(&village, &roll, &rows, false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["imported"], 0);
        let messages: Vec<(u64, String)> = refused["errors"].as_array().unwrap().iter()
            .map(|e| (e["row"].as_u64().unwrap(), e["message"].as_str().unwrap().to_string()))
            .collect();
        let of_row = |row: u64| messages.iter().filter(|(r, _)| *r == row).map(|(_, m)| m.as_str()).collect::<Vec<_>>().join("；");
        assert!(of_row(4).contains("校验位"), "{messages:?}");
        assert!(of_row(5).contains("与第 3 行重复"), "{messages:?}");
        assert!(of_row(6).contains("已在本名册中"), "{messages:?}");
        assert!(of_row(7).contains("家庭人口") && of_row(7).contains("银行账号") && of_row(7).contains("上限"), "{messages:?}");
        assert!(of_row(2).is_empty() && of_row(3).is_empty(), "{messages:?}");
        let (_, detail) = village.get_json(&format!("{API}/rolls/{roll}")).await;
        assert_eq!(detail["households"].as_array().unwrap().len(), 1, "nothing imported");
        let (status, done) = import(&village, &roll, &rows, true).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!(done["imported"], 2);
        assert_eq!(done["skipped"], 4);

        // 公示 → 乡镇审核 → 县级审批, each at its own level.
        let (status, bad) = step(&village, &roll, json!({"step": "post", "posted_from": "2026-11-10", "posted_to": "2026-11-12"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(field_error(&bad, "posted_to").contains("7 天"));
        let (status, posted) = step(&village, &roll, json!({"step": "post", "posted_from": "2026-11-10", "posted_to": "2026-11-17"})).await;
        assert_eq!(status, StatusCode::OK, "{posted}");
        assert_eq!(posted["state"], "posted");
        // Each level's home page counts the rolls waiting for it, as its list does.
        let waiting = async |session: &Session, state: &str, what: &str| {
            let (_, rolls) = session.get_json(&format!("{API}/rolls?state={state}")).await;
            let n = rolls.as_array().unwrap().len();
            assert!(n > 0, "{state}");
            let (_, home) = session.text("/").await;
            assert!(home.contains(&format!("{n} 份救助名册待{what}")), "{state}: {n}");
        };
        waiting(&township, "posted", "乡镇审核").await;
        let (status, bad) = village
            .send_json(reqwest::Method::PUT, &format!("{API}/households/{ha_id}"),
                &json!({"head_name": "王德明", "id_number": a, "size": 5, "bank_account": "6217000012345678",
                    "reason": "因灾缺衣少被", "amount": "1200", "version": 1}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{bad}");
        assert_eq!(bad["error"]["code"], "roll_in_review");
        let (status, bad) = step(&village, &roll, json!({"step": "township_approve"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{bad}");
        let (status, checked) = step(&township, &roll, json!({"step": "township_approve"})).await;
        assert_eq!(status, StatusCode::OK, "{checked}");
        waiting(&county, "checked", "县级审批").await;
        let (status, bad) = township
            .post_json(&format!("{API}/households/{ha_id}/payments"), &json!({"paid_on": "2027-01-15", "method": "social_card"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{bad}");
        assert_eq!(bad["error"]["code"], "roll_not_approved");
        let (status, approved) = step(&county, &roll, json!({"step": "county_approve"})).await;
        assert_eq!(status, StatusCode::OK, "{approved}");
        assert_eq!(approved["state"], "approved");

        // After approval: a plain edit is refused, a correction with its reason is taken.
        let edit = json!({"head_name": "王德明", "id_number": a, "size": 5, "bank_account": "6217000012345678",
            "reason": "因灾缺衣少被", "amount": "1200", "version": 1});
        let (status, bad) = village.send_json(reqwest::Method::PUT, &format!("{API}/households/{ha_id}"), &edit).await;
        assert_eq!(status, StatusCode::CONFLICT, "{bad}");
        assert_eq!(bad["error"]["code"], "roll_approved");
        assert!(bad["error"]["message"].as_str().unwrap().contains("更正"));
        let (status, bad) = township.post_json(&format!("{API}/households/{ha_id}/correct"), &edit).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(field_error(&bad, "correction_reason").contains("更正原因"));
        let mut correction = edit.clone();
        correction["correction_reason"] = json!("入户核实家庭人口为 5 人");
        let (status, corrected) = township.post_json(&format!("{API}/households/{ha_id}/correct"), &correction).await;
        assert_eq!(status, StatusCode::OK, "{corrected}");
        assert_eq!(corrected["size"], 5);
        let (_, detail) = village.get_json(&format!("{API}/rolls/{roll}")).await;
        let corrections = detail["corrections"].as_array().unwrap();
        assert_eq!(corrections.len(), 1);
        assert_eq!(corrections[0]["before"]["size"], 4);
        assert_eq!(corrections[0]["after"]["size"], 5);
        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "action=disaster.relief.household.correct").await, 1);

        // 公示 XLSX: masked numbers only; readers see masked numbers in the API too.
        let r = village.get(&format!("/disaster/relief/rolls/{roll}/public.xlsx")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let sheet = cells(&r.bytes().await.unwrap());
        assert_eq!(sheet[0][2], "身份证号");
        assert_eq!(sheet.len(), 4, "{sheet:?}");
        let masked = format!("510722********{}", &a[14..]);
        assert!(sheet.iter().any(|row| row[2] == masked), "{sheet:?}");
        assert!(sheet.iter().all(|row| row[6] == "银行账号" || row[6].starts_with("************")), "{sheet:?}");
        assert!(!sheet.concat().iter().any(|c| c.contains(&a) || c.contains(&b) || c.contains("6217000012345678")));
        let (_, seen) = leader.get_json(&format!("{API}/rolls/{roll}")).await;
        assert!(seen["households"].as_array().unwrap().iter().all(|h| h["masked"] == true && h["id_number"].as_str().unwrap().contains("********")));

        // Payments: part of one household, not more than approved, then the rest of the roll.
        let (status, paid) = township
            .post_json(&format!("{API}/households/{ha_id}/payments"),
                &json!({"amount": "500", "paid_on": "2027-01-10", "method": "bank", "reference": "YH-001"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{paid}");
        let (status, bad) = township
            .post_json(&format!("{API}/households/{ha_id}/payments"),
                &json!({"amount": "700.01", "paid_on": "2027-01-10", "method": "bank"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(field_error(&bad, "amount").contains("700.00"), "{bad}");
        let (status, bad) = village
            .post_json(&format!("{API}/rolls/{roll}/pay"), &json!({"paid_on": "2027-01-15", "method": "social_card"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{bad}");
        let (status, all) = township
            .post_json(&format!("{API}/rolls/{roll}/pay"), &json!({"paid_on": "2027-01-15", "method": "social_card", "reference": "SB-20270115"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{all}");
        assert_eq!(all["households"], 3);
        assert_eq!(all["paid_fen"], 70_000 + 150_000 + 90_050);
        let (status, again) = township
            .post_json(&format!("{API}/rolls/{roll}/pay"), &json!({"paid_on": "2027-01-16", "method": "cash"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");

        // Totals: 1200 + 1500 + 900.50 yuan to 5 + 2 + 3 people (王德明 paid twice, counted once).
        let (status, totals) = county.get_json(&format!("{API}/totals?from=2027-01-01&to=2027-01-31")).await;
        assert_eq!(status, StatusCode::OK, "{totals}");
        assert_eq!(totals.as_array().unwrap().len(), 1, "{totals}");
        assert_eq!(totals[0]["township"], TONGCHUAN);
        assert_eq!(totals[0]["paid_fen"], 360_050);
        assert_eq!(totals[0]["households"], 3);
        assert_eq!(totals[0]["person_times"], 10);
        let (_, before_paying) = county.get_json(&format!("{API}/totals?from=2027-01-11&to=2027-01-31")).await;
        assert_eq!(before_paying[0]["paid_fen"], 310_050, "the 10 January instalment left out");
        let (status, bad) = county.get_json(&format!("{API}/totals?from=去年")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let (_, detail) = county.get_json(&format!("{API}/programmes/{pid}")).await;
        assert_eq!(detail["paid_fen"], 360_050);
        assert_eq!(detail["person_times"], 10);
        println!("relief roll built and paid on {}", backend.name());
    })
    .await;
}

#[tokio::test]
async fn a_voided_household_may_be_entered_again_and_pages_render() {
    on_each_backend(|app: TestApp, _| async move {
        let county = login(&app, "disaster").await;
        let village = login(&app, "village").await;
        let pid = programme(&county).await;
        let (_, roll) = village
            .post_json(&format!("{API}/rolls"), &json!({"programme_id": pid}))
            .await;
        let roll = roll["id"].as_str().unwrap().to_string();
        let a = id(7);
        let (status, bad) = add(&county, &roll, &household("赵文斌", &a, 3, "1000")).await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "the county approves, it does not fill in: {bad}"
        );
        let (_, h) = add(&village, &roll, &household("赵文斌", &a, 3, "1000")).await;
        let (status, bad) = village
            .post_json(
                &format!("{API}/households/{}/void", h["id"].as_str().unwrap()),
                &json!({"reason": ""}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let (status, _) = village
            .post_json(
                &format!("{API}/households/{}/void", h["id"].as_str().unwrap()),
                &json!({"reason": "姓名录错"}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, again) = add(&village, &roll, &household("赵文彬", &a, 3, "1000")).await;
        assert_eq!(status, StatusCode::CREATED, "{again}");
        for path in [
            "/disaster/relief/programmes",
            &format!("/disaster/relief/programmes/{pid}"),
            "/disaster/relief/rolls",
            &format!("/disaster/relief/rolls/{roll}"),
            &format!("/disaster/relief/rolls/{roll}/public"),
            &format!("/disaster/relief/rolls/{roll}/import"),
        ] {
            let (status, html) = village.text(path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {html}");
        }
        // Closing the programme (from its page) stops new households.
        let (_, p) = county.get_json(&format!("{API}/programmes/{pid}")).await;
        let version = p["programme"]["version"].to_string();
        let r = county
            .post_form(
                &format!("/disaster/relief/programmes/{pid}/close"),
                &[("version", version.as_str())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (status, bad) = add(&village, &roll, &household("孙丽华", &id(8), 2, "600")).await;
        assert_eq!(status, StatusCode::CONFLICT, "{bad}");
        assert_eq!(bad["error"]["code"], "programme_closed");
        let (_, public) = village
            .text(&format!("/disaster/relief/rolls/{roll}/public"))
            .await;
        assert!(
            public.contains("赵文彬") && public.contains("510722********") && !public.contains(&a),
            "{public}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_paid_rolls_and_one_being_filled_in() {
    on_each_backend(|app: TestApp, _| async move {
        disaster::relief::load_demo(&app.state).await.expect("demo");
        disaster::relief::load_demo(&app.state)
            .await
            .expect("demo again does nothing");
        let county = login(&app, "disaster").await;
        let (_, rolls) = county.get_json(&format!("{API}/rolls")).await;
        let states: Vec<&str> = rolls
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["state"].as_str().unwrap())
            .collect();
        assert_eq!(
            states.iter().filter(|s| **s == "approved").count(),
            3,
            "{rolls}"
        );
        assert_eq!(
            states.iter().filter(|s| **s == "draft").count(),
            1,
            "{rolls}"
        );
        let (_, totals) = county.get_json(&format!("{API}/totals")).await;
        let paid: i64 = totals
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["paid_fen"].as_i64().unwrap())
            .sum();
        let people: i64 = totals
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["person_times"].as_i64().unwrap())
            .sum();
        assert!(paid > 0 && people >= 15, "{totals}");
    })
    .await;
}
