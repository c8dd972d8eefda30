use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use mestno_core::model::{
    CofinancingRules, ContactInput, ContactKind, Id, ProgramInput, ProgramKind, TerritoryInput, TerritoryKind,
};
use mestno_core::{FixedClock, Store};
use mestno_import::{CommitOptions, Kind, Mapping, Plan, Source, Summary};

/// A fresh office on 1 November 2025 with two districts, their villages (two called Берёзовка)
/// and the ППМИ program.
pub struct Office {
    pub store: Store,
    pub dir: tempfile::TempDir,
    pub berezovka: Id,
    pub ivanovka: Id,
    pub dolgy_most: Id,
    pub irbey_berezovka: Id,
    pub ppmi: Id,
}

impl Office {
    pub async fn new() -> Office {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
        let store = Store::open(&dir.path().join("office.sqlite"), clock, "Петрова О. В.").await.unwrap();
        let region = territory(&store, None, TerritoryKind::Region, "Красноярский край").await;
        let abansky = territory(&store, Some(region), TerritoryKind::District, "Абанский район").await;
        let irbey = territory(&store, Some(region), TerritoryKind::District, "Ирбейский район").await;
        let berezovka = territory(&store, Some(abansky), TerritoryKind::Locality, "с. Берёзовка").await;
        let ivanovka = territory(&store, Some(abansky), TerritoryKind::Locality, "д. Ивановка").await;
        let dolgy_most = territory(&store, Some(abansky), TerritoryKind::Locality, "п. Долгий Мост").await;
        let irbey_berezovka = territory(&store, Some(irbey), TerritoryKind::Locality, "д. Берёзовка").await;
        let ppmi = store
            .create_program(ProgramInput {
                code: "ППМИ".into(),
                name: "Программа поддержки местных инициатив".into(),
                kind: ProgramKind::Ppmi,
                description: String::new(),
                rules: CofinancingRules { min_residents_share_bp: 300, ..Default::default() },
                cycles: vec![],
            })
            .await
            .unwrap()
            .id;
        Office { store, dir, berezovka, ivanovka, dolgy_most, irbey_berezovka, ppmi }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Reads `file`, validates it as `kind` with the guessed mapping (plus `adjust`).
    pub async fn plan(&self, file: &Path, kind: Kind, adjust: impl FnOnce(&mut Mapping)) -> Plan {
        let source = mestno_import::open(file).unwrap();
        self.plan_source(&source, kind, adjust).await
    }

    pub async fn plan_source(&self, source: &Source, kind: Kind, adjust: impl FnOnce(&mut Mapping)) -> Plan {
        let mut mapping = Mapping::guessed(kind);
        adjust(&mut mapping);
        mestno_import::validate(&self.store, source, &mapping).await.unwrap()
    }

    pub async fn commit(&self, plan: &Plan, skip_bad: bool) -> mestno_import::Result<Summary> {
        mestno_import::commit(&self.store, plan, CommitOptions { skip_bad }, &|_| {}).await
    }

    /// Every table's row count and the sum of its rows' lengths, read straight from the file:
    /// what "the database is exactly as it was" compares.
    pub async fn fingerprint(&self) -> Vec<(String, i64, i64)> {
        fingerprint(&self.dir.path().join("office.sqlite")).await
    }

    pub async fn add_contact(&self, last: &str, first: &str, territory: Option<Id>, phones: &[&str]) -> Id {
        self.store
            .create_contact(ContactInput {
                kind: ContactKind::Person,
                last_name: last.into(),
                first_name: first.into(),
                middle_name: String::new(),
                org_name: String::new(),
                position: String::new(),
                territory_id: territory,
                address: String::new(),
                notes: String::new(),
                roles: vec![],
                phones: phones.iter().map(|p| p.to_string()).collect(),
                emails: vec![],
                tags: vec![],
            })
            .await
            .unwrap()
            .id
    }
}

async fn territory(store: &Store, parent: Option<Id>, kind: TerritoryKind, name: &str) -> Id {
    store
        .create_territory(TerritoryInput {
            parent_id: parent,
            kind,
            name: name.into(),
            oktmo: String::new(),
            population: vec![],
        })
        .await
        .unwrap()
        .id
}

/// Every table's row count and total length of its rows, from the database file at `path`.
pub async fn fingerprint(path: &Path) -> Vec<(String, i64, i64)> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Row};
    let mut conn = SqliteConnectOptions::new().filename(path).read_only(true).connect().await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let columns: Vec<String> = sqlx::query(&format!("SELECT name FROM pragma_table_info('{t}')"))
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        let length = columns.iter().map(|c| format!("coalesce(length(\"{c}\"), 0)")).collect::<Vec<_>>().join(" + ");
        let row = sqlx::query(&format!("SELECT count(*), coalesce(sum({length}), 0) FROM \"{t}\""))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        out.push((t, row.get::<i64, _>(0), row.get::<i64, _>(1)));
    }
    out
}
