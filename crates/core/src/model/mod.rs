//! The office's records as the rest of the app sees them, and the rules they obey.
//!
//! Each kind of record comes as an *input* (what a form or an import supplies) and a *record*
//! (what is stored, with its id and [`Stamp`]). Validation that needs nothing but the input
//! lives here; checks that need the database (does that territory exist?) live in `store`.

mod appeal;
mod contact;
mod erasure;
mod event;
mod initiative;
mod profile;
mod program;
mod territory;

pub use appeal::*;
pub use contact::*;
pub use erasure::*;
pub use event::*;
pub use initiative::*;
pub use profile::*;
pub use program::*;
pub use territory::*;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::Problems;

/// Record ids: UUIDv7, so they sort by creation time and never collide between laptops.
pub type Id = uuid::Uuid;

/// When and where a record last changed; what a later sync compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Stamp {
    /// Created, ms since the Unix epoch (UTC).
    pub created_at: i64,
    /// Last changed, ms since the Unix epoch (UTC).
    pub updated_at: i64,
    /// The device that made the last change.
    pub updated_by: String,
    /// Revision, 1 on creation and one more on every change; an update names the revision it
    /// started from, so a stale form cannot overwrite newer data.
    pub rev: i64,
}

/// The years the office's records may refer to.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

pub(crate) fn check_year(p: &mut Problems, field: &str, year: i32) {
    if !YEARS.contains(&year) {
        p.push(
            field,
            format!("год {year} вне допустимого диапазона {}–{}", YEARS.start(), YEARS.end()),
            format!("year {year} is outside {}–{}", YEARS.start(), YEARS.end()),
        );
    }
}

pub(crate) fn check_date(p: &mut Problems, field: &str, date: NaiveDate) {
    check_year(p, field, date.year());
}

pub(crate) fn check_not_blank(p: &mut Problems, field: &str, value: &str, what_ru: &str, what_en: &str) {
    if value.trim().is_empty() {
        p.push(field, format!("укажите {what_ru}"), format!("enter the {what_en}"));
    }
}

pub(crate) fn check_not_negative(p: &mut Problems, field: &str, value: i64) {
    if value < 0 {
        p.push(field, "значение не может быть отрицательным", "the value cannot be negative");
    }
}
