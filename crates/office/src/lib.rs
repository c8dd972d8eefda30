//! Mestno's application layer: what a person does with an office, whatever front end they use.
//! The desktop app's Tauri shell and the `mestno` command are thin adapters over it; it knows
//! nothing of Tauri.
//!
//! - [`Office`]: the office's database, opened (and unlocked with the OS store's key or a
//!   password) once, what the window shows about it ([`AppInfo`]), its first start
//!   ([`OfficeSetup`], [`DemoScale`]), its profile ([`OfficeProfile`]: the name, address and
//!   operator's details every paper prints, kept through [`Store::office_profile`]) and the
//!   language of its messages.
//! - [`import::ImportDesk`]: the import wizard's session, from the opened file to the commit.
//! - [`erasure::erase_person`]: the 152-ФЗ erasure as one procedure — the erasure, the act of
//!   destruction, the files, the compacted file.
//! - [`reports::export_report`], [`initiatives::create_initiative`]: the reports with progress,
//!   and a new initiative's defaults (an idea, today).
//! - [`commands`]: the one table of commands the window calls — each command's name, arguments
//!   and reply written once — with [`dispatch`], which runs one from its JSON arguments. With the
//!   `ts` feature, [`client`] writes the window's typed client and [`bindings`] the TypeScript
//!   types from it.
//!
//! A failed command is an [`AppError`] `{code, message, fields}`, the message in the language
//! the person chose. Long work reports its progress to the front end's [`Shell`].
//!
//! [`Store::office_profile`]: mestno_core::Store::office_profile
#![deny(missing_docs)]

#[cfg(feature = "ts")]
pub mod bindings;
#[cfg(feature = "ts")]
pub mod client;
pub mod commands;
mod demo;
pub mod erasure;
pub mod error;
pub mod import;
pub mod initiatives;
mod office;
pub mod reports;
mod shell;

pub use commands::{Call, NAMES, dispatch};
pub use demo::DemoScale;
pub use error::AppError;
pub use mestno_core::model::OfficeProfile;
pub use office::{AppInfo, Office, OfficeSetup};
pub use shell::{NoShell, Progress, Shell};
