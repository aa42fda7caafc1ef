//! Micro-benchmarks of the hot pure functions: no database, no HTTP. Every input is seeded, so
//! each run measures the same work.
//!
//! - `grading`: accident grade, forest-fire grade and the level of an incoming CAP warning, each
//!   over 10,000 varied inputs.
//! - `hazard`: one hazard's whole lifecycle (general, and major with 五落实), a refused notice,
//!   `FiveInPlace::missing` and `is_overdue` over 10,000 hazards.
//! - `losses`: 报告时效 (`timeliness`) over 10,000 reports; a township's typed figures parsed
//!   (`parse_values`) and checked (`check_consistency`, `check_not_falling`) over 1,000 townships;
//!   their county total and its 直报 flag (`total`, `needs_direct_report`).
//! - `xlsx`: the hazard ledger's export (`xlsx::workbook` with its 18 columns) and import
//!   (`import::read_rows` of the template's 9 columns, then `hazard_from_row`) of 100,000 rows
//!   (5,000 in a debug build).
//! - `locate`: `AreaIndex::locate` of 10,000 points among 四川's 183 counties and among the demo
//!   county's approximate township areas; building the 183-county index.
//! - `checks`: 身份证号 (`relief::id_number::parse`) and 统一社会信用代码 (`CreditCode::parse`)
//!   over 10,000 each; a warning's CAP 1.2 XML written (`cap::to_xml`) and read (`cap::parse`).
//!
//! Run: `cargo bench -p yingji --bench micro` (one group: `cargo bench -p yingji --bench micro --
//! xlsx`). `cargo test -p yingji --bench micro` runs each once, as a check.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use disaster::losses::indicators;
use disaster::losses::model::{self as losses, Figures};
use fire::areas::index::{AreaIndex, Located};
use fire::areas::model::AreaLevel;
use fire::fires::model::fire_grade;
use platform::dicts::store::DictItem;
use platform::web::{import, xlsx};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use safety::accidents::model::{Casualties, grade};
use safety::credit_code::{CreditCode, CreditCodeError};
use safety::hazards::model::{
    FiveInPlace, Hazard, HazardGrade, HazardState, TransitionError, close, is_overdue,
    issue_notice, request_review, review, start_rectification,
};
use safety::units::entity::unit;
use uuid::Uuid;
use warning::cap::{self, Alert, Area, Category, Certainty, Info, Severity, Urgency, profile};

mod common;

const SEED: u64 = 20261130;
/// Inputs per batch of the cheap rules.
const BATCH: usize = 10_000;
/// Townships' loss figures per batch.
const TOWNSHIPS: usize = 1_000;
/// Rows of the XLSX export and import: 100,000 (5,000 in a debug build, which `cargo test`
/// runs once as a check).
const ROWS: usize = if cfg!(debug_assertions) {
    5_000
} else {
    100_000
};

fn rng() -> StdRng {
    StdRng::seed_from_u64(SEED)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

// ---------------------------------------------------------------------------------------------
// Grading

fn grading(c: &mut Criterion) {
    let mut rng = rng();
    // Most accidents are small; one in ten reaches the higher thresholds.
    let accidents: Vec<Casualties> = (0..BATCH)
        .map(|_| {
            let big = rng.random_bool(0.1);
            Casualties {
                deaths: rng.random_range(0..if big { 40 } else { 3 }),
                serious_injuries: rng.random_range(0..if big { 120 } else { 10 }),
                direct_loss_fen: rng
                    .random_range(0..if big { 15_000_000_000 } else { 500_000_000 }),
            }
        })
        .collect();
    let fires: Vec<(f64, i32, i32)> = (0..BATCH)
        .map(|_| {
            (
                // 0.01 ha to 2,000 ha, spread over the orders of magnitude.
                10f64.powf(rng.random_range(-2.0..3.3)),
                rng.random_range(0..35),
                rng.random_range(0..110),
            )
        })
        .collect();
    // Incoming CAP infos: the colour parameter in its spellings, or only a severity.
    let colours = [
        "红色", "橙色", "黄色", "蓝色", "红", "Orange", "yellow", "BLUE", "紫色",
    ];
    let severities = [
        Severity::Extreme,
        Severity::Severe,
        Severity::Moderate,
        Severity::Minor,
        Severity::Unknown,
        Severity::Red,
        Severity::Orange,
        Severity::Yellow,
        Severity::Blue,
    ];
    let infos: Vec<Info> = (0..BATCH)
        .map(|_| {
            let mut info = Info::new("暴雨预警", Category::Met);
            info.severity = *pick(&mut rng, &severities);
            if rng.random_bool(0.7) {
                info.parameters
                    .push(cap::ValuePair::new("预警颜色", *pick(&mut rng, &colours)));
            }
            info
        })
        .collect();

    // Every grade is reached, so no branch is left out.
    let reached = |grades: Vec<u32>| {
        grades
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    assert_eq!(
        reached(accidents.iter().map(|c| grade(*c) as u32).collect()),
        4
    );
    assert_eq!(
        reached(
            fires
                .iter()
                .map(|&(a, d, i)| fire_grade(a, d, i) as u32)
                .collect()
        ),
        4
    );
    assert_eq!(
        reached(
            infos
                .iter()
                .filter_map(profile::level_of)
                .map(u32::from)
                .collect()
        ),
        4
    );

    let mut g = c.benchmark_group("grading");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("accident_grade", |b| {
        b.iter(|| {
            black_box(&accidents)
                .iter()
                .map(|c| grade(*c) as u32)
                .sum::<u32>()
        })
    });
    g.bench_function("fire_grade", |b| {
        b.iter(|| {
            black_box(&fires)
                .iter()
                .map(|&(area, deaths, injured)| fire_grade(area, deaths, injured) as u32)
                .sum::<u32>()
        })
    });
    g.bench_function("warning_level_of_cap_info", |b| {
        b.iter(|| {
            black_box(&infos)
                .iter()
                .filter_map(profile::level_of)
                .map(u32::from)
                .sum::<u32>()
        })
    });
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Hazard lifecycle

fn complete_five() -> FiveInPlace {
    FiveInPlace {
        responsible: Some("厂长 张三".into()),
        measures: Some("更换防爆电气设备，增设可燃气体报警仪".into()),
        funds_fen: Some(5_000_000),
        deadline: Some(day(2026, 6, 30)),
        contingency: Some("停用该车间并设警戒，每日巡查".into()),
    }
}

/// Registration to 销号, with one failed review on the way.
fn lifecycle(
    grade: HazardGrade,
    five: &FiveInPlace,
    criterion: Option<&str>,
    deadline: NaiveDate,
) -> Result<HazardState, TransitionError> {
    let mut h = Hazard {
        state: HazardState::Registered,
        grade,
        discovered_on: day(2026, 6, 10),
        criterion,
        five_in_place: five,
    };
    h.state = issue_notice(&h, deadline)?;
    h.state = start_rectification(&h)?;
    h.state = request_review(&h, "已更换灭火器 12 具，附照片 3 张")?;
    h.state = review(&h, false, "2 号仓库灭火器压力仍不足")?;
    h.state = request_review(&h, "已全部更换，附照片 5 张")?;
    h.state = review(&h, true, "")?;
    close(&h)
}

fn hazard(c: &mut Criterion) {
    let none = FiveInPlace::default();
    let five = complete_five();
    let criterion = Some("工贸行业重大事故隐患判定标准 第四条第（一）项");
    let deadline = day(2026, 6, 30);
    assert_eq!(
        lifecycle(HazardGrade::Major, &five, criterion, deadline),
        Ok(HazardState::Closed)
    );

    let mut rng = rng();
    let fives: Vec<FiveInPlace> = (0..BATCH)
        .map(|_| {
            let text = |rng: &mut StdRng, s: &str| match rng.random_range(0..10) {
                0 => None,
                1 => Some("  ".to_string()),
                _ => Some(s.to_string()),
            };
            FiveInPlace {
                responsible: text(&mut rng, "安全员 李四"),
                measures: text(&mut rng, "清理安全出口堵塞货物"),
                funds_fen: match rng.random_range(0..10) {
                    0 => None,
                    1 => Some(-1),
                    _ => Some(rng.random_range(0..10_000_000)),
                },
                deadline: rng
                    .random_bool(0.9)
                    .then(|| day(2026, 1, 1) + Days::new(rng.random_range(0..365))),
                contingency: text(&mut rng, "设置警戒区，专人值守"),
            }
        })
        .collect();
    let states = [
        HazardState::Registered,
        HazardState::NoticeIssued,
        HazardState::Rectifying,
        HazardState::AwaitingReview,
        HazardState::ReviewPassed,
        HazardState::Closed,
    ];
    let open: Vec<(HazardState, Option<NaiveDate>)> = (0..BATCH)
        .map(|_| {
            (
                *pick(&mut rng, &states),
                rng.random_bool(0.9)
                    .then(|| day(2026, 1, 1) + Days::new(rng.random_range(0..365))),
            )
        })
        .collect();
    let today = day(2026, 7, 1);

    let mut g = c.benchmark_group("hazard");
    for (name, grade, in_place, standard) in [
        ("lifecycle_general", HazardGrade::General, &none, None),
        ("lifecycle_major", HazardGrade::Major, &five, criterion),
        (
            "notice_refused_five_missing",
            HazardGrade::Major,
            &none,
            criterion,
        ),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                lifecycle(
                    black_box(grade),
                    black_box(in_place),
                    black_box(standard),
                    black_box(deadline),
                )
            })
        });
    }
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("five_in_place_missing", |b| {
        b.iter(|| {
            black_box(&fives)
                .iter()
                .map(|f| f.missing().len())
                .sum::<usize>()
        })
    });
    g.bench_function("is_overdue", |b| {
        b.iter(|| {
            black_box(&open)
                .iter()
                .filter(|(state, deadline)| is_overdue(*state, *deadline, black_box(today)))
                .count()
        })
    });
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Loss reports

fn at(rng: &mut StdRng) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap()
        + chrono::Duration::minutes(rng.random_range(0..60 * 24 * 30))
}

/// A township's typed figures: every indicator, mostly consistent, some breaking a rule, a few
/// mistyped.
fn typed_figures(rng: &mut StdRng) -> BTreeMap<String, String> {
    indicators::ALL
        .iter()
        .filter_map(|ind| {
            if !rng.random_bool(0.8) {
                return None;
            }
            let value = rng.random_range(0..5_000i64);
            let text = match rng.random_range(0..50) {
                0 => "十二".to_string(),
                1 => String::new(),
                _ if ind.decimals > 0 => format!("{value}.{}", rng.random_range(0..10)),
                _ => value.to_string(),
            };
            Some((ind.code.to_string(), text))
        })
        .collect()
}

/// A report's deadline, when it was reported (if it was), and the time of asking.
type Report = (DateTime<Utc>, Option<DateTime<Utc>>, DateTime<Utc>);

fn losses(c: &mut Criterion) {
    let mut rng = rng();
    let reports: Vec<Report> = (0..BATCH)
        .map(|_| {
            let due = at(&mut rng);
            let reported = rng.random_bool(0.7).then(|| at(&mut rng));
            (due, reported, at(&mut rng))
        })
        .collect();
    let typed: Vec<BTreeMap<String, String>> =
        (0..TOWNSHIPS).map(|_| typed_figures(&mut rng)).collect();
    let figures: Vec<Figures> = typed
        .iter()
        .map(|t| losses::parse_values(t, &mut BTreeMap::new()))
        .collect();
    let previous: Vec<Figures> = figures
        .iter()
        .map(|f| {
            f.iter()
                .map(|(k, v)| (k.clone(), v + rng.random_range(-50..50)))
                .collect()
        })
        .collect();

    let mut g = c.benchmark_group("losses");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("timeliness", |b| {
        b.iter(|| {
            black_box(&reports)
                .iter()
                .filter(|(due, reported, now)| {
                    losses::timeliness(*due, *reported, *now) == losses::Timeliness::Late
                })
                .count()
        })
    });
    g.throughput(Throughput::Elements(TOWNSHIPS as u64));
    g.bench_function("parse_values", |b| {
        b.iter(|| {
            black_box(&typed)
                .iter()
                .map(|t| losses::parse_values(t, &mut BTreeMap::new()).len())
                .sum::<usize>()
        })
    });
    g.bench_function("check_consistency", |b| {
        b.iter(|| {
            black_box(&figures)
                .iter()
                .map(|f| {
                    let mut errors = BTreeMap::new();
                    losses::check_consistency(f, &mut errors);
                    errors.len()
                })
                .sum::<usize>()
        })
    });
    g.bench_function("check_not_falling", |b| {
        b.iter(|| {
            black_box(&figures)
                .iter()
                .zip(&previous)
                .map(|(f, p)| {
                    let mut errors = BTreeMap::new();
                    losses::check_not_falling(f, p, None, &mut errors);
                    errors.len()
                })
                .sum::<usize>()
        })
    });
    g.bench_function("needs_direct_report_of_total", |b| {
        b.iter(|| losses::needs_direct_report(&losses::total(black_box(&figures))))
    });
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// XLSX export and import of the hazard ledger

const TOWNSHIP_NAMES: [&str; 12] = [
    "潼川镇",
    "塔山镇",
    "龙树镇",
    "石安镇",
    "富顺镇",
    "三元镇",
    "秋林镇",
    "新德镇",
    "新生镇",
    "鲁班镇",
    "景福镇",
    "芦溪镇",
];

const SOURCE_LABELS: [&str; 4] = ["自查", "执法检查", "专家检查", "群众举报"];

/// The hazard categories as seeded (`hazard_category@2024`).
fn categories() -> Vec<DictItem> {
    include_str!("../../platform/seed/dicts/hazard_category@2024.csv")
        .lines()
        .skip(1)
        .enumerate()
        .filter_map(|(i, line)| {
            let mut cells = line.split(',');
            let (code, label) = (cells.next()?, cells.next()?);
            Some(DictItem {
                id: Uuid::from_u128(i as u128 + 1),
                dict_code: "hazard_category".into(),
                edition: "2024".into(),
                code: code.into(),
                label: label.into(),
                parent_code: cells.next().filter(|p| !p.is_empty()).map(str::to_string),
                sort: i as i32,
                enabled: true,
                version: 1,
                updated_at: Utc::now(),
            })
        })
        .collect()
}

fn label_of<'a>(categories: &'a [DictItem], code: &'a str) -> &'a str {
    categories
        .iter()
        .find(|c| c.code == code)
        .map_or(code, |c| c.label.as_str())
}

/// A valid 统一社会信用代码 from its first 17 characters (the check character from the parser's
/// own refusal).
fn credit_code(body: &str) -> String {
    match CreditCode::parse(&format!("{body}0")) {
        Ok(code) => code.as_str().to_string(),
        Err(CreditCodeError::CheckDigit(check)) => format!("{body}{check}"),
        Err(e) => panic!("{body}: {e}"),
    }
}

/// The demo county's 40 supervised units.
fn units() -> Vec<unit::Model> {
    let kinds = [
        "化工",
        "建材",
        "机械制造",
        "食品加工",
        "物流",
        "建筑工程",
        "烟花爆竹经营",
        "加油站",
    ];
    (0..40)
        .map(|i| {
            let now = Utc::now();
            unit::Model {
                id: Uuid::from_u128(1_000 + i as u128),
                region_code: format!("510722{:03}000", 101 + i % 12),
                version: 1,
                created_at: now,
                created_by: None,
                updated_at: now,
                updated_by: None,
                voided_at: None,
                void_reason: None,
                name: format!(
                    "三台县{}{}有限公司",
                    TOWNSHIP_NAMES[i % TOWNSHIP_NAMES.len()].trim_end_matches('镇'),
                    kinds[i % kinds.len()]
                ),
                credit_code: Some(credit_code(&format!("91510722MA6{i:06}"))),
                industry_code: "C26".into(),
                industry_edition: "2017".into(),
                address: Some("四川省绵阳市三台县".into()),
                latitude: None,
                longitude: None,
                legal_representative: Some("王五".into()),
                contact_name: Some("赵六".into()),
                contact_phone: Some("13800000000".into()),
                department_id: None,
                risk_level: Some("yellow".into()),
                status: "operating".into(),
                note: None,
            }
        })
        .collect()
}

/// The export's 18 cells of `ROWS` hazards.
fn export_rows(
    rng: &mut StdRng,
    units: &[unit::Model],
    categories: &[DictItem],
) -> Vec<Vec<String>> {
    let states = [
        "登记",
        "已下达整改",
        "整改中",
        "待复查",
        "复查通过",
        "已销号",
    ];
    (0..ROWS)
        .map(|n| {
            let (category, description, location) = *pick(rng, safety::hazards::DEMO_FINDINGS);
            let unit = pick(rng, units);
            let major = rng.random_bool(0.05);
            let discovered = day(2026, 1, 1) + Days::new(rng.random_range(0..300));
            let state = rng.random_range(0..states.len());
            let deadline = (state > 0).then(|| discovered + Days::new(rng.random_range(7..60)));
            let closed = (state == 5).then(|| discovered + Days::new(rng.random_range(10..90)));
            let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            vec![
                format!("YH2026-{:04}", n + 1),
                unit.name.clone(),
                TOWNSHIP_NAMES[n % TOWNSHIP_NAMES.len()].to_string(),
                if major {
                    format!("{description}（构成重大事故隐患）")
                } else {
                    description.to_string()
                },
                label_of(categories, category).to_string(),
                if major {
                    "重大隐患"
                } else {
                    "一般隐患"
                }
                .to_string(),
                if major {
                    "工贸行业重大事故隐患判定标准 第四条第（一）项".to_string()
                } else {
                    String::new()
                },
                discovered.to_string(),
                pick(rng, &SOURCE_LABELS).to_string(),
                location.to_string(),
                states[state].to_string(),
                date(deadline),
                if matches!(state, 1 | 2) && rng.random_bool(0.2) {
                    "逾期"
                } else {
                    ""
                }
                .to_string(),
                "安全员 李四".to_string(),
                format!("{}.00", rng.random_range(0..50_000)),
                date(closed),
                if major { "县级挂牌督办" } else { "" }.to_string(),
                String::new(),
            ]
        })
        .collect()
}

/// The import template's 9 cells of `ROWS` hazards: units by name or credit code, labels as
/// people type them, a few rows left for the checks to refuse.
fn import_rows(
    rng: &mut StdRng,
    units: &[unit::Model],
    categories: &[DictItem],
) -> Vec<Vec<String>> {
    (0..ROWS)
        .map(|_| {
            let (category, description, location) = *pick(rng, safety::hazards::DEMO_FINDINGS);
            let unit = pick(rng, units);
            let major = rng.random_bool(0.05);
            vec![
                if rng.random_bool(0.3) {
                    unit.credit_code.clone().unwrap_or_default().to_lowercase()
                } else if rng.random_bool(0.01) {
                    "不存在的单位".to_string()
                } else {
                    unit.name.clone()
                },
                description.to_string(),
                if rng.random_bool(0.5) {
                    label_of(categories, category).to_string()
                } else {
                    category.to_string()
                },
                if major { "重大" } else { "一般" }.to_string(),
                (day(2026, 1, 1) + Days::new(rng.random_range(0..300))).to_string(),
                pick(rng, &SOURCE_LABELS).to_string(),
                location.to_string(),
                if major {
                    "工贸行业重大事故隐患判定标准"
                } else {
                    ""
                }
                .to_string(),
                if major {
                    "第四条第（一）项"
                } else {
                    ""
                }
                .to_string(),
            ]
        })
        .collect()
}

fn xlsx_rows(c: &mut Criterion) {
    use safety::hazards::{import::HEADERS, import::hazard_from_row, pages::EXPORT_HEADERS};

    let mut rng = rng();
    let units = units();
    let categories = categories();
    let exported = export_rows(&mut rng, &units, &categories);
    let template = import_rows(&mut rng, &units, &categories);
    let bytes = xlsx::workbook("事故隐患", &HEADERS, &template).expect("template workbook");
    let read = import::read_rows(&bytes, HEADERS.len()).expect("rows");
    assert_eq!(read.len(), ROWS);
    let matched = read
        .iter()
        .filter(|(_, cells)| {
            hazard_from_row(cells, &units, &categories)
                .unit_id
                .is_some()
        })
        .count();
    assert!(
        matched > ROWS * 9 / 10,
        "{matched} of {ROWS} rows name a unit"
    );

    let mut g = c.benchmark_group("xlsx");
    // Seconds per iteration: ten samples of equal iterations (flat), not 1 + 2 + … + 10.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("hazard_export", |b| {
        b.iter(|| {
            xlsx::workbook("事故隐患", &EXPORT_HEADERS, black_box(&exported))
                .expect("export")
                .len()
        })
    });
    g.bench_function("hazard_import_read_rows", |b| {
        b.iter(|| {
            import::read_rows(black_box(&bytes), HEADERS.len())
                .expect("rows")
                .len()
        })
    });
    g.bench_function("hazard_import_read_and_parse", |b| {
        b.iter(|| {
            import::read_rows(black_box(&bytes), HEADERS.len())
                .expect("rows")
                .iter()
                .filter(|(_, cells)| {
                    hazard_from_row(cells, &units, &categories)
                        .unit_id
                        .is_some()
                })
                .count()
        })
    });
    g.bench_function("hazard_from_row", |b| {
        b.iter(|| {
            black_box(&read)
                .iter()
                .filter(|(_, cells)| {
                    hazard_from_row(cells, &units, &categories)
                        .unit_id
                        .is_some()
                })
                .count()
        })
    });
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Locating points

fn points_in(
    rng: &mut StdRng,
    (west, south, east, north): (f64, f64, f64, f64),
) -> Vec<(f64, f64)> {
    (0..BATCH)
        .map(|_| (rng.random_range(west..east), rng.random_range(south..north)))
        .collect()
}

fn inside(index: &AreaIndex, points: &[(f64, f64)]) -> usize {
    points
        .iter()
        .filter(|&&(lon, lat)| matches!(index.locate(lon, lat), Located::Township(_)))
        .count()
}

fn locate(c: &mut Criterion) {
    let counties = common::sichuan_counties().expect("四川's county outlines");
    let province_box = common::bounding_box(&counties);
    let mut rng = rng();
    let province_points = points_in(&mut rng, province_box);
    let province = AreaIndex::new(None, counties.clone());

    // The demo county (三台县): its outline and approximate township cells.
    let mut outline = None;
    let mut townships = Vec::new();
    for area in fire::areas::demo::demo_areas() {
        match area.level {
            AreaLevel::County => outline = Some(area.shape),
            _ => townships.push((area.region_code, area.shape)),
        }
    }
    let outline = outline.expect("the demo county's outline");
    let county_box = common::bounding_box(&[(String::new(), outline.clone())]);
    let county_points = points_in(&mut rng, county_box);
    let county = AreaIndex::new(Some(outline), townships);

    // Roughly half the province's box and more of the county's fall in an area.
    for (index, points) in [(&province, &province_points), (&county, &county_points)] {
        let n = inside(index, points);
        assert!(n > BATCH / 4 && n < BATCH, "{n} of {BATCH} points inside");
    }

    let mut g = c.benchmark_group("locate");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("sichuan_183_counties", |b| {
        b.iter(|| inside(&province, black_box(&province_points)))
    });
    g.bench_function("santai_townships", |b| {
        b.iter(|| inside(&county, black_box(&county_points)))
    });
    g.throughput(Throughput::Elements(counties.len() as u64));
    g.bench_function("build_183_counties", |b| {
        b.iter_batched(
            || counties.clone(),
            |areas| AreaIndex::new(None, areas).len(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Identity checks and CAP

/// 10,000 typed ID numbers: most valid, some with a wrong check character, a bad birth date, a
/// lower-case x or spaces around.
fn id_numbers(rng: &mut StdRng) -> Vec<String> {
    use disaster::relief::id_number::check_char;
    (0..BATCH)
        .map(|_| {
            let born = day(1930, 1, 1) + Days::new(rng.random_range(0..30_000));
            let first17 = format!(
                "510722{}{:03}",
                born.format("%Y%m%d"),
                rng.random_range(0..1000)
            );
            let check = check_char(first17.as_bytes());
            match rng.random_range(0..20) {
                0 => format!("{first17}{}", if check == '0' { '1' } else { '0' }),
                1 => format!("51072219991399{:03}1", rng.random_range(0..1000)),
                2 => format!("  {first17}{} ", check.to_ascii_lowercase()),
                _ => format!("{first17}{check}"),
            }
        })
        .collect()
}

fn credit_codes(rng: &mut StdRng) -> Vec<String> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    (0..BATCH)
        .map(|_| {
            let tail: String = (0..9)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect();
            let code = credit_code(&format!("91510722{tail}"));
            match rng.random_range(0..20) {
                0 => format!("{}0", &code[..17]),
                1 => code[..16].to_string(),
                2 => format!(" {} ", code.to_lowercase()),
                _ => code,
            }
        })
        .collect()
}

/// A red rainstorm warning to four townships with a polygon, as `cap_map::to_alert` builds it.
fn alert() -> Alert {
    let bj = profile::beijing();
    let issued = bj.with_ymd_and_hms(2026, 7, 12, 16, 30, 0).unwrap();
    let id = profile::identifier("510722", "001", "000", "00", issued, 0).expect("identifier");
    let mut alert = Alert::new(id, "510722001000", issued);
    alert.note = Some("三应急预〔2026〕17号".into());
    let mut info = Info::new("暴雨预警", Category::Met);
    info.urgency = Urgency::Expected;
    info.certainty = Certainty::Likely;
    profile::set_level(&mut info, 1).expect("level");
    info.effective = Some(issued);
    info.onset = Some(issued);
    info.expires = Some(issued + chrono::Duration::hours(24));
    info.sender_name = Some("县应急管理局（值班员 张三）".into());
    info.headline = Some("三台县应急管理局发布暴雨红色预警".into());
    info.description = Some(
        "预计未来 6 小时内，潼川镇、塔山镇、龙树镇、石安镇降雨量将达 100 毫米以上，\
         山洪、滑坡、泥石流等次生灾害风险极高。"
            .repeat(3),
    );
    info.instruction = Some(
        "立即转移危险区域群众；停止户外作业和集体活动；各乡镇落实叫应机制，24 小时值守。".into(),
    );
    let mut area = Area::new("潼川镇、塔山镇、龙树镇、石安镇");
    for code in ["510722101", "510722104", "510722106", "510722107"] {
        area.geocodes.push(profile::division_geocode(code));
    }
    area.polygons.push(
        (0..40)
            .map(|i| {
                let a = f64::from(i) * std::f64::consts::TAU / 40.0;
                (31.1 + 0.15 * a.sin(), 105.1 + 0.2 * a.cos())
            })
            .collect(),
    );
    info.areas.push(area);
    alert.infos.push(info);
    alert
}

fn checks(c: &mut Criterion) {
    let mut rng = rng();
    let ids = id_numbers(&mut rng);
    let codes = credit_codes(&mut rng);
    let alert = alert();
    let xml = cap::to_xml(&alert).expect("CAP XML");
    assert_eq!(
        cap::parse(&xml).expect("reads back").identifier,
        alert.identifier
    );

    // Most are valid; the rest are refused for each of the reasons.
    let valid = ids
        .iter()
        .filter(|id| disaster::relief::id_number::parse(id).is_ok())
        .count();
    assert!(
        valid > BATCH * 3 / 4 && valid < BATCH,
        "{valid} valid ID numbers"
    );
    let valid = codes
        .iter()
        .filter(|code| CreditCode::parse(code).is_ok())
        .count();
    assert!(
        valid > BATCH * 3 / 4 && valid < BATCH,
        "{valid} valid credit codes"
    );

    let mut g = c.benchmark_group("checks");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("id_number_parse", |b| {
        b.iter(|| {
            black_box(&ids)
                .iter()
                .filter(|id| disaster::relief::id_number::parse(id).is_ok())
                .count()
        })
    });
    g.bench_function("credit_code_parse", |b| {
        b.iter(|| {
            black_box(&codes)
                .iter()
                .filter(|code| CreditCode::parse(code).is_ok())
                .count()
        })
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("cap_to_xml", |b| {
        b.iter(|| cap::to_xml(black_box(&alert)).expect("CAP XML").len())
    });
    g.throughput(Throughput::Bytes(xml.len() as u64));
    g.bench_function("cap_parse", |b| {
        b.iter(|| cap::parse(black_box(&xml)).expect("CAP").infos.len())
    });
    g.finish();
}

fn quick() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = quick();
    targets = grading, hazard, losses, locate, checks, xlsx_rows
}
criterion_main!(benches);
