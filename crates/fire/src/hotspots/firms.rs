//! Reading NASA FIRMS active-fire CSV files (the MODIS and VIIRS layouts): one detection per
//! row, its acquisition time turned from UTC date + HHMM into an instant. A file lacking a
//! column every row needs is refused whole; a bad row is reported by line and the others kept.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

/// Which sensor's layout a file has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// `brightness`, `bright_t31`, numeric confidence 0–100.
    Modis,
    /// `bright_ti4`, `bright_ti5`, confidence l / n / h.
    Viirs,
}

impl Layout {
    pub fn code(self) -> &'static str {
        match self {
            Self::Modis => "modis",
            Self::Viirs => "viirs",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Modis => "MODIS",
            Self::Viirs => "VIIRS",
        }
    }
}

/// One detected fire pixel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detection {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub layout: Layout,
    pub latitude: f64,
    pub longitude: f64,
    pub acquired_at: DateTime<Utc>,
    /// A Aqua, T Terra, N S-NPP, N20/1 NOAA-20, N21 NOAA-21.
    pub satellite: String,
    /// MODIS: 0–100; VIIRS: l / n / h (as written).
    pub confidence: String,
    /// Brightness temperature (K): `brightness` or `bright_ti4`.
    pub brightness: Option<f64>,
    /// Fire radiative power (MW).
    pub frp: Option<f64>,
    /// D or N.
    pub daynight: String,
}

/// A row that could not be read (`row` is the line in the file, the header being line 1).
pub use platform::web::import::RowError;

/// What a file held: the readable detections and the rows that were not.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub detections: Vec<Detection>,
    pub errors: Vec<RowError>,
}

/// Why a whole file was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("文件不是 UTF-8 编码的 CSV")]
    NotText,
    #[error("文件为空，没有表头")]
    Empty,
    #[error("不是 FIRMS 火点文件：缺少列 {0}")]
    MissingColumns(String),
}

const NEEDED: [&str; 5] = ["latitude", "longitude", "acq_date", "acq_time", "satellite"];

struct Columns {
    layout: Layout,
    latitude: usize,
    longitude: usize,
    acq_date: usize,
    acq_time: usize,
    satellite: usize,
    confidence: Option<usize>,
    brightness: Option<usize>,
    frp: Option<usize>,
    daynight: Option<usize>,
}

impl Columns {
    fn find(headers: &csv::StringRecord) -> Result<Self, FileError> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        let at = |name: &str| names.iter().position(|n| n == name);
        let layout = if at("bright_ti4").is_some() {
            Layout::Viirs
        } else {
            Layout::Modis
        };
        let brightness = match layout {
            Layout::Viirs => at("bright_ti4"),
            Layout::Modis => at("brightness"),
        };
        let mut missing: Vec<&str> = NEEDED.into_iter().filter(|n| at(n).is_none()).collect();
        if brightness.is_none() {
            missing.push("brightness / bright_ti4");
        }
        if !missing.is_empty() {
            return Err(FileError::MissingColumns(missing.join("、")));
        }
        let need = |name: &str| at(name).unwrap_or_default();
        Ok(Self {
            layout,
            latitude: need("latitude"),
            longitude: need("longitude"),
            acq_date: need("acq_date"),
            acq_time: need("acq_time"),
            satellite: need("satellite"),
            confidence: at("confidence"),
            brightness,
            frp: at("frp"),
            daynight: at("daynight"),
        })
    }
}

/// Read a FIRMS CSV file.
pub fn parse(bytes: &[u8]) -> Result<Parsed, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotText)?;
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| FileError::NotText)?.clone();
    let columns = Columns::find(&headers)?;
    let mut parsed = Parsed::default();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let result = record
            .map_err(|_| "无法读取这一行".to_string())
            .and_then(|r| detection(&columns, &r, line));
        match result {
            Ok(d) => parsed.detections.push(d),
            Err(message) => parsed.errors.push(RowError { row: line, message }),
        }
    }
    Ok(parsed)
}

fn detection(c: &Columns, r: &csv::StringRecord, line: usize) -> Result<Detection, String> {
    let field = |i: usize| r.get(i).map(str::trim).unwrap_or_default();
    let optional = |i: Option<usize>| i.map(field).unwrap_or_default();
    let latitude = number(field(c.latitude), "latitude")?;
    let longitude = number(field(c.longitude), "longitude")?;
    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
        return Err(format!("经纬度超出范围：{latitude}, {longitude}"));
    }
    let acquired_at = acquired_at(field(c.acq_date), field(c.acq_time))?;
    let satellite = field(c.satellite);
    if satellite.is_empty() {
        return Err("satellite 为空".to_string());
    }
    let measure = |i: Option<usize>, name: &str| match optional(i) {
        "" => Ok(None),
        text => number(text, name).map(Some),
    };
    Ok(Detection {
        line,
        layout: c.layout,
        latitude,
        longitude,
        acquired_at,
        satellite: satellite.to_string(),
        confidence: confidence(c.layout, optional(c.confidence))?,
        brightness: measure(c.brightness, "brightness")?,
        frp: measure(c.frp, "frp")?,
        daynight: optional(c.daynight).to_string(),
    })
}

fn number(text: &str, name: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| format!("{name} 不是数字：「{text}」"))
}

/// `acq_date` YYYY-MM-DD and `acq_time` HHMM in UTC; FIRMS drops leading zeros (`5` is 00:05).
pub fn acquired_at(date: &str, time: &str) -> Result<DateTime<Utc>, String> {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| format!("acq_date 应为 YYYY-MM-DD：「{date}」"))?;
    let odd = || format!("acq_time 应为 UTC 时分 HHMM：「{time}」");
    if time.is_empty() || time.len() > 4 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return Err(odd());
    }
    let hhmm: u32 = time.parse().map_err(|_| odd())?;
    let at = NaiveTime::from_hms_opt(hhmm / 100, hhmm % 100, 0).ok_or_else(odd)?;
    Ok(day.and_time(at).and_utc())
}

fn confidence(layout: Layout, text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Ok(String::new());
    }
    let ok = match layout {
        Layout::Modis => text.parse::<u8>().is_ok_and(|n| n <= 100),
        Layout::Viirs => matches!(
            text.to_ascii_lowercase().as_str(),
            "l" | "n" | "h" | "low" | "nominal" | "high"
        ),
    };
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!("confidence 不正确：「{text}」"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rows in the layouts FIRMS publishes (values from its documentation's samples, moved to
    // Sichuan).
    const MODIS: &str = "latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight\n\
31.0920,105.0910,326.4,1.1,1.0,2026-03-02,512,T,MODIS,74,6.1NRT,294.3,23.9,D\n\
31.1000,105.1000,310.1,1.0,1.0,2026-03-02,0512,A,MODIS,48,6.1NRT,290.0,8.2,D\n";

    const VIIRS: &str = "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight\n\
31.09242,105.09377,340.21,0.39,0.36,2026-03-02,1748,N,VIIRS,n,2.0NRT,289.5,5.12,N\n\
31.09301,105.09412,331.05,0.39,0.36,2026-03-02,1748,N20,VIIRS,h,2.0NRT,288.1,3.4,N\n";

    #[test]
    fn modis_rows_read_with_utc_times() {
        let p = parse(MODIS.as_bytes()).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.detections.len(), 2);
        let d = &p.detections[0];
        assert_eq!(d.layout, Layout::Modis);
        assert_eq!(d.line, 2);
        assert_eq!(d.acquired_at.to_rfc3339(), "2026-03-02T05:12:00+00:00");
        assert_eq!(d.confidence, "74");
        assert_eq!(d.brightness, Some(326.4));
        assert_eq!(d.frp, Some(23.9));
        // `512` and `0512` are the same time.
        assert_eq!(p.detections[1].acquired_at, d.acquired_at);
    }

    #[test]
    fn viirs_rows_read() {
        let p = parse(VIIRS.as_bytes()).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let d = &p.detections[1];
        assert_eq!(d.layout, Layout::Viirs);
        assert_eq!(d.satellite, "N20");
        assert_eq!(d.confidence, "h");
        assert_eq!(d.brightness, Some(331.05));
        assert_eq!(d.acquired_at.to_rfc3339(), "2026-03-02T17:48:00+00:00");
    }

    #[test]
    fn missing_columns_refuse_the_file() {
        let err = parse(b"lat,lon,acq_date\n31,105,2026-03-02\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "不是 FIRMS 火点文件：缺少列 latitude、longitude、acq_time、satellite、brightness / bright_ti4"
        );
        assert_eq!(parse(b"  \n").unwrap_err(), FileError::Empty);
        assert_eq!(parse(&[0xff, 0xfe, 0x00]).unwrap_err(), FileError::NotText);
    }

    #[test]
    fn bad_rows_are_named_and_the_rest_kept() {
        let text = format!(
            "{MODIS}abc,105.1,300,1,1,2026-03-02,0512,T,MODIS,50,6.1NRT,290,1,D\n\
31.1,105.1,300,1,1,2026-03-02,2561,T,MODIS,50,6.1NRT,290,1,D\n\
31.1,105.1,300,1,1,2026/03/02,0512,T,MODIS,50,6.1NRT,290,1,D\n\
31.1,105.1,300,1,1,2026-03-02,0512,T,MODIS,150,6.1NRT,290,1,D\n\
95.0,105.1,300,1,1,2026-03-02,0512,T,MODIS,50,6.1NRT,290,1,D\n"
        );
        let p = parse(text.as_bytes()).unwrap();
        assert_eq!(p.detections.len(), 2);
        let lines: Vec<usize> = p.errors.iter().map(|e| e.row).collect();
        assert_eq!(lines, vec![4, 5, 6, 7, 8]);
        assert_eq!(p.errors[0].message, "latitude 不是数字：「abc」");
        assert_eq!(p.errors[1].message, "acq_time 应为 UTC 时分 HHMM：「2561」");
        assert!(p.errors[2].message.starts_with("acq_date"));
        assert!(p.errors[3].message.starts_with("confidence"));
        assert!(p.errors[4].message.starts_with("经纬度超出范围"));
    }

    #[test]
    fn a_bom_and_upper_case_headers_are_fine() {
        let text = format!("\u{feff}{}", MODIS.replacen("latitude", "LATITUDE", 1));
        assert_eq!(parse(text.as_bytes()).unwrap().detections.len(), 2);
    }
}
