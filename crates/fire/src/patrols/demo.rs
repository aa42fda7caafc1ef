//! Demo patrols: checkpoints in 潼川镇 and 塔山镇, a tour for the bureau's leader and two of his
//! check-ins.

use platform::web::AppState;
use sea_orm::{EntityTrait, PaginatorTrait};

use super::entity::checkpoint::Entity as Checkpoints;

use super::store::{self, CheckpointInput, Position, TourInput};

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if Checkpoints::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let (Some(staff), Some(leader)) = (
        platform::auth::actor_named(&state.db, "disaster").await?,
        platform::auth::actor_named(&state.db, "leader").await?,
    ) else {
        return Ok(());
    };
    let points = [
        (
            TONGCHUAN,
            "琴泉寺林区入口",
            "supervision",
            "105.0880",
            "31.1050",
        ),
        (
            TONGCHUAN,
            "东山森林公园管护站",
            "patrol",
            "105.1120",
            "31.0920",
        ),
        (
            TASHAN,
            "塔山林场瞭望台",
            "supervision",
            "105.2010",
            "31.2230",
        ),
        (TASHAN, "双河口卡点", "patrol", "105.2150", "31.2100"),
    ];
    let mut tokens = Vec::new();
    for (township, name, kind, lon, lat) in points {
        let input = CheckpointInput {
            township: township.into(),
            name: name.into(),
            kind: kind.into(),
            lon: Some(lon.into()),
            lat: Some(lat.into()),
            note: None,
            version: None,
        };
        let c = store::create_checkpoint(state, &staff, &input).await?;
        tokens.push(c.link.rsplit('/').next().unwrap_or_default().to_string());
    }
    let today = store::today(state);
    store::create_tour(
        state,
        &staff,
        &TourInput {
            township: TONGCHUAN.into(),
            user: "leader".into(),
            date_from: (today - chrono::Duration::days(3)).to_string(),
            date_to: (today + chrono::Duration::days(11)).to_string(),
            required: Some("2".into()),
            checkpoints: Vec::new(),
            note: Some("防火期分片包干督导".into()),
        },
    )
    .await?;
    for token in tokens.iter().take(2) {
        let at = Position {
            lon: Some("105.0885".into()),
            lat: Some("31.1046".into()),
            accuracy: Some("15".into()),
        };
        store::check_in(state, &leader, token, &at).await?;
    }
    Ok(())
}
