//! 值班统计: a five-day flood roster with two short shifts and a forest-fire period outside the
//! range; log entries of two kinds, some open, one before the range. The figures (days, days
//! fully covered, gaps, shifts per person, entries per kind) match, each log count is the total
//! of the list it links to, the XLSX holds the same figures, and townships are kept out.

use std::collections::HashMap;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::duty_rosters::{add_duty_people, create_period, flood_period, roster, shift_on};
use crate::support::*;

const RANGE: &str = "from=2026-05-30&to=2026-06-30";

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
    let range = book.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn duty_statistics_count_coverage_people_and_log_kinds() {
    on_each_backend(|app, _| async move {
        let ids = add_duty_people(&app).await;
        let duty = login(&app, "duty").await;
        let p = create_period(&duty, &flood_period("2026年防汛值班", "2026-05-29", "2026-06-02")).await;
        let pid = p["id"].as_str().unwrap().to_string();
        // Out of the range: not counted.
        create_period(
            &duty,
            &json!({"kind": "forest_fire", "name": "2026年春季防火值班", "starts_on": "2026-03-01", "ends_on": "2026-03-05"}),
        )
        .await;
        // 30 May is one officer short, 2 June has nobody: two gaps in the range.
        let (status, body) = duty
            .send_json(
                Method::PUT,
                &format!("/api/v1/duty/periods/{pid}/roster"),
                &json!({"entries": [
                    {"day": "2026-05-29", "leader_id": ids["leader"], "officer_ids": [ids["officer1"], ids["officer2"]]},
                    {"day": "2026-05-30", "leader_id": ids["deputy"], "officer_ids": [ids["officer3"]]},
                    {"day": "2026-05-31", "leader_id": ids["leader"], "officer_ids": [ids["officer1"], ids["officer2"]]},
                    {"day": "2026-06-01", "leader_id": ids["deputy"], "officer_ids": [ids["officer3"], ids["officer4"]]},
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let r = roster(&duty, &p).await;
        let shift = |day: &str| shift_on(&r, day)["id"].as_str().unwrap().to_string();

        // Entries: two rain (one open), two disaster (one open) in the range; one before it.
        for (day, kind, at, open) in [
            ("2026-05-29", "rain", "2026-05-29T20:00", false),
            ("2026-05-30", "rain", "2026-05-30T10:00", true),
            ("2026-05-30", "rain", "2026-05-30T11:00", false),
            ("2026-05-30", "disaster", "2026-05-30T12:00", true),
            ("2026-05-31", "disaster", "2026-06-01T08:00", false),
        ] {
            let (status, e) = duty
                .post_json(
                    "/api/v1/duty/logs",
                    &json!({"shift_id": shift(day), "kind": kind, "at": at, "content": "测试记录", "open": open}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{e}");
        }

        let (status, s) = duty.get_json(&format!("/api/v1/duty/statistics?{RANGE}")).await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(s["from"], "2026-05-30");
        assert_eq!(s["to"], "2026-06-30");
        let periods = s["periods"].as_array().unwrap();
        assert_eq!(periods.len(), 1, "{s}");
        let row = &periods[0];
        assert_eq!(row["name"], "2026年防汛值班");
        assert_eq!(row["days"], 4);
        assert_eq!(row["covered_days"], 2);
        assert_eq!(row["shifts"], 4);
        assert_eq!(row["gap_shifts"], 2);

        let people: HashMap<String, (u64, u64)> = s["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_string(),
                    (p["leader"].as_u64().unwrap(), p["officer"].as_u64().unwrap()),
                )
            })
            .collect();
        assert_eq!(people.len(), 6, "{people:?}");
        assert_eq!(people["陈局长"], (1, 0));
        assert_eq!(people["李副局长"], (2, 0));
        assert_eq!(people["值班员甲"], (0, 1));
        assert_eq!(people["值班员乙"], (0, 1));
        assert_eq!(people["值班员丙"], (0, 2));
        assert_eq!(people["值班员丁"], (0, 1));
        assert_eq!(s["people"][0]["name"], "值班员丙", "most shifts first");

        let logs = s["logs"].as_array().unwrap();
        let kinds: Vec<&str> = logs.iter().map(|l| l["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["rain", "disaster"]);
        assert_eq!((logs[0]["entries"].as_u64(), logs[0]["open"].as_u64()), (Some(2), Some(1)));
        assert_eq!((logs[1]["entries"].as_u64(), logs[1]["open"].as_u64()), (Some(2), Some(1)));
        assert_eq!(s["logs_total"]["entries"], 4);
        assert_eq!(s["logs_total"]["open"], 2);
        // Each count is the total of the list it links to.
        for l in logs.iter().chain(std::iter::once(&s["logs_total"])) {
            for (href, n) in [(&l["href"], &l["entries"]), (&l["open_href"], &l["open"])] {
                let href = href.as_str().unwrap();
                assert!(href.starts_with("/duty/logs?"), "{href}");
                let api = href.replacen("/duty/logs", "/api/v1/duty/logs", 1);
                let (status, page) = duty.get_json(&api).await;
                assert_eq!(status, StatusCode::OK, "{api}: {page}");
                assert_eq!(&page["total"], n, "{api}");
                let (status, html) = duty.text(href).await;
                assert_eq!(status, StatusCode::OK);
                assert!(html.contains(&format!("共 {n} 条")), "{href}");
            }
        }
        // The whole year counts the entry of 29 May too.
        let (_, year) = duty.get_json("/api/v1/duty/statistics?from=2026-01-01").await;
        assert_eq!(year["logs_total"]["entries"], 5);
        // Up to today (1 June): the spring period's five days, none covered; four flood days.
        let year_periods = year["periods"].as_array().unwrap();
        assert_eq!(year_periods.len(), 2);
        assert_eq!(year_periods[0]["name"], "2026年春季防火值班");
        assert_eq!((year_periods[0]["days"].as_u64(), year_periods[0]["covered_days"].as_u64()), (Some(5), Some(0)));
        assert_eq!(year_periods[1]["days"], 4);
        assert_eq!(year_periods[1]["covered_days"], 3);
        assert_eq!(year["sections"][0]["figures"][3]["value"], "6", "gap shifts");

        // The workbook holds the same figures.
        let r = duty.get(&format!("/duty/statistics.xlsx?{RANGE}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        let rows = sheet(&bytes, "值班期");
        assert_eq!(rows[0], ["值班期", "类型", "起止日期", "统计天数", "全员在岗天数", "班次", "缺岗班次"]);
        assert_eq!(rows[1], ["2026年防汛值班", "防汛", "2026-05-29 至 2026-06-02", "4", "2", "4", "2"]);
        assert_eq!(rows.len(), 2);
        let rows = sheet(&bytes, "值班日志");
        assert_eq!(rows[1], ["雨情", "2", "1"]);
        assert_eq!(rows[2], ["险情灾情", "2", "1"]);
        assert_eq!(rows[3], ["合计", "4", "2"]);
        let rows = sheet(&bytes, "值班人员");
        assert_eq!(rows[1], ["值班员丙", "0", "2", "2"]);
        assert_eq!(rows.len(), 7);

        // The page; bad dates beside the form; townships kept out.
        let (status, html) = duty.text(&format!("/duty/statistics?{RANGE}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("全员在岗天数") && html.contains("2026年防汛值班") && html.contains("险情灾情"));
        let (status, body) = duty.get_json("/api/v1/duty/statistics?from=2026-07-01&to=2026-06-01").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, html) = duty.text("/duty/statistics?from=昨天").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("日期格式应为 2026-06-01"));
        // Below the county: one's own shifts and their log only, no periods' coverage.
        let o3 = login(&app, "officer3").await;
        let (status, mine) = o3.get_json(&format!("/api/v1/duty/statistics?{RANGE}")).await;
        assert_eq!(status, StatusCode::OK, "{mine}");
        assert_eq!(mine["county_wide"], true, "a county officer reads the county");
        let town = login(&app, "tongchuan").await;
        let (status, theirs) = town.get_json(&format!("/api/v1/duty/statistics?{RANGE}")).await;
        assert_eq!(status, StatusCode::OK, "{theirs}");
        assert_eq!(theirs["county_wide"], false);
        assert_eq!(theirs["periods"], json!([]));
        assert_eq!(theirs["people"], json!([]));
        assert_eq!(theirs["logs_total"]["entries"], 0);
        let (status, html) = town.text("/duty/statistics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("您本人所值班次") && !html.contains("全员在岗天数"));
    })
    .await;
}
