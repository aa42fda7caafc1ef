//! Demo 卫星热点 for 三台县: a VIIRS file received two hours ago with two pixels of one fire in
//! 潼川镇 (merged), one hotspot in 塔山镇 already answered 农事用火, and one in 龙树镇 still waiting.
//! Needs the demo township areas (loaded first) to locate the pixels.

use chrono::Duration;
use platform::audit::Who;
use platform::calls;
use platform::web::AppState;
use sea_orm::{EntityTrait, PaginatorTrait};

use super::answer::{self, AnswerInput};
use super::entity::hotspot;
use super::receive::{self, Channel};
use crate::areas::demo::DEMO_COUNTY;

const WHO: Who<'static> = Who {
    id: None,
    name: "演示数据",
    ip: None,
};

/// (lon, lat) of each pixel: two in 潼川镇 ~400 m apart, one in 塔山镇, one in 龙树镇.
const PIXELS: [(f64, f64); 4] = [
    (105.0895, 31.0843),
    (105.0935, 31.0850),
    (105.1252, 31.3091),
    (105.1624, 31.3903),
];

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if hotspot::Entity::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let seen = state.now() - Duration::hours(2);
    let (date, time) = (seen.format("%Y-%m-%d"), seen.format("%H%M"));
    let mut csv = String::from(
        "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight\n",
    );
    for (lon, lat) in PIXELS {
        csv.push_str(&format!(
            "{lat},{lon},338.2,0.39,0.36,{date},{time},N20,VIIRS,n,2.0NRT,290.1,4.8,D\n"
        ));
    }
    let receipt = receive::receive(
        state,
        WHO,
        DEMO_COUNTY,
        "【演示】VIIRS_NOAA20_China_24h.csv",
        csv.as_bytes(),
        Channel::Upload,
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo hotspots: {}", e.body().message))?;
    answer_one(state, receipt.new_hotspots.get(1)).await
}

/// 塔山镇's duty officer has answered: farmers burning straw.
async fn answer_one(state: &AppState, number: Option<&String>) -> anyhow::Result<()> {
    let Some(number) = number else {
        return Ok(());
    };
    use sea_orm::{ColumnTrait, QueryFilter};
    let Some(h) = hotspot::Entity::find()
        .filter(hotspot::Column::Number.eq(number))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let Some(call) = calls::first_wave(&state.db, h.id).await?.into_iter().next() else {
        return Ok(());
    };
    let input = AnswerInput {
        verdict: Some("farming".into()),
        place: Some("【演示】村民田边焚烧秸秆".into()),
        measures: Some("已扑灭明火，对用火村民批评教育并登记。".into()),
        ..AnswerInput::default()
    };
    answer::answer_by_token(state, &call.token, &input, &[])
        .await
        .map_err(|e| anyhow::anyhow!("demo hotspot answer: {}", e.body().message))?;
    Ok(())
}
