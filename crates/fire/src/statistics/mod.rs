//! 森林防火统计: for any period of days (default this year so far) — forecast days issued and
//! those with orange or red townships, burn bans and documents; satellite hotspots received,
//! answered on time or late, still unanswered, by verdict and by source; the scheduled reports
//! (一日三报) asked, filed on time, late, zero, missing; patrol check-ins, tours and the scan
//! rate (扫码督导率); forest fires, area burned, casualties and grades. A table per township
//! (least reporting first) links each count to the list it comes from.
//!
//! Every figure is read through the ledgers' own scoped reads: a county reader sees the county
//! (or one township asked for), a township's staff their township only. Forecasts, bans and
//! documents are the county's; below the county, bans and documents addressed to the township
//! (or to all townships) are counted.

pub mod api;
pub mod pages;
pub mod tally;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use platform::access::Actor;
use platform::clock::local_midnight;
use platform::error::AppResult;
use platform::regions::model::{Level, township_of};
use platform::web::AppState;
use platform::web::statistics::{Resolved, count, derived, query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;

pub use platform::web::statistics::{Figure, Period, Section};

use crate::access::{county_of, require_reader};
use crate::fires::entity as fire;
use crate::fires::model::FireGrade;
use crate::forecasts::model::{DocKind, Level as DangerLevel};
use crate::forecasts::{bans, documents, store as forecasts};
use crate::hotspots::model::{Stage, Verdict};
use crate::hotspots::store::{self as hotspots, Hotspot, ListFilter};
use crate::patrols::entity::checkin;
use crate::patrols::store::{self as patrols, RateRow, Tour, TourFilter};
use crate::reports::{board, entity::slot, model::local_day};
use tally::{HotspotTally, ReportTally, rate_text};

const HOTSPOTS: &str = "/fire/hotspots";
const REPORTS: &str = "/fire/reports";
const CHECKINS: &str = "/fire/checkins";
const TOURS: &str = "/fire/tours";

/// One township's figures of the period.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TownshipRow {
    pub code: String,
    pub name: String,
    pub hotspots: HotspotTally,
    /// The hotspot list of the township and period.
    pub hotspots_href: String,
    pub reports: ReportTally,
    pub checkins: u64,
    pub checkins_href: String,
    pub tours: u64,
    pub tours_done: u64,
    pub tours_href: String,
    pub fires: u64,
    pub area_ha: f64,
}

impl TownshipRow {
    pub fn hotspot_rate(&self) -> String {
        rate_text(self.hotspots.on_time_rate())
    }

    pub fn report_rate(&self) -> String {
        rate_text(self.reports.on_time_rate())
    }

    pub fn scan_rate(&self) -> String {
        rate_text(crate::patrols::model::scan_rate(
            self.tours_done,
            self.tours,
        ))
    }
}

/// Forest fires of the period.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct FireTotals {
    pub fires: u64,
    pub area_ha: f64,
    pub deaths: u64,
    pub injured: u64,
    /// Fires per grade, 一般 first.
    pub by_grade: [u64; 4],
}

/// Everything the page, the API and the export show.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Statistics {
    pub from: String,
    pub to: String,
    /// The township asked for, or the reader's own below the county; none for the county.
    pub township: Option<String>,
    /// The headline figures, each linking to what it counts.
    pub sections: Vec<Section>,
    pub hotspots: HotspotTally,
    pub reports: ReportTally,
    /// Report times opened in the period (each asks every township).
    pub report_slots: u64,
    pub fires: FireTotals,
    /// Per township, the least reporting first.
    pub townships: Vec<TownshipRow>,
    /// 扫码督导率 per person with tours in the period.
    pub people: Vec<RateRow>,
}

/// The filter every linked list understands: the period's days and the township.
#[derive(Clone, Debug, Serialize)]
struct Link {
    from: String,
    to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    township: Option<String>,
}

impl Link {
    fn of(r: &Resolved, township: Option<&str>) -> Self {
        Self {
            from: r.from.to_string(),
            to: r.to.to_string(),
            township: township.map(str::to_string).or_else(|| r.township.clone()),
        }
    }

    fn to(&self, path: &str) -> String {
        query(path, self)
    }
}

/// The township a reader below the county works in.
fn own_township(actor: &Actor) -> Option<String> {
    (actor.scope().prefix().len() > 6).then(|| township_of(&actor.region_code))
}

/// Whether a county document addressed to `townships` (none: all) concerns `focus`.
fn addressed_to(townships: &[String], focus: Option<&str>) -> bool {
    focus.is_none_or(|f| townships.is_empty() || townships.iter().any(|t| t == f))
}

fn in_period(day: NaiveDate, r: &Resolved) -> bool {
    (r.from..=r.to).contains(&day)
}

fn years(r: &Resolved) -> std::ops::RangeInclusive<i32> {
    r.from.year()..=r.to.year()
}

/// 火险预报, 禁火令 and documents: the county's, by the day they are for or issued on.
async fn forecast_section(
    state: &AppState,
    actor: &Actor,
    r: &Resolved,
    focus: Option<&str>,
) -> AppResult<Section> {
    let db = &state.db;
    let (mut days, mut orange_red, mut bans_issued) = (0u64, 0u64, 0u64);
    let mut by_kind = [0u64; 2];
    for year in years(r) {
        for d in forecasts::list(db, actor, year).await? {
            if in_period(d.day, r) {
                days += 1;
                let ban_level = DangerLevel::from_number(d.max_level.into())
                    .is_some_and(DangerLevel::brings_ban);
                orange_red += u64::from(ban_level);
            }
        }
        // A ban counts on the day it takes effect.
        bans_issued += bans::list(db, actor, year)
            .await?
            .iter()
            .filter(|b| in_period(b.valid_from, r) && addressed_to(&b.townships, focus))
            .count() as u64;
        for d in documents::list(db, actor, year, None).await? {
            if in_period(d.issued_on, r) && addressed_to(&d.townships, focus) {
                let i = DocKind::ALL.iter().position(|k| *k == d.kind).unwrap_or(0);
                by_kind[i] += 1;
            }
        }
    }
    let year = r.from.year();
    let forecasts_href = format!("/fire/forecasts?year={year}");
    let mut figures = vec![
        derived("火险预报", "期", days.to_string(), forecasts_href.clone()),
        derived(
            "有橙色、红色乡镇",
            "天",
            orange_red.to_string(),
            forecasts_href,
        ),
        derived(
            "禁火令",
            "份",
            bans_issued.to_string(),
            format!("/fire/bans?year={year}"),
        ),
    ];
    for (kind, n) in DocKind::ALL.iter().zip(by_kind) {
        let href = format!("/fire/documents?year={year}&kind={}", kind.code());
        figures.push(derived(kind.label(), "份", n.to_string(), href));
    }
    Ok(Section {
        title: "火险预报与研判",
        figures,
    })
}

fn hotspot_sections(all: &HotspotTally, spots: &[Hotspot], href: &str) -> Vec<Section> {
    let h = |label, value: u64| derived(label, "个", value.to_string(), href.to_string());
    let checks = Section {
        title: "卫星热点",
        figures: vec![
            h("接收热点", all.received),
            h("已核查反馈", all.answered()),
            h("按时反馈", all.on_time),
            h("逾期反馈", all.late),
            h("超时未反馈", all.overdue),
            h("待核查", all.waiting),
            h("待指派乡镇", all.unassigned),
            derived(
                "按时反馈率",
                "",
                rate_text(all.on_time_rate()),
                href.to_string(),
            ),
        ],
    };
    let verdicts = Section {
        title: "热点核查结果",
        figures: Verdict::ALL
            .iter()
            .zip(all.by_verdict)
            .map(|(v, n)| h(v.label(), n))
            .collect(),
    };
    let mut sources: BTreeMap<&'static str, u64> = BTreeMap::new();
    for s in spots.iter().filter(|s| s.stage != Stage::Voided) {
        *sources.entry(s.source_label()).or_default() += 1;
    }
    let sources = Section {
        title: "热点来源",
        figures: sources.into_iter().map(|(label, n)| h(label, n)).collect(),
    };
    vec![checks, verdicts, sources]
}

/// The report cells of every opened slot in the period, per township (scoped by the board).
async fn report_tallies(
    state: &AppState,
    actor: &Actor,
    county: &str,
    r: &Resolved,
) -> AppResult<(u64, HashMap<String, ReportTally>)> {
    // Only days with a slot opened: the board of any other day has nothing asked.
    let days: BTreeSet<NaiveDate> = slot::Entity::find()
        .filter(slot::Column::RegionCode.eq(county))
        .filter(slot::Column::Day.between(r.from, r.to))
        .filter(slot::Column::VoidedAt.is_null())
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| s.day)
        .collect();
    let mut slots = 0;
    let mut by_township: HashMap<String, ReportTally> = HashMap::new();
    for day in days {
        let b = board::board(state, actor, day).await?;
        let opened: Vec<bool> = b.columns.iter().map(|c| c.slot_id.is_some()).collect();
        slots += opened.iter().filter(|o| **o).count() as u64;
        for row in b
            .rows
            .iter()
            .filter(|row| r.scope.contains(&row.region_code))
        {
            let t = by_township.entry(row.region_code.clone()).or_default();
            for (c, _) in row.cells.iter().zip(&opened).filter(|(_, o)| **o) {
                t.add(c.status, c.zero);
            }
        }
    }
    Ok((slots, by_township))
}

fn report_section(slots: u64, all: &ReportTally) -> Section {
    let href = || REPORTS.to_string();
    let n = |label, unit, value: u64| derived(label, unit, value.to_string(), href());
    Section {
        title: "一日三报",
        figures: vec![
            n("报告时次", "次", slots),
            n("应报", "乡镇次", all.asked),
            n("按时报送", "乡镇次", all.on_time),
            n("迟报", "乡镇次", all.late),
            n("零报告", "乡镇次", all.zero),
            n("未报", "乡镇次", all.missing),
            derived("按时报送率", "", rate_text(all.on_time_rate()), href()),
        ],
    }
}

fn patrol_section(checkins: u64, tours: &[Tour], link: &Link) -> Section {
    let rates = patrols::rates(tours);
    Section {
        title: "巡查签到",
        figures: vec![
            count("扫码签到", "次", checkins, link.to(CHECKINS)),
            count("包干任务", "项", rates.overall.tours, link.to(TOURS)),
            derived(
                "已完成任务",
                "项",
                rates.overall.done.to_string(),
                link.to(TOURS),
            ),
            derived("扫码督导率", "", rates.overall.rate_text(), link.to(TOURS)),
        ],
    }
}

/// Live check-ins in scope in the period, per township. Counted here rather than through the
/// check-in list, which stops at 1,000 rows: a year of rangers' scans is more.
async fn checkins_by_township(
    state: &AppState,
    actor: &Actor,
    r: &Resolved,
) -> AppResult<HashMap<String, u64>> {
    let mut q = checkin::Entity::find()
        .filter(actor.scope().condition(checkin::Column::RegionCode))
        .filter(checkin::Column::VoidedAt.is_null())
        .filter(checkin::Column::Day.between(r.from, r.to));
    if let Some(t) = &r.township {
        q = q.filter(checkin::Column::RegionCode.eq(t));
    }
    let codes: Vec<String> = q
        .select_only()
        .column(checkin::Column::RegionCode)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut counts = HashMap::new();
    for code in codes {
        *counts.entry(code).or_insert(0) += 1;
    }
    Ok(counts)
}

/// Forest fire records in scope that started in the period.
async fn fires_of(state: &AppState, actor: &Actor, r: &Resolved) -> AppResult<Vec<fire::Model>> {
    let mut q = fire::Entity::find()
        .filter(actor.scope().condition(fire::Column::RegionCode))
        .filter(fire::Column::VoidedAt.is_null())
        .filter(fire::Column::StartedAt.gte(local_midnight(r.from)))
        .filter(fire::Column::StartedAt.lt(local_midnight(r.to + Duration::days(1))));
    if let Some(t) = &r.township {
        q = q.filter(fire::Column::RegionCode.eq(t));
    }
    Ok(q.all(&state.db).await?)
}

const GRADES: [FireGrade; 4] = [
    FireGrade::Ordinary,
    FireGrade::Larger,
    FireGrade::Major,
    FireGrade::Extraordinary,
];

fn fire_totals(fires: &[fire::Model]) -> FireTotals {
    let mut t = FireTotals::default();
    for f in fires {
        t.fires += 1;
        t.area_ha += f.area_ha;
        t.deaths += f.deaths.max(0) as u64;
        t.injured += f.injured.max(0) as u64;
        if let Some(i) =
            FireGrade::parse(&f.grade).and_then(|g| GRADES.iter().position(|x| *x == g))
        {
            t.by_grade[i] += 1;
        }
    }
    t.area_ha = hectares(t.area_ha);
    t
}

/// Hectares to two decimals, as burned areas are reported.
fn hectares(area: f64) -> f64 {
    (area * 100.0).round() / 100.0
}

fn fire_section(t: &FireTotals, href: &str) -> Section {
    let f = |label, unit, value: String| derived(label, unit, value, href.to_string());
    let mut figures = vec![
        f("森林火灾", "起", t.fires.to_string()),
        f("过火面积", "公顷", t.area_ha.to_string()),
        f("死亡", "人", t.deaths.to_string()),
        f("受伤", "人", t.injured.to_string()),
    ];
    for (g, n) in GRADES.iter().zip(t.by_grade) {
        figures.push(f(g.label(), "起", n.to_string()));
    }
    Section {
        title: "森林火灾",
        figures,
    }
}

/// The townships of the county inside the period's scope, in code order.
async fn townships(
    state: &AppState,
    r: &Resolved,
    county: &str,
) -> AppResult<Vec<platform::regions::store::Region>> {
    Ok(
        platform::regions::store::list_level(&state.db, &r.scope, Level::Township)
            .await?
            .into_iter()
            .filter(|t| county_of(&t.code) == county)
            .collect(),
    )
}

/// Least reporting first: the lowest on-time rate (none rated last), then most missing.
fn least_reporting_first(rows: &mut [TownshipRow]) {
    rows.sort_by(|a, b| {
        let rate = |r: &TownshipRow| r.reports.on_time_rate().unwrap_or(f64::INFINITY);
        rate(a)
            .total_cmp(&rate(b))
            .then_with(|| b.reports.missing.cmp(&a.reports.missing))
            .then_with(|| a.code.cmp(&b.code))
    });
}

/// Every figure for the period asked.
pub async fn compute(state: &AppState, actor: &Actor, period: &Period) -> AppResult<Statistics> {
    let county = require_reader(actor)?;
    let r = period.resolve(actor, local_day(state.now()))?;
    let focus = r.township.clone().or_else(|| own_township(actor));
    let link = Link::of(&r, None);

    let forecast = forecast_section(state, actor, &r, focus.as_deref()).await?;
    let filter = ListFilter {
        from: Some(link.from.clone()),
        to: Some(link.to.clone()),
        township: r.township.clone(),
    };
    let spots = hotspots::list(state, actor, &filter).await?;
    let (report_slots, reports_by) = report_tallies(state, actor, &county, &r).await?;
    let checkins = checkins_by_township(state, actor, &r).await?;
    let tours = patrols::list_tours(
        state,
        actor,
        &TourFilter {
            township: r.township.clone(),
            person: None,
            from: Some(link.from.clone()),
            to: Some(link.to.clone()),
        },
    )
    .await?;
    let fires = fires_of(state, actor, &r).await?;

    let mut all_spots = HotspotTally::default();
    let mut spots_by: HashMap<String, HotspotTally> = HashMap::new();
    for s in &spots {
        all_spots.add(s.stage, s.verdict);
        if let Some(t) = &s.township_code {
            spots_by
                .entry(t.clone())
                .or_default()
                .add(s.stage, s.verdict);
        }
    }
    let mut all_reports = ReportTally::default();
    for t in reports_by.values() {
        all_reports.merge(t);
    }
    let fire_totals = fire_totals(&fires);

    let mut rows: Vec<TownshipRow> = townships(state, &r, &county)
        .await?
        .into_iter()
        .filter(|t| r.township.as_ref().is_none_or(|code| *code == t.code))
        .map(|t| {
            let own = Link::of(&r, Some(&t.code));
            let mine = |code: &str| code == t.code;
            let my_fires: Vec<&fire::Model> =
                fires.iter().filter(|f| mine(&f.region_code)).collect();
            let my_tours: Vec<&Tour> = tours.iter().filter(|x| mine(&x.township)).collect();
            TownshipRow {
                hotspots: spots_by.remove(&t.code).unwrap_or_default(),
                hotspots_href: own.to(HOTSPOTS),
                reports: reports_by.get(&t.code).cloned().unwrap_or_default(),
                checkins: checkins.get(&t.code).copied().unwrap_or(0),
                checkins_href: own.to(CHECKINS),
                tours: my_tours.len() as u64,
                tours_done: my_tours.iter().filter(|x| x.done).count() as u64,
                tours_href: own.to(TOURS),
                fires: my_fires.len() as u64,
                area_ha: hectares(my_fires.iter().map(|f| f.area_ha).sum()),
                code: t.code,
                name: t.short_name,
            }
        })
        .collect();
    least_reporting_first(&mut rows);

    let hotspots_href = link.to(HOTSPOTS);
    let mut sections = vec![forecast];
    sections.extend(hotspot_sections(&all_spots, &spots, &hotspots_href));
    sections.push(report_section(report_slots, &all_reports));
    sections.push(patrol_section(checkins.values().sum(), &tours, &link));
    // The fire list goes by year: the period's first year.
    let fires_href = format!("/fire/fires?year={}", r.from.year());
    sections.push(fire_section(&fire_totals, &fires_href));

    Ok(Statistics {
        from: link.from,
        to: link.to,
        township: focus,
        sections,
        hotspots: all_spots,
        reports: all_reports,
        report_slots,
        fires: fire_totals,
        townships: rows,
        people: patrols::rates(&tours).by_person,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_to_all_townships_concern_each() {
        let tongchuan = "510722101000".to_string();
        assert!(addressed_to(&[], Some(&tongchuan)));
        assert!(addressed_to(
            std::slice::from_ref(&tongchuan),
            Some(&tongchuan)
        ));
        assert!(!addressed_to(&["510722104000".into()], Some(&tongchuan)));
        assert!(addressed_to(&["510722104000".into()], None));
    }

    fn township(code: &str, on_time: u64, missing: u64, waiting: u64) -> TownshipRow {
        TownshipRow {
            code: code.into(),
            name: String::new(),
            hotspots: HotspotTally::default(),
            hotspots_href: String::new(),
            reports: ReportTally {
                asked: on_time + missing + waiting,
                on_time,
                missing,
                waiting,
                ..Default::default()
            },
            checkins: 0,
            checkins_href: String::new(),
            tours: 0,
            tours_done: 0,
            tours_href: String::new(),
            fires: 0,
            area_ha: 0.0,
        }
    }

    #[test]
    fn least_reporting_townships_come_first() {
        let mut rows = vec![
            township("510722101000", 2, 0, 0),
            township("510722102000", 0, 0, 1),
            township("510722103000", 1, 1, 0),
            township("510722104000", 1, 2, 0),
            township("510722105000", 1, 1, 0),
        ];
        least_reporting_first(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| &r.code[6..9]).collect();
        // 33.3% before 50% (most missing, then code first), all on time next, nothing due last.
        assert_eq!(order, ["104", "103", "105", "101", "102"]);
    }

    #[test]
    fn burned_area_to_two_decimals() {
        assert_eq!(hectares(2.5 + 0.333), 2.83);
        assert_eq!(hectares(0.0), 0.0);
    }
}
