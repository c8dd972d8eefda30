//! The HTTP side: the built UI under the window's CSP, and under `/api/` (token required) the
//! sessions, their commands and their events.
//!
//! ```text
//! GET    /…                                 the built UI (no token: it holds no data)
//! POST   /api/sessions                      {"office": "empty|small|medium|large"} → {id, documents}
//! GET    /api/sessions/ID                   {id, documents}
//! DELETE /api/sessions/ID                   closes the session, deleting its folder
//! POST   /api/sessions/ID/invoke/COMMAND    the command's arguments → {"ok": its reply} or {"error": an AppError}
//! GET    /api/sessions/ID/events            server-sent events: {"event": "progress", "payload": …}
//! ```

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http_body::{Body, Frame};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use hyper::{Method, Request, Response, StatusCode};
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::assets::Assets;
use crate::session::Sessions;
use crate::template::Preset;
use crate::token::Token;

/// The largest request body read: a command's arguments are small.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// What a response carries.
type Reply = Response<BoxBody<Bytes, Infallible>>;

/// Everything the server answers with.
pub struct Bridge {
    /// The token every `/api/` call must carry.
    pub token: Token,
    /// The window's CSP, sent with every file of the UI.
    pub csp: String,
    /// The built UI.
    pub assets: Assets,
    /// The open sessions.
    pub sessions: Sessions,
}

/// Answers one request.
pub async fn handle(bridge: Arc<Bridge>, req: Request<Incoming>) -> Result<Reply, Infallible> {
    let path = req.uri().path().to_owned();
    let Some(api) = path.strip_prefix("/api/") else {
        return Ok(asset(&bridge, req.method(), &path).await);
    };
    if !bridge.token.admits(req.headers().get(AUTHORIZATION).map(|v| v.as_bytes())) {
        return Ok(text(StatusCode::FORBIDDEN, "a token is required"));
    }
    let parts: Vec<&str> = api.split('/').collect();
    Ok(match (req.method().clone(), parts.as_slice()) {
        (Method::POST, ["sessions"]) => create_session(&bridge, req).await,
        (Method::GET, ["sessions", id]) => match bridge.sessions.get(id) {
            Some(session) => json(StatusCode::OK, &session.info()),
            None => no_session(),
        },
        (Method::DELETE, ["sessions", id]) => match bridge.sessions.close(id) {
            true => empty(StatusCode::NO_CONTENT),
            false => no_session(),
        },
        (Method::POST, ["sessions", id, "invoke", command]) => invoke(&bridge, id, command, req).await,
        (Method::GET, ["sessions", id, "events"]) => match bridge.sessions.get(id) {
            Some(session) => events(session.shell.subscribe()),
            None => no_session(),
        },
        _ => text(StatusCode::NOT_FOUND, "no such call"),
    })
}

#[derive(Deserialize)]
struct NewSession {
    office: String,
}

async fn create_session(bridge: &Bridge, req: Request<Incoming>) -> Reply {
    let request: NewSession = match read_json(req).await {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    let Some(preset) = Preset::parse(&request.office) else {
        return text(StatusCode::BAD_REQUEST, "office: empty, small, medium or large");
    };
    match bridge.sessions.create(preset).await {
        Ok(session) => json(StatusCode::OK, &session.info()),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e:#}")),
    }
}

/// Runs `command` of the command table on the session's office.
async fn invoke(bridge: &Bridge, id: &str, command: &str, req: Request<Incoming>) -> Reply {
    let Some(session) = bridge.sessions.get(id) else {
        return no_session();
    };
    let args: serde_json::Value = match read_json(req).await {
        Ok(args) => args,
        Err(reply) => return reply,
    };
    // A refusal is the command's answer, as a rejected `invoke` is in the window: the call
    // itself went well.
    match mestno_office::dispatch(&session.office, command, args, &session.shell).await {
        Ok(value) => json(StatusCode::OK, &serde_json::json!({ "ok": value })),
        Err(error) => json(StatusCode::OK, &serde_json::json!({ "error": error })),
    }
}

/// The request's body as JSON; an empty body is `null`.
async fn read_json<T: serde::de::DeserializeOwned>(req: Request<Incoming>) -> Result<T, Reply> {
    let body = Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|e| text(StatusCode::BAD_REQUEST, &format!("the request's body: {e}")))?
        .to_bytes();
    let body: &[u8] = if body.is_empty() { b"null" } else { &body };
    serde_json::from_slice(body).map_err(|e| text(StatusCode::BAD_REQUEST, &format!("the request's body: {e}")))
}

async fn asset(bridge: &Bridge, method: &Method, path: &str) -> Reply {
    if method != Method::GET && method != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "the UI is only read");
    }
    match bridge.assets.get(path).await {
        Some(file) => Response::builder()
            .header(CONTENT_TYPE, file.content_type)
            .header(CONTENT_SECURITY_POLICY, &bridge.csp)
            .header(X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(CACHE_CONTROL, "no-store")
            .body(Full::new(Bytes::from(file.bytes)).boxed())
            .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR)),
        None => text(StatusCode::NOT_FOUND, "no such file"),
    }
}

/// A stream of server-sent events, open until the session closes or the page goes away.
fn events(rx: mpsc::UnboundedReceiver<Bytes>) -> Reply {
    Response::builder()
        .header(CONTENT_TYPE, "text/event-stream")
        .header(CACHE_CONTROL, "no-store")
        .body(EventStream(rx).boxed())
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}

struct EventStream(mpsc::UnboundedReceiver<Bytes>);

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|event| event.map(|bytes| Ok(Frame::data(bytes))))
    }
}

fn no_session() -> Reply {
    text(StatusCode::NOT_FOUND, "no such session")
}

fn json<T: serde::Serialize + ?Sized>(status: StatusCode, value: &T) -> Reply {
    match serde_json::to_vec(value) {
        Ok(body) => Response::builder()
            .status(status)
            .header(CONTENT_TYPE, "application/json")
            .header(CACHE_CONTROL, "no-store")
            .body(Full::new(Bytes::from(body)).boxed())
            .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR)),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

fn text(status: StatusCode, message: &str) -> Reply {
    let mut reply = Response::new(Full::new(Bytes::from(message.to_owned())).boxed());
    *reply.status_mut() = status;
    reply.headers_mut().insert(CONTENT_TYPE, hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"));
    reply
}

fn empty(status: StatusCode) -> Reply {
    let mut reply = Response::new(Full::new(Bytes::new()).boxed());
    *reply.status_mut() = status;
    reply
}
