//! The report as an official letter (GB/T 9704-style, through `platform::web::letter`): the
//! meeting, the judgments one by one, the measures, the issuer. Built once when issued and
//! stored, so reprints never change.

use chrono::NaiveDate;
use platform::web::letter::{Letter, written_date};

use super::store::Consultation;

/// 一 … 九十九, as official documents number their sections.
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = (n / 10, n % 10);
    let unit = if ones == 0 { "" } else { DIGITS[ones] };
    match tens {
        0 => DIGITS[ones].to_string(),
        1 => format!("十{unit}"),
        2..=9 => format!("{}十{unit}", DIGITS[tens]),
        _ => n.to_string(),
    }
}

fn opening(c: &Consultation, county_name: &str) -> String {
    let experts = c
        .experts
        .as_deref()
        .map(|e| format!("及受邀专家（{e}）"))
        .unwrap_or_default();
    let departments = match c.departments.is_empty() {
        true => "有关部门".to_string(),
        false => c.department_names(),
    };
    format!(
        "{}，{}组织{departments}{experts}召开风险会商会，对{}至{}{county_name}自然灾害风险形势进行会商研判。现将会商意见报告如下。",
        written_date(c.meeting_on),
        c.convener,
        written_date(c.period_from),
        written_date(c.period_to),
    )
}

fn judgment_paragraphs(c: &Consultation) -> Vec<String> {
    c.judgments
        .iter()
        .enumerate()
        .map(|(i, j)| {
            format!(
                "（{}）{}：{}，风险等级{}。{}",
                chinese_number(i + 1),
                j.hazard_label,
                j.area_names(),
                j.level.label(),
                j.text.trim()
            )
        })
        .collect()
}

/// The letter of `c` numbered `number` and dated `day`.
pub fn letter(c: &Consultation, county_name: &str, number: &str, day: NaiveDate) -> Letter {
    let mut paragraphs = vec![opening(c, county_name), "一、风险研判".to_string()];
    paragraphs.extend(judgment_paragraphs(c));
    paragraphs.push("二、防范措施建议".to_string());
    paragraphs.extend(
        c.measures
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string),
    );
    Letter {
        authority: format!("{county_name}应急管理局"),
        title: c.title.clone(),
        number: number.to_string(),
        addressee: "各乡镇人民政府，县级有关部门".to_string(),
        paragraphs,
        signatures: vec![format!("签发人：{}", c.issuer.as_deref().unwrap_or(""))],
        date: written_date(day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_numbered_in_chinese() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(35), "三十五");
    }
}
