//! 责任人通讯录: the API and pages (validation, versions, voiding, account links, scope, XLSX
//! export) and the lookups warnings fan out with.

use platform::contacts::role;
use platform::contacts::store::{in_regions, of_region_role, of_user};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji::testing::TestApp;

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";
/// 凤凰村, in 潼川镇.
const FENGHUANG: &str = "510722101201";

fn contact(name: &str, role: &str, region: &str, mobile: &str) -> Value {
    json!({"name": name, "role": role, "region_code": region, "mobile": mobile, "post": "镇长"})
}

async fn created(session: &Session, body: &Value) -> Value {
    let (status, c) = session.post_json("/api/v1/contacts", body).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c
}

fn names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

async fn user_id_of(app: &TestApp, username: &str) -> uuid::Uuid {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    platform::auth::entity::user::Entity::find()
        .filter(platform::auth::entity::user::Column::Username.eq(username))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn contacts_are_validated_versioned_voided_and_audited() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;

        // Mobile: 11 digits starting with 1.
        for bad in ["1380000000", "138000000012", "23800000001", "1380000000a"] {
            let (status, body) = town
                .post_json("/api/v1/contacts", &contact("张镇长", role::TOWNSHIP_HEAD, TONGCHUAN, bad))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
            assert_eq!(body["error"]["fields"]["mobile"], "手机号应为 11 位数字", "{bad}");
        }
        // Some way to reach them.
        let (status, body) = town
            .post_json(
                "/api/v1/contacts",
                &json!({"name": "张镇长", "role": role::TOWNSHIP_HEAD, "region_code": TONGCHUAN}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["error"]["fields"]["mobile"]
                .as_str()
                .unwrap()
                .contains("至少填一项"),
            "{body}"
        );
        // Name, role, region, e-mail.
        let (status, body) = town
            .post_json(
                "/api/v1/contacts",
                &json!({"name": " ", "role": "mayor", "region_code": TASHAN, "email": "no-at"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &body["error"]["fields"];
        assert_eq!(fields["name"], "请填写姓名");
        assert_eq!(fields["role"], "请选择职责");
        assert_eq!(fields["region_code"], "请选择您管辖范围内的区域");
        assert_eq!(fields["email"], "电子邮箱格式不正确");
        let (status, body) = town
            .post_json(
                "/api/v1/contacts",
                &contact("张镇长", role::TOWNSHIP_HEAD, "510722101999", "13800000001"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no such village");
        assert!(body["error"]["fields"]["region_code"].is_string());

        // An account in scope links; one outside does not.
        let (status, body) = town
            .post_json(
                "/api/v1/contacts",
                &json!({"name": "王镇长", "role": role::TOWNSHIP_HEAD, "region_code": TONGCHUAN, "username": "tashan"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["fields"]["username"], "本辖区没有账号 tashan");
        let linked = created(
            &town,
            &json!({"name": "应急办值班", "role": role::TOWNSHIP_DUTY, "region_code": TONGCHUAN, "username": "tongchuan"}),
        )
        .await;
        assert_eq!(linked["user_id"], user_id_of(&app, "tongchuan").await.to_string());
        assert_eq!(linked["role_label"], "乡镇值班室");

        let c = created(
            &town,
            &contact("张镇长", role::TOWNSHIP_HEAD, TONGCHUAN, "13800000001"),
        )
        .await;
        let id = c["id"].as_str().unwrap().to_string();
        assert_eq!(c["version"], 1);
        assert_eq!(c["region_code"], TONGCHUAN);

        // Edits carry the version read; a stale one is refused and changes nothing.
        let mut edit = contact("张镇长", role::TOWNSHIP_HEAD, TONGCHUAN, "13900000002");
        edit["version"] = json!(1);
        let (status, saved) = town
            .patch_json(&format!("/api/v1/contacts/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["version"], 2);
        assert_eq!(saved["mobile"], "13900000002");
        let mut stale = contact("张镇长（旧）", role::TOWNSHIP_HEAD, TONGCHUAN, "13800000001");
        stale["version"] = json!(1);
        let (status, body) = town
            .patch_json(&format!("/api/v1/contacts/{id}"), &stale)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "stale_edit");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("潼川镇应急办")
        );
        let (_, now) = town.get_json(&format!("/api/v1/contacts/{id}")).await;
        assert_eq!(now["name"], "张镇长");
        let (status, body) = town
            .patch_json(
                &format!("/api/v1/contacts/{id}"),
                &contact("张镇长", role::TOWNSHIP_HEAD, TONGCHUAN, "13800000001"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no version: {body}");

        // Voided with a reason, once; a voided contact is not edited.
        let (status, _) = town
            .post_json(&format!("/api/v1/contacts/{id}/void"), &json!({"reason": " "}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, voided) = town
            .post_json(&format!("/api/v1/contacts/{id}/void"), &json!({"reason": "调任"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{voided}");
        assert_eq!(voided["voided"], true);
        assert_eq!(voided["version"], 3);
        let (status, body) = town
            .post_json(&format!("/api/v1/contacts/{id}/void"), &json!({"reason": "调任"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "already_voided");
        let mut late = contact("张镇长", role::TOWNSHIP_HEAD, TONGCHUAN, "13800000001");
        late["version"] = json!(3);
        let (status, body) = town
            .patch_json(&format!("/api/v1/contacts/{id}"), &late)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "already_voided");
        let (_, live) = town.get_json("/api/v1/contacts").await;
        assert_eq!(names(&live), ["应急办值班"]);
        let (_, all) = town.get_json("/api/v1/contacts?voided=true").await;
        assert_eq!(all["total"], 2);

        let auditor = login(&app, "auditor").await;
        let (_, trail) = auditor
            .get_json(&format!("/api/v1/admin/audit?entity=contact&record_id={id}"))
            .await;
        let actions: Vec<&str> = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["void", "update", "create"], "{trail}");
        assert!(trail["items"][1]["before"].as_str().unwrap().contains("13800000001"));
        assert!(trail["items"][1]["after"].as_str().unwrap().contains("13900000002"));
    })
    .await;
}

#[tokio::test]
async fn contacts_stay_in_scope_and_only_those_who_work_with_them_read_them() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;
        let other = login(&app, "tashan").await;
        let county = login(&app, "disaster").await;
        let mine = created(&town, &contact("张镇长", role::TOWNSHIP_HEAD, TONGCHUAN, "13800000001")).await;
        created(&town, &contact("凤凰村李支书", role::VILLAGE_HEAD, FENGHUANG, "13800000002")).await;
        let theirs = created(&other, &contact("塔山赵镇长", role::TOWNSHIP_HEAD, TASHAN, "13800000003")).await;
        // The county links accounts anywhere in the county.
        let linked = created(
            &county,
            &json!({"name": "塔山值班", "role": role::TOWNSHIP_DUTY, "region_code": TASHAN, "username": "tashan"}),
        )
        .await;
        assert!(linked["user_id"].is_string());
        // A department liaison names a real department.
        let (status, body) = county
            .post_json(
                "/api/v1/contacts",
                &json!({"name": "住建联络员", "role": role::DEPARTMENT_LIAISON, "region_code": "510722000000",
                        "mobile": "13800000004", "department_id": uuid::Uuid::now_v7()}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["fields"]["department_id"], "没有这个部门单位");

        let (_, page) = town.get_json("/api/v1/contacts").await;
        assert_eq!(names(&page), ["张镇长", "凤凰村李支书"]);
        let (_, page) = other.get_json("/api/v1/contacts").await;
        let mut theirs_names = names(&page);
        theirs_names.sort();
        assert_eq!(theirs_names, ["塔山值班", "塔山赵镇长"]);
        let (_, page) = county.get_json("/api/v1/contacts").await;
        assert_eq!(page["total"], 4);
        let (_, page) = county
            .get_json(&format!("/api/v1/contacts?region={TONGCHUAN}&role={}", role::VILLAGE_HEAD))
            .await;
        assert_eq!(names(&page), ["凤凰村李支书"]);
        let (_, page) = county.get_json("/api/v1/contacts?q=13800000003").await;
        assert_eq!(names(&page), ["塔山赵镇长"]);

        // Outside scope is not found, for reading and for changing.
        let theirs_id = theirs["id"].as_str().unwrap();
        let (status, _) = town.get_json(&format!("/api/v1/contacts/{theirs_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let mut edit = contact("改名", role::TOWNSHIP_HEAD, TASHAN, "13800000003");
        edit["version"] = json!(1);
        let (status, _) = town
            .patch_json(&format!("/api/v1/contacts/{theirs_id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = town
            .post_json(&format!("/api/v1/contacts/{theirs_id}/void"), &json!({"reason": "x"}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Nor can a township move its own contact into another township.
        let mut moved = contact("张镇长", role::TOWNSHIP_HEAD, TASHAN, "13800000001");
        moved["version"] = mine["version"].clone();
        let (status, body) = town
            .patch_json(&format!("/api/v1/contacts/{}", mine["id"].as_str().unwrap()), &moved)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

        // A village liaison reads their village's contacts; who works with no warnings reads none.
        let village = login(&app, "village").await;
        let (status, page) = village.get_json("/api/v1/contacts").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(names(&page), ["凤凰村李支书"]);
        let (status, _) = village
            .post_json("/api/v1/contacts", &contact("新人", role::MONITOR, FENGHUANG, "13800000005"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        for username in ["enterprise", "auditor", "secadmin"] {
            let session = login(&app, username).await;
            let (status, body) = session.get_json("/api/v1/contacts").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username}: {body}");
            let (status, _) = session
                .get_json(&format!("/api/v1/contacts/{}", mine["id"].as_str().unwrap()))
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
            let (status, _) = session.text("/contacts").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
            let (status, _) = session.text("/contacts/export").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
        }
    })
    .await;
}

#[tokio::test]
async fn contact_pages_keep_what_was_typed_and_export_what_is_filtered() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;
        let (status, form) = town.text("/contacts/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains("凤凰村"),
            "villages of the township are offered"
        );
        assert!(!form.contains("塔山镇"), "{form}");

        let r = town
            .post_form(
                "/contacts/new",
                &[
                    ("name", "凤凰村王主任"),
                    ("role", role::VILLAGE_FLOOD),
                    ("region_code", FENGHUANG),
                    ("mobile", "138-0000-0001"),
                    ("sort", "1"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("手机号应为 11 位数字"), "{page}");
        assert!(page.contains(r#"value="凤凰村王主任""#), "{page}");
        assert!(page.contains(r#"value="138-0000-0001""#), "{page}");

        for (name, role, region, mobile) in [
            (
                "凤凰村王主任",
                role::VILLAGE_FLOOD,
                FENGHUANG,
                "13800000001",
            ),
            ("张镇长", role::TOWNSHIP_HEAD, TONGCHUAN, "13800000002"),
        ] {
            let r = town
                .post_form(
                    "/contacts/new",
                    &[
                        ("name", name),
                        ("role", role),
                        ("region_code", region),
                        ("mobile", mobile),
                        ("sort", "0"),
                    ],
                )
                .await;
            assert_eq!(
                r.status(),
                StatusCode::SEE_OTHER,
                "{}",
                r.text().await.unwrap()
            );
        }
        let (status, list) = town.text("/contacts").await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("（共 2 人）"), "{list}");
        assert!(list.contains(r#"href="tel:13800000001""#));

        // Edit through the page; a second edit from the same form is stale.
        let (_, page) = town.get_json("/api/v1/contacts?q=张镇长").await;
        let id = page["items"][0]["id"].as_str().unwrap().to_string();
        let (status, form) = town.text(&format!("/contacts/{id}/edit")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains(r#"name="version" value="1""#), "{form}");
        let fields = |name: &'static str| {
            [
                ("name", name),
                ("role", role::TOWNSHIP_HEAD),
                ("region_code", TONGCHUAN),
                ("mobile", "13800000002"),
                ("post", "镇长"),
                ("sort", "0"),
                ("version", "1"),
            ]
        };
        let r = town
            .post_form(&format!("/contacts/{id}/edit"), &fields("张大明"))
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = town
            .post_form(&format!("/contacts/{id}/edit"), &fields("张小明"))
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("该记录已被 潼川镇应急办 于"),
            "says who changed it: {page}"
        );
        assert!(page.contains(r#"value="张小明""#), "keeps what was typed");
        let (_, now) = town.get_json(&format!("/api/v1/contacts/{id}")).await;
        assert_eq!(
            (now["name"].as_str(), now["version"].as_i64()),
            (Some("张大明"), Some(2))
        );

        // Void from the list page.
        let r = town
            .post_form(&format!("/contacts/{id}/void"), &[("reason", "换届")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // Another township's contact in the county's export, not in the township's.
        let other = login(&app, "tashan").await;
        created(
            &other,
            &contact("塔山赵镇长", role::TOWNSHIP_HEAD, TASHAN, "13800000003"),
        )
        .await;
        let sheet = |session: Session, query: &'static str| async move {
            let r = session.get(&format!("/contacts/export{query}")).await;
            assert_eq!(r.status(), StatusCode::OK);
            assert!(
                r.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .contains("spreadsheetml")
            );
            let bytes = r.bytes().await.unwrap();
            use calamine::Reader;
            let mut book =
                calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
            let range = book.worksheet_range("责任人通讯录").expect("sheet");
            range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        let rows = sheet(town, "").await;
        assert_eq!(
            rows,
            [
                vec![
                    "姓名",
                    "职责",
                    "职务",
                    "手机",
                    "电子邮箱",
                    "负责区域",
                    "区划代码"
                ],
                vec![
                    "凤凰村王主任",
                    "村（社区）防汛联络人",
                    "",
                    "13800000001",
                    "",
                    "凤凰村",
                    FENGHUANG
                ],
            ]
        );
        let county = login(&app, "disaster").await;
        let rows = sheet(county, "?role=township_head").await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[1][0], "塔山赵镇长");
    })
    .await;
}

#[tokio::test]
async fn warnings_find_the_contacts_of_a_township_and_its_villages_by_role() {
    on_each_backend(|app, _| async move {
        let county = login(&app, "disaster").await;
        let head = created(&county, &contact("张镇长", role::TOWNSHIP_HEAD, TONGCHUAN, "13800000001")).await;
        created(&county, &contact("凤凰村防汛员", role::VILLAGE_FLOOD, FENGHUANG, "13800000002")).await;
        created(&county, &contact("凤凰村监测员", role::MONITOR, FENGHUANG, "13800000003")).await;
        created(&county, &contact("塔山赵镇长", role::TOWNSHIP_HEAD, TASHAN, "13800000004")).await;
        created(&county, &contact("陈县长", role::COUNTY_LEADER, "510722000000", "13800000005")).await;
        let gone = created(&county, &contact("离任防汛员", role::VILLAGE_FLOOD, FENGHUANG, "13800000006")).await;
        let (status, _) = county
            .post_json(
                &format!("/api/v1/contacts/{}/void", gone["id"].as_str().unwrap()),
                &json!({"reason": "离任"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let linked = created(
            &county,
            &json!({"name": "潼川值班", "role": role::TOWNSHIP_DUTY, "region_code": TONGCHUAN, "username": "tongchuan"}),
        )
        .await;

        let db = &app.state.db;
        let names = |found: Vec<platform::contacts::entity::Model>| {
            found.into_iter().map(|c| c.name).collect::<Vec<_>>()
        };
        let found = in_regions(db, &[TONGCHUAN.to_string()], &[role::TOWNSHIP_HEAD, role::VILLAGE_FLOOD])
            .await
            .unwrap();
        assert_eq!(names(found), ["张镇长", "凤凰村防汛员"]);
        let found = in_regions(
            db,
            &[TONGCHUAN.to_string(), TASHAN.to_string()],
            &[role::TOWNSHIP_HEAD],
        )
        .await
        .unwrap();
        assert_eq!(names(found), ["张镇长", "塔山赵镇长"]);
        let found = in_regions(db, &[FENGHUANG.to_string()], &[role::MONITOR, role::TOWNSHIP_HEAD])
            .await
            .unwrap();
        assert_eq!(names(found), ["凤凰村监测员"]);
        assert!(in_regions(db, &[], &[role::TOWNSHIP_HEAD]).await.unwrap().is_empty());
        assert!(in_regions(db, &[TONGCHUAN.to_string()], &[]).await.unwrap().is_empty());

        let found = of_region_role(db, TONGCHUAN, role::TOWNSHIP_HEAD).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id.to_string(), head["id"].as_str().unwrap());
        assert_eq!(
            names(of_region_role(db, "510722000000", role::COUNTY_LEADER).await.unwrap()),
            ["陈县长"]
        );
        let mine = of_user(db, user_id_of(&app, "tongchuan").await).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].id.to_string(), linked["id"].as_str().unwrap());
    })
    .await;
}
