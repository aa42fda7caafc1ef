//! 值班日志与交接班: entries within a shift with one left open, bad times refused, the handover
//! listing the open entry, refused for the outgoing officer and anyone not on the next shift,
//! confirmed by the incoming one; closing the matter; the log's filters, export and pages.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::duty_rosters::{add_duty_people, create_period, flood_period, roster, shift_on};
use crate::support::*;

async fn entry(session: &Session, body: Value) -> (StatusCode, Value) {
    session.post_json("/api/v1/duty/logs", &body).await
}

#[tokio::test]
async fn a_shift_logs_its_calls_leaves_one_open_and_hands_it_to_the_next_shift() {
    on_each_backend(|app, _| async move {
        let ids = add_duty_people(&app).await;
        let duty = login(&app, "duty").await;
        let p = create_period(&duty, &flood_period("2026年防汛值班", "2026-06-01", "2026-06-03")).await;
        let pid = p["id"].as_str().unwrap().to_string();
        let (status, _) = duty
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/duty/periods/{pid}/roster"),
                &json!({"entries": [
                    {"day": "2026-06-01", "leader_id": ids["leader"], "officer_ids": [ids["officer1"], ids["officer2"]]},
                    {"day": "2026-06-02", "leader_id": ids["deputy"], "officer_ids": [ids["officer3"], ids["officer4"]]},
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let r = roster(&duty, &p).await;
        let june1 = shift_on(&r, "2026-06-01")["id"].as_str().unwrap().to_string();

        // 值班员甲 on duty (it is 09:00 on 1 June) records three things, one left open.
        let o1 = login(&app, "officer1").await;
        let (status, call) = entry(
            &o1,
            json!({"shift_id": june1, "kind": "incoming_call", "at": "2026-06-01T08:40", "from_party": "芦溪镇应急办", "content": "芦溪镇报告：石板村一处边坡出现裂缝，已组织群众撤离。", "open": true}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{call}");
        assert_eq!(call["is_open"], true);
        assert_eq!(call["at"], "2026-06-01T00:40:00Z");
        for body in [
            json!({"shift_id": june1, "kind": "rain", "at": "2026-06-01 08:50", "from_party": "县气象局", "content": "过去3小时全县最大降雨量45毫米。"}),
            json!({"shift_id": june1, "kind": "report", "at": "2026-06-01T08:55", "to_party": "市防办", "content": "报送雨情及石板村边坡险情。"}),
        ] {
            let (status, e) = entry(&o1, body).await;
            assert_eq!(status, StatusCode::CREATED, "{e}");
            assert_eq!(e["is_open"], false);
        }

        // Bad input: each beside its field, nothing written.
        for (body, field, message) in [
            (json!({"shift_id": june1, "kind": "rain", "at": "明天上午", "content": "x"}), "at", "时间格式应为 2026-06-01 09:30"),
            (json!({"shift_id": june1, "kind": "rain", "at": "2026-06-01T08:00", "content": "x"}), "at", "记录时间应在本班次（2026-06-01 全天班（06-01 08:30 至 06-02 08:30））内"),
            (json!({"shift_id": june1, "kind": "rain", "at": "2026-06-01T10:00", "content": "x"}), "at", "记录时间不能晚于当前时间"),
            (json!({"shift_id": june1, "kind": "flood", "at": "2026-06-01T08:45", "content": "x"}), "kind", "请选择记录类型"),
            (json!({"shift_id": june1, "kind": "rain", "at": "2026-06-01T08:45", "content": " "}), "content", "请填写内容"),
        ] {
            let (status, e) = entry(&o1, body.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
            assert_eq!(e["error"]["fields"][field], message, "{e}");
        }
        // A township's staff, not on this shift, do not even see it.
        let tongchuan = login(&app, "tongchuan").await;
        let (status, _) = entry(&tongchuan, json!({"shift_id": june1, "kind": "rain", "at": "2026-06-01T08:45", "content": "x"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let o3 = login(&app, "officer3").await;
        let (_, page) = o1.get_json(&format!("/api/v1/duty/logs?period={pid}")).await;
        assert_eq!(page["total"], 3);
        let (_, open) = o1.get_json("/api/v1/duty/logs?open=open").await;
        assert_eq!(open["total"], 1);
        assert_eq!(open["items"][0]["kind"], "incoming_call");

        // Handover: the open matter is listed.
        let (status, handover) = o1
            .post_json("/api/v1/duty/handovers", &json!({"shift_id": june1, "note": "石板村边坡需继续跟踪。"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{handover}");
        let listed = handover["open_entries"].as_array().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["id"], call["id"]);
        assert_eq!(handover["to_shift_label"], "2026-06-02 全天班（06-02 08:30 至 06-03 08:30）");
        let (status, twice) = o1.post_json("/api/v1/duty/handovers", &json!({"shift_id": june1})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{twice}");
        let (status, outsider) = o3.post_json("/api/v1/duty/handovers", &json!({"shift_id": june1})).await;
        assert!(status == StatusCode::CONFLICT || status == StatusCode::NOT_FOUND, "{outsider}");

        // Confirmation: not by the outgoing officer, not by anyone off the next shift.
        let confirm = format!("/api/v1/duty/handovers/{}/confirm", handover["id"].as_str().unwrap());
        let version = json!({"version": handover["version"]});
        let (status, refused) = o1.post_json(&confirm, &version).await;
        assert_eq!(status, StatusCode::CONFLICT, "{refused}");
        assert_eq!(refused["error"]["code"], "handover_refused");
        assert_eq!(refused["error"]["message"], "交班人不能自己确认接班，请由下一班次的值班人员确认");
        let o2 = login(&app, "officer2").await;
        let (status, refused) = o2.post_json(&confirm, &version).await;
        assert_eq!(status, StatusCode::CONFLICT, "{refused}");
        assert_eq!(
            refused["error"]["message"],
            "只有下一班次（2026-06-02 全天班（06-02 08:30 至 06-03 08:30））的值班人员才能确认接班"
        );
        let (status, refused) = duty.post_json(&confirm, &version).await;
        assert_eq!(status, StatusCode::CONFLICT, "a county editor off the next shift: {refused}");
        // The incoming officer's workbench says a handover waits; the page refuses the
        // outgoing officer in words.
        let (_, home) = o3.text("/").await;
        assert!(home.contains("交接班待确认 1 件"), "{home}");
        let r = o1
            .post_form(
                &format!("/duty/handovers/{}/confirm", handover["id"].as_str().unwrap()),
                &[("version", "1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("交班人不能自己确认接班"));
        let (status, confirmed) = o3.post_json(&confirm, &version).await;
        assert_eq!(status, StatusCode::OK, "{confirmed}");
        assert_eq!(confirmed["confirmed_by_name"], "值班员丙");
        let (status, again) = o3.post_json(&confirm, &json!({"version": confirmed["version"]})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");

        // Closing the matter: an outcome is needed; then it is no longer open. The snapshot
        // in the handover stays as it was handed over.
        let close = format!("/api/v1/duty/logs/{}/close", call["id"].as_str().unwrap());
        let (status, e) = o1.post_json(&close, &json!({"outcome": " ", "version": call["version"]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["error"]["fields"]["outcome"], "请填写办理结果");
        let (status, closed) = o1
            .post_json(&close, &json!({"outcome": "已通知县自然资源局派员核查", "version": call["version"]}))
            .await;
        assert_eq!(status, StatusCode::OK, "{closed}");
        assert_eq!(closed["is_open"], false);
        assert_eq!(closed["closed_by_name"], "值班员甲");
        let (_, open) = o1.get_json("/api/v1/duty/logs?open=open").await;
        assert_eq!(open["total"], 0);
        let (_, kept) = o3.get_json(&format!("/api/v1/duty/handovers/{}", handover["id"].as_str().unwrap())).await;
        assert_eq!(kept["open_entries"][0]["is_open"], true);

        // The log exported with its filter.
        let r = duty.get(&format!("/duty/logs/export?period={pid}&kind=rain")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let rows: Vec<Vec<String>> = book
            .worksheet_range("值班日志")
            .expect("sheet")
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows.len(), 2, "header and the rain entry: {rows:?}");
        assert_eq!(rows[0][0], "时间");
        assert_eq!(rows[1][0], "2026-06-01 08:50");
        assert_eq!(rows[1][3], "雨情");
        assert_eq!(rows[1][4], "县气象局");
        assert_eq!(rows[1][7], "已办结");
        assert_eq!(rows[1][10], "值班员甲");

        // Audited.
        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "action=duty.handover").await, 1);
        assert_eq!(audit_total(&auditor, "action=duty.handover.confirm").await, 1);
        assert_eq!(audit_total(&auditor, "action=duty.log.close").await, 1);
        assert_eq!(audit_total(&auditor, "entity=duty_log_entry&action=create").await, 3);
    })
    .await;
}

#[tokio::test]
async fn the_board_shows_who_is_on_duty_and_the_log_form_keeps_what_was_typed() {
    on_each_backend(|app, _| async move {
        let ids = add_duty_people(&app).await;
        let duty = login(&app, "duty").await;
        let p = create_period(&duty, &flood_period("2026年防汛值班", "2026-06-01", "2026-06-03")).await;
        let pid = p["id"].as_str().unwrap().to_string();
        let (status, _) = duty
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/duty/periods/{pid}/roster"),
                &json!({"entries": [
                    {"day": "2026-06-01", "leader_id": ids["leader"], "officer_ids": [ids["officer1"]]},
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let r = roster(&duty, &p).await;
        let june1 = shift_on(&r, "2026-06-01")["id"].as_str().unwrap().to_string();
        let o1 = login(&app, "officer1").await;
        let (status, board) = o1.get_json("/api/v1/duty/board").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(board[0]["shift"]["leader"]["name"], "陈局长");
        assert_eq!(board[0]["shift"]["gap"], "值班员缺 1 人");

        let r = o1
            .post_form(
                "/duty/logs",
                &[("shift_id", june1.as_str()), ("kind", "water"), ("at", "上午九点"), ("content", "涪江水位上涨"), ("open", "true")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(html.contains("时间格式应为 2026-06-01 09:30"), "{html}");
        assert!(html.contains("涪江水位上涨"));
        assert!(html.contains("value=\"上午九点\""));
        let r = o1
            .post_form(
                "/duty/logs",
                &[("shift_id", june1.as_str()), ("kind", "water"), ("at", "2026-06-01T08:58"), ("content", "涪江水位上涨"), ("open", "true")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (status, html) = o1.text("/duty/today").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("陈局长"));
        assert!(html.contains("涪江水位上涨"));
        assert!(html.contains("值班员缺 1 人"));
        let (status, list) = o1.text(&format!("/duty/logs?period={pid}&open=open")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("涪江水位上涨") && list.contains("待办"));
        let (status, _) = o1.text("/duty/logs?period=not-a-uuid").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // The leader on duty records his instruction in the shift's log; a leader not on this
        // shift cannot.
        let leader = login(&app, "leader").await;
        let instruction = json!({"shift_id": june1, "kind": "instruction", "at": "2026-06-01T08:59", "content": "要求各乡镇加强地灾点巡查"});
        let (status, entry) = leader.post_json("/api/v1/duty/logs", &instruction).await;
        assert_eq!(status, StatusCode::CREATED, "{entry}");
        assert_eq!(entry["recorded_by_name"], "陈局长");
        let deputy = login(&app, "deputy").await;
        let (status, _) = deputy.post_json("/api/v1/duty/logs", &instruction).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}
