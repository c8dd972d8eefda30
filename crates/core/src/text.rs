//! Normalising what people type: names for sorting and search, phones, e-mails.

/// Lower-cases `s` and folds «ё» to «е»: the key names are sorted and searched by.
///
/// Latin and Russian letters, nearly all an office types, are lowered here directly; every other
/// character as Unicode lowers it on its own (`char::to_lowercase`, which looks it up in a table).
/// An import folds every name of a hundred thousand rows.
pub fn fold(s: &str) -> String {
    let s = s.trim();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            '\0'..='\u{7f}' | 'а'..='я' => out.push(c),
            // «А»…«Я» lie 32 below «а»…«я».
            'А'..='Я' => out.push(char::from_u32(c as u32 + 32).unwrap_or(c)),
            'ё' | 'Ё' => out.push('е'),
            _ => out.extend(c.to_lowercase().map(|l| if l == 'ё' { 'е' } else { l })),
        }
    }
    out
}

/// Normalises a Russian phone number to `+7XXXXXXXXXX`, whatever notation it came in
/// (`8 (391) 123-45-67`, `+7 913 123 45 67`, `9131234567`). `None` if it is not one.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_digit() || " +-()./\u{a0}".contains(c);
    if raw.trim().is_empty() || !raw.chars().all(allowed) {
        return None;
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        10 => &digits[..],
        _ => return None,
    };
    // Russian numbers start with 3 or 4 (landlines), 9 (mobile) or 80x (toll-free).
    let ok = matches!(national.as_bytes()[0], b'3' | b'4' | b'9') || national.starts_with("80");
    if !ok {
        return None;
    }
    Some(format!("+7{national}"))
}

/// Normalises an e-mail address (trimmed, lower-cased). `None` if it is not one.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@');
    ok.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_makes_yo_and_case_irrelevant() {
        assert_eq!(fold("  Семёнов Пётр "), "семенов петр");
        assert_eq!(fold("ЁЛКИНО"), fold("елкино"));
    }

    #[test]
    fn fold_lowers_every_character_as_unicode_does() {
        let unicode = |s: &str| -> String {
            s.trim().chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
        };
        let every: String = (0..=0x2_ffff).filter_map(char::from_u32).collect();
        assert_eq!(fold(&every), unicode(&every), "every character up to the third plane");
        for s in ["", " \t ", "ООО «Ёлка-Плюс»", "İSTANBUL ΣΟΦΊΑ", "Ǆ ǅ ǆ", "ẞ straße", "Ⅻ ⓐ"]
        {
            assert_eq!(fold(s), unicode(s), "{s}");
        }
    }

    #[test]
    fn phones_in_any_russian_notation_become_plus_seven() {
        for raw in ["8 (391) 212-34-56", "+7 391 212 34 56", "73912123456", "3912123456", "8-391-212-34-56"] {
            assert_eq!(normalize_phone(raw).as_deref(), Some("+73912123456"), "{raw}");
        }
        assert_eq!(normalize_phone("+7 (913) 000-11-22").as_deref(), Some("+79130001122"));
    }

    #[test]
    fn things_that_are_not_phones_are_refused() {
        for raw in ["", "12345", "+1 202 555 0100", "8 (391) 212-34-5", "звоните в сельсовет", "+7 (113) 000-11-22"]
        {
            assert_eq!(normalize_phone(raw), None, "{raw}");
        }
    }

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(normalize_email(" Ivanova@Mail.RU ").as_deref(), Some("ivanova@mail.ru"));
        for raw in ["ivanova", "a@b", "@mail.ru", "a b@mail.ru", "a@mail.ru;b@mail.ru"] {
            assert_eq!(normalize_email(raw), None, "{raw}");
        }
    }
}
