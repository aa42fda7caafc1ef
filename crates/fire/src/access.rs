//! Who reads and who writes the fire area's county records: every FIRE_VIEW holder reads their
//! county's; only county-level FIRE_EDIT holders write (a township's staff do not issue).

use platform::access::{Actor, perm};
use platform::error::{AppError, AppResult};

pub use platform::regions::model::county_of;

/// County-level fire editors.
pub fn is_writer(actor: &Actor) -> bool {
    actor.can(perm::FIRE_EDIT) && actor.scope().prefix().len() <= 6
}

pub fn require_reader(actor: &Actor) -> AppResult<String> {
    actor.require(perm::FIRE_VIEW)?;
    Ok(county_of(&actor.region_code))
}

/// The writer's county, or 403.
pub fn require_writer(actor: &Actor) -> AppResult<String> {
    actor.require(perm::FIRE_EDIT)?;
    if !is_writer(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(county_of(&actor.region_code))
}
