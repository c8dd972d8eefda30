//! Mestno's shared server: a district's or region's PostgreSQL that offices sync with.
//!
//! The server is one more replica of the offices' change log ([`mestno_core::sync::Change`])
//! that never edits: it keeps every change pushed to it, numbered in the order pushes commit,
//! with the territory its record lies in. Each office logs in as a PostgreSQL role of its own
//! and, by row-level security, reads only its territory's subtree and the shared directories
//! (territories, programs) and writes only changes within its territory; a region's login reads
//! everything below it. TLS is required: an office checks the server's certificate against the
//! CA in its [`Invitation`] (verify-full).
//!
//! - [`admin`]: [`init`] the schema, [`add_office`] (an invitation), [`list_offices`],
//!   [`revoke_office`];
//! - [`sync()`]: push what the server lacks, pull what the office has not read, in batches of
//!   their own transactions — a cut connection loses nothing and the next sync finishes;
//! - [`join`] keeps an invitation in the office database, [`sync_joined`] syncs with it.

#![deny(missing_docs)]

pub mod admin;
mod error;
mod invitation;
mod joined;
pub mod sync;

pub use admin::{Office, ServerInfo, add_office, init, list_offices, revoke_office};
pub use error::{Result, ServerError};
pub use invitation::Invitation;
pub use joined::{LastSync, join, joined, last_sync, leave, sync_joined};
pub use sync::{Report, sync};
