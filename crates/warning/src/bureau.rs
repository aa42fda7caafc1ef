//! Who speaks for the county bureau in this area: consultation reports and warnings are
//! written at county level; townships and villages read and confirm them.

use platform::access::{Actor, perm};

/// Writers work for a county: a township officer reads reports but does not write them.
pub fn is_writer(actor: &Actor) -> bool {
    actor.can(perm::WARNING_EDIT) && actor.scope().prefix().len() <= 6
}
