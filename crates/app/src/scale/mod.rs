//! `yingji demo --scale county|city|province --years N`: seeded, reproducible ledgers at the size
//! of a real county, city or province, for the performance harness (`scripts/bench.sh`) and
//! anyone who wants to see Yingji full. On top of the demo county: more supervised units, years
//! of inspections and hazards with their histories (audit rows) and notifications; a city or a
//! province adds its other counties (名称 from the national list, townships generated).
//!
//! Rows go straight into the tables in batches: the audited path is for people, and a province
//! of twenty million rows through it would take a day. What a person would see is the same:
//! the same columns, states that follow the lifecycle, audit rows for every step.

mod regions;
mod safety;

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use platform::web::AppState;
use rand::SeedableRng;
use rand::rngs::StdRng;

pub use regions::GeneratedCounty;

use crate::demo::DemoAccount;

/// How much to generate: the demo county alone, its city, or the whole province.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// 三台县 alone.
    County,
    /// 绵阳市: its 9 counties.
    City,
    /// 四川省: its 183 counties.
    Province,
}

/// Rows per county and year (the units once per county). A county of 2,000 supervised units
/// over five years: 50,000 inspections, 100,000 hazards.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    pub units: usize,
    pub inspections_per_year: usize,
    pub hazards_per_year: usize,
}

impl Sizes {
    pub const COUNTY: Sizes = Sizes {
        units: 2_000,
        inspections_per_year: 10_000,
        hazards_per_year: 20_000,
    };

    /// Smaller figures with the same shape (the test suite's smoke run).
    pub fn divided_by(self, n: usize) -> Sizes {
        Sizes {
            units: (self.units / n).max(1),
            inspections_per_year: (self.inspections_per_year / n).max(1),
            hazards_per_year: (self.hazards_per_year / n).max(1),
        }
    }
}

/// What a run wrote.
#[derive(Clone, Debug, Default)]
pub struct Written {
    pub counties: usize,
    pub units: u64,
    pub inspections: u64,
    pub hazards: u64,
    pub audit_rows: u64,
    pub messages: u64,
    pub seconds: f64,
}

impl Written {
    pub fn rows(&self) -> u64 {
        self.units + self.inspections + self.hazards + self.audit_rows + self.messages
    }

    pub fn rows_per_second(&self) -> f64 {
        self.rows() as f64 / self.seconds.max(0.001)
    }
}

/// Generate `years` of ledgers for every county of `scale`, ending today. The demo county must
/// be loaded (its accounts act in the audit rows). Same seed, same data.
pub async fn generate(
    state: &AppState,
    scale: Scale,
    years: u32,
    seed: u64,
    sizes: Sizes,
    progress: bool,
) -> anyhow::Result<Written> {
    let started = Instant::now();
    let counties = regions::load(state, scale).await?;
    let per_county = (sizes.units
        + years as usize * (sizes.inspections_per_year + sizes.hazards_per_year * 5))
        as u64;
    let bar = progress_bar(per_county * counties.len() as u64, progress);
    let mut written = Written {
        counties: counties.len(),
        ..Default::default()
    };
    for (i, county) in counties.iter().enumerate() {
        let mut rng = StdRng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        bar.set_message(county.name.clone());
        safety::county(state, county, years, sizes, &mut rng, &mut written, &bar).await?;
    }
    bar.finish_and_clear();
    written.seconds = started.elapsed().as_secs_f64();
    Ok(written)
}

fn progress_bar(total: u64, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg:8} [{bar:40}] {human_pos}/{human_len} 行 {per_sec} 剩余 {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// The run in one line for the terminal.
pub fn summary(w: &Written) -> String {
    format!(
        "已生成 {} 个县：监管对象 {}，检查 {}，隐患 {}，审计记录 {}，通知 {}；共 {} 行，用时 {:.1} 秒，{:.0} 行/秒",
        w.counties,
        w.units,
        w.inspections,
        w.hazards,
        w.audit_rows,
        w.messages,
        w.rows(),
        w.seconds,
        w.rows_per_second()
    )
}

/// A leader of the city or the province, to read the figures of every county generated.
pub async fn accounts(
    state: &AppState,
    scale: Scale,
    password_for: impl Fn(&str) -> String,
) -> anyhow::Result<Vec<DemoAccount>> {
    use platform::access::{Actor, Role};
    use platform::users::store::{self as users, UserInput};
    let plan: &[(&'static str, &'static str, &str)] = match scale {
        Scale::County => &[],
        Scale::City => &[("shi", "绵阳市应急管理局", "510700000000")],
        Scale::Province => &[
            ("shi", "绵阳市应急管理局", "510700000000"),
            ("sheng", "四川省应急管理厅", "510000000000"),
        ],
    };
    let mut made = Vec::new();
    for (username, display_name, region) in plan {
        let password = password_for(username);
        let input = UserInput {
            username: username.to_string(),
            display_name: display_name.to_string(),
            region_code: region.to_string(),
            roles: vec![Role::Leader.code().to_string()],
            password: Some(password.clone()),
            enabled: Some(true),
            ..Default::default()
        };
        let (user, _) = users::create(state, &Actor::command_line(), &input).await?;
        users::mark_password_changed(&state.db, user.id).await?;
        made.push(DemoAccount {
            username,
            display_name,
            role: Role::Leader,
            region_code: region.to_string(),
            password,
        });
    }
    Ok(made)
}
