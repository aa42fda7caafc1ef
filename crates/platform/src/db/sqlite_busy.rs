//! How a SQLite connection waits for the write lock another connection holds.
//!
//! SQLite's own handler (what `busy_timeout` installs) sleeps 1, 2, 5, 10, … up to 100 ms
//! between tries. A commit holds the lock for well under a millisecond, so a waiting writer
//! slept on while the lock stood free: recording hazards from many phones at once left the
//! database idle between commits and the slowest answers took over a second
//! (docs/PERFORMANCE.md, "Recording a hazard"). This handler tries again after 50 µs, backs off
//! to 1 ms, and gives up after 10 s as before ("database is locked").

use std::ffi::{c_int, c_void};
use std::time::Duration;

use sea_orm::sqlx::SqliteConnection;

const FIRST_WAIT_MICROS: u64 = 50;
const LONGEST_WAIT_MICROS: u64 = 1_000;
const GIVE_UP_AFTER_MICROS: u64 = 10_000_000;

/// Install the handler on a fresh connection (the pool's `after_connect`).
pub async fn install(conn: &mut SqliteConnection) -> Result<(), sea_orm::sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the open handle, locked out of sqlx's worker for this call; the handler
    // keeps no state (null argument) and only sleeps on the worker's thread.
    let code =
        unsafe { libsqlite3_sys::sqlite3_busy_handler(db, Some(on_busy), std::ptr::null_mut()) };
    if code == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sea_orm::sqlx::Error::Protocol(format!(
            "cannot install the SQLite busy handler (code {code})"
        )))
    }
}

/// SQLite calls this with how many times it already did for the same lock; non-zero means
/// "try again".
extern "C" fn on_busy(_: *mut c_void, tries: c_int) -> c_int {
    match wait_before_try(u64::try_from(tries).unwrap_or(0)) {
        Some(wait) => {
            std::thread::sleep(wait);
            1
        }
        None => 0,
    }
}

/// The wait before try `tries` (0-based): 50 µs, doubling up to 1 ms, none once 10 s have
/// been waited in all. Doubling keeps a writer that waits long from waking 1,000 times a second
/// while the lock is taken by others in turn.
fn wait_before_try(tries: u64) -> Option<Duration> {
    // Tries whose wait is still doubling: 50, 100, 200, 400, 800 µs, then 1 ms each.
    const DOUBLING: u64 = 5;
    let wait = if tries < DOUBLING {
        FIRST_WAIT_MICROS << tries
    } else {
        LONGEST_WAIT_MICROS
    };
    let waited = if tries <= DOUBLING {
        FIRST_WAIT_MICROS * ((1 << tries) - 1)
    } else {
        FIRST_WAIT_MICROS * ((1 << DOUBLING) - 1) + (tries - DOUBLING) * LONGEST_WAIT_MICROS
    };
    (waited < GIVE_UP_AFTER_MICROS).then(|| Duration::from_micros(wait))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_to_a_millisecond_and_stop_after_ten_seconds() {
        assert_eq!(wait_before_try(0), Some(Duration::from_micros(50)));
        assert_eq!(wait_before_try(1), Some(Duration::from_micros(100)));
        assert_eq!(wait_before_try(4), Some(Duration::from_micros(800)));
        assert_eq!(wait_before_try(5), Some(Duration::from_millis(1)));
        assert_eq!(wait_before_try(500), Some(Duration::from_millis(1)));
        let total: Duration = (0..).map_while(wait_before_try).sum();
        assert!(
            total >= Duration::from_secs(10) && total <= Duration::from_millis(10_002),
            "{total:?}"
        );
    }

    /// A writer that finds the database locked waits for the lock, then writes: here the first
    /// transaction holds it for 300 ms.
    #[tokio::test]
    async fn a_writer_waits_for_the_lock_instead_of_failing() {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/busy.db?mode=rwc", folder.path().display());
        let db = super::super::connect(&url).await.unwrap();
        db.execute_unprepared("CREATE TABLE t (n INTEGER)")
            .await
            .unwrap();
        let first = db.begin().await.unwrap();
        first
            .execute_unprepared("INSERT INTO t VALUES (1)")
            .await
            .unwrap();
        let second = {
            let db = db.clone();
            tokio::spawn(async move {
                let started = std::time::Instant::now();
                db.execute_unprepared("INSERT INTO t VALUES (2)").await?;
                Ok::<_, sea_orm::DbErr>(started.elapsed())
            })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        first.commit().await.unwrap();
        let waited = second
            .await
            .unwrap()
            .expect("the second writer waits, then writes");
        assert!(waited >= Duration::from_millis(250), "{waited:?}");
        let rows = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM t",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rows.try_get::<i64>("", "n").unwrap(), 2);
    }
}
