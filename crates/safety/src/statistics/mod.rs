//! 统计: the figures of the work-safety part of a work summary, for any period and township,
//! each a link to the list it counts (so a leader can ask "which ones?" and get the answer).

pub mod api;
pub mod pages;

use chrono::NaiveDate;
use platform::access::{Actor, perm};
use platform::error::AppResult;
use platform::web::AppState;
pub use platform::web::statistics::{Figure, Period, Resolved, Section};
use platform::web::statistics::{count, derived, query};

use crate::hazards::rollup::{self, Counter, Totals};
use crate::hazards::store::HazardFilter;
use crate::inspections::store::InspectionFilter;
use crate::units::store::{self as units, UnitFilter};
use crate::{accidents, enforcement, inspections, notices, units::store::today};

/// 整改率: the share of `all` that `part` is, linking to `part`'s list.
fn rate(part: &Figure, all: &Figure) -> Figure {
    let (p, a) = (
        part.value.parse::<f64>().unwrap_or(0.0),
        all.value.parse::<f64>().unwrap_or(0.0),
    );
    let value = if a > 0.0 {
        format!("{:.1}", p * 100.0 / a)
    } else {
        "—".to_string()
    };
    derived("整改率", "%", value, part.href.clone())
}

/// Every section for the period, in the order a work summary reports them.
pub async fn compute(state: &AppState, actor: &Actor, period: &Period) -> AppResult<Vec<Section>> {
    actor.require(perm::SAFETY_VIEW)?;
    let day = today(state);
    let r = period.resolve(actor, day)?;
    let t = hazard_totals(state, &r, day).await?;
    let mut sections = vec![
        unit_section(state, &r, day).await?,
        inspection_section(state, &r, &t).await?,
        hazard_section(&r, &t),
        major_hazard_section(&r, &t),
        enforcement_section(state, &r).await?,
        accident_section(state, &r).await?,
    ];
    if r.township.is_none() && notices::store::may_read_all(actor) {
        sections.push(notice_section(state, &r, day).await?);
    }
    Ok(sections)
}

async fn unit_section(state: &AppState, r: &Resolved, day: NaiveDate) -> AppResult<Section> {
    let db = &state.db;
    let base = UnitFilter {
        township: r.township.clone(),
        ..Default::default()
    };
    let expiring = UnitFilter {
        licence: Some("expiring".into()),
        ..base.clone()
    };
    Ok(Section {
        title: "监管对象",
        figures: vec![
            count(
                "监管对象",
                "家",
                units::count(db, &r.scope, &base, day).await?,
                query("/safety/units", &base),
            ),
            count(
                "许可证 30 日内到期或已过期",
                "家",
                units::count(db, &r.scope, &expiring, day).await?,
                query("/safety/units", &expiring),
            ),
        ],
    })
}

fn found(r: &Resolved) -> HazardFilter {
    HazardFilter {
        township: r.township.clone(),
        from: Some(r.from.to_string()),
        to: Some(r.to.to_string()),
        ..Default::default()
    }
}

fn fixed(r: &Resolved) -> HazardFilter {
    HazardFilter {
        township: r.township.clone(),
        closed_from: Some(r.from.to_string()),
        closed_to: Some(r.to.to_string()),
        ..Default::default()
    }
}

/// The period's hazard figures: the daily counters summed when they give them exactly (a scope
/// of whole counties: a county, city or province), else counted from the scope's hazards in one
/// pass (a township or village; the counters are per county).
async fn hazard_totals(state: &AppState, r: &Resolved, day: NaiveDate) -> AppResult<Totals> {
    Ok(if rollup::covers(&r.scope) {
        rollup::totals(&state.db, &r.scope, r.from, r.to, day).await?
    } else {
        rollup::counted(&state.db, &r.scope, r.from, r.to, day).await?
    })
}

/// A hazard figure of `n`, linking to `filter`'s list (which counts the same hazards).
fn hazard_figure(label: &'static str, filter: HazardFilter, n: i64) -> Figure {
    count(
        label,
        "条",
        u64::try_from(n).unwrap_or(0),
        query("/safety/hazards", &filter),
    )
}

fn graded(filter: HazardFilter, grade: &str) -> HazardFilter {
    HazardFilter {
        grade: Some(grade.to_string()),
        ..filter
    }
}

fn hazard_section(r: &Resolved, t: &Totals) -> Section {
    use Counter::*;
    let overdue = HazardFilter {
        township: r.township.clone(),
        overdue: Some(true),
        ..Default::default()
    };
    let exposed = HazardFilter {
        exposed: Some(true),
        ..found(r)
    };
    let open = HazardFilter {
        open: Some(true),
        ..found(r)
    };
    let found_and_closed = HazardFilter {
        state: Some("closed".into()),
        ..found(r)
    };
    let all = hazard_figure("排查隐患", found(r), t.period.get(Found));
    let closed = hazard_figure(
        "期内发现已销号",
        found_and_closed,
        t.period.get(FoundClosed),
    );
    let rate = rate(&closed, &all);
    let still_open = t.period.get(Found) - t.period.get(FoundClosed);
    Section {
        title: "隐患排查治理",
        figures: vec![
            all,
            hazard_figure(
                "其中一般隐患",
                graded(found(r), "general"),
                t.period.get(FoundGeneral),
            ),
            closed,
            rate,
            hazard_figure("整改销号", fixed(r), t.period.get(Closed)),
            hazard_figure("期内发现尚未销号", open, still_open),
            hazard_figure("当前逾期未整改", overdue, t.overdue),
            hazard_figure("曝光隐患", exposed, t.period.get(FoundExposed)),
        ],
    }
}

fn major_hazard_section(r: &Resolved, t: &Totals) -> Section {
    use Counter::*;
    let controlled = HazardFilter {
        township: r.township.clone(),
        grade: Some("major".into()),
        open: Some(true),
        supervised: Some(true),
        ..Default::default()
    };
    Section {
        title: "重大事故隐患",
        figures: vec![
            hazard_figure(
                "发现重大隐患",
                graded(found(r), "major"),
                t.period.get(FoundMajor),
            ),
            hazard_figure(
                "重大隐患销号",
                graded(fixed(r), "major"),
                t.period.get(ClosedMajor),
            ),
            hazard_figure("挂牌督办或管控中", controlled, t.controlled),
        ],
    }
}

async fn accident_section(state: &AppState, r: &Resolved) -> AppResult<Section> {
    let t = accidents::store::totals(&state.db, &r.scope, r.from, r.to).await?;
    let href = accidents::store::list_href(r.from, r.to, r.township.as_deref());
    let people = |label, n: i64| derived(label, "人", n.to_string(), href.clone());
    Ok(Section {
        title: "生产安全事故",
        figures: vec![
            count("事故起数", "起", t.count, href.clone()),
            people("死亡", t.deaths),
            people("重伤", t.serious_injuries),
            derived(
                "直接经济损失",
                "万元",
                format!("{:.2}", t.direct_loss_fen as f64 / 1_000_000.0),
                href.clone(),
            ),
        ],
    })
}

/// Letters are the county bureau's: counted for the county's readers, not split by township.
async fn notice_section(state: &AppState, r: &Resolved, day: NaiveDate) -> AppResult<Section> {
    let t = notices::store::totals(&state.db, &r.scope, r.from, r.to, day).await?;
    let all = notices::store::list_href(None, r.from, r.to, false);
    let mut figures = vec![count("发出函件", "份", t.sent, all.clone())];
    figures.extend(t.by_kind.iter().filter(|k| k.2 > 0).map(|(code, _, n)| {
        count(
            notices::model::NoticeKind::parse(code).map_or("其他函件", |k| k.label()),
            "份",
            *n,
            notices::store::list_href(Some(code), r.from, r.to, false),
        )
    }));
    figures.push(derived(
        "已回复 / 应回复单位",
        "家次",
        format!("{} / {}", t.replied, t.recipients),
        all,
    ));
    // Late and missing replies, while the list shows letters with a missing one.
    figures.push(derived(
        "回复逾期",
        "家次",
        t.overdue.to_string(),
        notices::store::list_href(None, r.from, r.to, true),
    ));
    Ok(Section {
        title: "函件",
        figures,
    })
}

async fn inspection_section(
    state: &AppState,
    r: &Resolved,
    hazards: &Totals,
) -> AppResult<Section> {
    let t = inspections::store::totals(&state.db, &r.scope, r.from, r.to).await?;
    let period = InspectionFilter {
        township: r.township.clone(),
        from: Some(r.from.to_string()),
        to: Some(r.to.to_string()),
        ..Default::default()
    };
    let tours = InspectionFilter {
        kind: Some("tour".into()),
        ..period.clone()
    };
    let all = inspections::store::list_href(&period);
    Ok(Section {
        title: "执法检查",
        figures: vec![
            count("检查（含督查暗访）", "次", t.inspections, all.clone()),
            derived("检查单位", "家", t.units_inspected.to_string(), all),
            count(
                "督查暗访",
                "次",
                t.tours,
                inspections::store::list_href(&tours),
            ),
            hazard_figure(
                "检查发现隐患",
                HazardFilter {
                    inspected: Some(true),
                    ..found(r)
                },
                hazards.period.get(Counter::FoundInspected),
            ),
        ],
    })
}

async fn enforcement_section(state: &AppState, r: &Resolved) -> AppResult<Section> {
    use enforcement::store::{TotalsFigure, list_href};
    let t = enforcement::store::totals(&state.db, &r.scope, r.from, r.to).await?;
    let href = |figure| list_href(figure, r.township.as_deref(), r.from, r.to);
    let wan = |fen: i64| format!("{:.2}", fen as f64 / 1_000_000.0);
    Ok(Section {
        title: "行政执法",
        figures: vec![
            count("立案", "件", t.filed, href(TotalsFigure::Filed)),
            count("作出处罚决定", "件", t.decided, href(TotalsFigure::Decided)),
            derived(
                "罚款决定",
                "万元",
                wan(t.fines_decided_fen),
                href(TotalsFigure::Decided),
            ),
            derived(
                "罚款收缴",
                "万元",
                wan(t.fines_collected_fen),
                href(TotalsFigure::Collected),
            ),
            count("上报典型案例", "件", t.typical, href(TotalsFigure::Typical)),
        ],
    })
}
