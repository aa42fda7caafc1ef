//! `safety_hazard_daily`: hazard counters per county and day, kept exact by the transactions
//! that change hazards, so the 统计 page of a city or a province sums a few hundred thousand
//! small rows instead of counting millions of hazards.
//!
//! A hazard contributes to up to three days of its county: the day it was found
//! (`discovered_on`), the day it was closed (`closed_on`) and its deadline (`deadline`). Which
//! counters it adds to is [`contributions`], a pure function of the row; every write of a
//! hazard calls [`apply`] with the row before and after, inside the writing transaction, which
//! subtracts the old contributions and adds the new ones with one upsert. Rows written directly
//! (the bulk generator, a migration) are counted again with [`rebuild`] / [`recount`].
//!
//! The counters follow the hazard list's filters exactly (a voided hazard counts nowhere):
//! - by discovery day: `found`, `found_general`, `found_major`, `found_closed` (state closed),
//!   `found_exposed`, `found_inspected` (found on an inspection), `major_controlled` (major,
//!   not closed, under 挂牌督办 or 管控);
//! - by closing day (`closed_on` set, whatever the state): `closed`, `closed_major`;
//! - by deadline: `due_open` (state 已下达整改 or 整改中), so the list's 逾期 (those states with
//!   the deadline before today) is the sum of `due_open` over the days before today.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use platform::access::Scope;
use platform::db::counters;
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use super::entity::hazard;
use super::model::HazardState;

/// The table.
pub const TABLE: &str = "safety_hazard_daily";

/// One counter of a county's day; its column is [`Counter::column`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    Found,
    FoundGeneral,
    FoundMajor,
    FoundClosed,
    FoundExposed,
    FoundInspected,
    MajorControlled,
    Closed,
    ClosedMajor,
    DueOpen,
}

/// Which of a hazard's dates a counter is kept by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    Discovered,
    Closed,
    Deadline,
}

impl Counter {
    pub const ALL: [Counter; 10] = [
        Counter::Found,
        Counter::FoundGeneral,
        Counter::FoundMajor,
        Counter::FoundClosed,
        Counter::FoundExposed,
        Counter::FoundInspected,
        Counter::MajorControlled,
        Counter::Closed,
        Counter::ClosedMajor,
        Counter::DueOpen,
    ];

    pub fn column(self) -> &'static str {
        match self {
            Counter::Found => "found",
            Counter::FoundGeneral => "found_general",
            Counter::FoundMajor => "found_major",
            Counter::FoundClosed => "found_closed",
            Counter::FoundExposed => "found_exposed",
            Counter::FoundInspected => "found_inspected",
            Counter::MajorControlled => "major_controlled",
            Counter::Closed => "closed",
            Counter::ClosedMajor => "closed_major",
            Counter::DueOpen => "due_open",
        }
    }

    pub fn kind(self) -> DayKind {
        match self {
            Counter::Closed | Counter::ClosedMajor => DayKind::Closed,
            Counter::DueOpen => DayKind::Deadline,
            _ => DayKind::Discovered,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The ten counters of one county's day (or a delta of them, or a sum over days).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts(pub [i64; 10]);

impl Counts {
    pub fn get(&self, c: Counter) -> i64 {
        self.0[c.index()]
    }

    fn add(&mut self, c: Counter, n: i64) {
        self.0[c.index()] += n;
    }

    fn add_all(&mut self, other: &Counts, sign: i64) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine += sign * theirs;
        }
    }

    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|n| *n == 0)
    }
}

fn is_major(h: &hazard::Model) -> bool {
    h.grade == "major"
}

/// What one hazard row adds to its county's days: each day once, with its counters. A voided
/// hazard adds nothing.
pub fn contributions(h: &hazard::Model) -> Vec<(NaiveDate, Counts)> {
    let mut days: BTreeMap<NaiveDate, Counts> = BTreeMap::new();
    if h.voided_at.is_some() {
        return Vec::new();
    }
    let closed_state = h.state == HazardState::Closed.code();
    let found = days.entry(h.discovered_on).or_default();
    found.add(Counter::Found, 1);
    match h.grade.as_str() {
        "general" => found.add(Counter::FoundGeneral, 1),
        "major" => found.add(Counter::FoundMajor, 1),
        _ => {}
    }
    if closed_state {
        found.add(Counter::FoundClosed, 1);
    }
    if h.exposed {
        found.add(Counter::FoundExposed, 1);
    }
    if h.inspection_id.is_some() {
        found.add(Counter::FoundInspected, 1);
    }
    if is_major(h) && !closed_state && h.supervision != "none" {
        found.add(Counter::MajorControlled, 1);
    }
    if let Some(day) = h.closed_on {
        let closed = days.entry(day).or_default();
        closed.add(Counter::Closed, 1);
        if is_major(h) {
            closed.add(Counter::ClosedMajor, 1);
        }
    }
    if let Some(day) = h.deadline
        && [
            HazardState::NoticeIssued.code(),
            HazardState::Rectifying.code(),
        ]
        .contains(&h.state.as_str())
    {
        days.entry(day).or_default().add(Counter::DueOpen, 1);
    }
    days.into_iter().collect()
}

/// The change from `before` to `after` (either absent for an insert or a delete), per county
/// and day, without the days it leaves unchanged.
pub fn delta(
    before: Option<&hazard::Model>,
    after: Option<&hazard::Model>,
) -> BTreeMap<(String, NaiveDate), Counts> {
    let mut out: BTreeMap<(String, NaiveDate), Counts> = BTreeMap::new();
    for (row, sign) in [(before, -1), (after, 1)] {
        let Some(h) = row else { continue };
        for (day, counts) in contributions(h) {
            out.entry((h.county_code.clone(), day))
                .or_default()
                .add_all(&counts, sign);
        }
    }
    out.retain(|_, c| !c.is_zero());
    out
}

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// Subtract `before`'s contributions and add `after`'s, in the caller's transaction (the one
/// writing the hazard). One statement; the days in key order, so two writers lock the rows
/// they share in the same order.
pub async fn apply(
    txn: &impl ConnectionTrait,
    before: Option<&hazard::Model>,
    after: Option<&hazard::Model>,
) -> Result<(), DbErr> {
    let changes = delta(before, after);
    if changes.is_empty() {
        return Ok(());
    }
    let columns: Vec<&str> = Counter::ALL.iter().map(|c| c.column()).collect();
    let mut insert = counters::adding_insert(TABLE, &columns);
    for ((county, day), counts) in changes {
        let mut row: Vec<Expr> = vec![county.into(), day.into()];
        row.extend(counts.0.iter().map(|n| Expr::val(*n)));
        insert.values_panic(row);
    }
    txn.execute(&insert).await?;
    Ok(())
}

/// The hazard row as it is now, locked for this transaction: a write that changes nothing takes
/// the row lock on PostgreSQL and the write lock on SQLite first, so the row read after it is
/// the one the transaction's own update changes (no other writer in between).
pub async fn locked(txn: &impl ConnectionTrait, id: Uuid) -> Result<Option<hazard::Model>, DbErr> {
    platform::db::lock_row::<hazard::Entity>(txn, id).await?;
    current(txn, id).await
}

/// The hazard row as this transaction sees it.
pub async fn current(txn: &impl ConnectionTrait, id: Uuid) -> Result<Option<hazard::Model>, DbErr> {
    hazard::Entity::find_by_id(id).one(txn).await
}

fn flag(cond: Expr) -> Expr {
    CaseStatement::new().case(cond, 1).finally(0).into()
}

/// A column of `safety_hazards`.
fn hazard_col(name: &str) -> Expr {
    Expr::col((col("safety_hazards"), col(name)))
}

/// The hazard column of a day kind.
fn day_column(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Discovered => "discovered_on",
        DayKind::Closed => "closed_on",
        DayKind::Deadline => "deadline",
    }
}

/// What a live hazard with the counter's day must also be to count in it: the rules of
/// [`contributions`] in SQL, for [`recount_select`] and [`counted`]. `None`: every such hazard.
fn row_condition(c: Counter) -> Option<Expr> {
    let h = hazard_col;
    let major = || h("grade").eq("major");
    let closed = || h("state").eq(HazardState::Closed.code());
    match c {
        Counter::Found | Counter::Closed => None,
        Counter::FoundGeneral => Some(h("grade").eq("general")),
        Counter::FoundMajor | Counter::ClosedMajor => Some(major()),
        Counter::FoundClosed => Some(closed()),
        Counter::FoundExposed => Some(h("exposed").eq(true)),
        Counter::FoundInspected => Some(h("inspection_id").is_not_null()),
        Counter::MajorControlled => Some(
            major()
                .and(h("state").ne(HazardState::Closed.code()))
                .and(h("supervision").ne("none")),
        ),
        Counter::DueOpen => Some(h("state").is_in([
            HazardState::NoticeIssued.code(),
            HazardState::Rectifying.code(),
        ])),
    }
}

/// `SUM(CASE WHEN cond THEN 1 ELSE 0 END)`, or `COUNT(*)` when every row counts.
fn count_where(cond: Option<Expr>) -> Expr {
    match cond {
        Some(cond) => Func::sum(flag(cond)).into(),
        None => Expr::cust("COUNT(*)"),
    }
}

/// Counting of one day kind: `SELECT county_code, <day>, counters… FROM safety_hazards WHERE
/// not voided [AND county] GROUP BY county_code, <day>`.
fn recount_select(kind: DayKind, county: Option<&str>) -> (Vec<&'static str>, SelectStatement) {
    let h = hazard_col;
    let day = day_column(kind);
    let mut q = Query::select();
    q.from(col("safety_hazards"))
        .expr(h("county_code"))
        .expr(h(day))
        .and_where(h("voided_at").is_null())
        .and_where(h(day).is_not_null());
    if let Some(county) = county {
        q.and_where(h("county_code").eq(county));
    }
    // Deadlines count for open hazards only: no rows of zeros for the others' deadlines.
    if kind == DayKind::Deadline
        && let Some(open) = row_condition(Counter::DueOpen)
    {
        q.and_where(open);
    }
    let mut columns = Vec::new();
    for c in Counter::ALL.into_iter().filter(|c| c.kind() == kind) {
        q.expr(count_where(row_condition(c)).cast_as(col("BIGINT")));
        columns.push(c.column());
    }
    q.group_by_col((col("safety_hazards"), col("county_code")))
        .group_by_col((col("safety_hazards"), col(day)));
    (columns, q.to_owned())
}

/// Count a county's rows again from `safety_hazards` (all counties when `None`): delete them,
/// then one `INSERT … SELECT … GROUP BY` per day kind. Run it inside a transaction (the
/// migration's, or [`rebuild`]'s) and while nobody writes that county's hazards.
pub async fn recount(db: &impl ConnectionTrait, county: Option<&str>) -> Result<(), DbErr> {
    counters::clear(db, TABLE, county).await?;
    for kind in [DayKind::Discovered, DayKind::Closed, DayKind::Deadline] {
        let (columns, select) = recount_select(kind, county);
        counters::add_counted(db, TABLE, &columns, select).await?;
    }
    Ok(())
}

/// Count one county's rows again after hazards were written without [`apply`] (the bulk data
/// generator calls this once per county after its inserts), in one transaction.
pub async fn rebuild<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    county_code: &str,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    recount(&txn, Some(county_code)).await?;
    txn.commit().await
}

/// Sums of the counters for the counties under a scope (a province, city or county; not a
/// township: the rollup is per county).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Over the days `from..=to`: the discovery-day and closing-day counters (its `due_open`
    /// and `major_controlled` are [`Totals::overdue`] and [`Totals::controlled`]).
    pub period: Counts,
    /// `due_open` over the days before `today`: hazards overdue now.
    pub overdue: i64,
    /// `major_controlled` over all days: major hazards under supervision now.
    pub controlled: i64,
}

/// Whether the counters answer for `scope`: whole counties (a county, a city or the province).
/// A township or village counts its own hazards (the counters are per county).
pub fn covers(scope: &Scope) -> bool {
    scope.prefix().len() <= 6
}

/// The hazards overdue today under `scope` (which the counters [`covers`]): `due_open` summed
/// over the days before today, as the list's 逾期 filter counts them.
pub async fn overdue(
    db: &impl ConnectionTrait,
    scope: &Scope,
    today: NaiveDate,
) -> Result<i64, DbErr> {
    let mut q = Query::select();
    q.from(col(TABLE))
        .expr_as(
            platform::db::as_i64(Func::sum(Expr::col(col("due_open")))),
            col("overdue"),
        )
        .and_where(Expr::col(col("county_code")).like(format!("{}%", scope.prefix())))
        .and_where(Expr::col(col("day")).lt(today));
    Ok(match db.query_one(&q).await? {
        Some(row) => row.try_get::<i64>("", "overdue")?,
        None => 0,
    })
}

/// The [`Totals`] of the counties under `scope` (which the counters [`covers`]), in one query.
pub async fn totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Totals, DbErr> {
    let day = || Expr::col(col("day"));
    let sum = |when: Expr, c: Counter| -> Expr {
        platform::db::as_i64(Func::sum(Into::<Expr>::into(
            CaseStatement::new()
                .case(when, Expr::col(col(c.column())))
                .finally(0),
        )))
    };
    let mut q = Query::select();
    q.from(col(TABLE))
        .and_where(Expr::col(col("county_code")).like(format!("{}%", scope.prefix())));
    for c in Counter::ALL {
        let when = summed_days(c, day(), (from, to), today).unwrap_or_else(|| Expr::val(1).eq(1));
        q.expr_as(sum(when, c), col(c.column()));
    }
    read_totals(db, &q).await
}

/// The days of a counter that [`Totals`] sums (`day` their column): the period's for most, the
/// days before today for `due_open` (overdue now), every day for `major_controlled` (under
/// supervision now).
fn summed_days(
    c: Counter,
    day: Expr,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Option<Expr> {
    match c {
        Counter::DueOpen => Some(day.lt(today)),
        Counter::MajorControlled => None,
        _ => Some(day.between(from, to)),
    }
}

/// The [`Totals`] counted from the hazards themselves, for a scope the counters do not
/// [`covers`] (a township or a village): one pass over the scope's live hazards with a sum per
/// counter, the same rules as [`contributions`], instead of a count per figure.
pub async fn counted(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Totals, DbErr> {
    let mut q = Query::select();
    q.from(col("safety_hazards"))
        .cond_where(scope.condition(hazard::Column::RegionCode))
        .and_where(hazard_col("voided_at").is_null());
    for c in Counter::ALL {
        let day = hazard_col(day_column(c.kind()));
        let when = summed_days(c, day, (from, to), today)
            .into_iter()
            .chain(row_condition(c))
            .reduce(|a, b| a.and(b));
        q.expr_as(platform::db::as_i64(count_where(when)), col(c.column()));
    }
    read_totals(db, &q).await
}

/// Run a one-row query with a column per counter (named [`Counter::column`]) as [`Totals`].
async fn read_totals(db: &impl ConnectionTrait, q: &SelectStatement) -> Result<Totals, DbErr> {
    let mut counts = Counts::default();
    if let Some(row) = db.query_one(q).await? {
        for c in Counter::ALL {
            counts.add(c, row.try_get::<i64>("", c.column())?);
        }
    }
    Ok(Totals {
        period: counts,
        overdue: counts.get(Counter::DueOpen),
        controlled: counts.get(Counter::MajorControlled),
    })
}

/// Every row of the table, without rows whose counters are all zero (left behind when the
/// hazards of a day moved or were voided), ordered by county and day: for tests comparing the
/// kept table with a [`recount`].
pub async fn rows(db: &impl ConnectionTrait) -> Result<Vec<(String, NaiveDate, Counts)>, DbErr> {
    #[derive(FromQueryResult)]
    struct Key {
        county_code: String,
        day: NaiveDate,
    }
    let mut q = Query::select();
    q.from(col(TABLE)).columns([col("county_code"), col("day")]);
    for c in Counter::ALL {
        q.column(col(c.column()));
    }
    q.order_by(col("county_code"), sea_orm::sea_query::Order::Asc)
        .order_by(col("day"), sea_orm::sea_query::Order::Asc);
    let mut out = Vec::new();
    for row in db.query_all(&q).await? {
        let key = Key::from_query_result(&row, "")?;
        let mut counts = Counts::default();
        for c in Counter::ALL {
            counts.add(c, row.try_get::<i64>("", c.column())?);
        }
        if !counts.is_zero() {
            out.push((key.county_code, key.day, counts));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    /// Found on 1 March, registered, general.
    fn hazard() -> hazard::Model {
        hazard::Model::sample()
    }

    fn counts(pairs: &[(Counter, i64)]) -> Counts {
        let mut c = Counts::default();
        for (counter, n) in pairs {
            c.add(*counter, *n);
        }
        c
    }

    #[test]
    fn a_registered_hazard_counts_on_its_discovery_day_only() {
        use Counter::*;
        assert_eq!(
            contributions(&hazard()),
            vec![(day(3, 1), counts(&[(Found, 1), (FoundGeneral, 1)]))]
        );
    }

    #[test]
    fn a_rectifying_major_hazard_counts_its_deadline_and_its_supervision() {
        use Counter::*;
        let h = hazard::Model {
            grade: "major".into(),
            state: "rectifying".into(),
            deadline: Some(day(4, 15)),
            supervision: "listed".into(),
            exposed: true,
            inspection_id: Some(Uuid::nil()),
            ..hazard()
        };
        assert_eq!(
            contributions(&h),
            vec![
                (
                    day(3, 1),
                    counts(&[
                        (Found, 1),
                        (FoundMajor, 1),
                        (FoundExposed, 1),
                        (FoundInspected, 1),
                        (MajorControlled, 1),
                    ])
                ),
                (day(4, 15), counts(&[(DueOpen, 1)])),
            ]
        );
        // Waiting for review it is no longer due; closed it is no longer controlled.
        let waiting = hazard::Model {
            state: "awaiting_review".into(),
            ..h.clone()
        };
        assert_eq!(contributions(&waiting).len(), 1);
        let closed = hazard::Model {
            state: "closed".into(),
            closed_on: Some(day(4, 10)),
            ..h
        };
        assert_eq!(
            contributions(&closed),
            vec![
                (
                    day(3, 1),
                    counts(&[
                        (Found, 1),
                        (FoundMajor, 1),
                        (FoundClosed, 1),
                        (FoundExposed, 1),
                        (FoundInspected, 1),
                    ])
                ),
                (day(4, 10), counts(&[(Closed, 1), (ClosedMajor, 1)])),
            ]
        );
    }

    #[test]
    fn days_that_coincide_merge_and_voided_hazards_count_nowhere() {
        use Counter::*;
        let h = hazard::Model {
            state: "closed".into(),
            closed_on: Some(day(3, 1)),
            ..hazard()
        };
        assert_eq!(
            contributions(&h),
            vec![(
                day(3, 1),
                counts(&[(Found, 1), (FoundGeneral, 1), (FoundClosed, 1), (Closed, 1)])
            )]
        );
        let voided = hazard::Model {
            voided_at: Some(chrono::Utc::now()),
            ..h.clone()
        };
        assert!(contributions(&voided).is_empty());
        // Voiding takes all of it away; an edit that changes no counted column changes nothing.
        let gone = delta(Some(&h), Some(&voided));
        assert_eq!(
            gone[&("510722".to_string(), day(3, 1))],
            counts(&[
                (Found, -1),
                (FoundGeneral, -1),
                (FoundClosed, -1),
                (Closed, -1)
            ])
        );
        let reworded = hazard::Model {
            description: "另一种说法".into(),
            version: 2,
            ..h.clone()
        };
        assert!(delta(Some(&h), Some(&reworded)).is_empty());
    }

    #[test]
    fn a_moved_discovery_day_moves_its_counters() {
        use Counter::*;
        let moved = hazard::Model {
            discovered_on: day(2, 20),
            grade: "major".into(),
            ..hazard()
        };
        let d = delta(Some(&hazard()), Some(&moved));
        assert_eq!(
            d.into_iter().collect::<Vec<_>>(),
            vec![
                (
                    ("510722".to_string(), day(2, 20)),
                    counts(&[(Found, 1), (FoundMajor, 1)])
                ),
                (
                    ("510722".to_string(), day(3, 1)),
                    counts(&[(Found, -1), (FoundGeneral, -1)])
                ),
            ]
        );
    }
}
