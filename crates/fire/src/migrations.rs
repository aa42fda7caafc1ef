//! The fire area's tables, applied after the platform's and the other areas'.

use sea_orm_migration::prelude::*;

pub fn all() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(crate::areas::migration::Areas),
        Box::new(crate::seasons::migration::Seasons),
        Box::new(crate::forecasts::migration::Forecasts),
        Box::new(crate::hotspots::migration::Hotspots),
        Box::new(crate::reports::migration::Reports),
        Box::new(crate::patrols::migration::Patrols),
    ]
}
