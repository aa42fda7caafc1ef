//! Relief rules without the database: programme kinds, the roll's states and who moves them,
//! a household's checks, payment methods, and the paid totals with person-times (救助人次).

use std::collections::{BTreeMap, HashSet};

use platform::error::FieldErrors;
use serde::Serialize;
use uuid::Uuid;

use super::id_number;
use crate::access::Level;

/// 救助项目类别.
pub const KINDS: &[(&str, &str)] = &[
    ("emergency", "应急救助"),
    ("transitional", "过渡期生活救助"),
    ("housing", "倒损住房恢复重建"),
    ("winter_spring", "冬春临时生活困难救助"),
    ("drought", "因旱生活救助"),
];

/// 发放方式.
pub const METHODS: &[(&str, &str)] = &[
    ("social_card", "社保卡"),
    ("bank", "银行代发"),
    ("cash", "现金"),
];

/// A roll's state: 村级填报 → 村级公示 → 乡镇审核 → 县级审批.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RollState {
    /// 村级填报 (also after a return).
    Draft,
    /// 村级公示: posted on the notice board, awaiting the township.
    Posted,
    /// 乡镇审核通过, awaiting the county.
    Checked,
    /// 县级审批通过: households may be paid; changes only by correction.
    Approved,
}

impl RollState {
    pub const ALL: [RollState; 4] = [Self::Draft, Self::Posted, Self::Checked, Self::Approved];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Posted => "posted",
            Self::Checked => "checked",
            Self::Approved => "approved",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "村级填报",
            Self::Posted => "村级公示",
            Self::Checked => "乡镇审核通过",
            Self::Approved => "县级审批通过",
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Self::Draft => "gray",
            Self::Posted => "orange",
            Self::Checked => "blue",
            Self::Approved => "green",
        }
    }
}

/// A step along the roll's way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The village (or its township) posts the roll for public review.
    Post,
    /// The township checks it.
    TownshipApprove,
    /// The county approves it.
    CountyApprove,
    /// Township or county sends it back to the village with a reason.
    Return,
}

/// The state after `step`, or why the actor may not take it now.
pub fn next_state(state: RollState, step: Step, level: Level) -> Result<RollState, &'static str> {
    use RollState::*;
    match (step, state) {
        (Step::Post, Draft) if level >= Level::Township => Ok(Posted),
        (Step::Post, _) => Err("只有村级填报中的名册可以公示"),
        (Step::TownshipApprove, Posted) if level == Level::Township => Ok(Checked),
        (Step::TownshipApprove, Posted) => Err("名册由乡镇（街道）审核"),
        (Step::TownshipApprove, _) => Err("只有公示中的名册可以乡镇审核"),
        (Step::CountyApprove, Checked) if level == Level::County => Ok(Approved),
        (Step::CountyApprove, Checked) => Err("名册由县级审批"),
        (Step::CountyApprove, _) => Err("只有乡镇审核通过的名册可以县级审批"),
        (Step::Return, Posted) if level == Level::Township => Ok(Draft),
        (Step::Return, Checked) if level == Level::County => Ok(Draft),
        (Step::Return, Posted | Checked) => Err("只有当前审核的一级可以退回名册"),
        (Step::Return, _) => Err("只有公示或审核中的名册可以退回"),
    }
}

/// Households change freely only while the village fills the roll in.
pub fn edit_refusal(state: RollState) -> Option<&'static str> {
    match state {
        RollState::Draft => None,
        RollState::Posted | RollState::Checked => {
            Some("名册已公示或在审核中，不能修改；如需修改请由乡镇或县级退回")
        }
        RollState::Approved => Some("名册已审批，不能直接修改；请填写更正原因，通过更正记录修改"),
    }
}

/// A household as typed, before checks.
#[derive(Clone, Debug, Default)]
pub struct HouseholdText<'a> {
    pub head_name: &'a str,
    pub id_number: &'a str,
    pub size: Option<&'a str>,
    pub bank_account: &'a str,
    pub phone: Option<&'a str>,
    pub reason: &'a str,
    pub amount_yuan: Option<&'a str>,
}

/// A checked household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckedHousehold {
    pub head_name: String,
    pub id_number: String,
    pub size: i32,
    pub bank_account: String,
    pub phone: Option<String>,
    pub reason: String,
    pub amount_fen: i64,
}

/// Yuan as typed ("1200", "1200.5") to fen, exactly (no floating point).
pub fn yuan_to_fen(text: &str) -> Option<i64> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || whole.len() > 10 || frac.len() > 2 {
        return None;
    }
    if !whole
        .bytes()
        .chain(frac.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(whole.parse::<i64>().ok()? * 100 + frac)
}

/// Check one household against the programme's per-household cap (fen).
pub fn check_household(
    input: &HouseholdText<'_>,
    cap_fen: Option<i64>,
) -> Result<CheckedHousehold, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, message: String| {
        errors.insert(field.to_string(), message);
    };
    let head_name = input.head_name.trim();
    if head_name.is_empty() || head_name.chars().count() > 50 {
        fail("head_name", "请填写户主姓名（50 字以内）".into());
    }
    let id = id_number::parse(input.id_number).map_err(|e| e.message());
    if let Err(m) = &id {
        fail("id_number", m.clone());
    }
    let size = input
        .size
        .map(str::trim)
        .and_then(|s| s.parse::<i32>().ok());
    if !size.is_some_and(|n| (1..=99).contains(&n)) {
        fail("size", "家庭人口应为 1–99 的整数".into());
    }
    let account: String = input
        .bank_account
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !(8..=30).contains(&account.len()) || !account.bytes().all(|b| b.is_ascii_digit()) {
        fail(
            "bank_account",
            "银行账号（社保卡号）应为 8–30 位数字".into(),
        );
    }
    let phone = input.phone.map(str::trim).filter(|p| !p.is_empty());
    if !platform::web::form::valid_phone(&phone.map(str::to_string)) {
        fail("phone", "联系电话应为 5–20 位数字或连字符".into());
    }
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > 100 {
        fail(
            "reason",
            "请填写救助原因（如 因灾房屋倒塌、因灾缺衣少被，100 字以内）".into(),
        );
    }
    let amount = input.amount_yuan.and_then(yuan_to_fen);
    match (amount, cap_fen) {
        (None, _) | (Some(0), _) => fail(
            "amount",
            "请填写救助金额（元，大于 0，最多两位小数）".into(),
        ),
        (Some(a), Some(cap)) if a > cap => fail(
            "amount",
            format!(
                "救助金额超过本项目每户上限 {} 元",
                platform::web::form::fen_as_yuan(cap)
            ),
        ),
        _ => {}
    }
    match (id, size, amount) {
        (Ok(id_number), Some(size), Some(amount_fen)) if errors.is_empty() => {
            Ok(CheckedHousehold {
                head_name: head_name.to_string(),
                id_number,
                size,
                bank_account: account,
                phone: phone.map(str::to_string),
                reason: reason.to_string(),
                amount_fen,
            })
        }
        _ => Err(errors),
    }
}

/// One payment, as the totals see it.
#[derive(Clone, Debug)]
pub struct PaidItem {
    pub programme_id: Uuid,
    pub township: String,
    pub household_id: Uuid,
    pub household_size: i32,
    pub amount_fen: i64,
}

/// Paid money and people helped for one programme and township.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PaidTotal {
    pub programme_id: Uuid,
    /// Township code (12 digits).
    pub township: String,
    pub paid_fen: i64,
    /// Households paid at least once.
    pub households: i64,
    /// 救助人次: people in the households paid, each household counted once per programme.
    pub person_times: i64,
}

/// Totals by programme and township; a household paid in several instalments counts once.
pub fn tally(items: &[PaidItem]) -> Vec<PaidTotal> {
    let mut totals: BTreeMap<(Uuid, String), PaidTotal> = BTreeMap::new();
    let mut seen: HashSet<(Uuid, Uuid)> = HashSet::new();
    for item in items {
        let total = totals
            .entry((item.programme_id, item.township.clone()))
            .or_insert_with(|| PaidTotal {
                programme_id: item.programme_id,
                township: item.township.clone(),
                ..PaidTotal::default()
            });
        total.paid_fen += item.amount_fen;
        if seen.insert((item.programme_id, item.household_id)) {
            total.households += 1;
            total.person_times += i64::from(item.household_size);
        }
    }
    totals.into_values().collect()
}

/// The sum over townships (a programme's or the county's figure).
pub fn sum(totals: &[PaidTotal]) -> PaidTotal {
    totals.iter().fold(PaidTotal::default(), |mut acc, t| {
        acc.paid_fen += t.paid_fen;
        acc.households += t.households;
        acc.person_times += t.person_times;
        acc
    })
}

/// Fen as 万元 with two decimals, as the county reports it (1031.18万元).
pub fn wan_yuan(fen: i64) -> String {
    // 1 万元 = 1,000,000 fen; round half up to the hundredth.
    let hundredths = (fen + 5_000) / 10_000;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good<'a>() -> HouseholdText<'a> {
        HouseholdText {
            head_name: "张三",
            id_number: "11010519491231002X",
            size: Some("4"),
            bank_account: "6228 4804 0256 4890",
            phone: None,
            reason: "因灾缺衣少被",
            amount_yuan: Some("1200"),
        }
    }

    #[test]
    fn a_good_household_passes_and_is_normalised() {
        let h = check_household(&good(), Some(150_000)).unwrap();
        assert_eq!(h.amount_fen, 120_000);
        assert_eq!(h.bank_account, "6228480402564890");
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = HouseholdText {
            head_name: " ",
            id_number: "110105194912310021",
            size: Some("0"),
            bank_account: "12ab",
            phone: Some("call me"),
            reason: "",
            amount_yuan: Some("2000"),
        };
        let errors = check_household(&bad, Some(150_000)).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "amount",
                "bank_account",
                "head_name",
                "id_number",
                "phone",
                "reason",
                "size"
            ]
        );
        assert!(errors["amount"].contains("1500.00"), "{}", errors["amount"]);
        assert!(errors["id_number"].contains("X"));
    }

    #[test]
    fn yuan_are_read_exactly() {
        assert_eq!(yuan_to_fen("1200"), Some(120_000));
        assert_eq!(yuan_to_fen("0.1"), Some(10));
        assert_eq!(yuan_to_fen("12.345"), None);
        assert_eq!(yuan_to_fen("-5"), None);
    }

    #[test]
    fn the_way_of_a_roll() {
        use RollState::*;
        assert_eq!(next_state(Draft, Step::Post, Level::Village), Ok(Posted));
        assert!(next_state(Posted, Step::TownshipApprove, Level::Village).is_err());
        assert_eq!(
            next_state(Posted, Step::TownshipApprove, Level::Township),
            Ok(Checked)
        );
        assert!(next_state(Checked, Step::CountyApprove, Level::Township).is_err());
        assert_eq!(
            next_state(Checked, Step::CountyApprove, Level::County),
            Ok(Approved)
        );
        assert_eq!(next_state(Checked, Step::Return, Level::County), Ok(Draft));
        assert!(next_state(Approved, Step::Return, Level::County).is_err());
        assert!(edit_refusal(Approved).unwrap().contains("更正"));
    }

    /// The seed report's figure, 1031.18万元 and 62358人次, from household records: 20,786
    /// households of three people, one of them paid in two instalments (counted once).
    #[test]
    fn the_seed_figure_is_reproducible_from_records() {
        let programme = Uuid::now_v7();
        let households = 20_786_i64;
        let total_fen = 1_031_180_000_i64;
        let mut items = Vec::new();
        for i in 0..households {
            let share = total_fen / households + i64::from(i < total_fen % households);
            let household_id = Uuid::from_u128(i as u128 + 1);
            let township = format!("510722{:03}000", 101 + i % 33);
            let split = if i == 0 {
                vec![share / 2, share - share / 2]
            } else {
                vec![share]
            };
            for amount_fen in split {
                items.push(PaidItem {
                    programme_id: programme,
                    township: township.clone(),
                    household_id,
                    household_size: 3,
                    amount_fen,
                });
            }
        }
        let totals = tally(&items);
        assert_eq!(totals.len(), 33);
        let county = sum(&totals);
        assert_eq!(county.paid_fen, total_fen);
        assert_eq!(wan_yuan(county.paid_fen), "1031.18");
        assert_eq!(county.person_times, 62_358);
        assert_eq!(county.households, households);
    }
}
