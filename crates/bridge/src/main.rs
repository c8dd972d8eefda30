//! `mestno-bridge`: the office's command table over HTTP on the loopback interface, so the built
//! UI runs in a plain browser on the real core. For the browser tests (`tests/browser`) and for
//! trying the UI in a browser while developing; never part of the app or its bundle.
//!
//! ```text
//! mestno-bridge [--ui ui/dist-bridge] [--prepare small,large] [--page empty|small|medium|large]
//! ```
//!
//! It listens on 127.0.0.1 at a port the system picks and prints one JSON line,
//! `{"url": "http://127.0.0.1:PORT", "token": "…"}`; every `/api/` call must carry the token
//! (`Authorization: Bearer …`), or gets 403. Each browser page works in a session of its own
//! (`server.rs` lists the calls): a fresh office, or a copy of a demo office made once per scale
//! (`--prepare` makes those at start, while the first pages already work; `--page` opens one
//! session at start and adds its address, `page`, to the line printed). The window's own
//! answers — the file dialogs, showing a folder, the file the app was started with — are the
//! page's (`ui/src/ipc/bridge/`). Everything lives in one temporary folder, deleted when the
//! bridge stops: when its standard input closes (the process that started it went away) or on
//! Ctrl+C.

mod assets;
mod server;
mod session;
mod template;
#[cfg(test)]
mod tests;
mod token;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

use crate::server::Bridge;
use crate::session::Sessions;
use crate::template::Preset;

const USAGE: &str = "mestno-bridge [--ui ui/dist-bridge] [--prepare small,large] [--page empty|small|medium|large]";

/// What the command line asks for.
struct Args {
    /// The built UI.
    ui: PathBuf,
    /// The demo offices to make at start.
    prepare: Vec<Preset>,
    /// A session to open at start, for a person to try the UI in a browser.
    page: Option<Preset>,
    /// Only the usage was asked for.
    help: bool,
    /// Only make this demo office into this file, and a copy of it beside it, then stop (how the
    /// bridge makes the large ones in a child process of low priority; see `template.rs`).
    make_template: Option<(Preset, PathBuf)>,
}

fn args() -> anyhow::Result<Args> {
    let mut args = Args {
        ui: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/dist-bridge")),
        prepare: Vec::new(),
        page: None,
        help: false,
        make_template: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        match arg.as_str() {
            "--ui" => args.ui = given.next().context("--ui needs the folder of the built UI")?.into(),
            "--prepare" => {
                let list = given.next().context("--prepare needs scales, e.g. small,large")?;
                for name in list.split(',').filter(|n| !n.is_empty()) {
                    args.prepare.push(Preset::parse(name).with_context(|| format!("--prepare: no demo «{name}»"))?);
                }
            }
            "--page" => {
                let name = given.next().context("--page needs what the office holds: empty, small, medium or large")?;
                args.page = Some(Preset::parse(&name).with_context(|| format!("--page: no office «{name}»"))?);
            }
            "--make-template" => {
                let name = given.next().context("--make-template needs a scale")?;
                let preset = Preset::parse(&name).with_context(|| format!("--make-template: no demo «{name}»"))?;
                let path = given.next().context("--make-template needs the file to make")?;
                args.make_template = Some((preset, path.into()));
            }
            "-h" | "--help" => args.help = true,
            other => anyhow::bail!("unknown argument «{other}»; usage: {USAGE}"),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    if args.help {
        println!("{USAGE}");
        return Ok(());
    }
    if let Some((preset, path)) = args.make_template {
        let Preset::Demo(scale) = preset else { anyhow::bail!("--make-template: an empty office is no demo") };
        let made = template::make(path, scale).await?;
        // The copy made ahead only spares the first page a wait: without it, pages copy.
        let spare = template::spare_of(&made);
        if let Err(e) = std::fs::copy(&made, &spare) {
            let _ = std::fs::remove_file(&spare);
            eprintln!("mestno-bridge: no copy of {} made ahead: {e}", made.display());
        }
        return Ok(());
    }
    let home =
        tempfile::Builder::new().prefix("mestno-bridge-").tempdir().context("while making the bridge's folder")?;
    let bridge = Arc::new(Bridge {
        token: token::Token::random()?,
        csp: assets::content_security_policy()?,
        assets: assets::Assets::new(args.ui)?,
        sessions: Sessions::new(home.path().to_path_buf())?,
    });
    if !bridge.assets.is_built() {
        eprintln!(
            "mestno-bridge: no index.html in {} yet: build the UI with `npm --prefix ui run build:bridge`",
            bridge.assets.root().display()
        );
    }
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.context("while listening on 127.0.0.1")?;
    let url = format!("http://{}", listener.local_addr()?);
    let mut line = serde_json::json!({ "url": url, "token": bridge.token.as_str() });
    if let Some(preset) = args.page {
        let session = bridge.sessions.create(preset).await?;
        line["page"] = format!("{url}/index.html?session={}&token={}", session.id, bridge.token.as_str()).into();
    }
    println!("{line}");

    for preset in args.prepare {
        if let Preset::Demo(scale) = preset {
            let bridge = bridge.clone();
            tokio::spawn(async move {
                if let Err(e) = bridge.sessions.templates().get(scale).await {
                    eprintln!("mestno-bridge: {e:#}");
                }
            });
        }
    }
    tokio::spawn(accept(listener, bridge.clone()));

    tokio::select! {
        () = stdin_closed() => {}
        _ = tokio::signal::ctrl_c() => {}
        () = terminated() => {}
    }
    bridge.sessions.close_all();
    drop(bridge);
    // The sessions' and templates' offices are closed; their folder goes.
    home.close().context("while deleting the bridge's folder")?;
    Ok(())
}

/// Serves every connection, each on a task of its own.
async fn accept(listener: TcpListener, bridge: Arc<Bridge>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        // Small replies go out at once, not held back for the previous one's acknowledgement.
        let _ = stream.set_nodelay(true);
        let bridge = bridge.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| server::handle(bridge.clone(), req));
            // A page that goes away mid-request ends its connection; nothing to report.
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Returns when standard input reaches its end: the process that started the bridge is gone.
async fn stdin_closed() {
    let mut stdin = tokio::io::stdin();
    let mut buf = [0u8; 256];
    while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
}

/// Returns on SIGTERM.
async fn terminated() {
    #[cfg(unix)]
    if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        term.recv().await;
        return;
    }
    std::future::pending::<()>().await
}
