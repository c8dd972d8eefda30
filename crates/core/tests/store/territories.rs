use mestno_core::ErrorCode;
use mestno_core::model::*;

use crate::util::*;

#[tokio::test]
async fn a_territory_is_found_by_name_whatever_the_case_or_yo() {
    let o = office().await;
    let g = geo(&o.store).await;
    assert_eq!(o.store.find_territory("д. ёлкино").await.unwrap(), g.elkino);
    assert_eq!(o.store.find_territory("Д. ЕЛКИНО").await.unwrap(), g.elkino);
    let err = o.store.find_territory("с. Нигдеево").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("с. Нигдеево"));
}

#[tokio::test]
async fn a_name_shared_by_two_villages_asks_which_one() {
    let o = office().await;
    let g = geo(&o.store).await;
    let other = territory(&o.store, Some(g.krai), TerritoryKind::District, "Канский район", &[]).await;
    territory(&o.store, Some(other), TerritoryKind::Locality, "с. Берёзовка", &[]).await;
    let err = o.store.find_territory("с. Берёзовка").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Ambiguous);
    let msg = err.to_string();
    assert!(msg.contains("Абанский район") && msg.contains("Канский район"), "names both districts: {msg}");
}

#[tokio::test]
async fn a_territory_cannot_be_put_inside_itself() {
    let o = office().await;
    let g = geo(&o.store).await;
    let district = o.store.territory(g.district).await.unwrap();
    let mut input = district.input.clone();
    input.parent_id = Some(g.elkino);
    let err = o.store.update_territory(g.district, district.stamp.rev, input).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "parent_id");
    assert_eq!(o.store.territory(g.district).await.unwrap().input.parent_id, Some(g.krai), "unchanged");
}

#[tokio::test]
async fn population_twice_for_one_year_is_refused() {
    let o = office().await;
    let err = o
        .store
        .create_territory(TerritoryInput {
            parent_id: None,
            kind: TerritoryKind::Region,
            name: "Край".into(),
            oktmo: "04abc".into(),
            population: vec![Population { year: 2024, population: 10 }, Population { year: 2024, population: 11 }],
        })
        .await
        .unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["oktmo", "population[1].year"]);
    assert_eq!(count(&o.store, "territories").await, 0);
}
