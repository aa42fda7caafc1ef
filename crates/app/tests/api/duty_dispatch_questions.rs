//! 调度问题清单: the built-in flood questions until adopted (once), then added to, edited
//! (stale edits refused), moved and removed; bad input named beside its field; a township's
//! staff read their county's questions but change none; every change audited; the page.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::*;

const API: &str = "/api/v1/duty/dispatch-questions";

fn keys(list: &Value) -> Vec<String> {
    list["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["key"].as_str().unwrap().to_string())
        .collect()
}

fn texts(list: &Value) -> Vec<String> {
    list["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["text"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn duty_dispatch_questions_adopted_edited_ordered_and_scoped() {
    on_each_backend(|app, _| async move {
        let duty = login(&app, "duty").await;

        // The defaults while none are configured: flood by default, forest fire on asking.
        let (status, flood) = duty.get_json(API).await;
        assert_eq!(status, StatusCode::OK, "{flood}");
        assert_eq!(flood["kind"], "flood");
        assert_eq!(flood["configured"], false);
        assert_eq!(keys(&flood), ["on_post", "danger", "evacuated", "patrol", "other"]);
        assert_eq!(flood["questions"][0]["text"], "值班人员是否在岗在位？");
        assert_eq!(flood["questions"][0]["alarm"], "no");
        assert_eq!(flood["questions"][2]["answer_kind"], "number");
        assert_eq!(flood["questions"][2]["alarm"], "gt_zero");
        assert_eq!(flood["questions"][0]["id"], Value::Null);
        let (_, fire) = duty.get_json(&format!("{API}?kind=forest_fire")).await;
        assert_eq!(fire["questions"][1]["text"], "是否发现火情或烟点？");
        assert_eq!(fire["questions"].as_array().unwrap().len(), 4);
        let (status, body) = duty.get_json(&format!("{API}?kind=typhoon")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["kind"].is_string(), "{body}");

        // Adopt the defaults, once.
        let (status, adopted) = duty.post_json(&format!("{API}/defaults"), &json!({"kind": "flood"})).await;
        assert_eq!(status, StatusCode::CREATED, "{adopted}");
        assert_eq!(adopted["configured"], true);
        assert_eq!(keys(&adopted), ["on_post", "danger", "evacuated", "patrol", "other"]);
        assert!(adopted["questions"][0]["id"].is_string());
        let (status, body) = duty.post_json(&format!("{API}/defaults"), &json!({"kind": "flood"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "questions_exist");
        // Other kinds are untouched.
        let (_, fire) = duty.get_json(&format!("{API}?kind=forest_fire")).await;
        assert_eq!(fire["configured"], false);

        // Add one at the end.
        let (status, added) = duty
            .post_json(API, &json!({"kind": "flood", "text": "是否启动防汛应急响应？", "answer_kind": "yes_no", "required": true, "alarm": "yes"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{added}");
        assert_eq!(added["position"], 6);
        assert_eq!(added["key"].as_str().unwrap().len(), 32, "{added}");
        assert_eq!(added["alarm"], "yes");

        // Bad input, each beside its field; nothing written.
        for (body, field, message) in [
            (json!({"kind": "flood", "text": "  ", "answer_kind": "text"}), "text", "请填写问题"),
            (json!({"kind": "typhoon", "text": "风力", "answer_kind": "text"}), "kind", "请选择值班类型"),
            (json!({"kind": "flood", "text": "巡查情况", "answer_kind": "text", "alarm": "yes"}), "alarm", "文字问题不告警，请不选告警规则"),
            (json!({"kind": "flood", "text": "转移人数", "answer_kind": "number", "alarm": "no"}), "alarm", "数字问题只能在大于 0 时告警"),
            (json!({"kind": "flood", "text": "是否有险情", "answer_kind": "yes_no", "alarm": "gt_zero"}), "alarm", "是/否问题只能在回答“是”或“否”时告警"),
            (json!({"kind": "flood", "text": "颜色", "answer_kind": "colour"}), "answer_kind", "请选择回答方式（是/否、数字或文字）"),
        ] {
            let (status, e) = duty.post_json(API, &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
            assert_eq!(e["error"]["code"], "validation_failed", "{e}");
            assert_eq!(e["error"]["fields"][field], message, "{e}");
        }
        let (_, list) = duty.get_json(API).await;
        assert_eq!(list["questions"].as_array().unwrap().len(), 6);

        // Edit against the version read; a stale edit is refused; the key stays.
        let evacuated = list["questions"][2].clone();
        let path = format!("{API}/{}", evacuated["id"].as_str().unwrap());
        let edit = json!({"text": "今日转移避险人数（人）", "answer_kind": "number", "required": true, "alarm": "gt_zero", "version": evacuated["version"]});
        let (status, saved) = duty.send_json(Method::PUT, &path, &edit).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["text"], "今日转移避险人数（人）");
        assert_eq!(saved["key"], "evacuated");
        assert_eq!(saved["version"], 2);
        let (status, body) = duty.send_json(Method::PUT, &path, &edit).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "stale_edit");
        let (status, body) = duty
            .send_json(Method::PUT, &path, &json!({"text": "转移", "answer_kind": "number", "alarm": "yes", "version": 2}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["alarm"].is_string(), "{body}");

        // Move the added one up twice and the first one down; the top cannot go higher.
        let added_id = added["id"].as_str().unwrap();
        for _ in 0..2 {
            let (status, moved) = duty.post_json(&format!("{API}/{added_id}/move"), &json!({"direction": "up"})).await;
            assert_eq!(status, StatusCode::OK, "{moved}");
        }
        let on_post = list["questions"][0]["id"].as_str().unwrap();
        let (_, moved) = duty.post_json(&format!("{API}/{on_post}/move"), &json!({"direction": "down"})).await;
        assert_eq!(keys(&moved)[..2], ["danger", "on_post"]);
        assert_eq!(texts(&moved)[3], "是否启动防汛应急响应？");
        let danger = moved["questions"][0]["id"].as_str().unwrap();
        let (status, top) = duty.post_json(&format!("{API}/{danger}/move"), &json!({"direction": "up"})).await;
        assert_eq!(status, StatusCode::OK, "{top}");
        assert_eq!(keys(&top), keys(&moved));
        let positions: Vec<i64> = top["questions"].as_array().unwrap().iter().map(|q| q["position"].as_i64().unwrap()).collect();
        assert_eq!(positions, [1, 2, 3, 4, 5, 6]);
        let (status, body) = duty.post_json(&format!("{API}/{danger}/move"), &json!({"direction": "sideways"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["direction"].is_string(), "{body}");

        // Remove one with a reason (a reason is needed); the rest keep their order.
        let patrol = top["questions"].as_array().unwrap().iter().find(|q| q["key"] == "patrol").unwrap()["id"].as_str().unwrap().to_string();
        let (status, body) = duty.post_json(&format!("{API}/{patrol}/void"), &json!({"reason": " "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["fields"]["reason"], "请填写作废原因");
        let (status, _) = duty.post_json(&format!("{API}/{patrol}/void"), &json!({"reason": "改由专项检查报告"})).await;
        assert_eq!(status, StatusCode::OK);
        let (_, list) = duty.get_json(API).await;
        assert_eq!(keys(&list)[..3], ["danger", "on_post", "evacuated"]);
        assert_eq!(list["questions"].as_array().unwrap().len(), 5);
        assert!(!keys(&list).contains(&"patrol".to_string()));
        let (status, _) = duty.post_json(&format!("{API}/{patrol}/void"), &json!({"reason": "再删一次"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A township's staff read their county's questions but change nothing.
        let town = login(&app, "tongchuan").await;
        let (status, seen) = town.get_json(API).await;
        assert_eq!(status, StatusCode::OK, "{seen}");
        assert_eq!(keys(&seen), keys(&list));
        let (status, _) = town
            .post_json(API, &json!({"kind": "flood", "text": "乡镇自加", "answer_kind": "text"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = town
            .send_json(Method::PUT, &path, &json!({"text": "改", "answer_kind": "number", "version": 2}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = town.post_json(&format!("{API}/{danger}/move"), &json!({"direction": "down"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = town.post_json(&format!("{API}/{danger}/void"), &json!({"reason": "x"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = town.post_json(&format!("{API}/defaults"), &json!({"kind": "holiday"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, after) = duty.get_json(API).await;
        assert_eq!(after, list);

        // Pages: the list with tabs and the adopt button where none are set; forms show
        // errors beside their fields.
        let (status, html) = duty.text("/duty/dispatch/questions?kind=holiday").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("采用默认问题") && html.contains("有无安全事件？"), "{html}");
        let (status, html) = duty.text("/duty/dispatch/questions").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("今日转移避险人数（人）") && !html.contains("采用默认问题</button>"));
        let r = duty
            .post_form("/duty/dispatch/questions", &[("kind", "flood"), ("text", ""), ("answer_kind", "text")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("请填写问题"));
        let r = duty
            .post_form("/duty/dispatch/questions/defaults", &[("kind", "holiday")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, holiday) = duty.get_json(&format!("{API}?kind=holiday")).await;
        assert_eq!(holiday["configured"], true);
        let (status, html) = duty.text(&format!("/duty/dispatch/questions/{danger}/edit")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("辖区内是否发生险情或灾情？"));
        let (status, html) = town.text("/duty/dispatch/questions").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!html.contains("添加问题") && !html.contains("修改</a>"));

        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "action=duty.dispatch_questions.adopt").await, 2);
        assert_eq!(audit_total(&auditor, "action=duty.dispatch_question.move").await, 3);
        assert_eq!(audit_total(&auditor, "entity=duty_dispatch_question").await, 2 + 1 + 1 + 3 + 1);
    })
    .await;
}
