//! Shared work between offices: every office database is a replica, its change history the log
//! that travels, and [`merge`] the rule that makes replicas holding the same changes hold the
//! same records. The store reads and applies changes in [`crate::store`]'s `sync` module; the
//! `mestno-sync` crate carries them between offices.

pub mod merge;

pub use merge::{
    Body, Change, ConflictKind, Folded, Lost, RawChange, consents_of, created_as_is, created_fields, fold, fold_refs,
    values_before,
};

/// Frees `value` on a thread of its own: a loaded package's hundred thousand changes take a
/// third of a second to give back to the allocator, which the office need not wait for.
pub fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
