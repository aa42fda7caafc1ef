//! Demo dispatch for 三台县: today's dispatch started by 郑值班 (`duty`), asking every
//! township (their heads, as the demo registers no township duty officers); 潼川镇 has answered
//! that all is well, 塔山镇 that it moved people from a slope. Through the real store.

use std::collections::HashMap;

use platform::auth::entity::user;
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::entity::Entity as Dispatches;
use super::store::{self, StartInput};

async fn actor(
    state: &AppState,
    username: &str,
) -> anyhow::Result<Option<platform::access::Actor>> {
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

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if Dispatches::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let Some(duty) = actor(state, "duty").await? else {
        return Ok(());
    };
    let input = StartInput {
        include_departments: Some(false),
        ..StartInput::default()
    };
    store::start(state, &duty, &input).await?;
    let answers = [
        (
            "tongchuan",
            [
                ("on_post", "yes"),
                ("danger", "no"),
                ("evacuated", "0"),
                ("other", ""),
            ],
        ),
        (
            "tashan",
            [
                ("on_post", "yes"),
                ("danger", "yes"),
                ("evacuated", "6"),
                (
                    "other",
                    "【演示】青龙村一处边坡出现裂缝，已转移6人，安排专人值守",
                ),
            ],
        ),
    ];
    for (username, given) in answers {
        let Some(person) = actor(state, username).await? else {
            continue;
        };
        let given: HashMap<String, String> = given
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for c in store::waiting_for(&state.db, person.user_id).await? {
            store::answer_in_app(state, &person, c.id, &given).await?;
        }
    }
    Ok(())
}
