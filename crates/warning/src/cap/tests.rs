use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{DateTime, FixedOffset};

use super::profile::{self, DIVISION_GEOCODE};
use super::*;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/cap/CAP-v1.2.xsd"
);
const CITY_WARNING: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cap/mianyang-rainstorm-orange.xml"
));

/// Validates against the OASIS XSD with xmllint; fails (never skips) when xmllint is missing.
fn assert_valid_cap(xml: &str) {
    assert!(
        Path::new(SCHEMA).exists(),
        "CAP schema not found at {SCHEMA}"
    );
    let mut child = Command::new("xmllint")
        .args(["--noout", "--schema", SCHEMA, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run xmllint ({e}); install libxml2-utils"));
    let mut stdin = child.stdin.take().expect("xmllint stdin");
    stdin.write_all(xml.as_bytes()).expect("write to xmllint");
    drop(stdin);
    let out = child.wait_with_output().expect("xmllint output");
    assert!(
        out.status.success(),
        "xmllint rejected the XML:\n{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test time")
}

/// Example codes: 三台县 510722, its townships 潼川镇 510722100 and 北坝镇 510722101; the agency
/// code 001 is made up for the tests.
fn red_warning() -> Alert {
    let sent = t("2025-07-10T16:05:00+08:00");
    let identifier = profile::identifier("510722", "001", "000", "00", sent, 1).unwrap();
    let mut alert = Alert::new(identifier, "51072200100000", sent);
    alert.infos.push(red_info(sent));
    alert
}

fn red_info(sent: DateTime<FixedOffset>) -> Info {
    let mut info = Info::new("暴雨", Category::Met);
    info.categories.push(Category::Geo);
    info.response_types = vec![ResponseType::Evacuate, ResponseType::Prepare];
    info.urgency = Urgency::Immediate;
    info.certainty = Certainty::Likely;
    profile::set_level(&mut info, 1).unwrap();
    info.event_codes = vec![ValuePair::new("国家预警信息类别", "11B03")];
    info.effective = Some(sent);
    info.onset = Some(t("2025-07-10T17:00:00+08:00"));
    info.expires = Some(t("2025-07-11T16:00:00+08:00"));
    info.sender_name = Some("三台县应急管理局".into());
    info.headline = Some("三台县发布暴雨红色预警".into());
    info.description =
        Some("预计未来6小时潼川镇、北坝镇降雨量将达100毫米以上 & 局地<150毫米>。".into());
    info.instruction = Some("立即转移山洪灾害危险区群众，各村落实叫应。".into());
    info.contact = Some("0816-5222110".into());
    info.areas.push(townships_area());
    info
}

fn townships_area() -> Area {
    let mut area = Area::new("三台县潼川镇、北坝镇");
    area.polygons.push(vec![
        (31.12, 105.05),
        (31.12, 105.13),
        (31.05, 105.13),
        (31.05, 105.05),
        (31.12, 105.05),
    ]);
    area.circles.push(Circle {
        lat: 31.09,
        lon: 105.09,
        radius_km: 5.5,
    });
    area.geocodes = vec![
        profile::division_geocode("510722100"),
        profile::division_geocode("510722101"),
    ];
    area
}

fn follow_up(original: &Alert, msg_type: MsgType, sequence: u8) -> Alert {
    let sent = t("2025-07-10T20:00:00+08:00");
    let id = profile::identifier("510722", "001", "000", "00", sent, sequence).unwrap();
    let mut alert = Alert::new(id, original.sender.clone(), sent);
    alert.msg_type = msg_type;
    alert.references.push(original.reference());
    alert
}

fn orange_update(original: &Alert) -> Alert {
    let mut alert = follow_up(original, MsgType::Update, 2);
    let mut info = red_info(alert.sent);
    profile::set_level(&mut info, 2).unwrap();
    info.headline = Some("三台县暴雨预警降为橙色".into());
    alert.infos.push(info);
    alert
}

fn cancel(original: &Alert) -> Alert {
    let mut alert = follow_up(original, MsgType::Cancel, 3);
    let mut info = Info::new("暴雨", Category::Met);
    info.response_types = vec![ResponseType::AllClear];
    info.urgency = Urgency::Past;
    info.certainty = Certainty::Observed;
    info.headline = Some("三台县解除暴雨预警".into());
    info.areas.push(townships_area());
    alert.infos.push(info);
    alert
}

// ---- export ----

#[test]
fn red_warning_for_two_townships_is_valid_cap() {
    let xml = to_xml(&red_warning()).unwrap();
    assert_valid_cap(&xml);
    assert!(xml.contains(r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">"#));
    assert!(xml.contains("<identifier>51072200100000_20250710160500_1</identifier>"));
    assert!(xml.contains("<sent>2025-07-10T16:05:00+08:00</sent>"));
    assert!(xml.contains("<severity>Extreme</severity>"));
    assert!(xml.contains("<valueName>预警颜色</valueName>"));
    assert!(xml.contains("<value>红色</value>"));
    assert!(xml.contains(
        "<polygon>31.12,105.05 31.12,105.13 31.05,105.13 31.05,105.05 31.12,105.05</polygon>"
    ));
    assert!(xml.contains("<circle>31.09,105.09 5.5</circle>"));
    assert!(xml.contains("<valueName>行政区划代码</valueName>"));
    assert!(xml.contains("<value>510722101</value>"));
    assert!(xml.contains("&amp; 局地&lt;150毫米&gt;"));
}

#[test]
fn update_and_cancel_reference_the_original_and_are_valid() {
    let original = red_warning();
    let expected = "<references>51072200100000,51072200100000_20250710160500_1,2025-07-10T16:05:00+08:00</references>";
    for alert in [orange_update(&original), cancel(&original)] {
        let xml = to_xml(&alert).unwrap();
        assert_valid_cap(&xml);
        assert!(xml.contains(expected), "{xml}");
    }
    let update = to_xml(&orange_update(&original)).unwrap();
    assert!(update.contains("<msgType>Update</msgType>") && update.contains("<value>橙色</value>"));
    let cancel = to_xml(&cancel(&original)).unwrap();
    assert!(cancel.contains("<msgType>Cancel</msgType>"));
}

#[test]
fn several_references_are_space_separated() {
    let original = red_warning();
    let mut alert = cancel(&original);
    alert.references.push(orange_update(&original).reference());
    let xml = to_xml(&alert).unwrap();
    assert_valid_cap(&xml);
    assert!(xml.contains("+08:00 51072200100000,51072200100000_20250710200000_2,"));
    assert_eq!(parse(&xml).unwrap().references, alert.references);
}

#[test]
fn round_trip_gives_the_same_alert() {
    let original = red_warning();
    for alert in [
        original.clone(),
        orange_update(&original),
        cancel(&original),
    ] {
        let xml = to_xml(&alert).unwrap();
        let back = parse(&xml).unwrap();
        assert_eq!(back, alert);
        // DateTime equality ignores the offset; the text must keep +08:00.
        assert_eq!(back.sent.offset(), alert.sent.offset());
        assert_eq!(to_xml(&back).unwrap(), xml);
    }
}

#[test]
fn other_offsets_are_kept_and_never_written_as_z() {
    let mut alert = red_warning();
    alert.sent = t("2025-07-10T08:05:00+00:00");
    alert.infos[0].expires = Some(t("2025-07-10T03:05:00-05:00"));
    let xml = to_xml(&alert).unwrap();
    assert_valid_cap(&xml);
    assert!(xml.contains("<sent>2025-07-10T08:05:00+00:00</sent>"));
    assert!(xml.contains("<expires>2025-07-10T03:05:00-05:00</expires>"));
    assert!(!xml.contains("Z<"));
}

#[test]
fn sub_seconds_are_dropped() {
    let mut alert = red_warning();
    alert.sent = t("2025-07-10T16:05:00.750+08:00");
    let xml = to_xml(&alert).unwrap();
    assert!(xml.contains("<sent>2025-07-10T16:05:00+08:00</sent>"));
}

#[test]
fn open_polygon_is_closed_on_export() {
    let mut alert = red_warning();
    alert.infos[0].areas[0].polygons = vec![vec![(31.0, 105.0), (31.1, 105.0), (31.1, 105.1)]];
    let xml = to_xml(&alert).unwrap();
    assert_valid_cap(&xml);
    assert!(xml.contains("<polygon>31,105 31.1,105 31.1,105.1 31,105</polygon>"));
    let ring = &parse(&xml).unwrap().infos[0].areas[0].polygons[0];
    assert_eq!(ring.len(), 4);
}

#[test]
fn national_severity_is_exported_as_oasis_with_the_colour() {
    let mut alert = red_warning();
    let info = &mut alert.infos[0];
    info.parameters.clear();
    info.severity = Severity::Yellow;
    let xml = to_xml(&alert).unwrap();
    assert_valid_cap(&xml);
    assert!(xml.contains("<severity>Moderate</severity>") && xml.contains("<value>黄色</value>"));
}

#[test]
fn alert_without_info_and_restricted_scope_are_valid() {
    let mut alert = Alert::new("sys-1", "yingji", t("2025-07-10T16:05:00+08:00"));
    alert.status = Status::Test;
    alert.scope = Scope::Restricted;
    alert.restriction = Some("仅限县防汛办".into());
    alert.note = Some("系统测试".into());
    let xml = to_xml(&alert).unwrap();
    assert_valid_cap(&xml);
    assert_eq!(parse(&xml).unwrap(), alert);
}

// ---- import ----

#[test]
fn imports_a_city_weather_warning() {
    let alert = parse(CITY_WARNING).unwrap();
    assert_eq!(alert.identifier, "51070004100000_20250710143000_1");
    assert_eq!(alert.sent, t("2025-07-10T14:30:00+08:00"));
    assert_eq!(
        (alert.status, alert.msg_type, alert.scope),
        (Status::Actual, MsgType::Alert, Scope::Public)
    );
    let info = &alert.infos[0];
    assert_eq!(info.language, "zh-CN");
    assert_eq!(info.categories, [Category::Met]);
    assert_eq!(info.event, "暴雨");
    assert_eq!(info.severity, Severity::Orange);
    assert_eq!(profile::level_of(info), Some(2));
    assert_eq!(
        info.event_codes,
        [ValuePair::new("国家预警信息类别", "11B03")]
    );
    assert_eq!(info.sender_name.as_deref(), Some("绵阳市气象台"));
    assert!(
        info.description
            .as_deref()
            .unwrap()
            .starts_with("绵阳市气象台2025年")
    );
    assert_eq!(info.expires, Some(t("2025-07-11T14:30:00+08:00")));
    let area = &info.areas[0];
    assert_eq!(
        profile::division_codes(area),
        ["510722", "510723", "510725"]
    );
    assert_eq!(area.polygons[0].len(), 5);
    let id = profile::parse_identifier(&alert.identifier).unwrap();
    assert_eq!(id.division_code, "510700");
}

#[test]
fn imported_national_warning_exports_as_valid_cap() {
    let xml = to_xml(&parse(CITY_WARNING).unwrap()).unwrap();
    assert_valid_cap(&xml);
    assert!(xml.contains("<severity>Severe</severity>") && xml.contains("<value>橙色</value>"));
    assert!(!xml.contains("<resource>"));
}

#[test]
fn imports_cap_1_1_prefixed_and_unordered() {
    let xml = r#"<cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.1">
        <cap:sender>city</cap:sender><cap:identifier>x1</cap:identifier>
        <cap:sent>2025-07-10T14:30:00+08:00</cap:sent><cap:status>Actual</cap:status>
        <cap:msgType>Alert</cap:msgType><cap:scope>Public</cap:scope>
        <cap:info><cap:category>Met</cap:category><cap:event>大风</cap:event>
          <cap:urgency>Future</cap:urgency><cap:severity>Blue</cap:severity>
          <cap:certainty>Possible</cap:certainty>
          <cap:area><cap:areaDesc>全市</cap:areaDesc>
            <cap:geocode><cap:valueName>ZONECODE</cap:valueName><cap:value>510700</cap:value></cap:geocode>
          </cap:area></cap:info>
        <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><identifier>ignored</identifier></Signature>
        </cap:alert>"#;
    let alert = parse(xml).unwrap();
    assert_eq!(alert.identifier, "x1");
    assert_eq!(alert.infos[0].language, DEFAULT_LANGUAGE);
    assert_eq!(profile::level_of(&alert.infos[0]), Some(4));
    assert_eq!(
        profile::division_codes(&alert.infos[0].areas[0]),
        ["510700"]
    );
}

// ---- the national profile ----

#[test]
fn builds_and_reads_national_identifiers() {
    let entered = t("2025-07-10T08:05:09+00:00");
    let id = profile::identifier("510722", "001", "002", "03", entered, 7).unwrap();
    assert_eq!(id, "51072200100203_20250710160509_7");
    let parts = profile::parse_identifier(&id).unwrap();
    assert_eq!(
        (
            parts.division_code.as_str(),
            parts.agency.as_str(),
            parts.unit.as_str()
        ),
        ("510722", "001", "002")
    );
    assert_eq!((parts.extension.as_str(), parts.sequence), ("03", 7));
    assert_eq!(parts.entered, entered);
    assert_eq!(parts.entered.offset(), &profile::beijing());
    assert_eq!(parts.to_string(), id);
}

#[test]
fn refuses_bad_national_identifiers() {
    let at = t("2025-07-10T16:05:00+08:00");
    let bad = [
        profile::identifier("51072", "001", "000", "00", at, 0),
        profile::identifier("510722", "01", "000", "00", at, 0),
        profile::identifier("510722", "001", "00a", "00", at, 0),
        profile::identifier("510722", "001", "000", "000", at, 0),
        profile::identifier("５１０７２２", "001", "000", "00", at, 0),
        profile::identifier("510722", "001", "000", "00", at, 10),
    ];
    for result in bad {
        assert_eq!(result.unwrap_err().code(), "bad_profile_identifier");
    }
    let err = profile::identifier("51072", "001", "000", "00", at, 0).unwrap_err();
    assert!(
        err.to_string().contains("行政区划代码应为 6 位数字"),
        "{err}"
    );
    for id in [
        "",
        "51072200100000",
        "51072200100000_20250710160500",
        "5107220010000_20250710160500_1",
        "51072200100000_20250230160500_1",
        "51072200100000_20250710160500_12",
        "51072200100000_20250710160500_1_x",
    ] {
        assert_eq!(
            profile::parse_identifier(id).unwrap_err().code(),
            "bad_profile_identifier",
            "{id}"
        );
    }
}

#[test]
fn levels_map_to_severities_and_colours() {
    let expected = [
        (1, Severity::Extreme, "红色"),
        (2, Severity::Severe, "橙色"),
        (3, Severity::Moderate, "黄色"),
        (4, Severity::Minor, "蓝色"),
    ];
    for (level, severity, colour) in expected {
        assert_eq!(profile::severity_of_level(level), Some(severity));
        assert_eq!(profile::colour_of_level(level), Some(colour));
        let mut info = Info::new("暴雨", Category::Met);
        profile::set_level(&mut info, level).unwrap();
        assert_eq!(profile::level_of(&info), Some(level));
    }
    for level in [0, 5, 255] {
        assert_eq!(profile::severity_of_level(level), None);
        assert_eq!(profile::colour_of_level(level), None);
    }
    let mut info = Info::new("暴雨", Category::Met);
    assert_eq!(
        profile::set_level(&mut info, 0).unwrap_err().code(),
        "bad_level"
    );
}

#[test]
fn level_of_prefers_the_colour_parameter() {
    let mut info = Info::new("暴雨", Category::Met);
    assert_eq!(profile::level_of(&info), None);
    info.severity = Severity::Minor;
    assert_eq!(profile::level_of(&info), Some(4));
    info.parameters
        .push(ValuePair::new(profile::COLOUR_PARAMETER, "红色"));
    assert_eq!(profile::level_of(&info), Some(1));
    info.parameters[0].value = "紫色".into();
    assert_eq!(profile::level_of(&info), Some(4));
    info.parameters.clear();
    info.severity = Severity::Yellow;
    assert_eq!(profile::level_of(&info), Some(3));
    for (colour, level) in [("Red", 1), ("橙", 2), (" yellow ", 3), ("BLUE", 4)] {
        assert_eq!(profile::level_of_colour(colour), Some(level));
    }
    // Setting a level replaces the earlier colour instead of adding a second one.
    profile::set_level(&mut info, 1).unwrap();
    profile::set_level(&mut info, 2).unwrap();
    assert_eq!(
        info.parameters,
        [ValuePair::new(profile::COLOUR_PARAMETER, "橙色")]
    );
    assert_eq!(info.parameters[0].value_name, "预警颜色");
    assert_eq!(
        profile::division_geocode("510722100").value_name,
        DIVISION_GEOCODE
    );
}

// ---- import errors ----

const MINIMAL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>a1</identifier>
  <sender>s1</sender>
  <sent>2025-07-10T16:05:00+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Met</category>
    <event>暴雨</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Likely</certainty>
    <area>
      <areaDesc>潼川镇</areaDesc>
      <polygon>31,105 31.1,105 31.1,105.1 31,105</polygon>
      <circle>31,105 2</circle>
    </area>
  </info>
</alert>"#;

/// MINIMAL with one substring replaced, which must be present.
fn minimal_with(from: &str, to: &str) -> String {
    assert!(MINIMAL.contains(from), "{from}");
    MINIMAL.replacen(from, to, 1)
}

fn import_error(xml: &str) -> CapError {
    parse(xml).expect_err("import should fail")
}

#[test]
fn minimal_alert_imports_and_is_valid() {
    assert_valid_cap(MINIMAL);
    let alert = parse(MINIMAL).unwrap();
    assert_eq!(alert.infos[0].areas[0].circles[0].radius_km, 2.0);
}

#[test]
fn import_errors_name_what_is_wrong() {
    let cases: Vec<(String, &str, &str)> = vec![
        ("这不是 XML".into(), "not_xml", "不是有效的 XML"),
        ("<alert><sent></alert>".into(), "not_xml", "不是有效的 XML"),
        (MINIMAL.replace("</alert>", ""), "not_xml", "未结束"),
        (minimal_with("潼川镇", "&nbsp;"), "not_xml", "未知的实体"),
        (
            minimal_with("<alert xmlns", "<warning xmlns").replace("</alert>", "</warning>"),
            "wrong_root",
            "warning",
        ),
        (minimal_with("cap:1.2", "cap:9"), "wrong_namespace", "cap:9"),
        (
            minimal_with(r#" xmlns="urn:oasis:names:tc:emergency:cap:1.2""#, ""),
            "wrong_namespace",
            "无命名空间",
        ),
        (
            minimal_with("<sent>2025-07-10T16:05:00+08:00</sent>", ""),
            "missing_element",
            "缺少必填元素 sent",
        ),
        (
            minimal_with("<category>Met</category>", ""),
            "missing_element",
            "缺少必填元素 info/category",
        ),
        (
            minimal_with("<areaDesc>潼川镇</areaDesc>", ""),
            "missing_element",
            "info/area/areaDesc",
        ),
        (
            minimal_with("<identifier>a1</identifier>", "<identifier> </identifier>"),
            "empty_element",
            "identifier",
        ),
        (
            minimal_with(
                "<sender>s1</sender>",
                "<sender>s1</sender><sender>s2</sender>",
            ),
            "duplicate_element",
            "sender",
        ),
        (
            minimal_with("<msgType>Alert", "<msgType>Foo"),
            "value_not_allowed",
            "msgType 的值 Foo 不是 CAP 1.2 允许的值",
        ),
        (
            minimal_with("<severity>Extreme", "<severity>Purple"),
            "value_not_allowed",
            "info/severity 的值 Purple",
        ),
        (
            minimal_with("<status>Actual", "<status>actual"),
            "value_not_allowed",
            "status",
        ),
        (
            minimal_with("+08:00</sent>", "</sent>"),
            "time_without_offset",
            "sent 的时间",
        ),
        (
            minimal_with("16:05:00+08:00</sent>", "08:05:00Z</sent>"),
            "time_zulu",
            "Z",
        ),
        (
            minimal_with(
                "2025-07-10T16:05:00+08:00</sent>",
                "2025-07-10 16:05</sent>",
            ),
            "bad_time",
            "sent",
        ),
        (
            minimal_with(
                "2025-07-10T16:05:00+08:00</sent>",
                "2025-02-30T16:05:00+08:00</sent>",
            ),
            "bad_time",
            "sent",
        ),
        (
            minimal_with("16:05:00+08:00</sent>", "16:05:00.5+08:00</sent>"),
            "bad_time",
            "sent",
        ),
        (
            minimal_with("31.1,105.1 31,105<", "31.1,105.1 31.2,105<"),
            "polygon_not_closed",
            "未闭合",
        ),
        (
            minimal_with(
                "31,105 31.1,105 31.1,105.1 31,105",
                "31,105 31.1,105 31,105",
            ),
            "polygon_too_short",
            "3 个不同的点",
        ),
        (
            minimal_with("31.1,105.1 31,105<", "31.1,200 31,105<"),
            "bad_coordinate",
            "31.1,200",
        ),
        (
            minimal_with("31.1,105.1 31,105<", "31.1;105.1 31,105<"),
            "bad_coordinate",
            "polygon",
        ),
        (
            minimal_with("<circle>31,105 2</circle>", "<circle>31,105</circle>"),
            "bad_circle",
            "circle",
        ),
        (
            minimal_with("<circle>31,105 2</circle>", "<circle>31,105 -2</circle>"),
            "bad_circle",
            "circle",
        ),
        (
            minimal_with(
                "<scope>Public</scope>",
                "<scope>Public</scope><references>s1,a0</references>",
            ),
            "bad_references",
            "references",
        ),
        (
            minimal_with(
                "<scope>Public</scope>",
                "<scope>Public</scope><references>s1,a0,2025-07-10T16:05:00Z</references>",
            ),
            "time_zulu",
            "references",
        ),
    ];
    for (xml, code, message) in cases {
        let err = import_error(&xml);
        assert_eq!(err.code(), code, "{err} for\n{xml}");
        assert!(err.to_string().contains(message), "{err:?} lacks {message}");
    }
}

#[test]
fn value_element_is_required_in_pairs() {
    let xml = minimal_with(
        "<areaDesc>潼川镇</areaDesc>",
        "<areaDesc>潼川镇</areaDesc><geocode><valueName>行政区划代码</valueName></geocode>",
    );
    let err = import_error(&xml);
    assert_eq!(err.to_string(), "缺少必填元素 info/area/geocode/value");
}

#[test]
fn garbage_and_truncated_input_never_panics() {
    let full = to_xml(&red_warning()).unwrap();
    let end = full.rfind("</alert>").unwrap();
    for (i, _) in full.char_indices().filter(|(i, _)| *i < end) {
        assert!(parse(&full[..i]).is_err(), "prefix of {i} bytes parsed");
    }
    for (i, _) in CITY_WARNING.char_indices() {
        let _ = parse(&CITY_WARNING[..i]);
        let _ = parse(&CITY_WARNING[i..]);
    }
    let nasty = [
        "",
        " ",
        "<",
        "<?xml",
        "<alert",
        "<alert/>",
        "<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'/>",
        "<a:alert/>",
        "</alert>",
        "<alert></alert><alert></alert>",
        "<!DOCTYPE alert [<!ENTITY x 'y'>]><alert>&x;</alert>",
        "<alert>&#0;</alert>",
        "<alert>&#xFFFFFFFF;</alert>",
        "<alert><![CDATA[",
        "\u{0}\u{1}\u{FFFF}",
        "<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><sent>9999999999-99-99T99:99:99+99:99</sent></alert>",
    ];
    for input in nasty {
        assert!(parse(input).is_err(), "{input}");
    }
    let deep = "<a>".repeat(100_000);
    assert_eq!(parse(&deep).unwrap_err().code(), "not_xml");
    let mut seed = 0x2545_f491_u32;
    let tokens = [
        "<", ">", "/", "alert", "info", "sent", "=", "'", "&", ";", "#", "x", ":", " ", "\u{4e2d}",
        "]]>", "<!", "?",
    ];
    for _ in 0..2_000 {
        let mut input = String::new();
        for _ in 0..40 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            input.push_str(tokens[seed as usize % tokens.len()]);
        }
        let _ = parse(&input);
    }
}

// ---- export errors ----

fn far_future() -> DateTime<FixedOffset> {
    let naive = chrono::NaiveDate::from_ymd_opt(10_000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    naive.and_local_timezone(profile::beijing()).unwrap()
}

fn export_error(alert: &Alert) -> CapError {
    to_xml(alert).expect_err("export should fail")
}

#[test]
fn export_refuses_what_is_not_valid_cap() {
    let with = |change: fn(&mut Alert)| {
        let mut alert = red_warning();
        change(&mut alert);
        export_error(&alert)
    };
    let cases: Vec<(CapError, &str)> = vec![
        (with(|a| a.identifier = "a 1".into()), "invalid_value"),
        (with(|a| a.sender = "s,1".into()), "invalid_value"),
        (with(|a| a.sender = String::new()), "empty_element"),
        (with(|a| a.msg_type = MsgType::Update), "missing_element"),
        (with(|a| a.scope = Scope::Private), "missing_element"),
        (with(|a| a.infos[0].categories.clear()), "missing_element"),
        (with(|a| a.infos[0].event = " ".into()), "empty_element"),
        (
            with(|a| a.infos[0].language = "中文".into()),
            "invalid_value",
        ),
        (
            with(|a| a.infos[0].headline = Some("bell\u{7}".into())),
            "invalid_value",
        ),
        (
            with(|a| a.infos[0].parameters[0].value_name.clear()),
            "empty_element",
        ),
        (with(|a| a.infos[0].areas[0].desc.clear()), "empty_element"),
        (
            with(|a| {
                a.infos[0].areas[0].polygons[0] = vec![(31.0, 105.0), (31.1, 105.0), (31.0, 105.0)]
            }),
            "polygon_too_short",
        ),
        (
            with(|a| {
                a.infos[0].areas[0].polygons[0] =
                    vec![(31.0, 105.0), (f64::NAN, 105.0), (31.1, 105.1)]
            }),
            "bad_coordinate",
        ),
        (
            with(|a| a.infos[0].areas[0].circles[0].radius_km = -1.0),
            "bad_circle",
        ),
        (with(|a| a.sent = far_future()), "invalid_value"),
    ];
    for (err, code) in cases {
        assert_eq!(err.code(), code, "{err}");
    }
    let err = with(|a| a.msg_type = MsgType::Cancel);
    assert_eq!(err.to_string(), "缺少必填元素 references");
}
