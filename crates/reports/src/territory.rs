//! The office's territories as reports group them: the registry subtotals by municipality;
//! money and engagement are shown for each part of the report's territory (each district of the
//! region, each village of a district).

use std::collections::HashMap;

use mestno_core::model::{Id, TerritoryKind, population_by_parts};
use mestno_core::store::TerritoryFigure;

use crate::error::{Error, Result};

/// The whole territory tree, in reading order.
pub(crate) struct Territories {
    nodes: HashMap<Id, TerritoryFigure>,
    children: HashMap<Option<Id>, Vec<Id>>,
    /// Position of each territory when sorted by name.
    rank: HashMap<Id, usize>,
}

/// A group of territories a report shows as one row or one block.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Group {
    /// The territory the group is named after.
    pub id: Id,
    /// It and every territory of the scope that lies within it, in reading order.
    pub members: Vec<Id>,
}

impl Territories {
    /// The tree from the store's list, which comes sorted by name.
    pub(crate) fn new(list: Vec<TerritoryFigure>) -> Territories {
        let mut t = Territories { nodes: HashMap::new(), children: HashMap::new(), rank: HashMap::new() };
        for (rank, node) in list.into_iter().enumerate() {
            t.children.entry(node.parent_id).or_default().push(node.id);
            t.rank.insert(node.id, rank);
            t.nodes.insert(node.id, node);
        }
        t
    }

    /// The territory's name.
    pub(crate) fn name(&self, id: Id) -> &str {
        self.nodes.get(&id).map_or("", |n| n.name.as_str())
    }

    /// `root` and everything within it (every territory when `None`), in reading order.
    pub(crate) fn within(&self, root: Option<Id>) -> Result<Vec<Id>> {
        let mut out = match root {
            None => self.nodes.keys().copied().collect(),
            Some(root) if !self.nodes.contains_key(&root) => return Err(Error::TerritoryNotFound(root)),
            Some(root) => {
                let (mut out, mut stack) = (Vec::new(), vec![root]);
                while let Some(t) = stack.pop() {
                    out.push(t);
                    stack.extend(self.children.get(&Some(t)).into_iter().flatten());
                }
                out
            }
        };
        out.sort_by_key(|t| self.rank[t]);
        Ok(out)
    }

    /// The nearest municipal district, okrug or urban okrug at or above `t`; `t` itself if none.
    pub(crate) fn municipality(&self, t: Id) -> Id {
        let mut at = Some(t);
        while let Some(node) = at.and_then(|id| self.nodes.get(&id)) {
            if matches!(node.kind, TerritoryKind::District | TerritoryKind::MunicipalOkrug | TerritoryKind::UrbanOkrug)
            {
                return node.id;
            }
            at = node.parent_id;
        }
        t
    }

    /// The territories of `scope` grouped by municipality, the groups in reading order.
    pub(crate) fn by_municipality(&self, scope: Option<Id>) -> Result<Vec<Group>> {
        self.grouped(scope, |t| self.municipality(t))
    }

    /// The territory whose parts a report lists: the scope's, or the single top territory (the
    /// region); `None` when the office keeps several top territories and no scope is set.
    pub(crate) fn parts_root(&self, scope: Option<Id>) -> Option<Id> {
        scope.or_else(|| match self.children.get(&None).map(Vec::as_slice) {
            Some([only]) => Some(*only),
            _ => None,
        })
    }

    /// The territories of `scope` grouped by the part of the scope's territory they lie in:
    /// each child of [`Territories::parts_root`] with everything within it, in reading order,
    /// then the root itself for what is recorded at its own level.
    pub(crate) fn by_part(&self, scope: Option<Id>) -> Result<Vec<Group>> {
        let root = self.parts_root(scope);
        let mut groups = self.grouped(scope, |t| {
            let mut at = t;
            while Some(at) != root {
                match self.nodes[&at].parent_id {
                    p if p == root => break,
                    Some(p) => at = p,
                    None => break,
                }
            }
            at
        })?;
        groups.sort_by_key(|g| (Some(g.id) == root, self.rank[&g.id]));
        Ok(groups)
    }

    fn grouped(&self, scope: Option<Id>, group_of: impl Fn(Id) -> Id) -> Result<Vec<Group>> {
        let mut index: HashMap<Id, usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        for t in self.within(scope)? {
            let g = group_of(t);
            let at = *index.entry(g).or_insert_with(|| {
                groups.push(Group { id: g, members: Vec::new() });
                groups.len() - 1
            });
            groups[at].members.push(t);
        }
        groups.sort_by_key(|g| self.rank[&g.id]);
        Ok(groups)
    }

    /// Population of `t`, counted as the dashboard counts it ([`population_by_parts`]).
    pub(crate) fn population(&self, t: Id) -> i64 {
        self.population_of([t])
    }

    /// Population of the scope: its territory's, or every top territory's together.
    pub(crate) fn scope_population(&self, scope: Option<Id>) -> i64 {
        match scope {
            Some(t) => self.population(t),
            None => self.population_of(self.children.get(&None).into_iter().flatten().copied()),
        }
    }

    fn population_of(&self, roots: impl IntoIterator<Item = Id>) -> i64 {
        population_by_parts(
            roots,
            |t| self.nodes.get(&t).and_then(|n| n.population),
            |t| self.children.get(&Some(t)).map_or(&[], Vec::as_slice),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(
        n: u128,
        parent: Option<u128>,
        kind: TerritoryKind,
        name: &str,
        population: Option<i64>,
    ) -> TerritoryFigure {
        TerritoryFigure {
            id: Id::from_u128(n),
            parent_id: parent.map(Id::from_u128),
            kind,
            name: name.into(),
            population,
        }
    }

    /// Край → Абанский район (Берёзовка 1200, Ёлкино 300), Богучанский район (own 5000; Ангарский 900).
    fn krai() -> Territories {
        let mut list = vec![
            node(1, None, TerritoryKind::Region, "Красноярский край", None),
            node(2, Some(1), TerritoryKind::District, "Абанский район", None),
            node(3, Some(2), TerritoryKind::Locality, "с. Берёзовка", Some(1200)),
            node(4, Some(2), TerritoryKind::Locality, "д. Ёлкино", Some(300)),
            node(5, Some(1), TerritoryKind::District, "Богучанский район", Some(5000)),
            node(6, Some(5), TerritoryKind::Locality, "п. Ангарский", Some(900)),
        ];
        list.sort_by_key(|n| n.name.to_lowercase());
        Territories::new(list)
    }

    fn ids(groups: &[Group]) -> Vec<(u128, Vec<u128>)> {
        groups.iter().map(|g| (g.id.as_u128(), g.members.iter().map(|m| m.as_u128()).collect())).collect()
    }

    #[test]
    fn the_registry_groups_villages_under_their_district() {
        let t = krai();
        assert_eq!(t.municipality(Id::from_u128(3)), Id::from_u128(2), "a village belongs to its district");
        assert_eq!(t.municipality(Id::from_u128(1)), Id::from_u128(1), "the region belongs to no district");
        let groups = ids(&t.by_municipality(None).unwrap());
        assert_eq!(
            groups,
            vec![(2, vec![2, 4, 3]), (5, vec![5, 6]), (1, vec![1])],
            "by district name, members by name"
        );
    }

    #[test]
    fn parts_are_the_districts_of_the_region_or_the_villages_of_a_district() {
        let t = krai();
        let region = ids(&t.by_part(None).unwrap());
        assert_eq!(
            region,
            vec![(2, vec![2, 4, 3]), (5, vec![5, 6]), (1, vec![1])],
            "districts, the region's own level last"
        );
        let district = ids(&t.by_part(Some(Id::from_u128(2))).unwrap());
        assert_eq!(district, vec![(4, vec![4]), (3, vec![3]), (2, vec![2])], "villages, then the district itself");
        assert!(t.by_part(Some(Id::from_u128(99))).is_err(), "an unknown territory is refused, not reported empty");
    }

    #[test]
    fn population_is_a_territorys_own_figure_or_the_sum_of_its_parts() {
        let t = krai();
        assert_eq!(t.population(Id::from_u128(2)), 1500, "a district without a figure adds its villages");
        assert_eq!(t.population(Id::from_u128(5)), 5000, "a district's own figure wins over its parts");
        assert_eq!(t.scope_population(None), 6500, "the region adds its districts");
    }
}
