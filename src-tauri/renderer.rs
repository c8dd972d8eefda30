//! Which of WebKitGTK's renderers draws the window (Linux).
//!
//! WebKitGTK draws pages into DMA-BUF buffers it shares with the GPU. Where there is no GPU
//! driver to share them with — a virtual machine, a remote desktop, an old laptop's fallback
//! driver — its web process loads Mesa's software OpenGL to do it, about 90 MB more for a window
//! of forms and tables (measured on the `large` demo: the web process 214 → 124 MB PSS), and with
//! some NVIDIA drivers the window stays blank. Mestno draws nothing that needs a GPU, so the app
//! asks WebKit for its plain renderer, `WEBKIT_DISABLE_DMABUF_RENDERER=1`.
//!
//! WebKit reads the variable once, when it starts, from the process's environment. A Rust
//! program may change its own environment only unsafely (another thread may be reading it), so
//! the app starts itself again with the variable set, in place of itself (`exec`: the same
//! process, the same id and arguments). Whoever sets the variable themselves, to any value, keeps
//! their choice.

/// The variable WebKitGTK reads.
pub const DMABUF_VARIABLE: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// On Linux, restarts this process in place with [`DMABUF_VARIABLE`] set to `1` unless it is set
/// already; returns only where it is set already, on other systems, or where the restart failed
/// (then the window opens with WebKit's default renderer, as before).
pub fn prefer_plain_renderer() {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;

        if std::env::var_os(DMABUF_VARIABLE).is_some() {
            return;
        }
        let Ok(exe) = std::env::current_exe() else { return };
        let mut args = std::env::args_os();
        let mut command = std::process::Command::new(exe);
        if let Some(name) = args.next() {
            command.arg0(name);
        }
        // `exec` returns only if it failed.
        let failed = command.args(args).env(DMABUF_VARIABLE, "1").exec();
        eprintln!("Mestno: could not restart with {DMABUF_VARIABLE}=1 ({failed}); WebKit's default renderer is used");
    }
}
