//! Validation: every data row read and checked as the core would check it, nothing written.
//! The [`Plan`] says what will be added, what is already there, and what cannot be read.

use mestno_core::model::Id;
use mestno_core::store::Batch;
use mestno_core::{Entity, FieldError, Lang, Store, Text};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fields::{Field, Kind};
use crate::header::{DataCells, Header, detect, is_totals_marker};
use crate::inspect::{summarize, summarize_with};
use crate::mapping::{Column, Mapping};
use crate::places::{Places, Programs};
use crate::records::{self, Context, Row};
use crate::table::{Source, Table, column_letter};
use crate::territories::{self, PlannedTerritory};
use crate::totals;
use crate::{dedup, update};

/// A row, or one cell of it, that cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// The sheet.
    pub sheet: String,
    /// Row number as Excel shows it.
    pub row: u32,
    /// Column letter, when one cell is at fault.
    pub column: Option<String>,
    /// That column's heading.
    pub heading: Option<String>,
    /// What the cell holds (shortened).
    pub value: Option<String>,
    /// What is wrong.
    pub message: Text,
}

impl Problem {
    /// «Лист «Реестр», строка 12, столбец D («Общая стоимость»): …» in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let (sheet, row, col) = match lang {
            Lang::Ru => ("лист", "строка", "столбец"),
            Lang::En => ("sheet", "row", "column"),
        };
        let mut s = format!("{sheet} «{}», {row} {}", self.sheet, self.row);
        if let Some(c) = &self.column {
            s.push_str(&format!(", {col} {c}"));
            if let Some(h) = self.heading.as_ref().filter(|h| !h.is_empty()) {
                s.push_str(&format!(" («{h}»)"));
            }
        }
        format!("{s}: {}", self.message.get(lang))
    }
}

/// A row left out on purpose: a totals row, a section heading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Skipped {
    /// Row number.
    pub row: u32,
    /// Why.
    pub reason: Text,
}

/// A row that is, or may be, a record already stored or given earlier in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Duplicate {
    /// The row.
    pub row: u32,
    /// The name or title in the row.
    pub name: String,
    /// The stored record it matches, if it is stored.
    pub existing_id: Option<Id>,
    /// The earlier row of the same file it matches, if that is what it matches.
    pub existing_row: Option<u32>,
    /// The stored record's or the earlier row's name.
    pub existing_name: String,
    /// Why they look the same.
    pub reason: Text,
}

/// What an import would do, worked out without writing anything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Plan {
    /// What is imported.
    pub kind: Kind,
    /// The file's name, written in the change history of every record.
    pub file: String,
    /// The sheet read.
    pub sheet: String,
    /// The header's first row.
    pub header_row: u32,
    /// The columns read, with their fields.
    pub columns: Vec<PlannedColumn>,
    /// Data rows looked at (blank rows not counted).
    pub rows_read: u32,
    /// The records to add, checked.
    pub batch: Batch,
    /// The row each record of `batch` comes from, in the batch's order.
    pub batch_rows: Vec<u32>,
    /// Everything that cannot be read or breaks a rule.
    pub problems: Vec<Problem>,
    /// The rows with problems.
    pub bad_rows: Vec<u32>,
    /// Totals rows and section headings left out.
    pub skipped: Vec<Skipped>,
    /// Rows that are records already stored (or given earlier in the file): not added again.
    pub matched: Vec<Duplicate>,
    /// Rows added that may be people already stored: shown for the user to merge.
    pub likely_duplicates: Vec<Duplicate>,
    /// Territories the file names that the office lacks. With the mapping's
    /// `create_territories` they are created with the import (they are in `batch`); without it
    /// the rows that need them are refused, and contacts keep the name in their address.
    pub new_territories: Vec<PlannedTerritory>,
    /// What the import does that the person should know, though nothing is refused: a contact
    /// whose settlement the office lacks keeps it as text in the address.
    pub warnings: Vec<Problem>,
    /// Stored initiatives the file brings back changed: what each field changes from and to
    /// (they are in `batch.updates`).
    pub updates: Vec<PlannedUpdate>,
    /// Fields the file would change that were changed in Mestno after the file was exported or
    /// last imported: not overwritten; their rows are refused (see `problems`).
    pub conflicts: Vec<Conflict>,
}

/// A stored initiative a registry brought back changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedUpdate {
    /// The row.
    pub row: u32,
    /// The stored initiative.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// How it was matched: by its id column, or by title, territory and year.
    pub matched_by: Text,
    /// What changes.
    pub changes: Vec<FieldChange>,
}

/// One field changed: its name and both values, as a person reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChange {
    /// The field, as the wizard names it.
    pub field: Text,
    /// The value stored.
    pub old: String,
    /// The value in the file.
    pub new: String,
}

/// A field changed both in Mestno (after the file was exported or last imported) and in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    /// The row.
    pub row: u32,
    /// The stored initiative.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// The field, as the wizard names it.
    pub field: Text,
    /// The value in Mestno now.
    pub in_mestno: String,
    /// The value in the file.
    pub in_file: String,
    /// Who changed it in Mestno.
    pub changed_by: String,
    /// When (milliseconds since the Unix epoch).
    pub changed_at: i64,
}

/// A column the plan reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedColumn {
    /// Letter.
    pub column: String,
    /// Heading.
    pub heading: String,
    /// Field.
    pub field: Field,
}

impl Plan {
    /// Records the file's rows would add (territories and meetings created with them aside).
    pub fn ready(&self) -> usize {
        self.batch.contacts.len() + self.batch.initiatives.len() + self.batch.events.len()
    }
}

/// Reads and checks every row of the mapped sheet against the office's database.
pub async fn validate(store: &Store, source: &Source, mapping: &Mapping) -> Result<Plan> {
    let kind = mapping.kind;
    let table = choose_table(source, mapping)?;
    let (header, summary) = match mapping.header_row {
        Some(row) if row >= 1 && (row as usize) <= table.rows.len() => {
            let header = given_header(table, row as usize - 1);
            let summary = summarize_with(table, kind, &header, 0);
            (header, summary)
        }
        Some(row) => {
            return Err(Error::mapping(
                format!("в листе «{}» нет строки {row}", table.name),
                format!("sheet «{}» has no row {row}", table.name),
            ));
        }
        None => {
            let found = detect(table, kind).ok_or(Error::NoTable)?;
            let summary = summarize_with(table, kind, &found.header, found.recognised);
            (found.header, summary)
        }
    };
    let columns = mapping.resolve(&header.names, &summary)?;
    require(kind, &columns, mapping)?;
    let office_places = Places::new(store.territories().await?);
    let programs = Programs::new(&store.programs().await?);
    let default_territory = match &mapping.defaults.territory {
        Some(name) => Some(office_places.find(name, None).map_err(|t| Error::mapping(t.ru, t.en))?),
        None => None,
    };
    let default_program = match &mapping.defaults.program {
        Some(code) => Some(programs.find(code).map_err(|t| Error::mapping(t.ru, t.en))?),
        None => None,
    };
    let cells = DataCells::new(table, header.data_row);
    let rows: Vec<(usize, RowKind)> =
        (header.data_row..table.rows.len()).map(|r| (r, row_kind(&cells, &columns, r))).collect();
    let data_rows = rows.iter().filter(|(_, k)| *k == RowKind::Data).map(|(r, _)| *r);
    let missing = territories::scan(&cells, &columns, data_rows, &office_places, default_territory, || store.new_id());
    let places = if mapping.create_territories { &missing.places } else { &office_places };
    let ctx = Context {
        sheet: &table.name,
        names: &header.names,
        columns: &columns,
        cells: &cells,
        places,
        programs: &programs,
        defaults: &mapping.defaults,
        default_territory,
        default_program,
        today: store.clock().today(),
    };
    let mut plan = Plan {
        kind,
        file: source.file_name(),
        sheet: table.name.clone(),
        header_row: header.first_row as u32 + 1,
        columns: columns
            .iter()
            .map(|c| PlannedColumn {
                column: column_letter(c.index as u32),
                heading: header.names.get(c.index).cloned().unwrap_or_default(),
                field: c.field,
            })
            .collect(),
        rows_read: 0,
        batch: Batch::default(),
        batch_rows: Vec::new(),
        problems: Vec::new(),
        bad_rows: Vec::new(),
        skipped: Vec::new(),
        matched: Vec::new(),
        likely_duplicates: Vec::new(),
        new_territories: missing.planned,
        warnings: Vec::new(),
        updates: Vec::new(),
        conflicts: Vec::new(),
    };
    if mapping.create_territories {
        plan.batch.territories = missing.new;
    }
    let of = |kind: RowKind| rows.iter().filter(|(_, k)| *k == kind).map(|(r, _)| *r).collect::<Vec<_>>();
    plan.warnings.extend(totals::check(
        &table.name,
        &header.names,
        &cells,
        &columns,
        &of(RowKind::Data),
        &of(RowKind::Totals),
    ));
    for (r, what) in rows {
        match what {
            RowKind::Blank => continue,
            RowKind::Section => {
                plan.skipped
                    .push(Skipped {
                        row: r as u32 + 1, reason: Text::new("заголовок раздела", "a section heading")
                    });
                continue;
            }
            RowKind::Totals => {
                plan.skipped.push(Skipped {
                    row: r as u32 + 1, reason: Text::new("строка итогов", "a totals row")
                });
                continue;
            }
            RowKind::Data => {}
        }
        plan.rows_read += 1;
        let mut row = Row::new(&ctx, r);
        let ok = match kind {
            Kind::Contacts => records::contact(&mut row).map(|c| plan.batch.contacts.push(c)),
            Kind::Initiatives => records::initiative(&mut row).map(|i| plan.batch.initiatives.push(i)),
            Kind::Events => records::event(&mut row).map(|e| plan.batch.events.push(e)),
        };
        plan.warnings.append(&mut row.warnings);
        if ok.is_some() {
            plan.batch_rows.push(r as u32 + 1);
        } else {
            plan.bad_rows.push(r as u32 + 1);
            plan.problems.extend(row.problems);
        }
    }
    check_with_core(store, &mut plan, &ctx).await?;
    let mut again = update::by_id_column(store, &mut plan, &ctx).await?;
    let by_id: std::collections::HashSet<u32> = again.iter().map(|(row, _, _)| *row).collect();
    let numbered = update::by_number(store, &mut plan).await?;
    let by_number: std::collections::HashSet<u32> = numbered.iter().map(|(row, _, _)| *row).collect();
    again.extend(numbered);
    again.extend(dedup::apply(store, &mut plan, places).await?);
    update::plan_updates(store, &mut plan, &ctx, again, &by_id, &by_number).await?;
    plan.problems.sort_by_key(|p| p.row);
    plan.bad_rows.sort_unstable();
    Ok(plan)
}

fn choose_table<'s>(source: &'s Source, mapping: &Mapping) -> Result<&'s Table> {
    match &mapping.sheet {
        Some(name) => source.table(name).ok_or_else(|| Error::SheetNotFound {
            name: name.clone(),
            sheets: source.tables.iter().map(|t| t.name.clone()).collect(),
        }),
        None => {
            let best = source
                .tables
                .iter()
                .map(|t| (t, summarize(t, mapping.kind)))
                .filter(|(_, s)| s.header_row.is_some() && s.data_rows > 0)
                .max_by_key(|(_, s)| (!s.hidden, s.recognised, s.data_rows));
            best.map(|(t, _)| t).ok_or(Error::NoTable)
        }
    }
}

/// A header the user pointed at: that row's texts, data from the next row.
fn given_header(table: &Table, row: usize) -> Header {
    let names = table.rows[row].iter().map(|v| v.display().split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    Header { first_row: row, data_row: row + 1, names }
}

/// Refuses a mapping that lacks what every record needs.
fn require(kind: Kind, columns: &[Column], mapping: &Mapping) -> Result<()> {
    let has = |f: Field| columns.iter().any(|c| c.field == f);
    let d = &mapping.defaults;
    let missing: Vec<Field> = match kind {
        Kind::Contacts => {
            if [Field::FullName, Field::LastName, Field::FirstName, Field::OrgName].iter().any(|&f| has(f)) {
                vec![]
            } else {
                vec![Field::FullName]
            }
        }
        Kind::Initiatives => [
            (!has(Field::Title)).then_some(Field::Title),
            (!has(Field::Territory) && !has(Field::District) && d.territory.is_none()).then_some(Field::Territory),
            (![Field::TotalCost, Field::Federal, Field::Regional, Field::Municipal, Field::Residents, Field::Business]
                .iter()
                .any(|&f| has(f)))
            .then_some(Field::TotalCost),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Kind::Events => [
            (!has(Field::Date)).then_some(Field::Date),
            (!has(Field::Territory) && !has(Field::District) && d.territory.is_none()).then_some(Field::Territory),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    if missing.is_empty() {
        return Ok(());
    }
    let names = |lang| missing.iter().map(|f| format!("«{}»", f.label(lang))).collect::<Vec<_>>().join(", ");
    Err(Error::mapping(
        format!("не найден столбец {}; укажите, какой столбец его содержит", names(Lang::Ru)),
        format!("no column for {}; say which column holds it", names(Lang::En)),
    ))
}

/// What a row below the header is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowKind {
    Data,
    Blank,
    Section,
    Totals,
}

fn row_kind(cells: &DataCells<'_>, columns: &[Column], r: usize) -> RowKind {
    if cells.is_section(r) {
        RowKind::Section
    } else if columns.iter().all(|c| cells.get(r, c.index).is_blank()) {
        RowKind::Blank
    } else if is_totals(cells, columns, r) {
        RowKind::Totals
    } else {
        RowKind::Data
    }
}

/// A totals row: «Итого»/«Всего» in one of its first cells that is not a number column.
fn is_totals(cells: &DataCells<'_>, columns: &[Column], r: usize) -> bool {
    let numeric = |c: usize| columns.iter().any(|col| col.index == c && col.field.is_numeric());
    (0..columns.iter().map(|c| c.index + 1).max().unwrap_or(0))
        .filter(|&c| !cells.get(r, c).is_blank() && !numeric(c))
        .take(3)
        .any(|c| is_totals_marker(cells.get(r, c)))
}

/// Runs the core's own checks over the records read; records that fail become problems of
/// their rows, in the columns their fields come from.
async fn check_with_core(store: &Store, plan: &mut Plan, ctx: &Context<'_>) -> Result<()> {
    let found = store.check_batch(&mut plan.batch).await?;
    if found.is_empty() {
        return Ok(());
    }
    let mut bad = std::collections::HashSet::new();
    for p in found {
        let row = plan.batch_rows[p.index];
        bad.insert(p.index);
        plan.bad_rows.push(row);
        for e in p.errors {
            plan.problems.push(core_problem(ctx, plan.kind, row, &e));
        }
    }
    let keep = |i: &usize| !bad.contains(i);
    plan.batch_rows = plan.batch_rows.iter().enumerate().filter(|(i, _)| keep(i)).map(|(_, r)| *r).collect();
    retain_indexed(&mut plan.batch.contacts, &keep);
    retain_indexed(&mut plan.batch.initiatives, &keep);
    retain_indexed(&mut plan.batch.events, &keep);
    Ok(())
}

pub(crate) fn retain_indexed<T>(list: &mut Vec<T>, keep: &impl Fn(&usize) -> bool) {
    let mut i = 0;
    list.retain(|_| {
        let k = keep(&i);
        i += 1;
        k
    });
}

/// A core field error placed in the column its field came from.
fn core_problem(ctx: &Context<'_>, kind: Kind, row: u32, e: &FieldError) -> Problem {
    let field = field_of(kind, &e.field);
    let column = field.and_then(|f| {
        ctx.columns.iter().find(|c| c.field == f).or_else(|| match f {
            Field::LastName => ctx.columns.iter().find(|c| c.field == Field::FullName),
            Field::OrgName => ctx.columns.iter().find(|c| matches!(c.field, Field::FullName | Field::LastName)),
            Field::Territory => ctx.columns.iter().find(|c| c.field == Field::District),
            _ => None,
        })
    });
    Problem {
        sheet: ctx.sheet.to_string(),
        row,
        column: column.map(|c| column_letter(c.index as u32)),
        heading: column.and_then(|c| ctx.names.get(c.index)).cloned(),
        value: column
            .map(|c| crate::parse::shorten(&ctx.cells.get(row as usize - 1, c.index).display()))
            .filter(|v| !v.is_empty()),
        message: e.message.clone(),
    }
}

/// The import field a core field path comes from.
fn field_of(kind: Kind, path: &str) -> Option<Field> {
    let head = path.split(['[', '.']).next().unwrap_or("");
    let source = path.strip_prefix("budget.");
    Some(match (kind, head) {
        (_, "territory_id") => Field::Territory,
        (_, "title") => Field::Title,
        (Kind::Contacts, "last_name" | "first_name") => Field::LastName,
        (Kind::Contacts, "org_name") => Field::OrgName,
        (Kind::Contacts, "phones") => Field::Phone,
        (Kind::Contacts, "emails") => Field::Email,
        (Kind::Contacts, "consent") if path.ends_with("expires_on") => Field::ConsentUntil,
        (Kind::Contacts, "consent") => Field::ConsentOn,
        (Kind::Initiatives, "budget") => match source {
            Some("federal") => Field::Federal,
            Some("regional") => Field::Regional,
            Some("municipal") => Field::Municipal,
            Some("residents") => Field::Residents,
            Some("business") => Field::Business,
            Some("in_kind") => Field::InKind,
            _ => Field::TotalCost,
        },
        (Kind::Initiatives, "meeting") if path.contains("starts_at") => Field::MeetingDate,
        (Kind::Initiatives, "meeting") => Field::MeetingParticipants,
        (Kind::Initiatives, "total_cost") => Field::TotalCost,
        (Kind::Initiatives, "year") => Field::Year,
        (Kind::Initiatives, "initiator") => Field::Initiator,
        (Kind::Initiatives, "program_id") => Field::Program,
        (Kind::Initiatives, "stage_on") => Field::StageOn,
        (Kind::Initiatives, "beneficiaries") => Field::Beneficiaries,
        (Kind::Initiatives, "supporters") => Field::Supporters,
        (Kind::Initiatives, "votes") => Field::Votes,
        (Kind::Initiatives, "implementation") => match path.strip_prefix("implementation.") {
            Some("percent_done") => Field::PercentDone,
            Some("contract_sum") => Field::ContractSum,
            Some("contract_date") => Field::ContractDate,
            Some("start_date") => Field::StartDate,
            _ => Field::EndDate,
        },
        (Kind::Events, "starts_at") => Field::Date,
        (Kind::Events, "ends_at") => Field::EndTime,
        (Kind::Events, "headcount") => Field::Headcount,
        _ => return None,
    })
}

/// The entity a kind of import adds.
pub(crate) fn entity(kind: Kind) -> Entity {
    match kind {
        Kind::Contacts => Entity::Contact,
        Kind::Initiatives => Entity::Initiative,
        Kind::Events => Entity::Event,
    }
}
