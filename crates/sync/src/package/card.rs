//! Pairing cards (`.mestno-pair`): the public half of an office's identity, which two offices
//! exchange once, and a short code people read to each other over the phone to check a card.

use ed25519_dalek::VerifyingKey;
use mestno_core::model::Id;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::PackageError;

/// The format version of pairing cards this version of Mestno writes and reads.
pub const CARD_VERSION: u32 = 1;

/// The `kind` a pairing card file declares.
const CARD_KIND: &str = "mestno-pair";

/// A pairing card file is a few hundred bytes; anything much larger is not one.
const MAX_CARD_BYTES: usize = 64 * 1024;

/// An office's pairing card: who it is and its public keys. Partners keep it to check the
/// packages the office sends ([`open`](super::open)) and to encrypt the packages they send it
/// ([`seal`](super::seal)). Made by [`Identity::card`](super::Identity::card).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingCard {
    /// The card's format version ([`CARD_VERSION`]).
    pub version: u32,
    /// The office database's device id: the replica its packages come from.
    pub replica: String,
    /// The office's name.
    pub office: String,
    /// The territory the office works for.
    pub territory: Id,
    /// The territory's name, for people (filled by the caller, which knows it).
    pub territory_name: String,
    /// The office's Ed25519 public key, 64 hexadecimal digits: packages from it are signed with
    /// the matching private key.
    pub signing_key: String,
    /// The office's age recipient (`age1…`): packages to it are encrypted to it.
    pub age_recipient: String,
}

/// How a card is written to a file: its kind first, then its fields.
#[derive(Serialize)]
struct CardFile<'a> {
    kind: &'static str,
    #[serde(flatten)]
    card: &'a PairingCard,
}

impl PairingCard {
    /// A short code of the card's keys, identity and territory — `1234-5678-9012-3456` — that
    /// the two offices read to each other over the phone: if the codes match, the card came
    /// from the office it names and nobody swapped its keys on the way. Derived from SHA-256;
    /// the names, which people check by eye, are not part of it.
    pub fn code(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(b"mestno-pair-code\0");
        hash.update(self.version.to_le_bytes());
        for part in [
            self.replica.as_bytes(),
            self.territory.as_bytes(),
            self.signing_key.as_bytes(),
            self.age_recipient.as_bytes(),
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        let digest = hash.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        let digits = format!("{:016}", u64::from_le_bytes(first) % 10_000_000_000_000_000);
        let groups: Vec<&str> = (0..4).map(|i| &digits[i * 4..i * 4 + 4]).collect();
        groups.join("-")
    }

    /// The card as the `.mestno-pair` file's bytes: pretty JSON, readable in any text editor.
    pub fn to_file_bytes(&self) -> Vec<u8> {
        let file = CardFile { kind: CARD_KIND, card: self };
        let mut bytes = serde_json::to_vec_pretty(&file).expect("strings and a uuid always serialise");
        bytes.push(b'\n');
        bytes
    }

    /// Reads a `.mestno-pair` file. [`PackageError::NotACard`] for a file that is not a pairing
    /// card; [`PackageError::BadCard`] for a card that is damaged or of a newer format.
    pub fn from_file_bytes(bytes: &[u8]) -> Result<PairingCard, PackageError> {
        if bytes.len() > MAX_CARD_BYTES {
            return Err(PackageError::NotACard);
        }
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| PackageError::NotACard)?;
        if value.get("kind").and_then(|k| k.as_str()) != Some(CARD_KIND) {
            return Err(PackageError::NotACard);
        }
        let bad = |reason: String| PackageError::BadCard { reason };
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(CARD_VERSION) => {}
            Some(v) => return Err(bad(format!("format version {v}, this Mestno reads {CARD_VERSION}"))),
            None => return Err(bad("no format version".into())),
        }
        let card: PairingCard = serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
        card.check()?;
        Ok(card)
    }

    /// Checks that the card names a replica and holds keys that parse.
    pub fn check(&self) -> Result<(), PackageError> {
        if self.replica.trim().is_empty() {
            return Err(PackageError::BadCard { reason: "no replica".into() });
        }
        self.verifying_key()?;
        self.recipient()?;
        Ok(())
    }

    /// The Ed25519 key the office's packages are signed with.
    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey, PackageError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(&self.signing_key, &mut bytes)
            .map_err(|e| PackageError::BadCard { reason: format!("signing key: {e}") })?;
        VerifyingKey::from_bytes(&bytes)
            .map_err(|_| PackageError::BadCard { reason: "signing key: not a point on the curve".into() })
    }

    /// The age recipient packages to the office are encrypted to.
    pub(crate) fn recipient(&self) -> Result<age::x25519::Recipient, PackageError> {
        self.age_recipient.parse().map_err(|e: &str| PackageError::BadCard { reason: format!("age recipient: {e}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::Identity;

    /// A card with fixed keys, so its code is fixed too.
    fn fixed() -> PairingCard {
        PairingCard {
            version: 1,
            replica: "0193b2c4-5d6e-7f80-9a1b-2c3d4e5f6a7b".into(),
            office: "Администрация Берёзовского сельсовета".into(),
            territory: "0193b2c4-0000-7000-8000-000000000001".parse().unwrap(),
            territory_name: "Берёзовский сельсовет".into(),
            signing_key: "69588e4c22d25a96138d3270704a0d81b0d35e8b63e4cdc0e29ed11286a1cfb4".into(),
            age_recipient: "age1ar4vfedxz4d50pw9ngdje7v9mxuexe974s4rqa0raa2yyrn7x56qydyh8k".into(),
        }
    }

    #[test]
    fn the_code_is_four_groups_of_four_digits_and_never_changes() {
        let card = fixed();
        card.check().unwrap();
        let code = card.code();
        assert_eq!(code, "3447-4509-8249-6411", "a card's code is part of the format: people compare it");
        assert!(code.split('-').all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit())));
    }

    #[test]
    fn the_code_changes_with_any_key_but_not_with_the_names() {
        let card = fixed();
        let renamed =
            PairingCard { office: "Другое имя".into(), territory_name: "Другая".into(), ..fixed() };
        assert_eq!(renamed.code(), card.code(), "names are checked by eye, not by the code");
        let other = Identity::generate(card.replica.clone(), card.office.clone(), card.territory).card();
        let swapped_sign = PairingCard { signing_key: other.signing_key.clone(), ..fixed() };
        let swapped_age = PairingCard { age_recipient: other.age_recipient.clone(), ..fixed() };
        let moved = PairingCard { territory: Id::nil(), ..fixed() };
        for changed in [swapped_sign, swapped_age, moved] {
            assert_ne!(changed.code(), card.code(), "{changed:?}");
        }
    }

    #[test]
    fn a_card_file_reads_back_as_the_same_card() {
        let mut card = Identity::generate("r1", "Проектный офис района", Id::nil()).card();
        card.territory_name = "Берёзовский район".into();
        let bytes = card.to_file_bytes();
        assert!(String::from_utf8(bytes.clone()).unwrap().contains("\"kind\": \"mestno-pair\""));
        assert_eq!(PairingCard::from_file_bytes(&bytes).unwrap(), card);
        let mut with_bom = "\u{feff}".as_bytes().to_vec();
        with_bom.extend(&bytes);
        assert_eq!(PairingCard::from_file_bytes(&with_bom).unwrap(), card, "a BOM from Notepad is fine");
    }

    #[test]
    fn files_that_are_not_cards_say_so() {
        for not in [&b""[..], b"PK\x03\x04", b"MESTNO-SYNC\x01", b"{\"kind\":\"other\"}", b"[1,2]", b"\xff\xfe"] {
            assert_eq!(PairingCard::from_file_bytes(not), Err(PackageError::NotACard), "{not:?}");
        }
        assert_eq!(PairingCard::from_file_bytes(&vec![b' '; MAX_CARD_BYTES + 1]), Err(PackageError::NotACard));
    }

    #[test]
    fn damaged_or_newer_cards_are_bad_cards() {
        let good = String::from_utf8(fixed().to_file_bytes()).unwrap();
        let bad = [
            good.replace("\"version\": 1", "\"version\": 2"),
            good.replace("\"version\": 1,", ""),
            good.replace("69588e4c", "69588e"),
            good.replace("age1ar4v", "age1ar5v"),
            good.replace("\"replica\": \"0193b2c4-5d6e-7f80-9a1b-2c3d4e5f6a7b\"", "\"replica\": \" \""),
            good.replace(",\n  \"office\": \"Администрация Берёзовского сельсовета\"", ""),
        ];
        for text in bad {
            assert_ne!(text, good, "the test changes the card");
            let err = PairingCard::from_file_bytes(text.as_bytes()).unwrap_err();
            assert!(matches!(err, PackageError::BadCard { .. }), "{err:?} for {text}");
        }
    }
}
