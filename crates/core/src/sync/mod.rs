//! Shared work between offices: every office database is a replica, its change history the log
//! that travels, and [`merge`] the rule that makes replicas holding the same changes hold the
//! same records. The store reads and applies changes in [`crate::store`]'s `sync` module; the
//! `mestno-sync` crate carries them between offices.

pub mod merge;

pub use merge::{Change, ConflictKind, Folded, Lost, fold, fold_refs};
