//! Exchange packages («пакет обмена», a `.mestno-sync` file) and pairing.
//!
//! - [`Identity`]: an office's sync identity — its replica, name and territory, an Ed25519 key
//!   to sign what it sends and an age X25519 key to open what it receives. Stored in the
//!   office's own database ([`Identity::to_secret`]).
//! - [`PairingCard`]: the public half, exchanged once as a `.mestno-pair` file; its
//!   [`code`](PairingCard::code) is read over the phone to check it.
//! - [`seal`] and [`open`]: a package is a [`Header`] in the clear and a payload compressed and
//!   encrypted to the recipient (age), all signed by the sender (ed25519-dalek). No
//!   cryptography of our own.
//! - [`PackageError`]: every refusal, with a message for the office staff in Russian and
//!   English.

mod card;
mod envelope;
mod error;
mod identity;

pub use card::{CARD_VERSION, PairingCard};
pub use envelope::{FORMAT_VERSION, Header, MAGIC, MAX_PAYLOAD, open, peek_header, seal};
pub use error::PackageError;
pub use identity::Identity;

/// The extension of an exchange package file.
pub const PACKAGE_EXTENSION: &str = "mestno-sync";

/// The extension of a pairing card file.
pub const CARD_EXTENSION: &str = "mestno-pair";
