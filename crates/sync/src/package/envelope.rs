//! The envelope of an exchange package (`.mestno-sync`):
//!
//! ```text
//! "MESTNO-SYNC"  11 bytes, then the format version (1 byte)
//! header length  u32, little-endian; then the header: JSON, readable without any key
//! body length    u64, little-endian; then the body: an age file encrypted to the recipient,
//!                holding the payload's length (u64 LE) and the payload compressed with deflate
//! signature      64 bytes: the sender's Ed25519 signature over every byte before it
//! ```
//!
//! [`open`] checks in this order, and refuses at the first failure: the magic and version, that
//! the file is complete, that the sender is paired, that the package is addressed to this
//! office, the signature, decryption, and decompression (capped at [`MAX_PAYLOAD`]).

use std::io::{BufRead, BufReader, Read, Write};

use ed25519_dalek::{Signature, Signer};
use flate2::Compression;
use serde::{Deserialize, Serialize};

use super::card::PairingCard;
use super::error::PackageError;
use super::identity::Identity;

/// The first bytes of every exchange package.
pub const MAGIC: &[u8; 11] = b"MESTNO-SYNC";

/// The format version this version of Mestno writes and reads.
pub const FORMAT_VERSION: u8 = 1;

/// The largest payload a package may carry, unpacked: 2 GiB.
pub const MAX_PAYLOAD: u64 = 2 << 30;

/// The largest header: a few short strings and numbers, so 64 KiB is generous.
const MAX_HEADER: usize = 64 * 1024;

/// Deflate cannot unpack to more than 1,032 times its size; a payload claiming more lies.
const MAX_RATIO: u64 = 1100;

const SIGNATURE_BYTES: usize = 64;

/// The deflate level. On a 21 MB change log (100,000 changes) 6 packs to 13% of it and seals in
/// about 0.35 s; 1 packs to 22% in 0.15 s. Packages travel by e-mail from villages, so size wins.
const COMPRESSION_LEVEL: u32 = 6;

/// What the package's envelope says in the clear: who sent it to whom, which of the sender's
/// packages to this recipient it is, and how many changes it holds (for the preview). Readable
/// before decryption ([`peek_header`]), so a refusal can name the sender, and covered by the
/// signature, so nobody can change it unnoticed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The sender's replica.
    pub from: String,
    /// The recipient's replica.
    pub to: String,
    /// The package's number among the sender's packages to this recipient, increasing.
    pub seq: u64,
    /// When the package was made, milliseconds since the Unix epoch.
    pub made_at: i64,
    /// How many changes the payload holds.
    pub changes: u64,
}

/// Seals `payload` as a package from `me` to the office whose card is `to`: compressed,
/// encrypted to `to`, signed by `me`. `header.from` and `header.to` must be the two replicas.
pub fn seal(me: &Identity, to: &PairingCard, header: &Header, payload: &[u8]) -> Result<Vec<u8>, PackageError> {
    if header.from != me.replica || header.to != to.replica {
        return Err(PackageError::Misaddressed { from: header.from.clone(), to: header.to.clone() });
    }
    if payload.len() as u64 > MAX_PAYLOAD {
        return Err(PackageError::TooLarge);
    }
    let recipient = to.recipient()?;
    let header_json = serde_json::to_vec(header).expect("strings and numbers always serialise");
    if header_json.len() > MAX_HEADER {
        return Err(PackageError::Misaddressed { from: header.from.clone(), to: header.to.clone() });
    }

    Ok(assemble(me, &header_json, &recipient, payload.len(), |plain| {
        plain.write_all(&(payload.len() as u64).to_le_bytes())?;
        let mut deflate = flate2::write::DeflateEncoder::new(plain, Compression::new(COMPRESSION_LEVEL));
        deflate.write_all(payload)?;
        deflate.finish().map(drop)
    }))
}

/// Lays out a package: the envelope around the age encryption of what `write_plain` writes,
/// signed by `me`. `size_hint` is the payload's size, to reserve memory.
fn assemble(
    me: &Identity,
    header_json: &[u8],
    recipient: &age::x25519::Recipient,
    size_hint: usize,
    write_plain: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(size_hint / 4 + 4096);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(header_json);
    let body_len_at = out.len();
    out.extend_from_slice(&[0; 8]);
    let body_at = out.len();

    // Writing into a Vec cannot fail, nor can encrypting to one X25519 recipient.
    let encryptor = age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
        .expect("one X25519 recipient is always a valid set");
    let mut encrypted = encryptor.wrap_output(&mut out).expect("writing to memory");
    write_plain(&mut encrypted).expect("writing to memory");
    encrypted.finish().expect("writing to memory");

    let body_len = (out.len() - body_at) as u64;
    out[body_len_at..body_at].copy_from_slice(&body_len.to_le_bytes());
    let signature = me.signing_key().sign(&out);
    out.extend_from_slice(&signature.to_bytes());
    out
}

/// Opens a package sent to `me`: checks it (see the module's documentation for the order) and
/// returns its header and payload. `partner` gives the pairing card of a paired office by its
/// replica, `None` for an office this one is not paired with. Whether the package is newer than
/// the last one applied from the sender is for the caller to decide
/// ([`PackageError::Replayed`]).
pub fn open(
    me: &Identity,
    bytes: &[u8],
    partner: impl Fn(&str) -> Option<PairingCard>,
) -> Result<(Header, Vec<u8>), PackageError> {
    let parsed = parse(bytes)?;
    let header = parsed.header;
    let card = partner(&header.from)
        .filter(|card| card.replica == header.from)
        .ok_or_else(|| PackageError::UnknownSender { from: header.from.clone() })?;
    if header.to != me.replica {
        return Err(PackageError::NotForThisOffice { to: header.to });
    }
    if parsed.trailing {
        return Err(PackageError::Tampered);
    }
    let signature = Signature::from_bytes(parsed.signature);
    card.verifying_key()?.verify_strict(parsed.signed, &signature).map_err(|_| PackageError::Tampered)?;
    let payload = unpack(me, parsed.body, &header.to)?;
    Ok((header, payload))
}

/// The header of a package, read without checking anything beyond the envelope's shape: to
/// show who a package comes from before opening it. Nothing in it is trusted until [`open`]
/// has checked the signature.
pub fn peek_header(bytes: &[u8]) -> Result<Header, PackageError> {
    parse(bytes).map(|parsed| parsed.header)
}

/// A package's parts, as its envelope lays them out.
struct Parsed<'a> {
    header: Header,
    /// Every byte the signature covers.
    signed: &'a [u8],
    body: &'a [u8],
    signature: &'a [u8; SIGNATURE_BYTES],
    /// Bytes follow the signature.
    trailing: bool,
}

fn parse(bytes: &[u8]) -> Result<Parsed<'_>, PackageError> {
    if bytes.len() < MAGIC.len() {
        let cut_magic = !bytes.is_empty() && MAGIC.starts_with(bytes);
        return Err(if cut_magic { PackageError::Truncated } else { PackageError::NotAPackage });
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(PackageError::NotAPackage);
    }
    let mut rest = &bytes[MAGIC.len()..];
    let [version] = take::<1>(&mut rest)?;
    if version != FORMAT_VERSION {
        return Err(PackageError::UnsupportedVersion { version });
    }
    let header_len = u32::from_le_bytes(take::<4>(&mut rest)?) as usize;
    if header_len == 0 || header_len > MAX_HEADER {
        return Err(PackageError::Tampered);
    }
    let header_json = take_slice(&mut rest, header_len)?;
    let body_len = u64::from_le_bytes(take::<8>(&mut rest)?);
    let body = take_slice(&mut rest, usize::try_from(body_len).map_err(|_| PackageError::Truncated)?)?;
    let signed = &bytes[..bytes.len() - rest.len()];
    let signature = rest.first_chunk::<SIGNATURE_BYTES>().ok_or(PackageError::Truncated)?;
    let header: Header = serde_json::from_slice(header_json).map_err(|_| PackageError::Tampered)?;
    Ok(Parsed { header, signed, body, signature, trailing: rest.len() > SIGNATURE_BYTES })
}

/// The next `N` bytes of `rest`, or [`PackageError::Truncated`].
fn take<const N: usize>(rest: &mut &[u8]) -> Result<[u8; N], PackageError> {
    let (head, tail) = rest.split_first_chunk::<N>().ok_or(PackageError::Truncated)?;
    *rest = tail;
    Ok(*head)
}

/// The next `len` bytes of `rest`, or [`PackageError::Truncated`].
fn take_slice<'a>(rest: &mut &'a [u8], len: usize) -> Result<&'a [u8], PackageError> {
    if rest.len() < len {
        return Err(PackageError::Truncated);
    }
    let (head, tail) = rest.split_at(len);
    *rest = tail;
    Ok(head)
}

/// Decrypts and decompresses a signed body.
fn unpack(me: &Identity, body: &[u8], to: &str) -> Result<Vec<u8>, PackageError> {
    let decryptor = age::Decryptor::new_buffered(body).map_err(|_| PackageError::Tampered)?;
    let identity = me.decryption_key() as &dyn age::Identity;
    let plain = decryptor.decrypt(std::iter::once(identity)).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => PackageError::WrongKey { to: to.to_owned() },
        _ => PackageError::Tampered,
    })?;
    let mut plain = BufReader::with_capacity(64 * 1024, plain);
    let mut declared = [0u8; 8];
    plain.read_exact(&mut declared).map_err(|_| PackageError::Tampered)?;
    let declared = u64::from_le_bytes(declared);
    if declared > MAX_PAYLOAD || declared > (body.len() as u64).saturating_mul(MAX_RATIO) {
        return Err(PackageError::TooLarge);
    }
    // Sized at once for the length declared, up to 32 times the body (a package's JSON deflates
    // about twelvefold): one allocation, the pages touched once, none copied as it grows. So a
    // lying length reserves at most 32 times the body it came in; beyond that, memory comes as
    // the data arrives. One more byte is room to see a payload longer than declared.
    let mut payload = Vec::new();
    let _ = payload.try_reserve_exact(declared.min(body.len() as u64 * 32) as usize + 1);
    let mut inflate = flate2::bufread::DeflateDecoder::new(plain);
    (&mut inflate).take(declared + 1).read_to_end(&mut payload).map_err(|_| PackageError::Tampered)?;
    if payload.len() as u64 != declared {
        return Err(PackageError::Tampered);
    }
    // Nothing may follow the compressed payload, and reading to the end has age check the
    // stream's last chunk.
    let mut plain = inflate.into_inner();
    match plain.fill_buf() {
        Ok([]) => Ok(payload),
        _ => Err(PackageError::Tampered),
    }
}

#[cfg(test)]
mod tests {
    use mestno_core::model::Id;

    use super::*;

    fn offices() -> (Identity, Identity) {
        (Identity::generate("r-a", "Офис А", Id::nil()), Identity::generate("r-b", "Офис Б", Id::nil()))
    }

    /// A package from `a` to `b`, properly signed and encrypted, whose plaintext (the declared
    /// length and the deflate stream) is whatever `write_plain` writes.
    fn crafted(a: &Identity, b: &Identity, write_plain: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Vec<u8> {
        let header = Header { from: a.replica.clone(), to: b.replica.clone(), seq: 1, made_at: 0, changes: 0 };
        let json = serde_json::to_vec(&header).unwrap();
        assemble(a, &json, &b.card().recipient().unwrap(), 0, write_plain)
    }

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn b_opens(a: &Identity, b: &Identity, bytes: &[u8]) -> Result<Vec<u8>, PackageError> {
        open(b, bytes, |_| Some(a.card())).map(|(_, payload)| payload)
    }

    #[test]
    fn the_crafting_helper_makes_packages_that_open() {
        let (a, b) = offices();
        let bytes = crafted(&a, &b, |w| {
            w.write_all(&5u64.to_le_bytes())?;
            w.write_all(&deflate(b"hello"))
        });
        assert_eq!(b_opens(&a, &b, &bytes).unwrap(), b"hello", "so the refusals below are about what they change");
    }

    #[test]
    fn a_payload_declared_beyond_two_gibibytes_is_too_large() {
        let (a, b) = offices();
        let bytes = crafted(&a, &b, |w| {
            w.write_all(&(MAX_PAYLOAD + 1).to_le_bytes())?;
            w.write_all(&deflate(b"x"))
        });
        assert_eq!(b_opens(&a, &b, &bytes), Err(PackageError::TooLarge));
    }

    #[test]
    fn a_payload_declared_beyond_what_deflate_can_unpack_is_too_large() {
        let (a, b) = offices();
        let bytes = crafted(&a, &b, |w| {
            w.write_all(&(1u64 << 30).to_le_bytes())?;
            w.write_all(&deflate(&[0; 1000]))
        });
        assert_eq!(b_opens(&a, &b, &bytes), Err(PackageError::TooLarge), "a small package cannot hold a gibibyte");
    }

    #[test]
    fn a_payload_longer_or_shorter_than_declared_is_refused() {
        let (a, b) = offices();
        for declared in [0u64, 9, 11, 100] {
            let bytes = crafted(&a, &b, |w| {
                w.write_all(&declared.to_le_bytes())?;
                w.write_all(&deflate(b"ten bytes!"))
            });
            assert_eq!(b_opens(&a, &b, &bytes), Err(PackageError::Tampered), "declared {declared}");
        }
    }

    #[test]
    fn anything_but_one_deflate_stream_is_refused() {
        let (a, b) = offices();
        let trailing = crafted(&a, &b, |w| {
            w.write_all(&5u64.to_le_bytes())?;
            w.write_all(&deflate(b"hello"))?;
            w.write_all(b"more")
        });
        let not_deflate = crafted(&a, &b, |w| {
            w.write_all(&5u64.to_le_bytes())?;
            w.write_all(&[0xff; 32])
        });
        let no_length = crafted(&a, &b, |w| w.write_all(&[1, 2, 3]));
        for bytes in [trailing, not_deflate, no_length] {
            assert_eq!(b_opens(&a, &b, &bytes), Err(PackageError::Tampered));
        }
    }

    #[test]
    fn highly_compressible_data_is_not_mistaken_for_a_bomb() {
        let (a, b) = offices();
        let zeros = vec![0u8; 8 << 20];
        let header = Header { from: a.replica.clone(), to: b.replica.clone(), seq: 1, made_at: 0, changes: 0 };
        let bytes = seal(&a, &b.card(), &header, &zeros).unwrap();
        assert!(bytes.len() < zeros.len() / 100, "{} bytes", bytes.len());
        assert_eq!(b_opens(&a, &b, &bytes).unwrap(), zeros);
    }
}
