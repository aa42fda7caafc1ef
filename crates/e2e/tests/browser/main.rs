//! User stories in a real browser: Debian's headless Chromium through chromedriver, against the
//! real application (SQLite, demo county 三台县). Each story opens its own browser with a fresh
//! profile; screenshots land in `target/screenshots/`.
//!
//! Run: `cargo test -p e2e` (needs `chromium`, `chromium-driver` and a CJK font, e.g.
//! `fonts-noto-cjk`).
//!
//! Stories of a ledger with many steps live in their own module beside this file; they share the
//! steps defined here (`crate::set_value`, `crate::submit`, ...).

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE, Viewport, column};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

mod disaster_losses;
mod disaster_relief;
mod duty_board;
mod duty_dispatch;
mod fire_hotspots;
mod fire_map;
mod fire_patrols;
mod safety_enforcement;
mod safety_inspections;
mod safety_notices;
mod safety_statistics;
mod warning_alerts;
mod warning_statistics;

type Outcome = anyhow::Result<()>;

mod safety_accidents;

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

/// Sysadmin's user list, filtered to one account, as (heading, cell) pairs of its row.
async fn user_row(
    b: &Browser,
    app: &TestApp,
    username: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    b.goto(&app.url(&format!("/admin/users?q={username}")))
        .await?;
    b.table_row("table.list", username).await
}

/// Story 1: a wrong password shows the error and is counted (the administrator sees the count,
/// the auditor sees the failure); the right password then opens the home page in Chinese.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_is_counted_then_the_right_one_opens_home() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;

    let user = Browser::open(DESKTOP).await?;
    user.goto(&app.url("/login")).await?;
    ensure!(
        user.title().await?.starts_with("登录"),
        "login page title: {}",
        user.title().await?
    );
    ensure!(
        user.assets_loaded(false).await?,
        "the login page's stylesheet did not load"
    );
    ensure!(
        !user.exists("#login-error").await?,
        "an error shows before anything was typed"
    );

    for (attempt, left) in [(1, 4), (2, 3)] {
        user.fill("input[name=username]", "safety").await?;
        user.fill("input[name=password]", "Wrong-pass-1").await?;
        user.click_and_wait("form[action='/login'] button[type=submit]")
            .await?;
        user.expect_path("/login").await?;
        user.expect_text(
            "#login-error",
            &format!("用户名或密码错误，再错 {left} 次账号将被锁定"),
        )
        .await?;
        ensure!(
            user.is_visible("#login-error").await?,
            "the login error is not visible (attempt {attempt})"
        );
        let kept = user
            .find("input[name=username]")
            .await?
            .prop("value")
            .await?;
        ensure!(
            kept.as_deref() == Some("safety"),
            "the form forgot the username: {kept:?}"
        );
        let password = user
            .find("input[name=password]")
            .await?
            .prop("value")
            .await?;
        ensure!(
            password.as_deref() == Some(""),
            "the password field was sent back filled in"
        );
    }
    user.screenshot("login-error").await?;

    // The system administrator sees two consecutive failures on the account.
    let admin = Browser::open(DESKTOP).await?;
    admin.login(&app.base, "sysadmin", TEST_PASSWORD).await?;
    admin.expect_path("/").await?;
    let row = user_row(&admin, &app, "safety").await?;
    ensure!(
        column(&row, "连续失败") == Some("2"),
        "连续失败 for safety: {row:?}"
    );
    ensure!(
        column(&row, "姓名") == Some("刘安监"),
        "姓名 for safety: {row:?}"
    );
    admin.screenshot("users-failed-attempts").await?;

    // The auditor sees both failures in the audit log, and a to-do on the home page.
    let auditor = Browser::open(DESKTOP).await?;
    auditor.login(&app.base, "auditor", TEST_PASSWORD).await?;
    auditor.expect_text("ul.todo", "登录失败 2 次").await?;
    auditor
        .goto(&app.url("/admin/audit?action=login.failure"))
        .await?;
    let failures: Vec<Vec<String>> = auditor
        .table_rows("#audit-table")
        .await?
        .into_iter()
        .filter(|r| {
            r.get(1).map(String::as_str) == Some("刘安监")
                && r.get(2).map(String::as_str) == Some("登录失败")
        })
        .collect();
    ensure!(
        failures.len() == 2,
        "audit rows of 刘安监's failures: {failures:?}"
    );
    ensure!(
        failures
            .iter()
            .any(|r| r.get(4).is_some_and(|s| s.contains("连续第 2 次"))),
        "no audit row says 连续第 2 次: {failures:?}"
    );
    auditor.screenshot("audit-login-failures").await?;
    auditor.close().await?;

    // The right password: the home page, in Chinese, greeting the user by name.
    user.fill("input[name=username]", "safety").await?;
    user.fill("input[name=password]", TEST_PASSWORD).await?;
    user.click_and_wait("form[action='/login'] button[type=submit]")
        .await?;
    user.expect_path("/").await?;
    ensure!(
        user.title().await?.starts_with("工作台"),
        "home title: {}",
        user.title().await?
    );
    user.expect_text("h1.page-title", "刘安监，您好").await?;
    user.expect_text("header.topbar .who", "刘安监").await?;
    let lang = user
        .client()
        .execute("return document.documentElement.lang;", vec![])
        .await?;
    ensure!(lang.as_str() == Some("zh-CN"), "page language: {lang}");
    ensure!(
        user.assets_loaded(true).await?,
        "the stylesheet or htmx did not load on the home page"
    );
    user.screenshot("home-after-failures").await?;

    // A successful login clears the count.
    let row = user_row(&admin, &app, "safety").await?;
    ensure!(
        column(&row, "连续失败") == Some("0"),
        "连续失败 after a good login: {row:?}"
    );

    user.close().await?;
    admin.close().await?;
    Ok(())
}

/// Story 1b: five wrong passwords lock the account; even the right password is then refused, and
/// the administrator sees the account as locked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_passwords_lock_the_account() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let b = Browser::open(DESKTOP).await?;
    b.goto(&app.url("/login")).await?;
    for _ in 0..5 {
        b.fill("input[name=username]", "leader").await?;
        b.fill("input[name=password]", "Wrong-pass-1").await?;
        b.click_and_wait("form[action='/login'] button[type=submit]")
            .await?;
    }
    b.expect_text("#login-error", "连续 5 次密码错误，账号已锁定")
        .await?;
    b.screenshot("login-locked").await?;

    b.fill("input[name=username]", "leader").await?;
    b.fill("input[name=password]", TEST_PASSWORD).await?;
    b.click_and_wait("form[action='/login'] button[type=submit]")
        .await?;
    b.expect_path("/login").await?;
    b.expect_text("#login-error", "锁定").await?;

    let admin = Browser::open(DESKTOP).await?;
    admin.login(&app.base, "sysadmin", TEST_PASSWORD).await?;
    let row = user_row(&admin, &app, "leader").await?;
    ensure!(
        column(&row, "状态").is_some_and(|s| s.contains("已锁定")),
        "状态 of leader: {row:?}"
    );
    ensure!(
        column(&row, "连续失败") == Some("5"),
        "连续失败 of leader: {row:?}"
    );
    b.close().await?;
    admin.close().await?;
    Ok(())
}

/// Story 2: the system administrator creates a township worker with an initial password and logs
/// out; the new user logs in, is made to change the password first, and then reaches home.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_user_must_change_the_initial_password() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let b = Browser::open(DESKTOP).await?;

    b.login(&app.base, "sysadmin", TEST_PASSWORD).await?;
    b.expect_path("/").await?;
    b.expect_text("h1.page-title", "王系统，您好").await?;
    b.goto(&app.url("/admin/users")).await?;
    ensure!(
        b.exists("form.search[action='/admin/users']").await?,
        "the user list has no search form"
    );
    b.click_and_wait("a[href='/admin/users/new']").await?;
    b.expect_path("/admin/users/new").await?;
    ensure!(
        b.title().await?.starts_with("新增用户"),
        "form title: {}",
        b.title().await?
    );

    // A weak password is refused beside its field, and what was typed is kept.
    b.fill("input[name=username]", "tashan_duty").await?;
    b.fill("input[name=display_name]", "塔山镇值班员").await?;
    b.fill("input[name=phone]", "13800001234").await?;
    b.select("select[name=region_code]", TASHAN).await?;
    b.check("input[name=roles][value=township_staff]").await?;
    b.fill("input[name=password]", "short").await?;
    b.click_and_wait("form.form button[type=submit]").await?;
    let invalid = b
        .find_all("label.field.invalid input[name=password]")
        .await?;
    ensure!(
        !invalid.is_empty(),
        "the weak password is not marked beside its field"
    );
    let error = b.text("label.field.invalid .error").await?;
    ensure!(!error.is_empty(), "the password error is empty");
    let kept = b
        .find("input[name=display_name]")
        .await?
        .prop("value")
        .await?;
    ensure!(
        kept.as_deref() == Some("塔山镇值班员"),
        "the form forgot the name: {kept:?}"
    );
    let region = b
        .find("select[name=region_code]")
        .await?
        .prop("value")
        .await?;
    ensure!(
        region.as_deref() == Some(TASHAN),
        "the form forgot the region: {region:?}"
    );
    b.screenshot("user-form-error").await?;

    // Now a good password.
    let initial = "Tashan#2026a";
    b.check("input[name=roles][value=township_staff]").await?;
    b.fill("input[name=password]", initial).await?;
    b.click_and_wait("form.form button[type=submit]").await?;
    ensure!(
        b.title().await?.starts_with("用户 塔山镇值班员"),
        "after saving: {}",
        b.title().await?
    );
    b.expect_text("table.kv", "塔山镇").await?;
    b.expect_text("table.kv", "乡镇工作人员").await?;
    b.expect_text("table.kv", "待改密").await?;
    b.screenshot("user-created").await?;

    b.goto(&app.url("/admin/users?q=tashan_duty")).await?;
    let row = b.table_row("table.list", "tashan_duty").await?;
    ensure!(
        column(&row, "所属区域") == Some("塔山镇"),
        "所属区域: {row:?}"
    );
    ensure!(
        column(&row, "状态").is_some_and(|s| s.contains("待改密")),
        "状态: {row:?}"
    );

    b.logout().await?;
    b.expect_path("/login").await?;

    // The new user: the initial password works but leads to the password page first.
    b.login(&app.base, "tashan_duty", initial).await?;
    b.expect_path("/account/password").await?;
    b.expect_text(".alert.info", "首次登录").await?;
    b.goto(&app.url("/")).await?;
    b.expect_path("/account/password").await?;
    b.screenshot("password-change-required").await?;

    // A mismatched confirmation is refused beside its field.
    b.fill("input[name=current]", initial).await?;
    b.fill("input[name=password]", "Tashan#2026b").await?;
    b.fill("input[name=confirm]", "Tashan#2026c").await?;
    b.click_and_wait("form[action='/account/password'] button[type=submit]")
        .await?;
    b.expect_path("/account/password").await?;
    let invalid = b.find_all("label.field.invalid").await?;
    ensure!(
        !invalid.is_empty(),
        "a mismatched confirmation shows no error"
    );

    let changed = "Tashan#2026b";
    b.fill("input[name=current]", initial).await?;
    b.fill("input[name=password]", changed).await?;
    b.fill("input[name=confirm]", changed).await?;
    b.click_and_wait("form[action='/account/password'] button[type=submit]")
        .await?;
    b.expect_path("/?done=password").await?;
    b.expect_text("#notice", "密码已修改").await?;
    b.expect_text("h1.page-title", "塔山镇值班员，您好").await?;
    b.expect_text(".stat", "塔山镇").await?;
    b.screenshot("home-new-user").await?;

    // Next time: the new password, straight to home; the old one no longer works.
    b.logout().await?;
    b.login(&app.base, "tashan_duty", initial).await?;
    b.expect_path("/login").await?;
    b.expect_text("#login-error", "用户名或密码错误").await?;
    b.login(&app.base, "tashan_duty", changed).await?;
    b.expect_path("/").await?;
    b.expect_text("h1.page-title", "塔山镇值班员，您好").await?;
    b.close().await?;
    Ok(())
}

/// Story 3: a township worker sees the own township; another township's page answers 404 with
/// the Chinese message and nothing of that township; logging out lands on the login page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn township_user_sees_only_the_own_township() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let b = Browser::open(DESKTOP).await?;
    b.login(&app.base, "tongchuan", TEST_PASSWORD).await?;
    b.expect_path("/").await?;
    b.expect_text("h1.page-title", "潼川镇应急办，您好").await?;

    b.goto(&app.url(&format!("/admin/regions/{TONGCHUAN}")))
        .await?;
    ensure!(
        b.title().await?.starts_with("潼川镇"),
        "own township title: {}",
        b.title().await?
    );
    b.expect_text("table.kv", TONGCHUAN).await?;
    let villages = b
        .table_rows("section.card:nth-of-type(2) table.list")
        .await?;
    ensure!(!villages.is_empty(), "潼川镇 lists no villages");
    ensure!(
        villages
            .iter()
            .all(|r| r.first().is_some_and(|c| c.starts_with("510722101"))),
        "a village outside 潼川镇 is listed: {villages:?}"
    );
    b.screenshot("region-own").await?;

    b.goto(&app.url(&format!("/admin/regions/{TASHAN}")))
        .await?;
    ensure!(
        b.title().await?.starts_with("404"),
        "other township title: {}",
        b.title().await?
    );
    b.expect_text("h1", "未找到").await?;
    b.expect_text("[role=alert]", "不在您的管辖范围内").await?;
    let body = b.body_text().await?;
    ensure!(
        !body.contains("塔山"),
        "the 404 page tells about 塔山镇: {body}"
    );
    b.screenshot("region-not-found").await?;

    // The county's page is above the township's scope too.
    b.goto(&app.url(&format!("/admin/regions/{COUNTY}")))
        .await?;
    b.expect_text("h1", "未找到").await?;

    b.click_and_wait("a.btn.primary[href='/']").await?;
    b.expect_path("/").await?;
    b.logout().await?;
    b.expect_path("/login").await?;
    b.goto(&app.url("/")).await?;
    let path = b.path().await?;
    ensure!(path.starts_with("/login"), "after logout, / shows {path}");
    b.close().await?;
    Ok(())
}

/// Story 4: the key pages at office width: the login page, home with the sidebar (no bottom
/// bar), the user list and its search; screenshots of each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_pages_on_a_desktop() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    key_pages_at(&app, DESKTOP).await
}

/// Story 4, on a phone (375px): the same pages; home shows the bottom bar and hides the sidebar,
/// nothing scrolls sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_pages_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    key_pages_at(&app, PHONE).await
}

async fn key_pages_at(app: &TestApp, viewport: Viewport) -> Outcome {
    let b = Browser::open(viewport).await?;
    let (width, _) = b.inner_size().await?;
    ensure!(
        width == viewport.width,
        "window is {width}px wide, not {}",
        viewport.width
    );
    let phone = viewport.width < 768;

    b.goto(&app.url("/login")).await?;
    b.expect_visible("input[name=username]").await?;
    b.expect_visible("input[name=password]").await?;
    b.expect_visible("form[action='/login'] button[type=submit]")
        .await?;
    let overflow = b.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the login page scrolls sideways by {overflow}px at {width}px"
    );
    b.screenshot("login").await?;

    b.fill("input[name=username]", "sysadmin").await?;
    b.fill("input[name=password]", TEST_PASSWORD).await?;
    b.click_and_wait("form[action='/login'] button[type=submit]")
        .await?;
    b.expect_path("/").await?;
    b.expect_text("h1.page-title", "王系统，您好").await?;
    b.expect_visible("form[action='/logout'] button").await?;
    if phone {
        b.expect_visible("nav.bottombar").await?;
        b.expect_hidden("aside.sidebar").await?;
        ensure!(
            b.computed("aside.sidebar", "display").await? == "none",
            "the sidebar is not display:none on a phone"
        );
        let links = b.find_all("nav.bottombar a").await?;
        ensure!(!links.is_empty(), "the bottom bar has no links");
        for link in &links {
            ensure!(
                link.is_displayed().await?,
                "a bottom bar link is not displayed"
            );
        }
        let bar = b.find("nav.bottombar").await?.rectangle().await?;
        let (_, height) = b.inner_size().await?;
        ensure!(
            (bar.1 + bar.3 - height as f64).abs() < 1.5,
            "the bottom bar is not at the bottom of the screen: {bar:?}, screen height {height}"
        );
    } else {
        b.expect_visible("aside.sidebar").await?;
        b.expect_hidden("nav.bottombar").await?;
        ensure!(
            b.computed("nav.bottombar", "display").await? == "none",
            "the bottom bar shows on the desktop"
        );
        b.expect_visible("aside.sidebar a[href='/admin/users']")
            .await?;
    }
    let overflow = b.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "home scrolls sideways by {overflow}px at {width}px"
    );
    b.screenshot("home").await?;

    b.goto(&app.url("/admin/users")).await?;
    ensure!(
        b.title().await?.starts_with("用户管理"),
        "users title: {}",
        b.title().await?
    );
    b.expect_visible("form.search input[name=q]").await?;
    b.expect_visible("a[href='/admin/users/new']").await?;
    b.expect_visible("table.list").await?;
    let rows = b.table_rows("table.list").await?;
    ensure!(rows.len() >= 10, "the user list shows {} rows", rows.len());
    ensure!(
        rows.iter()
            .any(|r| r.first().map(String::as_str) == Some("tongchuan")),
        "tongchuan is not listed"
    );
    let overflow = b.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the user list page scrolls sideways by {overflow}px at {width}px (the table should scroll in its own box)"
    );
    if phone {
        b.expect_visible("nav.bottombar").await?;
    }
    b.screenshot("users").await?;

    // The search form filters the table.
    b.fill("form.search input[name=q]", "tongchuan").await?;
    b.click_and_wait("form.search button[type=submit]").await?;
    b.expect_path("/admin/users?q=tongchuan&role=&status=")
        .await?;
    let rows = b.table_rows("table.list").await?;
    ensure!(rows.len() == 1, "searching tongchuan shows {rows:?}");

    b.logout().await?;
    b.expect_path("/login").await?;
    b.close().await?;
    Ok(())
}

/// Details these stories once caught broken: village names as people say them (not 凤凰村村),
/// a separator between every breadcrumb step, role check boxes that do not squeeze their labels.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_breadcrumbs_and_check_boxes_read_right() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let b = Browser::open(DESKTOP).await?;
    b.login(&app.base, "sysadmin", TEST_PASSWORD).await?;

    // Villages are named as people say them: 凤凰村, not 凤凰村村 (凤凰村村民委员会 in the release).
    b.goto(&app.url(&format!("/admin/regions/{TONGCHUAN}")))
        .await?;
    let rows = b
        .table_rows("section.card:nth-of-type(2) table.list")
        .await?;
    let doubled: Vec<&String> = rows
        .iter()
        .filter_map(|r| r.get(1))
        .filter(|n| n.ends_with("村村"))
        .collect();
    ensure!(doubled.is_empty(), "village names end in 村村: {doubled:?}");

    // Every breadcrumb step is separated: 首页 / 系统管理 / 用户管理 / 新增用户.
    b.goto(&app.url("/admin/users/new")).await?;
    let separator = b
        .client()
        .execute(
            "return getComputedStyle(document.querySelector(\".crumbs a[href='/admin/users']\"), '::before').content;",
            vec![],
        )
        .await?;
    ensure!(
        separator.as_str() == Some("\" / \""),
        "no separator before 用户管理 in the breadcrumb: {separator}"
    );

    // Role check boxes keep their natural size, so labels like 局领导 stay on one line.
    let (_, _, _, height) = b
        .find("fieldset .checks label:has(input[value=leader])")
        .await?
        .rectangle()
        .await?;
    let line = b
        .computed(
            "fieldset .checks label:has(input[value=leader])",
            "line-height",
        )
        .await?;
    let line: f64 = line.trim_end_matches("px").parse().unwrap_or(24.0);
    ensure!(
        height < 1.5 * line,
        "the 局领导 label wraps onto several lines ({height}px high, line {line}px): the check box is stretched by `.form .field input {{ width: 100% }}`"
    );
    b.close().await?;
    Ok(())
}

/// Story: the system administrator records a member department through the form (committees as
/// check boxes), finds it in the list, and looks through the other administration pages; the
/// auditor sees that change in the audit trail. At both widths, with screenshots.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_keep_departments_and_code_tables() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    for viewport in [DESKTOP, PHONE] {
        let name = format!("县商务局{}", viewport.name);
        let b = Browser::open(viewport).await?;
        b.login(&app.base, "sysadmin", TEST_PASSWORD).await?;
        b.goto(&app.url("/admin/departments/new")).await?;
        b.fill("input[name=name]", &name).await?;
        b.fill("input[name=liaison_name]", "商务联络员").await?;
        b.fill("input[name=liaison_phone]", "0816-5420000").await?;
        b.check("input[name=committees][value=safety]").await?;
        b.check("input[name=committees][value=flood]").await?;
        b.screenshot("department-form").await?;
        b.click_and_wait("form.form button[type=submit]").await?;
        b.expect_text("#notice", "已新增").await?;
        let row = b.table_row("table.list", &name).await?;
        let committees = column(&row, "议事协调机构").unwrap_or_default();
        ensure!(
            committees.contains("安委会成员单位") && committees.contains("防汛抗旱指挥部成员单位"),
            "committees column reads {committees:?}"
        );
        ensure!(
            b.horizontal_overflow().await? <= 0,
            "the departments page scrolls sideways"
        );
        b.screenshot("departments").await?;

        b.goto(&app.url("/admin/dicts/accident_type?edition=GB6441-1986"))
            .await?;
        b.expect_text("table.list", "物体打击").await?;
        b.screenshot("dict-items").await?;
        b.goto(&app.url("/admin/roles")).await?;
        b.expect_text("table.list", "安全审计员").await?;
        b.screenshot("roles").await?;
        b.goto(&app.url(&format!("/admin/regions/{COUNTY}")))
            .await?;
        b.expect_text("table.list", "潼川镇").await?;
        b.screenshot("region-county").await?;
        b.close().await?;
    }
    let auditor = Browser::open(DESKTOP).await?;
    auditor.login(&app.base, "auditor", TEST_PASSWORD).await?;
    auditor
        .goto(&app.url("/admin/audit?entity=department"))
        .await?;
    auditor
        .expect_text("#audit-table", "新增部门 县商务局desktop")
        .await?;
    auditor.screenshot("audit-departments").await?;
    auditor.close().await?;
    Ok(())
}

/// Story: a township officer on a phone registers a small workshop with a mistyped credit code,
/// sees the Chinese message beside the field with everything else kept, corrects it, and finds
/// the unit in the ledger; the county's safety staff see it with the demo units, filtered by
/// township, with licence expiry flagged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_registers_a_unit_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    safety::units::load_demo(&app.state).await?;
    let good = safety::credit_code::with_check("92510722MA6XC0001")
        .expect("17 characters")
        .to_string();
    let mut typo = good.clone();
    typo.replace_range(17.., if good.ends_with('0') { "1" } else { "0" });

    let phone = Browser::open(PHONE).await?;
    phone.login(&app.base, "tongchuan", TEST_PASSWORD).await?;
    phone.goto(&app.url("/safety/units/new")).await?;
    phone
        .fill("input[name=name]", "潼川镇凤凰村红薯粉加工小作坊")
        .await?;
    phone.fill("input[name=credit_code]", &typo).await?;
    phone
        .select("select[name=industry_code]", "small_workshop")
        .await?;
    phone
        .select("select[name=region_code]", "510722101201")
        .await?;
    phone.fill("input[name=contact_name]", "王大姐").await?;
    phone
        .fill("input[name=contact_phone]", "13981600123")
        .await?;
    phone
        .click_and_wait("form.form button[type=submit]")
        .await?;
    phone
        .expect_text(".field.invalid .error", "校验位错误")
        .await?;
    let kept = phone.find("input[name=name]").await?.prop("value").await?;
    ensure!(
        kept.as_deref() == Some("潼川镇凤凰村红薯粉加工小作坊"),
        "the name was not kept: {kept:?}"
    );
    ensure!(
        phone.horizontal_overflow().await? <= 0,
        "the unit form scrolls sideways on a phone"
    );
    phone.screenshot("unit-form-error").await?;
    phone.fill("input[name=credit_code]", &good).await?;
    phone
        .click_and_wait("form.form button[type=submit]")
        .await?;
    phone
        .expect_text("body", "潼川镇凤凰村红薯粉加工小作坊")
        .await?;
    phone.screenshot("unit-created").await?;
    phone.goto(&app.url("/safety/units")).await?;
    let text = phone.body_text().await?;
    ensure!(
        !text.contains("塔山"),
        "a 潼川镇 officer sees another township's units"
    );
    phone.screenshot("units").await?;
    phone.close().await?;

    let desk = Browser::open(DESKTOP).await?;
    desk.login(&app.base, "safety", TEST_PASSWORD).await?;
    desk.goto(&app.url("/safety/units?township=510722101000"))
        .await?;
    desk.expect_text("table.list", "红薯粉加工小作坊").await?;
    desk.expect_text("table.list", "已过期").await?;
    desk.screenshot("units").await?;
    desk.close().await?;
    Ok(())
}

/// Set a date input the way a date picker does (typing into one depends on the browser's locale).
async fn set_value(b: &Browser, css: &str, value: &str) -> Outcome {
    b.client()
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change'));",
            vec![css.into(), value.into()],
        )
        .await?;
    Ok(())
}

/// Pick the first real option of a select (after the 请选择 placeholder).
async fn pick_first(b: &Browser, css: &str) -> Outcome {
    b.client()
        .execute(
            "document.querySelector(arguments[0]).selectedIndex = 1;",
            vec![css.into()],
        )
        .await?;
    Ok(())
}

async fn submit(b: &Browser, action_suffix: &str, button: &str) -> Outcome {
    b.click_and_wait(&format!("form[action$='{action_suffix}'] {button}"))
        .await
}

/// The state tag on a hazard's page.
async fn hazard_state(b: &Browser) -> anyhow::Result<String> {
    let tags = b.find_all("h2 .tag").await?;
    let mut texts = Vec::new();
    for tag in tags {
        texts.push(tag.text().await?);
    }
    Ok(texts.join(" "))
}

/// Story: on a phone, a township officer registers a hazard at a unit, issues the rectification
/// notice, lets the deadline pass (the hazard turns overdue and shows on the home page), records
/// the work, fails the first review with a reason, passes the second and closes it (销号); the
/// page's timeline tells the whole story.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hazard_goes_round_the_whole_loop_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    safety::units::load_demo(&app.state).await?;
    let b = Browser::open(PHONE).await?;
    b.login(&app.base, "tongchuan", TEST_PASSWORD).await?;

    b.goto(&app.url("/safety/hazards/new")).await?;
    pick_first(&b, "select[name=unit_id]").await?;
    b.fill(
        "textarea[name=description]",
        "仓库内灭火器压力不足，安全出口堆放杂物",
    )
    .await?;
    pick_first(&b, "select[name=category_code]").await?;
    b.select("select[name=grade]", "general").await?;
    b.screenshot("hazard-new").await?;
    b.click_and_wait("form.form button[type=submit]").await?;
    ensure!(
        b.path().await?.starts_with("/safety/hazards/"),
        "not on the hazard page: {}",
        b.path().await?
    );
    let hazard_path = b.path().await?;
    ensure!(
        hazard_state(&b).await?.contains("登记"),
        "state: {}",
        hazard_state(&b).await?
    );

    // A deadline before the discovery date is refused beside the field.
    set_value(
        &b,
        "form[action$='/notice'] input[name=deadline]",
        "2026-05-01",
    )
    .await?;
    submit(&b, "/notice", "button[type=submit]").await?;
    b.expect_text("body", "整改期限不能早于发现日期").await?;
    set_value(
        &b,
        "form[action$='/notice'] input[name=deadline]",
        "2026-06-10",
    )
    .await?;
    submit(&b, "/notice", "button[type=submit]").await?;
    ensure!(
        hazard_state(&b).await?.contains("已下达整改"),
        "state: {}",
        hazard_state(&b).await?
    );

    // A site photo goes up from the phone and shows on the page.
    b.attach_photo("form[action*='/files'] input[type=file]", "现场照片.png")
        .await?;
    b.click_and_wait("form[action*='/files'] button[type=submit]")
        .await?;
    b.expect_text("#files", "KB").await?;
    ensure!(
        b.exists("#files .gallery img").await?,
        "the photo is not shown on the hazard page"
    );

    // Ten days on, the deadline has passed: overdue on the page, the list and the home page.
    app.clock.advance(chrono::Duration::days(10));
    b.login(&app.base, "tongchuan", TEST_PASSWORD).await?;
    b.expect_text("body", "条事故隐患逾期未整改").await?;
    b.screenshot("home-overdue").await?;
    b.goto(&app.url("/safety/hazards?overdue=true")).await?;
    b.expect_text("table.list", "逾期").await?;
    // The list sorts by a header tapped: soonest deadline first, marked ▲.
    b.click_and_wait("th a.sort[href*='sort=deadline']").await?;
    ensure!(
        b.path().await?.contains("sort=deadline&dir=asc"),
        "sorted list at {}",
        b.path().await?
    );
    b.expect_text("th[aria-sort=ascending]", "整改期限▲")
        .await?;
    b.screenshot("hazards-sorted").await?;
    b.goto(&app.url(&hazard_path)).await?;
    ensure!(
        hazard_state(&b).await?.contains("逾期"),
        "not flagged overdue: {}",
        hazard_state(&b).await?
    );
    // The day's escalation job sends the township a message that opens the hazard.
    platform::jobs::run_due(&app.state).await?;
    b.goto(&app.url("/inbox")).await?;
    b.expect_text("ul.messages", "隐患逾期未整改").await?;
    b.screenshot("inbox-overdue-hazard").await?;
    b.click_and_wait("ul.messages li a").await?;
    b.click_and_wait("a.btn.primary.big").await?;
    let hazard_page = hazard_path.split('?').next().unwrap_or_default();
    b.expect_path(hazard_page).await?;
    b.expect_text("body", "逾期升级提醒").await?;

    submit(&b, "/start", "button[type=submit]").await?;
    ensure!(
        hazard_state(&b).await?.contains("整改中"),
        "state: {}",
        hazard_state(&b).await?
    );
    b.fill(
        "textarea[name=evidence]",
        "已更换灭火器 3 具，清理安全出口，附照片",
    )
    .await?;
    submit(&b, "/request-review", "button[type=submit]").await?;
    ensure!(
        hazard_state(&b).await?.contains("待复查"),
        "state: {}",
        hazard_state(&b).await?
    );

    // A failed review needs its reasons and sends the hazard back to rectification.
    submit(&b, "/review", "button[value=false]").await?;
    b.expect_text("body", "复查不通过须说明原因").await?;
    b.fill("textarea[name=reasons]", "二楼安全出口仍有杂物")
        .await?;
    submit(&b, "/review", "button[value=false]").await?;
    ensure!(
        hazard_state(&b).await?.contains("整改中"),
        "state: {}",
        hazard_state(&b).await?
    );
    b.fill("textarea[name=evidence]", "二楼杂物已清理").await?;
    submit(&b, "/request-review", "button[type=submit]").await?;
    submit(&b, "/review", "button[value=true]").await?;
    ensure!(
        hazard_state(&b).await?.contains("复查通过"),
        "state: {}",
        hazard_state(&b).await?
    );
    submit(&b, "/close", "button[type=submit]").await?;
    ensure!(
        hazard_state(&b).await?.contains("已销号"),
        "state: {}",
        hazard_state(&b).await?
    );
    let page = b.body_text().await?;
    ensure!(
        page.contains("二楼安全出口仍有杂物"),
        "the failed review's reasons are not on the page"
    );
    ensure!(
        b.horizontal_overflow().await? <= 0,
        "the hazard page scrolls sideways on a phone"
    );
    b.screenshot("hazard-closed").await?;

    // The rectification order served with the notice prints as an A4 letter.
    b.goto(&app.url(&format!("{hazard_path}#documents")))
        .await?;
    let order = b
        .find("#documents a[target=_blank]")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    b.goto(&app.url(&order)).await?;
    b.expect_text(".sheet", "责令限期整改指令书").await?;
    b.expect_text(".sheet", "三台应急责改〔2026〕1号").await?;
    b.screenshot("hazard-order").await?;
    b.close().await?;
    Ok(())
}
