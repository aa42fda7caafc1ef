//! The disaster area's tables, applied after the platform's and the other areas'.

use sea_orm_migration::prelude::*;

pub fn all() -> Vec<Box<dyn MigrationTrait>> {
    let mut all = crate::processes::migrations();
    all.extend(crate::losses::migrations());
    all.extend(crate::relief::migrations());
    all
}
