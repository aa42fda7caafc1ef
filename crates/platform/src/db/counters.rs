//! Counter tables: a row per county and day, kept exact by the transactions that write the
//! records they count, so statistics over a city or a province sum small rows instead of
//! counting millions. The areas' rollups (hazards, inspections) share this statement.

use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Index, InsertStatement, OnConflict, Query, SelectStatement, Table,
    TableCreateStatement,
};
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::schema::{big_integer, date, string_len};

/// The table: `(county_code, day)` as its key and each of `columns` a BIGINT starting at 0.
pub fn table(name: &str, columns: &[&str]) -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(Alias::new(name))
        .col(string_len("county_code", 6))
        .col(date("day"));
    for c in columns {
        table.col(big_integer(Alias::new(*c)).default(0));
    }
    table.primary_key(Index::create().col("county_code").col("day"));
    table.to_owned()
}

/// `INSERT INTO table (county_code, day, columns…) … ON CONFLICT (county_code, day) DO UPDATE
/// SET c = table.c + excluded.c`: adds its VALUES (or SELECT, to be set by the caller) to the
/// counters, creating the day's row when it is the first.
pub fn adding_insert(table: &str, columns: &[&str]) -> InsertStatement {
    let mut upsert = OnConflict::columns([Alias::new("county_code"), Alias::new("day")]);
    for c in columns {
        upsert.value(
            Alias::new(*c),
            Expr::col((Alias::new(table), Alias::new(*c)))
                .add(Expr::col((Alias::new("excluded"), Alias::new(*c)))),
        );
    }
    Query::insert()
        .into_table(Alias::new(table))
        .columns(
            ["county_code", "day"]
                .iter()
                .chain(columns)
                .map(|c| Alias::new(*c)),
        )
        .on_conflict(upsert.to_owned())
        .to_owned()
}

/// Add what `select` counts (county, day, then `columns`) to the counters, in one statement.
pub async fn add_counted(
    db: &impl ConnectionTrait,
    table: &str,
    columns: &[&str],
    select: SelectStatement,
) -> Result<(), DbErr> {
    let insert = adding_insert(table, columns)
        .select_from(select)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}

/// Delete a county's rows (every row when `None`), before counting them again.
pub async fn clear(
    db: &impl ConnectionTrait,
    table: &str,
    county: Option<&str>,
) -> Result<(), DbErr> {
    let mut delete = Query::delete();
    delete.from_table(Alias::new(table));
    if let Some(county) = county {
        delete.and_where(Expr::col(Alias::new("county_code")).eq(county));
    }
    db.execute(&delete).await?;
    Ok(())
}
