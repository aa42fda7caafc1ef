//! Demo 叫应 data for 三台县: a responsible person for every township (its head; 潼川镇's and
//! 塔山镇's linked to the township accounts) and village (a flood contact), the county leader on
//! duty (linked to `leader`), and one yellow rainstorm warning issued today to three townships,
//! a few of whom have confirmed. Names are marked 【演示】; mobiles are not real numbers.
//!
//! The warning goes through the real steps (draft, approval by `leader`, issue by `disaster`), so
//! its calls and messages are exactly what an issue writes.

use chrono::Duration;
use platform::access::Actor;
use platform::auth::entity::user;
use platform::contacts::{entity as contact, role};
use platform::regions::entity as region;
use platform::web::AppState;
use platform::web::form::local_input;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::calls;
use super::store::{self, StepInput, WarningInput};

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

async fn actor(state: &AppState, username: &str) -> anyhow::Result<Option<Actor>> {
    let Some(u) = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(
        platform::auth::actor_for(&state.db, &u, None, None).await?,
    ))
}

async fn user_id(state: &AppState, username: &str) -> anyhow::Result<Option<Uuid>> {
    Ok(actor(state, username).await?.map(|a| a.user_id))
}

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    if contact::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let regions = region::Entity::find()
        .filter(region::Column::Code.starts_with("510722"))
        .all(db)
        .await?;
    let now = state.now();
    let village = user_id(state, "village").await?;
    let leader = user_id(state, "leader").await?;
    let linked = [
        (TONGCHUAN, user_id(state, "tongchuan").await?),
        (TASHAN, user_id(state, "tashan").await?),
    ];
    let mut rows = Vec::new();
    let mut person =
        |region_code: &str, name: String, role: &str, post: &str, user: Option<Uuid>| {
            let n = rows.len();
            rows.push(contact::ActiveModel {
                name: Set(name),
                role: Set(role.to_string()),
                post: Set(Some(post.to_string())),
                mobile: Set(Some(format!("199{n:08}"))),
                email: Set(None),
                user_id: Set(user),
                department_id: Set(None),
                note: Set(Some("演示数据".to_string())),
                sort: Set(0),
                ..platform::db::new_record(Uuid::now_v7(), region_code.to_string(), None, now)
            });
        };
    person(
        COUNTY,
        "【演示】县级带班领导".into(),
        role::COUNTY_LEADER,
        "副县长",
        leader,
    );
    for r in &regions {
        let short = platform::regions::model::short_name(&r.name);
        match r.level {
            4 => {
                let account = linked
                    .iter()
                    .find(|(c, _)| *c == r.code)
                    .and_then(|(_, u)| *u);
                person(
                    &r.code,
                    format!("【演示】{short}主要负责人"),
                    role::TOWNSHIP_HEAD,
                    "镇长",
                    account,
                );
            }
            5 => {
                let account = if r.code == "510722101201" {
                    village
                } else {
                    None
                };
                person(
                    &r.code,
                    format!("【演示】{short}防汛联络人"),
                    role::VILLAGE_FLOOD,
                    "村委会主任",
                    account,
                );
            }
            _ => {}
        }
    }
    for chunk in rows.chunks(500) {
        contact::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    issue_one(state).await
}

/// A yellow rainstorm warning to 潼川镇, 塔山镇 and 龙树镇, issued now; the two township heads
/// with accounts have confirmed.
async fn issue_one(state: &AppState) -> anyhow::Result<()> {
    let (Some(writer), Some(leader)) = (
        actor(state, "disaster").await?,
        actor(state, "leader").await?,
    ) else {
        return Ok(());
    };
    let now = state.now();
    let input = WarningInput {
        kind: Some("rainstorm".into()),
        level: Some("3".into()),
        title: Some("【演示】关于做好强降雨天气防范工作的预警".into()),
        content: Some("【演示】县气象局预报，未来24小时潼川镇、塔山镇、龙树镇有大雨到暴雨，局地伴有雷电大风。".into()),
        actions: Some("加强地灾隐患点巡查，落实24小时值班，危险区群众做好转移准备。".into()),
        area_codes: vec![TONGCHUAN.into(), TASHAN.into(), "510722106000".into()],
        polygon: None,
        include_departments: Some(false),
        contact_groups: Vec::new(),
        valid_from: Some(local_input(now)),
        valid_until: Some(local_input(now + Duration::hours(24))),
        version: None,
    };
    let draft = store::create(state, &writer, &input).await?;
    store::approve(state, &leader, draft.id, &StepInput::default()).await?;
    let (issued, _) = store::issue(state, &writer, draft.id, &StepInput::default()).await?;
    for username in ["tongchuan", "tashan"] {
        if let Some(person) = actor(state, username).await? {
            for c in calls::waiting_for(&state.db, person.user_id).await? {
                if c.subject_id == issued.id {
                    calls::confirm_in_app(state, &person, c.id).await?;
                }
            }
        }
    }
    Ok(())
}
