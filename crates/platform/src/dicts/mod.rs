//! 数据字典: the code tables business records are classified by (accident types, industries,
//! disaster types, hazard categories), each in editions (GB 6441-1986 vs -2025), seeded from the
//! files in `seed/dicts/` and maintained by the system administrator.

pub mod api;
pub mod entity;
pub mod model;
pub mod pages;
pub mod store;
