//! 用户管理: accounts, their roles and region, lock/unlock and password resets, under the
//! separation of duties — business accounts belong to the system administrator, administrator
//! accounts and account security to the security administrator.

pub mod api;
pub mod pages;
pub mod store;
