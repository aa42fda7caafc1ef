//! 函件: the bureau's letters to townships and member departments — kinds and their numbers,
//! the letter's life (草稿 → 已发出 → 已办结) and each recipient's (未读 → 已读 → 已回复, a reply
//! may be returned). Pure: no database, no clock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 函件种类, each numbered on its own sequence per county and year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 安全提示函
    Reminder,
    /// 敦促提醒函
    Urging,
    /// 督办函
    Supervision,
    /// 整改通知
    Rectification,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 4] = [
        Self::Reminder,
        Self::Urging,
        Self::Supervision,
        Self::Rectification,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Reminder => "安全提示函",
            Self::Urging => "敦促提醒函",
            Self::Supervision => "督办函",
            Self::Rectification => "整改通知",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Reminder => "reminder",
            Self::Urging => "urging",
            Self::Supervision => "supervision",
            Self::Rectification => "rectification",
        }
    }

    /// The character in the number that tells the kind: 三台应急**提**〔2026〕12号.
    pub fn number_mark(self) -> &'static str {
        match self {
            Self::Reminder => "提",
            Self::Urging => "促",
            Self::Supervision => "督",
            Self::Rectification => "改",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// 函件状态.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// 草稿 — editable, invisible to recipients.
    Draft,
    /// 已发出 — numbered, content frozen, recipients read and reply.
    Sent,
    /// 已办结 — closed by the sender.
    Closed,
}

impl NoticeState {
    pub const ALL: [NoticeState; 3] = [Self::Draft, Self::Sent, Self::Closed];

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Sent => "已发出",
            Self::Closed => "已办结",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Where one recipient is with a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecipientState {
    /// 未读
    Unread,
    /// 已读 (also after a reply was returned)
    Read,
    /// 已回复
    Replied,
}

impl RecipientState {
    pub fn of(read: bool, replied: bool) -> Self {
        match (read, replied) {
            (_, true) => Self::Replied,
            (true, false) => Self::Read,
            (false, false) => Self::Unread,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unread => "未读",
            Self::Read => "已读",
            Self::Replied => "已回复",
        }
    }
}

/// Why a change to a letter is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error("函件当前为「{from}」，不能{action}")]
    NotAllowed {
        from: &'static str,
        action: &'static str,
    },
    #[error("请至少选择一个接收乡镇或部门")]
    NoRecipients,
    #[error("请填写标题")]
    TitleMissing,
    #[error("请填写正文")]
    ContentMissing,
    #[error("要求回复的函件请填写回复期限")]
    DueMissing,
    #[error("回复期限不能早于发出日期")]
    DueBeforeSending,
    #[error("函件尚未发出，不能回复")]
    NotSent,
    #[error("已回复，不能重复回复；如需修改请联系发函单位退回")]
    AlreadyReplied,
    #[error("请填写回复内容")]
    ReplyMissing,
    #[error("该单位尚未回复，无需退回")]
    NothingToReturn,
    #[error("退回须说明原因")]
    ReasonMissing,
    #[error("仍有 {0} 个单位未回复，提前办结须填写办结说明")]
    RepliesPending(usize),
}

/// 文号: `三台应急提〔2026〕12号`, the county named as documents write it
/// (`regions::model::document_stem`: 三台县 → 三台, but 泾县 stays 泾县).
pub fn number(county_name: &str, kind: NoticeKind, year: i32, seq: i32) -> String {
    format!(
        "{}应急{}〔{year}〕{seq}号",
        platform::regions::model::document_stem(county_name),
        kind.number_mark()
    )
}

/// What sending needs: a title, content, recipients, and a sensible reply date.
pub struct Draft<'a> {
    pub state: NoticeState,
    pub title: &'a str,
    pub content: &'a str,
    pub recipients: usize,
    pub reply_required: bool,
    pub reply_due_on: Option<NaiveDate>,
}

fn refuse(from: NoticeState, action: &'static str) -> NoticeError {
    NoticeError::NotAllowed {
        from: from.label(),
        action,
    }
}

/// Only a draft may be edited: a sent letter's content is frozen.
pub fn check_edit(state: NoticeState) -> Result<(), NoticeError> {
    match state {
        NoticeState::Draft => Ok(()),
        other => Err(refuse(other, "修改")),
    }
}

/// A reply date, when given, is not before the day the letter goes out.
pub fn check_due(due: Option<NaiveDate>, sending_on: NaiveDate) -> Result<(), NoticeError> {
    match due {
        Some(d) if d < sending_on => Err(NoticeError::DueBeforeSending),
        _ => Ok(()),
    }
}

/// 发出: the draft becomes a sent letter on `today`.
pub fn send(d: &Draft, today: NaiveDate) -> Result<NoticeState, NoticeError> {
    if d.state != NoticeState::Draft {
        return Err(refuse(d.state, "发出"));
    }
    if d.title.trim().is_empty() {
        return Err(NoticeError::TitleMissing);
    }
    if d.content.trim().is_empty() {
        return Err(NoticeError::ContentMissing);
    }
    if d.recipients == 0 {
        return Err(NoticeError::NoRecipients);
    }
    if d.reply_required && d.reply_due_on.is_none() {
        return Err(NoticeError::DueMissing);
    }
    check_due(d.reply_due_on, today)?;
    Ok(NoticeState::Sent)
}

/// What a recipient's reply needs to know.
pub struct Reply<'a> {
    pub notice: NoticeState,
    pub already_replied: bool,
    pub text: &'a str,
}

/// 回复: once per recipient, only to a sent letter (late replies are still taken).
pub fn reply(r: &Reply) -> Result<(), NoticeError> {
    match r.notice {
        NoticeState::Draft => return Err(NoticeError::NotSent),
        NoticeState::Closed => return Err(refuse(r.notice, "回复")),
        NoticeState::Sent => {}
    }
    if r.already_replied {
        return Err(NoticeError::AlreadyReplied);
    }
    if r.text.trim().is_empty() {
        return Err(NoticeError::ReplyMissing);
    }
    Ok(())
}

/// 退回: the sender sends a reply back with a reason; the recipient replies again.
pub fn return_reply(notice: NoticeState, replied: bool, reason: &str) -> Result<(), NoticeError> {
    if notice != NoticeState::Sent {
        return Err(refuse(notice, "退回回复"));
    }
    if !replied {
        return Err(NoticeError::NothingToReturn);
    }
    if reason.trim().is_empty() {
        return Err(NoticeError::ReasonMissing);
    }
    Ok(())
}

/// 办结: when every reply needed is in, or with a note saying why not.
pub fn close(
    state: NoticeState,
    reply_required: bool,
    pending_replies: usize,
    note: &str,
) -> Result<NoticeState, NoticeError> {
    if state != NoticeState::Sent {
        return Err(refuse(state, "办结"));
    }
    if reply_required && pending_replies > 0 && note.trim().is_empty() {
        return Err(NoticeError::RepliesPending(pending_replies));
    }
    Ok(NoticeState::Closed)
}

/// A reply is overdue while it is needed, missing, and its date has passed.
pub fn is_overdue(
    state: NoticeState,
    reply_due_on: Option<NaiveDate>,
    replied: bool,
    today: NaiveDate,
) -> bool {
    state == NoticeState::Sent && !replied && reply_due_on.is_some_and(|d| d < today)
}

/// A reply that came after its date.
pub fn replied_late(reply_due_on: Option<NaiveDate>, replied_on: Option<NaiveDate>) -> bool {
    matches!((reply_due_on, replied_on), (Some(due), Some(on)) if on > due)
}

/// Late in the ledger's count (逾期): replied late, or still missing past the date.
pub fn counts_as_late(
    state: NoticeState,
    reply_due_on: Option<NaiveDate>,
    replied_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    replied_late(reply_due_on, replied_on)
        || is_overdue(state, reply_due_on, replied_on.is_some(), today)
}

/// Due soon: the date is within `days` (home page urgency).
pub fn due_within(reply_due_on: Option<NaiveDate>, today: NaiveDate, days: i64) -> bool {
    reply_due_on.is_some_and(|d| (d - today).num_days() <= days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn draft<'a>(title: &'a str, content: &'a str, recipients: usize) -> Draft<'a> {
        Draft {
            state: NoticeState::Draft,
            title,
            content,
            recipients,
            reply_required: true,
            reply_due_on: Some(day("2026-06-10")),
        }
    }

    #[test]
    fn numbers_name_the_county_kind_year_and_sequence() {
        assert_eq!(
            number("三台县", NoticeKind::Reminder, 2026, 12),
            "三台应急提〔2026〕12号"
        );
        assert_eq!(
            number("涪城区", NoticeKind::Supervision, 2026, 3),
            "涪城应急督〔2026〕3号"
        );
        // A one-character county keeps 县: 泾县, not 泾.
        assert_eq!(
            number("泾县", NoticeKind::Urging, 2026, 1),
            "泾县应急促〔2026〕1号"
        );
    }

    #[test]
    fn kinds_and_states_round_trip() {
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.code()), Some(k));
        }
        for s in NoticeState::ALL {
            assert_eq!(NoticeState::parse(s.code()), Some(s));
        }
        assert_eq!(NoticeKind::parse("memo"), None);
    }

    #[test]
    fn sending_needs_title_content_and_recipients() {
        let today = day("2026-06-01");
        assert_eq!(
            send(&draft("", "正文", 2), today),
            Err(NoticeError::TitleMissing)
        );
        assert_eq!(
            send(&draft("标题", " ", 2), today),
            Err(NoticeError::ContentMissing)
        );
        assert_eq!(
            send(&draft("标题", "正文", 0), today),
            Err(NoticeError::NoRecipients)
        );
        assert_eq!(
            send(&draft("标题", "正文", 2), today),
            Ok(NoticeState::Sent)
        );
    }

    #[test]
    fn the_reply_date_is_not_before_sending() {
        let mut d = draft("标题", "正文", 1);
        d.reply_due_on = Some(day("2026-05-31"));
        assert_eq!(
            send(&d, day("2026-06-01")),
            Err(NoticeError::DueBeforeSending)
        );
        d.reply_due_on = Some(day("2026-06-01"));
        assert_eq!(send(&d, day("2026-06-01")), Ok(NoticeState::Sent));
        d.reply_due_on = None;
        assert_eq!(send(&d, day("2026-06-01")), Err(NoticeError::DueMissing));
        d.reply_required = false;
        assert_eq!(send(&d, day("2026-06-01")), Ok(NoticeState::Sent));
    }

    #[test]
    fn only_drafts_are_sent_or_edited() {
        let mut d = draft("标题", "正文", 1);
        d.state = NoticeState::Sent;
        assert!(matches!(
            send(&d, day("2026-06-01")),
            Err(NoticeError::NotAllowed { .. })
        ));
        assert!(check_edit(NoticeState::Draft).is_ok());
        assert!(check_edit(NoticeState::Sent).is_err());
        assert!(check_edit(NoticeState::Closed).is_err());
    }

    #[test]
    fn replies_come_once_and_only_after_sending() {
        let r = |notice, already_replied, text| Reply {
            notice,
            already_replied,
            text,
        };
        assert_eq!(
            reply(&r(NoticeState::Draft, false, "已落实")),
            Err(NoticeError::NotSent)
        );
        assert!(reply(&r(NoticeState::Closed, false, "已落实")).is_err());
        assert_eq!(
            reply(&r(NoticeState::Sent, true, "已落实")),
            Err(NoticeError::AlreadyReplied)
        );
        assert_eq!(
            reply(&r(NoticeState::Sent, false, "  ")),
            Err(NoticeError::ReplyMissing)
        );
        assert!(reply(&r(NoticeState::Sent, false, "已落实")).is_ok());
    }

    #[test]
    fn a_reply_is_returned_with_a_reason() {
        assert_eq!(
            return_reply(NoticeState::Sent, false, "不完整"),
            Err(NoticeError::NothingToReturn)
        );
        assert_eq!(
            return_reply(NoticeState::Sent, true, ""),
            Err(NoticeError::ReasonMissing)
        );
        assert!(return_reply(NoticeState::Closed, true, "不完整").is_err());
        assert!(return_reply(NoticeState::Sent, true, "不完整").is_ok());
    }

    #[test]
    fn closing_with_missing_replies_needs_a_note() {
        assert_eq!(
            close(NoticeState::Sent, true, 2, ""),
            Err(NoticeError::RepliesPending(2))
        );
        assert_eq!(
            close(NoticeState::Sent, true, 2, "已电话督促"),
            Ok(NoticeState::Closed)
        );
        assert_eq!(
            close(NoticeState::Sent, true, 0, ""),
            Ok(NoticeState::Closed)
        );
        assert_eq!(
            close(NoticeState::Sent, false, 3, ""),
            Ok(NoticeState::Closed)
        );
        assert!(close(NoticeState::Draft, false, 0, "").is_err());
    }

    #[test]
    fn overdue_and_late_replies() {
        let due = Some(day("2026-06-10"));
        let sent = NoticeState::Sent;
        assert!(!is_overdue(sent, due, false, day("2026-06-10")));
        assert!(is_overdue(sent, due, false, day("2026-06-11")));
        assert!(!is_overdue(sent, due, true, day("2026-06-11")));
        assert!(!is_overdue(
            NoticeState::Closed,
            due,
            false,
            day("2026-06-11")
        ));
        assert!(!is_overdue(sent, None, false, day("2027-01-01")));
        assert!(replied_late(due, Some(day("2026-06-11"))));
        assert!(!replied_late(due, Some(day("2026-06-10"))));
        assert!(counts_as_late(
            sent,
            due,
            Some(day("2026-06-12")),
            day("2026-06-20")
        ));
        assert!(counts_as_late(sent, due, None, day("2026-06-20")));
        assert!(!counts_as_late(
            sent,
            due,
            Some(day("2026-06-09")),
            day("2026-06-20")
        ));
        assert!(due_within(due, day("2026-06-08"), 2));
        assert!(!due_within(due, day("2026-06-07"), 2));
    }

    #[test]
    fn recipient_states() {
        assert_eq!(RecipientState::of(false, false), RecipientState::Unread);
        assert_eq!(RecipientState::of(true, false), RecipientState::Read);
        assert_eq!(RecipientState::of(true, true), RecipientState::Replied);
        assert_eq!(RecipientState::Replied.label(), "已回复");
    }
}
