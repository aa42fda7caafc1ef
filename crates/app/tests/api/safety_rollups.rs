//! The daily hazard counters (`safety_hazard_daily`) stay exact: after the demo year and a
//! seeded random run of real changes through the hazard store (register, edit grade, date,
//! exposure and supervision, 下达整改, 开始整改, 申请复查, 复查 pass and fail, 销号, 作废) on a
//! moving clock, the kept table equals a recount from the hazards, and the county's 统计
//! figures (which read the counters) equal the totals of the lists they link to. The migration
//! fills the table from hazards already written.

use chrono::Duration;
use reqwest::StatusCode;
use safety::hazards::entity::hazard;
use safety::hazards::rollup;
use safety::hazards::store::{
    self, HazardInput, NoticeInput, ReviewInput, ReviewRequestInput, today,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use sea_orm_migration::SchemaManager;
use uuid::Uuid;
use yingji::testing::TestApp;

use crate::support::*;

const COUNTY: &str = "510722";
const STEPS: usize = 240;
const CHECK_EVERY: usize = 30;

/// A small deterministic generator (xorshift64*), so a failure replays.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The kept rows equal a recount of them (all-zero rows left by moves and voids aside).
async fn assert_table_is_a_recount(app: &TestApp, when: &str) {
    let db = &app.state.db;
    let kept = rollup::rows(db).await.unwrap();
    rollup::rebuild(db, COUNTY).await.unwrap();
    let counted = rollup::rows(db).await.unwrap();
    assert!(!counted.is_empty(), "{when}: the county has hazards");
    if kept != counted {
        let only_kept: Vec<_> = kept.iter().filter(|r| !counted.contains(r)).collect();
        let only_counted: Vec<_> = counted.iter().filter(|r| !kept.contains(r)).collect();
        panic!(
            "{when}: kept rows differ from the recount\nkept: {only_kept:?}\ncounted: {only_counted:?}"
        );
    }
}

/// Every hazard figure of the county's statistics for `query` is its list's total.
async fn assert_figures_are_list_totals(session: &Session, query: &str, when: &str) -> u64 {
    let (status, sections) = session
        .get_json(&format!("/api/v1/safety/statistics?{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{sections}");
    let mut found = 0;
    for section in sections.as_array().unwrap() {
        for f in section["figures"].as_array().unwrap() {
            let href = f["href"].as_str().unwrap();
            if f["counts_list"] != true || !href.starts_with("/safety/hazards") {
                continue;
            }
            let api = href.replacen("/safety/", "/api/v1/safety/", 1);
            let (status, list) = session.get_json(&api).await;
            assert_eq!(status, StatusCode::OK, "{f}");
            assert_eq!(
                list["total"].as_u64().unwrap().to_string(),
                f["value"].as_str().unwrap(),
                "{when}: {} ({query}): {href}",
                f["label"],
            );
            if f["label"] == "排查隐患" {
                found = list["total"].as_u64().unwrap();
            }
        }
    }
    found
}

/// Both checks; the county leader logs in again (the moving clock ends idle sessions).
async fn check(app: &TestApp, when: &str) {
    assert_table_is_a_recount(app, when).await;
    let leader = &login(app, "leader").await;
    let day = today(&app.state);
    let this_year = assert_figures_are_list_totals(leader, "", when).await;
    let all =
        assert_figures_are_list_totals(leader, &format!("from=2025-01-01&to={day}"), when).await;
    assert!(all >= this_year && all > 0, "{when}");
    let month = format!("from={}&to={day}", day - Duration::days(30));
    assert_figures_are_list_totals(leader, &month, when).await;
    // A township's figures are counted from its hazards in one pass: the same rules.
    let town = format!("from=2025-01-01&to={day}&township=510722101000");
    let here = assert_figures_are_list_totals(leader, &town, when).await;
    assert!(here > 0 && here < all, "{when}: 潼川镇 {here} of {all}");
    assert_home_overdue_is_the_list(app, leader, when).await;
}

/// The county's overdue count (the home page's work item, from the counters) is the list's.
async fn assert_home_overdue_is_the_list(app: &TestApp, leader: &Session, when: &str) {
    let (status, list) = leader.get_json("/api/v1/safety/hazards?overdue=true").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let listed = list["total"].as_i64().unwrap();
    let scope = platform::access::Scope::of("510722000000");
    let counted = rollup::overdue(&app.state.db, &scope, today(&app.state))
        .await
        .unwrap();
    assert_eq!(counted, listed, "{when}: overdue from the counters");
    let (status, home) = leader.text("/").await;
    assert_eq!(status, StatusCode::OK);
    if listed > 0 {
        assert!(
            home.contains(&format!("{listed} 条事故隐患逾期未整改")),
            "{when}: the home page shows {listed} overdue"
        );
    }
}

/// 作废 has no store function yet: this does what one must, the mark and the counters in one
/// transaction.
async fn void(app: &TestApp, id: Uuid) {
    let txn = app.state.db.begin().await.unwrap();
    let before = rollup::locked(&txn, id).await.unwrap();
    platform::db::mark_voided::<hazard::Entity>(&txn, id, "重复登记", Uuid::nil(), app.state.now())
        .await
        .unwrap();
    let after = rollup::current(&txn, id).await.unwrap();
    rollup::apply(&txn, before.as_ref(), after.as_ref())
        .await
        .unwrap();
    txn.commit().await.unwrap();
}

const CATEGORIES: &[&str] = &["fire_facilities", "electrical", "site_environment", "ppe"];

#[tokio::test]
async fn the_daily_counters_follow_every_change() {
    on_each_backend(|app, backend| async move {
        safety::units::load_demo(&app.state).await.unwrap();
        safety::hazards::load_demo(&app.state).await.unwrap();
        check(&app, "after the demo year").await;

        let state = &app.state;
        let actor = platform::auth::actor_named(&state.db, "safety")
            .await
            .unwrap()
            .expect("the county's safety officer");
        let units: Vec<Uuid> = safety::units::entity::unit::Entity::find()
            .filter(safety::units::entity::unit::Column::VoidedAt.is_null())
            .order_by_asc(safety::units::entity::unit::Column::Name)
            .all(&state.db)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.id)
            .collect();
        let mut dice = Dice(0x5EED_2026_0601 ^ backend.name().len() as u64);
        let mut done = std::collections::BTreeMap::<&str, usize>::new();
        for step in 1..=STEPS {
            if dice.chance(8) {
                app.clock.advance(Duration::days(1 + dice.below(3) as i64));
            }
            let day = today(state);
            let live = hazard::Entity::find()
                .filter(hazard::Column::VoidedAt.is_null())
                .order_by_asc(hazard::Column::Number)
                .all(&state.db)
                .await
                .unwrap();
            let h = &live[dice.below(live.len())];
            let what = match dice.below(10) {
                0 | 1 => {
                    let major = dice.chance(25);
                    let exposed = dice.chance(20);
                    let discovered = day - Duration::days(dice.below(90) as i64);
                    let input = HazardInput {
                        unit_id: Some(units[dice.below(units.len())].to_string()),
                        description: format!("随机检查发现的问题 {step}"),
                        category_code: CATEGORIES[dice.below(CATEGORIES.len())].to_string(),
                        grade: if major { "major" } else { "general" }.to_string(),
                        discovered_on: discovered.to_string(),
                        source: "enforcement".to_string(),
                        supervision: Some(
                            if major && dice.chance(50) {
                                "listed"
                            } else {
                                "none"
                            }
                            .to_string(),
                        ),
                        exposed: Some(exposed),
                        exposed_on: exposed.then(|| day.to_string()),
                        exposure_channel: exposed.then(|| "县融媒体中心".to_string()),
                        ..Default::default()
                    };
                    store::create(state, &actor, &input).await.unwrap();
                    "create"
                }
                2 if h.state != "closed" => {
                    let current = store::get(&state.db, &actor.scope(), h.id, day)
                        .await
                        .unwrap();
                    let mut input = HazardInput::from_hazard(&current);
                    let major = dice.chance(30);
                    input.grade = if major { "major" } else { "general" }.to_string();
                    input.supervision = Some(
                        if major && dice.chance(50) {
                            "under_control"
                        } else {
                            "none"
                        }
                        .to_string(),
                    );
                    let latest = h.deadline.map_or(day, |d| Ord::min(d, day));
                    input.discovered_on =
                        (latest - Duration::days(dice.below(20) as i64)).to_string();
                    let exposed = dice.chance(30);
                    input.exposed = Some(exposed);
                    input.exposed_on = exposed.then(|| day.to_string());
                    input.exposure_channel = exposed.then(|| "报纸".to_string());
                    store::update(state, &actor, h.id, &input).await.unwrap();
                    "edit"
                }
                3 if h.state != "closed" && dice.chance(40) => {
                    void(&app, h.id).await;
                    "void"
                }
                _ => match h.state.as_str() {
                    "registered" => {
                        let major = h.grade == "major";
                        let deadline = h.discovered_on + Duration::days(dice.below(60) as i64);
                        let input = NoticeInput {
                            deadline: deadline.to_string(),
                            responsible: Some("主要负责人".into()),
                            measures: Some("立即整改".into()),
                            funds_yuan: Some("1000".into()),
                            contingency: Some("专人值守".into()),
                            criterion_standard: major.then(|| "判定标准".into()),
                            criterion_item: major.then(|| "第（一）项".into()),
                            version: h.version,
                        };
                        store::issue_notice(state, &actor, h.id, &input)
                            .await
                            .unwrap();
                        "notice"
                    }
                    "notice_issued" if dice.chance(70) => {
                        store::start(state, &actor, h.id, h.version).await.unwrap();
                        "start"
                    }
                    "notice_issued" | "rectifying" => {
                        let input = ReviewRequestInput {
                            evidence: "已整改".into(),
                            version: h.version,
                        };
                        store::request_review(state, &actor, h.id, &input)
                            .await
                            .unwrap();
                        "request review"
                    }
                    "awaiting_review" => {
                        let passed = dice.chance(70);
                        let input = ReviewInput {
                            passed,
                            reasons: if passed { "" } else { "整改不到位" }.into(),
                            version: h.version,
                        };
                        store::review(state, &actor, h.id, &input).await.unwrap();
                        if passed { "review pass" } else { "review fail" }
                    }
                    "review_passed" => {
                        store::close(state, &actor, h.id, h.version).await.unwrap();
                        "close"
                    }
                    _ => "nothing (closed)",
                },
            };
            *done.entry(what).or_default() += 1;
            if step % CHECK_EVERY == 0 {
                check(&app, &format!("step {step} ({what})")).await;
            }
        }
        check(&app, "at the end").await;
        for kind in [
            "create",
            "edit",
            "void",
            "notice",
            "start",
            "request review",
            "review pass",
            "review fail",
            "close",
        ] {
            assert!(
                done.get(kind).copied().unwrap_or(0) > 0,
                "{}: no {kind} in {done:?}",
                backend.name()
            );
        }

        // A city's and the province's sums are the county's (the demo has one county).
        let day = today(state);
        let sums = |code: &'static str| {
            let scope = platform::access::Scope::of(code);
            async move {
                rollup::totals(&state.db, &scope, day - Duration::days(400), day, day)
                    .await
                    .unwrap()
            }
        };
        let county = sums("510722000000").await;
        assert!(county.period.get(rollup::Counter::Found) > 0);
        assert_eq!(sums("510700000000").await, county);
        assert_eq!(sums("510000000000").await, county);
        assert_eq!(sums("520000000000").await, rollup::Totals::default());

        // On a database from before the table, the migration creates it and counts the
        // hazards already there: the same rows as kept.
        let kept = rollup::rows(&state.db).await.unwrap();
        state
            .db
            .execute_unprepared("DROP TABLE safety_hazard_daily")
            .await
            .unwrap();
        let migration = safety::migrations()
            .into_iter()
            .find(|m| m.name() == "m20261201_000010_safety_hazard_daily")
            .expect("the migration");
        migration
            .up(&SchemaManager::new(&state.db))
            .await
            .expect("migrated");
        assert_eq!(rollup::rows(&state.db).await.unwrap(), kept);
    })
    .await;
}

/// The inspection counters (`safety_inspection_daily`) equal a recount after the demo's
/// inspections and a seeded random run of new inspections and edits of dates, kinds and years
/// through the store; the totals read from them equal the totals counted from the inspections
/// (the distinct units for periods from 1 January); a city's and the province's sums are the
/// county's; the migration fills the table from inspections already written.
#[tokio::test]
async fn the_inspection_counters_follow_every_change() {
    use safety::inspections::entity::inspection;
    use safety::inspections::rollup as counters;
    use safety::inspections::store::{self as inspections, InspectionInput};

    on_each_backend(|app, backend| async move {
        // The whole app, not only its state: it owns the SQLite database's folder.
        let app = &app;
        let state = &app.state;
        safety::units::load_demo(state).await.unwrap();
        safety::inspections::load_demo(state).await.unwrap();
        let actor = platform::auth::actor_named(&state.db, "safety")
            .await
            .unwrap()
            .expect("the county's safety officer");
        let county = &platform::access::Scope::of("510722000000");
        let day = today(state);
        let jan1 = |year: i32| chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let periods = [
            (jan1(2026), day),
            (
                jan1(2025),
                chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            ),
            (jan1(2025), day),
            (day - Duration::days(45), day),
        ];
        let check = |when: String| async move {
            let db = &state.db;
            let kept = counters::rows(db).await.unwrap();
            counters::rebuild(db, COUNTY).await.unwrap();
            assert_eq!(kept, counters::rows(db).await.unwrap(), "{when}");
            for (from, to) in periods {
                let summed = inspections::totals(db, county, from, to).await.unwrap();
                let counted = inspections::counted_totals(db, county, from, to)
                    .await
                    .unwrap();
                assert_eq!(summed, counted, "{when}: {from}..{to}");
                for wider in ["510700000000", "510000000000"] {
                    let scope = platform::access::Scope::of(wider);
                    let wide = inspections::totals(db, &scope, from, to).await.unwrap();
                    assert_eq!(wide, summed, "{when}: {wider} {from}..{to}");
                }
            }
        };
        check("after the demo".into()).await;

        let mut dice = Dice(0x1A5B_2026_1202 ^ backend.name().len() as u64);
        let mut done = std::collections::BTreeMap::<&str, usize>::new();
        for step in 1..=120 {
            let live = inspection::Entity::find()
                .order_by_asc(inspection::Column::Id)
                .all(&state.db)
                .await
                .unwrap();
            let picked = &live[dice.below(live.len())];
            let current = inspections::get(&state.db, &actor.scope(), picked.id)
                .await
                .unwrap();
            let mut input = InspectionInput::from_inspection(&current);
            // Any day of the last 500 (so across New Year), outside any campaign's period.
            input.inspected_on = (day - Duration::days(dice.below(500) as i64)).to_string();
            input.campaign_id = None;
            if current.is_tour() {
                input.kind = ["supervision", "covert"][dice.below(2)].to_string();
            }
            let what = if dice.chance(45) {
                input.version = None;
                inspections::create(state, &actor, &input).await.unwrap();
                if current.is_tour() {
                    "new tour"
                } else {
                    "new inspection"
                }
            } else {
                inspections::update(state, &actor, picked.id, &input)
                    .await
                    .unwrap();
                if current.is_tour() {
                    "edit tour"
                } else {
                    "edit inspection"
                }
            };
            *done.entry(what).or_default() += 1;
            if step % 30 == 0 {
                check(format!("{} step {step} ({what})", backend.name())).await;
            }
        }
        for kind in ["new tour", "new inspection", "edit tour", "edit inspection"] {
            assert!(
                done.get(kind).copied().unwrap_or(0) > 0,
                "no {kind} in {done:?}"
            );
        }
        let this_year = inspections::totals(&state.db, county, jan1(2026), day)
            .await
            .unwrap();
        assert!(this_year.units_inspected > 0 && this_year.tours > 0);

        let kept = counters::rows(&state.db).await.unwrap();
        state
            .db
            .execute_unprepared(&format!("DROP TABLE {}", counters::TABLE))
            .await
            .unwrap();
        let migration = safety::migrations()
            .into_iter()
            .find(|m| m.name() == "m20261202_000012_safety_inspection_daily")
            .expect("the migration");
        migration
            .up(&SchemaManager::new(&state.db))
            .await
            .expect("migrated");
        assert_eq!(counters::rows(&state.db).await.unwrap(), kept);
    })
    .await;
}
