//! Names in cells to the office's territories and programs.
//!
//! «с. Берёзовка», «Берёзовка», «село Березовка» all find the locality «с. Берёзовка»: names are
//! compared folded, then without the words that only say what kind of place it is. A name two
//! places share is settled by the district column; failing that the row says which places fit.

use std::collections::HashMap;

use mestno_core::model::{Id, Program, TerritoryKind};
use mestno_core::store::TerritoryNode;
use mestno_core::text::fold;
use mestno_core::{Lang, Text};

/// Words that say what kind of place a name is, not which (folded; one-letter abbreviations —
/// с., д., п., г., х., р-н — are dropped anyway).
const PLACE_WORDS: [&str; 38] = [
    "село",
    "деревня",
    "дер",
    "поселок",
    "пос",
    "пгт",
    "рп",
    "кп",
    "дп",
    "город",
    "станица",
    "ца",
    "хутор",
    "аул",
    "ст",
    "слобода",
    "сл",
    "нп",
    "район",
    "рн",
    "мр",
    "муниципальный",
    "муниципальное",
    "муниципального",
    "образование",
    "сельсовет",
    "сельское",
    "городское",
    "поселение",
    "округ",
    "городской",
    "мо",
    "сп",
    "гп",
    "го",
    "мпр",
    "рабочий",
    "городского",
];

/// The key a place is found by: its words without one-letter abbreviations and place words.
fn key(name: &str) -> String {
    fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1 && !PLACE_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name as written, folded and with its spaces collapsed.
fn exact(name: &str) -> String {
    fold(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Which column a name comes from: a district column names districts and okrugs, a settlement
/// column mostly settlements. Only breaks a tie between namesakes of different levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    /// A district, okrug or region.
    District,
    /// A settlement or a locality (or whatever the column names).
    Settlement,
}

impl Level {
    fn fits(self, kind: TerritoryKind) -> bool {
        use TerritoryKind::*;
        match self {
            Level::District => matches!(kind, Region | District | MunicipalOkrug | UrbanOkrug),
            Level::Settlement => matches!(kind, UrbanSettlement | RuralSettlement | Locality),
        }
    }

    /// The level of a territory the office lacks, from the way its name is written.
    pub(crate) fn kind_of(self, name: &str) -> TerritoryKind {
        use TerritoryKind::*;
        let f = format!(" {} ", fold(name).replace(['.', ',', '-', '(', ')', '/'], " "));
        let has = |w: &str| f.contains(&format!(" {w} "));
        if has("городской округ") || has("го") || has("г о") {
            UrbanOkrug
        } else if has("муниципальный округ") || has("мо") {
            MunicipalOkrug
        } else if has("район") || has("мр") || has("р н") || self == Level::District {
            District
        } else if has("сельсовет") || has("сельское поселение") || has("сп") || has("с с")
        {
            RuralSettlement
        } else if has("городское поселение") || has("гп") {
            UrbanSettlement
        } else {
            Locality
        }
    }
}

/// What looking a name up found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// One territory.
    Found(Id),
    /// None: the office lacks it.
    Missing,
    /// Several, none preferred: the person must say which.
    Ambiguous(Text),
}

/// The office's territories, indexed for lookup by name.
#[derive(Clone)]
pub(crate) struct Places {
    nodes: HashMap<Id, TerritoryNode>,
    exact: HashMap<String, Vec<Id>>,
    loose: HashMap<String, Vec<Id>>,
}

impl Places {
    pub(crate) fn new(territories: Vec<TerritoryNode>) -> Places {
        let mut places = Places { nodes: HashMap::new(), exact: HashMap::new(), loose: HashMap::new() };
        for t in territories {
            places.add(t);
        }
        places
    }

    /// Adds a territory to look up (one the import is about to create).
    pub(crate) fn add(&mut self, t: TerritoryNode) {
        self.exact.entry(exact(&t.name)).or_default().push(t.id);
        let k = key(&t.name);
        if !k.is_empty() {
            self.loose.entry(k).or_default().push(t.id);
        }
        self.nodes.insert(t.id, t);
    }

    /// The territory called `name`, inside `district` if one is given.
    pub(crate) fn find(&self, name: &str, district: Option<&str>) -> Result<Id, Text> {
        match self.lookup(name, district, Level::Settlement) {
            Lookup::Found(id) => Ok(id),
            Lookup::Missing => Err(Text::new(
                format!("территория «{name}» не найдена в справочнике территорий офиса"),
                format!("the office has no territory «{name}»"),
            )),
            Lookup::Ambiguous(text) => Err(text),
        }
    }

    /// Looks `name` up as a name of `level` written in a file, inside `district` if one is
    /// given: the exact name first, then the name without the words saying what kind of place it
    /// is; namesakes are settled by the district, then by the level.
    pub(crate) fn lookup(&self, name: &str, district: Option<&str>, level: Level) -> Lookup {
        let mut candidates = self.exact.get(&exact(name)).cloned().unwrap_or_default();
        if candidates.is_empty() {
            candidates = self.loose.get(&key(name)).cloned().unwrap_or_default();
        }
        if let Some(district) = district
            && let Lookup::Found(d) = self.lookup(district, None, Level::District)
        {
            let within: Vec<Id> = candidates.iter().copied().filter(|&c| self.is_within(c, d)).collect();
            if !within.is_empty() {
                candidates = within;
            } else if candidates.iter().all(|&c| self.in_a_district(c)) {
                // A namesake in another district is another place, which the office lacks.
                candidates.clear();
            }
        }
        if candidates.len() > 1 {
            let of_level: Vec<Id> = candidates.iter().copied().filter(|c| level.fits(self.nodes[c].kind)).collect();
            if !of_level.is_empty() {
                candidates = of_level;
            }
        }
        match candidates.as_slice() {
            [one] => Lookup::Found(*one),
            [] => Lookup::Missing,
            many => {
                let names: Vec<String> = many.iter().map(|&id| self.describe(id, Lang::Ru)).collect();
                let names_en: Vec<String> = many.iter().map(|&id| self.describe(id, Lang::En)).collect();
                Lookup::Ambiguous(Text::new(
                    format!("«{name}» — так называются несколько территорий: {}; укажите район", names.join(", ")),
                    format!("several territories are called «{name}»: {}; give the district", names_en.join(", ")),
                ))
            }
        }
    }

    /// The territory's name.
    pub(crate) fn name(&self, id: Id) -> &str {
        self.nodes.get(&id).map_or("", |n| n.name.as_str())
    }

    /// The one territory at the top of the office's tree, if it has exactly one (its region or
    /// its district): where territories of a file with no higher level go.
    pub(crate) fn single_root(&self) -> Option<Id> {
        let mut roots = self.nodes.values().filter(|n| n.parent_id.is_none());
        match (roots.next(), roots.next()) {
            (Some(one), None) => Some(one.id),
            _ => None,
        }
    }

    /// The territory's level.
    pub(crate) fn kind(&self, id: Id) -> Option<TerritoryKind> {
        self.nodes.get(&id).map(|n| n.kind)
    }

    /// Whether the territory lies inside a district-level territory (not at the top of a flat list).
    fn in_a_district(&self, id: Id) -> bool {
        let mut up = self.nodes.get(&id).and_then(|n| n.parent_id);
        for _ in 0..16 {
            match up.and_then(|p| self.nodes.get(&p)) {
                Some(n) if Level::District.fits(n.kind) && n.kind != TerritoryKind::Region => return true,
                Some(n) => up = n.parent_id,
                None => return false,
            }
        }
        false
    }

    fn is_within(&self, mut id: Id, ancestor: Id) -> bool {
        for _ in 0..16 {
            if id == ancestor {
                return true;
            }
            match self.nodes.get(&id).and_then(|n| n.parent_id) {
                Some(p) => id = p,
                None => return false,
            }
        }
        false
    }

    fn describe(&self, id: Id, lang: Lang) -> String {
        let node = &self.nodes[&id];
        match node.parent_id.and_then(|p| self.nodes.get(&p)) {
            Some(parent) => format!("{} ({})", node.name, parent.name),
            None => format!("{} ({})", node.name, node.kind.label(lang)),
        }
    }
}

/// The office's programs by code or name.
pub(crate) struct Programs(Vec<(String, String, Id)>);

impl Programs {
    pub(crate) fn new(programs: &[Program]) -> Programs {
        Programs(programs.iter().map(|p| (fold(&p.input.code), fold(&p.input.name), p.id)).collect())
    }

    /// A program's code, as registries write it.
    pub(crate) fn code(&self, id: Id) -> String {
        self.0.iter().find(|(_, _, p)| *p == id).map_or_else(String::new, |(code, _, _)| code.to_uppercase())
    }

    pub(crate) fn find(&self, text: &str) -> Result<Id, Text> {
        let f = fold(text);
        self.0.iter().find(|(code, name, _)| *code == f || *name == f).map(|(_, _, id)| *id).ok_or_else(|| {
            // What the office has, or, when it has none, how to add one.
            let codes: Vec<String> = self.0.iter().map(|(code, ..)| code.to_uppercase()).collect();
            if codes.is_empty() {
                Text::new(
                    format!("программы «{text}» в офисе нет: офис ещё не завёл ни одной программы — добавьте её в справочнике программ"),
                    format!("there is no program «{text}» in the office: it has no programs yet — add it to the programs"),
                )
            } else {
                Text::new(
                    format!("программы «{text}» в офисе нет; есть: {}", codes.join(", ")),
                    format!("there is no program «{text}» in the office; it has: {}", codes.join(", ")),
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: u128, parent: Option<u128>, kind: TerritoryKind, name: &str) -> TerritoryNode {
        TerritoryNode { id: Id::from_u128(id), parent_id: parent.map(Id::from_u128), kind, name: name.into() }
    }

    #[test]
    fn places_are_found_however_they_are_written_and_namesakes_by_district() {
        let places = Places::new(vec![
            node(1, None, TerritoryKind::District, "Абанский район"),
            node(2, None, TerritoryKind::District, "Ирбейский район"),
            node(3, Some(1), TerritoryKind::Locality, "с. Берёзовка"),
            node(4, Some(2), TerritoryKind::Locality, "д. Берёзовка"),
            node(5, Some(1), TerritoryKind::Locality, "п. Долгий Мост"),
        ]);
        assert_eq!(places.find("Долгий Мост", None), Ok(Id::from_u128(5)));
        assert_eq!(places.find("пос. Долгий мост", None), Ok(Id::from_u128(5)));
        assert_eq!(places.find("с. Березовка", None), Ok(Id::from_u128(3)), "the exact name wins over a namesake");
        let err = places.find("Берёзовка", None).unwrap_err();
        assert!(err.ru.contains("Абанский район") && err.ru.contains("Ирбейский район"), "{}", err.ru);
        assert_eq!(places.find("Берёзовка", Some("Ирбейский")), Ok(Id::from_u128(4)), "the district settles it");
        assert!(places.find("Тайга", None).unwrap_err().ru.contains("не найдена"));
    }

    #[test]
    fn offices_write_place_types_in_many_ways_and_a_district_is_told_from_its_namesake_council() {
        let places = Places::new(vec![
            node(1, None, TerritoryKind::District, "Манский район"),
            node(2, Some(1), TerritoryKind::RuralSettlement, "Манский сельсовет"),
            node(3, Some(1), TerritoryKind::Locality, "с. Новосёлово"),
            node(4, Some(1), TerritoryKind::Locality, "ст-ца Шумовская"),
            node(5, Some(1), TerritoryKind::Locality, "пгт Нижний Ингаш"),
            node(6, None, TerritoryKind::District, "Ирбейский район"),
        ]);
        let found = |name: &str, level| places.lookup(name, None, level);
        for written in ["Манский район", "Манский муниципальный район", "Манский МР", "манский р-н", "МАНСКИЙ"]
        {
            assert_eq!(found(written, Level::District), Lookup::Found(Id::from_u128(1)), "«{written}»");
        }
        assert_eq!(
            found("Манский", Level::Settlement),
            Lookup::Found(Id::from_u128(2)),
            "a settlement column: the council"
        );
        for written in ["Новоселово", "село Новосёлово", "с.Новоселово", "  с.  Новосёлово ", "НОВОСЁЛОВО"]
        {
            assert_eq!(found(written, Level::Settlement), Lookup::Found(Id::from_u128(3)), "«{written}»");
        }
        for written in ["станица Шумовская", "Шумовская", "ст. Шумовская"] {
            assert_eq!(found(written, Level::Settlement), Lookup::Found(Id::from_u128(4)), "«{written}»");
        }
        assert_eq!(found("рп Нижний Ингаш", Level::Settlement), Lookup::Found(Id::from_u128(5)));
        assert_eq!(found("д. Степановка", Level::Settlement), Lookup::Missing);
        assert_eq!(
            places.lookup("с. Новосёлово", Some("Ирбейский район"), Level::Settlement),
            Lookup::Missing,
            "a namesake in another district is not this place"
        );
    }

    #[test]
    fn the_level_of_a_place_the_office_lacks_is_read_from_how_it_is_written() {
        use TerritoryKind::*;
        for (name, level, kind) in [
            ("Манский район", Level::District, District),
            ("Манский МР", Level::Settlement, District),
            ("Шарыповский муниципальный округ", Level::District, MunicipalOkrug),
            ("г.о. Зеленогорск", Level::District, UrbanOkrug),
            ("Ирбейский", Level::District, District),
            ("Степановский сельсовет", Level::Settlement, RuralSettlement),
            ("сельское поселение Ромашка", Level::Settlement, RuralSettlement),
            ("с. Новосёлово", Level::Settlement, Locality),
            ("д. Степановка", Level::Settlement, Locality),
        ] {
            assert_eq!(level.kind_of(name), kind, "«{name}»");
        }
    }
}
