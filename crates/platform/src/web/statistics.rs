//! What every area's 统计 page shares: the period and township asked for, and figures that
//! link to the list they count (so a leader can ask "which ones?" and get the answer).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::access::{Actor, Scope};
use crate::error::{AppError, AppResult};
use crate::web::form::{optional, parse_date};

/// The period and region asked for; blank means this year so far and everything in scope.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct Period {
    /// First day (YYYY-MM-DD); default 1 January of this year.
    pub from: Option<String>,
    /// Last day; default today.
    pub to: Option<String>,
    /// A township's 12-digit code inside the actor's scope; default the whole scope.
    pub township: Option<String>,
}

/// A resolved period: dates and the scope narrowed to the township asked for.
pub struct Resolved {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub scope: Scope,
    /// The township code when one was asked for.
    pub township: Option<String>,
}

impl Period {
    pub fn resolve(&self, actor: &Actor, today: NaiveDate) -> AppResult<Resolved> {
        let start_of_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let from = optional(&self.from)
            .as_deref()
            .map_or(Some(start_of_year), parse_date);
        let to = optional(&self.to)
            .as_deref()
            .map_or(Some(today), parse_date);
        let (Some(from), Some(to)) = (from, to) else {
            return Err(AppError::field("from", "日期格式应为 2026-06-01"));
        };
        if from > to {
            return Err(AppError::field("to", "结束日期不能早于开始日期"));
        }
        let own = actor.scope();
        let (scope, township) = match optional(&self.township) {
            Some(code) if own.contains(&code) => (Scope::of(&code), Some(code)),
            Some(_) => return Err(AppError::NotFound),
            None => (own, None),
        };
        Ok(Resolved {
            from,
            to,
            scope,
            township,
        })
    }
}

/// One figure and the list that shows the records it counts.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub unit: &'static str,
    pub href: String,
    /// The value is exactly the number of rows the list at `href` shows.
    pub counts_list: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Section {
    pub title: &'static str,
    pub figures: Vec<Figure>,
}

/// A count of the records the list at `href` shows.
pub fn count(label: &'static str, unit: &'static str, value: u64, href: String) -> Figure {
    Figure {
        label,
        value: value.to_string(),
        unit,
        href,
        counts_list: true,
    }
}

/// A figure derived from the records at `href` (a sum, a rate, people, money).
pub fn derived(label: &'static str, unit: &'static str, value: String, href: String) -> Figure {
    Figure {
        label,
        value,
        unit,
        href,
        counts_list: false,
    }
}

/// Columns of an export's figures sheet.
pub const FIGURE_HEADERS: [&str; 4] = ["类别", "指标", "数值", "单位"];

/// The figures as rows of an export's sheet: one per figure, under its section's title.
pub fn figure_rows(sections: &[Section]) -> Vec<Vec<String>> {
    sections
        .iter()
        .flat_map(|s| {
            s.figures.iter().map(|f| {
                vec![
                    s.title.to_string(),
                    f.label.to_string(),
                    f.value.clone(),
                    f.unit.to_string(),
                ]
            })
        })
        .collect()
}

/// `path?filter` with the filter as its query string.
pub fn query<T: Serialize>(path: &str, filter: &T) -> String {
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(filter).unwrap_or_default()
    )
}

/// `part` as a percentage of `all`, one decimal; `None` when `all` is zero.
pub fn percent(part: u64, all: u64) -> Option<f64> {
    (all > 0).then(|| (part as f64 * 1000.0 / all as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(3, 3), Some(100.0));
        assert_eq!(percent(0, 0), None);
    }
}
