//! Demo letters of 三台县 for 2026: about sixty, mostly 安全提示函 before holidays and through
//! the flood, heat and fire seasons, some 督办函 and 敦促提醒函, a few 整改通知; most read and
//! replied, a few overdue, the latest still unread. Titles are marked 【演示】.
//!
//! Written directly with their historical dates (the store sends "today"); numbers are drawn from
//! the same counter as the store's, so letters sent afterwards continue after them.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use platform::access::Scope;
use platform::regions::Level;
use platform::web::AppState;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::entity::{notice, recipient};
use super::model::{self, NoticeKind, NoticeState};
use super::store::{DEPARTMENT, TOWNSHIP, today};

const COUNTY: &str = "510722000000";

/// Who receives a demo letter.
#[derive(Clone, Copy)]
enum To {
    /// Every township.
    Townships,
    /// Every township and the safety committee's member departments.
    Everyone,
    /// The departments of one trade, by name fragments.
    Departments(&'static [&'static str]),
    /// A few townships (every n-th).
    SomeTownships(usize),
}

/// (month, day, kind, theme, recipients, days to reply)
type Plan = (u32, u32, NoticeKind, &'static str, To, Option<i64>);

const REMINDER: NoticeKind = NoticeKind::Reminder;
const URGING: NoticeKind = NoticeKind::Urging;
const SUPERVISION: NoticeKind = NoticeKind::Supervision;
const RECTIFICATION: NoticeKind = NoticeKind::Rectification;

const PLANS: &[Plan] = &[
    (
        1,
        5,
        REMINDER,
        "做好2026年元旦春节期间安全防范工作",
        To::Everyone,
        Some(7),
    ),
    (
        1,
        12,
        REMINDER,
        "加强冬季森林草原防灭火工作",
        To::Townships,
        Some(7),
    ),
    (
        1,
        20,
        REMINDER,
        "做好春运期间道路交通安全工作",
        To::Departments(&["交通", "公安"]),
        Some(5),
    ),
    (
        1,
        26,
        REMINDER,
        "加强春节期间烟花爆竹安全管理",
        To::Everyone,
        Some(5),
    ),
    (
        2,
        3,
        URGING,
        "按时报送安全生产月度统计数据",
        To::SomeTownships(4),
        Some(3),
    ),
    (
        2,
        10,
        REMINDER,
        "做好节后复工复产安全工作",
        To::Everyone,
        Some(7),
    ),
    (
        2,
        24,
        REMINDER,
        "加强建筑施工领域复工安全管理",
        To::Departments(&["住房"]),
        Some(7),
    ),
    (
        3,
        2,
        REMINDER,
        "做好全国两会期间安全生产工作",
        To::Everyone,
        Some(5),
    ),
    (
        3,
        10,
        SUPERVISION,
        "加快推进安全生产治本攻坚三年行动",
        To::Everyone,
        Some(20),
    ),
    (
        3,
        18,
        REMINDER,
        "加强春季森林防火期野外用火管理",
        To::Townships,
        Some(7),
    ),
    (
        3,
        30,
        REMINDER,
        "做好清明节期间森林防灭火和安全防范工作",
        To::Everyone,
        Some(5),
    ),
    (
        4,
        8,
        RECTIFICATION,
        "限期整改危险化学品储存场所安全隐患",
        To::SomeTownships(6),
        Some(15),
    ),
    (
        4,
        15,
        URGING,
        "报送重大事故隐患排查整治情况",
        To::SomeTownships(5),
        Some(3),
    ),
    (
        4,
        27,
        REMINDER,
        "做好五一劳动节期间安全防范工作",
        To::Everyone,
        Some(5),
    ),
    (
        5,
        6,
        REMINDER,
        "做好2026年汛期安全生产工作",
        To::Everyone,
        Some(10),
    ),
    (
        5,
        12,
        SUPERVISION,
        "督促整改城镇燃气安全隐患",
        To::Departments(&["住房", "市场"]),
        Some(15),
    ),
    (
        5,
        19,
        REMINDER,
        "加强强降雨期间地质灾害防范",
        To::Townships,
        Some(3),
    ),
    (
        5,
        28,
        REMINDER,
        "做好端午节期间安全防范工作",
        To::Everyone,
        Some(5),
    ),
    (
        6,
        1,
        REMINDER,
        "开展2026年安全生产月活动",
        To::Everyone,
        Some(20),
    ),
    (
        6,
        9,
        REMINDER,
        "加强高考期间校园及周边安全管理",
        To::Departments(&["教育", "公安"]),
        Some(3),
    ),
    (
        6,
        16,
        REMINDER,
        "做好强降雨天气防范应对工作",
        To::Townships,
        Some(2),
    ),
    (
        6,
        23,
        URGING,
        "报送安全生产月活动开展情况",
        To::SomeTownships(3),
        Some(5),
    ),
    (
        6,
        30,
        SUPERVISION,
        "督办涪江沿岸汛期安全隐患整治",
        To::SomeTownships(5),
        Some(10),
    ),
    (
        7,
        3,
        REMINDER,
        "做好主汛期安全防范工作",
        To::Everyone,
        Some(5),
    ),
    (
        7,
        10,
        REMINDER,
        "加强高温天气有限空间作业安全管理",
        To::Everyone,
        Some(7),
    ),
    (
        7,
        15,
        REMINDER,
        "做好暑期学生防溺水工作",
        To::Townships,
        Some(7),
    ),
    (
        7,
        21,
        REMINDER,
        "做好强降雨天气防范应对工作",
        To::Townships,
        Some(2),
    ),
    (
        7,
        29,
        RECTIFICATION,
        "限期整改非煤矿山安全隐患",
        To::SomeTownships(8),
        Some(15),
    ),
    (
        8,
        4,
        REMINDER,
        "加强高温期间危险化学品安全管理",
        To::Departments(&["经济", "市场", "消防"]),
        Some(7),
    ),
    (
        8,
        11,
        REMINDER,
        "做好强降雨天气防范应对工作",
        To::Townships,
        Some(2),
    ),
    (
        8,
        18,
        SUPERVISION,
        "督促落实自建房安全专项整治",
        To::Departments(&["住房", "自然"]),
        Some(20),
    ),
    (
        8,
        25,
        URGING,
        "报送汛期安全隐患排查台账",
        To::SomeTownships(4),
        Some(3),
    ),
    (
        9,
        1,
        REMINDER,
        "做好秋季开学校园安全工作",
        To::Departments(&["教育", "卫生"]),
        Some(5),
    ),
    (
        9,
        8,
        REMINDER,
        "做好秋汛期间安全防范工作",
        To::Townships,
        Some(5),
    ),
    (
        9,
        18,
        REMINDER,
        "加强农机和道路交通安全管理",
        To::Departments(&["交通", "农业"]),
        Some(7),
    ),
    (
        9,
        25,
        REMINDER,
        "做好中秋国庆期间安全防范工作",
        To::Everyone,
        Some(5),
    ),
    (
        10,
        9,
        URGING,
        "报送节日期间安全生产检查情况",
        To::SomeTownships(3),
        Some(3),
    ),
    (
        10,
        16,
        SUPERVISION,
        "督办重大事故隐患挂牌整治",
        To::SomeTownships(7),
        Some(15),
    ),
    (
        10,
        23,
        REMINDER,
        "做好秋冬季森林防灭火工作",
        To::Townships,
        Some(7),
    ),
    (
        10,
        30,
        REMINDER,
        "加强人员密集场所消防安全管理",
        To::Departments(&["消防", "文化"]),
        Some(7),
    ),
    (
        11,
        6,
        REMINDER,
        "做好冬季燃气使用安全工作",
        To::Everyone,
        Some(7),
    ),
    (
        11,
        13,
        RECTIFICATION,
        "限期整改烟花爆竹经营安全隐患",
        To::SomeTownships(6),
        Some(10),
    ),
    (
        11,
        20,
        REMINDER,
        "做好冬季森林防火期野外用火管控",
        To::Townships,
        Some(7),
    ),
    (
        11,
        24,
        URGING,
        "报送年度安全生产目标考核材料",
        To::SomeTownships(2),
        Some(10),
    ),
    (
        11,
        26,
        SUPERVISION,
        "督促完成年度重点隐患整改",
        To::SomeTownships(5),
        Some(14),
    ),
    (
        12,
        4,
        REMINDER,
        "做好冬季道路交通安全工作",
        To::Departments(&["交通", "公安"]),
        Some(7),
    ),
    (
        12,
        15,
        REMINDER,
        "做好岁末年初安全防范工作",
        To::Everyone,
        Some(7),
    ),
    (
        12,
        28,
        REMINDER,
        "做好2027年元旦期间安全防范工作",
        To::Everyone,
        Some(5),
    ),
];

/// Reminder letters without a reply asked (circulars), sent alongside the plans above.
const CIRCULARS: &[(u32, u32, &str)] = &[
    (1, 30, "近期全国典型生产安全事故警示"),
    (2, 27, "春季安全生产事故案例通报"),
    (3, 24, "防范化解重大安全风险提示"),
    (4, 20, "节前安全生产风险研判提示"),
    (5, 14, "汛期地质灾害风险提示"),
    (6, 12, "电动自行车火灾风险提示"),
    (6, 26, "有限空间作业事故警示"),
    (7, 17, "雷电天气安全风险提示"),
    (8, 8, "高温中暑风险提示"),
    (8, 28, "农村自建房安全风险提示"),
    (9, 12, "秋冬季火灾风险提示"),
    (10, 20, "冬季取暖一氧化碳中毒风险提示"),
    (11, 10, "冬季森林火险等级提示"),
];

fn content(theme: &str, kind: NoticeKind, reply_days: Option<i64>) -> String {
    let ask = match kind {
        NoticeKind::Supervision => {
            "请各单位高度重视，明确责任人和完成时限，逐项整改销号，县安委办将适时开展督导检查。"
        }
        NoticeKind::Urging => "截至目前，贵单位尚未按要求报送相关材料，请抓紧办理。",
        NoticeKind::Rectification => {
            "经检查发现贵辖区存在安全隐患，请督促相关单位立即整改，整改期间落实管控措施。"
        }
        NoticeKind::Reminder => {
            "请各单位认真落实属地管理责任和行业监管责任，加强隐患排查和值班值守，确保安全形势稳定。"
        }
    };
    let reply = match reply_days {
        Some(_) => "请将落实情况书面回复县应急管理局。",
        None => "请结合实际做好警示教育，无需回复。",
    };
    format!(
        "为{theme}，切实防范各类生产安全事故发生，现将有关事项提示如下：\n一、提高思想认识，压实安全责任。\n二、深入开展隐患排查整治，做到发现一处、整改一处。\n三、加强应急值守和信息报送，发生险情及时报告。\n{ask}{reply}\n（演示数据）"
    )
}

/// Load the demo letters. Call once, after the county and its accounts exist.
pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    let exists = notice::Entity::find()
        .filter(notice::Column::RegionCode.eq(COUNTY))
        .count(db)
        .await?;
    if exists > 0 {
        return Ok(());
    }
    let scope = Scope::of(COUNTY);
    let townships = platform::regions::store::list_level(db, &scope, Level::Township).await?;
    let departments: Vec<_> = platform::org::store::all(db, &scope)
        .await?
        .into_iter()
        .filter(|d| d.in_committee("safety") && d.name != "县应急管理局")
        .collect();
    if townships.is_empty() {
        return Ok(());
    }
    let users = platform::auth::entity::user::Entity::find().all(db).await?;
    let user_of = |name: &str| users.iter().find(|u| u.username == name).map(|u| u.id);
    let sender = user_of("safety");
    let reader_of = |code: &str| match code {
        "510722101000" => user_of("tongchuan"),
        "510722104000" => user_of("tashan"),
        _ => None,
    };
    let housing = user_of("housing");

    let mut letters: Vec<Plan> = PLANS.to_vec();
    letters.extend(
        CIRCULARS
            .iter()
            .map(|(m, d, theme)| (*m, *d, REMINDER, *theme, To::Everyone, None)),
    );
    letters.sort_by_key(|p| (p.0, p.1));

    let today = today(state);
    let county_name = "三台县";
    for (i, (month, day, kind, theme, to, reply_days)) in letters.into_iter().enumerate() {
        let Some(sent_on) = NaiveDate::from_ymd_opt(2026, month, day).filter(|d| *d <= today)
        else {
            continue;
        };
        let seq = super::store::next_seq(db, COUNTY, kind, sent_on.year()).await?;
        let sent_at = Utc
            .with_ymd_and_hms(
                2026,
                month,
                day,
                1 + (i % 7) as u32,
                10 + (i % 40) as u32,
                0,
            )
            .single()
            .unwrap_or_else(Utc::now);
        let due = reply_days.map(|d| sent_on + Duration::days(d));
        let finished = due.is_some_and(|d| d + Duration::days(10) < today)
            || (due.is_none() && sent_on + Duration::days(30) < today);
        let id = Uuid::now_v7();
        let title = match kind {
            NoticeKind::Reminder if reply_days.is_none() => format!("【演示】{theme}"),
            _ => format!("【演示】关于{theme}的{}", kind.label()),
        };
        notice::ActiveModel {
            id: Set(id),
            region_code: Set(COUNTY.to_string()),
            version: Set(2),
            created_at: Set(sent_at - Duration::hours(2)),
            created_by: Set(sender),
            updated_at: Set(sent_at),
            updated_by: Set(sender),
            voided_at: Set(None),
            void_reason: Set(None),
            kind: Set(kind.code().to_string()),
            number: Set(Some(model::number(county_name, kind, sent_on.year(), seq))),
            number_year: Set(Some(sent_on.year())),
            number_seq: Set(Some(seq)),
            title: Set(title),
            content: Set(content(theme, kind, reply_days)),
            reply_required: Set(reply_days.is_some()),
            reply_due_on: Set(due),
            state: Set(if finished {
                NoticeState::Closed
            } else {
                NoticeState::Sent
            }
            .code()
            .to_string()),
            sent_at: Set(Some(sent_at)),
            sent_by: Set(sender),
            sent_on: Set(Some(sent_on)),
            closed_at: Set(finished.then(|| sent_at + Duration::days(reply_days.unwrap_or(20) + 5))),
            closed_by: Set(finished.then_some(sender).flatten()),
            note: Set(None),
            unit_id: Set(None),
            hazard_id: Set(None),
        }
        .insert(db)
        .await?;

        // The chosen recipients, with what each did.
        let mut chosen: Vec<(&str, String, Option<Uuid>, String)> = Vec::new();
        match to {
            To::Townships | To::Everyone => {
                for t in &townships {
                    chosen.push((TOWNSHIP, t.code.clone(), None, t.short_name.clone()));
                }
            }
            To::SomeTownships(step) => {
                for t in townships.iter().skip(i % step).step_by(step) {
                    chosen.push((TOWNSHIP, t.code.clone(), None, t.short_name.clone()));
                }
            }
            To::Departments(_) => {}
        }
        for d in &departments {
            let wanted = match to {
                To::Everyone => true,
                To::Departments(names) => names.iter().any(|n| d.name.contains(n)),
                _ => false,
            };
            if wanted {
                chosen.push((
                    DEPARTMENT,
                    d.region_code.clone(),
                    Some(d.id),
                    d.name.clone(),
                ));
            }
        }
        for (k, (kind_of, region, dept, name)) in chosen.into_iter().enumerate() {
            let n = i * 31 + k * 7;
            let age = (today - sent_on).num_days();
            // Older letters are read and mostly answered; the latest are partly unread, and a
            // few recipients never answer (overdue).
            let read = age > 7 || n % 3 != 0;
            let silent = n % 23 == 5;
            let replied =
                reply_days.is_some() && read && !silent && (finished || age > 2 && n % 4 != 1);
            let read_at = read.then(|| sent_at + Duration::hours(1 + (n % 20) as i64));
            let replied_at = replied.then(|| {
                let days = reply_days.unwrap_or(5);
                // One in nine replies comes a day or two late.
                let late = if n % 9 == 4 {
                    days + 1 + (n % 2) as i64
                } else {
                    (n % days.max(1) as usize) as i64
                };
                sent_at + Duration::days(late) + Duration::hours(3)
            });
            let who = match dept {
                Some(_) if name == "县住房和城乡建设局" => housing,
                Some(_) => None,
                None => reader_of(&region),
            };
            recipient::ActiveModel {
                id: Set(Uuid::now_v7()),
                notice_id: Set(id),
                recipient_kind: Set(kind_of.to_string()),
                region_code: Set(region),
                department_id: Set(dept),
                name: Set(name),
                sort: Set(k as i32),
                sent_at: Set(Some(sent_at)),
                read_at: Set(read_at),
                read_by: Set(read_at.and(who)),
                replied_at: Set(replied_at),
                replied_by: Set(replied_at.and(who)),
                reply: Set(replied.then(|| {
                    "已传达学习并部署落实，开展了专项检查，未发现重大隐患，一般隐患已督促整改。（演示数据）".to_string()
                })),
                returned_at: Set(None),
                returned_reason: Set(None),
                version: Set(1 + read as i32 + replied as i32),
                created_at: Set(sent_at - Duration::hours(2)),
                updated_at: Set(replied_at.or(read_at).unwrap_or(sent_at)),
                updated_by: Set(who),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}
