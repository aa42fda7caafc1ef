//! `yingji`: serve, migrate, demo, user, import, backup.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use platform::access::{Actor, Role};
use platform::clock::SystemClock;
use yingji::config::{DEFAULT_DATABASE, DEFAULT_LISTEN, FileConfig};

#[derive(Parser)]
#[command(
    name = "yingji",
    version,
    about = "应急管理综合业务平台 — a county Emergency Management Bureau's daily work"
)]
struct Cli {
    /// Configuration file (default: ./yingji.toml when present).
    #[arg(long, global = true, env = "YINGJI_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://FILE?mode=rwc or postgres://USER:PASS@HOST/DB.
    #[arg(long, global = true, env = "YINGJI_DATABASE")]
    database: Option<String>,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, global = true, env = "YINGJI_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrations apply first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "YINGJI_LISTEN")]
        listen: Option<String>,
        /// Load the demo county if the database has no accounts yet.
        #[arg(long)]
        demo: bool,
        /// Also serve the performance harness's ceiling pages under /bench/ (scripts/bench.sh).
        #[arg(long, hide = true)]
        bench_baselines: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Load the demo county (三台县) with one account per role; prints the passwords once.
    Demo {
        /// Add years of generated ledgers at the size of the county, its city or the province
        /// (for the performance harness, scripts/bench.sh).
        #[arg(long)]
        scale: Option<yingji::scale::Scale>,
        /// Years of ledgers to generate, ending today.
        #[arg(long, default_value_t = 1, requires = "scale")]
        years: u32,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 2026, requires = "scale")]
        seed: u64,
        /// Divide every size by this (the harness's smoke run).
        #[arg(long, default_value_t = 1, hide = true, requires = "scale")]
        divide: usize,
    },
    /// Manage accounts from the command line (the first administrator starts here).
    #[command(subcommand)]
    User(UserCommand),
    /// Import ledgers.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Consistent copy of a live SQLite database.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; prints its initial password unless one is given.
    Create(CreateUser),
    /// Set a new password (generated unless given); it must be changed at next login.
    Passwd {
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Lock an account.
    Lock {
        username: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Unlock an account.
    Unlock { username: String },
}

#[derive(Args)]
struct CreateUser {
    #[arg(long)]
    username: String,
    /// The person's name.
    #[arg(long)]
    name: String,
    /// 12-digit region code (e.g. 510722000000 for 三台县).
    #[arg(long)]
    region: String,
    /// Role code (repeatable): system_admin, security_admin, auditor, leader, safety_staff, ...
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    #[arg(long)]
    password: Option<String>,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A county's division lists in the published CSV form.
    Regions {
        #[arg(long)]
        county_code: String,
        #[arg(long)]
        county_name: String,
        #[arg(long)]
        city_code: String,
        #[arg(long)]
        city_name: String,
        #[arg(long)]
        province_code: String,
        #[arg(long)]
        province_name: String,
        /// CSV with header `code,name`.
        #[arg(long)]
        townships: PathBuf,
        /// CSV with header `code,name,townshipCode`.
        #[arg(long)]
        villages: PathBuf,
        #[arg(long, default_value_t = 2023)]
        year: i32,
    },
    /// A NASA FIRMS active-fire CSV (MODIS or VIIRS) for a county: hotspots inside it are
    /// matched to townships and sent down for checking.
    Firms {
        /// The county's code (6 or 12 digits).
        #[arg(long)]
        county: String,
        file: PathBuf,
    },
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("YINGJI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> std::process::ExitCode {
    tune_allocator();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("错误：无法启动运行时：{err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(async_main())
}

/// glibc raises its mmap threshold to 32 MiB after the first large block is freed, so every
/// later login's Argon2 buffer (19 MiB) was carved from a thread's arena and stayed there: idle
/// memory grew by ~20 MiB per login thread (measured in docs/PERFORMANCE.md). A fixed threshold
/// hands large blocks back to the system when freed; two arenas bound what idle threads keep.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets allocator parameters, and runs before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

async fn async_main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误：{err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let (path, named) = match &cli.config {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from("yingji.toml"), false),
    };
    let file = FileConfig::load(&path, named)?;
    init_logs(cli.log_json || file.log_json.unwrap_or(false));
    let settings = file.settings()?;
    let url = cli
        .database
        .clone()
        .or(file.database.clone())
        .unwrap_or_else(|| DEFAULT_DATABASE.to_string());
    let started = std::time::Instant::now();
    let db = platform::db::connect(&url).await?;
    match cli.command {
        Command::Migrate => {
            yingji::migrate(&db).await?;
            println!("数据库已是最新结构：{}", platform::db::redact(&url));
        }
        Command::Serve {
            listen,
            demo,
            bench_baselines,
        } => {
            // Before the port opens, so a SIGTERM from then on is graceful.
            let shutdown = yingji::shutdown_signal();
            yingji::migrate(&db).await?;
            let assemble = match bench_baselines {
                true => yingji::app_with_baselines,
                false => yingji::app,
            };
            let (router, state) = assemble(db.clone(), Arc::new(SystemClock), settings);
            if demo && yingji::demo::is_empty(&db).await? {
                let accounts =
                    yingji::demo::load(&state, |_| platform::auth::password::generate()).await?;
                yingji::demo::print_accounts(&accounts);
            }
            let listen = listen
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.to_string());
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            tracing::info!(
                address = %listen,
                database = %platform::db::redact(&url),
                ready_in_ms = started.elapsed().as_millis() as u64,
                "yingji is ready"
            );
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let worker = tokio::spawn(platform::jobs::background(
                state,
                std::time::Duration::from_secs(2),
                stopped,
            ));
            yingji::serve_until(router, listener, shutdown).await?;
            // Let a delivery in progress finish and be recorded before exiting.
            let _ = stop.send(true);
            let _ = tokio::time::timeout(std::time::Duration::from_secs(30), worker).await;
        }
        Command::Demo {
            scale,
            years,
            seed,
            divide,
        } => {
            yingji::migrate(&db).await?;
            if !yingji::demo::is_empty(&db).await? {
                anyhow::bail!("数据库中已有账号，演示数据只能载入空数据库");
            }
            let (_, state) = yingji::app(db, Arc::new(SystemClock), settings);
            let password = |_: &str| platform::auth::password::generate();
            let mut accounts = yingji::demo::load(&state, password).await?;
            if let Some(scale) = scale {
                use yingji::scale::{Sizes, generate, summary};
                let sizes = Sizes::COUNTY.divided_by(divide.max(1));
                let written = generate(&state, scale, years, seed, sizes, true).await?;
                println!("{}", summary(&written));
                accounts.extend(yingji::scale::accounts(&state, scale, password).await?);
            }
            yingji::demo::print_accounts(&accounts);
        }
        Command::User(cmd) => {
            yingji::migrate(&db).await?;
            let (_, state) = yingji::app(db, Arc::new(SystemClock), settings);
            user_command(&state, cmd).await?;
        }
        Command::Import(ImportCommand::Regions {
            county_code,
            county_name,
            city_code,
            city_name,
            province_code,
            province_name,
            townships,
            villages,
            year,
        }) => {
            yingji::migrate(&db).await?;
            let header = platform::regions::import::CountyHeader {
                province: (province_code, province_name),
                city: (city_code, city_name),
                county: (county_code, county_name),
            };
            let towns = std::fs::read(&townships)
                .with_context(|| format!("cannot read {}", townships.display()))?;
            let vills = std::fs::read(&villages)
                .with_context(|| format!("cannot read {}", villages.display()))?;
            let rows = match platform::regions::import::parse_county_lists(&header, &towns, &vills)
            {
                Ok(rows) => rows,
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{e}");
                    }
                    anyhow::bail!("发现 {} 处错误，未导入任何数据", errors.len());
                }
            };
            let who = platform::audit::Who {
                id: None,
                name: "命令行（系统运维）",
                ip: None,
            };
            let now = chrono_now();
            let count =
                platform::regions::import::apply(&db, &header, &rows, year, who, now).await?;
            println!("已导入 {count} 条区划");
        }
        Command::Import(ImportCommand::Firms { county, file }) => {
            yingji::migrate(&db).await?;
            let (_, state) = yingji::app(db, Arc::new(SystemClock), settings);
            import_firms(&state, &county, &file).await?;
        }
        Command::Backup { out } => {
            platform::db::backup_sqlite(&db, &out).await?;
            println!("已备份到 {}", out.display());
        }
    }
    Ok(())
}

async fn import_firms(
    state: &platform::web::AppState,
    county: &str,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    let county = match county.len() {
        6 => format!("{county}000000"),
        _ => county.to_string(),
    };
    if platform::regions::store::find(&state.db, &county)
        .await?
        .is_none()
    {
        anyhow::bail!("区划 {county} 不存在");
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let who = platform::audit::Who {
        id: None,
        name: "命令行（系统运维）",
        ip: None,
    };
    use fire::hotspots::receive::{Channel, receive};
    let r = receive(state, who, &county, &name, &bytes, Channel::CommandLine)
        .await
        .map_err(explain)?;
    println!(
        "已接收 {name}：读取 {} 行，新热点 {} 个，合并 {}，重复 {}，县外 {}，无法读取 {} 行",
        r.rows_read,
        r.new_hotspots.len(),
        r.merged,
        r.duplicates,
        r.outside,
        r.errors.len()
    );
    for e in &r.errors {
        eprintln!("第 {} 行：{}", e.row, e.message);
    }
    Ok(())
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    use platform::clock::Clock;
    SystemClock.now()
}

async fn find_user(state: &platform::web::AppState, username: &str) -> anyhow::Result<uuid::Uuid> {
    use platform::auth::entity::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&state.db)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("用户 {username} 不存在"))
}

fn explain(err: platform::AppError) -> anyhow::Error {
    match &err {
        platform::AppError::Validation(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("；")
        ),
        _ => anyhow::anyhow!("{}", err.body().message),
    }
}

async fn user_command(state: &platform::web::AppState, cmd: UserCommand) -> anyhow::Result<()> {
    use platform::users::store;
    let actor = Actor::command_line();
    match cmd {
        UserCommand::Create(c) => {
            if platform::regions::store::find(&state.db, &c.region)
                .await?
                .is_none()
            {
                anyhow::bail!(
                    "区划 {} 不存在：请先用 `yingji import regions` 导入本县区划（演示可用 `yingji demo`）",
                    c.region
                );
            }
            for role in &c.roles {
                if Role::parse(role).is_none() {
                    let known: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
                    anyhow::bail!("未知角色 {role}，可选：{}", known.join(", "));
                }
            }
            let input = store::UserInput {
                username: c.username,
                display_name: c.name,
                region_code: c.region,
                roles: c.roles,
                password: c.password.clone(),
                ..Default::default()
            };
            let (user, password) = store::create(state, &actor, &input)
                .await
                .map_err(explain)?;
            println!("已创建用户 {}（{}）", user.username, user.role_labels());
            if c.password.is_none() {
                println!("初始密码（只显示这一次，首次登录须修改）：{password}");
            }
        }
        UserCommand::Passwd { username, password } => {
            let id = find_user(state, &username).await?;
            let (_, fresh) = store::reset_password(state, &actor, id, password.as_deref())
                .await
                .map_err(explain)?;
            match password {
                Some(_) => println!("已为 {username} 设置新密码，下次登录须修改"),
                None => println!("{username} 的新密码（只显示这一次，下次登录须修改）：{fresh}"),
            }
        }
        UserCommand::Lock { username, reason } => {
            let id = find_user(state, &username).await?;
            store::set_lock(state, &actor, id, true, reason)
                .await
                .map_err(explain)?;
            println!("已锁定 {username}");
        }
        UserCommand::Unlock { username } => {
            let id = find_user(state, &username).await?;
            store::set_lock(state, &actor, id, false, None)
                .await
                .map_err(explain)?;
            println!("已解锁 {username}");
        }
    }
    Ok(())
}
