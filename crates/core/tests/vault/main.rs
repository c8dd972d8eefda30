//! Integration tests of the encrypted office over real files in a temporary folder; modules
//! mirror `src/vault`: the file at rest, an unencrypted database encrypted in place, backups
//! restored. The OS credential store is an in-memory one (see `util`); the real Secret Service
//! is tried by `tests/keyring_secret_service.rs`.

mod util;

mod at_rest;
mod encrypt;
mod restore;
