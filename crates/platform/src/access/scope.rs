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

    /// `column LIKE 'prefix%'`, to add to any query on a table with a region column; with the
    /// same prefix as a range of 12-digit codes, which the region index can answer (SQLite's
    /// LIKE is case-insensitive and never uses an index; a range is exact for digit codes).
    pub fn condition<C: ColumnTrait>(&self, column: C) -> Condition {
        let like = Condition::all().add(column.starts_with(self.prefix.as_str()));
        match self.code_range() {
            Some((low, high)) => like.add(column.between(low, high)),
            None => like,
        }
    }

    /// The lowest and highest 12-digit codes under the prefix (`510722000000`–`510722999999`),
    /// or none when the prefix is not digits (everything, or the malformed scope).
    fn code_range(&self) -> Option<(String, String)> {
        let digits = !self.prefix.is_empty() && self.prefix.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| {
            let pad = 12usize.saturating_sub(self.prefix.len());
            (
                format!("{}{}", self.prefix, "0".repeat(pad)),
                format!("{}{}", self.prefix, "9".repeat(pad)),
            )
        })
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
    fn the_range_covers_exactly_the_prefix() {
        let range = |code: &str| Scope::of(code).code_range();
        assert_eq!(
            range("510722101000"),
            Some(("510722101000".into(), "510722101999".into()))
        );
        assert_eq!(
            range("510000000000"),
            Some(("510000000000".into(), "519999999999".into()))
        );
        assert_eq!(range(Scope::ALL_CODE), None);
        assert_eq!(range("bad"), None);
    }

    #[test]
    fn county_province_and_malformed_scopes() {
        assert_eq!(Scope::of("510722000000").prefix(), "510722");
        assert_eq!(Scope::of("510000000000").prefix(), "51");
        assert_eq!(Scope::of("510700000000").prefix(), "5107");
        assert!(!Scope::of("bad").contains("510722101000"));
    }
}
