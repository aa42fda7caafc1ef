//! Data scope: the region-code prefix a user owns. Stores filter every query by it, so no route
//! can forget it; a record outside scope answers 404.

use sea_orm::{ColumnTrait, Condition};

use crate::regions::RegionCode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    prefix: String,
}

impl Scope {
    /// Everything: only for the command line run by the machine's operator.
    pub const ALL_CODE: &'static str = "*";

    /// The scope of a user whose region is `code` (12 digits).
    pub fn of(code: &str) -> Self {
        if code == Self::ALL_CODE {
            return Self {
                prefix: String::new(),
            };
        }
        let prefix = RegionCode::parse(code)
            .map(|c| c.prefix().to_string())
            // A malformed code owns nothing rather than everything.
            .unwrap_or_else(|_| "-".to_string());
        Self { prefix }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn contains(&self, region_code: &str) -> bool {
        region_code.starts_with(&self.prefix)
    }

    /// `column LIKE 'prefix%'`, to add to any query on a table with a region column.
    pub fn condition<C: ColumnTrait>(&self, column: C) -> Condition {
        Condition::all().add(column.starts_with(self.prefix.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_township_user_owns_its_villages_only() {
        let scope = Scope::of("510722101000");
        assert_eq!(scope.prefix(), "510722101");
        assert!(scope.contains("510722101203"));
        assert!(!scope.contains("510722104000"));
    }

    #[test]
    fn county_province_and_malformed_scopes() {
        assert_eq!(Scope::of("510722000000").prefix(), "510722");
        assert_eq!(Scope::of("510000000000").prefix(), "51");
        assert_eq!(Scope::of("510700000000").prefix(), "5107");
        assert!(!Scope::of("bad").contains("510722101000"));
    }
}
