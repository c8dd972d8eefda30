//! Money and shares, exactly.
//!
//! Amounts are whole kopecks in an `i64` ([`Kopecks`]); a share of one amount in another is kept
//! as the fraction itself ([`Share`]) and compared by cross-multiplication in `i128`, so a
//! project at exactly 5 % residents' money passes a 5 % minimum and one kopeck less does not.
//! Money by [`FundingSource`] is a [`BySource<Kopecks>`].
#![deny(clippy::float_arithmetic)]

mod by_source;

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

use serde::{Deserialize, Serialize};

pub use by_source::BySource;

/// An amount of money in kopecks (1 rouble = 100 kopecks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct Kopecks(pub i64);

impl Kopecks {
    /// Zero.
    pub const ZERO: Kopecks = Kopecks(0);

    /// Whole roubles.
    pub const fn rubles(r: i64) -> Self {
        Kopecks(r * 100)
    }

    /// The sum, or `None` past what an `i64` holds.
    pub fn checked_add(self, other: Kopecks) -> Option<Kopecks> {
        self.0.checked_add(other.0).map(Kopecks)
    }
}

impl Add for Kopecks {
    type Output = Kopecks;
    fn add(self, rhs: Kopecks) -> Kopecks {
        Kopecks(self.0 + rhs.0)
    }
}

impl AddAssign for Kopecks {
    fn add_assign(&mut self, rhs: Kopecks) {
        self.0 += rhs.0;
    }
}

impl Sub for Kopecks {
    type Output = Kopecks;
    fn sub(self, rhs: Kopecks) -> Kopecks {
        Kopecks(self.0 - rhs.0)
    }
}

impl Sum for Kopecks {
    fn sum<I: Iterator<Item = Kopecks>>(iter: I) -> Kopecks {
        iter.fold(Kopecks::ZERO, Add::add)
    }
}

/// Russian notation: `1 234 567,89 ₽`.
impl fmt::Display for Kopecks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{},{:02} ₽", group_thousands(abs / 100), abs % 100)
    }
}

/// `1234567` → `1 234 567` (a no-break space between groups, as Russian typesetting does).
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// Where money for an initiative comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// Federal budget.
    Federal,
    /// Regional (krai, oblast) subsidy.
    Regional,
    /// Municipal (local) budget.
    Municipal,
    /// Residents' money.
    Residents,
    /// Businesses, sole traders and sponsors.
    Business,
    /// Non-monetary contributions (labour, materials, machinery) valued in roubles.
    InKind,
}

impl FundingSource {
    /// Every source, in the order reports list them.
    pub const ALL: [FundingSource; 6] = [
        FundingSource::Federal,
        FundingSource::Regional,
        FundingSource::Municipal,
        FundingSource::Residents,
        FundingSource::Business,
        FundingSource::InKind,
    ];

    /// The source's place in [`FundingSource::ALL`] (and in a [`BySource`]).
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// The code stored in the database and used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FundingSource::Federal => "federal",
            FundingSource::Regional => "regional",
            FundingSource::Municipal => "municipal",
            FundingSource::Residents => "residents",
            FundingSource::Business => "business",
            FundingSource::InKind => "in_kind",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// Budget money (federal, regional, municipal) as opposed to extra-budgetary.
    pub fn is_budget(self) -> bool {
        matches!(self, FundingSource::Federal | FundingSource::Regional | FundingSource::Municipal)
    }

    /// The subsidy a program caps: federal and regional money.
    pub fn is_subsidy(self) -> bool {
        matches!(self, FundingSource::Federal | FundingSource::Regional)
    }

    /// The name a person reads, in `lang`: Russian as in the programs' forms.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match (lang, self) {
            (crate::Lang::Ru, _) => self.label_ru(),
            (crate::Lang::En, FundingSource::Federal) => "federal budget",
            (crate::Lang::En, FundingSource::Regional) => "regional subsidy",
            (crate::Lang::En, FundingSource::Municipal) => "municipal budget",
            (crate::Lang::En, FundingSource::Residents) => "residents",
            (crate::Lang::En, FundingSource::Business) => "businesses and sole traders",
            (crate::Lang::En, FundingSource::InKind) => "in-kind contribution",
        }
    }

    /// Name in Russian, as in the programs' forms.
    pub fn label_ru(self) -> &'static str {
        match self {
            FundingSource::Federal => "федеральный бюджет",
            FundingSource::Regional => "субсидия из краевого бюджета",
            FundingSource::Municipal => "местный бюджет",
            FundingSource::Residents => "население",
            FundingSource::Business => "юридические лица и ИП",
            FundingSource::InKind => "неденежный вклад",
        }
    }
}

/// `part` of `whole`, kept as the exact fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    part: i64,
    whole: i64,
}

/// 100 % in basis points.
pub const FULL_BP: u32 = 10_000;

impl Share {
    /// The share `part / whole` (both non-negative; an empty whole gives a zero share).
    pub fn of(part: Kopecks, whole: Kopecks) -> Self {
        Share { part: part.0.max(0), whole: whole.0.max(0) }
    }

    /// True when the share is at least `min_bp` basis points; an empty whole meets only 0.
    pub fn at_least(self, min_bp: u32) -> bool {
        if self.whole == 0 {
            return min_bp == 0;
        }
        i128::from(self.part) * i128::from(FULL_BP) >= i128::from(min_bp) * i128::from(self.whole)
    }

    /// True when the share is at most `max_bp` basis points.
    pub fn at_most(self, max_bp: u32) -> bool {
        self.whole == 0 || i128::from(self.part) * i128::from(FULL_BP) <= i128::from(max_bp) * i128::from(self.whole)
    }

    /// The share in basis points, rounded down.
    pub fn basis_points_floor(self) -> u32 {
        if self.whole == 0 {
            return 0;
        }
        let bp = i128::from(self.part) * i128::from(FULL_BP) / i128::from(self.whole);
        u32::try_from(bp).unwrap_or(u32::MAX)
    }

    /// The share in basis points, rounded half up.
    pub fn basis_points(self) -> u32 {
        if self.whole == 0 {
            return 0;
        }
        let scaled = i128::from(self.part) * i128::from(FULL_BP) * 2 + i128::from(self.whole);
        u32::try_from(scaled / (2 * i128::from(self.whole))).unwrap_or(u32::MAX)
    }
}

/// Formats basis points as a Russian percentage: `1234` → `12,34 %`.
pub fn format_bp(bp: u32) -> String {
    format!("{},{:02}\u{a0}%", bp / 100, bp % 100)
}

/// Splits 100 % among `parts` in basis points so that the shown shares add up to exactly
/// 100,00 % (largest remainder method). All zeros when the parts add up to nothing.
pub fn shares_summing_to_full(parts: &[Kopecks]) -> Vec<u32> {
    let whole: i128 = parts.iter().map(|k| i128::from(k.0.max(0))).sum();
    if whole == 0 {
        return vec![0; parts.len()];
    }
    let full = i128::from(FULL_BP);
    let mut shares: Vec<(usize, i128, i128)> = parts
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let scaled = i128::from(k.0.max(0)) * full;
            (i, scaled / whole, scaled % whole)
        })
        .collect();
    let given: i128 = shares.iter().map(|s| s.1).sum();
    let mut left = full - given;
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].2.cmp(&shares[a].2).then(a.cmp(&b)));
    for i in order {
        if left == 0 {
            break;
        }
        if shares[i].2 > 0 {
            shares[i].1 += 1;
            left -= 1;
        }
    }
    shares.into_iter().map(|(_, bp, _)| u32::try_from(bp).unwrap_or(0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn displays_roubles_the_russian_way() {
        assert_eq!(Kopecks(123_456_789).to_string(), "1\u{a0}234\u{a0}567,89 ₽");
        assert_eq!(Kopecks(5).to_string(), "0,05 ₽");
        assert_eq!(Kopecks(-100).to_string(), "-1,00 ₽");
        assert_eq!(format_bp(1234), "12,34\u{a0}%");
    }

    #[test]
    fn exactly_the_minimum_passes_and_one_kopeck_less_fails() {
        // 5 % of 1 000 000 roubles is 50 000 roubles.
        let whole = Kopecks::rubles(1_000_000);
        assert!(Share::of(Kopecks::rubles(50_000), whole).at_least(500));
        assert!(!Share::of(Kopecks(5_000_000 - 1), whole).at_least(500));
    }

    #[test]
    fn an_empty_budget_meets_only_a_zero_minimum() {
        assert!(Share::of(Kopecks::ZERO, Kopecks::ZERO).at_least(0));
        assert!(!Share::of(Kopecks::ZERO, Kopecks::ZERO).at_least(1));
    }

    proptest! {
        #[test]
        fn floor_is_the_largest_minimum_met(part in 0i64..10_000_000_000_000, extra in 0i64..10_000_000_000_000) {
            let whole = part + extra;
            let share = Share::of(Kopecks(part), Kopecks(whole));
            let bp = share.basis_points_floor();
            prop_assert!(share.at_least(bp), "the floor itself must be met");
            prop_assert!(!share.at_least(bp + 1) || whole == 0, "one basis point more must not be met");
            prop_assert!(bp <= FULL_BP);
        }

        #[test]
        fn rounded_share_is_within_half_a_basis_point(part in 0i64..1_000_000_000_000, extra in 1i64..1_000_000_000_000) {
            let whole = part + extra;
            let bp = i128::from(Share::of(Kopecks(part), Kopecks(whole)).basis_points());
            // |bp - part/whole*10000| <= 1/2  ⇔  |2*bp*whole - 2*part*10000| <= whole
            let diff = (2 * bp * i128::from(whole) - 2 * i128::from(part) * 10_000).abs();
            prop_assert!(diff <= i128::from(whole));
        }

        #[test]
        fn shown_shares_add_up_to_exactly_one_hundred_percent(parts in prop::collection::vec(0i64..100_000_000_000, 1..7)) {
            let kopecks: Vec<Kopecks> = parts.iter().copied().map(Kopecks).collect();
            let shares = shares_summing_to_full(&kopecks);
            let total: i64 = parts.iter().sum();
            let sum: u32 = shares.iter().sum();
            if total == 0 {
                prop_assert_eq!(sum, 0);
            } else {
                prop_assert_eq!(sum, FULL_BP);
                for (share, part) in shares.iter().zip(&parts) {
                    // each shown share is its exact share rounded down or up
                    let exact_floor = i128::from(*part) * 10_000 / i128::from(total);
                    prop_assert!(i128::from(*share) == exact_floor || i128::from(*share) == exact_floor + 1);
                }
            }
        }

        #[test]
        fn sums_of_kopecks_never_drift_and_print_back_exactly(amounts in prop::collection::vec(0i64..100_000_000_000, 0..50)) {
            let total: Kopecks = amounts.iter().copied().map(Kopecks).sum();
            prop_assert_eq!(total.0, amounts.iter().sum::<i64>());
            // What a person reads is what is stored: "1 234,05 ₽" → 123405 kopecks.
            let shown = total.to_string();
            let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(digits.parse::<i64>().ok(), Some(total.0));
            prop_assert!(shown.ends_with(" ₽"));
        }
    }
}
