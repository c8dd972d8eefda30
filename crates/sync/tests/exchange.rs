//! Two offices exchanging packages through their real databases.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use mestno_core::model::*;
use mestno_core::money::Kopecks;
use mestno_core::{FixedClock, Store};
use mestno_sync::exchange;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn project(territory: Id) -> InitiativeInput {
    mestno_demo::samples::project(territory, "Ремонт водопровода", Kopecks::rubles(900_000))
}

#[tokio::test]
async fn a_settlement_and_its_district_exchange_packages() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
    let district = Store::open(&dir.path().join("district.sqlite"), clock.clone(), "Район").await.unwrap();
    let village = Store::open(&dir.path().join("village.sqlite"), clock.clone(), "Село").await.unwrap();
    let region = district
        .create_territory(TerritoryInput {
            parent_id: None,
            kind: TerritoryKind::District,
            name: "Абанский район".into(),
            oktmo: String::new(),
            population: vec![],
        })
        .await
        .unwrap();
    let berezovka = district
        .create_territory(TerritoryInput {
            parent_id: Some(region.id),
            kind: TerritoryKind::Locality,
            name: "с. Берёзовка".into(),
            oktmo: String::new(),
            population: vec![],
        })
        .await
        .unwrap();

    // The district pairs first and sends its directory; the village answers with its card.
    let district_card = exchange::card(&district, Some(region.id)).await.unwrap();
    assert_eq!(district_card.territory_name, "Абанский район");
    // The village has no territories yet: its card names the territory the district gave it.
    exchange::pair(&village, &district_card, None).await.unwrap();
    // The village's identity needs its territory in its own database: it takes the card's
    // territory id; the tree arrives with the first package.
    let village_card = {
        let me =
            mestno_sync::package::Identity::generate(village.replica(), "Администрация с. Берёзовка", berezovka.id);
        village.set_setting("sync_identity", &me.to_secret()).await.unwrap();
        me.card()
    };
    exchange::pair(&district, &village_card, None).await.unwrap();

    let partner = exchange::find_partner(&district, village.replica()).await.unwrap();
    let (first, n) = exchange::export(&district, &partner).await.unwrap();
    assert!(n >= 2, "the district sends the village's territory and its parents");
    let loaded = exchange::load(&village, &first, false).await.unwrap();
    assert_eq!(loaded.from_office, district_card.office);
    assert_eq!(village.territory(berezovka.id).await.unwrap().input.name, "с. Берёзовка");

    // Loading the same package again is refused and changes nothing.
    let again = exchange::load(&village, &first, false).await.unwrap_err();
    assert!(again.message(mestno_core::Lang::Ru).contains("уже загружен"), "{again:?}");

    // The village enters a project; a preview says what would come, and changes nothing.
    clock.advance(Duration::minutes(5));
    let made = village.create_initiative(project(berezovka.id), Stage::Idea, date("2025-10-01")).await.unwrap();
    let to_district = exchange::find_partner(&village, district.replica()).await.unwrap();
    let (package, _) = exchange::export(&village, &to_district).await.unwrap();
    let preview = exchange::load(&district, &package, true).await.unwrap();
    assert_eq!(preview.applied.added.get("initiative"), Some(&1));
    assert!(district.initiative(made.id).await.is_err(), "a preview stores nothing");

    // A tampered package is refused, and nothing changes.
    let mut bad = package.clone();
    let middle = bad.len() / 2;
    bad[middle] ^= 0x40;
    assert!(exchange::load(&district, &bad, false).await.is_err());
    assert!(district.initiative(made.id).await.is_err());
    // Cut short: refused too.
    assert!(exchange::load(&district, &package[..package.len() - 10], false).await.is_err());

    let loaded = exchange::load(&district, &package, false).await.unwrap();
    assert_eq!(loaded.applied.added.get("initiative"), Some(&1));
    assert_eq!(district.initiative(made.id).await.unwrap().input, made.input);

    // The next package from the district to the village repeats nothing the village has: the
    // village's own project is acknowledged.
    let partner = exchange::find_partner(&district, village.replica()).await.unwrap();
    let (_, n) = exchange::export(&district, &partner).await.unwrap();
    assert_eq!(n, 0, "the village's own changes are not sent back");

    // A package meant for another office is refused.
    let other = Store::open(&dir.path().join("other.sqlite"), clock.clone(), "Другой").await.unwrap();
    other
        .set_setting(
            "sync_identity",
            &mestno_sync::package::Identity::generate(other.replica(), "Другой", berezovka.id).to_secret(),
        )
        .await
        .unwrap();
    exchange::pair(&other, &village_card, None).await.unwrap();
    assert!(exchange::load(&other, &package, false).await.is_err());
}
