//! The krai, its districts and their villages, with population by year.

use std::collections::HashSet;
use std::ops::Range;

use mestno_core::Result;
use mestno_core::model::{Id, TerritoryKind};
use mestno_core::store::rows;
use mestno_core::text::fold;

use super::ids::Gen;
use super::vocab::{DISTRICTS, LOCALITY_ROOTS, LocalityKind};
use super::{Sink, report};

/// The first and last year with population figures.
pub(crate) const FIRST_YEAR: i32 = 2019;
pub(crate) const LAST_YEAR: i32 = 2025;

/// A village, settlement or town: where people live and projects are built.
pub(crate) struct Locality {
    pub id: Id,
    /// «с. Берёзовка».
    pub name: String,
    /// Index into [`Geography::districts`].
    pub district: usize,
    /// Residents in the last year.
    pub population: i64,
    /// The district's administrative centre.
    pub centre: bool,
}

/// A municipal district or okrug.
pub(crate) struct District {
    /// The district's index in [`DISTRICTS`], which also gives its codes.
    pub code: usize,
    /// Its localities, as indexes into [`Geography::localities`].
    pub localities: Range<usize>,
}

/// The territories made.
pub(crate) struct Geography {
    pub districts: Vec<District>,
    pub localities: Vec<Locality>,
    /// Every territory's id, each after its parent's.
    pub ids: Vec<Id>,
}

impl Geography {
    /// Territories in all: the region, its districts and their localities.
    pub(crate) fn territories(&self) -> u64 {
        (1 + self.districts.len() + self.localities.len()) as u64
    }

    /// The district's name.
    pub(crate) fn district_name(&self, district: usize) -> &'static str {
        DISTRICTS[self.districts[district].code].0
    }
}

/// Makes the region, `districts` of its districts (all 44 at most) and 8–25 localities in each.
pub(crate) fn generate(g: &mut Gen, sink: &mut Sink, districts: usize) -> Result<Geography> {
    const STAGE: &str = "территории";
    let opened = super::office_opened(g.today);
    let mut codes: Vec<usize> = (0..DISTRICTS.len()).collect();
    g.rng.shuffle(&mut codes);
    codes.truncate(districts.min(DISTRICTS.len()));
    codes.sort_unstable();

    let device = sink.device().to_owned();
    let row = |id, parent_id, kind, name: String, oktmo: String, at| rows::Territory {
        id,
        parent_id,
        kind,
        sort_key: fold(&name).into(),
        name: name.into(),
        oktmo: oktmo.into(),
        created_at: at,
        updated_at: at,
        updated_by: device.clone().into(),
    };
    let (region, at) = g.id_on(opened);
    let mut territories =
        vec![row(region, None, TerritoryKind::Region, "Красноярский край".into(), "04000000".into(), at)];
    let mut geo = Geography { districts: Vec::new(), localities: Vec::new(), ids: Vec::new() };
    let mut population: Vec<rows::Population> = Vec::new();
    for (d, &code) in codes.iter().enumerate() {
        let (name, centre) = DISTRICTS[code];
        let (id, at) = g.id_on(opened);
        let kind = if name.contains("муниципальный округ") {
            TerritoryKind::MunicipalOkrug
        } else {
            TerritoryKind::District
        };
        let district_oktmo = 601 + 3 * code;
        territories.push(row(id, Some(region), kind, name.into(), format!("04{district_oktmo:03}000"), at));
        let first = geo.localities.len();
        let count = g.rng.usize(8..=25);
        let mut used: HashSet<&str> = HashSet::new();
        used.insert(centre.split_once(' ').map_or(centre, |(_, root)| root));
        for k in 0..count {
            let (name, people, settlement) = if k == 0 {
                (centre.to_string(), g.log_uniform(5_000, 40_000), 151)
            } else {
                let (name, people) = village(g, &mut used);
                (name, people, 400 + k)
            };
            let (lid, at) = g.id_on(opened);
            let oktmo = format!("04{district_oktmo:03}{settlement:03}101");
            territories.push(row(lid, Some(id), TerritoryKind::Locality, name.clone(), oktmo, at));
            population.extend(history_of(g, lid, people, k == 0));
            geo.localities.push(Locality { id: lid, name, district: d, population: people, centre: k == 0 });
        }
        geo.districts.push(District { code, localities: first..geo.localities.len() });
    }

    let made = territories.len();
    geo.ids = territories.iter().map(|t| t.id).collect();
    sink.insert(territories)?;
    sink.insert(population)?;
    report(sink, STAGE, made, made)?;
    Ok(geo)
}

/// A village's name, unique in its district, and its population in the last year.
fn village(g: &mut Gen, used: &mut HashSet<&'static str>) -> (String, i64) {
    let mut root = g.pick(&LOCALITY_ROOTS);
    for _ in 0..50 {
        if !used.contains(root) {
            break;
        }
        root = g.pick(&LOCALITY_ROOTS);
    }
    if used.contains(root) {
        // Every root taken (never with 25 villages and 250 roots): walk to a free one.
        root = LOCALITY_ROOTS.iter().copied().find(|r| !used.contains(r)).unwrap_or(root);
    }
    used.insert(root);
    let kind = kind_for(g, root);
    let people = match kind {
        LocalityKind::UrbanSettlement => g.log_uniform(2_000, 12_000),
        LocalityKind::Village => g.log_uniform(150, 4_000),
        LocalityKind::Settlement => g.log_uniform(80, 3_000),
        LocalityKind::Hamlet => g.log_uniform(50, 800),
    };
    (format!("{} {root}", kind.abbreviation()), people)
}

/// The kind that agrees with the name: «п. Таёжный», «с. Никольское», «д. Ивановка».
fn kind_for(g: &mut Gen, root: &str) -> LocalityKind {
    use LocalityKind::*;
    let single = !root.contains(' ');
    if single && (root.ends_with("ый") || root.ends_with("ий") || root.ends_with("ой")) {
        return if g.chance(8) { UrbanSettlement } else { Settlement };
    }
    if single && (root.ends_with("ое") || root.ends_with("ее") || root.ends_with("ье")) {
        return Village;
    }
    if single && root.ends_with("ая") {
        return Hamlet;
    }
    g.weighted_pick(&[(Village, 42), (Hamlet, 38), (Settlement, 16), (UrbanSettlement, 4)])
}

/// Population for every year, drifting slowly (villages shrink, centres hold or grow), so that
/// the last year's figure is `last`.
fn history_of(g: &mut Gen, id: Id, last: i64, centre: bool) -> Vec<rows::Population> {
    // Yearly change in per mille: centres −5…+10, villages −25…+5.
    let trend = if centre { g.rng.i64(-5..=10) } else { g.rng.i64(-25..=5) };
    let (lo, hi) = if centre { (5_000, 40_000) } else { (50, 12_000) };
    let mut rows = Vec::with_capacity((LAST_YEAR - FIRST_YEAR + 1) as usize);
    let mut people = last;
    for year in (FIRST_YEAR..=LAST_YEAR).rev() {
        rows.push(rows::Population { territory_id: id, year, population: people.clamp(lo, hi) });
        let change = trend + g.rng.i64(-3..=3);
        people = people * 1000 / (1000 + change).max(900);
    }
    rows.reverse();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn village_kinds_agree_with_their_names() {
        let mut g = Gen::new(5, super::super::ids::ymd(2025, 1, 1));
        for _ in 0..50 {
            assert!(["п.", "пгт"].contains(&kind_for(&mut g, "Таёжный").abbreviation()));
            assert_eq!(kind_for(&mut g, "Никольское").abbreviation(), "с.");
        }
    }

    #[test]
    fn population_drifts_slowly_and_ends_at_the_last_figure() {
        let mut g = Gen::new(9, super::super::ids::ymd(2025, 1, 1));
        let rows = history_of(&mut g, Id::nil(), 1_000, false);
        assert_eq!(rows.len(), 7, "one figure a year, 2019–2025");
        assert_eq!(rows.last().map(|r| (r.year, r.population)), Some((2025, 1_000)));
        for pair in rows.windows(2) {
            let (a, b) = (pair[0].population, pair[1].population);
            assert!((a - b).abs() * 100 <= a * 3 + 100, "{a} → {b} changes by more than 3 % a year");
        }
    }
}
