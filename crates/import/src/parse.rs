//! Reading one cell as what its column holds: money to the kopeck, counts, dates, times, phones.
//!
//! Each reader returns `Ok(None)` for an empty cell and a [`Text`] reason, in Russian and
//! English, for a cell it cannot read.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use mestno_core::Text;
use mestno_core::money::Kopecks;
use mestno_core::text::{fold, normalize_email, normalize_phone};

use crate::table::{Value, number_text};

/// What a cell could not be read as.
pub(crate) type Reason = Text;

/// Longest text a cell may hold (Excel's own limit is 32 767 characters).
pub(crate) const MAX_TEXT: usize = 32_767;

/// Largest amount taken: ten trillion roubles.
const MAX_KOPECKS: i128 = 1_000_000_000_000_000;

fn reason(ru: impl Into<String>, en: impl Into<String>) -> Reason {
    Text::new(ru, en)
}

/// A cell that holds an Excel error or something other than what the column wants.
fn refuse(v: &Value, what_ru: &str, what_en: &str) -> Reason {
    match v {
        Value::Error(e) => {
            reason(format!("в ячейке ошибка формулы {e}"), format!("the cell holds a formula error {e}"))
        }
        other => reason(
            format!("«{}» не похоже на {what_ru}", shorten(&other.display())),
            format!("«{}» is not {what_en}", shorten(&other.display())),
        ),
    }
}

/// At most 60 characters of a value, for messages.
pub(crate) fn shorten(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 60 { s.to_string() } else { format!("{}…", s.chars().take(60).collect::<String>()) }
}

/// Text of a cell, trimmed; numbers as written; too long a text is refused.
pub(crate) fn text(v: &Value) -> Result<Option<String>, Reason> {
    let s = match v {
        Value::Empty => return Ok(None),
        Value::Error(_) => return Err(refuse(v, "текст", "text")),
        other => other.display(),
    };
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let n = s.chars().count();
    if n > MAX_TEXT {
        return Err(reason(
            format!("слишком длинный текст: {n} знаков при пределе {MAX_TEXT}"),
            format!("the text is too long: {n} characters, the limit is {MAX_TEXT}"),
        ));
    }
    Ok(Some(s.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// A decimal number exactly as written: `mantissa / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// Parses `1 234 567,89`, `1234567.89`, `1.234.567,89`, `1,234,567.89`, `(1 234)`, `-5`.
fn decimal(raw: &str) -> Option<Decimal> {
    let mut s: String = raw.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | '\u{a0}')).collect();
    let negative = if s.starts_with('(') && s.ends_with(')') {
        s = s[1..s.len() - 1].to_string();
        true
    } else if let Some(rest) = s.strip_prefix(['-', '−', '–']) {
        s = rest.to_string();
        true
    } else {
        s = s.strip_prefix('+').unwrap_or(&s).to_string();
        false
    };
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let (commas, dots) = (s.matches(',').count(), s.matches('.').count());
    let decimal_sep = match (commas, dots) {
        (0, 0) => None,
        (1, 0) => Some(','),
        (0, 1) => Some('.'),
        (_, 0) | (0, _) => None, // several of one kind: thousands groups
        _ => {
            let last = s.rfind([',', '.'])?;
            let sep = s[last..].chars().next()?;
            if s.matches(sep).count() != 1 {
                return None;
            }
            Some(sep)
        }
    };
    let (int_part, frac_part) = match decimal_sep {
        Some(sep) => s.split_once(sep)?,
        None => (s.as_str(), ""),
    };
    let groups: Vec<&str> = int_part.split([',', '.']).collect();
    if groups.len() > 1 && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    let digits: String = groups.concat();
    if digits.is_empty() && frac_part.is_empty() {
        return None;
    }
    if digits.len() + frac_part.len() > 30 || frac_part.contains([',', '.']) {
        return None;
    }
    let all = format!("{digits}{frac_part}");
    let mut mantissa: i128 = if all.is_empty() { 0 } else { all.parse().ok()? };
    if negative {
        mantissa = -mantissa;
    }
    Some(Decimal { mantissa, scale: frac_part.len() as u32 })
}

/// Rounds `d × multiplier` to a whole number, half away from zero.
fn round_scaled(d: Decimal, multiplier: i128) -> Option<i128> {
    let value = d.mantissa.checked_mul(multiplier)?;
    let div = 10i128.checked_pow(d.scale)?;
    let q = value / div;
    let r = value % div;
    Some(if r.abs() * 2 >= div { q + value.signum() } else { q })
}

/// The unit a money column counts in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MoneyUnit {
    /// Roubles.
    #[default]
    Rubles,
    /// Thousands of roubles («тыс. руб.»).
    Thousands,
    /// Millions of roubles («млн руб.»).
    Millions,
}

impl MoneyUnit {
    /// The unit a heading names (roubles unless it says «тыс.» or «млн»).
    pub fn of_heading(heading: &str) -> MoneyUnit {
        let w = crate::fields::words(heading);
        if w.iter().any(|w| w.starts_with("тыс")) {
            MoneyUnit::Thousands
        } else if w.iter().any(|w| w.starts_with("млн") || w.starts_with("миллион")) {
            MoneyUnit::Millions
        } else {
            MoneyUnit::Rubles
        }
    }

    fn kopecks(self) -> i128 {
        match self {
            MoneyUnit::Rubles => 100,
            MoneyUnit::Thousands => 100_000,
            MoneyUnit::Millions => 100_000_000,
        }
    }
}

/// Money, exact to the kopeck: «1 234 567,89», «1234567.89 руб.», «1,5 млн», a number cell.
/// A number cell is read through its shortest decimal form, so 1234567.89 stays …,89, and a
/// formula's 0.30000000000000004 rounds to 0,30.
pub(crate) fn money(v: &Value, unit: MoneyUnit) -> Result<Option<Kopecks>, Reason> {
    let (d, unit) = match v {
        Value::Empty => return Ok(None),
        Value::Number(n) if n.is_finite() => (decimal(&number_text(*n)), unit),
        Value::Text(s) => {
            let folded = fold(s);
            if matches!(folded.trim(), "" | "-" | "—" | "–" | "нет" | "х" | "x") {
                return Ok(None);
            }
            let (cleaned, unit) = strip_currency(&folded, unit);
            (decimal(&cleaned), unit)
        }
        other => return Err(refuse(other, "сумму в рублях", "an amount in roubles")),
    };
    let d = d.ok_or_else(|| refuse(v, "сумму в рублях", "an amount in roubles"))?;
    let k = round_scaled(d, unit.kopecks()).filter(|k| k.abs() <= MAX_KOPECKS).ok_or_else(|| {
        reason(
            format!("сумма «{}» слишком велика", shorten(&v.display())),
            format!("the amount «{}» is too large", shorten(&v.display())),
        )
    })?;
    if k < 0 {
        return Err(reason(
            format!("сумма «{}» отрицательна", shorten(&v.display())),
            format!("the amount «{}» is negative", shorten(&v.display())),
        ));
    }
    Ok(Some(Kopecks(k as i64)))
}

/// Takes currency words off an amount and notes a unit written in the cell («тыс. руб.»).
fn strip_currency(folded: &str, unit: MoneyUnit) -> (String, MoneyUnit) {
    let mut unit = unit;
    let mut s = folded.replace('₽', " ");
    for (word, u) in [("тыс", MoneyUnit::Thousands), ("млн", MoneyUnit::Millions)] {
        if let Some(at) = s.find(word) {
            unit = u;
            s.truncate(at);
        }
    }
    for word in ["рублей", "рубля", "рубль", "руб", "rub", "р."] {
        if let Some(at) = s.find(word) {
            s.truncate(at);
        }
    }
    (s.trim().trim_end_matches('.').trim().to_string(), unit)
}

/// A count of people or votes: a whole number, not negative; «1 234», «300 чел.».
pub(crate) fn count(v: &Value) -> Result<Option<i64>, Reason> {
    let d = match v {
        Value::Empty => return Ok(None),
        Value::Number(n) if n.is_finite() => decimal(&number_text(*n)),
        Value::Text(s) => {
            let folded = fold(s);
            if matches!(folded.trim(), "-" | "—" | "–" | "нет") {
                return Ok(None);
            }
            let digits_end = folded.find(|c: char| c.is_alphabetic()).unwrap_or(folded.len());
            decimal(folded[..digits_end].trim().trim_end_matches('.'))
        }
        other => return Err(refuse(other, "число", "a number")),
    };
    match d {
        Some(d) if d.mantissa >= 0 && (d.scale == 0 || d.mantissa % 10i128.pow(d.scale.min(30)) == 0) => {
            let n = d.mantissa / 10i128.pow(d.scale.min(30));
            i64::try_from(n)
                .ok()
                .filter(|n| *n <= 1_000_000_000)
                .map(Some)
                .ok_or_else(|| refuse(v, "число", "a number"))
        }
        _ => Err(refuse(v, "целое неотрицательное число", "a whole non-negative number")),
    }
}

/// A percentage 0–100: «75», «75 %», 0.75 (a cell formatted as percent).
pub(crate) fn percent(v: &Value) -> Result<Option<u8>, Reason> {
    let d = match v {
        Value::Empty => return Ok(None),
        Value::Number(n) if n.is_finite() => {
            let n = if *n > 0.0 && *n <= 1.0 { *n * 100.0 } else { *n };
            decimal(&number_text(n))
        }
        Value::Text(s) => {
            let t = s.replace('%', "");
            let d = decimal(t.trim());
            let fraction = !s.contains('%') && d.is_some_and(|d| d.scale > 0 && d.mantissa < 10i128.pow(d.scale));
            d.map(|d| if fraction { Decimal { mantissa: d.mantissa * 100, scale: d.scale } } else { d })
        }
        other => return Err(refuse(other, "процент", "a percentage")),
    };
    match d.and_then(|d| round_scaled(d, 1)) {
        Some(p @ 0..=100) => Ok(Some(p as u8)),
        _ => Err(reason(
            format!("«{}»: процент выполнения — от 0 до 100", shorten(&v.display())),
            format!("«{}»: percent done is 0–100", shorten(&v.display())),
        )),
    }
}

/// A year: 2025, «2025 г.», or the year of a date.
pub(crate) fn year(v: &Value) -> Result<Option<i32>, Reason> {
    match v {
        Value::Date(d) => Ok(Some(chrono::Datelike::year(d))),
        Value::Empty => Ok(None),
        _ => match count(v) {
            Ok(Some(y)) if (1900..=2200).contains(&y) => Ok(Some(y as i32)),
            Ok(None) => Ok(None),
            _ => match date(v) {
                Ok(Some(d)) => Ok(Some(chrono::Datelike::year(&d))),
                _ => Err(refuse(v, "год", "a year")),
            },
        },
    }
}

const MONTHS: [&str; 12] = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

/// A date: a date cell, an Excel serial number, «dd.mm.yyyy», «dd.mm.yy», ISO «yyyy-mm-dd»,
/// «12 марта 2024 г.».
pub(crate) fn date(v: &Value) -> Result<Option<NaiveDate>, Reason> {
    datetime(v).map(|o| o.map(|dt| dt.date()))
}

/// A date with an optional time: a date cell, a serial, «dd.mm.yyyy hh:mm», ISO.
pub(crate) fn datetime(v: &Value) -> Result<Option<NaiveDateTime>, Reason> {
    match v {
        Value::Empty => Ok(None),
        Value::Date(d) => Ok(Some(*d)),
        Value::Number(n) => serial(*n).map(Some).ok_or_else(|| refuse(v, "дату", "a date")),
        Value::Text(s) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            text_datetime(s).map(Some).ok_or_else(|| refuse(v, "дату (дд.мм.гггг)", "a date (dd.mm.yyyy)"))
        }
        other => Err(refuse(other, "дату", "a date")),
    }
}

/// An Excel serial date (days since 30.12.1899, as Excel counts them from March 1900 on).
fn serial(n: f64) -> Option<NaiveDateTime> {
    if !(367.0..2_958_466.0).contains(&n) {
        return None; // before 1901 no office record is dated; past 9999 Excel has no dates
    }
    let days = n.floor() as i64;
    let seconds = ((n - n.floor()) * 86_400.0).round() as i64;
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    epoch.checked_add_signed(Duration::days(days))?.checked_add_signed(Duration::seconds(seconds))
}

fn text_datetime(s: &str) -> Option<NaiveDateTime> {
    let folded = fold(s);
    let s = folded.trim_end_matches(['.', ' ']).trim_end_matches("года").trim_end_matches("г").trim();
    let (date_part, time_part) = match s.split_once(['t', ' ']) {
        Some((d, t)) if t.contains(':') && !d.contains(' ') => (d.trim(), Some(t.trim())),
        _ => (s, None),
    };
    let date = numeric_date(date_part.trim_end_matches(['г', '.']).trim()).or_else(|| worded_date(s))?;
    let time = match time_part {
        Some(t) if numeric_date(date_part).is_some() => time_of_day(t)?,
        _ => NaiveTime::MIN,
    };
    Some(date.and_time(time))
}

fn numeric_date(s: &str) -> Option<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    if parts.len() == 1 && parts[0].len() == 5 {
        return parts[0].parse::<f64>().ok().and_then(serial).map(|dt| dt.date()); // a serial stored as text
    }
    let [d, m, y] = parts.as_slice() else { return None };
    let (d, m): (u32, u32) = (d.parse().ok()?, m.parse().ok()?);
    let y: i32 = match y.len() {
        4 => y.parse().ok()?,
        2 => 2000 + y.parse::<i32>().ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

/// «12 марта 2024», «1 сентября 2023 г.».
fn worded_date(s: &str) -> Option<NaiveDate> {
    let w: Vec<&str> = s.split_whitespace().collect();
    let [d, month, y, ..] = w.as_slice() else { return None };
    let m = MONTHS
        .iter()
        .position(|p| month.starts_with(p) && (*p != "ма" || month.starts_with("мая") || *month == "май"))?;
    NaiveDate::from_ymd_opt(y.trim_end_matches(['г', '.']).parse().ok()?, m as u32 + 1, d.parse().ok()?)
}

/// «18:00», «18.00», «18-30», «9:05:00».
fn time_of_day(s: &str) -> Option<NaiveTime> {
    let s = s.trim().trim_end_matches(['ч', '.', ' ']);
    let parts: Vec<&str> = s.split([':', '.', '-']).collect();
    let (h, m, sec) = match parts.as_slice() {
        [h] => (h.parse().ok()?, 0, 0),
        [h, m] => (h.parse().ok()?, m.parse().ok()?, 0),
        [h, m, sec] => (h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?),
        _ => return None,
    };
    NaiveTime::from_hms_opt(h, m, sec)
}

/// A time of day, or a range «18:00–20:00» / «с 18:00 до 20:00»: the start and, if given, the end.
pub(crate) fn time_range(v: &Value) -> Result<Option<(NaiveTime, Option<NaiveTime>)>, Reason> {
    let bad = || refuse(v, "время (чч:мм)", "a time (hh:mm)");
    match v {
        Value::Empty => Ok(None),
        Value::Date(d) => Ok(Some((d.time(), None))),
        Value::Number(n) if (0.0..1.0).contains(n) => {
            let secs = (n * 86_400.0).round() as u32;
            NaiveTime::from_num_seconds_from_midnight_opt(secs.min(86_399), 0).map(|t| Some((t, None))).ok_or_else(bad)
        }
        Value::Text(s) => {
            let folded = fold(s);
            let cleaned = folded.replace("с ", " ").replace(" до ", "–").replace(" по ", "–");
            let cleaned = cleaned.trim();
            if cleaned.is_empty() {
                return Ok(None);
            }
            let (a, b) = match cleaned.split_once(['–', '—']).or_else(|| {
                // «18:00-20:00»: a hyphen between two times, not inside one («18-30»).
                cleaned.split_once('-').filter(|(a, b)| a.contains([':', '.']) && b.contains([':', '.']))
            }) {
                Some((a, b)) => (a, Some(b)),
                None => (cleaned, None),
            };
            let start = time_of_day(a).ok_or_else(bad)?;
            let end = match b {
                Some(b) => Some(time_of_day(b).ok_or_else(bad)?),
                None => None,
            };
            Ok(Some((start, end)))
        }
        _ => Err(bad()),
    }
}

/// Phones in any Russian notation, several to a cell («8 913 555-12-34, 8 (39161) 2-12-34»),
/// as +7XXXXXXXXXX; a number cell keeps its digits.
pub(crate) fn phones(v: &Value) -> Result<Vec<String>, Reason> {
    let raw = match v {
        Value::Empty => return Ok(Vec::new()),
        Value::Number(n) => number_text(*n),
        Value::Text(s) => s.clone(),
        other => return Err(refuse(other, "номер телефона", "a phone number")),
    };
    if raw.trim().is_empty() || matches!(raw.trim(), "-" | "—" | "нет") {
        return Ok(Vec::new());
    }
    if let Some(p) = normalize_phone(&raw) {
        return Ok(vec![p]);
    }
    let mut out = Vec::new();
    for part in raw.split([',', ';', '\n']).flat_map(|p| p.split(" или ")).map(str::trim).filter(|p| !p.is_empty()) {
        match normalize_phone(part) {
            Some(p) => out.push(p),
            None => {
                let pieces: Vec<Option<String>> = part.split('/').map(normalize_phone).collect();
                if pieces.len() > 1 && pieces.iter().all(Option::is_some) {
                    out.extend(pieces.into_iter().flatten());
                } else {
                    return Err(reason(
                        format!("«{}» не похоже на российский номер телефона", shorten(part)),
                        format!("«{}» is not a Russian phone number", shorten(part)),
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// E-mails, several to a cell.
pub(crate) fn emails(v: &Value) -> Result<Vec<String>, Reason> {
    let Some(raw) = text(v)? else { return Ok(Vec::new()) };
    raw.split([',', ';', ' '])
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            normalize_email(p).ok_or_else(|| {
                reason(
                    format!("«{}» не похоже на адрес эл. почты", shorten(p)),
                    format!("«{}» is not an e-mail address", shorten(p)),
                )
            })
        })
        .collect()
}

/// A list in one cell: tags, roles («староста, депутат»).
pub(crate) fn list(v: &Value) -> Result<Vec<String>, Reason> {
    Ok(text(v)?
        .map(|s| s.split([',', ';', '\n']).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect())
        .unwrap_or_default())
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
