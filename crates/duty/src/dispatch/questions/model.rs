//! Questions, their answer kinds and alarm rules, the built-in defaults per season, and the
//! check of one set of answers. Pure: no database, no clock.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::rosters::model::{PeriodKind, code_enum};

/// A question's text is at most this long.
pub const MAX_TEXT: usize = 200;
/// A text answer is at most this long.
pub const MAX_ANSWER: usize = 500;

code_enum! {
    /// 回答方式.
    AnswerKind {
        YesNo = "yes_no", "是/否";
        Number = "number", "数字";
        Text = "text", "文字";
    }
}

code_enum! {
    /// 告警规则: which answer is alarming.
    AlarmRule {
        Yes = "yes", "回答“是”时告警";
        No = "no", "回答“否”时告警";
        GtZero = "gt_zero", "大于 0 时告警";
    }
}

impl AlarmRule {
    /// Whether the rule can judge answers of this kind (text answers never alarm).
    pub fn fits(self, kind: AnswerKind) -> bool {
        matches!(
            (self, kind),
            (Self::Yes | Self::No, AnswerKind::YesNo) | (Self::GtZero, AnswerKind::Number)
        )
    }
}

/// 调度问题. Serialises as the snapshot a dispatch keeps of what it asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Question {
    /// The stored question; `None` for a built-in default not yet adopted.
    pub id: Option<Uuid>,
    /// Stable within a county and kind: answers are keyed by it. Defaults use `on_post`,
    /// `danger`, `evacuated`, `patrol`, `fire`, `other`…; the county's own take their id.
    pub key: String,
    /// The season (duty period kind) it is asked in.
    pub kind: PeriodKind,
    /// Order, from 1.
    pub position: i32,
    pub text: String,
    pub answer_kind: AnswerKind,
    pub required: bool,
    /// Which answer is alarming, if any.
    pub alarm: Option<AlarmRule>,
    /// The stored version (0 for a default).
    pub version: i32,
}

impl Question {
    pub fn answer_kind_label(&self) -> &'static str {
        self.answer_kind.label()
    }

    pub fn alarm_label(&self) -> &'static str {
        self.alarm.map(AlarmRule::label).unwrap_or("")
    }

    /// Whether this answer (already checked) raises an alarm.
    pub fn is_alarming(&self, value: &str) -> bool {
        match self.alarm {
            Some(AlarmRule::Yes) => value == "yes",
            Some(AlarmRule::No) => value == "no",
            Some(AlarmRule::GtZero) => value.parse::<u64>().is_ok_and(|n| n > 0),
            None => false,
        }
    }
}

/// One answer as checked: the value normalised (`yes`/`no`, digits, or the text), and whether
/// it is alarming. A blank optional question has no value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Answer {
    pub key: String,
    /// The question as it was asked.
    pub question: String,
    pub value: Option<String>,
    pub alarming: bool,
}

impl Answer {
    /// The value as people read it: 是/否 for yes/no.
    pub fn shown(&self) -> Option<&str> {
        match self.value.as_deref()? {
            "yes" => Some("是"),
            "no" => Some("否"),
            v => Some(v),
        }
    }

    /// 「问题：答案」, or 「问题？ 答案」 when the question ends in its own punctuation.
    pub fn line(&self) -> Option<String> {
        let value = self.shown()?;
        let sep = if self.question.ends_with(['？', '?', '：', ':']) {
            " "
        } else {
            "："
        };
        Some(format!("{}{sep}{value}", self.question))
    }
}

fn default_question(
    kind: PeriodKind,
    key: &str,
    text: &str,
    answer_kind: AnswerKind,
    required: bool,
    alarm: Option<AlarmRule>,
) -> Question {
    Question {
        id: None,
        key: key.to_string(),
        kind,
        position: 0,
        text: text.to_string(),
        answer_kind,
        required,
        alarm,
        version: 0,
    }
}

/// The built-in questions of a season, in order.
pub fn defaults(kind: PeriodKind) -> Vec<Question> {
    use AlarmRule::*;
    use AnswerKind::*;
    let q = |key, text, answer, required, alarm| {
        default_question(kind, key, text, answer, required, alarm)
    };
    let mut out = match kind {
        PeriodKind::Flood => vec![
            q("on_post", "值班人员是否在岗在位？", YesNo, true, Some(No)),
            q(
                "danger",
                "辖区内是否发生险情或灾情？",
                YesNo,
                true,
                Some(Yes),
            ),
            q("evacuated", "今日转移避险人数", Number, true, Some(GtZero)),
            q("patrol", "水库、山塘、地灾点巡查情况", Text, false, None),
            q("other", "其他需要报告的情况", Text, false, None),
        ],
        PeriodKind::ForestFire => vec![
            q("on_post", "值班人员是否在岗在位？", YesNo, true, Some(No)),
            q("fire", "是否发现火情或烟点？", YesNo, true, Some(Yes)),
            q("patrol", "今日野外用火巡查人次", Number, true, None),
            q("other", "其他情况", Text, false, None),
        ],
        PeriodKind::MajorEvent | PeriodKind::Holiday => vec![
            q("on_post", "值班人员是否在岗在位？", YesNo, true, Some(No)),
            q("incident", "有无安全事件？", YesNo, true, Some(Yes)),
            q("other", "其他情况", Text, false, None),
        ],
    };
    for (i, question) in out.iter_mut().enumerate() {
        question.position = i as i32 + 1;
    }
    out
}

/// A question as typed, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub text: String,
    pub answer_kind: AnswerKind,
    pub required: bool,
    pub alarm: Option<AlarmRule>,
}

/// The rules of a question: text present and short enough, a known answer kind, and an alarm
/// rule (blank for none) that fits the answer kind. Errors are keyed by field.
pub fn check_question(
    text: &str,
    answer_kind: &str,
    required: bool,
    alarm: Option<&str>,
) -> Result<Checked, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let text = text.trim();
    if text.is_empty() {
        errors.insert("text".to_string(), "请填写问题".to_string());
    } else if text.chars().count() > MAX_TEXT {
        errors.insert("text".to_string(), format!("问题不超过 {MAX_TEXT} 个字"));
    }
    let answer_kind_parsed = AnswerKind::parse(answer_kind.trim());
    if answer_kind_parsed.is_none() {
        errors.insert(
            "answer_kind".to_string(),
            "请选择回答方式（是/否、数字或文字）".to_string(),
        );
    }
    let alarm = match alarm.map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(code) => match AlarmRule::parse(code) {
            None => {
                errors.insert("alarm".to_string(), "告警规则不正确".to_string());
                None
            }
            Some(rule) => {
                if let Some(kind) = answer_kind_parsed
                    && !rule.fits(kind)
                {
                    let hint = match kind {
                        AnswerKind::YesNo => "是/否问题只能在回答“是”或“否”时告警",
                        AnswerKind::Number => "数字问题只能在大于 0 时告警",
                        AnswerKind::Text => "文字问题不告警，请不选告警规则",
                    };
                    errors.insert("alarm".to_string(), hint.to_string());
                }
                Some(rule)
            }
        },
    };
    match answer_kind_parsed {
        Some(answer_kind) if errors.is_empty() => Ok(Checked {
            text: text.to_string(),
            answer_kind,
            required,
            alarm,
        }),
        _ => Err(errors),
    }
}

/// A yes/no as answered: `yes`/`no`, also 是/否.
fn yes_no(text: &str) -> Option<&'static str> {
    match text {
        "yes" | "是" | "true" => Some("yes"),
        "no" | "否" | "false" => Some("no"),
        _ => None,
    }
}

/// Check one set of answers (keyed by question key) against the questions asked, in the
/// questions' order: required ones answered, yes/no as `yes`/`no` (是/否 accepted), numbers as
/// non-negative whole numbers, texts at most 500 characters. Answers to keys not asked are
/// ignored. On success every question has an [`Answer`], marked alarming by its rule; on
/// failure every problem as `(question key, message)`.
pub fn check_answers(
    questions: &[Question],
    answers: &HashMap<String, String>,
) -> Result<Vec<Answer>, Vec<(String, String)>> {
    let mut out = Vec::with_capacity(questions.len());
    let mut errors = Vec::new();
    for q in questions {
        let given = answers
            .get(&q.key)
            .map(|a| a.trim())
            .filter(|a| !a.is_empty());
        let value = match given {
            None => {
                if q.required {
                    errors.push((q.key.clone(), format!("请回答「{}」", q.text)));
                }
                None
            }
            Some(text) => match q.answer_kind {
                AnswerKind::YesNo => match yes_no(text) {
                    Some(v) => Some(v.to_string()),
                    None => {
                        errors.push((q.key.clone(), format!("「{}」请回答是或否", q.text)));
                        None
                    }
                },
                AnswerKind::Number => match text.parse::<u64>() {
                    Ok(n) if text.chars().all(|c| c.is_ascii_digit()) => Some(n.to_string()),
                    _ => {
                        errors.push((q.key.clone(), format!("「{}」应为不小于 0 的整数", q.text)));
                        None
                    }
                },
                AnswerKind::Text => {
                    if text.chars().count() > MAX_ANSWER {
                        errors.push((
                            q.key.clone(),
                            format!("「{}」不超过 {MAX_ANSWER} 个字", q.text),
                        ));
                        None
                    } else {
                        Some(text.to_string())
                    }
                }
            },
        };
        let alarming = value.as_deref().is_some_and(|v| q.is_alarming(v));
        out.push(Answer {
            key: q.key.clone(),
            question: q.text.clone(),
            value,
            alarming,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_per_season_have_stable_keys_and_order() {
        let flood = defaults(PeriodKind::Flood);
        let keys: Vec<&str> = flood.iter().map(|q| q.key.as_str()).collect();
        assert_eq!(keys, ["on_post", "danger", "evacuated", "patrol", "other"]);
        assert_eq!(
            flood.iter().map(|q| q.position).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(flood[0].alarm, Some(AlarmRule::No));
        assert_eq!(flood[2].alarm, Some(AlarmRule::GtZero));
        assert!(!flood[3].required && flood[3].alarm.is_none());
        let fire = defaults(PeriodKind::ForestFire);
        assert_eq!(fire[1].text, "是否发现火情或烟点？");
        assert_eq!(fire[2].answer_kind, AnswerKind::Number);
        assert_eq!(fire[2].alarm, None);
        assert_eq!(defaults(PeriodKind::Holiday).len(), 3);
        assert!(
            defaults(PeriodKind::MajorEvent)
                .iter()
                .all(|q| q.kind == PeriodKind::MajorEvent && q.id.is_none())
        );
        // Every default's alarm rule fits its answer kind.
        for kind in PeriodKind::ALL {
            for q in defaults(*kind) {
                assert!(q.alarm.is_none_or(|a| a.fits(q.answer_kind)), "{q:?}");
            }
        }
    }

    #[test]
    fn flood_answers_are_checked_and_marked_alarming() {
        let qs = defaults(PeriodKind::Flood);
        let ok = check_answers(
            &qs,
            &answers(&[
                ("on_post", "yes"),
                ("danger", "否"),
                ("evacuated", "12"),
                ("patrol", "  已巡查水库 3 座  "),
                ("unasked", "ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(ok.len(), 5);
        assert_eq!(ok[0].value.as_deref(), Some("yes"));
        assert!(!ok[0].alarming);
        assert_eq!(ok[1].value.as_deref(), Some("no"));
        assert!(!ok[1].alarming);
        assert!(ok[2].alarming, "12 evacuated is alarming");
        assert_eq!(ok[3].value.as_deref(), Some("已巡查水库 3 座"));
        assert_eq!(ok[4].value, None);
        assert_eq!(ok[4].question, "其他需要报告的情况");

        let quiet = check_answers(
            &qs,
            &answers(&[("on_post", "no"), ("danger", "yes"), ("evacuated", "0")]),
        )
        .unwrap();
        assert!(quiet[0].alarming, "nobody on post");
        assert!(quiet[1].alarming, "danger reported");
        assert!(!quiet[2].alarming, "0 evacuated");
    }

    #[test]
    fn bad_answers_are_named_by_key() {
        let qs = defaults(PeriodKind::Flood);
        let long = "字".repeat(MAX_ANSWER + 1);
        let errors = check_answers(
            &qs,
            &answers(&[
                ("on_post", "maybe"),
                ("evacuated", "-3"),
                ("patrol", long.as_str()),
            ]),
        )
        .unwrap_err();
        let keys: Vec<&str> = errors.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["on_post", "danger", "evacuated", "patrol"]);
        assert_eq!(errors[0].1, "「值班人员是否在岗在位？」请回答是或否");
        assert_eq!(errors[1].1, "请回答「辖区内是否发生险情或灾情？」");
        assert!(errors[2].1.contains("不小于 0 的整数"));
        assert!(errors[3].1.contains("500"));
        for bad in ["1.5", "+3", "三", " "] {
            let e = check_answers(&qs[2..3], &answers(&[("evacuated", bad)])).unwrap_err();
            assert_eq!(e[0].0, "evacuated", "{bad}");
        }
        // Exactly 500 characters is fine.
        let fine = "字".repeat(MAX_ANSWER);
        assert!(check_answers(&qs[3..4], &answers(&[("patrol", fine.as_str())])).is_ok());
    }

    #[test]
    fn alarm_rules_fit_answer_kinds() {
        assert!(AlarmRule::Yes.fits(AnswerKind::YesNo));
        assert!(AlarmRule::No.fits(AnswerKind::YesNo));
        assert!(!AlarmRule::GtZero.fits(AnswerKind::YesNo));
        assert!(AlarmRule::GtZero.fits(AnswerKind::Number));
        assert!(!AlarmRule::Yes.fits(AnswerKind::Number));
        assert!(!AlarmRule::Yes.fits(AnswerKind::Text));
        assert!(!AlarmRule::GtZero.fits(AnswerKind::Text));

        let ok = check_question(" 是否启动应急响应？ ", "yes_no", true, Some("yes")).unwrap();
        assert_eq!(ok.text, "是否启动应急响应？");
        assert_eq!(ok.alarm, Some(AlarmRule::Yes));
        assert_eq!(
            check_question("x", "text", false, Some("")).unwrap().alarm,
            None
        );
        let e = check_question(" ", "colour", false, Some("loud")).unwrap_err();
        assert_eq!(e["text"], "请填写问题");
        assert!(e.contains_key("answer_kind") && e.contains_key("alarm"));
        let e = check_question("巡查情况", "text", false, Some("yes")).unwrap_err();
        assert_eq!(e["alarm"], "文字问题不告警，请不选告警规则");
        let e = check_question("转移人数", "number", true, Some("no")).unwrap_err();
        assert_eq!(e["alarm"], "数字问题只能在大于 0 时告警");
        let e = check_question(&"问".repeat(MAX_TEXT + 1), "text", false, None).unwrap_err();
        assert!(e["text"].contains("200"));
    }
}
