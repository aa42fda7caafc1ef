//! Pagination shared by every list page and API: `?page=&per_page=`, answered with totals.

use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, Select};
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

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

/// The query string for another page of the same filtered list.
pub fn page_link(query: &str, page: u64) -> String {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("page="))
        .collect();
    if kept.is_empty() {
        format!("?page={page}")
    } else {
        format!("?{}&page={page}", kept.join("&"))
    }
}
