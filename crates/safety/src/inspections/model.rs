//! The rules of campaigns and inspections, free of the database: campaign states from dates,
//! who may inspect (two enforcement officers), the checklists per industry group and how a
//! filled checklist agrees with the result.

use chrono::NaiveDate;

/// 专项行动的类型.
pub const CAMPAIGN_KINDS: &[(&str, &str)] = &[
    ("rectification", "专项整治"),
    ("enforcement", "专项执法"),
    ("holiday", "节前检查"),
    ("supervision", "督查暗访"),
    ("publicity", "宣传月活动"),
];

/// 检查类型: three of a supervised unit, two tours of a township or department.
pub const INSPECTION_KINDS: &[(&str, &str)] = &[
    ("enforcement", "执法检查"),
    ("routine", "日常检查"),
    ("expert", "专家检查"),
    ("supervision", "督查"),
    ("covert", "暗访"),
];

/// 检查结果.
pub const RESULTS: &[(&str, &str)] = &[
    ("none", "无问题"),
    ("hazards_found", "发现隐患"),
    ("suspended", "责令停产整顿"),
    ("transferred", "移交执法"),
];

/// 检查项结论.
pub const ANSWERS: &[(&str, &str)] = &[
    ("conform", "符合"),
    ("nonconform", "不符合"),
    ("na", "不适用"),
];

/// Administrative enforcement is done by at least two officers holding enforcement
/// certificates (《行政处罚法》第四十二条, 《安全生产法》第六十六条 practice); other inspections
/// need one named inspector.
pub const ENFORCEMENT_MIN_INSPECTORS: usize = 2;

/// The kinds that are supervision tours (督查, 暗访) rather than inspections of a unit.
pub const TOUR_KINDS: &[&str] = &["supervision", "covert"];

pub fn is_tour(kind: &str) -> bool {
    TOUR_KINDS.contains(&kind)
}

pub fn is_inspection_kind(kind: &str) -> bool {
    INSPECTION_KINDS.iter().any(|(c, _)| *c == kind)
}

/// 未开始 / 进行中 / 已结束, from the period and today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignState {
    Upcoming,
    Active,
    Ended,
}

impl CampaignState {
    pub fn of(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate) -> Self {
        if today < starts_on {
            Self::Upcoming
        } else if today > ends_on {
            Self::Ended
        } else {
            Self::Active
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Upcoming => "未开始",
            Self::Active => "进行中",
            Self::Ended => "已结束",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Self::Upcoming => "blue",
            Self::Active => "green",
            Self::Ended => "",
        }
    }
}

pub const CAMPAIGN_STATES: &[(&str, &str)] = &[
    ("upcoming", "未开始"),
    ("active", "进行中"),
    ("ended", "已结束"),
];

/// A campaign's period: the end not before the start, at most two years long.
pub fn check_period(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), &'static str> {
    if ends_on < starts_on {
        Err("结束日期不能早于开始日期")
    } else if (ends_on - starts_on).num_days() > 731 {
        Err("专项行动的期限不超过两年")
    } else {
        Ok(())
    }
}

/// An inspection's date: not in the future, and inside its campaign's period when it has one.
pub fn check_inspection_date(
    on: NaiveDate,
    today: NaiveDate,
    campaign: Option<(NaiveDate, NaiveDate)>,
) -> Result<(), String> {
    if on > today {
        return Err("检查日期不能晚于今天".to_string());
    }
    match campaign {
        Some((from, to)) if on < from || on > to => Err(format!(
            "检查日期不在所选专项行动的期限内（{from} 至 {to}）"
        )),
        _ => Ok(()),
    }
}

/// Names typed in one field, separated by 、，, ; or spaces.
pub fn split_names(text: &str) -> Vec<String> {
    text.split(['、', '，', ',', '；', ';', ' ', '　', '\n', '\r', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Who inspected: at least one name, two for enforcement, an expert for an expert check.
pub fn check_people(
    kind: &str,
    inspectors: &[String],
    experts: &[String],
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if inspectors.is_empty() {
        problems.push(("inspectors", "请填写检查人员".to_string()));
    } else if kind == "enforcement" && inspectors.len() < ENFORCEMENT_MIN_INSPECTORS {
        problems.push((
            "inspectors",
            format!("执法检查须由不少于 {ENFORCEMENT_MIN_INSPECTORS} 名执法人员进行"),
        ));
    }
    if inspectors
        .iter()
        .chain(experts)
        .any(|n| n.chars().count() > 20)
    {
        problems.push(("inspectors", "每个姓名不超过 20 个字".to_string()));
    }
    if kind == "expert" && experts.is_empty() {
        problems.push(("experts", "专家检查请填写受邀专家".to_string()));
    }
    problems
}

/// One item of a checklist.
#[derive(Clone, Copy, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChecklistItem {
    pub code: &'static str,
    pub label: &'static str,
}

/// A checklist for an industry group.
#[derive(Clone, Copy, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Checklist {
    pub group: &'static str,
    pub label: &'static str,
    pub items: &'static [ChecklistItem],
}

const fn item(code: &'static str, label: &'static str) -> ChecklistItem {
    ChecklistItem { code, label }
}

/// The fixed checklists. Items follow the common on-site check lists of the sector rules; the
/// codes are kept in filled checklists, so an item's code never changes meaning.
pub const CHECKLISTS: &[Checklist] = &[
    Checklist {
        group: "hazchem",
        label: "危险化学品",
        items: &[
            item(
                "hc01",
                "安全生产许可证（经营许可证）在有效期内，经营范围相符",
            ),
            item("hc02", "安全管理机构设置和专职安全管理人员配备"),
            item("hc03", "主要负责人和安全管理人员考核合格"),
            item("hc04", "特种作业人员持证上岗"),
            item("hc05", "重大危险源辨识、登记建档和监测监控"),
            item("hc06", "储存场所分区分类分库存放，禁忌物料隔离"),
            item("hc07", "可燃有毒气体检测报警装置完好并定期检定"),
            item("hc08", "动火、受限空间等特殊作业审批"),
            item("hc09", "应急预案备案及演练，应急物资配备"),
        ],
    },
    Checklist {
        group: "mining",
        label: "非煤矿山",
        items: &[
            item("mn01", "采矿许可证、安全生产许可证有效"),
            item("mn02", "矿长、技术负责人及专业技术人员配备"),
            item("mn03", "按设计分台阶开采，台阶高度、坡面角符合设计"),
            item("mn04", "边坡监测和排土场管理"),
            item("mn05", "爆破作业审批、警戒和民爆物品管理"),
            item("mn06", "特种作业人员持证上岗"),
            item("mn07", "汛期防排水措施落实"),
            item("mn08", "应急预案及演练，应急救援队伍协议"),
        ],
    },
    Checklist {
        group: "fireworks",
        label: "烟花爆竹",
        items: &[
            item("fw01", "烟花爆竹经营（批发/零售）许可证有效"),
            item("fw02", "仓库（专柜）与居民点、学校安全距离符合要求"),
            item("fw03", "库存量不超过核定限量"),
            item("fw04", "产品来源合法，无非法、超标产品"),
            item("fw05", "防火、防雷、防静电设施完好"),
            item("fw06", "安全警示标志和消防器材配备"),
            item("fw07", "从业人员经安全培训"),
        ],
    },
    Checklist {
        group: "industry_trade",
        label: "工贸行业",
        items: &[
            item("it01", "全员安全生产责任制建立并落实"),
            item("it02", "安全管理机构和人员配备"),
            item("it03", "特种作业人员持证上岗"),
            item("it04", "粉尘涉爆场所除尘系统和防爆电气"),
            item("it05", "有限空间作业审批、检测和监护"),
            item("it06", "设备设施防护装置齐全有效"),
            item("it07", "涉氨制冷、金属熔融等重点部位管控"),
            item("it08", "隐患排查治理台账建立"),
            item("it09", "应急预案及演练"),
        ],
    },
    Checklist {
        group: "crowded",
        label: "人员密集场所",
        items: &[
            item("cr01", "消防安全责任人、管理人明确"),
            item("cr02", "疏散通道、安全出口畅通，应急照明和疏散指示完好"),
            item("cr03", "消防设施器材完好有效"),
            item("cr04", "电气线路规范，无私拉乱接"),
            item("cr05", "电动自行车不在室内、楼道停放充电"),
            item("cr06", "燃气使用场所安装可燃气体报警装置"),
            item("cr07", "员工消防安全培训和每日防火巡查"),
            item("cr08", "应急预案及疏散演练"),
        ],
    },
    Checklist {
        group: "general",
        label: "通用",
        items: &[
            item("gn01", "安全生产责任制和规章制度建立"),
            item("gn02", "安全管理机构和人员配备"),
            item("gn03", "从业人员安全教育培训"),
            item("gn04", "特种作业人员持证上岗"),
            item("gn05", "隐患自查自改和台账"),
            item("gn06", "安全警示标志设置"),
            item("gn07", "应急预案及演练"),
        ],
    },
];

pub fn checklist(group: &str) -> Option<&'static Checklist> {
    CHECKLISTS.iter().find(|c| c.group == group)
}

/// The checklist group for a unit's industry (a code of `unit_industry`, or its parent).
pub fn group_for_industry(code: &str, parent: Option<&str>) -> &'static str {
    let of = |c: &str| match c {
        "hazchem" | "hazchem_production" | "hazchem_storage" | "hazchem_trading"
        | "fuel_station" | "gas" | "gas_supply" => Some("hazchem"),
        "mining" | "open_pit_mine" | "underground_mine" | "tailings_pond" | "shale_brick" => {
            Some("mining")
        }
        "fireworks" | "fireworks_wholesale" | "fireworks_retail" => Some("fireworks"),
        "industry_trade" | "metallurgy" | "nonferrous" | "building_materials" | "machinery"
        | "light_industry" | "textile" | "tobacco" | "commerce" | "small_workshop"
        | "confined_space" => Some("industry_trade"),
        "elderly_care" | "ebike_charging" | "swimming_fitness" | "amusement" | "gas_user" => {
            Some("crowded")
        }
        _ => None,
    };
    of(code)
        .or_else(|| parent.and_then(of))
        .unwrap_or("general")
}

/// One answered item as stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Answer {
    /// The item code, e.g. `hc04`.
    pub item: String,
    /// conform | nonconform | na
    pub answer: String,
    #[serde(default)]
    pub note: String,
}

/// Check a filled checklist against its group: every item answered once with a known answer,
/// a note for each nonconformity. Returns the answers in the checklist's order, or the problem.
pub fn check_answers(group: &str, answers: &[Answer]) -> Result<Vec<Answer>, String> {
    let list = checklist(group).ok_or_else(|| "请选择检查表".to_string())?;
    if let Some(a) = answers
        .iter()
        .find(|a| !list.items.iter().any(|i| i.code == a.item))
    {
        return Err(format!("检查项 {} 不属于{}检查表", a.item, list.label));
    }
    let mut ordered = Vec::with_capacity(list.items.len());
    for (n, i) in list.items.iter().enumerate() {
        let mine: Vec<&Answer> = answers.iter().filter(|a| a.item == i.code).collect();
        let Some(a) = mine.first() else {
            return Err(format!("第 {} 项“{}”未作结论", n + 1, i.label));
        };
        if mine.len() > 1 {
            return Err(format!("第 {} 项重复填写", n + 1));
        }
        if !ANSWERS.iter().any(|(c, _)| *c == a.answer) {
            return Err(format!("第 {} 项的结论应为符合、不符合或不适用", n + 1));
        }
        let note = a.note.trim();
        if note.chars().count() > 200 {
            return Err(format!("第 {} 项的说明不超过 200 个字", n + 1));
        }
        if a.answer == "nonconform" && note.is_empty() {
            return Err(format!("第 {} 项“{}”不符合，请写明问题", n + 1, i.label));
        }
        ordered.push(Answer {
            item: a.item.clone(),
            answer: a.answer.clone(),
            note: note.to_string(),
        });
    }
    Ok(ordered)
}

/// A result of 无问题 cannot stand beside a nonconforming item or a recorded problem.
pub fn check_result(
    result: &str,
    nonconforming: usize,
    problems: usize,
) -> Result<(), &'static str> {
    if !RESULTS.iter().any(|(c, _)| *c == result) {
        return Err("请选择检查结果");
    }
    if result == "none" && (nonconforming > 0 || problems > 0) {
        return Err("检查表有不符合项或记录了问题，结果不能为“无问题”");
    }
    Ok(())
}

/// The label of an item code in any checklist.
pub fn item_label(code: &str) -> &'static str {
    CHECKLISTS
        .iter()
        .flat_map(|c| c.items.iter())
        .find(|i| i.code == code)
        .map(|i| i.label)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn all(group: &str, answer: &str) -> Vec<Answer> {
        checklist(group)
            .unwrap()
            .items
            .iter()
            .map(|i| Answer {
                item: i.code.to_string(),
                answer: answer.to_string(),
                note: String::new(),
            })
            .collect()
    }

    #[test]
    fn a_campaign_is_upcoming_active_then_ended_including_both_ends() {
        let (from, to) = (d("2026-06-01"), d("2026-06-30"));
        assert_eq!(
            CampaignState::of(from, to, d("2026-05-31")),
            CampaignState::Upcoming
        );
        assert_eq!(CampaignState::of(from, to, from), CampaignState::Active);
        assert_eq!(CampaignState::of(from, to, to), CampaignState::Active);
        assert_eq!(
            CampaignState::of(from, to, d("2026-07-01")),
            CampaignState::Ended
        );
        assert!(check_period(to, from).is_err());
        assert!(check_period(from, from).is_ok());
        assert!(check_period(from, d("2029-01-01")).is_err());
    }

    #[test]
    fn an_inspection_falls_inside_its_campaign_and_not_in_the_future() {
        let today = d("2026-06-15");
        let period = Some((d("2026-06-01"), d("2026-06-30")));
        assert!(check_inspection_date(d("2026-06-01"), today, period).is_ok());
        assert!(check_inspection_date(d("2026-05-31"), today, period).is_err());
        assert!(check_inspection_date(d("2026-06-16"), today, None).is_err());
        assert!(check_inspection_date(d("2025-01-01"), today, None).is_ok());
    }

    #[test]
    fn enforcement_needs_two_inspectors_and_an_expert_check_an_expert() {
        let one = split_names("张伟");
        let two = split_names("张伟、李娜");
        assert_eq!(two, vec!["张伟".to_string(), "李娜".to_string()]);
        assert_eq!(check_people("enforcement", &one, &[]).len(), 1);
        assert!(check_people("enforcement", &two, &[]).is_empty());
        assert!(check_people("routine", &one, &[]).is_empty());
        assert_eq!(check_people("routine", &[], &[])[0].0, "inspectors");
        assert_eq!(check_people("expert", &one, &[])[0].0, "experts");
        assert!(check_people("expert", &one, &split_names("王工")).is_empty());
    }

    #[test]
    fn every_checklist_has_six_to_ten_unique_items() {
        let mut codes = std::collections::HashSet::new();
        for c in CHECKLISTS {
            assert!((6..=10).contains(&c.items.len()), "{}", c.label);
            for i in c.items {
                assert!(codes.insert(i.code), "duplicate {}", i.code);
            }
        }
    }

    #[test]
    fn industries_map_to_their_checklists() {
        assert_eq!(
            group_for_industry("fuel_station", Some("hazchem")),
            "hazchem"
        );
        assert_eq!(group_for_industry("shale_brick", None), "mining");
        assert_eq!(
            group_for_industry("fireworks_retail", Some("fireworks")),
            "fireworks"
        );
        assert_eq!(
            group_for_industry("machinery", Some("industry_trade")),
            "industry_trade"
        );
        assert_eq!(group_for_industry("elderly_care", None), "crowded");
        assert_eq!(group_for_industry("other", None), "general");
    }

    #[test]
    fn a_checklist_is_answered_completely_and_nonconformities_explained() {
        assert_eq!(
            check_answers("general", &all("general", "conform"))
                .unwrap()
                .len(),
            7
        );
        let mut missing = all("general", "conform");
        missing.pop();
        assert!(
            check_answers("general", &missing)
                .unwrap_err()
                .contains("第 7 项")
        );
        let mut unexplained = all("general", "conform");
        unexplained[2].answer = "nonconform".into();
        assert!(
            check_answers("general", &unexplained)
                .unwrap_err()
                .contains("请写明问题")
        );
        unexplained[2].note = "3 名新员工未培训".into();
        assert!(check_answers("general", &unexplained).is_ok());
        let foreign = all("hazchem", "na");
        assert!(check_answers("general", &foreign).is_err());
        assert!(check_answers("nothing", &[]).is_err());
    }

    #[test]
    fn no_problems_cannot_stand_beside_a_nonconformity() {
        assert!(check_result("none", 0, 0).is_ok());
        assert!(check_result("none", 1, 0).is_err());
        assert!(check_result("none", 0, 2).is_err());
        assert!(check_result("hazards_found", 1, 0).is_ok());
        assert!(check_result("whatever", 0, 0).is_err());
    }
}
