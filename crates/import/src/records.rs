//! One data row to one record: each mapped cell read as its field wants, every cell that cannot
//! be read noted as a [`Problem`] with its row and column.

use chrono::NaiveDate;
use mestno_core::Text;
use mestno_core::model::Id;
use mestno_core::money::Kopecks;

use crate::fields::Field;
use crate::header::DataCells;
use crate::mapping::{Column, Defaults};
use crate::parse::{self, MoneyUnit, Reason};
use crate::places::{Level, Lookup, Places, Programs};
use crate::plan::Problem;
use crate::table::{Value, column_letter};

mod contacts;
mod events;
mod initiatives;

pub(crate) use contacts::contact;
pub(crate) use events::event;
pub(crate) use initiatives::initiative;

/// What every row of a sheet is read against.
pub(crate) struct Context<'a> {
    pub sheet: &'a str,
    pub names: &'a [String],
    pub columns: &'a [Column],
    pub cells: &'a DataCells<'a>,
    pub places: &'a Places,
    pub programs: &'a Programs,
    pub defaults: &'a Defaults,
    pub default_territory: Option<Id>,
    pub default_program: Option<Id>,
    pub today: NaiveDate,
}

/// One row being read.
pub(crate) struct Row<'a> {
    ctx: &'a Context<'a>,
    r: usize,
    pub problems: Vec<Problem>,
    /// What is worth knowing about the row, though it is imported.
    pub warnings: Vec<Problem>,
}

/// Where a row's place columns point.
enum Place {
    /// No place given: the default, if any.
    Default,
    /// A territory of the office.
    Found(Id),
    /// A name the office lacks, or that fits several territories.
    Unknown { field: Field, name: String, message: Text },
}

impl<'a> Row<'a> {
    pub(crate) fn new(ctx: &'a Context<'a>, r: usize) -> Self {
        Row { ctx, r, problems: Vec::new(), warnings: Vec::new() }
    }

    fn columns(&self, field: Field) -> impl Iterator<Item = &'a Column> + use<'a> {
        self.ctx.columns.iter().filter(move |c| c.field == field)
    }

    fn value(&self, c: &Column) -> &'a Value {
        self.ctx.cells.get(self.r, c.index)
    }

    pub(crate) fn has(&self, field: Field) -> bool {
        self.columns(field).next().is_some()
    }

    /// A problem with the row, in the column of `field` if it has one.
    pub(crate) fn problem(&mut self, field: Option<Field>, message: Text) {
        let column = field.and_then(|f| self.columns(f).next());
        self.problems.push(Problem {
            sheet: self.ctx.sheet.to_string(),
            row: self.r as u32 + 1,
            column: column.map(|c| column_letter(c.index as u32)),
            heading: column.and_then(|c| self.ctx.names.get(c.index)).cloned(),
            value: column.map(|c| parse::shorten(&self.value(c).display())).filter(|v| !v.is_empty()),
            message,
        });
    }

    /// A warning about the row, in the column of `field`: the row is imported all the same.
    fn warning(&mut self, field: Option<Field>, message: Text) {
        let before = self.problems.len();
        self.problem(field, message);
        let w = self.problems.split_off(before);
        self.warnings.extend(w);
    }

    fn problem_at(&mut self, c: &Column, message: Reason) {
        self.problems.push(Problem {
            sheet: self.ctx.sheet.to_string(),
            row: self.r as u32 + 1,
            column: Some(column_letter(c.index as u32)),
            heading: self.ctx.names.get(c.index).cloned(),
            value: Some(parse::shorten(&self.value(c).display())).filter(|v| !v.is_empty()),
            message,
        });
    }

    /// The field's first column read with `read`; a cell that cannot be read is a problem.
    fn read<T>(&mut self, field: Field, read: impl Fn(&Value, MoneyUnit) -> Result<Option<T>, Reason>) -> Option<T> {
        let c = self.columns(field).next()?;
        match read(self.value(c), c.unit) {
            Ok(v) => v,
            Err(reason) => {
                self.problem_at(c, reason);
                None
            }
        }
    }

    /// Every column of the field read with `read`, results joined.
    fn read_all<T>(&mut self, field: Field, read: impl Fn(&Value) -> Result<Vec<T>, Reason>) -> Vec<T> {
        let mut out = Vec::new();
        for c in self.columns(field).collect::<Vec<_>>() {
            match read(self.value(c)) {
                Ok(v) => out.extend(v),
                Err(reason) => self.problem_at(c, reason),
            }
        }
        out
    }

    fn text(&mut self, field: Field) -> Option<String> {
        self.read(field, |v, _| parse::text(v))
    }

    /// Whether the row's cell of `field` holds anything.
    pub(crate) fn gives(&mut self, field: Field) -> bool {
        self.text(field).is_some()
    }

    fn text_or_empty(&mut self, field: Field) -> String {
        self.text(field).unwrap_or_default()
    }

    /// The territory from the settlement column (the district column settling namesakes), or
    /// the district alone, or the default; a name the office lacks is a problem.
    fn territory(&mut self) -> Option<Id> {
        match self.place() {
            Place::Default => self.ctx.default_territory,
            Place::Found(id) => Some(id),
            Place::Unknown { field, message, .. } => {
                self.problem(Some(field), message);
                None
            }
        }
    }

    fn place(&mut self) -> Place {
        let district = self.text(Field::District);
        let (field, name, level) = match self.text(Field::Territory) {
            Some(name) => (Field::Territory, name, Level::Settlement),
            None => match &district {
                Some(d) => (Field::District, d.clone(), Level::District),
                None => return Place::Default,
            },
        };
        let district = district.filter(|_| field == Field::Territory);
        match self.ctx.places.lookup(&name, district.as_deref(), level) {
            Lookup::Found(id) => Place::Found(id),
            Lookup::Ambiguous(message) => Place::Unknown { field, name, message },
            Lookup::Missing => Place::Unknown {
                field,
                message: Text::new(
                    format!(
                        "территории «{name}» нет в справочнике офиса; её можно создать при импорте \
                         («создать недостающие территории»)"
                    ),
                    format!(
                        "the office has no territory «{name}»; the import can create it (\"create missing territories\")"
                    ),
                ),
                name,
            },
        }
    }

    fn money(&mut self, field: Field) -> Option<Kopecks> {
        self.read(field, parse::money)
    }

    fn count(&mut self, field: Field) -> i64 {
        self.read(field, |v, _| parse::count(v)).unwrap_or(0)
    }

    fn date(&mut self, field: Field) -> Option<NaiveDate> {
        self.read(field, |v, _| parse::date(v))
    }
}

/// The row's territory; its absence is a problem (records of these kinds must have one).
fn territory_required(row: &mut Row<'_>) -> Option<Id> {
    let before = row.problems.len();
    let territory = row.territory();
    if territory.is_none() && row.problems.len() == before {
        let field = [Field::Territory, Field::District].into_iter().find(|&f| row.has(f));
        row.problem(field, Text::new("не указан населённый пункт", "the territory is not given"));
    }
    territory
}
