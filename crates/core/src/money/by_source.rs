//! One value for each funding source: money by source from the SQL row to the report's sheet.

use std::ops::{Add, AddAssign, Index, IndexMut};

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{FundingSource, Kopecks};

/// One value for each [`FundingSource`], indexed by the source and listed in the order reports
/// list the sources ([`FundingSource::ALL`]). `BySource<Kopecks>` is money by source: it
/// serialises as `{"federal": …, "regional": …, …}` (the codes stored in the database), and crosses
/// to the UI as the TypeScript type `Funds`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BySource<T>([T; FundingSource::ALL.len()]);

impl<T> BySource<T> {
    /// Each source's value, from `value(source)`.
    pub fn from_fn(mut value: impl FnMut(FundingSource) -> T) -> Self {
        BySource(FundingSource::ALL.map(&mut value))
    }

    /// Each source's value, from `value(source)`, or the first error it gives.
    pub fn try_from_fn<E>(mut value: impl FnMut(FundingSource) -> Result<T, E>) -> Result<Self, E>
    where
        T: Default,
    {
        let mut values = BySource::<T>::default();
        for source in FundingSource::ALL {
            values[source] = value(source)?;
        }
        Ok(values)
    }

    /// The sources and their values, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (FundingSource, &T)> {
        FundingSource::ALL.into_iter().zip(&self.0)
    }
}

impl BySource<Kopecks> {
    /// All sources together.
    pub fn total(&self) -> Kopecks {
        self.0.iter().copied().sum()
    }

    /// Budget money: federal, regional and municipal ([`FundingSource::is_budget`]).
    pub fn budget(&self) -> Kopecks {
        self.iter().filter(|(source, _)| source.is_budget()).map(|(_, amount)| *amount).sum()
    }

    /// Extra-budgetary money: residents', businesses' and in kind.
    pub fn extra_budgetary(&self) -> Kopecks {
        self.iter().filter(|(source, _)| !source.is_budget()).map(|(_, amount)| *amount).sum()
    }
}

impl<T> Index<FundingSource> for BySource<T> {
    type Output = T;
    fn index(&self, source: FundingSource) -> &T {
        &self.0[source.index()]
    }
}

impl<T> IndexMut<FundingSource> for BySource<T> {
    fn index_mut(&mut self, source: FundingSource) -> &mut T {
        &mut self.0[source.index()]
    }
}

impl<T: AddAssign> AddAssign for BySource<T> {
    fn add_assign(&mut self, rhs: BySource<T>) {
        for (mine, theirs) in self.0.iter_mut().zip(rhs.0) {
            *mine += theirs;
        }
    }
}

impl<T: AddAssign> Add for BySource<T> {
    type Output = BySource<T>;
    fn add(mut self, rhs: BySource<T>) -> BySource<T> {
        self += rhs;
        self
    }
}

/// As a struct whose fields are the sources' codes, in report order.
impl<T: Serialize> Serialize for BySource<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("BySource", self.0.len())?;
        for (source, value) in self.iter() {
            fields.serialize_field(source.as_str(), value)?;
        }
        fields.end()
    }
}

#[cfg(feature = "ts")]
mod ts {
    use ts_rs::{Config, TS, TypeVisitor};

    use super::BySource;
    use crate::money::Kopecks;

    /// Money by source, kopecks.
    // The TypeScript shape of `BySource<Kopecks>`: one field for each source, named by its code
    // (a test checks the two agree). Never built: it only gives the declaration.
    #[derive(TS)]
    #[allow(dead_code)]
    pub(super) struct Funds {
        /// Federal budget.
        federal: i64,
        /// Regional subsidy.
        regional: i64,
        /// Municipal budget.
        municipal: i64,
        /// Residents.
        residents: i64,
        /// Businesses and sponsors.
        business: i64,
        /// Non-monetary contributions.
        in_kind: i64,
    }

    /// Declared as [`Funds`].
    impl TS for BySource<Kopecks> {
        type WithoutGenerics = Self;
        type OptionInnerType = Self;
        fn docs() -> Option<String> {
            <Funds as TS>::docs()
        }
        fn ident(cfg: &Config) -> String {
            <Funds as TS>::ident(cfg)
        }
        fn name(cfg: &Config) -> String {
            <Funds as TS>::name(cfg)
        }
        fn inline(cfg: &Config) -> String {
            <Funds as TS>::inline(cfg)
        }
        fn inline_flattened(cfg: &Config) -> String {
            <Funds as TS>::inline_flattened(cfg)
        }
        fn visit_dependencies(v: &mut impl TypeVisitor)
        where
            Self: 'static,
        {
            <Funds as TS>::visit_dependencies(v);
        }
        fn visit_generics(v: &mut impl TypeVisitor)
        where
            Self: 'static,
        {
            <Funds as TS>::visit_generics(v);
        }
        fn decl(cfg: &Config) -> String {
            <Funds as TS>::decl(cfg)
        }
        fn decl_concrete(cfg: &Config) -> String {
            <Funds as TS>::decl_concrete(cfg)
        }
        fn output_path() -> Option<std::path::PathBuf> {
            <Funds as TS>::output_path()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_has_its_own_slot_in_report_order() {
        let codes = BySource::from_fn(FundingSource::as_str);
        for (i, source) in FundingSource::ALL.into_iter().enumerate() {
            assert_eq!(source.index(), i, "the index of a source is its place in the reports");
            assert_eq!(codes[source], source.as_str());
        }
        let listed: Vec<_> = codes.iter().map(|(source, _)| source).collect();
        assert_eq!(listed, FundingSource::ALL, "listed in report order");
    }

    #[test]
    fn money_by_source_adds_up_by_source_and_splits_into_budget_and_the_rest() {
        let a = BySource::from_fn(|s| Kopecks(1 + s.index() as i64));
        let b = BySource::from_fn(|_| Kopecks(100));
        let sum = a + b;
        assert_eq!(sum[FundingSource::InKind], Kopecks(106), "added source by source");
        assert_eq!(a.total(), Kopecks(21));
        assert_eq!((a.budget(), a.extra_budgetary()), (Kopecks(6), Kopecks(15)), "federal, regional, municipal");
    }

    #[test]
    fn serialises_as_the_sources_codes_in_report_order() {
        let funds = BySource::from_fn(|s| Kopecks(s.index() as i64));
        assert_eq!(
            serde_json::to_string(&funds).unwrap(),
            r#"{"federal":0,"regional":1,"municipal":2,"residents":3,"business":4,"in_kind":5}"#
        );
    }

    #[cfg(feature = "ts")]
    #[test]
    fn its_typescript_shape_names_every_source() {
        use ts_rs::TS;
        let shape = <BySource<Kopecks> as TS>::inline(&ts_rs::Config::new().with_large_int("number"));
        let fields: Vec<&str> = shape.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').collect();
        for source in FundingSource::ALL {
            assert!(fields.contains(&source.as_str()), "{} in {shape}", source.as_str());
        }
        assert_eq!(shape.matches(": number").count(), FundingSource::ALL.len(), "{shape}");
    }
}
