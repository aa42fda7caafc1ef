//! 监管对象: the units under work-safety supervision (危化, 非煤矿山, 烟花爆竹, 工贸, 燃气, 养老机构,
//! 小作坊 …), each in a township, with its licences and their expiry.

pub mod api;
mod demo;
pub mod entity;
pub mod model;
pub mod pages;
pub mod store;

pub use demo::load_demo;
