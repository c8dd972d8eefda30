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

/// A settlement passed from one district to another reaches the new district whole: the
/// region's next package brings its people and projects, made before the move and never sent to
/// that district, with the links between them.
#[tokio::test]
async fn a_settlement_passed_to_another_district_reaches_it_by_package() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
    let region = Store::open(&dir.path().join("region.sqlite"), clock.clone(), "Край").await.unwrap();
    let place = |parent: Option<Id>, kind: TerritoryKind, name: &str| TerritoryInput {
        parent_id: parent,
        kind,
        name: name.into(),
        oktmo: String::new(),
        population: vec![],
    };
    let krai = region.create_territory(place(None, TerritoryKind::Region, "Красноярский край")).await.unwrap();
    let aban = region.create_territory(place(Some(krai.id), TerritoryKind::District, "Абанский район")).await.unwrap();
    let dzer =
        region.create_territory(place(Some(krai.id), TerritoryKind::District, "Дзержинский район")).await.unwrap();
    let village = region
        .create_territory(place(Some(aban.id), TerritoryKind::RuralSettlement, "Берёзовский сельсовет"))
        .await
        .unwrap();
    let person = region.create_contact(mestno_demo::samples::resident(village.id, 1, "В")).await.unwrap();
    let mut input = project(village.id);
    input.initiator.contact_id = Some(person.id);
    let club = region.create_initiative(input, Stage::Idea, date("2025-10-01")).await.unwrap();
    // Later work in the district itself: what the district takes is newer than the settlement's.
    region.create_contact(mestno_demo::samples::resident(dzer.id, 2, "Д")).await.unwrap();

    // The Dzerzhinsky district's office pairs with the region and takes its first package.
    let district = Store::open(&dir.path().join("district.sqlite"), clock.clone(), "Район").await.unwrap();
    exchange::pair(&district, &exchange::card(&region, None).await.unwrap(), None).await.unwrap();
    let district_card = {
        let me = mestno_sync::package::Identity::generate(district.replica(), "Дзержинский район", dzer.id);
        district.set_setting("sync_identity", &me.to_secret()).await.unwrap();
        me.card()
    };
    exchange::pair(&region, &district_card, Some(dzer.id)).await.unwrap();
    let send = || async {
        let partner = exchange::find_partner(&region, district.replica()).await.unwrap();
        let (bytes, _) = exchange::export(&region, &partner).await.unwrap();
        exchange::load(&district, &bytes, false).await.unwrap().applied
    };
    send().await;
    // Its answer acknowledges what it took: the region's next package holds only what is newer.
    let answer = exchange::find_partner(&district, region.replica()).await.unwrap();
    let (bytes, _) = exchange::export(&district, &answer).await.unwrap();
    exchange::load(&region, &bytes, false).await.unwrap();
    let partner = exchange::find_partner(&region, district.replica()).await.unwrap();
    assert_eq!(exchange::export(&region, &partner).await.unwrap().1, 0, "nothing new for the district");
    assert!(district.territory(village.id).await.is_ok(), "the directory of territories is shared");
    assert!(district.initiative(club.id).await.is_err(), "another district's project is not sent");

    // The region passes the settlement to the Dzerzhinsky district.
    clock.advance(Duration::minutes(5));
    let held = region.territory(village.id).await.unwrap();
    let mut moved = held.input.clone();
    moved.parent_id = Some(dzer.id);
    region.update_territory(village.id, held.stamp.rev, moved).await.unwrap();
    let applied = send().await;
    assert_eq!(applied.conflicts, 0, "{:?}", district.conflicts(true).await);
    assert_eq!(district.territory(village.id).await.unwrap().input.parent_id, Some(dzer.id));
    let there = district.initiative(club.id).await.expect("the settlement's project reaches its new district");
    assert_eq!(there.input, club.input, "with its initiator linked");
    assert_eq!(district.contact(person.id).await.unwrap().input, person.input);
}

/// A settlement's office receives its village's records from the district: the events and
/// projects there whose attendees or initiators live elsewhere (a district official, a
/// neighbouring village's resident) are stored all the same, with the people it holds; an edit
/// made in the settlement leaves the others' attendance as it was at the district; and a person
/// the district deleted is left out of the meeting the settlement renames, not kept waiting.
#[tokio::test]
async fn a_settlement_receives_its_events_with_attendees_from_elsewhere() {
    use mestno_demo::{DemoSpec, Scale};
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
    let path = dir.path().join("district.sqlite");
    let district = Store::open(&path, clock.clone(), "Район").await.unwrap();
    mestno_demo::generate(&district, DemoSpec { scale: Scale::Medium, seed: 7 }, &|_| {}).await.unwrap();
    let db = sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&path).read_only(true))
        .await
        .unwrap();
    let count = |sql: String| {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>(&sql).fetch_one(&db).await.unwrap() }
    };
    // The village with the most events attended by people from other places.
    let village: Id = sqlx::query_scalar(
        "SELECT e.territory_id FROM events e JOIN event_attendees a ON a.event_id = e.id
           JOIN contacts c ON c.id = a.contact_id
          WHERE c.territory_id IS NOT e.territory_id GROUP BY e.territory_id ORDER BY count(*) DESC LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let hex = village.simple();
    let events_there = count(format!("SELECT count(*) FROM events WHERE territory_id = x'{hex}'")).await;
    let projects_there = count(format!("SELECT count(*) FROM initiatives WHERE territory_id = x'{hex}'")).await;
    assert!(events_there > 0 && projects_there > 0, "{events_there} events, {projects_there} projects");

    // A new office for the village pairs with the district, which answers for the krai.
    let settlement = Store::open(&dir.path().join("village.sqlite"), clock.clone(), "Село").await.unwrap();
    let settlement_card = exchange::card(&settlement, None).await.unwrap();
    exchange::pair(&district, &settlement_card, Some(village)).await.unwrap();
    exchange::pair(&settlement, &exchange::card(&district, None).await.unwrap(), None).await.unwrap();
    let send = |from: &'static str| {
        let (a, b) = if from == "district" { (&district, &settlement) } else { (&settlement, &district) };
        async move {
            let partner = exchange::find_partner(a, b.replica()).await.unwrap();
            let (bytes, _) = exchange::export(a, &partner).await.unwrap();
            exchange::load(b, &bytes, false).await.unwrap().applied
        }
    };
    let first = |c: mestno_core::Result<Vec<mestno_core::store::SyncConflict>>| {
        c.map(|c| c.into_iter().take(2).collect::<Vec<_>>())
    };
    // What the district's window says waits for the settlement is what its package holds.
    let partner = exchange::find_partner(&district, settlement.replica()).await.unwrap();
    let scope = mestno_core::store::Scope { territories: Some(district.subtree(village).await.unwrap()) };
    let waiting = district.count_changes_within(&partner.acked, &scope).await.unwrap();
    assert!(waiting < district.count_changes_since(&partner.acked).await.unwrap(), "not all the district holds");
    let applied = send("district").await;
    assert_eq!(applied.new_changes + applied.known_changes + applied.refused, waiting, "{applied:?}");
    assert_eq!(applied.conflicts, 0, "{:?}", first(settlement.conflicts(true).await));
    assert_eq!(applied.added.get("event").copied().unwrap_or(0), events_there as u64, "{applied:?}");
    assert_eq!(applied.added.get("initiative").copied().unwrap_or(0), projects_there as u64, "{applied:?}");

    // An event with attendees from elsewhere: stored with those the settlement holds.
    let event: Id = sqlx::query_scalar(&format!(
        "SELECT e.id FROM events e JOIN event_attendees a ON a.event_id = e.id JOIN contacts c ON c.id = a.contact_id
          WHERE e.territory_id = x'{hex}' AND c.territory_id IS NOT e.territory_id LIMIT 1"
    ))
    .fetch_one(&db)
    .await
    .unwrap();
    let whole = district.event(event).await.unwrap();
    let here = settlement.event(event).await.unwrap();
    let mut held: Vec<Id> = Vec::new();
    for a in &whole.input.attendees {
        if settlement.contact(a.contact_id).await.is_ok() {
            held.push(a.contact_id);
        }
    }
    assert!(held.len() < whole.input.attendees.len(), "some attendees live elsewhere");
    let ids = |e: &Event| {
        let mut ids: Vec<Id> = e.input.attendees.iter().map(|a| a.contact_id).collect();
        ids.sort();
        ids
    };
    held.sort();
    assert_eq!(ids(&here), held, "the attendees the settlement holds");
    assert_eq!((&here.input.title, here.input.headcount), (&whole.input.title, whole.input.headcount));
    // A project the district enters for the village, put forward by a person from elsewhere:
    // the settlement stores it with her name, without the link; when it corrects her name, the
    // district keeps her linked.
    let outsider: Id = sqlx::query_scalar(&format!(
        "SELECT id FROM contacts WHERE kind = 'person' AND territory_id IS NOT x'{hex}' LIMIT 1"
    ))
    .fetch_one(&db)
    .await
    .unwrap();
    let mut input = project(village);
    input.initiator.contact_id = Some(outsider);
    input.initiator.name = "Жительница соседнего села".into();
    let made = district.create_initiative(input, Stage::Idea, date("2025-10-01")).await.unwrap();
    send("district").await;
    let there = settlement.initiative(made.id).await.unwrap();
    assert_eq!(
        (there.input.initiator.name.as_str(), there.input.initiator.contact_id),
        ("Жительница соседнего села", None)
    );
    clock.advance(Duration::minutes(1));
    let mut corrected = there.input.clone();
    corrected.initiator.name = "Жительница д. Соседней".into();
    settlement.update_initiative(made.id, there.stamp.rev, corrected).await.unwrap();
    let applied = send("settlement").await;
    assert_eq!(applied.conflicts, 0, "{:?}", first(district.conflicts(true).await));
    let at_district = district.initiative(made.id).await.unwrap();
    assert_eq!(
        (at_district.input.initiator.name.as_str(), at_district.input.initiator.contact_id),
        ("Жительница д. Соседней", Some(outsider)),
        "the new name, and still linked to her"
    );

    // The settlement renames the event; the district takes the new title and keeps everyone.
    clock.advance(Duration::minutes(5));
    let mut renamed = here.input.clone();
    renamed.title = format!("{} (протокол уточнён)", here.input.title);
    settlement.update_event(event, here.stamp.rev, renamed.clone()).await.unwrap();
    let applied = send("settlement").await;
    assert_eq!(applied.conflicts, 0, "{:?}", first(district.conflicts(true).await));
    let now = district.event(event).await.unwrap();
    assert_eq!(now.input.title, renamed.title);
    assert_eq!(ids(&now), ids(&whole), "everyone who attended, from wherever");

    // The settlement records a meeting with two of its people; the district deletes one of them
    // while the settlement renames the meeting: the district stores the new name, with the
    // person it still holds.
    let mut meeting = here.input.clone();
    meeting.title = "Сход по уличному освещению".to_owned();
    meeting.attendees.truncate(2);
    assert_eq!(meeting.attendees.len(), 2, "two people the settlement holds");
    meeting.headcount = 12;
    let made = settlement.create_event(meeting.clone()).await.unwrap();
    send("settlement").await;
    let gone = meeting.attendees[0].contact_id;
    clock.advance(Duration::minutes(5));
    district.delete_contact(gone).await.unwrap();
    let mut renamed = made.input.clone();
    renamed.title = "Сход по уличному освещению и тротуарам".to_owned();
    settlement.update_event(made.id, made.stamp.rev, renamed.clone()).await.unwrap();
    let applied = send("settlement").await;
    assert_eq!(applied.conflicts, 0, "{:?}", first(district.conflicts(true).await));
    let now = district.event(made.id).await.unwrap();
    assert_eq!(now.input.title, renamed.title);
    assert_eq!(ids(&now), vec![meeting.attendees[1].contact_id], "the person the district still holds");

    // A person from elsewhere who attended one of the village's events moves into the village:
    // the settlement receives her whole (her earlier entries with the move), and the events she
    // attended there now name her.
    let mover = whole
        .input
        .attendees
        .iter()
        .map(|a| a.contact_id)
        .find(|c| !held.contains(c) && *c != gone)
        .expect("an attendee from elsewhere");
    let before = district.contact(mover).await.unwrap();
    assert!(settlement.contact(mover).await.is_err(), "the settlement does not hold her yet");
    clock.advance(Duration::minutes(5));
    let mut moved = before.input.clone();
    moved.territory_id = Some(village);
    district.update_contact(mover, before.stamp.rev, moved.clone()).await.unwrap();
    let applied = send("district").await;
    assert_eq!(applied.conflicts, 0, "{:?}", first(settlement.conflicts(true).await));
    let arrived = settlement.contact(mover).await.expect("she is at the settlement now");
    assert_eq!(arrived.input, moved);
    let consents = |c: &Contact| c.consents.iter().map(|k| (k.id, k.withdrawn_on)).collect::<Vec<_>>();
    assert_eq!(consents(&arrived), consents(&before), "with her consents");
    let event_now = settlement.event(event).await.unwrap();
    assert!(ids(&event_now).contains(&mover), "the event she attended names her now");
    assert_eq!(event_now.input.title, district.event(event).await.unwrap().input.title);
}

/// An office that made its card before it had a name shows its name on the card it makes once
/// named, with the same code: its partner pairs again and sees who it is.
#[tokio::test]
async fn a_card_made_before_the_office_had_a_name_carries_it_once_named() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
    let office = Store::open(&dir.path().join("office.sqlite"), clock.clone(), "Офис").await.unwrap();
    let partner = Store::open(&dir.path().join("partner.sqlite"), clock, "Партнёр").await.unwrap();
    let first = exchange::card(&office, None).await.unwrap();
    assert_eq!(first.office, "");
    let mut profile = office.office_profile().await.unwrap();
    profile.name = "Администрация Абанского района".into();
    office.save_office_profile(&profile).await.unwrap();
    let named = exchange::card(&office, None).await.unwrap();
    assert_eq!(named.office, "Администрация Абанского района");
    assert_eq!(named.code(), first.code(), "the code to read over the phone stays");
    exchange::pair(&partner, &first, None).await.unwrap();
    exchange::pair(&partner, &named, None).await.unwrap();
    let partners = partner.partners().await.unwrap();
    assert_eq!(partners.len(), 1, "paired again, not twice");
    assert_eq!(partners[0].card["office"], "Администрация Абанского района");
}
