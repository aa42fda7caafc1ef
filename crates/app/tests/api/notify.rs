//! Notifications end to end: the outbox written in the change's transaction, delivery to a
//! local robot endpoint with retries, backoff, giving up and resending; no loss or duplication
//! across servers, crashes and concurrent workers; periodic jobs under their lease; the inbox
//! pages; the group robots page; the delivery list's scope.

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Duration, Utc};
use platform::auth::entity::user;
use platform::error::{AppError, AppResult};
use platform::jobs::entity::{job, job_run};
use platform::jobs::{Job, JobFuture};
use platform::notify::channels::testing::HttpServer;
use platform::notify::entity::message;
use platform::notify::outbox::{self, CLAIM_TIMEOUT, MAX_ATTEMPTS, backoff, state};
use platform::notify::{ChannelKind, Message, enqueue};
use platform::web::{AppState, Settings};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;
use yingji::testing::TestApp;

use crate::support::*;

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";
const OK: &str = r#"{"errcode":0,"errmsg":"ok"}"#;
/// The path and key of a WeCom webhook, on the local recorder.
const WEBHOOK: &str = "/cgi-bin/webhook/send?key=693a91f6-7xoc-4bc4-97a0-0ec2sifa5aaa";

async fn user_named(app: &TestApp, username: &str) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.state.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no account {username}"))
}

/// Register a WeCom robot for `region` on the robots page, as the county's warning staff;
/// returns its id.
async fn wecom_robot(app: &TestApp, name: &str, webhook: &str, region: &str) -> Uuid {
    let disaster = login(app, "disaster").await;
    let r = disaster
        .post_form(
            "/notify/robots",
            &[
                ("channel", "wecom"),
                ("name", name),
                ("webhook_url", webhook),
                ("region_code", region),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    platform::notify::robots::of_regions(&app.state.db, &[region.to_string()])
        .await
        .expect("robots")
        .into_iter()
        .find(|r| r.name == name)
        .expect("the robot just registered")
        .id
}

fn robot_message(robot: Uuid, title: &str, region: &str) -> Message {
    Message {
        channel: ChannelKind::Wecom,
        address: robot.to_string(),
        recipient_user_id: None,
        recipient_name: "潼川镇防汛工作群".to_string(),
        mention: Some("13800000001,13800000002".to_string()),
        title: title.to_string(),
        body: "请立即组织转移低洼地区群众".to_string(),
        link: Some("/warning/calls/7/confirm".to_string()),
        region_code: region.to_string(),
        source_kind: "test",
        source_id: None,
    }
}

/// Enqueue in a transaction of our own and commit it, as an area's change does.
async fn committed(app: &TestApp, messages: Vec<Message>) -> Vec<Uuid> {
    let txn = app.state.db.begin().await.expect("begin");
    let ids = enqueue(&txn, None, app.state.now(), messages)
        .await
        .expect("enqueue");
    txn.commit().await.expect("commit");
    ids
}

async fn row(app: &TestApp, id: Uuid) -> message::Model {
    message::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("the message exists")
}

async fn deliver(state: &AppState) -> outbox::Delivered {
    outbox::deliver_due(state).await.expect("delivery pass")
}

/// The number in the top bar's unread badge, 0 when there is none.
async fn badge(session: &Session) -> u64 {
    let (status, page) = session.text("/inbox").await;
    assert_eq!(status, StatusCode::OK);
    match page.split_once(r#"id="unread-count">"#) {
        Some((_, rest)) => rest
            .split('<')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a number in the badge"),
        None => 0,
    }
}

#[tokio::test]
async fn an_outbox_message_exists_only_when_its_change_commits_and_goes_out_once() {
    on_each_backend(|app, _| async move {
        let endpoint = HttpServer::start(200, OK).await;
        let robot = wecom_robot(
            &app,
            "潼川镇防汛工作群",
            &format!("{}{WEBHOOK}", endpoint.base),
            TONGCHUAN,
        )
        .await;
        let tongchuan = user_named(&app, "tongchuan").await;
        let messages = || {
            vec![
                Message::inbox(
                    tongchuan.id,
                    &tongchuan.display_name,
                    "暴雨红色预警",
                    "请立即组织转移低洼地区群众",
                    TONGCHUAN,
                )
                .link("/warning/calls/7/confirm"),
                robot_message(robot, "暴雨红色预警", TONGCHUAN),
            ]
        };

        // The change fails: its messages vanish with it.
        let txn = app.state.db.begin().await.expect("begin");
        enqueue(&txn, None, app.state.now(), messages())
            .await
            .expect("enqueue");
        txn.rollback().await.expect("rollback");
        let count = message::Entity::find().count(&app.state.db).await.unwrap();
        assert_eq!(count, 0, "a rolled-back change leaves no message");
        assert_eq!(deliver(&app.state).await, outbox::Delivered::default());
        assert!(endpoint.requests().is_empty());

        // The change commits: the inbox message is delivered by being written.
        let ids = committed(&app, messages()).await;
        let inbox = row(&app, ids[0]).await;
        assert_eq!(inbox.state, state::SENT);
        assert_eq!(inbox.sent_at, Some(app.state.now()));
        let session = login(&app, "tongchuan").await;
        assert_eq!(badge(&session).await, 1);
        let robot_row = row(&app, ids[1]).await;
        assert_eq!(robot_row.state, state::PENDING);

        // The worker sends the robot message, with the link made absolute.
        let done = deliver(&app.state).await;
        assert_eq!(
            done,
            outbox::Delivered {
                sent: 1,
                ..Default::default()
            }
        );
        let request = endpoint.request();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/cgi-bin/webhook/send");
        assert_eq!(
            request.query.as_deref(),
            Some("key=693a91f6-7xoc-4bc4-97a0-0ec2sifa5aaa")
        );
        assert_eq!(
            request.json(),
            json!({
                "msgtype": "text",
                "text": {
                    "content": "【暴雨红色预警】请立即组织转移低洼地区群众\nhttp://127.0.0.1:8080/warning/calls/7/confirm",
                    "mentioned_mobile_list": ["13800000001", "13800000002"],
                },
            })
        );
        let sent = row(&app, ids[1]).await;
        assert_eq!(sent.state, state::SENT);
        assert_eq!(sent.attempts, 1);
        assert_eq!(sent.sent_at, Some(app.state.now()));
        assert!(sent.claimed_at.is_none() && sent.last_error.is_none());

        // Nothing is due any more, now or later.
        app.clock.advance(Duration::hours(2));
        assert_eq!(deliver(&app.state).await, outbox::Delivered::default());
        assert_eq!(endpoint.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_failing_robot_is_retried_with_backoff_given_up_and_resent_by_staff() {
    on_each_backend(|app, _| async move {
        let endpoint = HttpServer::start(500, "服务繁忙").await;
        let robot = wecom_robot(
            &app,
            "潼川镇防汛工作群",
            &format!("{}{WEBHOOK}", endpoint.base),
            TONGCHUAN,
        )
        .await;
        let id = committed(&app, vec![robot_message(robot, "暴雨橙色预警", TONGCHUAN)]).await[0];

        let first = app.state.now();
        let done = deliver(&app.state).await;
        assert_eq!(done.retrying, 1, "{done:?}");
        let m = row(&app, id).await;
        assert_eq!(m.state, state::RETRY);
        assert_eq!(m.attempts, 1);
        assert_eq!(m.next_attempt_at, first + Duration::seconds(30));
        assert_eq!(
            m.last_error.as_deref(),
            Some("企业微信机器人应答 HTTP 500：服务繁忙")
        );
        assert!(m.claimed_at.is_none(), "the claim is released");

        // Not before its time.
        app.clock.advance(Duration::seconds(29));
        assert_eq!(deliver(&app.state).await, outbox::Delivered::default());
        assert_eq!(endpoint.requests().len(), 1);
        app.clock.advance(Duration::seconds(1));
        assert_eq!(deliver(&app.state).await.retrying, 1);
        let m = row(&app, id).await;
        assert_eq!((m.state.as_str(), m.attempts), (state::RETRY, 2));
        assert_eq!(m.next_attempt_at, app.state.now() + Duration::seconds(60));

        // Each further attempt waits twice as long, until the last one gives up.
        for attempt in 3..=MAX_ATTEMPTS {
            app.clock.advance(backoff(attempt - 1));
            let done = deliver(&app.state).await;
            let m = row(&app, id).await;
            assert_eq!(m.attempts, attempt);
            if attempt < MAX_ATTEMPTS {
                assert_eq!(done.retrying, 1, "attempt {attempt}");
                assert_eq!(m.state, state::RETRY);
                assert_eq!(m.next_attempt_at, app.state.now() + backoff(attempt));
            } else {
                assert_eq!(done.failed, 1, "attempt {attempt}");
                assert_eq!(m.state, state::FAILED);
            }
        }
        assert_eq!(endpoint.requests().len(), MAX_ATTEMPTS as usize);
        app.clock.advance(Duration::hours(2));
        assert_eq!(deliver(&app.state).await, outbox::Delivered::default());
        assert_eq!(endpoint.requests().len(), MAX_ATTEMPTS as usize, "given up");

        // Staff see the failure and why, and send it again once the robot works.
        let disaster = login(&app, "disaster").await;
        let (status, page) = disaster.text("/notify/messages?state=failed").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("（共 1 条）"), "{page}");
        assert!(page.contains("发送失败"), "{page}");
        assert!(
            page.contains("企业微信机器人应答 HTTP 500：服务繁忙"),
            "{page}"
        );
        assert!(page.contains("重新发送"), "{page}");
        assert!(page.contains(&format!("/notify/messages/{id}/resend")));
        endpoint.answer(200, OK);
        let r = disaster
            .post_form(&format!("/notify/messages/{id}/resend"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let m = row(&app, id).await;
        assert_eq!((m.state.as_str(), m.attempts), (state::PENDING, 0));
        assert_eq!(deliver(&app.state).await.sent, 1);
        let m = row(&app, id).await;
        assert_eq!((m.state.as_str(), m.attempts), (state::SENT, 1));
        assert!(m.last_error.is_none());
        assert_eq!(endpoint.requests().len(), MAX_ATTEMPTS as usize + 1);
        let (_, page) = disaster.text("/notify/messages").await;
        assert!(
            page.contains("已送达") && !page.contains("重新发送"),
            "{page}"
        );

        // A sent message is not sent again by hand.
        let r = disaster
            .post_form(&format!("/notify/messages/{id}/resend"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert_eq!(endpoint.requests().len(), MAX_ATTEMPTS as usize + 1);

        // The resend is in the audit trail.
        let auditor = login(&app, "auditor").await;
        let (_, trail) = auditor
            .get_json(&format!(
                "/api/v1/admin/audit?entity=notify_message&record_id={id}"
            ))
            .await;
        assert_eq!(trail["total"], 1, "{trail}");
        assert_eq!(trail["items"][0]["actor_name"], "周减灾");
        assert!(
            trail["items"][0]["summary"]
                .as_str()
                .unwrap()
                .contains("重新发送企业微信消息「暴雨橙色预警」"),
            "{trail}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_refused_webhook_fails_at_once_and_a_voided_robot_is_not_posted_to() {
    on_each_backend(|app, _| async move {
        let endpoint =
            HttpServer::start(200, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#).await;
        let robot = wecom_robot(
            &app,
            "塔山镇工作群",
            &format!("{}{WEBHOOK}", endpoint.base),
            TASHAN,
        )
        .await;
        let id = committed(&app, vec![robot_message(robot, "大风蓝色预警", TASHAN)]).await[0];
        assert_eq!(deliver(&app.state).await.failed, 1);
        let m = row(&app, id).await;
        assert_eq!((m.state.as_str(), m.attempts), (state::FAILED, 1));
        assert_eq!(
            m.last_error.as_deref(),
            Some("企业微信机器人拒绝：93000 invalid webhook url")
        );
        app.clock.advance(Duration::hours(1));
        assert_eq!(deliver(&app.state).await, outbox::Delivered::default());
        assert_eq!(endpoint.requests().len(), 1);

        // A robot voided after the message was written is not posted to.
        endpoint.answer(200, OK);
        let id = committed(&app, vec![robot_message(robot, "大风蓝色预警", TASHAN)]).await[0];
        let disaster = login(&app, "disaster").await;
        let r = disaster
            .post_form(
                &format!("/notify/robots/{robot}/void"),
                &[("reason", "群已解散")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(deliver(&app.state).await.failed, 1);
        let m = row(&app, id).await;
        assert_eq!(m.last_error.as_deref(), Some("群机器人已作废或不存在"));
        assert_eq!(endpoint.requests().len(), 1);

        // A channel without configuration fails with a reason too.
        let mut sms = Message::inbox(Uuid::now_v7(), "张三", "测试", "正文", TASHAN);
        sms.channel = ChannelKind::Sms;
        sms.address = "13800000009".to_string();
        let id = committed(&app, vec![sms]).await[0];
        assert_eq!(deliver(&app.state).await.failed, 1);
        assert_eq!(
            row(&app, id).await.last_error.as_deref(),
            Some("短信渠道未配置")
        );
    })
    .await;
}

#[tokio::test]
async fn two_servers_on_one_database_send_each_message_exactly_once() {
    on_each_backend(|a, _| async move {
        let b = TestApp::spawn_on(&a.database_url, Settings::default())
            .await
            .expect("a second server on the same database");
        let endpoint = HttpServer::start(200, OK).await;
        let robot = wecom_robot(
            &a,
            "潼川镇防汛工作群",
            &format!("{}{WEBHOOK}", endpoint.base),
            TONGCHUAN,
        )
        .await;

        // A writes, B (started after a restart, or beside it) delivers; A finds nothing left.
        let id = committed(&a, vec![robot_message(robot, "第一条", TONGCHUAN)]).await[0];
        assert_eq!(deliver(&b.state).await.sent, 1);
        assert_eq!(deliver(&a.state).await, outbox::Delivered::default());
        assert_eq!(endpoint.requests().len(), 1);
        assert_eq!(row(&a, id).await.state, state::SENT);

        // A worker died mid-send: the row is left `sending`, claimed now.
        let id = committed(&a, vec![robot_message(robot, "第二条", TONGCHUAN)]).await[0];
        let claimed: DateTime<Utc> = a.state.now();
        message::Entity::update_many()
            .col_expr(message::Column::State, Expr::value(state::SENDING))
            .col_expr(message::Column::ClaimedAt, Expr::value(Some(claimed)))
            .col_expr(message::Column::Attempts, Expr::value(1))
            .filter(message::Column::Id.eq(id))
            .exec(&a.state.db)
            .await
            .expect("leave a claim behind");
        assert_eq!(deliver(&a.state).await, outbox::Delivered::default());
        assert_eq!(deliver(&b.state).await, outbox::Delivered::default());
        a.clock.advance(CLAIM_TIMEOUT);
        assert_eq!(
            deliver(&a.state).await,
            outbox::Delivered::default(),
            "not before the claim is older than the timeout"
        );
        a.clock.advance(Duration::seconds(1));
        assert_eq!(
            deliver(&a.state).await.sent,
            1,
            "the stale claim is taken again"
        );
        assert_eq!(deliver(&a.state).await, outbox::Delivered::default());
        b.clock.advance(CLAIM_TIMEOUT + Duration::seconds(1));
        assert_eq!(deliver(&b.state).await, outbox::Delivered::default());
        let bodies: Vec<String> = endpoint
            .requests()
            .iter()
            .map(|r| r.json()["text"]["content"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(bodies.len(), 2, "{bodies:?}");
        assert!(bodies[1].starts_with("【第二条】"), "{bodies:?}");
        let m = row(&a, id).await;
        assert_eq!((m.state.as_str(), m.attempts), (state::SENT, 2));

        // Two workers at once, on two servers: every message goes out exactly once.
        b.clock.advance(-(CLAIM_TIMEOUT + Duration::seconds(1)));
        let count = 30;
        let titles: Vec<String> = (1..=count).map(|i| format!("并发第{i}条")).collect();
        committed(
            &a,
            titles
                .iter()
                .map(|t| robot_message(robot, t, TONGCHUAN))
                .collect(),
        )
        .await;
        let (one, two) = tokio::join!(deliver(&a.state), deliver(&b.state));
        assert_eq!(one.sent + two.sent, count, "{one:?} {two:?}");
        assert_eq!(one.retrying + one.failed + two.retrying + two.failed, 0);
        let mut seen: Vec<String> = endpoint.requests()[2..]
            .iter()
            .map(|r| {
                let text = r.json()["text"]["content"].as_str().unwrap().to_string();
                text[text.find('【').unwrap() + '【'.len_utf8()..text.find('】').unwrap()]
                    .to_string()
            })
            .collect();
        seen.sort();
        let mut expected = titles.clone();
        expected.sort();
        assert_eq!(seen, expected, "each message exactly once");
        let left = message::Entity::find()
            .filter(message::Column::State.ne(state::SENT))
            .count(&a.state.db)
            .await
            .unwrap();
        assert_eq!(left, 0);
    })
    .await;
}

#[tokio::test]
async fn a_claim_carries_the_time_it_was_taken_not_the_start_of_the_pass() {
    on_each_backend(|app, _| async move {
        let slow = HttpServer::start_held(200, OK).await;
        let next = HttpServer::start_held(200, OK).await;
        let first = wecom_robot(
            &app,
            "潼川镇工作群",
            &format!("{}{WEBHOOK}", slow.base),
            TONGCHUAN,
        )
        .await;
        let second = wecom_robot(
            &app,
            "塔山镇工作群",
            &format!("{}{WEBHOOK}", next.base),
            TASHAN,
        )
        .await;
        committed(&app, vec![robot_message(first, "先发", TONGCHUAN)]).await;
        app.clock.advance(Duration::seconds(1));
        let later = committed(&app, vec![robot_message(second, "后发", TASHAN)]).await[0];

        // One address at a time, so the second is claimed only after the first is sent.
        let serial = one_at_a_time(&app.state);
        let worker = tokio::spawn(async move { outbox::deliver_due(&serial).await });
        // The first send takes longer than a claim's timeout.
        slow.wait_for(1).await;
        app.clock.advance(CLAIM_TIMEOUT + Duration::minutes(1));
        slow.release();
        // The second is claimed now, so another server's worker does not find it stale.
        next.wait_for(1).await;
        let m = row(&app, later).await;
        assert_eq!(m.state, state::SENDING);
        assert_eq!(m.claimed_at, Some(app.state.now()));
        assert_eq!(deliver(&app.state).await, outbox::Delivered::default());
        next.release();
        let done = worker.await.expect("worker").expect("delivery pass");
        assert_eq!(done.sent, 2);
        assert_eq!((slow.requests().len(), next.requests().len()), (1, 1));
    })
    .await;
}

fn one_at_a_time(state: &AppState) -> AppState {
    let mut settings = (*state.settings).clone();
    settings.notify.concurrency = Some(1);
    let mut serial = state.clone();
    serial.settings = std::sync::Arc::new(settings);
    serial
}

#[tokio::test]
async fn a_slow_group_does_not_hold_up_the_others_and_one_address_keeps_its_order() {
    on_each_backend(|app, _| async move {
        let slow = HttpServer::start_held(200, OK).await;
        let quick = HttpServer::start_held(200, OK).await;
        let first = wecom_robot(
            &app,
            "潼川镇工作群",
            &format!("{}{WEBHOOK}", slow.base),
            TONGCHUAN,
        )
        .await;
        let second = wecom_robot(
            &app,
            "塔山镇工作群",
            &format!("{}{WEBHOOK}", quick.base),
            TASHAN,
        )
        .await;
        committed(
            &app,
            vec![
                robot_message(first, "第一条", TONGCHUAN),
                robot_message(first, "第二条", TONGCHUAN),
                robot_message(second, "塔山", TASHAN),
            ],
        )
        .await;
        let worker = tokio::spawn({
            let state = app.state.clone();
            async move { outbox::deliver_due(&state).await }
        });
        // Both groups are being sent to at once: one after another, the second group would
        // wait for the first, held here.
        slow.wait_for(1).await;
        quick.wait_for(1).await;
        quick.release();
        slow.release();
        let done = worker.await.expect("worker").expect("delivery pass");
        assert_eq!(done.sent, 3);
        let texts: Vec<String> = slow
            .requests()
            .iter()
            .map(|r| r.json()["text"]["content"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(texts.len(), 2);
        assert!(
            texts[0].contains("第一条") && texts[1].contains("第二条"),
            "{texts:?}"
        );
    })
    .await;
}

static COUNTED: AtomicUsize = AtomicUsize::new(0);

fn counting(_: &AppState) -> JobFuture<'_> {
    Box::pin(async {
        let n = COUNTED.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(format!("第 {n} 次"))
    })
}

static FAILED: AtomicUsize = AtomicUsize::new(0);

fn failing(_: &AppState) -> JobFuture<'_> {
    Box::pin(async {
        FAILED.fetch_add(1, Ordering::SeqCst);
        AppResult::<String>::Err(AppError::conflict("upstream", "气象台接口无应答"))
    })
}

async fn job_row(app: &TestApp, name: &str) -> job::Model {
    job::Entity::find_by_id(name.to_string())
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("the job has its row")
}

async fn runs(app: &TestApp, name: &str) -> Vec<job_run::Model> {
    job_run::Entity::find()
        .filter(job_run::Column::Name.eq(name))
        .order_by_asc(job_run::Column::StartedAt)
        .all(&app.state.db)
        .await
        .expect("query")
}

#[tokio::test]
async fn a_job_runs_when_due_once_under_its_lease_and_every_run_is_recorded() {
    on_each_backend(|app, _| async move {
        COUNTED.store(0, Ordering::SeqCst);
        let job = Job {
            name: "test_counting",
            label: "计数",
            every: Duration::minutes(10),
            run: counting,
        };
        let state = app.state.clone().with_jobs(vec![job]);
        let run = || async { platform::jobs::run_due(&state).await.expect("jobs") };

        let start = app.state.now();
        assert_eq!(run().await, ["test_counting"], "a new job runs at once");
        assert_eq!(run().await, Vec::<&str>::new(), "not again before `every`");
        assert_eq!(COUNTED.load(Ordering::SeqCst), 1);
        let row = job_row(&app, "test_counting").await;
        assert_eq!(row.next_run_at, start + Duration::minutes(10));
        assert_eq!(row.last_ok, Some(true));
        assert_eq!(row.last_summary.as_deref(), Some("第 1 次"));
        assert!(row.lease_holder.is_none() && row.lease_until.is_none());

        app.clock.advance(Duration::minutes(9));
        assert!(run().await.is_empty());
        app.clock.advance(Duration::minutes(1));
        assert_eq!(run().await, ["test_counting"]);
        assert_eq!(COUNTED.load(Ordering::SeqCst), 2);

        // Another server holds the lease (it is running the job): this one keeps off.
        app.clock.advance(Duration::minutes(10));
        let until = app.state.now() + Duration::minutes(3);
        job::Entity::update_many()
            .col_expr(job::Column::LeaseHolder, Expr::value(Some(Uuid::now_v7())))
            .col_expr(job::Column::LeaseUntil, Expr::value(Some(until)))
            .filter(job::Column::Name.eq("test_counting"))
            .exec(&app.state.db)
            .await
            .expect("another server's lease");
        assert!(run().await.is_empty(), "the lease blocks it");
        app.clock.advance(Duration::minutes(2));
        assert!(run().await.is_empty(), "still leased");
        // That server died: its lease runs out and the job runs here.
        app.clock
            .advance(Duration::minutes(1) + Duration::seconds(1));
        assert_eq!(run().await, ["test_counting"]);
        assert_eq!(COUNTED.load(Ordering::SeqCst), 3);

        let recorded = runs(&app, "test_counting").await;
        let summaries: Vec<&str> = recorded.iter().map(|r| r.summary.as_str()).collect();
        assert_eq!(summaries, ["第 1 次", "第 2 次", "第 3 次"]);
        assert!(recorded.iter().all(|r| r.ok));
        assert_eq!(recorded[0].started_at, start);
        assert_eq!(recorded[1].started_at, start + Duration::minutes(10));
    })
    .await;
}

#[tokio::test]
async fn a_failing_job_is_recorded_and_still_runs_again_on_time() {
    on_each_backend(|app, _| async move {
        FAILED.store(0, Ordering::SeqCst);
        let job = Job {
            name: "test_failing",
            label: "总是失败",
            every: Duration::hours(1),
            run: failing,
        };
        let state = app.state.clone().with_jobs(vec![job]);
        let start = app.state.now();
        assert_eq!(
            platform::jobs::run_due(&state).await.expect("jobs"),
            ["test_failing"]
        );
        let recorded = runs(&app, "test_failing").await;
        assert_eq!(recorded.len(), 1);
        assert!(!recorded[0].ok);
        assert_eq!(recorded[0].summary, "气象台接口无应答");
        let row = job_row(&app, "test_failing").await;
        assert_eq!(row.last_ok, Some(false));
        assert_eq!(row.next_run_at, start + Duration::hours(1));
        assert!(
            row.lease_until.is_none(),
            "the lease is freed after a failure"
        );

        app.clock.advance(Duration::minutes(59));
        assert!(platform::jobs::run_due(&state).await.unwrap().is_empty());
        app.clock.advance(Duration::minutes(1));
        assert_eq!(
            platform::jobs::run_due(&state).await.unwrap(),
            ["test_failing"]
        );
        assert_eq!(FAILED.load(Ordering::SeqCst), 2);
        assert_eq!(runs(&app, "test_failing").await.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_inbox_lists_newest_first_marks_read_and_stays_private() {
    on_each_backend(|app, _| async move {
        let tongchuan = user_named(&app, "tongchuan").await;
        let tashan = user_named(&app, "tashan").await;
        let to = |u: &user::Model, title: &str| {
            Message::inbox(
                u.id,
                &u.display_name,
                title,
                &format!("{title}的正文"),
                &u.region_code,
            )
        };
        let first = committed(&app, vec![to(&tongchuan, "旧的通知")]).await[0];
        app.clock.advance(Duration::minutes(5));
        let second = committed(
            &app,
            vec![to(&tongchuan, "暴雨预警叫应").link("/warning/calls/9/confirm")],
        )
        .await[0];
        app.clock.advance(Duration::minutes(5));
        committed(
            &app,
            vec![to(&tongchuan, "最新的通知"), to(&tashan, "塔山的通知")],
        )
        .await;
        // A network message to the same person is not in their inbox.
        let mut sms = to(&tongchuan, "短信副本");
        sms.channel = ChannelKind::Sms;
        sms.address = "13800000001".to_string();
        committed(&app, vec![sms]).await;

        let session = login(&app, "tongchuan").await;
        assert_eq!(badge(&session).await, 3);
        let (status, page) = session.text("/inbox").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("（共 3 条）"), "{page}");
        let at = |title: &str| {
            page.find(title)
                .unwrap_or_else(|| panic!("{title}: {page}"))
        };
        assert!(at("最新的通知") < at("暴雨预警叫应") && at("暴雨预警叫应") < at("旧的通知"));
        assert!(!page.contains("塔山的通知") && !page.contains("短信副本"));
        assert_eq!(page.matches(r#"<li class="unread">"#).count(), 3);

        // Opening marks it read and offers its link.
        let (status, opened) = session.text(&format!("/inbox/{second}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(opened.contains("暴雨预警叫应的正文"), "{opened}");
        assert!(
            opened.contains(r#"href="/warning/calls/9/confirm">打开处理</a>"#),
            "{opened}"
        );
        assert_eq!(badge(&session).await, 2);
        let (_, opened) = session.text(&format!("/inbox/{first}")).await;
        assert!(!opened.contains("打开处理"), "no link, no button");
        let (_, unread) = session.text("/inbox?unread=true").await;
        assert!(unread.contains("（共 1 条）"), "{unread}");
        assert!(unread.contains("最新的通知") && !unread.contains("旧的通知"));
        let read_at = row(&app, second).await.read_at;
        assert_eq!(read_at, Some(app.state.now()));
        app.clock.advance(Duration::minutes(1));
        session.text(&format!("/inbox/{second}")).await;
        assert_eq!(
            row(&app, second).await.read_at,
            read_at,
            "first reading kept"
        );

        // Someone else's message is not found, and stays unread.
        let other = login(&app, "tashan").await;
        let (status, _) = other.text(&format!("/inbox/{first}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let latest = message::Entity::find()
            .filter(message::Column::Title.eq("最新的通知"))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let (status, page) = other.text(&format!("/inbox/{}", latest.id)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{page}");
        assert!(row(&app, latest.id).await.read_at.is_none());

        // Read all: the badge goes, the other user's unread message stays.
        let r = session.post_form("/inbox/read-all", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers()["location"].to_str().unwrap(),
            "/inbox?done=saved"
        );
        assert_eq!(badge(&session).await, 0);
        let (_, page) = session.text("/inbox").await;
        assert_eq!(page.matches(r#"<li class="unread">"#).count(), 0);
        assert_eq!(badge(&other).await, 1);
    })
    .await;
}

#[tokio::test]
async fn robots_are_registered_in_scope_with_the_key_hidden_and_voided_with_a_reason() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;
        let register = |fields: Vec<(&'static str, &'static str)>| {
            let town = &town;
            async move {
                let r = town.post_form("/notify/robots", &fields).await;
                (r.status(), r.text().await.unwrap())
            }
        };

        // Errors in Chinese beside the fields, with what was typed kept.
        let (status, page) = register(vec![
            ("channel", "wecom"),
            ("name", " "),
            ("webhook_url", "ftp://example.cn/hook"),
        ])
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("请填写群名称"), "{page}");
        assert!(
            page.contains("请粘贴机器人的 Webhook 地址（以 https:// 开头）"),
            "{page}"
        );
        assert!(page.contains(r#"value="ftp://example.cn/hook""#), "{page}");
        let (status, page) = register(vec![
            ("channel", "sms"),
            ("name", "短信群"),
            ("webhook_url", "https://example.cn/send?key=k"),
        ])
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("请选择企业微信或钉钉"), "{page}");

        // A township registers for itself only, and only real regions.
        let webhook = "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789";
        for (region, error) in [
            (TASHAN, "只能为本辖区登记群机器人"),
            (COUNTY, "只能为本辖区登记群机器人"),
            ("510722101999", "没有这个区划代码"),
            ("510722101", "没有这个区划代码"),
        ] {
            let (status, page) = register(vec![
                ("channel", "dingtalk"),
                ("name", "潼川镇防汛工作群"),
                ("webhook_url", webhook),
                ("region_code", region),
            ])
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{region}");
            assert!(page.contains(error), "{region}: {page}");
        }
        let (status, page) = register(vec![
            ("channel", "wecom"),
            ("name", "凤凰村群"),
            (
                "webhook_url",
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=9f8e7d6c5b",
            ),
            ("region_code", "510722101201"),
        ])
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.contains("群机器人登记在县或乡镇（街道）一级"),
            "{page}"
        );
        let (status, _) = register(vec![
            ("channel", "dingtalk"),
            ("name", "潼川镇防汛工作群"),
            ("webhook_url", webhook),
            ("secret", "SEC0123456789"),
        ])
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, page) = register(vec![
            ("channel", "wecom"),
            ("name", "潼川镇值班群"),
            (
                "webhook_url",
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=9f8e7d6c5b",
            ),
            ("region_code", TONGCHUAN),
        ])
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        let robots = platform::notify::robots::of_regions(&app.state.db, &[TONGCHUAN.into()])
            .await
            .unwrap();
        assert_eq!(robots.len(), 2);
        let robot = robots.iter().find(|r| r.channel == "dingtalk").unwrap();
        assert_eq!(robot.channel, "dingtalk");
        assert_eq!(robot.secret.as_deref(), Some("SEC0123456789"));

        // The list hides the keys.
        let (status, page) = town.text("/notify/robots").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("（2 个）"), "{page}");
        assert!(page.contains("潼川镇防汛工作群") && page.contains("潼川镇值班群"));
        assert!(page.contains("access_token=abcd…"), "{page}");
        assert!(page.contains("key=9f8e…"), "{page}");
        assert!(!page.contains("abcdef0123456789") && !page.contains("9f8e7d6c5b"));
        assert!(!page.contains("SEC0123456789"), "the secret is not shown");

        // Another township neither sees nor voids it; the county sees both.
        let other = login(&app, "tashan").await;
        let (_, page) = other.text("/notify/robots").await;
        assert!(page.contains("（0 个）") && !page.contains("潼川镇防汛工作群"));
        let r = other
            .post_form(
                &format!("/notify/robots/{}/void", robot.id),
                &[("reason", "误登")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let (_, page) = login(&app, "disaster").await.text("/notify/robots").await;
        assert!(page.contains("（2 个）"), "{page}");

        // Voiding needs a reason.
        let r = town
            .post_form(
                &format!("/notify/robots/{}/void", robot.id),
                &[("reason", " ")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("请填写作废原因"));
        let r = town
            .post_form(
                &format!("/notify/robots/{}/void", robot.id),
                &[("reason", "群已解散")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = town.text("/notify/robots").await;
        assert!(page.contains("（1 个）") && !page.contains("潼川镇防汛工作群"));
        let r = town
            .post_form(
                &format!("/notify/robots/{}/void", robot.id),
                &[("reason", "再次")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "voided once only");
        let live = platform::notify::robots::of_regions(&app.state.db, &[TONGCHUAN.into()])
            .await
            .unwrap();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].name, "潼川镇值班群");

        // Those who keep no contacts keep no robots.
        for username in ["village", "enterprise", "auditor", "safety"] {
            let (status, _) = login(&app, username).await.text("/notify/robots").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
        }

        // Every change is in the audit trail, with the township's staff as actor.
        let auditor = login(&app, "auditor").await;
        let (_, trail) = auditor
            .get_json(&format!(
                "/api/v1/admin/audit?entity=notify_robot&record_id={}",
                robot.id
            ))
            .await;
        let actions: Vec<&str> = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["void", "create"], "{trail}");
        assert_eq!(trail["items"][0]["actor_name"], "潼川镇应急办");
        assert!(
            trail["items"][0]["summary"]
                .as_str()
                .unwrap()
                .contains("群已解散")
        );
        assert_eq!(
            audit_total(&auditor, "entity=notify_robot&action=create").await,
            2
        );
    })
    .await;
}

#[tokio::test]
async fn the_delivery_list_shows_the_messages_of_ones_own_region() {
    on_each_backend(|app, _| async move {
        let nobody = Uuid::now_v7();
        let sms = |title: &str, region: &str| {
            let mut m = Message::inbox(nobody, "张三", title, "正文", region);
            m.channel = ChannelKind::Sms;
            m.address = "13800000009".to_string();
            m
        };
        let ids = committed(
            &app,
            vec![
                sms("全县的消息", COUNTY),
                sms("潼川镇的消息", TONGCHUAN),
                sms("凤凰村的消息", "510722101201"),
                sms("塔山镇的消息", TASHAN),
            ],
        )
        .await;
        assert_eq!(deliver(&app.state).await.failed, 4, "no SMS gateway here");

        let county = login(&app, "disaster").await;
        let (_, page) = county.text("/notify/messages").await;
        assert!(page.contains("（共 4 条）"), "{page}");
        assert!(page.contains(r#"href="/notify/robots""#));
        // A leader watches deliveries but keeps no robots: no link to a page they cannot open.
        let (status, page) = login(&app, "leader").await.text("/notify/messages").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("（共 4 条）") && !page.contains(r#"href="/notify/robots""#));
        let (_, page) = county
            .text("/notify/messages?q=塔山&channel=sms&state=failed")
            .await;
        assert!(page.contains("（共 1 条）"), "{page}");
        let (_, page) = county.text("/notify/messages?channel=wecom").await;
        assert!(page.contains("（共 0 条）"), "{page}");

        // A township sees its own and its villages' messages, and may resend only those.
        let town = login(&app, "tongchuan").await;
        let (status, page) = town.text("/notify/messages").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("（共 2 条）"), "{page}");
        assert!(page.contains("潼川镇的消息") && page.contains("凤凰村的消息"));
        assert!(!page.contains("全县的消息") && !page.contains("塔山镇的消息"));
        assert!(
            page.contains(r#"href="/notify/messages""#),
            "the menu offers it"
        );
        let r = town
            .post_form(&format!("/notify/messages/{}/resend", ids[3]), &[])
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = town
            .post_form(&format!("/notify/messages/{}/resend", ids[0]), &[])
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = town
            .post_form(&format!("/notify/messages/{}/resend", ids[1]), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(row(&app, ids[1]).await.state, state::PENDING);
        assert_eq!(row(&app, ids[3]).await.state, state::FAILED);

        // Those without notify.view see neither the list nor its menu entry.
        for username in ["village", "enterprise", "auditor", "rescue"] {
            let session = login(&app, username).await;
            let (status, _) = session.text("/notify/messages").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
            let r = session
                .post_form(&format!("/notify/messages/{}/resend", ids[2]), &[])
                .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{username}");
            let (_, inbox) = session.text("/inbox").await;
            assert!(!inbox.contains(r#"href="/notify/messages""#), "{username}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_configured_sms_gateway_and_mail_server_carry_outbox_messages() {
    use platform::notify::channels::testing::SmtpServer;
    use platform::notify::channels::{SmsFormat, SmsGateway, SmsMethod, SmtpTls};
    for backend in yingji::testing::backends() {
        let gateway = HttpServer::start(200, r#"{"code":0}"#).await;
        let mail = SmtpServer::start("250 OK").await;
        let mut settings = Settings {
            public_url: "https://yj.example.cn/".to_string(),
            ..Settings::default()
        };
        settings.notify.sms = Some(SmsGateway {
            url: format!("{}/sms/send", gateway.base),
            method: SmsMethod::Post,
            format: SmsFormat::Json,
            body: Some(r#"{"mobile":"{phone}","content":"{text}"}"#.to_string()),
            headers: [("Authorization".to_string(), "Bearer k".to_string())].into(),
            success_contains: Some(r#""code":0"#.to_string()),
        });
        settings.notify.smtp = Some(platform::notify::channels::SmtpServer {
            host: "127.0.0.1".to_string(),
            port: Some(mail.port),
            from: "应急管理局 <noreply@example.cn>".to_string(),
            username: None,
            password: None,
            tls: SmtpTls::None,
        });
        let app = TestApp::spawn_with(&backend, settings)
            .await
            .expect("app with gateways");
        let person = |channel: ChannelKind, address: &str| {
            let mut m = Message::inbox(
                Uuid::now_v7(),
                "张镇长",
                "暴雨红色预警",
                "请回复确认",
                TONGCHUAN,
            )
            .link("/warning/calls/7/confirm");
            m.channel = channel;
            m.address = address.to_string();
            m
        };
        let ids = committed(
            &app,
            vec![
                person(ChannelKind::Sms, "13800000001"),
                person(ChannelKind::Email, "zhang@example.cn"),
            ],
        )
        .await;
        assert_eq!(deliver(&app.state).await.sent, 2, "{}", backend.name());
        let sms = gateway.request();
        assert_eq!(sms.path, "/sms/send");
        assert_eq!(sms.header("authorization"), "Bearer k");
        assert_eq!(
            sms.json(),
            json!({"mobile": "13800000001",
                   "content": "【暴雨红色预警】请回复确认\nhttps://yj.example.cn/warning/calls/7/confirm"})
        );
        let mails = mail.mails();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to, ["<zhang@example.cn>"]);
        assert!(
            mails[0]
                .data
                .contains("https://yj.example.cn/warning/calls/7/confirm"),
            "{}",
            mails[0].data
        );
        for id in ids {
            assert_eq!(row(&app, id).await.state, state::SENT);
        }
    }
}
