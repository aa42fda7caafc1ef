//! 指挥部: a 2026 flood-control headquarters with its commander, deputy and member units (one
//! from 组织机构, one by name), bad input beside its fields, a stale edit refused, the year
//! copied to 2027 in one go (and not twice), the 成员单位及联络员 table exported, and townships
//! kept out.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

async fn add(session: &Session, hq: &str, body: &Value) -> Value {
    let (status, m) = session
        .post_json(&format!("/api/v1/duty/headquarters/{hq}/members"), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    m
}

#[tokio::test]
async fn duty_headquarters_members_copied_and_exported() {
    on_each_backend(|app, _| async move {
        let duty = login(&app, "duty").await;
        let admin = login(&app, "sysadmin").await;
        let (status, dep) = admin
            .post_json("/api/v1/admin/departments", &new_department("县水利局", "510722000000"))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{dep}");
        let dep_id = dep["id"].as_str().unwrap();

        let (status, hq) = duty
            .post_json("/api/v1/duty/headquarters", &json!({"kind": "flood", "year": 2026}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{hq}");
        assert_eq!(hq["name"], "三台县防汛抗旱指挥部");
        let id = hq["id"].as_str().unwrap().to_string();
        // One per kind and year; an unknown kind is named.
        let (status, body) = duty
            .post_json("/api/v1/duty/headquarters", &json!({"kind": "flood", "year": "2026"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["year"].as_str().unwrap().contains("已建立"), "{body}");
        let (status, body) = duty
            .post_json("/api/v1/duty/headquarters", &json!({"kind": "castle", "year": "2026"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["kind"].is_string(), "{body}");

        add(&duty, &id, &json!({"position": "commander", "person_name": "张县长", "person_post": "县长", "phone": "13800000101"})).await;
        add(&duty, &id, &json!({"position": "deputy", "person_name": "陈局长", "person_post": "应急管理局局长", "phone": "0816-5421234"})).await;
        let water = add(&duty, &id, &json!({"position": "member", "department_id": dep_id, "person_name": "刘工", "person_post": "防汛办主任", "phone": "13800000102", "duties": "负责水利工程防汛调度", "sort": 1})).await;
        assert_eq!(water["unit_name"], "县水利局");
        add(&duty, &id, &json!({"position": "member", "unit_name": "国网三台县供电公司", "person_name": "赵工", "phone": "13800000103", "duties": "保障防汛电力供应", "sort": 2})).await;

        // Bad input beside its fields.
        let (status, body) = duty
            .post_json(&format!("/api/v1/duty/headquarters/{id}/members"), &json!({"position": "member", "person_name": "某人", "phone": "12345"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["phone"].as_str().unwrap().contains("11 位手机号"), "{body}");
        assert!(body["error"]["fields"]["unit_name"].as_str().unwrap().contains("成员单位"), "{body}");

        // A stale edit is refused.
        let path = format!("/api/v1/duty/hq-members/{}", water["id"].as_str().unwrap());
        let edit = json!({"position": "member", "department_id": dep_id, "person_name": "刘工", "phone": "13800000109", "duties": "负责水利工程防汛调度", "sort": 1, "version": water["version"]});
        let (status, saved) = duty.send_json(reqwest::Method::PUT, &path, &edit).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (status, body) = duty.send_json(reqwest::Method::PUT, &path, &edit).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        // Copied to 2027 in one go, and only once.
        let (status, next) = duty.post_json(&format!("/api/v1/duty/headquarters/{id}/copy"), &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{next}");
        assert_eq!(next["year"], 2027);
        assert_eq!(next["member_count"], 2);
        let (status, body) = duty.post_json(&format!("/api/v1/duty/headquarters/{id}/copy"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("2027年的防汛抗旱指挥部已存在"), "{body}");
        let (_, d) = duty.get_json(&format!("/api/v1/duty/headquarters/{}", next["id"].as_str().unwrap())).await;
        assert_eq!(d["leaders"][0]["position"], "commander");
        assert_eq!(d["leaders"].as_array().unwrap().len(), 2);
        assert_eq!(d["members"][0]["phone"], "13800000109");
        let (_, list) = duty.get_json("/api/v1/duty/headquarters").await;
        assert_eq!(list.as_array().unwrap().len(), 2);

        // The 成员单位及联络员 table.
        let r = duty.get(&format!("/duty/headquarters/{id}/export")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
        let range = book.worksheet_range("成员单位及联络员").expect("sheet");
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0], ["序号", "成员单位", "联络员", "职务", "联系电话", "工作职责"]);
        assert_eq!(rows[1], ["1", "县水利局", "刘工", "", "13800000109", "负责水利工程防汛调度"]);
        assert_eq!(rows[2][1], "国网三台县供电公司");
        assert_eq!(rows.len(), 3);

        // Pages render; townships neither read nor write the county's headquarters.
        let (status, html) = duty.text(&format!("/duty/headquarters/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("国网三台县供电公司") && html.contains("复制到2027年"));
        let town = login(&app, "tongchuan").await;
        let (_, list) = town.get_json("/api/v1/duty/headquarters").await;
        assert_eq!(list.as_array().unwrap().len(), 0);
        assert_eq!(town.get_json(&format!("/api/v1/duty/headquarters/{id}")).await.0, StatusCode::FORBIDDEN);
        let (status, _) = town
            .post_json("/api/v1/duty/headquarters", &json!({"kind": "safety", "year": 2026}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "entity=duty_hq_member").await, 5);
        assert_eq!(audit_total(&auditor, "action=duty.hq.copy").await, 1);
    })
    .await;
}
