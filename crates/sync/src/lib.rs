//! Shared work between offices: every office database is a replica, and what one replica
//! changed reaches the others.
//!
//! The change log and the merge rule live in the core (`mestno_core::sync`, and the store's
//! `changes_since` / `apply_package`): every write leaves a history entry stamped with a hybrid
//! logical clock and the replica that made it; a record's state is the fold of its entries in
//! clock order. This crate carries the changes between offices:
//!
//! - [`package`]: exchange packages («пакет обмена», `.mestno-sync`): pairing cards, and the
//!   envelope — compressed, encrypted to the recipient, signed by the sender.
//! - [`exchange`]: this office's identity and card, pairing, a package made for a partner and
//!   one loaded from it (with a preview), exactly once.
#![deny(missing_docs)]

pub mod exchange;
pub mod package;
