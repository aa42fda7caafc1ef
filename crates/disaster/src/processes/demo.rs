//! Demo: the “汛期”洪涝 process of three weeks ago with its 初报, two 续报 and the 核报,
//! approved and reported (the 初报 late), and an open 风雹 process whose 初报 潼川镇 has
//! submitted and 塔山镇 not yet.

use std::collections::BTreeMap;

use chrono::Duration;
use platform::access::Actor;
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::entity::process::Entity as Processes;
use super::store::{self, CloseInput, ProcessInput};
use crate::losses::store::{self as losses, ApproveInput, EntryInput, OpenInput};

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(c, v)| (c.to_string(), v.to_string()))
        .collect()
}

async fn submit(
    state: &AppState,
    actor: &Actor,
    report: Uuid,
    township: &str,
    pairs: &[(&str, &str)],
) -> anyhow::Result<()> {
    let (_, e) = losses::get_entry(state, actor, report, township).await?;
    let input = EntryInput {
        values: values(pairs),
        correction_reason: None,
        submit: true,
        version: Some(e.version),
    };
    losses::save_entry(state, actor, report, township, &input).await?;
    Ok(())
}

async fn approve_and_send(
    state: &AppState,
    county: &Actor,
    report: Uuid,
    note: Option<&str>,
) -> anyhow::Result<()> {
    let input = ApproveInput {
        ledger_note: note.map(String::from),
        version: None,
    };
    losses::approve(state, county, report, &input).await?;
    losses::report_upward(state, county, report).await?;
    Ok(())
}

const TONGCHUAN_FIGURES: &[(&str, &str)] = &[
    ("affected_people", "3260"),
    ("evacuated", "860"),
    ("relocated", "420"),
    ("relocated_now", "35"),
    ("relocated_central", "260"),
    ("relocated_dispersed", "160"),
    ("relocation_sites", "3"),
    ("need_relief", "510"),
    ("need_relief_now", "40"),
    ("collapsed_rooms", "7"),
    ("collapsed_households", "3"),
    ("severe_rooms", "18"),
    ("severe_households", "9"),
    ("general_rooms", "64"),
    ("general_households", "31"),
    ("crop_affected", "412.5"),
    ("crop_failed", "186.3"),
    ("crop_lost", "42.8"),
    ("livestock_dead", "12"),
    ("roads_km", "6.4"),
    ("dikes_km", "1.2"),
    ("loss_total", "1286.4"),
    ("loss_housing", "356"),
    ("loss_agriculture", "402.5"),
    ("loss_infrastructure", "480"),
    ("loss_other", "47.9"),
];

async fn flood(
    state: &AppState,
    county: &Actor,
    town: &Actor,
    other: &Actor,
) -> anyhow::Result<()> {
    let start = state.now() - Duration::days(21);
    let input = ProcessInput {
        name: "“汛期”洪涝灾害".into(),
        main_type: "flood".into(),
        other_types: vec!["landslide".into()],
        started_at: start.to_rfc3339(),
        townships: vec![TONGCHUAN.into(), TASHAN.into()],
        note: Some("持续强降雨致涪江、凯江沿岸低洼地带受淹，局地发生滑坡。".into()),
    };
    let p = store::create(state, county, &input).await?;
    let reports = losses::list(state, county, &losses::ReportFilter::of_process(p.id)).await?;
    let initial = reports[0].id;
    submit(
        state,
        town,
        initial,
        TONGCHUAN,
        &[
            ("affected_people", "1800"),
            ("evacuated", "600"),
            ("relocated", "300"),
            ("relocated_now", "300"),
        ],
    )
    .await?;
    submit(
        state,
        other,
        initial,
        TASHAN,
        &[("affected_people", "420"), ("evacuated", "80")],
    )
    .await?;
    approve_and_send(state, county, initial, None).await?;
    let day = platform::clock::local_day(start);
    for (i, affected) in ["2900", "3260"].iter().enumerate() {
        let open = OpenInput {
            stage: "update".into(),
            figures_to: Some((day + Duration::days(i as i64)).to_string()),
        };
        let r = losses::open_report(state, county, p.id, &open).await?;
        let mut figures: Vec<(&str, &str)> = TONGCHUAN_FIGURES.to_vec();
        figures[0] = ("affected_people", affected);
        submit(state, town, r.id, TONGCHUAN, &figures).await?;
        if i == 0 {
            submit(
                state,
                other,
                r.id,
                TASHAN,
                &[
                    ("affected_people", "520"),
                    ("evacuated", "80"),
                    ("crop_affected", "66"),
                    ("crop_failed", "20"),
                    ("loss_total", "85"),
                    ("loss_agriculture", "85"),
                ],
            )
            .await?;
        } else {
            losses::zero_entry(state, other, r.id, TASHAN).await?;
        }
        approve_and_send(state, county, r.id, None).await?;
    }
    let close = CloseInput {
        ended_at: Some((start + Duration::days(3)).to_rfc3339()),
        version: Some(p.version),
    };
    store::close(state, county, p.id, &close).await?;
    let fin = losses::open_report(
        state,
        county,
        p.id,
        &OpenInput {
            stage: "final".into(),
            figures_to: None,
        },
    )
    .await?;
    submit(state, town, fin.id, TONGCHUAN, TONGCHUAN_FIGURES).await?;
    submit(
        state,
        other,
        fin.id,
        TASHAN,
        &[
            ("affected_people", "520"),
            ("evacuated", "80"),
            ("crop_affected", "66"),
            ("crop_failed", "20"),
            ("loss_total", "85"),
            ("loss_agriculture", "85"),
        ],
    )
    .await?;
    let house = losses::LedgerInput {
        kind: "house".into(),
        region_code: "510722101201".into(),
        name: "王德明".into(),
        degree: Some("collapsed".into()),
        rooms: Some("3".into()),
        ..Default::default()
    };
    losses::add_ledger_row(state, town, fin.id, &house).await?;
    approve_and_send(
        state,
        county,
        fin.id,
        Some("倒损住房台账正在逐户录入，已录入 1 户，其余以乡镇纸质台账为准"),
    )
    .await?;
    as_it_happened(state, p.id).await
}

/// The flood was entered in one go at load time; give its reports the times they would have
/// had three weeks ago: townships submitting an hour before the deadline, the county approving
/// and sending upward half an hour before it — except the 初报, sent 40 minutes late.
async fn as_it_happened(state: &AppState, process_id: Uuid) -> anyhow::Result<()> {
    use crate::losses::entity::{entry, report};
    use sea_orm::sea_query::Expr;
    let reports = report::Entity::find()
        .filter(report::Column::ProcessId.eq(process_id))
        .all(&state.db)
        .await?;
    for r in reports {
        let sent = if r.stage == crate::losses::model::Stage::Initial.code() {
            r.due_at + Duration::minutes(40)
        } else {
            r.due_at - Duration::minutes(30)
        };
        report::Entity::update_many()
            .col_expr(
                report::Column::ApprovedAt,
                Expr::value(Some(sent - Duration::minutes(10))),
            )
            .col_expr(report::Column::ReportedAt, Expr::value(Some(sent)))
            .filter(report::Column::Id.eq(r.id))
            .exec(&state.db)
            .await?;
        entry::Entity::update_many()
            .col_expr(
                entry::Column::SubmittedAt,
                Expr::value(Some(sent - Duration::minutes(60))),
            )
            .filter(entry::Column::ReportId.eq(r.id))
            .filter(entry::Column::SubmittedAt.is_not_null())
            .exec(&state.db)
            .await?;
    }
    Ok(())
}

async fn hail(state: &AppState, county: &Actor, town: &Actor) -> anyhow::Result<()> {
    let input = ProcessInput {
        name: "“风雹”强对流灾害".into(),
        main_type: "hail".into(),
        other_types: Vec::new(),
        started_at: (state.now() - Duration::hours(3)).to_rfc3339(),
        townships: vec![TONGCHUAN.into(), TASHAN.into()],
        note: Some("雷雨大风伴冰雹，部分农房屋面和大棚受损。".into()),
    };
    let p = store::create(state, county, &input).await?;
    let reports = losses::list(state, county, &losses::ReportFilter::of_process(p.id)).await?;
    submit(
        state,
        town,
        reports[0].id,
        TONGCHUAN,
        &[
            ("affected_people", "640"),
            ("general_rooms", "26"),
            ("general_households", "14"),
            ("crop_affected", "38.6"),
            ("crop_failed", "12"),
            ("loss_total", "96.5"),
            ("loss_agriculture", "70"),
            ("loss_housing", "26.5"),
        ],
    )
    .await
}

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if Processes::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let (Some(county), Some(town), Some(other)) = (
        platform::auth::actor_named(&state.db, "disaster").await?,
        platform::auth::actor_named(&state.db, "tongchuan").await?,
        platform::auth::actor_named(&state.db, "tashan").await?,
    ) else {
        return Ok(());
    };
    flood(state, &county, &town, &other).await?;
    hail(state, &county, &town).await
}
