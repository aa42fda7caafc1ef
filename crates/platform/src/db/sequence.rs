//! Gap-free yearly counters for document and record numbers (〔2026〕13号, YH2026-0013), one per
//! scope (usually a county), series and year. The increment is a single upsert, so two clerks
//! issuing at the same moment get different numbers on SQLite and PostgreSQL alike; called
//! inside the issuing transaction, a rolled-back change gives its number back. Numbers issued
//! before a ledger used the counter are taken over once with [`raise_to`].

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::{AppError, AppResult};

#[derive(FromQueryResult)]
struct Last {
    last: i64,
}

/// The next number of `series` in `scope` for `year`, starting at 1.
pub async fn next(
    db: &impl ConnectionTrait,
    scope: &str,
    series: &str,
    year: i32,
) -> AppResult<i64> {
    let insert = Query::insert()
        .into_table("sequences")
        .columns(["scope", "series", "year", "last"])
        .values_panic([scope.into(), series.into(), year.into(), 1i64.into()])
        .on_conflict(
            OnConflict::columns(["scope", "series", "year"])
                .value("last", Expr::col(("sequences", "last")).add(1))
                .to_owned(),
        )
        .returning_col("last")
        .to_owned();
    let row = db
        .query_one(&insert)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("sequence {series} returned nothing")))?;
    Ok(Last::from_query_result(&row, "")?.last)
}

/// Raise the counter of `series` in `scope` for `year` to at least `last` (never lowers it), so
/// the next number follows `last`. For ledgers whose numbers were issued before they used the
/// counter: their migration reads the highest number of each year and calls this once.
pub async fn raise_to(
    db: &impl ConnectionTrait,
    scope: &str,
    series: &str,
    year: i32,
    last: i64,
) -> AppResult<()> {
    let upsert = Query::insert()
        .into_table("sequences")
        .columns(["scope", "series", "year", "last"])
        .values_panic([scope.into(), series.into(), year.into(), last.into()])
        .on_conflict(
            OnConflict::columns(["scope", "series", "year"])
                .value(
                    "last",
                    Expr::cust(
                        "CASE WHEN sequences.last < excluded.last \
                         THEN excluded.last ELSE sequences.last END",
                    ),
                )
                .to_owned(),
        )
        .to_owned();
    db.execute(&upsert).await?;
    Ok(())
}
