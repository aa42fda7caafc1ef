//! The duty area's tables, applied after the platform's and the other areas'.

use sea_orm_migration::prelude::*;

pub fn all() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(crate::rosters::migration::Rosters),
        Box::new(crate::logs::migration::Logs),
        Box::new(crate::responsible::migration::Responsible),
        Box::new(crate::headquarters::migration::Headquarters),
        Box::new(crate::dispatch::questions::migration::DispatchQuestions),
        Box::new(crate::dispatch::migration::Dispatches),
    ]
}
