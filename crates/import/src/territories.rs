//! Territories a file names that the office lacks. On its first day an office's directory is
//! empty, while its registry names «Манский район» and «с. Новосёлово» in every row: they are
//! found before any row is read, listed in the plan with where they would go, and — when the
//! person asks ([`crate::Mapping::create_territories`]) — created with the import, in the same
//! transaction, so that the rows naming them import as they are.

use std::collections::HashMap;

use mestno_core::model::{Id, TerritoryInput, TerritoryKind};
use mestno_core::store::{NewTerritory, TerritoryNode};
use serde::{Deserialize, Serialize};

use crate::fields::Field;
use crate::header::DataCells;
use crate::mapping::Column;
use crate::parse;
use crate::places::{Level, Lookup, Places};

/// A territory the file names that the office does not have.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedTerritory {
    /// Its name as the file first writes it.
    pub name: String,
    /// Its level, read from how the name is written and from its column.
    pub kind: TerritoryKind,
    /// The territory it would belong to (stored, or also new), if any.
    pub parent: Option<String>,
    /// Whether the parent is also new.
    pub parent_is_new: bool,
    /// How many rows name it.
    pub rows: u32,
    /// The first of them, as Excel numbers rows.
    pub first_row: u32,
}

/// What the file's place columns need: the territories to create (parents first), and the
/// office's territories with them added, for reading the rows.
pub(crate) struct Missing {
    pub planned: Vec<PlannedTerritory>,
    pub new: Vec<NewTerritory>,
    pub places: Places,
}

/// Looks up every name in the settlement and district columns of `rows`, planning a territory
/// for each name the office lacks: a district under the office's single top territory, a
/// settlement under its row's district (stored or new), else under `default_parent`, else under
/// the office's single top territory. A name that fits several territories is not planned: its
/// rows say which fit.
pub(crate) fn scan(
    cells: &DataCells<'_>,
    columns: &[Column],
    rows: impl Iterator<Item = usize>,
    places: &Places,
    default_parent: Option<Id>,
    mut new_id: impl FnMut() -> Id,
) -> Missing {
    let column = |f: Field| columns.iter().find(|c| c.field == f).map(|c| c.index);
    let (settlement_col, district_col) = (column(Field::Territory), column(Field::District));
    let mut places = places.clone();
    let root = places.single_root();
    let mut missing = Missing { planned: Vec::new(), new: Vec::new(), places: Places::new(Vec::new()) };
    let mut index: HashMap<Id, usize> = HashMap::new();
    let text = |r: usize, c: Option<usize>| c.and_then(|c| parse::text(cells.get(r, c)).ok().flatten());
    for r in rows {
        let district = text(r, district_col);
        let district_id = match &district {
            Some(name) => match places.lookup(name, None, Level::District) {
                Lookup::Found(id) => Some(id),
                Lookup::Ambiguous(_) => None,
                Lookup::Missing => {
                    let kind = Level::District.kind_of(name);
                    let parent = root.filter(|&p| places.kind(p) == Some(TerritoryKind::Region));
                    Some(plan(&mut missing, &mut places, &mut index, &mut new_id, name, kind, parent, r))
                }
            },
            None => None,
        };
        let settlement_id = text(r, settlement_col).and_then(|name| {
            match places.lookup(&name, district.as_deref(), Level::Settlement) {
                Lookup::Found(id) => Some(id),
                Lookup::Ambiguous(_) => None,
                Lookup::Missing => {
                    let kind = Level::Settlement.kind_of(&name);
                    let parent = district_id.or(default_parent).or(root);
                    Some(plan(&mut missing, &mut places, &mut index, &mut new_id, &name, kind, parent, r))
                }
            }
        });
        for id in [district_id, settlement_id].into_iter().flatten() {
            if let Some(&i) = index.get(&id) {
                missing.planned[i].rows += 1;
            }
        }
    }
    missing.places = places;
    missing
}

#[allow(clippy::too_many_arguments)]
fn plan(
    missing: &mut Missing,
    places: &mut Places,
    index: &mut HashMap<Id, usize>,
    new_id: &mut impl FnMut() -> Id,
    name: &str,
    kind: TerritoryKind,
    parent: Option<Id>,
    r: usize,
) -> Id {
    let id = new_id();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    places.add(TerritoryNode { id, parent_id: parent, kind, name: name.clone() });
    index.insert(id, missing.planned.len());
    missing.planned.push(PlannedTerritory {
        name: name.clone(),
        kind,
        parent: parent.map(|p| places.name(p).to_string()),
        parent_is_new: parent.is_some_and(|p| index.contains_key(&p)),
        rows: 0,
        first_row: r as u32 + 1,
    });
    missing.new.push(NewTerritory {
        id,
        input: TerritoryInput { parent_id: parent, kind, name, oktmo: String::new(), population: Vec::new() },
    });
    id
}
