//! Replicas: offices exchanging their changes converge, and the merge rule decides conflicts.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use mestno_core::model::*;
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::store::{Holdings, Scope};
use mestno_core::{FixedClock, Store};
use sqlx::Row;

use crate::util::{date, event, geo, person, ppmi, water};

pub struct Replicas {
    pub stores: Vec<Store>,
    pub clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
}

/// `n` office databases sharing one clock (each advances it as it writes).
pub async fn replicas(n: usize) -> Replicas {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
    let mut stores = Vec::new();
    for i in 0..n {
        let path = dir.path().join(format!("office-{i}.sqlite"));
        stores.push(Store::open(&path, clock.clone(), format!("сотрудник {i}")).await.unwrap());
    }
    Replicas { stores, clock, _dir: dir }
}

/// Sends what `to` lacks of `from`'s changes, as a package would (their bodies the text the
/// history keeps), and applies it.
pub async fn deliver(from: &Store, to: &Store) -> mestno_core::store::Applied {
    let acked: Holdings = to.holdings().await.unwrap();
    let changes = from.raw_changes_since(&acked, &Scope::default()).await.unwrap();
    to.apply_changes(&changes, &Scope::default()).await.unwrap()
}

/// The office's file, read straight, beside the store's own connections.
async fn file(store: &Store) -> sqlx::SqlitePool {
    let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(store.path()).read_only(true);
    sqlx::SqlitePool::connect_with(opts).await.unwrap()
}

/// Every table's records as text, without what differs between replicas by nature (stamps, the
/// ids of stage moves and consents, which each replica numbers as it writes them).
pub async fn content(store: &Store) -> Vec<String> {
    let pool = file(store).await;
    let skip = ["created_at", "updated_at", "updated_by", "rev", "recorded_at", "recorded_by", "deleted_at", "device"];
    let tables = [
        ("territories", false),
        ("territory_population", false),
        ("programs", false),
        ("program_cycles", false),
        ("contacts", false),
        ("contact_roles", false),
        ("contact_phones", false),
        ("contact_emails", false),
        ("contact_tags", false),
        ("consents", true),
        ("initiatives", false),
        ("budget_lines", false),
        ("stage_changes", true),
        ("events", false),
        ("event_attendees", false),
        ("event_initiatives", false),
        ("tombstones", false),
    ];
    let mut out = Vec::new();
    for (table, skip_id) in tables {
        let columns: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .fetch_all(&pool)
            .await
            .unwrap();
        let kept: Vec<String> = columns
            .into_iter()
            .filter(|c| !(skip.contains(&c.as_str()) || skip_id && c == "id"))
            .map(|c| format!("quote({c})"))
            .collect();
        let sql = format!("SELECT {} AS r FROM {table}", kept.join(" || '|' || "));
        let mut rows: Vec<String> = sqlx::query(&sql)
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{table}: {}", r.get::<String, _>("r")))
            .collect();
        rows.sort();
        out.extend(rows);
    }
    pool.close().await;
    out
}

#[tokio::test]
async fn a_settlements_initiative_reaches_the_district_whole() {
    let r = replicas(2).await;
    let (district, village) = (&r.stores[0], &r.stores[1]);
    let g = geo(district).await;
    let program = ppmi(district).await;
    deliver(district, village).await;
    r.clock.advance(Duration::minutes(5));
    let made =
        village.create_initiative(water(g.berezovka, Some(program)), Stage::Idea, date("2025-10-01")).await.unwrap();
    village.change_stage(made.id, made.stamp.rev, Stage::Discussion, date("2025-10-20"), "собрание").await.unwrap();

    let applied = deliver(village, district).await;
    assert_eq!(applied.added.get("initiative"), Some(&1));
    let there = district.initiative(made.id).await.unwrap();
    assert_eq!(there.input, made.input);
    assert_eq!(there.stage, Stage::Discussion);
    assert_eq!(there.stages.len(), 2);
    assert_eq!(content(district).await, content(village).await);

    // Loading the same changes again changes nothing.
    let again = deliver(village, district).await;
    assert_eq!(again.new_changes, 0);
    let changes = village.changes_since(&Holdings::new(), &Scope::default()).await.unwrap();
    let twice = district.apply_changes(&changes, &Scope::default()).await.unwrap();
    assert_eq!(twice.new_changes, 0);
    assert_eq!(twice.known_changes, changes.len() as u64);
    assert_eq!(content(district).await, content(village).await);
}

/// The indexes and triggers of an office, as its schema keeps them.
async fn schema(store: &Store) -> Vec<(String, String)> {
    let pool = file(store).await;
    let rows = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

/// A settlement's whole registry arriving at once is written as an import is: the district's
/// indexes and search triggers set aside while it goes in and put back after. The district
/// finds what arrived, keeps its schema, and finds what arrives after it record by record.
#[tokio::test]
async fn a_whole_registry_arrives_found_by_search_with_the_schema_as_it_was() {
    use mestno_core::store::{Batch, NewContact, NewInitiative};
    let r = replicas(2).await;
    let (district, village) = (&r.stores[0], &r.stores[1]);
    let g = geo(district).await;
    // The district holds a few people of its own: its contacts are outnumbered, not empty.
    let own: Vec<Id> = {
        let mut own = Vec::new();
        for i in 0..5 {
            own.push(
                district
                    .create_contact(person("Старостина", "Анна", &format!("Ивановна{i}"), Some(g.district)))
                    .await
                    .unwrap()
                    .id,
            );
        }
        own.sort();
        own
    };
    deliver(district, village).await;
    r.clock.advance(Duration::minutes(5));
    let n = 600;
    let name = |i: usize| if i == 17 { "Курочкина" } else { "Жителева" };
    let contacts = (0..n)
        .map(|i| NewContact {
            input: person(name(i), "Зоя", &format!("Петровна{i}"), Some(g.berezovka)),
            consent: None,
        })
        .collect();
    let initiatives = (0..n)
        .map(|i| {
            let mut input = water(g.berezovka, None);
            input.title = if i == 42 {
                "Благоустройство сквера Победы".into()
            } else {
                format!("Ремонт водопровода № {i}")
            };
            NewInitiative { input, stage: Stage::Idea, stage_on: date("2025-10-01"), meeting: None }
        })
        .collect();
    let ids = village
        .insert_batch(Batch { contacts, initiatives, ..Default::default() }, "реестр.xlsx", &|_| {})
        .await
        .unwrap();
    let events = (0..n)
        .map(|i| {
            let mut e = event(g.berezovka, EventKind::CitizensGathering, "2025-10-05 18:00", 30, &[ids.contacts[i]]);
            e.title = if i == 7 {
                "Сход о ремонте моста".into()
            } else {
                format!("Сход граждан № {i}")
            };
            e.initiative_ids = vec![ids.initiatives[i]];
            e
        })
        .collect();
    village.insert_batch(Batch { events, ..Default::default() }, "сходы.xlsx", &|_| {}).await.unwrap();
    let before = schema(district).await;

    let applied = deliver(village, district).await;
    for kind in ["contact", "initiative", "event"] {
        assert_eq!(applied.added.get(kind), Some(&(n as u64)), "{kind}: {applied:?}");
    }
    assert_eq!(content(district).await, content(village).await);
    assert_eq!(schema(district).await, before, "every index and trigger is back as it was");
    for (query, id) in [("Курочкина", ids.contacts[17]), ("сквера", ids.initiatives[42])] {
        let hits = district.search(query, 10).await.unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [id], "{query}");
    }
    assert_eq!(district.search("моста", 10).await.unwrap().len(), 1, "the events are found too");
    let mut found: Vec<Id> = district.search("Старостина", 10).await.unwrap().iter().map(|h| h.id).collect();
    found.sort();
    assert_eq!(found, own, "the district's own people, each found once");
    assert_eq!(district.search("водопровода", 200).await.unwrap().len(), 200, "and every one of the many");

    // What comes after, a record at a time, is indexed by the triggers put back.
    r.clock.advance(Duration::minutes(5));
    let late = village.create_contact(person("Журавлёва", "Ольга", "Ивановна", Some(g.berezovka))).await.unwrap();
    deliver(village, district).await;
    let hits = district.search("Журавлёва", 10).await.unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [late.id]);
    assert_eq!(content(district).await, content(village).await);
}

#[tokio::test]
async fn a_new_record_whose_reference_has_not_arrived_waits_and_nothing_else_is_lost() {
    let r = replicas(2).await;
    let (district, village) = (&r.stores[0], &r.stores[1]);
    let g = geo(district).await;
    deliver(district, village).await;
    r.clock.advance(Duration::minutes(5));
    let initiator = village.create_contact(person("Журавлёва", "Ольга", "Ивановна", Some(g.berezovka))).await.unwrap();
    let other = village.create_contact(person("Курочкина", "Зоя", "Петровна", Some(g.berezovka))).await.unwrap();
    let mut input = water(g.berezovka, None);
    input.initiator.contact_id = Some(initiator.id);
    let project = village.create_initiative(input, Stage::Idea, date("2025-10-01")).await.unwrap();

    // The district gets every change but the initiator's: the project refers to a person it
    // does not have, so it cannot be written in bulk with the rest.
    let acked = district.holdings().await.unwrap();
    let all = village.changes_since(&acked, &Scope::default()).await.unwrap();
    let (hers, rest): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.entity_id == initiator.id);
    let applied = district.apply_changes(&rest, &Scope::default()).await.unwrap();
    assert_eq!(applied.added.get("contact"), Some(&1), "{applied:?}");
    assert_eq!(district.contact(other.id).await.unwrap().input, other.input);
    assert!(district.initiative(project.id).await.is_err(), "the project waits for its initiator");
    let waiting = district.conflicts(true).await.unwrap();
    assert!(
        waiting.iter().any(|c| c.entity_id == project.id && c.message.contains("не сохранена")),
        "the journal says the project is not stored yet: {waiting:?}"
    );

    // Her change arrives: the project is written, and the journal no longer lists it.
    district.apply_changes(&hers, &Scope::default()).await.unwrap();
    let there = district.initiative(project.id).await.unwrap();
    assert_eq!(there.input.initiator.contact_id, Some(initiator.id));
    assert!(district.conflicts(true).await.unwrap().iter().all(|c| c.entity_id != project.id));
    assert_eq!(content(district).await, content(village).await);
}

#[tokio::test]
async fn concurrent_edits_of_a_field_go_to_the_later_one_and_the_loser_is_journaled() {
    let r = replicas(2).await;
    let (district, village) = (&r.stores[0], &r.stores[1]);
    let g = geo(district).await;
    let made = district.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-10-01")).await.unwrap();
    deliver(district, village).await;

    let mut input = made.input.clone();
    input.title = "Водопровод: район".into();
    r.clock.advance(Duration::minutes(1));
    district.update_initiative(made.id, made.stamp.rev, input).await.unwrap();
    let mut input = made.input.clone();
    input.title = "Водопровод: поселение".into();
    input.budget.push(mestno_core::model::BudgetLine {
        source: FundingSource::Business,
        planned: Kopecks::rubles(5_000),
        actual: Kopecks::ZERO,
        note: String::new(),
    });
    input.total_cost = input.budget.iter().map(|l| l.planned).sum();
    r.clock.advance(Duration::minutes(1));
    let theirs = village.initiative(made.id).await.unwrap();
    village.update_initiative(made.id, theirs.stamp.rev, input).await.unwrap();

    deliver(district, village).await;
    deliver(village, district).await;
    assert_eq!(content(district).await, content(village).await);
    let merged = district.initiative(made.id).await.unwrap();
    assert_eq!(merged.input.title, "Водопровод: поселение", "the later edit wins");
    assert!(merged.input.budget.iter().any(|l| l.source == FundingSource::Business));
    for store in [district, village] {
        let journal = store.conflicts(true).await.unwrap();
        let title: Vec<_> = journal.iter().filter(|c| c.field == "title").collect();
        assert_eq!(title.len(), 1, "{journal:?}");
        assert_eq!(title[0].lost, serde_json::json!("Водопровод: район"));
        assert_eq!(title[0].kept, serde_json::json!("Водопровод: поселение"));
        assert_eq!(title[0].title, "Водопровод: поселение", "the journal names the record as it is now");
    }

    // The district takes its own value back: a change like any other, and it travels.
    let conflict = district.conflicts(true).await.unwrap().into_iter().find(|c| c.field == "title").unwrap();
    r.clock.advance(Duration::minutes(1));
    district.take_other_value(conflict.id).await.unwrap();
    deliver(district, village).await;
    assert_eq!(village.initiative(made.id).await.unwrap().input.title, "Водопровод: район");
    assert_eq!(content(district).await, content(village).await);
}

#[tokio::test]
async fn a_delete_wins_over_a_concurrent_edit() {
    let r = replicas(2).await;
    let (district, village) = (&r.stores[0], &r.stores[1]);
    let g = geo(district).await;
    let made = district.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-10-01")).await.unwrap();
    deliver(district, village).await;
    r.clock.advance(Duration::minutes(1));
    district.delete_initiative(made.id).await.unwrap();
    r.clock.advance(Duration::minutes(1));
    let mut input = made.input.clone();
    input.votes = 99;
    village.update_initiative(made.id, made.stamp.rev, input).await.unwrap();

    deliver(village, district).await;
    deliver(district, village).await;
    assert!(district.initiative(made.id).await.is_err());
    assert!(village.initiative(made.id).await.is_err(), "the delete wins on both");
    let journal = village.conflicts(true).await.unwrap();
    assert!(journal.iter().any(|c| c.kind == "deleted" && c.field == "votes" && c.lost == serde_json::json!(99)));
    assert!(journal.iter().all(|c| c.title.is_empty()), "a deleted record has no title to show: {journal:?}");
    assert_eq!(content(district).await, content(village).await);
}

#[tokio::test]
async fn changes_outside_the_senders_territory_are_refused() {
    let r = replicas(2).await;
    let (district, village) = (&r.stores[0], &r.stores[1]);
    let g = geo(district).await;
    deliver(district, village).await;
    r.clock.advance(Duration::minutes(1));
    // The village office enters a project for the other village.
    let elsewhere = village.create_initiative(water(g.elkino, None), Stage::Idea, date("2025-10-01")).await.unwrap();
    let own = village.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-10-01")).await.unwrap();
    let changes = village.changes_since(&district.holdings().await.unwrap(), &Scope::default()).await.unwrap();
    let sender = Scope { territories: Some([g.berezovka].into_iter().collect()) };
    let applied = district.apply_changes(&changes, &sender).await.unwrap();
    assert_eq!(applied.refused, 1);
    assert!(district.initiative(own.id).await.is_ok());
    assert!(district.initiative(elsewhere.id).await.is_err());
}
