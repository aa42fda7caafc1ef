//! The database ceilings of the performance harness (`scripts/bench.py` runs this and prints the
//! ratios): how many single-row insert+commit transactions the database takes per second with
//! Yingji's own connection settings (the ceiling for recording a hazard), and how long the raw
//! SQL of the work-safety statistics takes (the ceiling for the statistics page).
//!
//! `BENCH_DATABASE=sqlite://… cargo bench -p yingji --bench ceilings` on a database filled by
//! `yingji demo --scale county`; `BENCH_FROM`/`BENCH_TO` (default the first half of this year)
//! and `BENCH_SCOPE` (default 510722, the demo county) choose the statistics' period and region;
//! `BENCH_TOP_SCOPE` (e.g. 51, the province) adds the same figures for a wider region.
//! Prints one JSON object per line.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TransactionTrait};

const COMMITS: usize = 1_000;
const RUNS: usize = 15;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("BENCH_DATABASE")
        .map_err(|_| anyhow::anyhow!("set BENCH_DATABASE to the database to measure"))?;
    let db = platform::db::connect(&url).await?;
    let backend = db.get_database_backend();
    let commits = commit_rate(&db).await?;
    let sync = synchronous(&db).await?;
    println!(
        "{}",
        serde_json::json!({
            "what": "raw_commit",
            "backend": name(backend),
            "synchronous": sync,
            "commits": COMMITS,
            "per_second": commits,
        })
    );
    if backend == DatabaseBackend::Sqlite && sync != "full" {
        // The same loop with every commit synced to disk (WAL, synchronous FULL).
        let full = sea_orm::Database::connect(full_sync(&url)).await?;
        println!(
            "{}",
            serde_json::json!({
                "what": "raw_commit_full",
                "backend": "sqlite",
                "synchronous": synchronous(&full).await?,
                "commits": COMMITS,
                "per_second": commit_rate(&full).await?,
            })
        );
    }
    let today = chrono::Utc::now().date_naive();
    let from =
        std::env::var("BENCH_FROM").unwrap_or_else(|_| format!("{}-01-01", today.format("%Y")));
    let to = std::env::var("BENCH_TO").unwrap_or_else(|_| format!("{}-06-30", today.format("%Y")));
    let scope = std::env::var("BENCH_SCOPE").unwrap_or_else(|_| "510722".into());
    let mut scopes = vec![("statistics_sql", scope)];
    if let Ok(top) = std::env::var("BENCH_TOP_SCOPE") {
        scopes.push(("statistics_sql_top", top));
    }
    for (what, scope) in scopes {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            statistics_sql(&db, &scope, &from, &to, &today.to_string()).await?;
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "{}",
            serde_json::json!({
                "what": what,
                "backend": name(backend),
                "scope": scope, "from": from, "to": to,
                "p50_ms": ms(times[RUNS / 2]),
                "min_ms": ms(times[0]),
            })
        );
    }
    Ok(())
}

/// One SQLite connection in WAL mode with `synchronous = FULL`.
fn full_sync(url: &str) -> sea_orm::ConnectOptions {
    let mut options = sea_orm::ConnectOptions::new(url.to_string());
    options.max_connections(1).sqlx_logging(false);
    options.map_sqlx_sqlite_opts(|o| {
        use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
    });
    options
}

fn name(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => "postgres",
        _ => "sqlite",
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

/// SQLite's `PRAGMA synchronous` of the pool's connections (PostgreSQL: `synchronous_commit`).
async fn synchronous(db: &impl ConnectionTrait) -> anyhow::Result<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "SHOW synchronous_commit",
        _ => "PRAGMA synchronous",
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .ok_or_else(|| anyhow::anyhow!("{sql}: no answer"))?;
    Ok(match backend {
        DatabaseBackend::Postgres => row.try_get_by_index::<String>(0)?,
        _ => match row.try_get_by_index::<i32>(0)? {
            0 => "off".into(),
            1 => "normal".into(),
            2 => "full".into(),
            n => format!("extra ({n})"),
        },
    })
}

/// Single-row insert + commit, one after another, into a scratch table.
async fn commit_rate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<f64> {
    let backend = db.get_database_backend();
    db.execute_unprepared("DROP TABLE IF EXISTS bench_commits")
        .await?;
    db.execute_unprepared(
        "CREATE TABLE bench_commits (id TEXT PRIMARY KEY, region_code TEXT NOT NULL, \
         summary TEXT NOT NULL, at TEXT NOT NULL)",
    )
    .await?;
    let sql = match backend {
        DatabaseBackend::Postgres => "INSERT INTO bench_commits VALUES ($1, $2, $3, $4)",
        _ => "INSERT INTO bench_commits VALUES (?, ?, ?, ?)",
    };
    let started = Instant::now();
    for i in 0..COMMITS {
        let txn = db.begin().await?;
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                uuid::Uuid::now_v7().to_string().into(),
                "510722101000".into(),
                format!("登记一般隐患 YH2026-{i:04}").into(),
                chrono::Utc::now().to_rfc3339().into(),
            ],
        ))
        .await?;
        txn.commit().await?;
    }
    let rate = COMMITS as f64 / started.elapsed().as_secs_f64();
    db.execute_unprepared("DROP TABLE bench_commits").await?;
    Ok((rate * 10.0).round() / 10.0)
}

/// The figures of the statistics page's hazard, major-hazard, inspection and unit sections, as
/// three hand-written aggregate queries (what the page's ~25 counts would cost at best).
async fn statistics_sql(
    db: &impl ConnectionTrait,
    scope: &str,
    from: &str,
    to: &str,
    today: &str,
) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    let like = format!("{scope}%");
    let hazards = "SELECT \
        SUM(CASE WHEN discovered_on BETWEEN $2 AND $3 THEN 1 ELSE 0 END), \
        SUM(CASE WHEN discovered_on BETWEEN $2 AND $3 AND grade = 'general' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN discovered_on BETWEEN $2 AND $3 AND state = 'closed' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN closed_on BETWEEN $2 AND $3 THEN 1 ELSE 0 END), \
        SUM(CASE WHEN discovered_on BETWEEN $2 AND $3 AND state <> 'closed' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN state IN ('notice_issued', 'rectifying') AND deadline < $4 THEN 1 ELSE 0 END), \
        SUM(CASE WHEN discovered_on BETWEEN $2 AND $3 AND exposed THEN 1 ELSE 0 END), \
        SUM(CASE WHEN discovered_on BETWEEN $2 AND $3 AND inspection_id IS NOT NULL THEN 1 ELSE 0 END), \
        SUM(CASE WHEN discovered_on BETWEEN $2 AND $3 AND grade = 'major' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN closed_on BETWEEN $2 AND $3 AND grade = 'major' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN grade = 'major' AND state <> 'closed' AND supervision <> 'none' THEN 1 ELSE 0 END) \
        FROM safety_hazards WHERE region_code LIKE $1 AND voided_at IS NULL";
    let inspections = "SELECT COUNT(*), COUNT(DISTINCT unit_id), \
        SUM(CASE WHEN kind IN ('supervision', 'covert') THEN 1 ELSE 0 END) \
        FROM safety_inspections WHERE region_code LIKE $1 AND voided_at IS NULL \
        AND inspected_on BETWEEN $2 AND $3";
    let units = "SELECT COUNT(*) FROM safety_units WHERE region_code LIKE $1 AND voided_at IS NULL";
    let values: [sea_orm::Value; 4] = [like.into(), from.into(), to.into(), today.into()];
    for (sql, params) in [(hazards, 4), (inspections, 3), (units, 1)] {
        let sql = (1..=params).fold(sql.to_string(), |sql, i| match (backend, i) {
            (DatabaseBackend::Postgres, 1) => sql,
            (DatabaseBackend::Postgres, _) => sql.replace(&format!("${i}"), &format!("${i}::date")),
            _ => sql.replace(&format!("${i}"), &format!("?{i}")),
        });
        let statement = Statement::from_sql_and_values(backend, sql, values[..params].to_vec());
        db.query_all_raw(statement).await?;
    }
    Ok(())
}
