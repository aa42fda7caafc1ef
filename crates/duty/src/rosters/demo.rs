//! Demo duty for 三台县: the 2026 flood season (1 June – 30 September), one 24-hour shift a
//! day from 08:30, 陈局长 (`leader`) leading and 郑值班 (`duty`) with a township's staff on
//! duty; the last days of September are left short to show gaps. A few log entries of a July
//! day show the log, one of them still open. Everything goes through the real store functions.

use chrono::{Duration, NaiveDate, NaiveTime};
use platform::access::Actor;
use platform::auth::entity::user;
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::entity::period;
use super::store::{self, PeriodInput, RosterEntry, RosterInput};
use crate::logs::store::{self as logs, LogInput};

async fn account(state: &AppState, username: &str) -> anyhow::Result<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&state.db)
        .await?)
}

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if period::Entity::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let (Some(duty), Some(leader)) = (
        account(state, "duty").await?,
        account(state, "leader").await?,
    ) else {
        return Ok(());
    };
    let townships = [
        account(state, "tongchuan").await?,
        account(state, "tashan").await?,
    ];
    let actor: Actor = platform::auth::actor_for(&state.db, &duty, None, None).await?;
    let p = store::create_period(
        state,
        &actor,
        &PeriodInput {
            kind: "flood".into(),
            name: "2026年防汛值班".into(),
            starts_on: Some("2026-06-01".into()),
            ends_on: Some("2026-09-30".into()),
            pattern: Some("full_day".into()),
            shift_start: Some("08:30".into()),
            min_officers: Some("2".into()),
            region_code: None,
        },
    )
    .await?;
    let first = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    let mut entries = Vec::new();
    for i in 0..122 {
        let day = first + Duration::days(i);
        let mut officers = vec![duty.id.to_string()];
        // The last three days are short of an officer, to show the gap check.
        if i < 119
            && let Some(t) = &townships[i as usize % 2]
        {
            officers.push(t.id.to_string());
        }
        entries.push(RosterEntry {
            day: day.to_string(),
            slot: None,
            leader_id: Some(leader.id.to_string()),
            officer_ids: officers,
        });
    }
    let roster = store::set_roster(state, &actor, p.id, &RosterInput { entries }).await?;
    // A July day's log, written by the officer on duty, if that day is past.
    let Some(shift) = roster
        .shifts
        .iter()
        .find(|s| s.day == NaiveDate::from_ymd_opt(2026, 7, 15).unwrap_or_default())
    else {
        return Ok(());
    };
    let log = [
        (
            "09:10",
            "rain",
            Some("县气象局"),
            None,
            "过去6小时全县平均降雨量32毫米，最大芦溪镇78毫米。",
            false,
        ),
        (
            "10:05",
            "water",
            Some("县水利局"),
            None,
            "涪江三台站水位372.6米，低于警戒水位1.4米，呈上涨趋势。",
            true,
        ),
        (
            "11:30",
            "instruction",
            Some("陈局长"),
            None,
            "要求各乡镇加强山洪灾害危险区巡查，做好转移准备。",
            false,
        ),
        (
            "11:45",
            "report",
            None,
            Some("市防办"),
            "报送全县雨水情及防范工作情况。",
            false,
        ),
    ];
    for (time, kind, from, to, content, open) in log {
        let at = NaiveTime::parse_from_str(time, "%H:%M").unwrap_or_default();
        let instant = super::model::local_instant(shift.day, at);
        if instant > state.now() {
            break;
        }
        logs::create(
            state,
            &actor,
            &LogInput {
                shift_id: shift.id.to_string(),
                kind: kind.into(),
                at: Some(platform::web::form::local_input(instant)),
                from_party: from.map(str::to_string),
                to_party: to.map(str::to_string),
                content: content.into(),
                open,
            },
        )
        .await?;
    }
    Ok(())
}
