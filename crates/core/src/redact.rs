//! Finding one person in free text — their name in its Russian forms, their phones in any
//! notation, their e-mails — so that erasing them redacts every mention, and their export lists
//! where they are mentioned.
//!
//! A name part matches in its grammatical cases by stem («Семёнова» → «Семёновой», «Семёнову»),
//! case and «ё»/«е» ignored. The full name — the surname beside the first name or the initials,
//! in either order («Семёнова Анна Петровна», «А. П. Семёнова», «Семёновой А.П.») — counts
//! everywhere. The surname alone, or the first name with the patronymic («Анна Петровна»), may be
//! a relative or a namesake, so they count only in a text already known to be about the person:
//! a record linked to them, or a text that names them in full. Phones and e-mails count
//! everywhere.

use std::ops::Range;

use serde_json::Value;

use crate::model::{Contact, Id};
use crate::text::{fold, normalize_phone};

/// What a redacted mention is replaced with.
pub(crate) const REDACTED: &str = "[удалено]";

/// Endings a name's stem takes in its grammatical cases (and in the plural: «Семёновы»).
const ENDINGS: &[&str] = &[
    "", "а", "я", "у", "ю", "е", "ы", "и", "ой", "ей", "ою", "ею", "ом", "ем", "ым", "им", "ая", "яя", "ую", "юю",
    "ий", "ый", "ого", "его", "ому", "ему", "ых", "их", "ыми", "ими",
];

/// A stem shorter than this matches only the word itself: «Ли» must not find «Лиса».
const MIN_STEM: usize = 3;

/// One part of a name: surname, first name or patronymic.
#[derive(Debug)]
struct NamePart {
    /// Lower-cased, «ё» folded.
    folded: String,
    /// The unchanging beginning of its grammatical forms.
    stem: String,
    /// Its first letter, folded: what an initial must be.
    initial: char,
}

impl NamePart {
    fn new(raw: &str) -> Option<NamePart> {
        let folded = fold(raw);
        let initial = folded.chars().next()?;
        Some(NamePart { stem: stem(&folded), folded, initial })
    }

    /// Whether a folded word is a form of this part.
    fn matches(&self, word: &str) -> bool {
        word == self.folded
            || (self.stem.chars().count() >= MIN_STEM
                && word.strip_prefix(self.stem.as_str()).is_some_and(|end| ENDINGS.contains(&end)))
    }
}

/// The stem of a folded name: an adjectival ending («-ая», «-ий», «-ой») or a final vowel off.
fn stem(folded: &str) -> String {
    for ending in ["ая", "яя", "ий", "ый", "ой"] {
        if let Some(s) = folded.strip_suffix(ending) {
            return s.to_string();
        }
    }
    let mut chars: Vec<char> = folded.chars().collect();
    if chars.last().is_some_and(|c| "аяоеиыуюэйь".contains(*c)) {
        chars.pop();
    }
    chars.into_iter().collect()
}

/// A word of a text, or an initial («А.»).
#[derive(Debug)]
struct Token {
    range: Range<usize>,
    folded: String,
    initial: bool,
}

/// The words of `text`: runs of letters, a hyphen inside a word kept («Римский-Корсаков»); one
/// capital letter followed by a full stop is an initial, the stop included.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, first)) = chars.next() {
        if !first.is_alphabetic() {
            continue;
        }
        let (mut end, mut letters) = (start + first.len_utf8(), 1);
        while let Some(&(at, c)) = chars.peek() {
            if c.is_alphabetic() {
                (end, letters) = (at + c.len_utf8(), letters + 1);
                chars.next();
            } else if c == '-' && text[at + 1..].chars().next().is_some_and(char::is_alphabetic) {
                chars.next();
            } else {
                break;
            }
        }
        let initial = letters == 1 && first.is_uppercase() && text[end..].starts_with('.');
        let folded = fold(&text[start..end]);
        if initial {
            end += 1;
            chars.next();
        }
        out.push(Token { range: start..end, folded, initial });
    }
    out
}

/// One person, as free text may mention them.
#[derive(Debug)]
pub(crate) struct Person {
    surname: Option<NamePart>,
    first: Option<NamePart>,
    middle: Option<NamePart>,
    /// Phones' ten national digits.
    phones: Vec<String>,
    /// E-mails, lower-cased.
    emails: Vec<String>,
    /// The ids of the person's records as text (see [`Person::with_records`]).
    records: Vec<String>,
    /// Substrings of which a text naming the person in full contains one (see [`Person::needles`]).
    needles: Vec<String>,
}

impl Person {
    /// The person a contact record describes.
    pub(crate) fn of(contact: &Contact) -> Person {
        let c = &contact.input;
        let phones = c
            .phones
            .iter()
            .filter_map(|p| normalize_phone(p))
            .map(|p| p.trim_start_matches("+7").to_string())
            .collect::<Vec<_>>();
        let emails: Vec<String> = c.emails.iter().map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()).collect();
        let mut needles = Vec::new();
        if let Some(surname) = NamePart::new(&c.last_name) {
            // The surname's stem as written (with «ё») and folded, in each case people type it.
            let len = if surname.stem.chars().count() >= MIN_STEM { surname.stem.chars().count() } else { usize::MAX };
            let written: String = c.last_name.trim().to_lowercase().chars().take(len).collect();
            let folded: String = surname.folded.chars().take(len).collect();
            for base in [written, folded] {
                for variant in [base.clone(), capitalized(&base), base.to_uppercase()] {
                    if !needles.contains(&variant) {
                        needles.push(variant);
                    }
                }
            }
        }
        for national in &phones {
            let (pair, last) = (&national[6..8], &national[8..]);
            needles.extend([format!("{pair}{last}"), format!("{pair}-{last}"), format!("{pair} {last}")]);
        }
        Person {
            surname: NamePart::new(&c.last_name),
            first: NamePart::new(&c.first_name),
            middle: NamePart::new(&c.middle_name),
            phones,
            emails,
            records: Vec::new(),
            needles,
        }
    }

    /// The same person, their record ids counting as mentions too: an erasure removes the ids
    /// other records' history keeps of them (an event's attendees, an initiative's initiator).
    pub(crate) fn with_records(mut self, ids: &[Id]) -> Person {
        for id in ids {
            let text = id.to_string();
            self.needles.push(text.clone());
            self.records.push(text);
        }
        self
    }

    /// Case-sensitive substrings one of which any text this person could be redacted from
    /// contains (unless it is linked to them): the surname's stem in its usual spellings, the
    /// phones' last four digits and the record ids given to [`Person::with_records`]. A database
    /// can look for them before Rust looks closer.
    pub(crate) fn needles(&self) -> &[String] {
        &self.needles
    }

    /// Lower-case substrings for the same purpose, to look for in a lower-cased text: the e-mails.
    pub(crate) fn lowercase_needles(&self) -> &[String] {
        &self.emails
    }

    /// Whether `text` names the person in full (surname with first name or initials).
    pub(crate) fn named_in_full(&self, text: &str) -> bool {
        !self.name_spans(text).0.is_empty()
    }

    /// `text` with every mention of the person replaced by «[удалено]»; `about` says the text is
    /// known to concern them (so a lone surname counts). `None` when there is nothing to redact.
    pub(crate) fn redact(&self, text: &str, about: bool) -> Option<String> {
        let spans = self.spans(text, about);
        if spans.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for span in spans {
            out.push_str(&text[at..span.start]);
            out.push_str(REDACTED);
            at = span.end;
        }
        out.push_str(&text[at..]);
        Some(out)
    }

    /// Redacts every string inside a JSON value (a history entry's changes), in place; returns
    /// the strings as they were before, for each one changed.
    pub(crate) fn redact_json(&self, value: &mut Value, about: bool) -> Vec<String> {
        let mut changed = Vec::new();
        walk_strings(value, &mut |s| {
            if let Some(redacted) = self.redact(s, about) {
                changed.push(std::mem::replace(s, redacted));
            }
        });
        changed
    }

    /// Whether any string inside a JSON value names the person in full.
    pub(crate) fn json_named_in_full(&self, value: &Value) -> bool {
        match value {
            Value::String(s) => self.named_in_full(s),
            Value::Array(items) => items.iter().any(|v| self.json_named_in_full(v)),
            Value::Object(fields) => fields.values().any(|v| self.json_named_in_full(v)),
            _ => false,
        }
    }

    /// The byte ranges to redact, sorted, overlaps merged.
    fn spans(&self, text: &str, about: bool) -> Vec<Range<usize>> {
        let (full, partial) = self.name_spans(text);
        let mut spans = self.phone_spans(text);
        spans.extend(self.email_spans(text));
        for id in &self.records {
            spans.extend(text.match_indices(id.as_str()).map(|(at, _)| at..at + id.len()));
        }
        if about || !full.is_empty() {
            spans.extend(full);
            spans.extend(partial);
        }
        spans.sort_by_key(|s| (s.start, s.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        merged
    }

    /// The name's mentions in `text`: (full names, partial ones).
    fn name_spans(&self, text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let toks = tokens(text);
        let (mut full, mut partial) = (Vec::new(), Vec::new());
        let adjacent = |i: usize| {
            i + 1 < toks.len() && text[toks[i].range.end..toks[i + 1].range.start].chars().all(char::is_whitespace)
        };
        let word = |i: usize, part: &Option<NamePart>| {
            i < toks.len() && !toks[i].initial && part.as_ref().is_some_and(|p| p.matches(&toks[i].folded))
        };
        let initial = |i: usize, part: &Option<NamePart>| {
            i < toks.len() && toks[i].initial && part.as_ref().is_some_and(|p| toks[i].folded.starts_with(p.initial))
        };
        let span = |a: usize, b: usize| toks[a].range.start..toks[b].range.end;
        // The surname followed by another first name or other initials («Семёнов Пётр»,
        // «Семёнов П. И.»), or preceded by other initials, is a relative's.
        let capital = |k: usize| toks[k].initial || text[toks[k].range.clone()].starts_with(char::is_uppercase);
        let someone_else =
            |k: usize| (adjacent(k) && capital(k + 1)) || (k > 0 && adjacent(k - 1) && toks[k - 1].initial);
        let mut i = 0;
        while i < toks.len() {
            if word(i, &self.surname) {
                // Семёнова Анна [Петровна] · Семёнова А. [П.] · Семёнова alone
                let mut end = i;
                // A namesake: her surname and first name, another patronymic («Семёнова Анна
                // Ивановна», «Семёнова А. И.»).
                let mut namesake = false;
                if adjacent(i) && word(i + 1, &self.first) {
                    end = i + 1;
                    if adjacent(end) && word(end + 1, &self.middle) {
                        end += 1;
                    } else {
                        namesake = self.middle.is_some() && adjacent(end) && capital(end + 1);
                    }
                } else if adjacent(i) && initial(i + 1, &self.first) {
                    end = i + 1;
                    if adjacent(end) && initial(end + 1, &self.middle) {
                        end += 1;
                    } else {
                        namesake = self.middle.is_some() && adjacent(end) && toks[end + 1].initial;
                    }
                }
                if namesake {
                    i = end + 2;
                    continue;
                }
                if end > i {
                    full.push(span(i, end));
                } else if !someone_else(i) {
                    partial.push(span(i, i));
                }
                i = end + 1;
            } else if word(i, &self.first) || initial(i, &self.first) {
                // Анна [Петровна] Семёнова · А. [П.] Семёнова · Анна Петровна alone
                let is_word = word(i, &self.first);
                let mut end = i;
                let with_middle =
                    adjacent(i) && if is_word { word(i + 1, &self.middle) } else { initial(i + 1, &self.middle) };
                if with_middle {
                    end += 1;
                }
                if adjacent(end) && word(end + 1, &self.surname) {
                    full.push(span(i, end + 1));
                    i = end + 2;
                } else if with_middle && is_word {
                    partial.push(span(i, end));
                    i = end + 1;
                } else {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
        (full, partial)
    }

    /// The person's phones in `text`, in any notation: «8 (913) 555-12-34», «+79135551234»…
    fn phone_spans(&self, text: &str) -> Vec<Range<usize>> {
        if self.phones.is_empty() {
            return Vec::new();
        }
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let separator = |c: char| " -().\u{a0}".contains(c);
        let is_theirs = |digits: &str| {
            self.phones
                .iter()
                .any(|n| digits == n || (digits.len() == 11 && matches!(&digits[..1], "7" | "8") && &digits[1..] == n))
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            let opens = c.is_ascii_digit() || c == '+' || c == '(';
            if !opens || (i > 0 && chars[i - 1].1.is_ascii_digit()) {
                i += 1;
                continue;
            }
            let (mut digits, mut found) = (String::new(), None);
            for (j, &(_, c)) in chars.iter().enumerate().skip(i) {
                if c.is_ascii_digit() {
                    digits.push(c);
                    let next_is_digit = chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit());
                    if !next_is_digit && is_theirs(&digits) {
                        found = Some(j);
                        break;
                    }
                    if digits.len() >= 11 {
                        break;
                    }
                } else if !(separator(c) || (c == '+' && j == i)) {
                    break;
                }
            }
            match found {
                Some(j) => {
                    out.push(start..chars[j].0 + 1);
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The person's e-mails in `text`, in any letter case.
    fn email_spans(&self, text: &str) -> Vec<Range<usize>> {
        // ASCII lower-casing keeps every byte where it was.
        let lower = text.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let part = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
        let mut out = Vec::new();
        for email in &self.emails {
            for (at, _) in lower.match_indices(email.as_str()) {
                let end = at + email.len();
                let before_ok = at == 0 || !part(bytes[at - 1]);
                let after_ok = match bytes.get(end) {
                    None => true,
                    Some(b'.') => !bytes.get(end + 1).is_some_and(|b| b.is_ascii_alphanumeric()),
                    Some(&b) => !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                };
                if before_ok && after_ok {
                    out.push(at..end);
                }
            }
        }
        out
    }
}

fn walk_strings(value: &mut Value, f: &mut impl FnMut(&mut String)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|v| walk_strings(v, f)),
        Value::Object(fields) => fields.values_mut().for_each(|v| walk_strings(v, f)),
        _ => {}
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
