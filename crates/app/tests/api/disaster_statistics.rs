//! 灾情统计 on the demo county's records: the finished flood of three weeks ago (核报 approved,
//! its 初报 late) and today's open 风雹 process, and the winter–spring relief paid. Every figure
//! is checked against the list it links to or against the records themselves (the 核报's
//! townships, the payments), for the county, for one township asked for, and for a township's
//! own staff; the XLSX says the same; bad dates are refused beside the field.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const API: &str = "/api/v1/disaster/statistics";

fn figure<'a>(s: &'a Value, section: &str, label: &str) -> &'a Value {
    s["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["title"] == section)
        .and_then(|x| {
            x["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["label"] == label)
        })
        .unwrap_or_else(|| panic!("no {section}/{label} in {s}"))
}

fn value(s: &Value, section: &str, label: &str) -> String {
    figure(s, section, label)["value"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The rows of the list a figure links to, through its API.
async fn listed(s: &Session, href: &str) -> Vec<Value> {
    let api = format!("/api/v1{href}");
    let (status, body) = s.get_json(&api).await;
    assert_eq!(status, StatusCode::OK, "{api}: {body}");
    body.as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{api}: {body}"))
}

fn loss(losses: &Value, code: &str) -> String {
    losses
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == code)
        .map(|l| l["value"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {code} in {losses}"))
}

/// The sum of an indicator over a report's townships (optionally one), from the report itself.
async fn report_sum(s: &Session, report_id: &str, code: &str, township: Option<&str>) -> f64 {
    let (status, detail) = s
        .get_json(&format!("/api/v1/disaster/reports/{report_id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    detail["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| township.is_none_or(|x| t["township"] == x))
        .map(|t| {
            t["values"][code]
                .as_str()
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        })
        .sum()
}

/// 万元 with two decimals, rounded half up, from fen.
fn wan(fen: i64) -> String {
    let hundredths = (fen + 5_000) / 10_000;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Paid fen, households paid, people in them and 潼川镇's paid fen, from every approved roll's
/// households and payments.
async fn relief_paid(s: &Session) -> (i64, i64, i64, i64) {
    let (mut fen, mut households, mut people, mut tongchuan) = (0, 0, 0, 0);
    for roll in listed(s, "/disaster/relief/rolls?state=approved").await {
        let id = roll["id"].as_str().unwrap();
        let (status, detail) = s
            .get_json(&format!("/api/v1/disaster/relief/rolls/{id}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{detail}");
        let paid: i64 = detail["payments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["amount_fen"].as_i64().unwrap())
            .sum();
        fen += paid;
        if roll["village"].as_str().unwrap().starts_with("510722101") {
            tongchuan += paid;
        }
        for h in detail["households"].as_array().unwrap() {
            if h["paid_fen"].as_i64().unwrap() > 0 {
                households += 1;
                people += h["size"].as_i64().unwrap();
            }
        }
    }
    (fen, households, people, tongchuan)
}

#[tokio::test]
async fn disaster_statistics_agree_with_their_records() {
    on_each_backend(|app, _| async move {
        disaster::load_demo(&app.state).await.expect("demo");
        let county = login(&app, "disaster").await;
        let (status, s) = county.get_json(API).await;
        assert_eq!(status, StatusCode::OK, "{s}");

        // Processes: two this year, one flood and one 风雹, each figure its list.
        assert_eq!(value(&s, "灾害过程", "灾害过程"), "2", "{s}");
        for label in ["灾害过程", "洪涝", "风雹"] {
            let f = figure(&s, "灾害过程", label);
            let rows = listed(&county, f["href"].as_str().unwrap()).await;
            assert_eq!(
                rows.len().to_string(),
                f["value"].as_str().unwrap(),
                "{label}"
            );
        }

        // Reports: the flood's 初报 went up 40 minutes late, its 续报 and 核报 on time; today's
        // 风雹 初报 is past its two hours. Each count is its list.
        for (label, code, n) in [
            ("迟报", "late", "1"),
            ("按时上报", "on_time", "3"),
            ("逾期未报", "overdue", "1"),
        ] {
            let f = figure(&s, "灾情报告", label);
            assert_eq!(f["value"], n, "{label}: {s}");
            let rows = listed(&county, f["href"].as_str().unwrap()).await;
            assert_eq!(rows.len().to_string(), n, "{label}");
            assert!(rows.iter().all(|r| r["timeliness"] == code), "{rows:?}");
        }
        assert_eq!(value(&s, "灾情报告", "按时上报率"), "60%");
        let due = s["reports"]["due"].as_u64().unwrap();
        let parts = ["on_time", "late", "overdue", "waiting"]
            .iter()
            .map(|k| s["reports"][k].as_u64().unwrap())
            .sum::<u64>();
        assert_eq!(due, parts, "every report due is counted once");

        // Losses: the flood's 核报 (the open 风雹 process has nothing approved yet).
        let flood = listed(&county, "/disaster/processes?type=flood").await;
        let flood_id = flood[0]["id"].as_str().unwrap();
        let reports = listed(&county, &format!("/disaster/reports?process={flood_id}")).await;
        let final_report = reports
            .iter()
            .find(|r| r["stage"] == "final")
            .expect("核报");
        let final_id = final_report["id"].as_str().unwrap();
        for code in ["affected_people", "loss_total", "crop_affected"] {
            let expected = report_sum(&county, final_id, code, None).await;
            let got: f64 = loss(&s["losses"], code).parse().unwrap();
            assert!((got - expected).abs() < 1e-6, "{code}: {got} vs {expected}");
        }
        assert!(
            loss(&s["losses"], "affected_people")
                .parse::<u64>()
                .unwrap()
                > 0
        );
        let flood_row = s["types"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == "flood")
            .unwrap();
        assert_eq!(flood_row["processes"], 1);
        assert_eq!(
            loss(&flood_row["losses"], "loss_total"),
            loss(&s["losses"], "loss_total")
        );

        // Townships: all 33, the hardest hit first, and their sums make the county's.
        let townships = s["townships"].as_array().unwrap();
        assert_eq!(townships.len(), 33);
        let people = |t: &Value| {
            loss(&t["losses"], "affected_people")
                .parse::<u64>()
                .unwrap()
        };
        assert!(townships.windows(2).all(|w| people(&w[0]) >= people(&w[1])));
        let sum: u64 = townships.iter().map(people).sum();
        assert_eq!(sum.to_string(), loss(&s["losses"], "affected_people"));
        let tongchuan_people =
            report_sum(&county, final_id, "affected_people", Some(TONGCHUAN)).await;

        // Relief: the money and people of the payments on the rolls themselves.
        let (paid_fen, households, people, tongchuan_fen) = relief_paid(&county).await;
        assert!(paid_fen > 0 && households > 0, "the demo pays");
        assert_eq!(value(&s, "救助发放", "发放资金"), wan(paid_fen));
        assert_eq!(value(&s, "救助发放", "救助户数"), households.to_string());
        assert_eq!(value(&s, "救助发放", "救助人次"), people.to_string());
        let programmes = s["programmes"].as_array().unwrap();
        assert_eq!(programmes.len(), 1, "{s}");
        assert_eq!(programmes[0]["person_times"], people);
        let row = townships.iter().find(|t| t["code"] == TONGCHUAN).unwrap();
        assert_eq!(row["paid_fen"], tongchuan_fen);

        // One township asked for, and the township's own staff: the same figures.
        let (_, one) = county
            .get_json(&format!("{API}?township={TONGCHUAN}"))
            .await;
        assert_eq!(one["townships"].as_array().unwrap().len(), 1);
        assert_eq!(
            loss(&one["losses"], "affected_people"),
            (tongchuan_people as u64).to_string()
        );
        let town = login(&app, "tongchuan").await;
        let (status, own) = town.get_json(API).await;
        assert_eq!(status, StatusCode::OK, "{own}");
        assert_eq!(own["township"], TONGCHUAN);
        assert_eq!(own["losses"], one["losses"]);
        let (status, _) = town.get_json(&format!("{API}?township=510722104000")).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "another township is out of scope"
        );

        // A period before the demo: nothing.
        let (_, empty) = county
            .get_json(&format!("{API}?from=2026-01-01&to=2026-01-31"))
            .await;
        assert_eq!(value(&empty, "灾害过程", "灾害过程"), "0");
        assert_eq!(loss(&empty["losses"], "affected_people"), "0");

        // The XLSX says what the page says.
        let response = county.get("/disaster/statistics.xlsx").await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        let figures = xlsx_sheet(&bytes, "灾情统计");
        let affected = figures
            .iter()
            .find(|r| r[1] == "受灾人口")
            .expect("受灾人口 row");
        assert_eq!(affected[2], loss(&s["losses"], "affected_people"));
        let rows = xlsx_sheet(&bytes, "乡镇");
        assert_eq!(rows.len(), 34, "header and 33 townships");
        assert_eq!(rows[1][0], townships[0]["name"].as_str().unwrap());

        // The page: figures and tables; bad dates explained beside the form.
        let (status, page) = county.text("/disaster/statistics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("各乡镇情况") && page.contains("按灾种"),
            "{page}"
        );
        // Townships with records have rows; the others are named in one line.
        assert!(
            page.contains(&format!("data-township=\"{TONGCHUAN}\"")),
            "{page}"
        );
        assert!(
            page.contains("期内无灾情和救助记录：") && page.contains("龙树镇"),
            "{page}"
        );
        let (status, page) = county
            .text("/disaster/statistics?from=2026-06-30&to=2026-06-01")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("结束日期不能早于开始日期"), "{page}");
        let (status, body) = county.get_json(&format!("{API}?from=soon")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    })
    .await;
}
