//! Who reads and who writes the disaster area's records. Every DISASTER_VIEW holder reads what
//! lies in their scope; DISASTER_EDIT holders write at their own level: the county (scope of 6
//! digits) decides, a township (9) enters its own figures and checks its villages' rolls, a
//! village (12) builds its roll.

use platform::access::{Actor, perm};
use platform::error::{AppError, AppResult};

pub use platform::regions::model::county_of;

/// The level an editor works at, from the length of their scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    County,
    Township,
    Village,
}

/// The actor's level, or None above a county (a city or province reads only).
pub fn level(actor: &Actor) -> Option<Level> {
    match actor.scope().prefix().len() {
        6 => Some(Level::County),
        9 => Some(Level::Township),
        12 => Some(Level::Village),
        _ => None,
    }
}

/// County-level disaster editors.
pub fn is_county_writer(actor: &Actor) -> bool {
    actor.can(perm::DISASTER_EDIT) && level(actor) == Some(Level::County)
}

/// The reader's county.
pub fn require_reader(actor: &Actor) -> AppResult<String> {
    actor.require(perm::DISASTER_VIEW)?;
    Ok(county_of(&actor.region_code))
}

/// A disaster editor at any level, with their level; 403 otherwise.
pub fn require_editor(actor: &Actor) -> AppResult<Level> {
    actor.require(perm::DISASTER_EDIT)?;
    level(actor).ok_or(AppError::Forbidden)
}

/// The county writer's county, or 403.
pub fn require_county_writer(actor: &Actor) -> AppResult<String> {
    actor.require(perm::DISASTER_EDIT)?;
    if !is_county_writer(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(county_of(&actor.region_code))
}
