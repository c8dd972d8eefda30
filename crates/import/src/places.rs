//! Names in cells to the office's territories and programs.
//!
//! «с. Берёзовка», «Берёзовка», «село Березовка» all find the locality «с. Берёзовка»: names are
//! compared folded, then without the words that only say what kind of place it is. A name two
//! places share is settled by the district column; failing that the row says which places fit.

use std::collections::HashMap;

use mestno_core::model::{Id, Program};
use mestno_core::store::TerritoryNode;
use mestno_core::text::fold;
use mestno_core::{Lang, Text};

/// Words that say what kind of place a name is, not which.
const PLACE_WORDS: [&str; 26] = [
    "село",
    "деревня",
    "поселок",
    "пос",
    "пгт",
    "рп",
    "город",
    "станица",
    "хутор",
    "аул",
    "ст",
    "район",
    "рн",
    "муниципальный",
    "муниципальное",
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
];

/// The key a place is found by: its words without one-letter abbreviations and place words.
fn key(name: &str) -> String {
    fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1 && !PLACE_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The office's territories, indexed for lookup by name.
pub(crate) struct Places {
    nodes: HashMap<Id, TerritoryNode>,
    exact: HashMap<String, Vec<Id>>,
    loose: HashMap<String, Vec<Id>>,
}

impl Places {
    pub(crate) fn new(territories: Vec<TerritoryNode>) -> Places {
        let mut exact: HashMap<String, Vec<Id>> = HashMap::new();
        let mut loose: HashMap<String, Vec<Id>> = HashMap::new();
        for t in &territories {
            exact.entry(fold(&t.name)).or_default().push(t.id);
            let k = key(&t.name);
            if !k.is_empty() {
                loose.entry(k).or_default().push(t.id);
            }
        }
        Places { nodes: territories.into_iter().map(|t| (t.id, t)).collect(), exact, loose }
    }

    /// The territory called `name`, inside `district` if one is given.
    pub(crate) fn find(&self, name: &str, district: Option<&str>) -> Result<Id, Text> {
        let mut candidates = self.exact.get(&fold(name)).cloned().unwrap_or_default();
        if candidates.is_empty() {
            candidates = self.loose.get(&key(name)).cloned().unwrap_or_default();
        }
        if candidates.len() > 1
            && let Some(district) = district
            && let Ok(d) = self.find(district, None)
        {
            let within: Vec<Id> = candidates.iter().copied().filter(|&c| self.is_within(c, d)).collect();
            if !within.is_empty() {
                candidates = within;
            }
        }
        match candidates.as_slice() {
            [one] => Ok(*one),
            [] => Err(Text::new(
                format!("территория «{name}» не найдена в справочнике территорий офиса"),
                format!("the office has no territory «{name}»"),
            )),
            many => {
                let names: Vec<String> = many.iter().map(|&id| self.describe(id, Lang::Ru)).collect();
                let names_en: Vec<String> = many.iter().map(|&id| self.describe(id, Lang::En)).collect();
                Err(Text::new(
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

    pub(crate) fn find(&self, text: &str) -> Result<Id, Text> {
        let f = fold(text);
        self.0.iter().find(|(code, name, _)| *code == f || *name == f).map(|(_, _, id)| *id).ok_or_else(|| {
            Text::new(
                format!("программа «{text}» не найдена: укажите её код, например ППМИ"),
                format!("no program «{text}»: give its code, e.g. ППМИ"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use mestno_core::model::TerritoryKind;

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
}
