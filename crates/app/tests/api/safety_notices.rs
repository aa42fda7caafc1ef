//! 函件: drafts, numbering per kind when sent, reading and replying by townships and departments,
//! late and overdue replies, returning a reply, frozen content, stale edits, scope, export.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

fn letter(kind: &str, townships: &[&str], departments: &[&str], due: Option<&str>) -> Value {
    json!({
        "kind": kind,
        "title": "关于做好端午节期间安全防范工作的提示函",
        "content": "各乡镇、各部门：请加强隐患排查，落实值班值守。",
        "reply_required": due.is_some(),
        "reply_due_on": due,
        "townships": townships,
        "departments": departments,
    })
}

async fn housing_department(app: &yingji::testing::TestApp) -> String {
    let admin = login(app, "sysadmin").await;
    let (status, page) = admin.get_json("/api/v1/admin/departments?q=住房").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"][0]["id"].as_str().expect("住建局").to_string()
}

async fn draft(session: &Session, body: &Value) -> Value {
    let (status, created) = session.post_json("/api/v1/safety/notices", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn send(session: &Session, n: &Value) -> (StatusCode, Value) {
    session
        .post_json(
            &format!("/api/v1/safety/notices/{}/send", n["id"].as_str().unwrap()),
            &json!({"version": n["version"]}),
        )
        .await
}

async fn sent(session: &Session, body: &Value) -> Value {
    let n = draft(session, body).await;
    let (status, n) = send(session, &n).await;
    assert_eq!(status, StatusCode::OK, "{n}");
    n
}

fn row<'a>(n: &'a Value, name: &str) -> &'a Value {
    n["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} not among {n}"))
}

fn reply_form(text: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().text("reply", text.to_string())
}

#[tokio::test]
async fn a_letter_is_numbered_read_and_answered() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let housing_id = housing_department(&app).await;

        // A draft without recipients is kept, but cannot be sent.
        let empty = draft(&safety, &letter("reminder", &[], &[], Some("2026-06-05"))).await;
        assert_eq!(empty["state"], "draft");
        assert!(empty["number"].is_null());
        let (status, body) = send(&safety, &empty).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["townships"].is_string(), "{body}");

        // A reply date before today is refused.
        let (status, body) = safety
            .post_json(
                "/api/v1/safety/notices",
                &letter("reminder", &[TONGCHUAN], &[], Some("2026-05-30")),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["reply_due_on"]
                .as_str()
                .unwrap()
                .contains("不能早于发出日期"),
            "{body}"
        );

        // A township officer does not send letters.
        let town = login(&app, "tongchuan").await;
        let (status, _) = town
            .post_json(
                "/api/v1/safety/notices",
                &letter("reminder", &[TONGCHUAN], &[], None),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Stale edits of a draft are refused.
        let d = draft(
            &safety,
            &letter(
                "reminder",
                &[TONGCHUAN, TASHAN],
                &[&housing_id],
                Some("2026-06-05"),
            ),
        )
        .await;
        let id = d["id"].as_str().unwrap().to_string();
        let mut edit = letter(
            "reminder",
            &[TONGCHUAN, TASHAN],
            &[&housing_id],
            Some("2026-06-05"),
        );
        edit["title"] = json!("关于做好端午节和汛期安全防范工作的提示函");
        edit["version"] = d["version"].clone();
        let (status, d2) = safety
            .patch_json(&format!("/api/v1/safety/notices/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::OK, "{d2}");
        let (status, body) = safety
            .patch_json(&format!("/api/v1/safety/notices/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "stale_edit");

        // Numbers run per kind, consecutively.
        let (status, n) = send(&safety, &d2).await;
        assert_eq!(status, StatusCode::OK, "{n}");
        assert_eq!(n["number"], "三台应急提〔2026〕1号");
        assert_eq!(n["state"], "sent");
        assert_eq!(n["recipients"].as_array().unwrap().len(), 3);
        let second = sent(&safety, &letter("reminder", &[TONGCHUAN], &[], None)).await;
        assert_eq!(second["number"], "三台应急提〔2026〕2号");
        let sup = sent(
            &safety,
            &letter("supervision", &[TONGCHUAN], &[], Some("2026-06-10")),
        )
        .await;
        assert_eq!(sup["number"], "三台应急督〔2026〕1号");
        let third = sent(&safety, &letter("reminder", &[TONGCHUAN], &[], None)).await;
        assert_eq!(third["number"], "三台应急提〔2026〕3号");

        // The letter's own document: its recipients fetch it through the letter, others not.
        let form = reqwest::multipart::Form::new().part(
            "files",
            reqwest::multipart::Part::bytes(b"%PDF-1.4 letter".to_vec()).file_name("通知.pdf"),
        );
        let (status, saved) = safety
            .post_multipart(&format!("/api/v1/safety/notices/{id}/files"), form)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
        let (status, listed) = town
            .get_json(&format!("/api/v1/safety/notices/{id}/files"))
            .await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        let letter_href = listed[0]["href"].as_str().unwrap().to_string();
        assert!(letter_href.starts_with(&format!("/safety/notices/{id}/files/")));
        let fetched = town.get(&letter_href).await;
        assert_eq!(fetched.status(), StatusCode::OK);
        assert_eq!(
            fetched.bytes().await.unwrap().to_vec(),
            b"%PDF-1.4 letter".to_vec()
        );
        let third_id = third["id"].as_str().unwrap();
        let elsewhere = letter_href.replace(id.as_str(), third_id);
        assert_eq!(town.get(&elsewhere).await.status(), StatusCode::NOT_FOUND);

        // A sent letter is frozen.
        let mut late_edit = edit.clone();
        late_edit["version"] = n["version"].clone();
        let (status, body) = safety
            .patch_json(&format!("/api/v1/safety/notices/{id}"), &late_edit)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "transition_refused");

        // 潼川镇 sees it unread in the inbox, first among unread letters.
        let (status, inbox) = town.get_json("/api/v1/safety/inbox").await;
        assert_eq!(status, StatusCode::OK, "{inbox}");
        assert_eq!(inbox["unread"], 4, "{inbox}");
        assert_eq!(inbox["total"], 4);
        // Replying before opening is fine, but first it opens: read once, time kept.
        let (status, opened) = town.get_json(&format!("/api/v1/safety/inbox/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{opened}");
        let mine = &opened["recipients"][0];
        assert_eq!(
            opened["recipients"].as_array().unwrap().len(),
            1,
            "only the own row"
        );
        assert_eq!(mine["name"], "潼川镇");
        assert_eq!(mine["state"], "read");
        assert_eq!(mine["read_by_name"], "潼川镇应急办");
        let read_at = mine["read_at"].clone();
        app.clock.advance(chrono::Duration::minutes(10));
        let (_, again) = town.get_json(&format!("/api/v1/safety/inbox/{id}")).await;
        assert_eq!(
            again["recipients"][0]["read_at"], read_at,
            "read time recorded once"
        );
        let (_, inbox) = town.get_json("/api/v1/safety/inbox").await;
        assert_eq!(inbox["unread"], 3);

        // 塔山镇 is not on the supervision letter: 404 both ways.
        let tashan = login(&app, "tashan").await;
        let sup_id = sup["id"].as_str().unwrap();
        for path in [
            format!("/api/v1/safety/inbox/{sup_id}"),
            format!("/api/v1/safety/notices/{sup_id}"),
            format!("/api/v1/safety/notices/{sup_id}/files"),
        ] {
            assert_eq!(
                tashan.get_json(&path).await.0,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let form = reply_form("已落实");
        let (status, _) = tashan
            .post_multipart(&format!("/api/v1/safety/inbox/{sup_id}/reply"), form)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Drafts are nobody's mail.
        let empty_id = empty["id"].as_str().unwrap();
        assert_eq!(
            town.get_json(&format!("/api/v1/safety/inbox/{empty_id}"))
                .await
                .0,
            StatusCode::NOT_FOUND
        );

        // 潼川镇 replies with a document; a second reply is refused.
        let form = reply_form("已组织专项检查，整改一般隐患 3 处。").part(
            "files",
            reqwest::multipart::Part::bytes(b"%PDF-1.4 reply".to_vec()).file_name("落实情况.pdf"),
        );
        let (status, replied) = town
            .post_multipart(&format!("/api/v1/safety/inbox/{id}/reply"), form)
            .await;
        assert_eq!(status, StatusCode::OK, "{replied}");
        let mine = &replied["recipients"][0];
        assert_eq!(mine["state"], "replied");
        assert_eq!(mine["replied_late"], false);
        assert_eq!(mine["files"][0]["filename"], "落实情况.pdf");
        let href = mine["files"][0]["href"].as_str().unwrap().to_string();
        assert_eq!(town.get(&href).await.status(), StatusCode::OK);
        let (status, body) = town
            .post_multipart(
                &format!("/api/v1/safety/inbox/{id}/reply"),
                reply_form("再次回复"),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        // The department's liaison replies for 住建局.
        let housing = login(&app, "housing").await;
        let (_, inbox) = housing.get_json("/api/v1/safety/inbox").await;
        assert_eq!(inbox["total"], 1, "{inbox}");
        let (status, body) = housing
            .post_multipart(
                &format!("/api/v1/safety/inbox/{id}/reply"),
                reply_form("已部署在建工地防汛检查。"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["recipients"][0]["name"], "县住房和城乡建设局");
        // ... and cannot answer for 潼川镇's second letter.
        let second_id = second["id"].as_str().unwrap();
        assert_eq!(
            housing
                .get_json(&format!("/api/v1/safety/inbox/{second_id}"))
                .await
                .0,
            StatusCode::NOT_FOUND
        );

        // The sender sees every recipient.
        let (_, n) = safety
            .get_json(&format!("/api/v1/safety/notices/{id}"))
            .await;
        assert_eq!(row(&n, "潼川镇")["state"], "replied");
        assert_eq!(row(&n, "县住房和城乡建设局")["state"], "replied");
        assert_eq!(row(&n, "塔山镇")["state"], "unread");
        assert_eq!(row(&n, "潼川镇")["files"][0]["filename"], "落实情况.pdf");
        assert_eq!(n["counts"]["replied"], 2);

        // The date passes: 塔山镇 is overdue (list filter, home page), then replies late.
        app.clock.advance(chrono::Duration::days(5));
        // Sessions idle for days have ended: everyone logs in again.
        let safety = login(&app, "safety").await;
        let town = login(&app, "tongchuan").await;
        let tashan = login(&app, "tashan").await;
        let (_, overdue) = safety.get_json("/api/v1/safety/notices?overdue=true").await;
        assert_eq!(overdue["total"], 1, "{overdue}");
        assert_eq!(overdue["items"][0]["id"], id.as_str());
        assert_eq!(overdue["items"][0]["counts"]["overdue"], 1);
        let (_, home) = safety.text("/").await;
        assert!(home.contains("1 份函件有逾期未回复"), "sender's work item");
        let (_, home) = tashan.text("/").await;
        assert!(home.contains("份函件待回复"), "recipient's work item");
        let (status, late) = tashan
            .post_multipart(
                &format!("/api/v1/safety/inbox/{id}/reply"),
                reply_form("已落实（迟报）"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{late}");
        assert_eq!(late["recipients"][0]["replied_late"], true);
        let (_, n) = safety
            .get_json(&format!("/api/v1/safety/notices/{id}"))
            .await;
        assert_eq!(row(&n, "塔山镇")["replied_late"], true);
        assert_eq!(n["counts"]["late"], 1, "the late reply counts as 逾期");
        assert_eq!(n["counts"]["overdue"], 0);
        let (status, page) = safety.text(&format!("/safety/notices/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("逾期回复"), "the page shows the late reply");

        // The sender returns 潼川镇's reply; it replies again.
        let tc_row = row(&n, "潼川镇")["id"].as_str().unwrap().to_string();
        let ret = format!("/api/v1/safety/notices/{id}/recipients/{tc_row}/return");
        let (status, body) = safety.post_json(&ret, &json!({"reason": ""})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = safety
            .post_json(&ret, &json!({"reason": "请补充整改照片"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(row(&body, "潼川镇")["state"], "read");
        assert_eq!(row(&body, "潼川镇")["returned_reason"], "请补充整改照片");
        let (status, again) = town
            .post_multipart(
                &format!("/api/v1/safety/inbox/{id}/reply"),
                reply_form("已补充照片"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["recipients"][0]["reply"], "已补充照片");

        // Export with the counts, read back.
        let response = safety.get("/safety/notices/export?kind=reminder").await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        use calamine::Reader;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("函件").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(
            rows.len(),
            5,
            "header, three sent reminders and the empty draft"
        );
        assert_eq!(rows[0][0].to_string(), "文号");
        assert_eq!(rows[0][8].to_string(), "已读");
        let first = rows
            .iter()
            .find(|r| r[0] == "三台应急提〔2026〕1号")
            .expect("the first reminder");
        assert_eq!(first[7].to_string(), "3");
        assert_eq!(first[8].to_string(), "3", "read");
        assert_eq!(first[9].to_string(), "3", "replied");
        // 塔山镇 late, and 潼川镇's second reply (after the return) came after the date too.
        assert_eq!(first[10].to_string(), "2", "late");

        // Closing: the supervision letter still lacks 潼川镇's reply, so a note is needed.
        let close = format!("/api/v1/safety/notices/{sup_id}/close");
        let (status, body) = safety
            .post_json(&close, &json!({"version": sup["version"]}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = safety
            .post_json(
                &close,
                &json!({"version": sup["version"], "note": "已电话督促，现场核实"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["state"], "closed");
        let (status, _) = town
            .post_multipart(
                &format!("/api/v1/safety/inbox/{sup_id}/reply"),
                reply_form("迟到的回复"),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Every step is in the trail.
        let auditor = login(&app, "auditor").await;
        assert!(audit_total(&auditor, "action=notice.send").await >= 4);
        assert_eq!(audit_total(&auditor, "action=notice.reply").await, 4);
        assert_eq!(audit_total(&auditor, "action=notice.return").await, 1);

        // The API is documented.
        let (_, doc) = safety.get_json("/api/openapi.json").await;
        for path in [
            "/api/v1/safety/notices",
            "/api/v1/safety/notices/{id}/send",
            "/api/v1/safety/inbox",
            "/api/v1/safety/inbox/{id}/reply",
        ] {
            assert!(doc["paths"][path].is_object(), "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn pages_draft_send_print_and_reply() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let (status, page) = safety.text("/safety/notices/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("全选乡镇"));
        assert!(page.contains("潼川镇") && page.contains("县住房和城乡建设局"));

        // Missing title: the form comes back with the error and what was typed.
        let response = safety
            .post_form(
                "/safety/notices/new",
                &[
                    ("kind", "reminder"),
                    ("title", ""),
                    ("content", "请做好防汛工作"),
                    ("townships", TONGCHUAN),
                    ("townships", TASHAN),
                    ("reply_required", "true"),
                    ("reply_due_on", "2026-06-08"),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "drafts may lack a title"
        );
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let id = location
            .trim_start_matches("/safety/notices/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let (_, page) = safety.text(&location).await;
        let version = page
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let response = safety
            .post_form(
                &format!("/safety/notices/{id}/send"),
                &[("version", &version)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("请填写标题"));

        let response = safety
            .post_form(
                &format!("/safety/notices/{id}/edit"),
                &[
                    ("kind", "reminder"),
                    ("title", "关于做好强降雨防范工作的提示函"),
                    ("content", "请做好防汛工作"),
                    ("townships", TONGCHUAN),
                    ("townships", TASHAN),
                    ("reply_required", "true"),
                    ("reply_due_on", "2026-06-08"),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let next = (version.parse::<i32>().unwrap() + 1).to_string();
        let response = safety
            .post_form(&format!("/safety/notices/{id}/send"), &[("version", &next)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, page) = safety.text(&format!("/safety/notices/{id}")).await;
        assert!(page.contains("三台应急提〔2026〕1号"));
        assert!(page.contains("hx-trigger=\"every 30s\""));
        let (_, fragment) = safety
            .text(&format!("/safety/notices/{id}/recipients"))
            .await;
        assert!(fragment.contains("未读") && !fragment.contains("<html"));

        // The printable letter: number, recipients, date, no navigation.
        let (status, print) = safety.text(&format!("/safety/notices/{id}/print")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(print.contains("三台应急提〔2026〕1号"));
        assert!(print.contains("潼川镇、塔山镇："));
        assert!(print.contains("2026年6月1日"));
        assert!(print.contains("@page") && !print.contains("sidebar"));

        // The township's inbox page: unread first, opening marks it read, reply with a file.
        let town = login(&app, "tongchuan").await;
        let (_, inbox) = town.text("/safety/inbox").await;
        assert!(inbox.contains("1 份未读"));
        let (_, list) = town.text("/safety/notices").await;
        assert!(
            list.is_empty(),
            "the sender's list redirects a township to its inbox"
        );
        let (status, opened) = town.text(&format!("/safety/inbox/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(opened.contains("已读"));
        let form = reply_form("已部署").part(
            "files",
            reqwest::multipart::Part::bytes(b"\xFF\xD8\xFF\xE0 photo".to_vec())
                .file_name("现场.jpg"),
        );
        let r = town
            .client
            .post(town.url(&format!("/safety/inbox/{id}/reply?_csrf={}", town.csrf)))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, inbox) = town.text("/safety/inbox").await;
        assert!(!inbox.contains("份未读"));
        let (_, fragment) = safety
            .text(&format!("/safety/notices/{id}/recipients"))
            .await;
        assert!(fragment.contains("已回复") && fragment.contains("现场.jpg"));
        // The bureau's leader reads the letter and its replies, without the sender's forms.
        let leader = login(&app, "leader").await;
        let (status, page) = leader.text(&format!("/safety/notices/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("已回复") && !page.contains("/close\""),
            "{page}"
        );
        // A village liaison (no work-safety permission) still cannot.
        let village = login(&app, "village").await;
        assert_eq!(
            village
                .get(&format!("/safety/notices/{id}/print"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn the_demo_year_has_letters_of_every_kind_and_some_overdue() {
    on_each_backend(|app, _| async move {
        // Late November, when most of the year's letters are out.
        app.clock.advance(chrono::Duration::days(180));
        safety::notices::load_demo(&app.state)
            .await
            .expect("demo letters");
        let safety = login(&app, "safety").await;
        let (_, all) = safety.get_json("/api/v1/safety/notices?per_page=200").await;
        let items = all["items"].as_array().unwrap();
        assert!((55..=62).contains(&items.len()), "{}", items.len());
        assert!(
            items
                .iter()
                .all(|n| n["title"].as_str().unwrap().starts_with("【演示】"))
        );
        let reminders = items.iter().filter(|n| n["kind"] == "reminder").count();
        assert!(reminders > items.len() / 2, "mostly 安全提示函");
        assert!(items.iter().any(|n| n["number"] == "三台应急督〔2026〕1号"));
        let (_, overdue) = safety.get_json("/api/v1/safety/notices?overdue=true").await;
        assert!(overdue["total"].as_u64().unwrap() >= 1, "{overdue}");
        let town = login(&app, "tongchuan").await;
        let (_, inbox) = town.get_json("/api/v1/safety/inbox").await;
        assert!(inbox["total"].as_u64().unwrap() > 20, "{inbox}");
        let totals = safety::notices::totals(
            &app.state.db,
            &platform::access::Scope::of("510722000000"),
            "2026-01-01".parse().unwrap(),
            "2026-06-30".parse().unwrap(),
            safety::notices::store::today(&app.state),
        )
        .await
        .unwrap();
        assert!(totals.sent > 20 && totals.replied > 0, "{totals:?}");
        assert!(totals.replied <= totals.recipients);
        // Up to today, the statistics' reply figures are the letters' own counts summed.
        let today = safety::notices::store::today(&app.state);
        let now = safety::notices::totals(
            &app.state.db,
            &platform::access::Scope::of("510722000000"),
            "2026-01-01".parse().unwrap(),
            today,
            today,
        )
        .await
        .unwrap();
        let (_, listed) = safety
            .get_json(&format!(
                "/api/v1/safety/notices?from=2026-01-01&to={today}&per_page=200"
            ))
            .await;
        let letters: Vec<&Value> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["state"] != "draft")
            .collect();
        let sum = |key: &str| -> u64 {
            letters
                .iter()
                .map(|n| n["counts"][key].as_u64().unwrap())
                .sum()
        };
        assert_eq!(letters.len() as u64, now.sent);
        assert_eq!(
            (sum("recipients"), sum("replied"), sum("late")),
            (now.recipients, now.replied, now.overdue),
            "{now:?}"
        );
        assert!(now.overdue > 0, "the demo has late replies: {now:?}");
        // Loading twice adds nothing.
        safety::notices::load_demo(&app.state).await.unwrap();
        let (_, again) = safety.get_json("/api/v1/safety/notices?per_page=1").await;
        assert_eq!(again["total"], all["total"]);
        // The demo drew its numbers from the county's counter: a new letter follows them.
        let supervision = items.iter().filter(|n| n["kind"] == "supervision").count();
        let n = sent(&safety, &letter("supervision", &[TONGCHUAN], &[], None)).await;
        assert_eq!(
            n["number"],
            format!("三台应急督〔2026〕{}号", supervision + 1)
        );
    })
    .await;
}

#[tokio::test]
async fn statistics_judge_overdue_replies_by_the_apps_clock() {
    on_each_backend(|app, _| async move {
        let overdue = |figures: &Value| {
            figures
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["title"] == "函件")
                .and_then(|s| s["figures"].as_array())
                .and_then(|f| f.iter().find(|f| f["label"] == "回复逾期"))
                .map(|f| f["value"].as_str().unwrap().to_string())
                .expect("the overdue replies figure")
        };
        let year = "/api/v1/safety/statistics?from=2026-01-01&to=2026-12-31";
        let safety = login(&app, "safety").await;
        sent(
            &safety,
            &letter("reminder", &[TONGCHUAN], &[], Some("2026-06-10")),
        )
        .await;
        // Today (2026-06-01 on the app's clock) the reply is not yet due, whatever the wall
        // clock says.
        let (_, figures) = safety.get_json(year).await;
        assert_eq!(overdue(&figures), "0", "{figures}");
        app.clock.advance(chrono::Duration::days(10));
        let safety = login(&app, "safety").await;
        let (_, figures) = safety.get_json(year).await;
        assert_eq!(overdue(&figures), "1", "{figures}");
    })
    .await;
}
