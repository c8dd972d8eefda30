//! Mestno's Excel reports: what a project office sends to its regional program and ministry.
//!
//! Five reports, each a real `.xlsx` in Russian that opens cleanly in Excel and LibreOffice
//! ([`ReportKind`]): the registry of initiatives with subtotals per municipality, co-financing
//! and attracted funds with a chart, engagement with shares of the population, one initiative's
//! card for the selection committee, and the contacts whose consent (152-ФЗ) allows listing them.
//! A [`ReportRequest`] names the report and its filters; [`write_report`] reads the office's
//! [`Store`] and writes the file, returning a [`ReportSummary`].
//!
//! Every sheet has a title block (report, program, period, territory, date of export, office), a
//! frozen header with filters, column widths that fit, number formats for roubles, shares and
//! dates, and landscape printing one page wide with the header repeated. Totals and shares are
//! live formulas whose cached values are computed from exact kopeck sums, so the file is right
//! before and after recalculation. The registry and the contacts stream row by row to a
//! temporary file (rust_xlsxwriter's constant-memory mode): memory stays flat however large the
//! office. The date of export is the store's clock's today, never the system's.
//!
//! For a resident's requests under 152-ФЗ there are two more files: [`person_export`] writes
//! everything held about one person («Сведения о субъекте персональных данных»), and
//! [`erasure_act`] the act of destruction of an erased person's data with its extract from the
//! erasure log («Акт об уничтожении персональных данных»).

#![deny(missing_docs)]

mod card;
mod contacts;
mod engagement;
mod erasure_act;
mod error;
mod funding;
mod person;
mod registry;
mod sheet;
mod stream;
mod territory;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mestno_core::Store;
use mestno_core::model::{Id, Program};
use mestno_core::store::StatsFilter;
use serde::{Deserialize, Serialize};

pub use erasure_act::erasure_act;
pub use error::{Error, Result};
pub use person::person_export;

use territory::Territories;

/// The reports Mestno writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Реестр проектов: one row per initiative, money by source, shares, subtotals per municipality.
    Registry,
    /// Привлечённые средства: budget and extra-budgetary money by source, territory and year.
    Funding,
    /// Вовлечённость: events by kind, participants, unique people, share of the population.
    Engagement,
    /// Карточка проекта: every field of one initiative, for the selection committee.
    Initiative,
    /// Контакты: people whose consent allows listing them, and organisations.
    Contacts,
}

impl ReportKind {
    /// Every report, in the order the app lists them.
    pub const ALL: [ReportKind; 5] = [
        ReportKind::Registry,
        ReportKind::Funding,
        ReportKind::Engagement,
        ReportKind::Initiative,
        ReportKind::Contacts,
    ];

    /// The code the command line and the app use.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Registry => "registry",
            ReportKind::Funding => "funding",
            ReportKind::Engagement => "engagement",
            ReportKind::Initiative => "initiative",
            ReportKind::Contacts => "contacts",
        }
    }

    /// The report's title in `lang`.
    pub fn title_in(self, lang: mestno_core::Lang) -> &'static str {
        match (lang, self) {
            (mestno_core::Lang::Ru, _) => self.title(),
            (mestno_core::Lang::En, ReportKind::Registry) => "Registry of initiative projects",
            (mestno_core::Lang::En, ReportKind::Funding) => "Co-financing and attracted funds",
            (mestno_core::Lang::En, ReportKind::Engagement) => "Public engagement",
            (mestno_core::Lang::En, ReportKind::Initiative) => "Initiative project card",
            (mestno_core::Lang::En, ReportKind::Contacts) => "Contacts",
        }
    }

    /// The report's title, in Russian.
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Registry => "Реестр инициативных проектов",
            ReportKind::Funding => "Софинансирование и привлечённые средства",
            ReportKind::Engagement => "Вовлечённость населения",
            ReportKind::Initiative => "Карточка инициативного проекта",
            ReportKind::Contacts => "Контакты",
        }
    }
}

/// Which report to write, and for what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ReportRequest {
    /// One program (registry, funding, engagement).
    pub program_id: Option<Id>,
    /// One year (registry, funding, engagement).
    pub year: Option<i32>,
    /// One territory and everything within it (every report but the card).
    pub territory_id: Option<Id>,
    /// The initiative (the card only, and required there).
    pub initiative_id: Option<Id>,
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportSummary {
    /// The report.
    pub kind: ReportKind,
    /// The file.
    pub path: PathBuf,
    /// Table rows written (initiatives, territory rows, contacts; fields for the card).
    pub rows: u64,
    /// Persons left out of the contacts report for want of consent in force.
    pub withheld: u64,
}

/// Writes report `kind` for `request` to the `.xlsx` file at `path`, replacing it.
pub async fn write_report(
    store: &Store,
    kind: ReportKind,
    request: &ReportRequest,
    path: &Path,
) -> Result<ReportSummary> {
    write_report_with_progress(store, kind, request, path, &|_| {}).await
}

/// [`write_report`], telling `progress` every thousand rows how many have been read and handed to
/// the sheet's writer (the registry and the contacts; a few batches ahead of the cells, and the
/// file is saved after the last).
pub async fn write_report_with_progress(
    store: &Store,
    kind: ReportKind,
    request: &ReportRequest,
    path: &Path,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ReportSummary> {
    check_filters(kind, request)?;
    let ctx = Context::new(store, request).await?;
    let (rows, withheld) = match kind {
        ReportKind::Registry => (registry::write(&ctx, path, progress).await?, 0),
        ReportKind::Funding => (funding::write(&ctx, path).await?, 0),
        ReportKind::Engagement => (engagement::write(&ctx, path).await?, 0),
        ReportKind::Initiative => {
            (card::write(&ctx, request.initiative_id.ok_or(Error::InitiativeMissing)?, path).await?, 0)
        }
        ReportKind::Contacts => contacts::write(&ctx, path, progress).await?,
    };
    Ok(ReportSummary { kind, path: path.to_path_buf(), rows, withheld })
}

/// Refuses filters a report does not take, rather than silently ignoring them.
fn check_filters(kind: ReportKind, r: &ReportRequest) -> Result<()> {
    let given = [
        (
            r.program_id.is_some(),
            ("по программе", "by program"),
            matches!(kind, ReportKind::Initiative | ReportKind::Contacts),
        ),
        (r.year.is_some(), ("по году", "by year"), matches!(kind, ReportKind::Initiative | ReportKind::Contacts)),
        (r.territory_id.is_some(), ("по территории", "by territory"), kind == ReportKind::Initiative),
        (r.initiative_id.is_some(), ("по проекту", "by initiative"), kind != ReportKind::Initiative),
    ];
    match given.iter().find(|(set, _, refused)| *set && *refused) {
        Some((_, (ru, en), _)) => Err(Error::NotApplicable { report: kind, filter: mestno_core::Text::new(*ru, *en) }),
        None => Ok(()),
    }
}

/// What every report needs: the store, the day, the office, the filters and the territories.
pub(crate) struct Context<'a> {
    store: &'a Store,
    today: NaiveDate,
    office: String,
    filter: StatsFilter,
    program: Option<Program>,
    territories: Territories,
}

impl<'a> Context<'a> {
    async fn new(store: &'a Store, r: &ReportRequest) -> Result<Context<'a>> {
        let program = match r.program_id {
            Some(id) => Some(store.program(id).await?),
            None => None,
        };
        let territories = Territories::new(store.report_territories(r.year).await?);
        if let Some(t) = r.territory_id {
            territories.within(Some(t))?;
        }
        Ok(Context {
            store,
            today: store.clock().today(),
            office: store.office_profile().await?.name,
            filter: StatsFilter { program_id: r.program_id, year: r.year, territory_id: r.territory_id },
            program,
            territories,
        })
    }

    /// The title block's lines: program, period, territory, date of export, office.
    fn title_lines(&self) -> Vec<String> {
        let program = match &self.program {
            Some(p) => format!("Программа: {} — {}", p.input.code, p.input.name),
            None => "Программа: все программы".into(),
        };
        let period = match self.filter.year {
            Some(y) => format!("Период: {y} год"),
            None => "Период: все годы".into(),
        };
        let territory = match self.filter.territory_id {
            Some(t) => format!("Территория: {}", self.territories.name(t)),
            None => "Территория: все территории".into(),
        };
        let office = if self.office.trim().is_empty() { "не указан" } else { self.office.trim() };
        vec![
            program,
            period,
            territory,
            format!("Дата выгрузки: {}", sheet::russian_date(self.today)),
            format!("Проектный офис: {office}"),
        ]
    }
}

/// «Оператор: office (адрес: …)», for the title of the files a person's requests produce.
fn office_line(office: &str, address: &str) -> String {
    let office = if office.trim().is_empty() { "не указан" } else { office.trim() };
    match address.trim() {
        "" => format!("Оператор персональных данных: {office}"),
        address => format!("Оператор персональных данных: {office}, {address}"),
    }
}

/// Saves the workbook, naming the file if that fails.
fn save(book: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<()> {
    book.save(path).map_err(|source| Error::Save { path: path.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_a_report_does_not_take_is_refused_by_name() {
        let by_year = ReportRequest { year: Some(2025), ..Default::default() };
        let e = check_filters(ReportKind::Contacts, &by_year).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("в отчёте «Контакты» не бывает отбора по году"), "contacts have no program year");
        assert!(check_filters(ReportKind::Registry, &by_year).is_ok(), "the registry is by year");
        let card = ReportRequest { initiative_id: Some(Id::nil()), ..Default::default() };
        assert!(check_filters(ReportKind::Initiative, &card).is_ok(), "the card takes its project");
        assert!(check_filters(ReportKind::Funding, &card).is_err(), "funding is not about one project");
    }

    #[test]
    fn codes_and_titles_are_distinct() {
        let codes: std::collections::HashSet<_> = ReportKind::ALL.iter().map(|k| k.code()).collect();
        let titles: std::collections::HashSet<_> = ReportKind::ALL.iter().map(|k| k.title()).collect();
        assert_eq!((codes.len(), titles.len()), (5, 5), "each report is told apart by code and by title");
    }
}
