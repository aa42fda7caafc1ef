//! Demo responsible persons for 2026: 潼川镇 (the township, 凤凰村 and 黑虎水库) and 塔山镇 (the
//! township and a hazard point), entered by the county's duty officer through the store.

use platform::access::Actor;
use platform::auth::entity::user;
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::entity::person;
use super::store::{self, PersonInput};

/// kind, object, region, role, name, post, phone.
type Row = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if person::Entity::find().count(&state.db).await? > 0 {
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
    let rows: [Row; 7] = [
        (
            "township",
            None,
            "510722101000",
            "administrative",
            "王建国",
            "镇长",
            "13890160001",
        ),
        (
            "township",
            None,
            "510722101000",
            "technical",
            "刘水生",
            "水利站站长",
            "0816-5421234",
        ),
        (
            "village",
            None,
            "510722101201",
            "administrative",
            "陈永福",
            "村党支部书记",
            "13890160002",
        ),
        (
            "reservoir",
            Some("黑虎水库"),
            "510722101201",
            "administrative",
            "王建国",
            "镇长",
            "13890160001",
        ),
        (
            "reservoir",
            Some("黑虎水库"),
            "510722101201",
            "patrol",
            "李大林",
            "水库管理员",
            "13890160003",
        ),
        (
            "township",
            None,
            "510722104000",
            "administrative",
            "赵明",
            "镇长",
            "13890160004",
        ),
        (
            "hazard_point",
            Some("塔山场镇后山滑坡"),
            "510722104000",
            "monitor",
            "孙有田",
            "群测群防员",
            "13890160005",
        ),
    ];
    for (kind, object, region, role, name, post, phone) in rows {
        let input = PersonInput {
            kind: kind.into(),
            object_name: object.map(str::to_string),
            region_code: region.into(),
            role: role.into(),
            name: name.into(),
            post: Some(post.into()),
            phone: phone.into(),
            year: Some("2026".into()),
            contact_id: None,
            version: None,
        };
        store::create(state, &actor, &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo responsible person {name}: {e:?}"))?;
    }
    Ok(())
}
