//! The generator's state: one seeded random stream, ids and instants, dates no later than today.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime, TimeDelta};
use fastrand::Rng;

use mestno_core::model::Id;

/// Everything a generator step draws from. All randomness comes from `rng`, in a fixed order,
/// so a seed always gives the same data.
pub(crate) struct Gen {
    pub rng: Rng,
    /// The store's today: nothing is dated later.
    pub today: NaiveDate,
    ids: IdGen,
}

impl Gen {
    pub(crate) fn new(seed: u64, today: NaiveDate) -> Self {
        Gen { rng: Rng::with_seed(seed), today, ids: IdGen::default() }
    }

    /// A fresh UUIDv7 created on `day`, and its instant (ms since the epoch).
    pub(crate) fn id_on(&mut self, day: NaiveDate) -> (Id, i64) {
        self.ids.next(&mut self.rng, day)
    }

    /// `true` with `percent` % probability.
    pub(crate) fn chance(&mut self, percent: u32) -> bool {
        self.rng.u32(0..100) < percent
    }

    /// A uniformly chosen item of a non-empty slice.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.usize(..items.len())]
    }

    /// An index chosen with probability proportional to its weight (weights not all zero).
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.rng.u64(..total.max(1));
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        weights.len().saturating_sub(1)
    }

    /// One of `choices` (a value and its weight, not all zero), chosen with probability
    /// proportional to its weight.
    pub(crate) fn weighted_pick<T: Copy>(&mut self, choices: &[(T, u32)]) -> T {
        let weights: Vec<u32> = choices.iter().map(|c| c.1).collect();
        choices[self.weighted(&weights)].0
    }

    /// One of `all`, chosen with probability proportional to its `weight`.
    pub(crate) fn weighted_by<T: Copy>(&mut self, all: &[T], weight: impl Fn(T) -> u32) -> T {
        let weights: Vec<u32> = all.iter().map(|&t| weight(t)).collect();
        all[self.weighted(&weights)]
    }

    /// A day in `from..=to`; `from` when the range is empty.
    pub(crate) fn day_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days();
        if span <= 0 { from } else { from + TimeDelta::days(self.rng.i64(0..=span)) }
    }

    /// A number between `lo` and `hi` (inclusive) on a logarithmic scale: small values are as
    /// likely as large ones in ratio, the way village sizes and project costs spread.
    pub(crate) fn log_uniform(&mut self, lo: i64, hi: i64) -> i64 {
        let (l, h) = ((lo.max(1)) as f64, (hi.max(lo.max(1))) as f64);
        let x = (l.ln() + self.rng.f64() * (h.ln() - l.ln())).exp();
        (x.round() as i64).clamp(lo, hi)
    }
}

/// Hands out UUIDv7 ids stamped on the day a record was made.
///
/// Each day's ids start at 09:00 Krasnoyarsk time (02:00 UTC) and step at least 100 ms apart,
/// with a random part below that, so ids of one day strictly increase and ids of different days
/// never meet (a day holds 792 000 of them before reaching the next).
#[derive(Default)]
struct IdGen {
    used: HashMap<NaiveDate, i64>,
}

pub(crate) const OFFICE_OPENS_MS: i64 = 2 * 3_600_000;
const STEP_MS: i64 = 100;

impl IdGen {
    fn next(&mut self, rng: &mut Rng, day: NaiveDate) -> (Id, i64) {
        let seq = self.used.entry(day).or_insert(0);
        let ms = day_ms(day) + OFFICE_OPENS_MS + *seq * STEP_MS + rng.i64(0..STEP_MS);
        *seq += 1;
        let mut bytes = [0u8; 10];
        rng.fill(&mut bytes);
        let id = uuid::Builder::from_unix_timestamp_millis(u64::try_from(ms).unwrap_or(0), &bytes).into_uuid();
        (id, ms)
    }
}

/// Midnight UTC of `day`, in ms since the epoch.
pub(crate) fn day_ms(day: NaiveDate) -> i64 {
    day.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

/// A calendar date; callers pass days that exist (1–28, or known month ends).
pub(crate) fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// `day` moved by `days` (negative: back).
pub(crate) fn add_days(day: NaiveDate, days: i64) -> NaiveDate {
    day + TimeDelta::days(days)
}

/// Picks indexes in proportion to fixed weights, many times over, by binary search.
pub(crate) struct Lottery {
    cumulative: Vec<u64>,
}

impl Lottery {
    pub(crate) fn new(weights: impl IntoIterator<Item = u64>) -> Self {
        let mut sum = 0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                sum += w;
                sum
            })
            .collect();
        Lottery { cumulative }
    }

    /// An index; the lottery must have some positive weight.
    pub(crate) fn draw(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let x = rng.u64(..total.max(1));
        self.cumulative.partition_point(|&c| c <= x).min(self.cumulative.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_increase_within_a_day_and_carry_the_day() {
        let mut g = Gen::new(1, ymd(2025, 11, 1));
        let day = ymd(2021, 5, 3);
        let (a, ms_a) = g.id_on(day);
        let (b, ms_b) = g.id_on(ymd(2020, 1, 1));
        let (c, ms_c) = g.id_on(day);
        assert!(ms_c > ms_a && c > a, "a later id of the same day sorts after the earlier one");
        assert_ne!(a, b);
        assert_eq!(a.get_version_num(), 7, "UUIDv7");
        let stamped = a.get_timestamp().map(|t| t.to_unix().0).unwrap_or(0);
        assert_eq!(stamped as i64, ms_a / 1000, "the id carries its instant");
        assert!(ms_b < ms_a, "ids of an earlier day sort earlier");
        assert_eq!(chrono::DateTime::from_timestamp_millis(ms_a).map(|t| t.date_naive()), Some(day));
    }

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let day = ymd(2022, 2, 2);
        let mut one = Gen::new(42, day);
        let mut two = Gen::new(42, day);
        for _ in 0..100 {
            assert_eq!(one.id_on(day), two.id_on(day));
        }
    }

    #[test]
    fn the_lottery_follows_its_weights() {
        let mut rng = Rng::with_seed(3);
        let lottery = Lottery::new([0, 10, 0, 30]);
        let mut seen = [0u32; 4];
        for _ in 0..4_000 {
            seen[lottery.draw(&mut rng)] += 1;
        }
        assert_eq!((seen[0], seen[2]), (0, 0), "zero weights are never drawn");
        assert!(seen[3] > 2 * seen[1], "{seen:?}");
    }
}
