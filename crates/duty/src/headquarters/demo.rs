//! Demo headquarters: the county's 2026 防汛抗旱指挥部 with its commander, a deputy and a few
//! member units (from 组织机构 where the demo has them), entered by the duty officer.

use platform::access::Actor;
use platform::auth::entity::user;
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::entity::headquarters;
use super::store::{self, HqInput, MemberInput};

/// position, unit, name, post, phone, duties.
type Row = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const ROWS: [Row; 6] = [
    (
        "commander",
        None,
        "张志强",
        "县委副书记、县长",
        "13890161001",
        None,
    ),
    (
        "deputy",
        None,
        "陈局长",
        "县应急管理局局长",
        "13890161002",
        None,
    ),
    (
        "member",
        Some("县水利局"),
        "刘清河",
        "防汛办主任",
        "13890161003",
        Some("负责水库、堤防等水利工程防汛调度和抢险技术指导，发布水情信息"),
    ),
    (
        "member",
        Some("县自然资源局"),
        "杨地安",
        "地灾股股长",
        "13890161004",
        Some("负责地质灾害隐患点排查、监测预警和应急处置技术支撑"),
    ),
    (
        "member",
        Some("县气象局"),
        "周云",
        "预报科科长",
        "0816-5422001",
        Some("负责暴雨等灾害性天气监测、预报预警"),
    ),
    (
        "member",
        Some("国网三台县供电公司"),
        "吴电明",
        "安监部主任",
        "13890161005",
        Some("负责防汛抢险电力供应保障"),
    ),
];

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if headquarters::Entity::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let Some(duty) = user::Entity::find()
        .filter(user::Column::Username.eq("duty"))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let actor: Actor = platform::auth::actor_for(&state.db, &duty, None, None).await?;
    let fail = |what: &str, e: platform::error::AppError| anyhow::anyhow!("demo {what}: {e:?}");
    let hq = store::create(
        state,
        &actor,
        &HqInput {
            kind: "flood".into(),
            year: Some("2026".into()),
        },
    )
    .await
    .map_err(|e| fail("headquarters", e))?;
    let departments = platform::org::store::all(&state.db, &actor.scope())
        .await
        .map_err(|e| fail("departments", e))?;
    for (sort, (position, unit, name, post, phone, duties)) in ROWS.into_iter().enumerate() {
        let department_id = unit.and_then(|u| {
            departments
                .iter()
                .find(|d| d.name == u && !d.voided)
                .map(|d| d.id.to_string())
        });
        let input = MemberInput {
            position: position.into(),
            unit_name: unit.filter(|_| department_id.is_none()).map(str::to_string),
            department_id,
            person_name: name.into(),
            person_post: Some(post.into()),
            phone: phone.into(),
            duties: duties.map(str::to_string),
            sort: Some(sort.to_string()),
            version: None,
        };
        store::add_member(state, &actor, hq.id, &input)
            .await
            .map_err(|e| fail(name, e))?;
    }
    Ok(())
}
