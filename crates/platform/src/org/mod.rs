//! 部门单位: the member units of the safety committee (安委会) and the flood-control and
//! forest-fire headquarters, with their liaisons, as each county records them.

pub mod api;
pub mod entity;
pub mod pages;
pub mod store;

/// Committees a department can be a member of.
pub const COMMITTEES: &[(&str, &str)] = &[
    ("safety", "安委会成员单位"),
    ("flood", "防汛抗旱指挥部成员单位"),
    ("fire", "森林防灭火指挥部成员单位"),
    ("disaster", "减灾委成员单位"),
];

pub fn committee_label(code: &str) -> &'static str {
    COMMITTEES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("其他")
}
