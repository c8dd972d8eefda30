//! Mestno's application layer: what a person does with an office, whatever front end they use.
//! The desktop app's Tauri shell and the `mestno` command are thin adapters over it; it knows
//! nothing of Tauri.
//!
//! - [`Office`]: the office's database, opened (and unlocked with the OS store's key or a
//!   password) once, what the window shows about it ([`AppInfo`]), its first start
//!   ([`OfficeSetup`], [`DemoScale`]), its profile ([`OfficeProfile`]: the name, address and
//!   operator's details every paper prints, kept through [`Store::office_profile`]) and the
//!   language of its messages.
//! - [`backup`]: backups from the window — a copy now, automatic copies into a chosen folder at
//!   the first start of each day (the newest kept), the warning when the last one is old, and a
//!   restore that replaces the open office ([`Office::restore_backup`]).
//! - [`import`]: the import's one flow — [`import::ImportFile`] read once, checked into a plan,
//!   [`import::commit`]ted without copying its records — which the `mestno import` command runs in
//!   one go and the window's wizard ([`import::ImportDesk`]) step by step.
//! - [`erasure::erase_person`]: the 152-ФЗ erasure as one procedure — the erasure, the act of
//!   destruction, the files, the compacted file.
//! - [`reports::export_report`], [`initiatives::create_initiative`]: the reports with progress,
//!   and a new initiative's defaults (an idea, today).
//! - [`commands`]: the one table of commands the window calls — each command's name, arguments
//!   and reply written once — with [`dispatch`], which runs one from its JSON arguments, and a
//!   typed method of [`Call`] for each, which the `mestno` command calls. With the `ts` feature,
//!   [`client`] writes the window's typed client and [`bindings`] the TypeScript types from it.
//! - [`names`]: a program by its code and a territory by its name, for the command line's filters.
//!
//! - [`updates`]: where the office looks for a newer version of the app, with its consent; the
//!   front end looks and installs ([`Shell::check_update`]).
//!
//! A failed command is an [`AppError`] `{code, message, fields}`, the message in the language
//! the person chose. Long work reports its progress to the front end's [`Shell`].
//!
//! [`Store::office_profile`]: mestno_core::Store::office_profile
#![deny(missing_docs)]

pub mod backup;
#[cfg(feature = "ts")]
pub mod bindings;
#[cfg(feature = "ts")]
pub mod client;
pub mod commands;
pub mod demo;
pub mod erasure;
pub mod error;
pub mod import;
pub mod initiatives;
pub mod names;
mod office;
pub mod reports;
pub mod server;
mod shell;
pub mod sync;
pub mod updates;
mod working;

pub use commands::{Call, NAMES, dispatch};
pub use demo::DemoScale;
pub use error::AppError;
pub use mestno_core::model::OfficeProfile;
pub use office::{AppInfo, Office, OfficeSetup};
pub use shell::{NoShell, Progress, Shell, ShellFuture};
pub use working::WorkingPerson;
