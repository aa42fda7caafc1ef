//! Demo enforcement cases of 三台县: about forty filed over this year up to yesterday, against
//! the demo units, fines of 5 000–200 000 元; most closed, a few still in progress, one
//! dismissed, one 不予处罚, one closed by applying to the court, three typical cases. Causes are
//! marked 【演示】.

use chrono::{Datelike, Duration, NaiveDate};
use platform::access::{Actor, Role};
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::store::{
    self, CaseInput, CloseInput, DecideInput, DismissInput, EnforcementCase, LinkInput,
    NotifyInput, PaymentInput, ResponseInput, TypicalInput,
};
use crate::hazards::entity::hazard;
use crate::units::entity::unit;

/// (cause, legal basis)
const CAUSES: &[(&str, &str)] = &[
    (
        "未按规定对从业人员进行安全生产教育和培训",
        "《中华人民共和国安全生产法》第二十八条、第九十七条",
    ),
    (
        "未在有较大危险因素的生产经营场所设置明显的安全警示标志",
        "《中华人民共和国安全生产法》第三十五条、第九十九条",
    ),
    (
        "未对安全设备进行经常性维护、保养和定期检测",
        "《中华人民共和国安全生产法》第三十六条、第九十九条",
    ),
    (
        "未建立事故隐患排查治理制度",
        "《中华人民共和国安全生产法》第四十一条、第一百零一条",
    ),
    (
        "危险化学品未按规定分类、分区储存",
        "《危险化学品安全管理条例》第二十六条、第八十条",
    ),
    (
        "特种作业人员未按规定取得相应资格上岗作业",
        "《中华人民共和国安全生产法》第三十条、第九十七条",
    ),
    (
        "未采取措施消除事故隐患",
        "《中华人民共和国安全生产法》第一百零二条",
    ),
    (
        "关闭直接关系生产安全的监控、报警设备",
        "《中华人民共和国安全生产法》第三十六条、第九十九条",
    ),
];

const FINES_YUAN: &[i64] = &[
    5_000, 8_000, 10_000, 15_000, 20_000, 30_000, 50_000, 60_000, 80_000, 100_000, 120_000,
    150_000, 200_000, 12_000, 25_000,
];

const OFFICERS: &[(&str, &str)] = &[("张明", "李华"), ("王强", "赵丽"), ("陈刚", "刘洋")];

const SOURCES: &[&str] = &[
    "routine", "campaign", "routine", "report", "campaign", "other",
];

const CASES: usize = 40;

fn demo_actor() -> Actor {
    Actor {
        user_id: Uuid::nil(),
        username: "demo".to_string(),
        display_name: "演示数据".to_string(),
        region_code: "510722000000".to_string(),
        region_name: "三台县".to_string(),
        roles: vec![Role::SafetyStaff],
        department_id: None,
        must_change_password: false,
        ip: None,
        csrf_token: None,
    }
}

/// Load the demo cases. Call once, after the units' and hazards' demo.
pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    let actor = demo_actor();
    let units = unit::Entity::find()
        .filter(actor.scope().condition(unit::Column::RegionCode))
        .filter(unit::Column::VoidedAt.is_null())
        .order_by_asc(unit::Column::Name)
        .all(&state.db)
        .await?;
    if units.is_empty() {
        return Ok(());
    }
    // This year up to yesterday (the demo county's "year so far").
    let end = store::today(state) - Duration::days(1);
    let start = NaiveDate::from_ymd_opt(end.year(), 1, 1).unwrap_or(end);
    let span = (end - start).num_days().max(1);
    for i in 0..CASES {
        let owner = &units[(i * 5 + i / 8) % units.len()];
        let filed = start + Duration::days(span * i as i64 / CASES as i64);
        let c = file(state, &actor, i, owner.id, filed).await?;
        link_a_hazard(state, &actor, &c).await?;
        walk(state, &actor, i, c, end).await?;
    }
    Ok(())
}

async fn file(
    state: &AppState,
    actor: &Actor,
    i: usize,
    unit_id: Uuid,
    filed: NaiveDate,
) -> anyhow::Result<EnforcementCase> {
    let (cause, basis) = CAUSES[i % CAUSES.len()];
    let (a, b) = OFFICERS[i % OFFICERS.len()];
    let input = CaseInput {
        unit_id: Some(unit_id.to_string()),
        cause: format!("【演示】{cause}"),
        legal_basis: Some(basis.to_string()),
        source: SOURCES[i % SOURCES.len()].to_string(),
        inspection_id: None,
        filed_on: filed.to_string(),
        officers: vec![a.to_string(), b.to_string()],
        version: None,
    };
    Ok(store::create(state, actor, &input).await?)
}

/// Link the unit's first hazard, when it has one.
async fn link_a_hazard(state: &AppState, actor: &Actor, c: &EnforcementCase) -> anyhow::Result<()> {
    let found = hazard::Entity::find()
        .filter(hazard::Column::UnitId.eq(c.unit_id))
        .filter(hazard::Column::VoidedAt.is_null())
        .order_by_asc(hazard::Column::Number)
        .one(&state.db)
        .await?;
    if let Some(h) = found {
        let input = LinkInput {
            hazard_id: h.id.to_string(),
            version: c.version,
        };
        store::link_hazard(state, actor, c.id, &input).await?;
    }
    Ok(())
}

/// Take a case as far as its dates allow (no step after `end`), with a few set variations.
async fn walk(
    state: &AppState,
    actor: &Actor,
    i: usize,
    c: EnforcementCase,
    end: NaiveDate,
) -> anyhow::Result<()> {
    let c = store::get(&state.db, &actor.scope(), c.id).await?;
    let c = store::investigate(state, actor, c.id, c.version).await?;
    if i == 6 {
        let input = DismissInput {
            reason: "经调查，违法事实不成立".to_string(),
            version: c.version,
        };
        store::dismiss(state, actor, c.id, &input).await?;
        return Ok(());
    }
    let notified = c.filed_on + Duration::days(10 + (i % 4) as i64 * 3);
    if notified > end {
        return Ok(());
    }
    let notice = NotifyInput {
        notified_on: Some(notified.to_string()),
        version: c.version,
    };
    let mut c = store::notify(state, actor, c.id, &notice).await?;
    let fine_yuan = FINES_YUAN[i % FINES_YUAN.len()];
    let hearing = fine_yuan >= 100_000 && i % 2 == 1;
    let mut decided = notified + Duration::days(8);
    if hearing {
        let hearing_on = notified + Duration::days(9);
        decided = hearing_on + Duration::days(4);
        let response = ResponseInput {
            hearing_requested: true,
            hearing_on: Some(hearing_on.to_string()),
            waived: false,
            statement: Some("当事人对违法事实无异议，请求从轻处罚".to_string()),
            version: c.version,
        };
        c = store::record_response(state, actor, c.id, &response).await?;
    }
    if decided > end {
        return Ok(());
    }
    let no_penalty = i == 13;
    let decision = DecideInput {
        decided_on: Some(decided.to_string()),
        fine_yuan: (!no_penalty).then(|| fine_yuan.to_string()),
        measures: match i % 5 {
            _ if no_penalty => Vec::new(),
            0 => vec!["warning".to_string()],
            3 if fine_yuan >= 50_000 => vec!["suspension".to_string()],
            _ => Vec::new(),
        },
        no_penalty,
        no_penalty_reason: no_penalty
            .then(|| "违法行为轻微并及时改正，没有造成危害后果".to_string()),
        version: c.version,
    };
    let mut c = store::decide(state, actor, c.id, &decision).await?;
    let fine_fen = c.fine_fen;
    let mut last = decided;
    // Most pay in one go; every fourth pays half first; one never pays (court enforcement).
    let instalments: Vec<(i64, i64)> = match i {
        _ if fine_fen == 0 => Vec::new(),
        17 => Vec::new(),
        _ if i % 4 == 1 => vec![(7, fine_fen / 2), (30, fine_fen - fine_fen / 2)],
        _ => vec![(6, fine_fen)],
    };
    for (after, amount) in instalments {
        let on = decided + Duration::days(after);
        if on > end {
            return Ok(());
        }
        let input = PaymentInput {
            amount_yuan: Some(format!("{}.{:02}", amount / 100, amount % 100)),
            paid_on: Some(on.to_string()),
            note: Some(format!(
                "非税收入缴款书 {:08}",
                51_000_000 + i * 131 + after as usize
            )),
            version: c.version,
        };
        c = store::add_payment(state, actor, c.id, &input).await?;
        last = on;
    }
    let closed = last + Duration::days(3);
    // The last few stay in execution for the demo's to-do lists.
    if closed > end || i >= CASES - 3 {
        return Ok(());
    }
    let close = CloseInput {
        closed_on: Some(closed.to_string()),
        reason: (i == 17).then(|| "当事人逾期未缴纳罚款，已申请人民法院强制执行".to_string()),
        version: c.version,
    };
    let c = store::close(state, actor, c.id, &close).await?;
    if [3, 10, 22].contains(&i) {
        let reported = closed + Duration::days(10);
        if reported <= end {
            let typical = TypicalInput {
                typical: Some(true),
                reported_on: Some(reported.to_string()),
                note: Some("报送市应急管理局，入选执法典型案例".to_string()),
                version: c.version,
            };
            store::set_typical(state, actor, c.id, &typical).await?;
        }
    }
    Ok(())
}
