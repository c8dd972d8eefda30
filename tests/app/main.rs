//! The desktop app's own tests: the TypeScript bindings, the capabilities, and the commands the
//! window calls, driven through Tauri's IPC on its mock runtime over a real database file.

mod bindings;
mod capabilities;
mod generated;
mod ipc;
mod launch;
mod profile;
