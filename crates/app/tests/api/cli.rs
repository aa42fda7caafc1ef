//! The command line a county's IT staff use: migrate, the first administrator, locks, backup.

use std::process::Command;

fn yingji(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yingji"))
        .current_dir(dir)
        .args(args)
        .env_remove("YINGJI_DATABASE")
        .output()
        .expect("run yingji");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_first_administrator_is_created_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, text) = yingji(dir.path(), &["migrate"]);
    assert!(ok, "{text}");
    assert!(
        dir.path().join("data/yingji.db").exists(),
        "the default database lives under ./data/"
    );
    let create = [
        "user",
        "create",
        "--username",
        "admin",
        "--name",
        "管理员",
        "--region",
        "510722000000",
        "--role",
        "system_admin",
    ];
    let (ok, text) = yingji(dir.path(), &create);
    assert!(!ok);
    assert!(text.contains("yingji import regions"), "{text}");

    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../platform/seed");
    let towns = format!("{seed}/510722-townships.csv");
    let villages = format!("{seed}/510722-villages.csv");
    let import = [
        "import",
        "regions",
        "--county-code",
        "510722",
        "--county-name",
        "三台县",
        "--city-code",
        "5107",
        "--city-name",
        "绵阳市",
        "--province-code",
        "51",
        "--province-name",
        "四川省",
        "--townships",
        &towns,
        "--villages",
        &villages,
    ];
    let (ok, text) = yingji(dir.path(), &import);
    assert!(ok, "{text}");
    assert!(text.contains("498"), "{text}");

    let (ok, text) = yingji(dir.path(), &create);
    assert!(ok, "{text}");
    assert!(
        text.contains("初始密码"),
        "a generated password is printed once: {text}"
    );
    let (ok, text) = yingji(
        dir.path(),
        &[
            "user",
            "create",
            "--username",
            "x",
            "--name",
            "x",
            "--region",
            "510722000000",
            "--role",
            "root",
        ],
    );
    assert!(!ok);
    assert!(text.contains("未知角色"), "{text}");
    let (ok, text) = yingji(
        dir.path(),
        &["user", "passwd", "admin", "--password", "weak"],
    );
    assert!(!ok);
    assert!(text.contains("密码"), "{text}");
    let (ok, _) = yingji(dir.path(), &["user", "lock", "admin", "--reason", "测试"]);
    assert!(ok);
    let (ok, _) = yingji(dir.path(), &["user", "unlock", "admin"]);
    assert!(ok);
    let (ok, text) = yingji(dir.path(), &["user", "lock", "nobody"]);
    assert!(!ok && text.contains("不存在"), "{text}");
    let (ok, text) = yingji(dir.path(), &["backup", "--out", "copy.db"]);
    assert!(ok, "{text}");
    assert!(dir.path().join("copy.db").exists());
    let (ok, text) = yingji(dir.path(), &["demo"]);
    assert!(
        !ok && text.contains("已有账号"),
        "demo refuses a database in use: {text}"
    );
}

#[test]
fn a_bad_configuration_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("yingji.toml"), "databse = \"x\"\n").unwrap();
    let (ok, text) = yingji(dir.path(), &["migrate"]);
    assert!(!ok);
    assert!(text.contains("yingji.toml 格式不正确"), "{text}");
}

#[test]
fn the_server_starts_fast_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yingji"))
        .current_dir(dir.path())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env_remove("YINGJI_DATABASE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start yingji serve");
    let ready = (0..300).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(ready, "the server listens within 15 s");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(exit.success(), "graceful shutdown exits 0: {exit:?}");
}
