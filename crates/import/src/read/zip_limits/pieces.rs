//! The longest piece of XML in a part, measured byte by byte as it inflates.

use super::MAX_XML_PIECE;

/// The length of the XML piece being read — text up to a `<`, a tag up to its `>` outside
/// quotes, a comment, CDATA, a processing instruction or a declaration up to its end — tracked
/// byte by byte across reads, as a parser would buffer it.
#[derive(Default)]
pub(super) struct Pieces {
    state: Piece,
    length: u64,
    /// The longest piece ended so far (for the tests).
    #[cfg(test)]
    longest: u64,
    /// After `<!`: the bytes seen, to tell a comment from CDATA from a declaration.
    bang: Vec<u8>,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Piece {
    #[default]
    Text,
    Open,
    Tag {
        quote: u8,
    },
    Bang,
    Comment {
        dashes: u8,
    },
    CData {
        brackets: u8,
    },
    Instruction {
        question: bool,
    },
    Declaration {
        depth: u32,
        quote: u8,
    },
}

impl Pieces {
    /// Takes the next bytes; false once a piece is longer than [`MAX_XML_PIECE`].
    pub(super) fn feed(&mut self, bytes: &[u8]) -> bool {
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            let (used, ended) = match self.state {
                Piece::Text => match memchr::memchr(b'<', rest) {
                    Some(k) => {
                        self.state = Piece::Open;
                        (k + 1, true)
                    }
                    None => (rest.len(), false),
                },
                Piece::Tag { quote: 0 } => match memchr::memchr3(b'>', b'"', b'\'', rest) {
                    Some(k) if rest[k] == b'>' => {
                        self.state = Piece::Text;
                        (k + 1, true)
                    }
                    Some(k) => {
                        self.state = Piece::Tag { quote: rest[k] };
                        (k + 1, false)
                    }
                    None => (rest.len(), false),
                },
                Piece::Tag { quote } => match memchr::memchr(quote, rest) {
                    Some(k) => {
                        self.state = Piece::Tag { quote: 0 };
                        (k + 1, false)
                    }
                    None => (rest.len(), false),
                },
                _ => (1, self.step(rest[0])),
            };
            i += used;
            self.length += used as u64;
            if self.length > MAX_XML_PIECE {
                return false;
            }
            if ended {
                #[cfg(test)]
                {
                    self.longest = self.longest.max(self.length - u64::from(self.state == Piece::Open));
                }
                // The `<` that ends a text begins the next piece.
                self.length = u64::from(self.state == Piece::Open);
            }
        }
        true
    }

    /// One byte of the slower states; true when it ends the piece.
    fn step(&mut self, b: u8) -> bool {
        self.state = match (self.state, b) {
            (Piece::Open, b'!') => {
                self.bang.clear();
                Piece::Bang
            }
            (Piece::Open, b'?') => Piece::Instruction { question: false },
            (Piece::Open, b'>') => return self.end(),
            (Piece::Open, b'"' | b'\'') => Piece::Tag { quote: b },
            (Piece::Open, _) => Piece::Tag { quote: 0 },
            (Piece::Bang, _) => {
                self.bang.push(b);
                if self.bang == b"--" {
                    Piece::Comment { dashes: 0 }
                } else if self.bang == b"[CDATA[" {
                    Piece::CData { brackets: 0 }
                } else if b"--".starts_with(&self.bang) || b"[CDATA[".starts_with(&self.bang) {
                    Piece::Bang
                } else if b == b'>' {
                    return self.end();
                } else {
                    let depth = self.bang.iter().filter(|&&c| c == b'[').count() as u32;
                    Piece::Declaration { depth, quote: 0 }
                }
            }
            (Piece::Comment { dashes }, b'>') if dashes >= 2 => return self.end(),
            (Piece::Comment { dashes }, b'-') => Piece::Comment { dashes: dashes.saturating_add(1) },
            (Piece::Comment { .. }, _) => Piece::Comment { dashes: 0 },
            (Piece::CData { brackets }, b'>') if brackets >= 2 => return self.end(),
            (Piece::CData { brackets }, b']') => Piece::CData { brackets: brackets.saturating_add(1) },
            (Piece::CData { .. }, _) => Piece::CData { brackets: 0 },
            (Piece::Instruction { question: true }, b'>') => return self.end(),
            (Piece::Instruction { .. }, _) => Piece::Instruction { question: b == b'?' },
            (Piece::Declaration { depth, quote: 0 }, b'"' | b'\'') => Piece::Declaration { depth, quote: b },
            (Piece::Declaration { depth, quote }, _) if quote != 0 => {
                Piece::Declaration { depth, quote: if b == quote { 0 } else { quote } }
            }
            (Piece::Declaration { depth, .. }, b'[') => Piece::Declaration { depth: depth + 1, quote: 0 },
            (Piece::Declaration { depth, .. }, b']') => Piece::Declaration { depth: depth.saturating_sub(1), quote: 0 },
            (Piece::Declaration { depth: 0, .. }, b'>') => return self.end(),
            (state, _) => state,
        };
        false
    }

    fn end(&mut self) -> bool {
        self.state = Piece::Text;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest piece of `xml`, fed a byte at a time.
    fn longest(xml: &[u8]) -> Option<u64> {
        let mut p = Pieces::default();
        for b in xml {
            if !p.feed(std::slice::from_ref(b)) {
                return None;
            }
        }
        Some(p.longest)
    }

    #[test]
    fn a_piece_is_measured_whatever_hides_its_end() {
        assert_eq!(longest(b"<a>hello</a>"), Some(5), "a text up to the next tag");
        assert_eq!(longest(br#"<a b="x>y>z">"#), Some(13), "a '>' in quotes does not end a tag");
        assert_eq!(longest(b"<!-- a > b --><a/>"), Some(14), "nor does one in a comment");
        assert_eq!(longest(b"<![CDATA[ <x> ]]>"), Some(17), "nor one in CDATA");
        assert_eq!(longest(b"<?xml version=\"1.0\"?><a/>"), Some(21), "a declaration ends at ?>");
    }

    #[test]
    fn a_piece_past_the_limit_is_caught_while_it_streams() {
        let mut p = Pieces::default();
        assert!(p.feed(b"<c><t>"));
        let chunk = vec![b'x'; 1 << 20];
        let fed = (0..8).take_while(|_| p.feed(&chunk)).count();
        assert_eq!(fed, 4, "a text past 4 MB is refused as it arrives, not once it is whole");
        let mut p = Pieces::default();
        let quoted: Vec<u8> = b"<c v=\"".iter().copied().chain(std::iter::repeat_n(b'>', 5 << 20)).collect();
        assert!(!p.feed(&quoted), "a long attribute full of '>' is one piece");
    }
}
