//! Pagination shared by every list page and API: `?page=&per_page=`, answered with totals; and
//! the user-chosen order of a list: `?sort=column&dir=asc|desc`, checked against the columns
//! the list offers ([`Sorts`]), kept in page and export links, shown as clickable headers.

use sea_orm::sea_query::NullOrdering;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, Order, PaginatorTrait, QueryOrder,
    Select,
};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 200;

#[derive(Clone, Copy, Debug, Deserialize, utoipa::IntoParams)]
pub struct Paging {
    /// 1-based page number.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl Paging {
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }

    pub fn per_page(&self) -> u64 {
        self.per_page
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE)
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PageOf<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> PageOf<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }

    pub fn has_prev(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> PageOf<U> {
        PageOf {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// Run `select` for one page, with the total count.
pub async fn fetch_page<E, M>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    paging: Paging,
) -> AppResult<PageOf<M>>
where
    E: EntityTrait<Model = M>,
    M: FromQueryResult + Sized + Send + Sync,
{
    let per_page = paging.per_page();
    let paginator = select.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let page = paging.page();
    let items = paginator.fetch_page(page - 1).await?;
    Ok(PageOf {
        items,
        total,
        page,
        per_page,
    })
}

/// The query string for another page of the same filtered (and sorted) list.
pub fn page_link(query: &str, page: u64) -> String {
    with_params(query, &["page"], &format!("page={page}"))
}

/// `query` without the parameters `drop`, then `add`, as `?…`.
fn with_params(query: &str, drop: &[&str], add: &str) -> String {
    let mut kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !drop.iter().any(|d| p.split('=').next() == Some(*d)))
        .collect();
    kept.push(add);
    format!("?{}", kept.join("&"))
}

/// A sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Asc,
    Desc,
}

impl Dir {
    pub fn code(self) -> &'static str {
        match self {
            Dir::Asc => "asc",
            Dir::Desc => "desc",
        }
    }

    fn flip(self) -> Self {
        match self {
            Dir::Asc => Dir::Desc,
            Dir::Desc => Dir::Asc,
        }
    }

    fn order(self) -> Order {
        match self {
            Dir::Asc => Order::Asc,
            Dir::Desc => Order::Desc,
        }
    }
}

/// The order a client asks for: `?sort=deadline&dir=asc`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SortQuery {
    /// The column to sort by, one of those the list offers (e.g. `number`, `discovered_on`);
    /// without it, the list's usual order.
    pub sort: Option<String>,
    /// `asc` or `desc`; without it, the column's usual direction (dates newest first).
    pub dir: Option<String>,
}

/// One column a list can be sorted by.
pub struct SortColumn<C: 'static> {
    /// Its name in `?sort=`.
    pub key: &'static str,
    pub column: C,
    /// The direction it starts in: newest dates, largest amounts first; names and numbers A→Z.
    pub first: Dir,
}

/// The columns a list offers (the first is its usual order) and the columns that break ties,
/// so rows with equal values keep one order across pages.
pub struct Sorts<C: 'static> {
    pub columns: &'static [SortColumn<C>],
    pub then: &'static [(C, Dir)],
}

impl<C: ColumnTrait + Copy> Sorts<C> {
    /// The sort asked for; an unknown column or direction is refused (`invalid_query`).
    pub fn pick(&'static self, asked: &SortQuery) -> AppResult<Sort<C>> {
        let key = asked.sort.as_deref().map(str::trim).unwrap_or_default();
        let index = if key.is_empty() {
            0
        } else {
            self.columns
                .iter()
                .position(|c| c.key == key)
                .ok_or_else(|| {
                    let keys: Vec<&str> = self.columns.iter().map(|c| c.key).collect();
                    AppError::bad_request(
                        "invalid_query",
                        format!("排序字段应为 {} 之一", keys.join("、")),
                    )
                })?
        };
        let dir = match asked.dir.as_deref().map(str::trim).unwrap_or_default() {
            "" => self.columns[index].first,
            "asc" => Dir::Asc,
            "desc" => Dir::Desc,
            _ => {
                return Err(AppError::bad_request(
                    "invalid_query",
                    "排序方向应为 asc（升序）或 desc（降序）",
                ));
            }
        };
        Ok(Sort {
            sorts: self,
            index,
            dir,
        })
    }

    /// The list's usual order.
    pub fn usual(&'static self) -> Sort<C> {
        Sort {
            sorts: self,
            index: 0,
            dir: self.columns[0].first,
        }
    }
}

/// The order a list is shown in.
#[derive(Clone, Copy)]
pub struct Sort<C: 'static> {
    sorts: &'static Sorts<C>,
    index: usize,
    dir: Dir,
}

impl<C: ColumnTrait + Copy> Sort<C> {
    pub fn key(&self) -> &'static str {
        self.sorts.columns[self.index].key
    }

    pub fn dir(&self) -> Dir {
        self.dir
    }

    /// Order `select` by the chosen column (empty values last either way), then the ties.
    pub fn apply<E: EntityTrait<Column = C>>(&self, select: Select<E>) -> Select<E> {
        let chosen = self.sorts.columns[self.index].column;
        let mut select = select.order_by_with_nulls(chosen, self.dir.order(), NullOrdering::Last);
        for (column, dir) in self.sorts.then {
            if column.as_str() != chosen.as_str() {
                select = select.order_by(*column, dir.order());
            }
        }
        select
    }

    /// Whether the list is in its usual order (nothing to carry in links).
    pub fn is_usual(&self) -> bool {
        self.index == 0 && self.dir == self.sorts.columns[0].first
    }

    /// A column header's link: this column, in the other direction when it is the current
    /// one, back to the first page; the filters in `query` are kept.
    pub fn href(&self, query: &str, key: &str) -> String {
        let dir = match self.sorts.columns.iter().position(|c| c.key == key) {
            Some(i) if i == self.index => self.dir.flip(),
            Some(i) => self.sorts.columns[i].first,
            None => Dir::Asc,
        };
        with_params(
            query,
            &["page", "sort", "dir"],
            &format!("sort={key}&dir={}", dir.code()),
        )
    }

    /// ▲ or ▼ after the current column's title.
    pub fn mark(&self, key: &str) -> &'static str {
        match (key == self.key(), self.dir) {
            (false, _) => "",
            (true, Dir::Asc) => "▲",
            (true, Dir::Desc) => "▼",
        }
    }

    /// The header's `aria-sort`.
    pub fn aria(&self, key: &str) -> &'static str {
        match (key == self.key(), self.dir) {
            (false, _) => "none",
            (true, Dir::Asc) => "ascending",
            (true, Dir::Desc) => "descending",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::entity::user::Column;

    static USERS: Sorts<Column> = Sorts {
        columns: &[
            SortColumn {
                key: "created_at",
                column: Column::CreatedAt,
                first: Dir::Desc,
            },
            SortColumn {
                key: "username",
                column: Column::Username,
                first: Dir::Asc,
            },
        ],
        then: &[(Column::CreatedAt, Dir::Desc), (Column::Id, Dir::Desc)],
    };

    fn asked(sort: &str, dir: &str) -> SortQuery {
        SortQuery {
            sort: Some(sort.to_string()).filter(|s| !s.is_empty()),
            dir: Some(dir.to_string()).filter(|d| !d.is_empty()),
        }
    }

    #[test]
    fn a_sort_is_picked_from_the_offered_columns() {
        let usual = USERS.pick(&SortQuery::default()).unwrap();
        assert_eq!((usual.key(), usual.dir()), ("created_at", Dir::Desc));
        assert!(usual.is_usual());
        let by_name = USERS.pick(&asked("username", "")).unwrap();
        assert_eq!((by_name.key(), by_name.dir()), ("username", Dir::Asc));
        let back = USERS.pick(&asked("username", "desc")).unwrap();
        assert_eq!(back.dir(), Dir::Desc);
        assert!(!back.is_usual());
        for (sort, dir) in [
            ("password_hash", ""),
            ("username", "up"),
            ("username;--", ""),
        ] {
            match USERS.pick(&asked(sort, dir)) {
                Err(AppError::BadRequest { code, .. }) => assert_eq!(code, "invalid_query"),
                other => panic!("{sort} {dir}: {:?}", other.map(|s| s.key())),
            }
        }
    }

    #[test]
    fn headers_link_to_the_other_direction_and_keep_the_filters() {
        let by_name = USERS.pick(&asked("username", "asc")).unwrap();
        let query = "q=%E5%BC%A0&page=3&sort=username&dir=asc";
        assert_eq!(
            by_name.href(query, "username"),
            "?q=%E5%BC%A0&sort=username&dir=desc"
        );
        assert_eq!(
            by_name.href(query, "created_at"),
            "?q=%E5%BC%A0&sort=created_at&dir=desc"
        );
        assert_eq!(by_name.mark("username"), "▲");
        assert_eq!(by_name.mark("created_at"), "");
        assert_eq!(by_name.aria("username"), "ascending");
        // Pages keep the sort.
        assert_eq!(
            page_link(query, 4),
            "?q=%E5%BC%A0&sort=username&dir=asc&page=4"
        );
        assert_eq!(page_link("", 2), "?page=2");
    }

    #[test]
    fn the_order_is_the_chosen_column_then_the_ties() {
        use sea_orm::{DbBackend, QueryTrait};
        let sql = |sort: Sort<Column>| {
            sort.apply(crate::auth::entity::user::Entity::find())
                .build(DbBackend::Postgres)
                .to_string()
        };
        let by_name = sql(USERS.pick(&asked("username", "desc")).unwrap());
        assert!(
            by_name.ends_with(
                r#"ORDER BY "users"."username" DESC NULLS LAST, "users"."created_at" DESC, "users"."id" DESC"#
            ),
            "{by_name}"
        );
        let usual = sql(USERS.usual());
        assert!(
            usual.ends_with(r#"ORDER BY "users"."created_at" DESC NULLS LAST, "users"."id" DESC"#),
            "{usual}"
        );
    }
}
