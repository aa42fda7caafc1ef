//! The demo county, 三台县 (Santai, 绵阳市, 四川省): its 33 townships and 462 villages from the
//! 2023 statistics release, typical member departments, one account per role, and each area's
//! demo ledgers (generated, marked 演示数据). Demo only: the accounts' passwords are generated and
//! printed once.

use platform::access::{Actor, Role};
use platform::audit::Who;
use platform::regions::import::{CountyHeader, apply, parse_county_lists};
use platform::users::store::{self as users, UserInput};
use platform::web::AppState;
use sea_orm::{EntityTrait, PaginatorTrait};

const TOWNSHIPS: &[u8] = include_bytes!("../../platform/seed/510722-townships.csv");
const VILLAGES: &[u8] = include_bytes!("../../platform/seed/510722-villages.csv");

pub const COUNTY: &str = "510722000000";
/// 潼川镇, the county seat.
pub const SEAT_TOWN: &str = "510722101000";
/// 塔山镇, a second township for showing data scope.
pub const OTHER_TOWN: &str = "510722104000";

fn header() -> CountyHeader {
    CountyHeader {
        province: ("510000000000".into(), "四川省".into()),
        city: ("510700000000".into(), "绵阳市".into()),
        county: (COUNTY.into(), "三台县".into()),
    }
}

/// An account the demo creates, with the password to print.
pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub region_code: String,
    pub password: String,
}

/// True when no account exists yet (`serve --demo` loads the demo only then).
pub async fn is_empty(db: &sea_orm::DatabaseConnection) -> anyhow::Result<bool> {
    Ok(platform::auth::entity::user::Entity::find()
        .count(db)
        .await?
        == 0)
}

/// The county's regions, without accounts: what a real deployment of 三台县 would load.
pub async fn load_regions(state: &AppState) -> anyhow::Result<usize> {
    let rows = parse_county_lists(&header(), TOWNSHIPS, VILLAGES)
        .map_err(|errors| anyhow::anyhow!("demo region files are invalid: {:?}", errors.first()))?;
    let who = Who {
        id: None,
        name: "演示数据",
        ip: None,
    };
    Ok(apply(&state.db, &header(), &rows, 2023, who, state.now()).await?)
}

const DEPARTMENTS: &[(&str, &[&str])] = &[
    ("县应急管理局", &["safety", "flood", "fire", "disaster"]),
    ("县公安局", &["safety", "flood", "fire"]),
    ("县消防救援大队", &["safety", "flood", "fire"]),
    ("县住房和城乡建设局", &["safety", "flood"]),
    ("县交通运输局", &["safety", "flood"]),
    ("县经济和信息化局", &["safety"]),
    ("县市场监督管理局", &["safety"]),
    ("县自然资源局", &["flood", "disaster"]),
    ("县水利局", &["flood", "disaster"]),
    ("县林业局", &["fire"]),
    ("县气象局", &["flood", "fire", "disaster"]),
    ("县教育和体育局", &["safety"]),
    ("县民政局", &["safety", "disaster"]),
    ("县卫生健康局", &["safety", "disaster"]),
    ("县农业农村局", &["flood", "disaster"]),
    ("县文化广播电视和旅游局", &["safety"]),
];

async fn load_departments(
    state: &AppState,
    actor: &Actor,
) -> anyhow::Result<Vec<(String, uuid::Uuid)>> {
    let mut made = Vec::new();
    for (i, (name, committees)) in DEPARTMENTS.iter().enumerate() {
        let input = platform::org::store::DepartmentInput {
            name: name.to_string(),
            region_code: COUNTY.to_string(),
            committees: committees.iter().map(|c| c.to_string()).collect(),
            liaison_name: Some(format!(
                "{}联络员",
                name.trim_start_matches('县')
                    .chars()
                    .take(2)
                    .collect::<String>()
            )),
            liaison_phone: Some(format!("0816-54{:05}", 10000 + i * 37)),
            duty_phone: Some(format!("0816-52{:05}", 20000 + i * 41)),
            sort: Some(i as i32),
            version: None,
        };
        let dept = platform::org::store::create(state, actor, &input).await?;
        made.push((dept.name, dept.id));
    }
    Ok(made)
}

/// The county: regions, departments, and one account per role. `password_for` chooses each
/// account's password (generated for `yingji demo`, fixed in tests). Tests start from this and
/// add the ledgers they need.
pub async fn load_county(
    state: &AppState,
    password_for: impl Fn(&str) -> String,
) -> anyhow::Result<Vec<DemoAccount>> {
    load_regions(state).await?;
    let actor = Actor::command_line();
    let departments = load_departments(state, &actor).await?;
    let housing = departments
        .iter()
        .find(|(n, _)| n == "县住房和城乡建设局")
        .map(|(_, id)| *id);
    let village = "510722101201".to_string(); // 凤凰村, 潼川镇
    let plan: Vec<(&'static str, &'static str, Role, String, Option<uuid::Uuid>)> = vec![
        ("sysadmin", "王系统", Role::SystemAdmin, COUNTY.into(), None),
        (
            "secadmin",
            "李安全",
            Role::SecurityAdmin,
            COUNTY.into(),
            None,
        ),
        ("auditor", "赵审计", Role::Auditor, COUNTY.into(), None),
        ("leader", "陈局长", Role::Leader, COUNTY.into(), None),
        ("safety", "刘安监", Role::SafetyStaff, COUNTY.into(), None),
        (
            "disaster",
            "周减灾",
            Role::DisasterStaff,
            COUNTY.into(),
            None,
        ),
        ("rescue", "吴救援", Role::RescueStaff, COUNTY.into(), None),
        ("duty", "郑值班", Role::DutyOfficer, COUNTY.into(), None),
        (
            "tongchuan",
            "潼川镇应急办",
            Role::TownshipStaff,
            SEAT_TOWN.into(),
            None,
        ),
        (
            "tashan",
            "塔山镇应急办",
            Role::TownshipStaff,
            OTHER_TOWN.into(),
            None,
        ),
        ("village", "村联络员", Role::VillageLiaison, village, None),
        (
            "housing",
            "住建局联络员",
            Role::DepartmentLiaison,
            COUNTY.into(),
            housing,
        ),
        (
            "enterprise",
            "企业安全员",
            Role::EnterpriseUser,
            SEAT_TOWN.into(),
            None,
        ),
    ];
    let mut accounts = Vec::new();
    for (username, display_name, role, region_code, department_id) in plan {
        let password = password_for(username);
        let input = UserInput {
            username: username.to_string(),
            display_name: display_name.to_string(),
            phone: None,
            region_code: region_code.clone(),
            department_id,
            roles: vec![role.code().to_string()],
            password: Some(password.clone()),
            version: None,
            enabled: Some(true),
        };
        let (user, _) = users::create(state, &actor, &input).await?;
        users::mark_password_changed(&state.db, user.id).await?;
        accounts.push(DemoAccount {
            username,
            display_name,
            role,
            region_code,
            password,
        });
    }
    Ok(accounts)
}

/// The whole demo: the county and its accounts, then every area's demo ledgers.
pub async fn load(
    state: &AppState,
    password_for: impl Fn(&str) -> String,
) -> anyhow::Result<Vec<DemoAccount>> {
    let accounts = load_county(state, password_for).await?;
    safety::units::load_demo(state).await?;
    safety::hazards::load_demo(state).await?;
    safety::accidents::load_demo(state).await?;
    safety::notices::load_demo(state).await?;
    safety::inspections::load_demo(state).await?;
    safety::enforcement::load_demo(state).await?;
    warning::consultations::load_demo(state).await?;
    warning::warnings::load_demo(state).await?;
    duty::load_demo(state).await?;
    fire::load_demo(state).await?;
    disaster::load_demo(state).await?;
    Ok(accounts)
}

/// The accounts as a table for the terminal.
pub fn print_accounts(accounts: &[DemoAccount]) {
    println!("演示账号（仅用于演示，密码只显示这一次）：");
    println!("{:<12} {:<16} {:<20} 密码", "用户名", "姓名", "角色");
    for a in accounts {
        println!(
            "{:<12} {:<16} {:<20} {}",
            a.username,
            a.display_name,
            a.role.label(),
            a.password
        );
    }
}
