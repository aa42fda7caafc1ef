//! 通讯录分组: groups kept in scope and validated, members that drop out when voided, the
//! pages and export, and a warning that also asks a group's people outside its area.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
/// 龙树镇: outside the warning's area.
const OUTSIDE: &str = "510722106000";
const GROUPS: &str = "/api/v1/contact-groups";
const WARNINGS: &str = "/api/v1/warning/warnings";

async fn contact(session: &Session, name: &str, role: &str, region: &str, mobile: &str) -> String {
    let body = json!({"name": name, "role": role, "region_code": region, "mobile": mobile});
    let (status, c) = session.post_json("/api/v1/contacts", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c["id"].as_str().unwrap().to_string()
}

fn member_names(group: &Value) -> Vec<&str> {
    group["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

fn warning(groups: &[&str]) -> Value {
    json!({
        "kind": "rainstorm",
        "level": 2,
        "title": "潼川镇暴雨橙色预警",
        "content": "预计今夜潼川镇有大暴雨。",
        "actions": "乡镇主要负责人在岗带班。",
        "area_codes": [TONGCHUAN],
        "contact_groups": groups,
        "valid_from": "2026-06-01T09:00",
        "valid_until": "2026-06-02T09:00",
    })
}

#[tokio::test]
async fn groups_are_kept_in_scope_and_warnings_reach_their_members() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let town = login(&app, "tongchuan").await;
        let head = contact(&disaster, "张镇长", "township_head", TONGCHUAN, "13800000001").await;
        let liaison = contact(&disaster, "水利局刘工", "department_liaison", COUNTY, "13800000002").await;
        let monitor = contact(&disaster, "外镇监测员", "monitor", OUTSIDE, "13800000003").await;

        // Bad input: no name, a member outside the township's scope, a malformed id.
        let (status, body) = disaster.post_json(GROUPS, &json!({"name": " ", "members": []})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["fields"]["name"], "请填写分组名称");
        let (status, body) = town
            .post_json(GROUPS, &json!({"name": "本镇", "members": [monitor]}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["members"].as_str().unwrap().contains("管辖范围"));
        let (status, body) = disaster
            .post_json(GROUPS, &json!({"name": "坏", "members": ["not-an-id"]}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["members"].is_string(), "{body}");

        // A county group of people no township list holds.
        let (status, group) = disaster
            .post_json(
                GROUPS,
                &json!({"name": "重点监测与联络人员", "note": "汛期重点", "members": [liaison, monitor, monitor]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{group}");
        assert_eq!(group["members"], 2, "a member ticked twice counts once: {group}");
        assert_eq!(member_names(&group), ["水利局刘工", "外镇监测员"]);
        let id = group["id"].as_str().unwrap().to_string();
        let (status, body) = disaster
            .post_json(GROUPS, &json!({"name": "重点监测与联络人员", "members": []}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["name"].as_str().unwrap().contains("已有"));

        // The township neither sees nor edits the county's group.
        let (_, mine) = town.get_json(GROUPS).await;
        assert_eq!(mine, json!([]));
        let (status, _) = town.get_json(&format!("{GROUPS}/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A stale edit is refused; a fresh one replaces the members.
        let (status, body) = disaster
            .patch_json(
                &format!("{GROUPS}/{id}"),
                &json!({"name": "重点人员", "members": [liaison], "version": 0}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (status, edited) = disaster
            .patch_json(
                &format!("{GROUPS}/{id}"),
                &json!({"name": "重点监测与联络人员", "members": [liaison, monitor], "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["version"], 2);

        // A warning to 潼川镇 that also asks the group: the head, the liaison and the monitor
        // of another township.
        let (status, body) = disaster
            .post_json(WARNINGS, &warning(&["00000000-0000-7000-8000-000000000000"]))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["contact_groups"].is_string(), "{body}");
        let (status, w) = disaster.post_json(WARNINGS, &warning(&[&id])).await;
        assert_eq!(status, StatusCode::CREATED, "{w}");
        let wid = w["id"].as_str().unwrap().to_string();
        let leader = login(&app, "leader").await;
        let (status, body) = leader
            .post_json(&format!("{WARNINGS}/{wid}/approve"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, issued) = disaster
            .post_json(&format!("{WARNINGS}/{wid}/issue"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{issued}");
        assert_eq!(issued["asked"], 3, "{issued}");
        let (_, page) = disaster.text(&format!("/warning/warnings/{wid}")).await;
        assert!(page.contains("重点监测与联络人员"), "the warning names the group");
        assert!(page.contains("外镇监测员") && page.contains("张镇长"));
        let _ = head;

        // A voided contact drops out of the group.
        let (status, _) = disaster
            .post_json(
                &format!("/api/v1/contacts/{monitor}/void"),
                &json!({"reason": "调离"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, after) = disaster.get_json(&format!("{GROUPS}/{id}")).await;
        assert_eq!(member_names(&after), ["水利局刘工"]);

        // Voided with a reason: gone from the list, refused on a new warning, audited.
        let (status, body) = disaster
            .post_json(&format!("{GROUPS}/{id}/void"), &json!({"reason": " "}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, voided) = disaster
            .post_json(&format!("{GROUPS}/{id}/void"), &json!({"reason": "合并到县防指成员单位"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{voided}");
        assert_eq!(voided["voided"], true);
        let (_, list) = disaster.get_json(GROUPS).await;
        assert_eq!(list, json!([]));
        let (status, body) = disaster.post_json(WARNINGS, &warning(&[&id])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "entity=contact_group").await, 3);
    })
    .await;
}

#[tokio::test]
async fn groups_are_made_on_pages_and_exported() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let liaison = contact(
            &disaster,
            "水利局刘工",
            "department_liaison",
            COUNTY,
            "13800000002",
        )
        .await;
        contact(
            &disaster,
            "张镇长",
            "township_head",
            TONGCHUAN,
            "13800000001",
        )
        .await;

        let (status, form) = disaster.text("/contacts/groups/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains("水利局刘工") && form.contains("潼川镇"),
            "candidates with places"
        );

        // A mistake keeps what was ticked.
        let r = disaster
            .post_form(
                "/contacts/groups/new",
                &[("name", ""), ("members", &liaison)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let again = r.text().await.unwrap();
        assert!(again.contains("请填写分组名称"));
        assert!(again.contains(&format!(r#"value="{liaison}" id="m-{liaison}" checked"#)));

        let r = disaster
            .post_form(
                "/contacts/groups/new",
                &[("name", "县防指成员单位联络员"), ("members", &liaison)],
            )
            .await;
        assert!(r.status().is_redirection(), "{}", r.status());
        let to = r.headers()["location"].to_str().unwrap().to_string();
        let (_, detail) = disaster.text(&to).await;
        assert!(detail.contains("县防指成员单位联络员") && detail.contains("13800000002"));

        let id = to
            .trim_start_matches("/contacts/groups/")
            .split('?')
            .next()
            .unwrap();
        let r = disaster.get(&format!("/contacts/groups/{id}/export")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
        let range = book.worksheet_range("县防指成员单位联络员").expect("sheet");
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0], ["姓名", "职责", "职务", "手机", "负责区域"]);
        assert_eq!(rows[1][0], "水利局刘工");
        assert_eq!(rows[1][3], "13800000002");
        assert_eq!(rows.len(), 2);
    })
    .await;
}
