//! Login, logout, password change and API-token pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use uuid::Uuid;

use super::account::{PasswordChange, change_password};
use super::layer::{ClientIp, MaybeActor};
use super::login::{self, SESSION_COOKIE};
use super::tokens::{self, NewToken, TokenInfo};
use crate::access::Actor;
use crate::error::{AppError, AppResult};
use crate::web::errors::safe_next;
use crate::web::form::{Form, FormErrors, Query};
use crate::web::{AppState, PageCtx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_page).post(password_submit),
        )
        .route("/account/tokens", get(tokens_page).post(token_create))
        .route("/account/tokens/{id}/revoke", post(token_revoke))
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
struct LoginPage {
    error: Option<String>,
    username: String,
    next: String,
    threshold: i32,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    if actor.is_some() {
        return Redirect::to(&next).into_response();
    }
    LoginPage {
        error: None,
        username: String::new(),
        next,
        threshold: state.settings.lockout_threshold,
    }
    .into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    match login::login(&state, &form.username, &form.password, ip).await {
        Ok(done) => {
            let cookie = session_cookie(&state, done.secret);
            let to = if done.actor.must_change_password {
                "/account/password".to_string()
            } else {
                next
            };
            (jar.add(cookie), Redirect::to(&to)).into_response()
        }
        Err(err @ (AppError::BadRequest { .. } | AppError::Locked { .. })) => {
            let status = err.status();
            let page = LoginPage {
                error: Some(err.body().message),
                username: form.username.chars().take(64).collect(),
                next,
                threshold: state.settings.lockout_threshold,
            };
            (status, page).into_response()
        }
        Err(other) => other.into_response(),
    }
}

pub fn session_cookie(state: &AppState, secret: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .build()
}

async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    actor: MaybeActor,
) -> AppResult<Response> {
    if let (Some(actor), Some(cookie)) = (actor.0, jar.get(SESSION_COOKIE)) {
        login::logout(&state, &actor, cookie.value()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    ctx: PageCtx,
    errors: FormErrors,
}

async fn password_page(ctx: PageCtx) -> PasswordPage {
    PasswordPage {
        ctx,
        errors: FormErrors::default(),
    }
}

async fn password_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<PasswordChange>,
) -> AppResult<Response> {
    match change_password(&state, &ctx.actor, &input).await {
        Ok(()) => Ok(Redirect::to("/?done=password").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                PasswordPage { ctx, errors },
            )
                .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/tokens.html")]
struct TokensPage {
    ctx: PageCtx,
    tokens: Vec<TokenInfo>,
    created: Option<NewToken>,
    errors: FormErrors,
}

async fn tokens_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<TokensPage> {
    let tokens = tokens::list_own(&state.db, &ctx.actor).await?;
    Ok(TokensPage {
        ctx,
        tokens,
        created: None,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

async fn token_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<TokenForm>,
) -> AppResult<TokensPage> {
    let (created, errors) = match tokens::create(&state, &ctx.actor, &form.name).await {
        Ok(t) => (Some(t), FormErrors::default()),
        Err(err) => (None, FormErrors::from_error(err)?),
    };
    let tokens = tokens::list_own(&state.db, &ctx.actor).await?;
    Ok(TokensPage {
        ctx,
        tokens,
        created,
        errors,
    })
}

async fn token_revoke(
    State(state): State<AppState>,
    actor: Actor,
    crate::web::form::Path(id): crate::web::form::Path<Uuid>,
) -> AppResult<Redirect> {
    tokens::revoke(&state, &actor, id).await?;
    Ok(Redirect::to("/account/tokens?done=revoked"))
}
