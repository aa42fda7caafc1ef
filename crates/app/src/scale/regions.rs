//! The counties a scale covers: the demo county with its real townships, and for a city or the
//! province the other counties from the national list with generated townships (no public list
//! of every township's code is carried; the demo county's are real).

use platform::access::Scope;
use platform::audit::Who;
use platform::regions::import::{CountyHeader, apply, parse_county_lists};
use platform::web::AppState;

use super::Scale;
use crate::demo::COUNTY;

/// `code,name` of 四川省's 183 county-level divisions (from `shared/data/sichuan-counties.geojson`).
const COUNTIES: &str = include_str!("../../seed/sichuan-counties.csv");

/// 四川省's 21 cities and prefectures, for the region tree above the generated counties.
const CITIES: &[(&str, &str)] = &[
    ("5101", "成都市"),
    ("5103", "自贡市"),
    ("5104", "攀枝花市"),
    ("5105", "泸州市"),
    ("5106", "德阳市"),
    ("5107", "绵阳市"),
    ("5108", "广元市"),
    ("5109", "遂宁市"),
    ("5110", "内江市"),
    ("5111", "乐山市"),
    ("5113", "南充市"),
    ("5114", "眉山市"),
    ("5115", "宜宾市"),
    ("5116", "广安市"),
    ("5117", "达州市"),
    ("5118", "雅安市"),
    ("5119", "巴中市"),
    ("5120", "资阳市"),
    ("5132", "阿坝藏族羌族自治州"),
    ("5133", "甘孜藏族自治州"),
    ("5134", "凉山彝族自治州"),
];

/// Common township names; a generated county takes the first 15–30.
const TOWNSHIP_NAMES: &[&str] = &[
    "城关镇",
    "新华镇",
    "永安镇",
    "太平镇",
    "龙泉镇",
    "金桥镇",
    "石桥镇",
    "白马镇",
    "青龙镇",
    "黄桷镇",
    "花园镇",
    "新店镇",
    "观音镇",
    "三合镇",
    "双河镇",
    "高石镇",
    "清平镇",
    "和平镇",
    "长乐镇",
    "兴隆镇",
    "古井镇",
    "安宁镇",
    "白鹤镇",
    "天池镇",
    "东岳镇",
    "凤凰镇",
    "玉河镇",
    "复兴镇",
    "万福镇",
    "红岩镇",
];

/// A county to fill: its 6-digit code, name and townships' 12-digit codes.
#[derive(Clone, Debug)]
pub struct GeneratedCounty {
    pub code: String,
    pub name: String,
    pub townships: Vec<String>,
}

/// The counties of `scale`, their regions loaded where they are missing.
pub async fn load(state: &AppState, scale: Scale) -> anyhow::Result<Vec<GeneratedCounty>> {
    let prefix = match scale {
        Scale::County => &COUNTY[..6],
        Scale::City => &COUNTY[..4],
        Scale::Province => &COUNTY[..2],
    };
    let mut counties = Vec::new();
    for (code, name) in COUNTIES.lines().skip(1).filter_map(|l| l.split_once(',')) {
        if !code.starts_with(prefix) {
            continue;
        }
        let full = format!("{code}000000");
        let mut townships = townships_of(state, &full).await?;
        if townships.is_empty() {
            add_county(state, code, name).await?;
            townships = townships_of(state, &full).await?;
        }
        counties.push(GeneratedCounty {
            code: code.to_string(),
            name: name.to_string(),
            townships,
        });
    }
    Ok(counties)
}

async fn townships_of(state: &AppState, county: &str) -> anyhow::Result<Vec<String>> {
    if platform::regions::store::find(&state.db, county)
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let children =
        platform::regions::store::children(&state.db, &Scope::of(county), county).await?;
    Ok(children.into_iter().map(|r| r.code).collect())
}

/// A county of the national list with 15–30 generated townships (镇, codes 1NN).
async fn add_county(state: &AppState, code: &str, name: &str) -> anyhow::Result<()> {
    let city = CITIES
        .iter()
        .find(|(c, _)| code.starts_with(c))
        .map_or("未知市", |(_, n)| n);
    let header = CountyHeader {
        province: ("510000000000".into(), "四川省".into()),
        city: (format!("{}00000000", &code[..4]), city.to_string()),
        county: (format!("{code}000000"), name.to_string()),
    };
    let count = 15 + code.bytes().map(usize::from).sum::<usize>() % 16;
    let mut townships = String::from("code,name\n");
    for (i, township) in TOWNSHIP_NAMES.iter().take(count).enumerate() {
        townships.push_str(&format!("{code}{:03},{township}\n", 101 + i));
    }
    let rows = parse_county_lists(&header, townships.as_bytes(), b"code,name,townshipCode\n")
        .map_err(|e| anyhow::anyhow!("generated regions of {name} are invalid: {:?}", e.first()))?;
    let who = Who {
        id: None,
        name: "规模数据",
        ip: None,
    };
    apply(&state.db, &header, &rows, 2023, who, state.now()).await?;
    Ok(())
}
