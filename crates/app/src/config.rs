//! Configuration: `yingji.toml`, then `YINGJI_*` environment variables, then flags (flags win).

use std::path::Path;

use anyhow::Context;
use platform::web::Settings;
use serde::Deserialize;

pub const DEFAULT_DATABASE: &str = "sqlite://data/yingji.db?mode=rwc";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database: Option<String>,
    pub listen: Option<String>,
    pub log_json: Option<bool>,
    /// The attachments folder (default `data/files`).
    pub files: Option<String>,
    /// The address users reach Yingji at, for links in messages (default http://127.0.0.1:8080).
    pub public_url: Option<String>,
    /// The folder feeds drop files into (default `data/inbox`; FIRMS files go in
    /// `firms/<county code>/`).
    pub inbox: Option<String>,
    #[serde(default)]
    pub security: SecurityConfig,
    /// Notification gateways: SMS, SMTP (group robots are registered in the app).
    #[serde(default)]
    pub notify: platform::notify::NotifySettings,
    /// Base-map tiles (e.g. 天地图 with a key); without them maps show outlines only.
    #[serde(default)]
    pub map: platform::web::map::MapSettings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfig {
    pub session_idle_minutes: Option<i64>,
    pub lockout_threshold: Option<i32>,
    pub lockout_minutes: Option<i64>,
    pub secure_cookies: Option<bool>,
}

impl FileConfig {
    /// Read `path`; a missing default file is fine, a missing named file is not.
    pub fn load(path: &Path, named: bool) -> anyhow::Result<Self> {
        if !path.exists() {
            if named {
                anyhow::bail!("配置文件 {} 不存在", path.display());
            }
            return Ok(Self::default());
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{} 格式不正确", path.display()))
    }

    /// Security settings: file values, overridden by `YINGJI_*` variables.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let defaults = Settings::default();
        let s = &self.security;
        let settings = Settings {
            session_idle_minutes: env_or("YINGJI_SESSION_IDLE_MINUTES", s.session_idle_minutes)?
                .unwrap_or(defaults.session_idle_minutes),
            lockout_threshold: env_or("YINGJI_LOCKOUT_THRESHOLD", s.lockout_threshold)?
                .unwrap_or(defaults.lockout_threshold),
            lockout_minutes: env_or("YINGJI_LOCKOUT_MINUTES", s.lockout_minutes)?
                .unwrap_or(defaults.lockout_minutes),
            secure_cookies: env_or("YINGJI_SECURE_COOKIES", s.secure_cookies)?
                .unwrap_or(defaults.secure_cookies),
            files_dir: env_or("YINGJI_FILES", self.files.clone())?
                .map(std::path::PathBuf::from)
                .unwrap_or(defaults.files_dir),
            public_url: env_or("YINGJI_PUBLIC_URL", self.public_url.clone())?
                .unwrap_or(defaults.public_url),
            inbox_dir: env_or("YINGJI_INBOX", self.inbox.clone())?
                .map(std::path::PathBuf::from)
                .unwrap_or(defaults.inbox_dir),
            notify: self.notify.clone(),
            map: platform::web::map::MapSettings {
                tiles: env_or("YINGJI_MAP_TILES", self.map.tiles.clone())?,
                ..self.map.clone()
            },
        };
        if let Some(problem) = settings.map.problem() {
            anyhow::bail!(problem);
        }
        if settings.session_idle_minutes < 1
            || settings.lockout_threshold < 1
            || settings.lockout_minutes < 1
        {
            anyhow::bail!("会话超时、锁定阈值和锁定时长都必须大于 0");
        }
        Ok(settings)
    }
}

fn env_or<T: std::str::FromStr>(name: &str, file: Option<T>) -> anyhow::Result<Option<T>> {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow::anyhow!("环境变量 {name} 的值 {text:?} 无效")),
        Err(_) => Ok(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_is_read_and_unknown_keys_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("yingji.toml");
        std::fs::write(
            &path,
            "listen = \"0.0.0.0:9000\"\n[security]\nlockout_threshold = 3\n",
        )
        .unwrap();
        let config = FileConfig::load(&path, true).unwrap();
        assert_eq!(config.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(config.settings().unwrap().lockout_threshold, 3);
        std::fs::write(&path, "lisen = \"x\"\n").unwrap();
        assert!(FileConfig::load(&path, true).is_err());
        assert!(FileConfig::load(&dir.path().join("none.toml"), true).is_err());
        assert!(FileConfig::load(&dir.path().join("none.toml"), false).is_ok());
    }

    #[test]
    fn map_tiles_are_optional_and_checked() {
        let config: FileConfig = toml::from_str("").unwrap();
        assert!(config.settings().unwrap().map.tiles.is_none());
        let config: FileConfig = toml::from_str(
            "[map]\ntiles = \"https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY\"\nsubdomains = \"01234567\"\nattribution = \"天地图\"\n",
        )
        .unwrap();
        let map = config.settings().unwrap().map;
        assert_eq!(map.subdomains.as_deref(), Some("01234567"));
        assert!(map.tiles_url().is_some());
        let config: FileConfig = toml::from_str("[map]\ntiles = \"tiles.example.cn\"\n").unwrap();
        assert!(config.settings().is_err());
        assert!(toml::from_str::<FileConfig>("[map]\ntile = \"x\"\n").is_err());
    }
}
