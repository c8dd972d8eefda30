//! Secrets as a type: a [`Sensitive`] value prints as «[скрыто]», never serialises, and is wiped
//! from memory when dropped; a [`DatabaseKey`] is the 256-bit key SQLCipher encrypts the office
//! database with.

use std::fmt;

use zeroize::Zeroize;

use crate::error::{Error, Result};

/// A secret (a key, a password). `Debug` and `Display` print a placeholder instead of the value,
/// it has no `Serialize`, and its memory is overwritten with zeros when it is dropped; the value
/// is reached only through [`Sensitive::expose`], which a reader can search for.
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The secret itself, for the one place that must use it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize + Clone> Clone for Sensitive<T> {
    fn clone(&self) -> Self {
        Sensitive(self.0.clone())
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[скрыто]")
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Sensitive(value)
    }
}

/// The length of a [`DatabaseKey`], bytes.
pub(crate) const KEY_BYTES: usize = 32;

/// The key the office database is encrypted with: 32 bytes, given to SQLCipher as a raw key, so
/// SQLCipher runs no key derivation of its own. Made at random for the OS credential store, or
/// derived from a password with Argon2id (see [`vault`](crate::vault)).
#[derive(Clone, Debug)]
pub struct DatabaseKey(Sensitive<[u8; KEY_BYTES]>);

impl DatabaseKey {
    /// A new key from the operating system's random number generator.
    pub fn random() -> Result<DatabaseKey> {
        let mut bytes = [0u8; KEY_BYTES];
        if let Err(e) = getrandom::fill(&mut bytes) {
            return Err(Error::refused(
                format!("генератор случайных чисел системы недоступен: {e}"),
                format!("the system's random number generator is unavailable: {e}"),
            ));
        }
        let key = DatabaseKey::from_bytes(bytes);
        bytes.zeroize();
        Ok(key)
    }

    /// A key from its bytes; `bytes` is wiped.
    pub(crate) fn from_bytes(mut bytes: [u8; KEY_BYTES]) -> DatabaseKey {
        let key = DatabaseKey(Sensitive::new(bytes));
        bytes.zeroize();
        key
    }

    /// The key as 64 hexadecimal digits, as the OS credential store keeps it.
    pub(crate) fn to_hex(&self) -> Sensitive<String> {
        Sensitive::new(hex::encode(self.0.expose()))
    }

    /// A key from 64 hexadecimal digits; `None` if they are not that.
    pub(crate) fn from_hex(text: &str) -> Option<DatabaseKey> {
        let mut bytes = [0u8; KEY_BYTES];
        hex::decode_to_slice(text.trim(), &mut bytes).ok()?;
        let key = DatabaseKey::from_bytes(bytes);
        bytes.zeroize();
        Some(key)
    }

    /// SQLCipher's raw-key notation, `x'…64 hex digits…'`: the value of `ATTACH … KEY ?`.
    pub(crate) fn sqlcipher_literal(&self) -> Sensitive<String> {
        Sensitive::new(format!("x'{}'", self.to_hex().expose()))
    }

    /// The raw key as the right-hand side of `PRAGMA key = …`, quoted.
    pub(crate) fn pragma_value(&self) -> Sensitive<String> {
        Sensitive::new(format!("\"{}\"", self.sqlcipher_literal().expose()))
    }

    #[cfg(test)]
    pub(crate) fn bytes(&self) -> &[u8; KEY_BYTES] {
        self.0.expose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows_in_debug_or_display() {
        let password = Sensitive::new(String::from("Берёзовка-2025"));
        assert_eq!(format!("{password:?}"), "[redacted]");
        assert_eq!(format!("{password}"), "[скрыто]");
        assert_eq!(password.expose(), "Берёзовка-2025", "the value is there for the one who asks for it");
        let key = DatabaseKey::random().unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains(&key.to_hex().expose()[..8]), "no part of the key in its Debug: {shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }

    #[test]
    fn a_key_goes_to_hex_and_back_and_to_sqlcipher_as_a_raw_key() {
        let key = DatabaseKey::random().unwrap();
        let hex = key.to_hex();
        assert_eq!(hex.expose().len(), 64);
        assert_eq!(DatabaseKey::from_hex(hex.expose()).unwrap().bytes(), key.bytes());
        assert!(DatabaseKey::from_hex("not hex").is_none());
        assert!(DatabaseKey::from_hex(&hex.expose()[..62]).is_none(), "a short key is refused");
        let literal = key.sqlcipher_literal();
        assert_eq!(literal.expose().len(), 67, "x'…' with 64 digits: SQLCipher takes it as a raw key");
        assert!(literal.expose().starts_with("x'") && literal.expose().ends_with('\''));
        assert_eq!(key.pragma_value().expose(), &format!("\"{}\"", literal.expose()));
    }

    #[test]
    fn two_random_keys_differ() {
        assert_ne!(DatabaseKey::random().unwrap().bytes(), DatabaseKey::random().unwrap().bytes());
    }
}
