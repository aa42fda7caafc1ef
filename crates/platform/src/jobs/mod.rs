//! Periodic jobs (叫应 escalation, overdue hazards, expiring licences …). Each job has a row in
//! `jobs` with its next run; a server takes a lease on the row before running it, so with
//! several servers exactly one runs each job, and a server that dies mid-run loses the lease
//! when it expires. Every run is recorded in `job_runs`.

pub mod entity;

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::AppResult;
use crate::web::AppState;
use entity::{job, job_run};

pub type JobFuture<'a> = Pin<Box<dyn Future<Output = AppResult<String>> + Send + 'a>>;

/// A job an area registers: its stable name, what staff call it, how often it runs, and the
/// work (which returns a one-line summary for the run record).
#[derive(Clone, Copy)]
pub struct Job {
    pub name: &'static str,
    pub label: &'static str,
    pub every: Duration,
    pub run: for<'a> fn(&'a AppState) -> JobFuture<'a>,
}

/// A lease longer than any run; a server that died holding one frees it after this.
const LEASE: Duration = Duration::minutes(10);

/// Run every job that is due, each under its lease. Returns the names of the jobs run.
pub async fn run_due(state: &AppState) -> AppResult<Vec<&'static str>> {
    // One read of the (small) table per tick; only due jobs are raced for with an update.
    let rows = job::Entity::find().all(&state.db).await?;
    let mut ran = Vec::new();
    for job in state.jobs.iter() {
        let now = state.now();
        match rows.iter().find(|r| r.name == job.name) {
            None => ensure_row(state, job, now).await?,
            Some(row) if !is_free_and_due(row, now) => continue,
            Some(_) => {}
        }
        let holder = Uuid::now_v7();
        if !take_lease(state, job, holder, now).await? {
            continue;
        }
        let outcome = (job.run)(state).await;
        let finished = state.now();
        record(state, job, holder, now, finished, &outcome).await?;
        ran.push(job.name);
    }
    Ok(ran)
}

/// What the lease update below also checks: the read may be stale, the update decides.
fn is_free_and_due(row: &job::Model, now: DateTime<Utc>) -> bool {
    row.next_run_at <= now && row.lease_until.is_none_or(|until| until < now)
}

/// A job seen for the first time is due at once.
async fn ensure_row(state: &AppState, job: &Job, now: DateTime<Utc>) -> AppResult<()> {
    job::Entity::insert(job::ActiveModel {
        name: Set(job.name.to_string()),
        next_run_at: Set(now),
        lease_holder: Set(None),
        lease_until: Set(None),
        last_started_at: Set(None),
        last_finished_at: Set(None),
        last_ok: Set(None),
        last_summary: Set(None),
    })
    .on_conflict(
        OnConflict::column(job::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await?;
    Ok(())
}

/// Due and not held by a live lease: one conditional update, so one server wins.
async fn take_lease(
    state: &AppState,
    job: &Job,
    holder: Uuid,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let taken = job::Entity::update_many()
        .col_expr(job::Column::LeaseHolder, Expr::value(Some(holder)))
        .col_expr(job::Column::LeaseUntil, Expr::value(Some(now + LEASE)))
        .col_expr(job::Column::LastStartedAt, Expr::value(Some(now)))
        .filter(job::Column::Name.eq(job.name))
        .filter(job::Column::NextRunAt.lte(now))
        .filter(
            Condition::any()
                .add(job::Column::LeaseUntil.is_null())
                .add(job::Column::LeaseUntil.lt(now)),
        )
        .exec(&state.db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Record the run, and free the lease and set the next run — unless the lease expired during
/// the run and another server took it, whose lease this run must not clear.
async fn record(
    state: &AppState,
    job: &Job,
    holder: Uuid,
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
    outcome: &AppResult<String>,
) -> AppResult<()> {
    let (ok, summary) = match outcome {
        Ok(summary) => (true, summary.clone()),
        Err(e) => {
            tracing::error!(job = job.name, error = %e, "job failed");
            (false, e.to_string())
        }
    };
    job_run::Entity::insert(job_run::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(job.name.to_string()),
        started_at: Set(started),
        finished_at: Set(finished),
        ok: Set(ok),
        summary: Set(summary.clone()),
    })
    .exec_without_returning(&state.db)
    .await?;
    job::Entity::update_many()
        .col_expr(job::Column::LeaseHolder, Expr::value(Option::<Uuid>::None))
        .col_expr(
            job::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::NextRunAt, Expr::value(started + job.every))
        .col_expr(job::Column::LastFinishedAt, Expr::value(Some(finished)))
        .col_expr(job::Column::LastOk, Expr::value(Some(ok)))
        .col_expr(job::Column::LastSummary, Expr::value(Some(summary)))
        .filter(job::Column::Name.eq(job.name))
        .filter(job::Column::LeaseHolder.eq(holder))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// The background loop of a server: deliver the outbox and run due jobs every `tick`, until
/// `stop` turns true. A pass in progress is never cut short, so a message being sent at
/// shutdown is recorded as sent before the process exits (and not sent again after restart).
pub async fn background(
    state: AppState,
    tick: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut interval = tokio::time::interval(tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        if let Err(e) = crate::notify::outbox::deliver_due(&state).await {
            tracing::error!(error = %e, "outbox delivery failed");
        }
        if let Err(e) = run_due(&state).await {
            tracing::error!(error = %e, "jobs failed");
        }
    }
}
