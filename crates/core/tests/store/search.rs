use mestno_core::Entity;
use mestno_core::model::*;
use mestno_core::store::{ContactQuery, EventQuery, InitiativeQuery, SearchHit};

use crate::util::*;

#[tokio::test]
async fn yo_and_ye_find_each_other_in_any_case_and_by_prefix() {
    let o = office().await;
    let g = geo(&o.store).await;
    let mut input = water(g.elkino, None);
    input.title = "Освещение улицы Зелёной".into();
    let i = o.store.create_initiative(input, Stage::Idea, date("2025-03-01")).await.unwrap();
    for q in ["зелёной", "ЗЕЛЕНОЙ", "зелен", "освещ зел", "Ёлкино"] {
        let hits = o.store.search(q, 10).await.unwrap();
        assert!(hits.iter().any(|h| h.id == i.id && h.entity == Entity::Initiative), "«{q}» finds the initiative");
    }
    assert!(o.store.search("зелёной школы", 10).await.unwrap().is_empty(), "every word must match");
}

#[tokio::test]
async fn a_contact_is_found_by_name_and_by_phone_in_any_notation() {
    let o = office().await;
    let mut input = person("Семёнов", "Фёдор", "Ильич", None);
    input.phones = vec!["+7 913 000 11 22".into()];
    let c = o.store.create_contact(input).await.unwrap();
    for q in ["семенов федор", "Семёнов", "8 (913) 000-11-22"] {
        let hits = o.store.search(q, 10).await.unwrap();
        assert_eq!(hits.first().map(|h| h.id), Some(c.id), "«{q}»");
    }
}

#[tokio::test]
async fn the_index_follows_edits_and_deletions() {
    let o = office().await;
    let g = geo(&o.store).await;
    let i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap();
    let mut renamed = i.input.clone();
    renamed.title = "Скважина для пожарного водоёма".into();
    o.store.update_initiative(i.id, i.stamp.rev, renamed).await.unwrap();
    assert!(o.store.search("водопровода", 10).await.unwrap().is_empty(), "the old title is gone from the index");
    assert_eq!(o.store.search("водоем", 10).await.unwrap().len(), 1);
    o.store.delete_initiative(i.id).await.unwrap();
    assert!(o.store.search("водоем", 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn fts_syntax_in_a_query_is_just_text() {
    let o = office().await;
    for q in ["\"", "NEAR(", "a OR", "*", "-", "(((", "'; DROP TABLE contacts; --"] {
        assert!(o.store.search(q, 10).await.is_ok(), "«{q}» must not break the search");
    }
}

/// Грачёвка with an asphalt road project, a resident living there, and a gathering about its
/// water supply.
struct Grachevka {
    road: Id,
    resident: Id,
    gathering: Id,
}

async fn grachevka(o: &Office) -> Grachevka {
    let g = geo(&o.store).await;
    let village = territory(&o.store, Some(g.district), TerritoryKind::Locality, "д. Грачёвка", &[]).await;
    let mut road = water(village, None);
    road.title = "Асфальтирование дороги по ул. Садовой".into();
    road.description = "Укладка асфальта, 600 м".into();
    road.object_type = ObjectType::Roads;
    let road = o.store.create_initiative(road, Stage::Idea, date("2025-03-01")).await.unwrap().id;
    let mut resident = person("Круглова", "Нина", "Ивановна", Some(village));
    resident.address = "д. Грачёвка, ул. Садовая, д. 3".into();
    let resident = o.store.create_contact(resident).await.unwrap().id;
    let mut gathering = event(village, EventKind::CitizensGathering, "2025-03-05 18:00", 40, &[]);
    gathering.title = "Сход: новый водопровод".into();
    let gathering = o.store.create_event(gathering).await.unwrap().id;
    Grachevka { road, resident, gathering }
}

fn ids(hits: &[SearchHit]) -> Vec<Id> {
    hits.iter().map(|h| h.id).collect()
}

#[tokio::test]
async fn other_endings_of_a_russian_word_find_it() {
    let o = office().await;
    let f = grachevka(&o).await;
    let cases: [(&str, &[Id], &str); 6] = [
        ("грачёвке", &[f.road, f.resident], "the project's village and the resident's address are «Грачёвка»"),
        ("в Грачёвке", &[f.road, f.resident], "as a person types it, with its preposition"),
        ("ГРАЧЕВКЕ", &[f.road, f.resident], "in capitals, with «е» for «ё»"),
        ("асфальтированию", &[f.road], "the title says «Асфальтирование»"),
        ("асфальтированию дорог", &[f.road], "«дорог» begins «дороги»"),
        ("водопроводов", &[f.gathering], "the gathering's title says «водопровод»"),
    ];
    for (q, want, why) in cases {
        let mut found = ids(&o.store.search(q, 10).await.unwrap());
        found.sort();
        let mut want = want.to_vec();
        want.sort();
        assert_eq!(found, want, "«{q}»: {why}");
    }
    let hits = o.store.search("водопроводов", 10).await.unwrap();
    assert_eq!(hits[0].snippet, "Сход: новый [водопровод]", "the snippet marks the word found in another form");
    for q in ["асфальтированию школы", "водопроводов грачевки"] {
        let hits = o.store.search(q, 10).await.unwrap();
        assert!(hits.is_empty(), "«{q}»: every word must still match one record: {hits:?}");
    }
}

#[tokio::test]
async fn list_filters_by_text_understand_endings_too() {
    let o = office().await;
    let f = grachevka(&o).await;
    let q = InitiativeQuery { text: Some("асфальтированию".into()), limit: 10, ..Default::default() };
    let page = o.store.list_initiatives(&q).await.unwrap();
    assert_eq!(page.items.iter().map(|i| i.id).collect::<Vec<_>>(), [f.road], "the list's text filter is the search's");
    let q = ContactQuery { text: Some("грачёвке".into()), limit: 10, ..Default::default() };
    let page = o.store.list_contacts(&q).await.unwrap();
    assert_eq!(page.items.iter().map(|c| c.id).collect::<Vec<_>>(), [f.resident]);
    let q = EventQuery { text: Some("водопроводов".into()), limit: 10, ..Default::default() };
    let page = o.store.list_events(&q).await.unwrap();
    assert_eq!(page.items.iter().map(|e| e.id).collect::<Vec<_>>(), [f.gathering]);
}

#[tokio::test]
async fn the_exact_word_in_a_title_ranks_above_other_endings() {
    let o = office().await;
    let g = geo(&o.store).await;
    // Older, with a long title: on bm25 alone the short «Водопровод» would win.
    let mut exact = water(g.berezovka, None);
    exact.title = "Замена сетей и ремонт водопроводов в с. Берёзовка по улицам Лесной, Новой и Школьной".into();
    let exact = o.store.create_initiative(exact, Stage::Idea, date("2025-03-01")).await.unwrap().id;
    let mut short = water(g.elkino, None);
    short.title = "Водопровод".into();
    short.description = "Водопровод для д. Ёлкино: водопровод и колонки".into();
    let short = o.store.create_initiative(short, Stage::Idea, date("2025-03-02")).await.unwrap().id;
    let hits = o.store.search("водопроводов", 10).await.unwrap();
    assert_eq!(ids(&hits), [exact, short], "«водопроводов» as written comes first, «Водопровод» after it");
    let hits = o.store.search("водопровод", 10).await.unwrap();
    assert_eq!(ids(&hits), [short, exact], "and «водопровод» puts «Водопровод» first");
}

#[tokio::test]
async fn an_exact_title_is_found_however_many_newer_records_share_its_stem() {
    let o = office().await;
    let exact = o.store.create_contact(person("Лесников", "Иван", "", None)).await.unwrap().id;
    // More newer «Лесникова» than the search ranks of one kind (200).
    for i in 0..210 {
        o.store.create_contact(person("Лесникова", &format!("Мария{i}"), "", None)).await.unwrap();
    }
    let hits = o.store.search("Лесников", 5).await.unwrap();
    assert_eq!(hits.first().map(|h| h.id), Some(exact), "the one «Лесников» comes first: {hits:?}");
    assert_eq!(hits.len(), 5, "the «Лесникова» follow it");
}
