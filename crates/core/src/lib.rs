//! Mestno's core: a municipal project office's data, kept safely in one SQLite file.
//!
//! The office keeps [territories](model::Territory) with their population, support
//! [programs](model::Program) with co-financing rules, [initiatives](model::Initiative) with
//! budgets by source and a dated stage history, [contacts](model::Contact) with their 152-ФЗ
//! consent, engagement [events](model::Event) with attendees, residents'
//! [appeals](model::Appeal), attachments and a change history of every record.
//!
//! Everything goes through a [`Store`], opened once with [`Store::open_with`]: it validates input
//! (rules broken come back as [`FieldError`]s in Russian and English and nothing is stored),
//! pages and searches lists, computes the dashboard [`Stats`](store::Stats), makes backups and
//! checks the file. Time comes from a [`Clock`] the caller passes in. Many records go in at once
//! through one batch path: an import's [`Batch`](store::Batch), or the rows
//! ([`store::rows`]) with which [`Store::fill_empty`] fills an empty office (the `mestno-demo`
//! crate's demo data).
//!
//! The file is encrypted at rest with SQLCipher: [`vault::unlock`] gives its [`DatabaseKey`] — a
//! random one kept in the OS credential store, or one derived from a password — and encrypts an
//! unencrypted database on the way; secrets travel as [`Sensitive`] values that never print.
//!
//! A resident's requests under 152-ФЗ: [`Store::person_data`] gathers everything held about one
//! person ([`PersonData`](store::PersonData)), and [`Store::erase_person`] erases them — record,
//! attendance, mentions in other records' texts and history, the search index — keeping the
//! events' headcounts, and writes an [erasure log](model::ErasureLogEntry) entry without
//! personal data, from which the act of destruction is printed.
//!
//! This crate knows nothing of windows: the desktop app and the `mestno` command both call it.
#![deny(missing_docs)]

mod allocator;
mod clock;
mod codes;
mod crypto;
mod error;
mod file;
pub use file::folder_of;
pub mod model;
pub mod money;
mod redact;
pub mod secret;
pub mod store;
pub mod sync;
pub mod text;
pub mod vault;

pub use allocator::route_sqlite;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Entity, Error, ErrorCode, FieldError, Lang, Result, Text, io_reason};
pub use secret::{DatabaseKey, Sensitive};
pub use store::{Access, Footprint, Store};

/// The app's identifier; the per-user data folder is named after it, for the desktop app and
/// the command line alike.
pub const APP_IDENTIFIER: &str = "ru.mestno.desktop";

/// The database's file name inside the data folder.
pub const DATABASE_FILE: &str = "mestno.sqlite";
