//! The warning area's tables, applied after the platform's and the safety area's.

use sea_orm_migration::prelude::*;

pub fn all() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(crate::consultations::migration::Consultations),
        Box::new(crate::warnings::migration::Warnings),
        Box::new(crate::warnings::migration::WarningContactGroups),
        Box::new(crate::warnings::migration::MoveCallsToPlatform),
    ]
}
