//! Exchange packages end to end: two offices pair by card files, seal and open packages, and
//! every bad package is refused with the refusal that names what is wrong — never a panic.

use mestno_core::model::Id;
use mestno_sync::package::{Header, Identity, MAGIC, PackageError, PairingCard, open, peek_header, seal};
use proptest::prelude::*;

/// Two paired offices: a settlement administration and its district's project office.
struct Pair {
    settlement: Identity,
    district: Identity,
}

fn pair() -> Pair {
    Pair {
        settlement: Identity::generate("r-settlement", "Администрация Берёзовского сельсовета", Id::now_v7()),
        district: Identity::generate("r-district", "Проектный офис Берёзовского района", Id::now_v7()),
    }
}

/// The header of the settlement's package number `seq` to the district.
fn header(p: &Pair, seq: u64) -> Header {
    Header {
        from: p.settlement.replica.clone(),
        to: p.district.replica.clone(),
        seq,
        made_at: 1_760_000_000_000,
        changes: 3,
    }
}

/// A change log as JSON, as the lead's export will make it.
fn changes(n: usize) -> Vec<u8> {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"entity":"initiative","id":"0193b2c4-5d6e-7f80-9a1b-{i:012x}","field":"title","value":"Ремонт дороги по ул. Лесной, участок {i}","hlc":"{}-{i}","replica":"r-settlement"}}"#,
                1_760_000_000_000u64 + i as u64
            )
        })
        .collect();
    format!("[{}]", rows.join(",")).into_bytes()
}

/// A package from the settlement to the district.
fn package(p: &Pair, payload: &[u8]) -> Vec<u8> {
    seal(&p.settlement, &p.district.card(), &header(p, 1), payload).unwrap()
}

/// The district opens `bytes`, knowing the settlement as its only partner.
fn district_opens(p: &Pair, bytes: &[u8]) -> Result<(Header, Vec<u8>), PackageError> {
    let card = p.settlement.card();
    open(&p.district, bytes, |replica| (replica == card.replica).then(|| card.clone()))
}

#[test]
fn a_package_opens_to_the_header_and_payload_it_was_sealed_with() {
    let p = pair();
    for payload in [Vec::new(), b"[]".to_vec(), changes(2_000)] {
        let bytes = package(&p, &payload);
        assert!(bytes.starts_with(MAGIC), "a package announces itself");
        let (h, opened) = district_opens(&p, &bytes).unwrap();
        assert_eq!(h, header(&p, 1));
        assert_eq!(opened, payload, "the payload arrives byte for byte");
    }
    let json = changes(2_000);
    let sealed = package(&p, &json);
    assert!(sealed.len() * 5 < json.len(), "a change log compresses well: {} → {}", json.len(), sealed.len());
}

#[test]
fn offices_pair_through_card_files_and_keys_kept_as_secrets() {
    let p = pair();
    // Each office stores its identity in its own database and gives its card to the other.
    let settlement_card = PairingCard::from_file_bytes(&p.settlement.card().to_file_bytes()).unwrap();
    let district_card = PairingCard::from_file_bytes(&p.district.card().to_file_bytes()).unwrap();
    let district = Identity::from_secret(&p.district.to_secret()).unwrap();
    let bytes = seal(&p.settlement, &district_card, &header(&p, 7), b"payload").unwrap();
    let (h, payload) = open(&district, &bytes, |_| Some(settlement_card.clone())).unwrap();
    assert_eq!((h.seq, payload.as_slice()), (7, &b"payload"[..]), "the restored identity opens what was sealed to it");
}

#[test]
fn the_header_is_readable_before_opening() {
    let p = pair();
    let bytes = package(&p, &changes(10));
    assert_eq!(peek_header(&bytes).unwrap(), header(&p, 1), "the window names the sender before checking anything");
}

#[test]
fn a_package_from_an_unpaired_office_is_refused_naming_it() {
    let p = pair();
    let bytes = package(&p, b"x");
    let err = open(&p.district, &bytes, |_| None).unwrap_err();
    assert_eq!(err, PackageError::UnknownSender { from: "r-settlement".into() });
    let stranger = Identity::generate("r-other", "Чужой офис", Id::nil()).card();
    let err = open(&p.district, &bytes, |_| Some(stranger.clone())).unwrap_err();
    assert_eq!(
        err,
        PackageError::UnknownSender { from: "r-settlement".into() },
        "a card for another replica is no card"
    );
}

#[test]
fn a_package_for_another_office_is_refused_naming_its_addressee() {
    let p = pair();
    let bytes = package(&p, b"x");
    let neighbour = Identity::generate("r-neighbour", "Соседний район", Id::nil());
    let card = p.settlement.card();
    let err = open(&neighbour, &bytes, |_| Some(card.clone())).unwrap_err();
    assert_eq!(err, PackageError::NotForThisOffice { to: "r-district".into() });
}

#[test]
fn keys_made_anew_cannot_open_a_package_sealed_to_the_old_ones() {
    let p = pair();
    let bytes = package(&p, b"x");
    let renewed = Identity::generate(p.district.replica.clone(), p.district.office.clone(), p.district.territory);
    let card = p.settlement.card();
    let err = open(&renewed, &bytes, |_| Some(card.clone())).unwrap_err();
    assert_eq!(err, PackageError::WrongKey { to: "r-district".into() }, "same replica, other keys: nothing decrypts");
}

#[test]
fn a_sender_whose_keys_changed_since_pairing_fails_the_signature() {
    let p = pair();
    let impostor =
        Identity::generate(p.settlement.replica.clone(), p.settlement.office.clone(), p.settlement.territory);
    let bytes = seal(&impostor, &p.district.card(), &header(&p, 1), b"x").unwrap();
    assert_eq!(district_opens(&p, &bytes).unwrap_err(), PackageError::Tampered, "the paired card's key decides");
}

#[test]
fn seal_refuses_a_header_that_names_other_offices() {
    let p = pair();
    let mut h = header(&p, 1);
    h.to = "r-neighbour".into();
    let err = seal(&p.settlement, &p.district.card(), &h, b"x").unwrap_err();
    assert!(matches!(err, PackageError::Misaddressed { .. }), "{err:?}");
}

#[test]
fn changing_any_byte_is_refused() {
    let p = pair();
    let bytes = package(&p, &changes(5));
    for at in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[at] ^= 0x20;
        let err = district_opens(&p, &bad).expect_err("a changed byte never opens");
        let expected_kinds = match at {
            0..=10 => matches!(err, PackageError::NotAPackage),
            11 => matches!(err, PackageError::UnsupportedVersion { .. }),
            _ => !matches!(err, PackageError::NotAPackage | PackageError::UnsupportedVersion { .. }),
        };
        assert!(expected_kinds, "byte {at}: {err:?}");
    }
    // The ciphertext and the signature: the signature catches the change.
    for at in [bytes.len() - 1, bytes.len() - 64, bytes.len() - 65, bytes.len() / 2] {
        let mut bad = bytes.clone();
        bad[at] ^= 1;
        assert_eq!(district_opens(&p, &bad).unwrap_err(), PackageError::Tampered, "byte {at}");
    }
}

#[test]
fn a_changed_header_fails_the_signature() {
    let p = pair();
    let bytes = package(&p, b"x");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let at = text.find("\"seq\":1").unwrap() + "\"seq\":".len();
    let mut bad = bytes.clone();
    bad[at] = b'9';
    assert_eq!(peek_header(&bad).unwrap().seq, 9, "the change is in the header people read");
    assert_eq!(district_opens(&p, &bad).unwrap_err(), PackageError::Tampered);
}

#[test]
fn a_cut_package_is_truncated_at_every_length() {
    let p = pair();
    let bytes = package(&p, &changes(20));
    assert_eq!(district_opens(&p, &[]).unwrap_err(), PackageError::NotAPackage, "an empty file is no package");
    for len in 1..bytes.len() {
        assert_eq!(district_opens(&p, &bytes[..len]).unwrap_err(), PackageError::Truncated, "cut at {len}");
    }
}

#[test]
fn bytes_after_the_signature_are_refused() {
    let p = pair();
    let mut bytes = package(&p, b"x");
    bytes.push(0);
    assert_eq!(district_opens(&p, &bytes).unwrap_err(), PackageError::Tampered);
}

#[test]
fn other_files_are_not_packages() {
    let p = pair();
    let card = p.settlement.card().to_file_bytes();
    for other in [&b"PK\x03\x04 an xlsx"[..], b"SQLite format 3\0", &card, b"mestno-sync"] {
        assert_eq!(district_opens(&p, other).unwrap_err(), PackageError::NotAPackage, "{other:?}");
    }
    let mut newer = package(&p, b"x");
    newer[MAGIC.len()] = 2;
    assert_eq!(district_opens(&p, &newer).unwrap_err(), PackageError::UnsupportedVersion { version: 2 });
}

/// One valid package, made once: proptest runs hundreds of cases against it.
fn sample() -> &'static (Pair, Vec<u8>) {
    static SAMPLE: std::sync::OnceLock<(Pair, Vec<u8>)> = std::sync::OnceLock::new();
    SAMPLE.get_or_init(|| {
        let p = pair();
        let bytes = package(&p, &changes(3));
        (p, bytes)
    })
}

/// A change to a package: a byte replaced, bytes cut out, bytes inserted.
#[derive(Clone, Debug)]
enum Mutation {
    Set(usize, u8),
    Remove(usize, usize),
    Insert(usize, Vec<u8>),
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    match m {
        Mutation::Set(at, v) => bytes[at % len] = *v,
        Mutation::Remove(at, n) => {
            let at = at % len;
            bytes.drain(at..(at + n).min(len));
        }
        Mutation::Insert(at, new) => {
            let at = at % (len + 1);
            bytes.splice(at..at, new.iter().copied());
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, v)| Mutation::Set(at, v)),
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| Mutation::Remove(at, n)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..40)).prop_map(|(at, v)| Mutation::Insert(at, v)),
    ]
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), with_magic in any::<bool>()) {
        let (p, _) = sample();
        let mut input = if with_magic { [&MAGIC[..], &[1]].concat() } else { Vec::new() };
        input.extend(bytes);
        prop_assert!(district_opens(p, &input).is_err());
        let _ = peek_header(&input);
    }

    #[test]
    fn a_mutated_package_is_refused_never_a_panic(mutations in prop::collection::vec(mutation(), 1..4)) {
        let (p, bytes) = sample();
        let mut bad = bytes.clone();
        for m in &mutations {
            mutate(&mut bad, m);
        }
        let result = district_opens(p, &bad);
        if bad == *bytes {
            prop_assert!(result.is_ok(), "mutations that cancel out leave a good package");
        } else {
            prop_assert!(result.is_err(), "a changed package never opens");
        }
    }
}
