//! `safety_inspection_daily`: inspection counters per county and day, kept exact by the
//! transactions that write inspections (as `safety_hazard_daily` is for hazards), so the 执法检查
//! figures of a city or the province sum small rows instead of counting millions of inspections.
//!
//! - `inspections`: live inspections on their day, tours included (检查（含督查暗访）);
//! - `tours`: of those, supervision tours (督查, 暗访);
//! - `units_first`: units whose first live inspection of the calendar year is that day. Summed
//!   from 1 January to any day of the same year, it is the number of distinct units inspected
//!   (检查单位 N 家), which is how work summaries count (上半年, 1—10 月). Other periods count the
//!   units from the inspections themselves.
//!
//! A unit's first day of a year depends on its other inspections, so a write of a unit's
//! inspection locks the unit first ([`prepare`]): writers of one unit's inspections queue, and
//! each reads the first day the previous one left.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use platform::access::Scope;
use platform::db::counters;
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use super::entity::inspection;
use super::model::is_tour;
use crate::units::entity::unit;

/// The table.
pub const TABLE: &str = "safety_inspection_daily";

/// Its counter columns, in the order of [`Counts::values`].
pub const COLUMNS: [&str; 3] = ["inspections", "tours", "units_first"];

/// The counters of one county's day (or a change of them, or a sum over days).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub inspections: i64,
    pub tours: i64,
    pub units_first: i64,
}

impl Counts {
    fn values(&self) -> [i64; 3] {
        [self.inspections, self.tours, self.units_first]
    }

    fn from_values([inspections, tours, units_first]: [i64; 3]) -> Self {
        Self {
            inspections,
            tours,
            units_first,
        }
    }

    fn is_zero(&self) -> bool {
        self.values() == [0; 3]
    }
}

/// The county an inspection is counted in: the first six digits of its region.
pub fn county_of(region_code: &str) -> String {
    region_code.chars().take(6).collect()
}

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// Whether the units counter gives the distinct units inspected from `from` to `to`: the period
/// starts on 1 January and ends in the same year.
pub fn counts_units(from: NaiveDate, to: NaiveDate) -> bool {
    from.ordinal() == 1 && to.year() == from.year()
}

/// A unit's calendar year in its county: its first inspection of that year counts the unit once.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnitYear {
    pub county: String,
    pub unit: Uuid,
    pub year: i32,
}

impl UnitYear {
    /// The unit-year an inspection of `unit` on `day` in `region_code` belongs to (none for a
    /// tour, which inspects no unit).
    pub fn new(region_code: &str, unit: Option<Uuid>, day: NaiveDate) -> Option<Self> {
        Some(Self {
            county: county_of(region_code),
            unit: unit?,
            year: day.year(),
        })
    }

    fn of(row: &inspection::Model) -> Option<Self> {
        Self::new(&row.region_code, row.unit_id, row.inspected_on)
    }
}

/// The counts one inspection row adds to its day: nothing when voided.
fn contribution(row: &inspection::Model) -> Option<((String, NaiveDate), Counts)> {
    if row.voided_at.is_some() {
        return None;
    }
    let counts = Counts {
        inspections: 1,
        tours: i64::from(is_tour(&row.kind)),
        units_first: 0,
    };
    Some(((county_of(&row.region_code), row.inspected_on), counts))
}

/// What a write will change, read inside its transaction before the write.
pub struct Prepared {
    before: Option<inspection::Model>,
    firsts: Vec<(UnitYear, Option<NaiveDate>)>,
}

/// Inside the writing transaction, before the write of inspection `id` (none for a new one),
/// which will be of `unit` on `day` in `region_code`: lock the units (and the inspection) the
/// write touches, and read the inspection as it is and its unit's first days of the years the
/// write touches. The locks come first: on SQLite the first write takes the database's write
/// lock, on PostgreSQL the rows' locks, so what is read next is what the write changes.
pub async fn prepare(
    txn: &impl ConnectionTrait,
    id: Option<Uuid>,
    region_code: &str,
    unit: Option<Uuid>,
    day: NaiveDate,
) -> Result<Prepared, DbErr> {
    if let Some(unit) = unit {
        platform::db::lock_row::<unit::Entity>(txn, unit).await?;
    }
    let before = match id {
        Some(id) => {
            platform::db::lock_row::<inspection::Entity>(txn, id).await?;
            inspection::Entity::find_by_id(id).one(txn).await?
        }
        None => None,
    };
    let mut touched: Vec<UnitYear> = UnitYear::new(region_code, unit, day).into_iter().collect();
    touched.extend(before.as_ref().and_then(UnitYear::of));
    touched.sort();
    touched.dedup();
    let mut firsts = Vec::with_capacity(touched.len());
    for unit_year in touched {
        let first = first_day(txn, &unit_year).await?;
        firsts.push((unit_year, first));
    }
    Ok(Prepared { before, firsts })
}

/// The unit's first live inspection day of the year in its county, as the transaction sees it.
async fn first_day(txn: &impl ConnectionTrait, u: &UnitYear) -> Result<Option<NaiveDate>, DbErr> {
    use inspection::Column;
    let (Some(jan1), Some(dec31)) = (
        NaiveDate::from_ymd_opt(u.year, 1, 1),
        NaiveDate::from_ymd_opt(u.year, 12, 31),
    ) else {
        return Ok(None);
    };
    let first: Option<Option<NaiveDate>> = inspection::Entity::find()
        .select_only()
        .column_as(Column::InspectedOn.min(), "first")
        .filter(Column::UnitId.eq(u.unit))
        .filter(Column::VoidedAt.is_null())
        .filter(Column::RegionCode.starts_with(&u.county))
        .filter(Column::InspectedOn.between(jan1, dec31))
        .into_tuple()
        .one(txn)
        .await?;
    Ok(first.flatten())
}

/// After the write, in the same transaction: move the counters by the row's change (`after` is
/// the row written) and by its unit's first days that moved.
pub async fn apply(
    txn: &impl ConnectionTrait,
    prepared: Prepared,
    after: Option<&inspection::Model>,
) -> Result<(), DbErr> {
    let mut changes: BTreeMap<(String, NaiveDate), [i64; 3]> = BTreeMap::new();
    let mut add = |key: (String, NaiveDate), counts: Counts, sign: i64| {
        let row = changes.entry(key).or_default();
        for (mine, theirs) in row.iter_mut().zip(counts.values()) {
            *mine += sign * theirs;
        }
    };
    for (row, sign) in [(prepared.before.as_ref(), -1), (after, 1)] {
        if let Some((key, counts)) = row.and_then(contribution) {
            add(key, counts, sign);
        }
    }
    let unit_first = Counts {
        units_first: 1,
        ..Counts::default()
    };
    for (unit_year, before) in prepared.firsts {
        let now = first_day(txn, &unit_year).await?;
        if now == before {
            continue;
        }
        for (day, sign) in [(before, -1), (now, 1)] {
            if let Some(day) = day {
                add((unit_year.county.clone(), day), unit_first, sign);
            }
        }
    }
    changes.retain(|_, c| *c != [0; 3]);
    if changes.is_empty() {
        return Ok(());
    }
    let mut insert = counters::adding_insert(TABLE, &COLUMNS);
    for ((county, day), counts) in changes {
        let mut row: Vec<Expr> = vec![county.into(), day.into()];
        row.extend(counts.iter().map(|n| Expr::val(*n)));
        insert.values_panic(row);
    }
    txn.execute(&insert).await?;
    Ok(())
}

fn inspections_col(name: &str) -> Expr {
    Expr::col((col("safety_inspections"), col(name)))
}

/// `SUBSTR(region_code, 1, 6)`: the county of an inspection, in SQL (both databases). Written
/// out rather than bound: PostgreSQL matches a GROUP BY expression to the selected one by its
/// text, and two bound parameters are two different texts.
fn county_expr() -> Expr {
    Expr::cust("SUBSTR(safety_inspections.region_code, 1, 6)")
}

/// Live inspections, of one county when given.
fn live_inspections(county: Option<&str>) -> SelectStatement {
    let mut q = Query::select();
    q.from(col("safety_inspections"))
        .and_where(inspections_col("voided_at").is_null());
    if let Some(county) = county {
        q.and_where(inspections_col("region_code").like(format!("{county}%")));
    }
    q.to_owned()
}

/// Count a county's rows again from `safety_inspections` (all counties when `None`): delete
/// them, then count inspections and tours by day, and units by the first day of their year.
/// Run it inside a transaction and while nobody writes that county's inspections.
pub async fn recount(db: &impl ConnectionTrait, county: Option<&str>) -> Result<(), DbErr> {
    counters::clear(db, TABLE, county).await?;
    let tour: Expr = CaseStatement::new()
        .case(
            inspections_col("kind").is_in(super::model::TOUR_KINDS.iter().copied()),
            1,
        )
        .finally(0)
        .into();
    let by_day = live_inspections(county)
        .expr(county_expr())
        .expr(inspections_col("inspected_on"))
        .expr(Expr::cust("COUNT(*)").cast_as(col("BIGINT")))
        .expr(Func::sum(tour).cast_as(col("BIGINT")))
        .add_group_by([county_expr(), inspections_col("inspected_on")])
        .to_owned();
    counters::add_counted(db, TABLE, &COLUMNS[..2], by_day).await?;

    // A unit's first day of each year: the year is the date's first four characters (a date
    // reads as YYYY-MM-DD as text on both databases).
    let year = Expr::cust("SUBSTR(CAST(safety_inspections.inspected_on AS TEXT), 1, 4)");
    let firsts = live_inspections(county)
        .expr_as(county_expr(), col("county"))
        .expr_as(Func::min(inspections_col("inspected_on")), col("first_day"))
        .and_where(inspections_col("unit_id").is_not_null())
        .add_group_by([county_expr(), inspections_col("unit_id"), year])
        .to_owned();
    let by_first_day = Query::select()
        .from_subquery(firsts, col("f"))
        .column((col("f"), col("county")))
        .column((col("f"), col("first_day")))
        .expr(Expr::cust("COUNT(*)").cast_as(col("BIGINT")))
        // SQLite needs a WHERE to read `INSERT … SELECT … ON CONFLICT` unambiguously.
        .and_where(Expr::col((col("f"), col("first_day"))).is_not_null())
        .group_by_col((col("f"), col("county")))
        .group_by_col((col("f"), col("first_day")))
        .to_owned();
    counters::add_counted(db, TABLE, &COLUMNS[2..], by_first_day).await
}

/// Count one county's rows again after inspections were written without [`apply`] (the bulk
/// data generator), in one transaction.
pub async fn rebuild<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    county_code: &str,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    recount(&txn, Some(county_code)).await?;
    txn.commit().await
}

/// The counters summed over `from..=to` for the counties under `scope` (a county, city or
/// province; see `hazards::rollup::covers`). Its `units_first` is the distinct units inspected
/// only when [`counts_units`] says so.
pub async fn totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Counts, DbErr> {
    let mut q = Query::select();
    q.from(col(TABLE))
        .and_where(Expr::col(col("county_code")).like(format!("{}%", scope.prefix())))
        .and_where(Expr::col(col("day")).between(from, to));
    for c in COLUMNS {
        q.expr_as(platform::db::as_i64(Func::sum(Expr::col(col(c)))), col(c));
    }
    let Some(row) = db.query_one(&q).await? else {
        return Ok(Counts::default());
    };
    let mut values = [0; 3];
    for (value, c) in values.iter_mut().zip(COLUMNS) {
        *value = row.try_get::<i64>("", c)?;
    }
    Ok(Counts::from_values(values))
}

/// Every row with a counter not zero, by county and day: for tests comparing the kept table
/// with a [`recount`].
pub async fn rows(db: &impl ConnectionTrait) -> Result<Vec<(String, NaiveDate, Counts)>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        county_code: String,
        day: NaiveDate,
        inspections: i64,
        tours: i64,
        units_first: i64,
    }
    let mut q = Query::select();
    q.from(col(TABLE))
        .columns(
            ["county_code", "day"]
                .iter()
                .chain(&COLUMNS)
                .map(|c| col(c)),
        )
        .order_by(col("county_code"), sea_orm::sea_query::Order::Asc)
        .order_by(col("day"), sea_orm::sea_query::Order::Asc);
    let mut out = Vec::new();
    for row in db.query_all(&q).await? {
        let r = Row::from_query_result(&row, "")?;
        let counts = Counts::from_values([r.inspections, r.tours, r.units_first]);
        if !counts.is_zero() {
            out.push((r.county_code, r.day, counts));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn units_are_summed_only_from_new_year() {
        assert!(counts_units(day(2026, 1, 1), day(2026, 6, 30)));
        assert!(counts_units(day(2026, 1, 1), day(2026, 1, 1)));
        assert!(!counts_units(day(2026, 1, 2), day(2026, 6, 30)));
        assert!(!counts_units(day(2025, 1, 1), day(2026, 6, 30)));
    }

    #[test]
    fn a_tour_has_no_unit_year_and_a_unit_inspection_has_its_county_and_year() {
        assert_eq!(UnitYear::new("510722105000", None, day(2026, 3, 1)), None);
        let unit = Uuid::nil();
        assert_eq!(
            UnitYear::new("510722105201", Some(unit), day(2026, 3, 1)),
            Some(UnitYear {
                county: "510722".into(),
                unit,
                year: 2026
            })
        );
    }
}
