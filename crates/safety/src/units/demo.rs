//! Demo supervised units of 三台县 (about forty, over several townships), with licences some of
//! which have expired or expire soon.

use chrono::Duration;
use platform::access::{Actor, Role};
use platform::web::AppState;
use uuid::Uuid;

use super::store::{self, LicenceInput, UnitInput};
use crate::credit_code::with_check;

/// (name, industry, township code, risk, status, licence kind)
type DemoUnit = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);

const UNITS: &[DemoUnit] = &[
    (
        "三台县潼川化工贸易有限公司",
        "hazchem_trading",
        "510722101",
        Some("orange"),
        "operating",
        Some("危险化学品经营许可证"),
    ),
    (
        "三台县涪江石化储运有限公司",
        "hazchem_storage",
        "510722101",
        Some("red"),
        "operating",
        Some("危险化学品经营许可证"),
    ),
    (
        "中国石化三台潼川加油站",
        "fuel_station",
        "510722101",
        Some("yellow"),
        "operating",
        Some("危险化学品经营许可证"),
    ),
    (
        "三台县城东燃气有限公司",
        "gas_supply",
        "510722101",
        Some("orange"),
        "operating",
        Some("燃气经营许可证"),
    ),
    (
        "三台县福寿园养老服务中心",
        "elderly_care",
        "510722101",
        Some("yellow"),
        "operating",
        None,
    ),
    (
        "潼川镇北坝社区电动自行车集中充电点",
        "ebike_charging",
        "510722101",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "三台县鑫源游泳健身馆",
        "swimming_fitness",
        "510722101",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "三台县欢乐谷游乐场",
        "amusement",
        "510722101",
        Some("yellow"),
        "suspended",
        None,
    ),
    (
        "三台县烟花爆竹专营有限公司",
        "fireworks_wholesale",
        "510722101",
        Some("red"),
        "operating",
        Some("烟花爆竹经营（批发）许可证"),
    ),
    (
        "潼川镇东街烟花爆竹零售点",
        "fireworks_retail",
        "510722101",
        Some("yellow"),
        "operating",
        Some("烟花爆竹经营（零售）许可证"),
    ),
    (
        "三台县塔山页岩砖厂",
        "shale_brick",
        "510722104",
        Some("orange"),
        "operating",
        Some("采矿许可证"),
    ),
    (
        "三台县塔山石料开采有限公司",
        "open_pit_mine",
        "510722104",
        Some("red"),
        "operating",
        Some("安全生产许可证"),
    ),
    (
        "塔山镇场镇烟花爆竹零售点",
        "fireworks_retail",
        "510722104",
        Some("yellow"),
        "operating",
        Some("烟花爆竹经营（零售）许可证"),
    ),
    (
        "塔山镇豆腐加工小作坊",
        "small_workshop",
        "510722104",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "三台县塔山敬老院",
        "elderly_care",
        "510722104",
        Some("yellow"),
        "operating",
        None,
    ),
    (
        "三台县龙树机械制造有限公司",
        "machinery",
        "510722106",
        Some("yellow"),
        "operating",
        None,
    ),
    (
        "龙树镇液化气供应站",
        "gas_supply",
        "510722106",
        Some("orange"),
        "operating",
        Some("燃气经营许可证"),
    ),
    (
        "三台县龙树建材有限公司",
        "building_materials",
        "510722106",
        Some("blue"),
        "suspended",
        None,
    ),
    (
        "三台县石安纺织有限公司",
        "textile",
        "510722107",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "三台县石安粮油加工厂",
        "light_industry",
        "510722107",
        Some("yellow"),
        "operating",
        None,
    ),
    (
        "三台县石安页岩砖厂",
        "shale_brick",
        "510722107",
        Some("orange"),
        "closed",
        Some("采矿许可证"),
    ),
    (
        "三台县富顺冶金铸造有限公司",
        "metallurgy",
        "510722108",
        Some("orange"),
        "operating",
        None,
    ),
    (
        "富顺镇加油站",
        "fuel_station",
        "510722108",
        Some("yellow"),
        "operating",
        Some("危险化学品经营许可证"),
    ),
    (
        "富顺镇农家酿酒小作坊",
        "small_workshop",
        "510722108",
        None,
        "operating",
        None,
    ),
    (
        "三台县三元尾矿库管理站",
        "tailings_pond",
        "510722109",
        Some("red"),
        "operating",
        Some("安全生产许可证"),
    ),
    (
        "三台县三元商贸有限公司",
        "commerce",
        "510722109",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "三台县秋林污水处理厂",
        "confined_space",
        "510722110",
        Some("orange"),
        "operating",
        None,
    ),
    (
        "秋林镇烟花爆竹零售点",
        "fireworks_retail",
        "510722110",
        Some("yellow"),
        "operating",
        Some("烟花爆竹经营（零售）许可证"),
    ),
    (
        "三台县新德有色金属加工厂",
        "nonferrous",
        "510722112",
        Some("orange"),
        "operating",
        None,
    ),
    (
        "三台县新德农用化学品经营部",
        "hazchem_trading",
        "510722112",
        Some("yellow"),
        "operating",
        Some("危险化学品经营许可证"),
    ),
    (
        "三台县鲁班地下矿业有限公司",
        "underground_mine",
        "510722114",
        Some("red"),
        "suspended",
        Some("安全生产许可证"),
    ),
    (
        "三台县鲁班水泥制品厂",
        "building_materials",
        "510722114",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "三台县景福酒业有限公司",
        "light_industry",
        "510722115",
        Some("yellow"),
        "operating",
        None,
    ),
    (
        "景福镇天然气用户（景福中学食堂）",
        "gas_user",
        "510722115",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "三台县观桥化工有限公司",
        "hazchem_production",
        "510722118",
        Some("red"),
        "operating",
        Some("安全生产许可证"),
    ),
    (
        "观桥镇颐养中心",
        "elderly_care",
        "510722118",
        Some("yellow"),
        "operating",
        None,
    ),
    (
        "三台县郪江古镇游乐园",
        "amusement",
        "510722119",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "郪江镇烟花爆竹零售点",
        "fireworks_retail",
        "510722119",
        Some("yellow"),
        "operating",
        Some("烟花爆竹经营（零售）许可证"),
    ),
    (
        "三台县古井烟草站",
        "tobacco",
        "510722121",
        Some("blue"),
        "operating",
        None,
    ),
    (
        "三台县芦溪页岩砖厂",
        "shale_brick",
        "510722137",
        Some("orange"),
        "operating",
        Some("采矿许可证"),
    ),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: &[&str] = &[
    "建国", "明", "志强", "秀英", "海燕", "军", "红梅", "伟", "德华", "小平",
];

fn township_name(code: &str) -> &'static str {
    match code {
        "510722101" => "潼川镇北坝路",
        "510722104" => "塔山镇场镇",
        "510722106" => "龙树镇工业园",
        "510722107" => "石安镇场镇",
        "510722108" => "富顺镇场镇",
        "510722109" => "三元镇场镇",
        "510722110" => "秋林镇场镇",
        "510722112" => "新德镇场镇",
        "510722114" => "鲁班镇场镇",
        "510722115" => "景福镇场镇",
        "510722118" => "观桥镇场镇",
        "510722119" => "郪江镇古镇街",
        "510722121" => "古井镇场镇",
        _ => "芦溪镇场镇",
    }
}

/// Load the demo units. Call once, after the platform demo (regions, departments, dicts).
pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    let actor = Actor {
        user_id: Uuid::nil(),
        username: "demo".to_string(),
        display_name: "演示数据".to_string(),
        region_code: "510722000000".to_string(),
        region_name: "三台县".to_string(),
        roles: vec![Role::SafetyStaff],
        department_id: None,
        must_change_password: false,
        ip: None,
        csrf_token: None,
    };
    let scope = actor.scope();
    let departments = platform::org::store::all(&state.db, &scope).await?;
    let department = |name: &str| {
        departments
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.id.to_string())
    };
    let today = store::today(state);
    for (i, (name, industry, township, risk, status, licence)) in UNITS.iter().enumerate() {
        let credit_code = if *industry == "small_workshop" || industry.starts_with("ebike") {
            None
        } else {
            with_check(&format!("91510722MA6{:06}", 310_000 + i * 137)).map(|c| c.to_string())
        };
        let supervisor = match *industry {
            i if i.starts_with("hazchem")
                || i.starts_with("fireworks")
                || i.contains("mine")
                || i == "tailings_pond"
                || i == "fuel_station" =>
            {
                department("县应急管理局")
            }
            "gas_supply" | "gas_user" => department("县住房和城乡建设局"),
            "elderly_care" => department("县民政局"),
            "swimming_fitness" | "amusement" => department("县文化广播电视和旅游局"),
            _ => department("县经济和信息化局"),
        };
        let person = |n: usize| {
            format!(
                "{}{}",
                SURNAMES[(i + n) % SURNAMES.len()],
                GIVEN[(i * 3 + n) % GIVEN.len()]
            )
        };
        let input = UnitInput {
            name: name.to_string(),
            credit_code,
            industry_code: industry.to_string(),
            region_code: format!("{township}000"),
            address: Some(format!("三台县{}{}号", township_name(township), 10 + i * 7)),
            latitude: Some(format!("{:.4}", 31.09 + (i as f64 % 7.0) * 0.031)),
            longitude: Some(format!("{:.4}", 105.09 + (i as f64 % 5.0) * 0.027)),
            legal_representative: Some(person(0)),
            contact_name: Some(person(1)),
            contact_phone: Some(format!("139{:08}", 8160_0000 + i * 3571)),
            department_id: supervisor,
            risk_level: risk.map(str::to_string),
            status: Some(status.to_string()),
            note: Some("演示数据".to_string()),
            version: None,
        };
        let unit = store::create(state, &actor, &input).await?;
        if let Some(kind) = licence {
            // Every fourth expired, every fourth after that expiring within the month.
            let expires = match i % 4 {
                0 => today - Duration::days(12 + i as i64),
                1 => today + Duration::days(9 + i as i64 % 20),
                _ => today + Duration::days(400 + i as i64 * 11),
            };
            let season = kind
                .contains("零售")
                .then(|| format!("{}年春节", expires.format("%Y")));
            let licence = LicenceInput {
                kind: kind.to_string(),
                number: format!("（川绵）{}-{:04}", 2024 + i % 3, 100 + i * 13),
                valid_from: Some((expires - Duration::days(3 * 365)).to_string()),
                expires_on: expires.to_string(),
                season,
            };
            store::add_licence(state, &actor, unit.id, &licence).await?;
        }
    }
    Ok(())
}
