use chrono::{TimeZone, Utc};

use super::*;
use crate::FixedClock;
use crate::money::FundingSource;
use crate::store::ContactQuery;

/// `n` residents and their `n` initiatives, raw (the API would be too slow for thousands).
/// Consents: k % 3 = 0 from 01.03.2024 to 01.03.2026, 1 withdrawn on 01.06.2025, 2 none. They are
/// stored out of their names' order (a prime `n` numbers them k·7919 mod n), so that a report must
/// sort them.
const SETUP: [&str; 5] = [
    "INSERT INTO territories(id, kind, name, sort_key, created_at, updated_at, updated_by) VALUES (X'01', 'locality', 'с. Ёлкино', 'с. елкино', 0, 0, 'т')",
    "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n + 1 < ?) INSERT INTO contacts(id, kind, last_name, display_name, sort_key, created_at, updated_at, updated_by)
     SELECT randomblob(16), 'person', printf('Житель %05d', m), printf('Житель %05d', m), printf('житель %05d', m), 0, 0, 'т'
     FROM (SELECT n * 7919 % (SELECT count(*) FROM k) AS m FROM k)",
    "INSERT INTO consents(id, contact_id, purpose, given_on, method, expires_on, withdrawn_on, recorded_at)
     SELECT randomblob(16), id, 'ППМИ', '2024-03-01', 'written', iif(CAST(substr(last_name, 8) AS INTEGER) % 3 = 0, '2026-03-01', NULL),
            iif(CAST(substr(last_name, 8) AS INTEGER) % 3 = 1, '2025-06-01', NULL), 0 FROM contacts WHERE CAST(substr(last_name, 8) AS INTEGER) % 3 < 2",
    "INSERT INTO initiatives(id, title, sort_key, object_type, territory_id, year, stage, stage_on, initiator_kind, initiator_name,
         initiator_contact_id, total_cost_kopecks, created_at, updated_at, updated_by)
     SELECT randomblob(16), replace(display_name, 'Житель', 'Проект'), replace(sort_key, 'житель', 'проект'), 'roads', X'01', 2025,
            'application', '2025-03-01', 'resident', display_name, id, 1001, 0, 0, 'т' FROM contacts",
    "INSERT INTO budget_lines(initiative_id, source, planned_kopecks) SELECT id, 'regional', 1000 FROM initiatives
     UNION ALL SELECT id, 'residents', 1 FROM initiatives",
];

#[tokio::test]
async fn long_lists_stream_across_chunks_and_show_people_only_with_consent_in_force() {
    let day = |s: &str| -> NaiveDate { s.parse().unwrap_or_default() };
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()));
    let store = Store::open(&dir.path().join("office.sqlite"), clock, "тест").await.unwrap();
    let n = 3 * REPORT_BATCH as i64 + 7;
    assert!((2..n).take_while(|p| p * p <= n).all(|p| n % p != 0), "n is prime: k·7919 mod n numbers each once");
    let mut tx = store.begin().await.unwrap();
    for sql in SETUP {
        sqlx::query(sql).bind(n).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();

    let (mut rows, mut batches) = (Vec::new(), Vec::new());
    let keep = |batch: Vec<(usize, RegistryRow)>| {
        batches.push(batch.len());
        rows.extend(batch.into_iter().map(|(_, r)| r));
        std::future::ready(Ok::<_, Error>(()))
    };
    let count = store.registry_rows(&[ReportScope::default()], day("2025-01-01"), keep).await.unwrap();
    assert_eq!(count, n as u64, "every initiative");
    assert_eq!(batches, [REPORT_BATCH, REPORT_BATCH, REPORT_BATCH, 7], "handed over in batches, across four");
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row.title, format!("Проект {k:05}"), "sorted by title, none twice, none missed");
        let (regional, residents) = (row.planned[FundingSource::Regional], row.planned[FundingSource::Residents]);
        assert_eq!((regional, residents), (Kopecks(1000), Kopecks(1)), "sources in their columns");
        assert_eq!(row.initiator_name.is_some(), k % 3 < 2, "a resident is named only with consent in force");
    }
    for on in ["2024-02-29", "2024-03-01", "2025-05-31", "2025-06-01", "2026-03-01", "2026-03-02"] {
        let mut names = Vec::new();
        let keep = |batch: Vec<ReportContact>| {
            names.extend(batch.into_iter().map(|c| c.display_name));
            std::future::ready(Ok::<_, Error>(()))
        };
        let listed = store.contacts_with_consent(None, day(on), keep).await.unwrap();
        let withheld = store.contacts_withheld(None, day(on)).await.unwrap();
        let q = ContactQuery { consent_on: Some(day(on)), limit: 1, ..Default::default() };
        let core = store.list_contacts(&q).await.unwrap();
        assert_eq!(names.len() as i64, core.total, "on {on} the same people as the contacts list's consent filter");
        assert_eq!(
            (listed, listed + withheld),
            (names.len() as u64, n as u64),
            "on {on} everyone is listed or withheld"
        );
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted by name across batches");
    }
}

/// The page cache of each of the store's reading connections, KiB (negative) or pages.
async fn reader_caches(store: &Store) -> Vec<i64> {
    let pool = store.reader();
    let mut held = Vec::new();
    // Every connection the pool may hold at once, so the one a report used is among them.
    for _ in 0..pool.options().get_max_connections() {
        held.push(pool.acquire().await.unwrap());
    }
    let mut caches = Vec::new();
    for conn in &mut held {
        caches.push(sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut **conn).await.unwrap());
    }
    caches
}

#[tokio::test]
async fn a_report_that_stops_gives_its_connection_back_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()));
    let store = Store::open(&dir.path().join("office.sqlite"), clock, "тест").await.unwrap();
    let mut tx = store.begin().await.unwrap();
    for sql in SETUP {
        sqlx::query(sql).bind(5).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let before = reader_caches(&store).await;
    let reports = [REGISTRY_CACHE_KIB, CONTACTS_CACHE_KIB, ENGAGEMENT_CACHE_KIB];
    assert!(before.iter().all(|c| !reports.contains(&-c)), "the store's own cache size, not a report's: {before:?}");

    let stop = || std::future::ready(Err::<(), _>(Error::Storage(crate::Text::new("стоп", "stop"))));
    let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let registry = store.registry_rows(&[ReportScope::default()], day, |_| stop()).await;
    let contacts = store.contacts_with_consent(None, day, |_| stop()).await;
    assert!(registry.is_err() && contacts.is_err(), "the writer's refusal stops both readings");
    assert_eq!(reader_caches(&store).await, before, "every reading connection has its own cache size back");
    store.engagement_figures(&ReportScope::default(), &[]).await.unwrap();
    assert_eq!(reader_caches(&store).await, before, "and after the engagement report's counting");
}

#[tokio::test]
async fn persons_withheld_are_counted_alike_everywhere_and_on_a_territory() {
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()));
    let store = Store::open(&dir.path().join("office.sqlite"), clock, "тест").await.unwrap();
    // Persons: A with one consent in force and one expired, B with three in force (two given the
    // same day, the later recorded the latest), C with one withdrawn, D with none, and Ж with none
    // and no territory; organisations: E with a consent in force, F and З (on no territory) with
    // none.
    let setup = [
        "INSERT INTO territories(id, kind, name, sort_key, created_at, updated_at, updated_by) VALUES (X'00000000000000000000000000000001', 'locality', 'с. Ёлкино', 'с. елкино', 0, 0, 'т')",
        "INSERT INTO contacts(id, kind, last_name, org_name, display_name, sort_key, territory_id, created_at, updated_at, updated_by) VALUES
            (X'0000000000000000000000000000000A', 'person', 'А', '', 'А', 'а', X'00000000000000000000000000000001', 0, 0, 'т'), (X'0000000000000000000000000000000B', 'person', 'Б', '', 'Б', 'б', X'00000000000000000000000000000001', 0, 0, 'т'),
            (X'0000000000000000000000000000000C', 'person', 'В', '', 'В', 'в', X'00000000000000000000000000000001', 0, 0, 'т'), (X'0000000000000000000000000000000D', 'person', 'Г', '', 'Г', 'г', X'00000000000000000000000000000001', 0, 0, 'т'),
            (X'0000000000000000000000000000000E', 'organisation', '', 'ООО Д', 'ООО Д', 'ооо д', X'00000000000000000000000000000001', 0, 0, 'т'),
            (X'0000000000000000000000000000000F', 'organisation', '', 'ООО Е', 'ООО Е', 'ооо е', X'00000000000000000000000000000001', 0, 0, 'т'),
            (X'00000000000000000000000000000010', 'person', 'Ж', '', 'Ж', 'ж', NULL, 0, 0, 'т'),
            (X'00000000000000000000000000000011', 'organisation', '', 'ООО З', 'ООО З', 'ооо з', NULL, 0, 0, 'т')",
        "INSERT INTO consents(id, contact_id, purpose, given_on, method, expires_on, withdrawn_on, recorded_at) VALUES
            (X'000000000000000000000000000000A1', X'0000000000000000000000000000000A', 'ППМИ', '2025-01-01', 'written', NULL, NULL, 0),
            (X'000000000000000000000000000000A2', X'0000000000000000000000000000000A', 'ППМИ', '2020-01-01', 'written', '2021-01-01', NULL, 0),
            (X'000000000000000000000000000000B1', X'0000000000000000000000000000000B', 'ППМИ', '2025-01-01', 'written', NULL, NULL, 0),
            (X'000000000000000000000000000000B3', X'0000000000000000000000000000000B', 'Конкурс', '2025-02-01', 'oral', NULL, NULL, 0),
            (X'000000000000000000000000000000B2', X'0000000000000000000000000000000B', 'ТОС', '2025-02-01', 'oral', NULL, NULL, 0),
            (X'000000000000000000000000000000C1', X'0000000000000000000000000000000C', 'ППМИ', '2025-01-01', 'written', NULL, '2025-06-01', 0),
            (X'000000000000000000000000000000E1', X'0000000000000000000000000000000E', 'ППМИ', '2025-01-01', 'written', NULL, NULL, 0)",
    ];
    let mut tx = store.begin().await.unwrap();
    for sql in setup {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let on = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let territory = [Id::from_u128(1)];
    let everywhere = store.contacts_withheld(None, on).await.unwrap();
    let here = store.contacts_withheld(Some(&territory), on).await.unwrap();
    assert_eq!(
        (everywhere, here),
        (3, 2),
        "В, Г and Ж (on no territory): a person with consents in force counts once, organisations never"
    );
    let mut names = Vec::new();
    let keep = |batch: Vec<ReportContact>| {
        names.extend(batch.into_iter().map(|c| (c.display_name, c.territory, c.consent.map(|k| k.purpose))));
        std::future::ready(Ok::<_, Error>(()))
    };
    store.contacts_with_consent(None, on, keep).await.unwrap();
    let t = Some("с. Ёлкино".to_owned());
    let listed = [
        ("А".into(), t.clone(), Some("ППМИ".into())),
        ("Б".into(), t.clone(), Some("Конкурс".into())),
        ("ООО Д".into(), t.clone(), Some("ППМИ".into())),
        ("ООО Е".into(), t, None),
        ("ООО З".into(), None, None),
    ];
    assert_eq!(
        names, listed,
        "the others, each with its territory named and its latest consent in force (of one day, the last recorded)"
    );
}
