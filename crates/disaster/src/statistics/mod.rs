//! 灾情统计: for any period of days (default this year so far) — disaster processes that began
//! in it by type; their loss reports due in it, reported on time, late or still owed; the losses
//! of those processes (each process's 核报 once approved, else its latest approved report) by
//! township and by type; relief paid in the period and the people helped (救助人次) by
//! programme and township. Each figure links to the records it comes from.
//!
//! A county reader sees the county (or one township asked for); a township's staff their own
//! township: processes that touched it, its figures, its villages' relief.

pub mod api;
pub mod pages;

use std::collections::{BTreeMap, HashMap};

use platform::access::Actor;
use platform::clock::local_day;
use platform::error::AppResult;
use platform::regions::model::{Level, township_of};
use platform::web::AppState;
use platform::web::statistics::{Resolved, count, derived, query};
use serde::Serialize;
use uuid::Uuid;

pub use platform::web::statistics::{Figure, Period, Section};

use crate::access::{county_of, require_reader};
use crate::losses::indicators;
use crate::losses::model::{Figures, Timeliness};
use crate::losses::store::{self as losses, Report, ReportFilter};
use crate::processes::model::TYPES;
use crate::processes::store::{self as processes, Process, ProcessFilter};
use crate::relief::model::{PaidTotal, wan_yuan};
use crate::relief::payments::paid_totals;
use crate::relief::store as relief;

const PROCESSES: &str = "/disaster/processes";
const REPORTS: &str = "/disaster/reports";
const ROLLS: &str = "/disaster/relief/rolls";

/// The loss indicators the statistics sum, in the order shown.
pub const HEADLINE: [&str; 9] = [
    "affected_people",
    "deaths",
    "missing",
    "relocated",
    "collapsed_households",
    "severe_households",
    "crop_affected",
    "crop_lost",
    "loss_total",
];

/// Loss reports of the period by how they were reported.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ReportTally {
    /// Due in the period.
    pub due: u64,
    pub initial: u64,
    pub updates: u64,
    pub finals: u64,
    pub on_time: u64,
    /// Reported after the deadline.
    pub late: u64,
    /// Not reported and past the deadline.
    pub overdue: u64,
    /// Not reported, deadline still ahead.
    pub waiting: u64,
    /// 死亡失踪 10 人以上: 须直报省厅和应急管理部.
    pub direct: u64,
}

impl ReportTally {
    fn add(&mut self, r: &Report) {
        use crate::losses::model::Stage;
        self.due += 1;
        match r.stage {
            Stage::Initial => self.initial += 1,
            Stage::Update => self.updates += 1,
            Stage::Final => self.finals += 1,
        }
        match r.timeliness {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::Overdue => self.overdue += 1,
            Timeliness::Waiting => self.waiting += 1,
        }
        self.direct += u64::from(r.direct_report);
    }

    /// On time as a share of the reports whose deadline has passed or that were reported.
    pub fn on_time_rate(&self) -> Option<f64> {
        platform::web::statistics::percent(self.on_time, self.on_time + self.late + self.overdue)
    }
}

/// One headline loss figure, summed.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Loss {
    pub code: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// As written (two decimals for hectares and 万元).
    pub value: String,
    #[serde(skip)]
    pub scaled: i64,
}

/// Losses of one disaster type.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TypeRow {
    pub code: &'static str,
    pub label: &'static str,
    pub processes: u64,
    pub processes_href: String,
    pub losses: Vec<Loss>,
}

/// Relief paid under one programme in the period.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ProgrammeRow {
    pub id: Uuid,
    pub name: String,
    pub kind_label: String,
    pub href: String,
    /// 万元, two decimals.
    pub paid_wan: String,
    pub paid_fen: i64,
    pub households: i64,
    pub person_times: i64,
}

/// One township's figures of the period.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TownshipRow {
    pub code: String,
    pub name: String,
    /// Processes of the period that touched the township.
    pub processes: u64,
    pub processes_href: String,
    pub losses: Vec<Loss>,
    pub paid_wan: String,
    pub paid_fen: i64,
    pub households: i64,
    pub person_times: i64,
    pub relief_href: String,
}

impl TownshipRow {
    /// A process touched it or relief was paid there in the period.
    pub fn has_records(&self) -> bool {
        self.processes > 0 || self.paid_fen > 0
    }
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
    pub reports: ReportTally,
    /// Losses of the period's processes, summed over the townships in view.
    pub losses: Vec<Loss>,
    /// Per disaster type with processes in the period.
    pub types: Vec<TypeRow>,
    pub programmes: Vec<ProgrammeRow>,
    /// Per township, the hardest hit first.
    pub townships: Vec<TownshipRow>,
}

/// The filter the linked lists understand.
#[derive(Clone, Debug, Default, Serialize)]
struct Link {
    from: String,
    to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    township: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeliness: Option<Timeliness>,
}

impl Link {
    fn of(r: &Resolved, township: Option<&str>) -> Self {
        Self {
            from: r.from.to_string(),
            to: r.to.to_string(),
            township: township.map(str::to_string).or_else(|| r.township.clone()),
            ..Self::default()
        }
    }

    fn kind(&self, kind: &str) -> Self {
        Self {
            kind: Some(kind.to_string()),
            ..self.clone()
        }
    }

    fn timeliness(&self, t: Timeliness) -> Self {
        Self {
            timeliness: Some(t),
            ..self.clone()
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

fn touches(p: &Process, township: &str) -> bool {
    p.townships.iter().any(|x| x.code == township)
}

/// Headline losses of a set of township figures.
fn losses_of<'a>(figures: impl IntoIterator<Item = &'a Figures>) -> Vec<Loss> {
    let mut sums = [0i64; HEADLINE.len()];
    for f in figures {
        for (sum, code) in sums.iter_mut().zip(HEADLINE) {
            *sum += f.get(code).copied().unwrap_or(0);
        }
    }
    HEADLINE
        .iter()
        .zip(sums)
        .filter_map(|(code, scaled)| {
            let i = indicators::find(code)?;
            Some(Loss {
                code: i.code,
                label: i.label,
                unit: i.unit,
                value: i.format(scaled),
                scaled,
            })
        })
        .collect()
}

fn loss_value(losses: &[Loss], code: &str) -> i64 {
    losses
        .iter()
        .find(|l| l.code == code)
        .map_or(0, |l| l.scaled)
}

/// The figures of each process by township (its 核报, else its latest approved report).
async fn figures_of(
    state: &AppState,
    county: &str,
    list: &[&Process],
) -> AppResult<Vec<(String, BTreeMap<String, Figures>)>> {
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let by_township = losses::figures_by_township(&state.db, county, p.id).await?;
        out.push((p.main_type.clone(), by_township));
    }
    Ok(out)
}

/// Reports due in the period (of processes that touched the township asked for).
async fn report_tally(state: &AppState, actor: &Actor, link: &Link) -> AppResult<ReportTally> {
    let filter = ReportFilter {
        from: Some(link.from.clone()),
        to: Some(link.to.clone()),
        township: link.township.clone(),
        ..ReportFilter::default()
    };
    let mut tally = ReportTally::default();
    for report in losses::list(state, actor, &filter).await? {
        tally.add(&report);
    }
    Ok(tally)
}

fn report_section(t: &ReportTally, link: &Link) -> Section {
    let href = |l: &Link| l.to(REPORTS);
    let n = |label, value: u64, l: &Link| derived(label, "期", value.to_string(), href(l));
    Section {
        title: "灾情报告",
        figures: vec![
            n("应报", t.due, link),
            n("初报", t.initial, link),
            n("续报", t.updates, link),
            n("核报", t.finals, link),
            n("按时上报", t.on_time, &link.timeliness(Timeliness::OnTime)),
            n("迟报", t.late, &link.timeliness(Timeliness::Late)),
            n("逾期未报", t.overdue, &link.timeliness(Timeliness::Overdue)),
            n("须直报省厅和部", t.direct, link),
            derived("按时上报率", "", rate_text(t.on_time_rate()), href(link)),
        ],
    }
}

fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{r}%"))
}

fn process_section(ours: &[&Process], link: &Link) -> Section {
    let mut figures = vec![count(
        "灾害过程",
        "次",
        ours.len() as u64,
        link.to(PROCESSES),
    )];
    for (code, label, _) in TYPES {
        let n = ours.iter().filter(|p| p.main_type == *code).count() as u64;
        if n > 0 {
            figures.push(count(label, "次", n, link.kind(code).to(PROCESSES)));
        }
    }
    Section {
        title: "灾害过程",
        figures,
    }
}

fn loss_section(all: &[Loss], link: &Link) -> Section {
    Section {
        title: "灾情损失",
        figures: all
            .iter()
            .map(|l| derived(l.label, l.unit, l.value.clone(), link.to(PROCESSES)))
            .collect(),
    }
}

fn relief_section(all: &PaidTotal, link: &Link) -> Section {
    let href = link.to(ROLLS);
    Section {
        title: "救助发放",
        figures: vec![
            derived("发放资金", "万元", wan_yuan(all.paid_fen), href.clone()),
            derived("救助户数", "户", all.households.to_string(), href.clone()),
            derived("救助人次", "人次", all.person_times.to_string(), href),
        ],
    }
}

/// Losses per disaster type, types with processes only, in the national order.
fn type_rows(
    figures: &[(String, BTreeMap<String, Figures>)],
    focus: Option<&str>,
    link: &Link,
) -> Vec<TypeRow> {
    TYPES
        .iter()
        .filter_map(|(code, label, _)| {
            let of_type: Vec<&BTreeMap<String, Figures>> = figures
                .iter()
                .filter(|(t, _)| t == code)
                .map(|(_, f)| f)
                .collect();
            if of_type.is_empty() {
                return None;
            }
            let losses = losses_of(
                of_type
                    .iter()
                    .flat_map(|f| f.iter())
                    .filter(|(t, _)| focus.is_none_or(|x| x == t.as_str()))
                    .map(|(_, f)| f),
            );
            Some(TypeRow {
                code,
                label,
                processes: of_type.len() as u64,
                processes_href: link.kind(code).to(PROCESSES),
                losses,
            })
        })
        .collect()
}

async fn programme_rows(
    state: &AppState,
    actor: &Actor,
    paid: &[PaidTotal],
) -> AppResult<Vec<ProgrammeRow>> {
    let mut by_programme: BTreeMap<Uuid, Vec<PaidTotal>> = BTreeMap::new();
    for t in paid {
        by_programme
            .entry(t.programme_id)
            .or_default()
            .push(t.clone());
    }
    let programmes: HashMap<Uuid, relief::Programme> = relief::list_programmes(state, actor)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(by_programme
        .into_iter()
        .map(|(id, totals)| {
            let sum = crate::relief::model::sum(&totals);
            let p = programmes.get(&id);
            ProgrammeRow {
                id,
                name: p.map(|p| p.name.clone()).unwrap_or_default(),
                kind_label: p.map(|p| p.kind_label.clone()).unwrap_or_default(),
                href: format!("/disaster/relief/programmes/{id}"),
                paid_wan: wan_yuan(sum.paid_fen),
                paid_fen: sum.paid_fen,
                households: sum.households,
                person_times: sum.person_times,
            }
        })
        .collect())
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
            .filter(|t| r.township.as_ref().is_none_or(|code| *code == t.code))
            .collect(),
    )
}

/// The hardest hit first: people affected, then direct loss, then relief paid, then code.
fn hardest_hit_first(rows: &mut [TownshipRow]) {
    rows.sort_by(|a, b| {
        let key = |t: &TownshipRow| {
            (
                loss_value(&t.losses, "affected_people"),
                loss_value(&t.losses, "loss_total"),
                t.paid_fen,
            )
        };
        key(b).cmp(&key(a)).then_with(|| a.code.cmp(&b.code))
    });
}

/// Every figure for the period asked.
pub async fn compute(state: &AppState, actor: &Actor, period: &Period) -> AppResult<Statistics> {
    let county = require_reader(actor)?;
    let r = period.resolve(actor, local_day(state.now()))?;
    let focus = r.township.clone().or_else(|| own_township(actor));
    let link = Link::of(&r, None);

    let begun = ProcessFilter {
        from: Some(link.from.clone()),
        to: Some(link.to.clone()),
        township: focus.clone(),
        kind: None,
    };
    let all_processes = processes::filtered(state, actor, &begun).await?;
    let ours: Vec<&Process> = all_processes.iter().collect();
    let figures = figures_of(state, &county, &ours).await?;
    let reports = report_tally(state, actor, &link).await?;
    let paid = paid_totals(&state.db, &r.scope, r.from, r.to, None).await?;

    let in_view = |t: &str| focus.as_deref().is_none_or(|f| f == t);
    let losses = losses_of(
        figures
            .iter()
            .flat_map(|(_, f)| f.iter())
            .filter(|(t, _)| in_view(t))
            .map(|(_, f)| f),
    );
    let all_paid = crate::relief::model::sum(&paid);

    let mut rows: Vec<TownshipRow> = townships(state, &r, &county)
        .await?
        .into_iter()
        .map(|t| {
            let own = Link::of(&r, Some(&t.code));
            let mine: Vec<PaidTotal> = paid
                .iter()
                .filter(|p| p.township == t.code)
                .cloned()
                .collect();
            let paid = crate::relief::model::sum(&mine);
            TownshipRow {
                processes: ours.iter().filter(|p| touches(p, &t.code)).count() as u64,
                processes_href: own.to(PROCESSES),
                losses: losses_of(figures.iter().filter_map(|(_, f)| f.get(&t.code))),
                paid_wan: wan_yuan(paid.paid_fen),
                paid_fen: paid.paid_fen,
                households: paid.households,
                person_times: paid.person_times,
                relief_href: own.to(ROLLS),
                code: t.code,
                name: t.short_name,
            }
        })
        .collect();
    hardest_hit_first(&mut rows);

    let sections = vec![
        process_section(&ours, &link),
        report_section(&reports, &link),
        loss_section(&losses, &link),
        relief_section(&all_paid, &link),
    ];
    Ok(Statistics {
        from: link.from.clone(),
        to: link.to.clone(),
        township: focus.clone(),
        sections,
        reports,
        types: type_rows(&figures, focus.as_deref(), &link),
        losses,
        programmes: programme_rows(state, actor, &paid).await?,
        townships: rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(pairs: &[(&str, i64)]) -> Figures {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn losses_sum_townships_and_keep_their_decimals() {
        let a = figures(&[
            ("affected_people", 1200),
            ("crop_affected", 1250),
            ("loss_total", 3456),
        ]);
        let b = figures(&[("affected_people", 30), ("crop_affected", 5), ("deaths", 1)]);
        let sums = losses_of([&a, &b]);
        assert_eq!(loss_value(&sums, "affected_people"), 1230);
        let crops = sums.iter().find(|l| l.code == "crop_affected").unwrap();
        assert_eq!(crops.value, "12.55");
        let loss = sums.iter().find(|l| l.code == "loss_total").unwrap();
        assert_eq!(loss.value, "34.56");
        assert_eq!(loss_value(&sums, "deaths"), 1);
    }

    fn row(code: &str, people: i64, loss: i64, paid: i64) -> TownshipRow {
        TownshipRow {
            code: code.into(),
            name: String::new(),
            processes: 0,
            processes_href: String::new(),
            losses: losses_of([&figures(&[
                ("affected_people", people),
                ("loss_total", loss),
            ])]),
            paid_wan: String::new(),
            paid_fen: paid,
            households: 0,
            person_times: 0,
            relief_href: String::new(),
        }
    }

    #[test]
    fn hardest_hit_townships_come_first() {
        let mut rows = vec![
            row("510722101000", 10, 0, 0),
            row("510722102000", 0, 0, 500),
            row("510722103000", 10, 99, 0),
            row("510722104000", 0, 0, 0),
        ];
        hardest_hit_first(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| &r.code[6..9]).collect();
        assert_eq!(order, ["103", "101", "102", "104"]);
    }

    #[test]
    fn on_time_rate_counts_only_what_is_due() {
        let t = ReportTally {
            on_time: 3,
            late: 1,
            overdue: 0,
            waiting: 5,
            ..Default::default()
        };
        assert_eq!(t.on_time_rate(), Some(75.0));
        assert_eq!(ReportTally::default().on_time_rate(), None);
    }
}
