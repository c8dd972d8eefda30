use mestno_core::Entity;
use mestno_core::model::*;

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
