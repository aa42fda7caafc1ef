//! 统计分析: the warning part of a work summary for any period and township — warnings issued
//! by level and kind, received from higher levels and relayed, consultation reports issued, each
//! a link to the list it counts — and the 叫应 of every township: people asked, confirmed, within
//! the level's time limit, how fast, who stayed silent and how often the silent were escalated.

pub mod api;
pub mod model;
pub mod pages;
pub mod store;

use platform::access::{Actor, perm};
use platform::error::AppResult;
use platform::regions::Level as RegionLevel;
use platform::web::AppState;
use platform::web::statistics::{Resolved, count, query};
use serde::Serialize;

pub use platform::web::statistics::{Figure, Period, Section};

use self::model::{CallFact, Tally};
use crate::consultations::store::{ConsultationFilter, today};
use crate::warnings::model::{KINDS, Level, township_of};
use crate::warnings::store::WarningFilter;
use platform::regions::model::county_of;

const WARNINGS: &str = "/warning/warnings";
const CONSULTATIONS: &str = "/warning/consultations";

/// How each level is named in a report.
const LEVEL_LABELS: [&str; 4] = [
    "一级（红色）",
    "二级（橙色）",
    "三级（黄色）",
    "四级（蓝色）",
];

/// The 叫应 of one township (or of the county's own people, or of everyone).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CallRow {
    /// The township's code; the county's for its own people (departments, leaders); empty
    /// for the total.
    pub region_code: String,
    pub name: String,
    /// The warnings that asked them.
    pub href: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// Everything the page, the API and the export show.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Statistics {
    pub from: String,
    pub to: String,
    pub township: Option<String>,
    pub sections: Vec<Section>,
    /// 叫应 by the township of the people asked, in code order; townships nobody was asked
    /// in are left out.
    pub calls: Vec<CallRow>,
    /// 叫应 of everyone in the scope asked.
    pub calls_total: CallRow,
    /// The time limits the "within the limit" figures use, e.g. 「一级 5 分钟」.
    pub limits: Vec<String>,
}

/// Every figure for the period.
pub async fn compute(state: &AppState, actor: &Actor, period: &Period) -> AppResult<Statistics> {
    actor.require(perm::WARNING_VIEW)?;
    let mut r = period.resolve(actor, today(state))?;
    // Below the county, one's own township is the township asked for.
    if r.township.is_none() && actor.scope().prefix().len() > 6 {
        r.township = Some(township_of(&actor.region_code));
    }
    let db = &state.db;
    let issued = WarningFilter {
        source: Some("local".into()),
        issued_from: Some(r.from.to_string()),
        issued_to: Some(r.to.to_string()),
        township: r.township.clone(),
        ..Default::default()
    };
    let models = store::warnings_of(db, actor, &issued).await?;
    let mut sections = vec![
        issued_section(state, actor, &issued).await?,
        kind_section(state, actor, &issued, &models).await?,
    ];
    // Received warnings are the county bureau's to relay; below it nobody sees them.
    if actor.scope().prefix().len() <= 6 {
        sections.push(higher_level_section(state, actor, &r, &issued).await?);
    }
    sections.push(consultation_section(state, actor, &r).await?);
    let calls = store::calls_of(db, &models).await?;
    let (rows, total) = call_rows(state, &r, &issued, &calls).await?;
    let limits = crate::warnings::policies::all(db)
        .await?
        .into_iter()
        .map(|p| format!("{} {} 分钟", Level(p.level).label(), p.ack_minutes))
        .collect();
    Ok(Statistics {
        from: r.from.to_string(),
        to: r.to.to_string(),
        township: r.township.clone(),
        sections,
        calls: rows,
        calls_total: total,
        limits,
    })
}

async fn warning_figure(
    state: &AppState,
    actor: &Actor,
    label: &'static str,
    filter: WarningFilter,
) -> AppResult<Figure> {
    let n = store::count_warnings(&state.db, actor, &filter).await?;
    Ok(count(label, "条", n, query(WARNINGS, &filter)))
}

async fn issued_section(
    state: &AppState,
    actor: &Actor,
    issued: &WarningFilter,
) -> AppResult<Section> {
    let mut figures = vec![warning_figure(state, actor, "发布预警", issued.clone()).await?];
    for (level, label) in Level::ALL.into_iter().zip(LEVEL_LABELS) {
        let filter = WarningFilter {
            level: Some(i32::from(level.0)),
            ..issued.clone()
        };
        figures.push(warning_figure(state, actor, label, filter).await?);
    }
    Ok(Section {
        title: "预警发布",
        figures,
    })
}

/// The kinds issued in the period, in the usual order (kinds never issued are left out).
async fn kind_section(
    state: &AppState,
    actor: &Actor,
    issued: &WarningFilter,
    models: &[crate::warnings::entity::warning::Model],
) -> AppResult<Section> {
    let mut figures = Vec::new();
    for (code, label) in KINDS {
        if models.iter().any(|w| w.kind == *code) {
            let filter = WarningFilter {
                kind: Some((*code).to_string()),
                ..issued.clone()
            };
            figures.push(warning_figure(state, actor, label, filter).await?);
        }
    }
    Ok(Section {
        title: "按预警种类",
        figures,
    })
}

async fn higher_level_section(
    state: &AppState,
    actor: &Actor,
    r: &Resolved,
    issued: &WarningFilter,
) -> AppResult<Section> {
    let received = WarningFilter {
        source: Some("cap".into()),
        from: Some(r.from.to_string()),
        to: Some(r.to.to_string()),
        township: r.township.clone(),
        ..Default::default()
    };
    let relayed = WarningFilter {
        relayed: Some(true),
        ..issued.clone()
    };
    Ok(Section {
        title: "上级预警",
        figures: vec![
            warning_figure(state, actor, "收到上级预警", received).await?,
            warning_figure(state, actor, "转发发布", relayed).await?,
        ],
    })
}

async fn consultation_section(state: &AppState, actor: &Actor, r: &Resolved) -> AppResult<Section> {
    let filter = ConsultationFilter {
        state: Some("issued".into()),
        issued_from: Some(r.from.to_string()),
        issued_to: Some(r.to.to_string()),
        township: r.township.clone(),
        ..Default::default()
    };
    let n = store::count_consultations(&state.db, actor, &filter).await?;
    Ok(Section {
        title: "风险会商",
        figures: vec![count(
            "印发会商报告",
            "期",
            n,
            query(CONSULTATIONS, &filter),
        )],
    })
}

/// One row per township whose people were asked or escalated, then the county's own people
/// (member departments' liaisons, leaders), and the total of the scope.
async fn call_rows(
    state: &AppState,
    r: &Resolved,
    issued: &WarningFilter,
    calls: &[CallFact],
) -> AppResult<(Vec<CallRow>, CallRow)> {
    let townships =
        platform::regions::store::list_level(&state.db, &r.scope, RegionLevel::Township).await?;
    let mut rows = Vec::new();
    for t in townships {
        let tally = model::tally(calls, |code| township_of(code) == t.code);
        if tally.is_empty() {
            continue;
        }
        let filter = WarningFilter {
            township: Some(t.code.clone()),
            ..issued.clone()
        };
        rows.push(CallRow {
            href: query(WARNINGS, &filter),
            region_code: t.code,
            name: t.short_name,
            tally,
        });
    }
    let everyone = query(WARNINGS, issued);
    let county = county_of(r.scope.prefix());
    if r.scope.contains(&county) {
        let tally = model::tally(calls, |code| code == county);
        if !tally.is_empty() {
            rows.push(CallRow {
                region_code: county,
                name: "县级部门和领导".to_string(),
                href: everyone.clone(),
                tally,
            });
        }
    }
    let total = CallRow {
        region_code: String::new(),
        name: "合计".to_string(),
        href: everyone,
        tally: model::tally(calls, |code| r.scope.contains(code)),
    };
    Ok((rows, total))
}
