//! Errors of export and import. Each has a stable `code()` for the API and logs, and a Chinese
//! message meant for the user who uploaded or is sending the alert.

use super::CAP_NAMESPACE;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapError {
    #[error("不是有效的 XML：{0}")]
    NotXml(String),
    #[error("根元素应为 CAP 的 alert，实际是 {0}")]
    WrongRoot(String),
    #[error("alert 的命名空间应为 {ns}，实际是 {0}", ns = CAP_NAMESPACE)]
    WrongNamespace(String),
    #[error("缺少必填元素 {0}")]
    MissingElement(String),
    #[error("必填元素 {0} 的内容为空")]
    EmptyElement(String),
    #[error("元素 {0} 只能出现一次")]
    DuplicateElement(String),
    #[error("{element} 的值 {value} 不是 CAP 1.2 允许的值")]
    ValueNotAllowed { element: String, value: String },
    #[error("{element} 的值 {value} 无效：{reason}")]
    InvalidValue {
        element: String,
        value: String,
        reason: String,
    },
    #[error("{element} 的时间 {value} 缺少时区偏移，应写成 YYYY-MM-DDThh:mm:ss+08:00")]
    TimeWithoutOffset { element: String, value: String },
    #[error(
        "{element} 的时间 {value} 以 Z 结尾，CAP 1.2 不允许，应写成 +08:00 或 +00:00 这样的偏移"
    )]
    TimeZulu { element: String, value: String },
    #[error("{element} 的时间 {value} 格式不对，应为 YYYY-MM-DDThh:mm:ss+08:00")]
    BadTime { element: String, value: String },
    #[error(
        "{element} 中的坐标 {value} 无效，应为“纬度,经度”的十进制度数（纬度 −90～90，经度 −180～180）"
    )]
    BadCoordinate { element: String, value: String },
    #[error("多边形未闭合，首点与末点应相同：{0}")]
    PolygonNotClosed(String),
    #[error("多边形至少需要 3 个不同的点（闭合后至少 4 个），实际只有 {0} 个不同的点")]
    PolygonTooShort(usize),
    #[error("circle 的值 {0} 无效，应为“纬度,经度 半径公里数”")]
    BadCircle(String),
    #[error("references 的值 {0} 无效，应为空格分隔的“sender,identifier,sent”三元组")]
    BadReferences(String),
    #[error("预警标识 {value} 不符合国家标准格式 ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N：{reason}")]
    BadProfileIdentifier { value: String, reason: String },
    #[error("预警级别 {0} 无效，应为 1（红色）到 4（蓝色）")]
    BadLevel(u8),
    #[error("写出 XML 失败：{0}")]
    Write(String),
}

impl CapError {
    /// A stable snake_case code, for API answers and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotXml(_) => "not_xml",
            Self::WrongRoot(_) => "wrong_root",
            Self::WrongNamespace(_) => "wrong_namespace",
            Self::MissingElement(_) => "missing_element",
            Self::EmptyElement(_) => "empty_element",
            Self::DuplicateElement(_) => "duplicate_element",
            Self::ValueNotAllowed { .. } => "value_not_allowed",
            Self::InvalidValue { .. } => "invalid_value",
            Self::TimeWithoutOffset { .. } => "time_without_offset",
            Self::TimeZulu { .. } => "time_zulu",
            Self::BadTime { .. } => "bad_time",
            Self::BadCoordinate { .. } => "bad_coordinate",
            Self::PolygonNotClosed(_) => "polygon_not_closed",
            Self::PolygonTooShort(_) => "polygon_too_short",
            Self::BadCircle(_) => "bad_circle",
            Self::BadReferences(_) => "bad_references",
            Self::BadProfileIdentifier { .. } => "bad_profile_identifier",
            Self::BadLevel(_) => "bad_level",
            Self::Write(_) => "write_failed",
        }
    }

    pub(super) fn not_allowed(element: &str, value: &str) -> Self {
        Self::ValueNotAllowed {
            element: element.to_owned(),
            value: shorten(value),
        }
    }

    pub(super) fn invalid(element: &str, value: &str, reason: &str) -> Self {
        Self::InvalidValue {
            element: element.to_owned(),
            value: shorten(value),
            reason: reason.to_owned(),
        }
    }
}

impl From<std::io::Error> for CapError {
    fn from(e: std::io::Error) -> Self {
        Self::Write(e.to_string())
    }
}

/// Keeps messages readable when the offending value is a 1000-point polygon.
pub(super) fn shorten(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        return value.to_owned();
    }
    let head: String = value.chars().take(MAX).collect();
    format!("{head}…")
}
