//! An office's sync identity: who it is (replica, office, territory) and its two key pairs —
//! Ed25519 to sign the packages it sends, age X25519 to open the packages sent to it.

use std::fmt;

use ed25519_dalek::SigningKey;
use mestno_core::model::Id;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::card::{CARD_VERSION, PairingCard};
use super::error::PackageError;

/// The version of [`Identity::to_secret`]'s serialization.
const SECRET_VERSION: u32 = 1;

/// An office's sync identity. Its secret keys never leave it except through
/// [`Identity::to_secret`] (for the office's own database); partners get its
/// [`card`](Identity::card). `Debug` shows no key. The keys are wiped from memory when it is
/// dropped (ed25519-dalek and x25519-dalek zeroize on drop).
#[derive(Clone)]
pub struct Identity {
    /// The office database's device id: the replica the packages it sends come from.
    pub replica: String,
    /// The office's name, as partners see it.
    pub office: String,
    /// The territory the office works for.
    pub territory: Id,
    signing: SigningKey,
    decryption: age::x25519::Identity,
}

/// What [`Identity::to_secret`] writes: JSON, the keys as hex and as age's own notation. The
/// key strings are wiped when it is dropped.
#[derive(Serialize, Deserialize)]
struct SecretForm {
    mestno_identity: u32,
    replica: String,
    office: String,
    territory: Id,
    signing_key: String,
    age_identity: String,
}

impl Drop for SecretForm {
    fn drop(&mut self) {
        self.signing_key.zeroize();
        self.age_identity.zeroize();
    }
}

impl Identity {
    /// A new identity with fresh keys from the operating system's random number generator.
    ///
    /// # Panics
    /// Only if the operating system has no random number generator, as age's own key
    /// generation does.
    pub fn generate(replica: impl Into<String>, office: impl Into<String>, territory: Id) -> Identity {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).expect("the operating system's random number generator");
        Identity {
            replica: replica.into(),
            office: office.into(),
            territory,
            signing: SigningKey::from_bytes(&seed),
            decryption: age::x25519::Identity::generate(),
        }
    }

    /// The identity with its secret keys, as text for the office's own (possibly encrypted)
    /// database — never for a partner. [`Identity::from_secret`] reads it back.
    pub fn to_secret(&self) -> String {
        use age::secrecy::ExposeSecret;
        let form = SecretForm {
            mestno_identity: SECRET_VERSION,
            replica: self.replica.clone(),
            office: self.office.clone(),
            territory: self.territory,
            signing_key: hex::encode(self.signing.as_bytes()),
            age_identity: self.decryption.to_string().expose_secret().to_owned(),
        };
        serde_json::to_string(&form).expect("strings and a uuid always serialise")
    }

    /// Reads back what [`Identity::to_secret`] wrote.
    pub fn from_secret(secret: &str) -> Result<Identity, PackageError> {
        let form: SecretForm = serde_json::from_str(secret).map_err(|_| PackageError::BadSecret)?;
        if form.mestno_identity != SECRET_VERSION {
            return Err(PackageError::BadSecret);
        }
        let mut seed = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(&form.signing_key, seed.as_mut()).map_err(|_| PackageError::BadSecret)?;
        let decryption: age::x25519::Identity = form.age_identity.parse().map_err(|_| PackageError::BadSecret)?;
        Ok(Identity {
            replica: form.replica.clone(),
            office: form.office.clone(),
            territory: form.territory,
            signing: SigningKey::from_bytes(&seed),
            decryption,
        })
    }

    /// The office's pairing card, for its partners. `territory_name` is left empty for the
    /// caller, which knows the territory's name, to fill.
    pub fn card(&self) -> PairingCard {
        PairingCard {
            version: CARD_VERSION,
            replica: self.replica.clone(),
            office: self.office.clone(),
            territory: self.territory,
            territory_name: String::new(),
            signing_key: hex::encode(self.signing.verifying_key().as_bytes()),
            age_recipient: self.decryption.to_public().to_string(),
        }
    }

    /// The key the office signs its packages with.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// The key the office opens the packages sent to it with.
    pub(crate) fn decryption_key(&self) -> &age::x25519::Identity {
        &self.decryption
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("replica", &self.replica)
            .field("office", &self.office)
            .field("territory", &self.territory)
            .field("keys", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Identity {
        Identity::generate("r-district", "Проектный офис Берёзовского района", Id::nil())
    }

    #[test]
    fn the_secret_reads_back_as_the_same_identity() {
        let me = office();
        let back = Identity::from_secret(&me.to_secret()).unwrap();
        assert_eq!((back.replica.as_str(), back.office.as_str()), (me.replica.as_str(), me.office.as_str()));
        assert_eq!(back.territory, me.territory);
        assert_eq!(back.card(), me.card(), "same keys, so the same card to partners");
        assert_eq!(back.signing.as_bytes(), me.signing.as_bytes(), "the signing key survives");
    }

    #[test]
    fn two_identities_never_share_keys() {
        let (a, b) = (office(), office());
        assert_ne!(a.card().signing_key, b.card().signing_key);
        assert_ne!(a.card().age_recipient, b.card().age_recipient);
    }

    #[test]
    fn a_damaged_secret_is_refused_not_half_read() {
        let secret = office().to_secret();
        for bad in [
            String::new(),
            "{}".to_owned(),
            secret.replace("AGE-SECRET-KEY-1", "AGE-SECRET-KEY-2"),
            secret.replace("\"mestno_identity\":1", "\"mestno_identity\":2"),
            secret[..secret.len() - 5].to_owned(),
        ] {
            assert_eq!(Identity::from_secret(&bad).unwrap_err(), PackageError::BadSecret, "{bad}");
        }
    }

    #[test]
    fn debug_shows_no_key() {
        let me = office();
        let shown = format!("{me:?}");
        let secret = me.to_secret();
        let form: serde_json::Value = serde_json::from_str(&secret).unwrap();
        assert!(!shown.contains(form["signing_key"].as_str().unwrap()), "{shown}");
        assert!(!shown.contains("AGE-SECRET-KEY"), "{shown}");
    }
}
