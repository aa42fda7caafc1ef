//! 指挥部: the county's headquarters (防汛抗旱指挥部, 森林草原防灭火指挥部, 安全生产委员会,
//! 减灾委员会) per year — commander, deputies and member units with their liaisons and duties —
//! copied from the year before and exported as the annual notice's 成员单位及联络员 table.

pub mod api;
pub mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;
