//! «Обмен данными» through the command table, as the window and `mestno sync` call it: a district
//! office and a new settlement office pair by cards, move packages by file, and meet a conflict.

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, TimeZone};
use mestno_core::{FixedClock, Store};
use mestno_office::{NoShell, Office, dispatch};
use serde_json::{Value, json};

async fn office(path: &Path, clock: Arc<FixedClock>, who: &str) -> Office {
    Office::from_store(Store::open(path, clock, who).await.unwrap()).await.unwrap()
}

async fn call(office: &Office, name: &str, args: Value) -> Result<Value, Value> {
    dispatch(office, name, args, &NoShell).await.map_err(|e| serde_json::to_value(e).unwrap())
}

fn project(territory: &Value, title: &str) -> Value {
    json!({
        "title": title, "description": "", "object_type": "culture",
        "territory_id": territory, "program_id": null, "year": 2025,
        "initiator": {"kind": "initiative_group", "name": "Жители", "contact_id": null},
        "total_cost": 100_000, "budget": [{"source": "residents", "planned": 100_000, "actual": 0, "note": ""}],
        "beneficiaries": 0, "supporters": 0, "votes": 0,
        "implementation": {"contractor": "", "contract_sum": null, "contract_date": null,
                           "start_date": null, "end_date": null, "percent_done": 0},
        "results": ""
    })
}

#[tokio::test]
async fn a_district_and_a_new_settlement_office_exchange_packages() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path();
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 16, 9, 0, 0).unwrap()));
    let district = office(&files.join("district.sqlite"), clock.clone(), "Кузнецова Е. А.").await;
    let village = office(&files.join("village.sqlite"), clock.clone(), "Иванова Н. П.").await;

    let setup = json!({"input": {"office_name": "Проектный офис Абанского района",
                                 "territory": {"kind": "district", "name": "Абанский район"}}});
    call(&district, "setup_office", setup).await.unwrap();
    let top = call(&district, "territories", json!({})).await.unwrap()[0]["id"].clone();
    let berezovka = call(
        &district,
        "save_territory",
        json!({"input": {"parent_id": top, "kind": "locality", "name": "с. Берёзовка"}}),
    )
    .await
    .unwrap()["id"]
        .clone();
    let elkino = call(
        &district,
        "save_territory",
        json!({"input": {"parent_id": top, "kind": "locality", "name": "д. Ёлкино"}}),
    )
    .await
    .unwrap()["id"]
        .clone();

    // Cards: the district's names its district; the new village office has no territories yet,
    // and the district says which one it answers for when it pairs.
    let district_card = files.join("район.mestno-pair");
    let village_card = files.join("берёзовка.mestno-pair");
    let written = call(&district, "sync_write_card", json!({"path": district_card})).await.unwrap();
    assert_eq!(written["code"].as_str().unwrap().len(), 19, "dddd-dddd-dddd-dddd: {written}");
    call(&village, "sync_write_card", json!({"path": village_card})).await.unwrap();
    let village_code = call(&village, "sync_status", json!({})).await.unwrap()["code"].clone();
    let partner = call(&district, "sync_pair", json!({"path": village_card, "territory": berezovka})).await.unwrap();
    assert_eq!(partner["territory_name"], "с. Берёзовка");
    assert_eq!(partner["code"], village_code, "the code the village reads out over the phone");
    let partner = call(&village, "sync_pair", json!({"path": district_card})).await.unwrap();
    assert_eq!(partner["office"], "Проектный офис Абанского района");
    assert_eq!(partner["territory_name"], "Абанский район");

    // The district's first package brings the territories.
    let status = call(&district, "sync_status", json!({})).await.unwrap();
    let village_id = status["partners"][0]["replica"].as_str().unwrap().to_owned();
    let waiting = status["partners"][0]["waiting"].as_u64().unwrap();
    assert!(waiting >= 3, "{status}");
    let first = files.join("1.mestno-sync");
    let written =
        call(&district, "sync_export", json!({"partner": village_id, "path": first, "files": false})).await.unwrap();
    assert_eq!(written["changes"].as_u64(), Some(waiting), "what waits is what the package holds: {written}");
    let preview = call(&village, "sync_load", json!({"path": first, "dryRun": true})).await.unwrap();
    assert_eq!(preview["applied"]["added"]["territory"], 3, "{preview}");
    assert_eq!(call(&village, "territories", json!({})).await.unwrap(), json!([]), "a preview writes nothing");
    call(&village, "sync_load", json!({"path": first, "dryRun": false})).await.unwrap();
    assert_eq!(call(&village, "territories", json!({})).await.unwrap().as_array().unwrap().len(), 3);
    let again = call(&village, "sync_load", json!({"path": first, "dryRun": false})).await.unwrap_err();
    assert!(again["message"].as_str().unwrap().contains("уже загружен"), "{again}");

    // The village enters its projects; the district gets the one in its territory, and the one
    // entered for another village is refused.
    clock.advance(Duration::minutes(10));
    let own = call(&village, "save_initiative", json!({"input": project(&berezovka, "Ремонт клуба")})).await.unwrap();
    call(&village, "save_initiative", json!({"input": project(&elkino, "Чужой проект")})).await.unwrap();
    let up = files.join("2.mestno-sync");
    call(&village, "sync_export", json!({"partner": "Проектный офис Абанского района", "path": up, "files": false}))
        .await
        .unwrap();
    let loaded = call(&district, "sync_load", json!({"path": up, "dryRun": false})).await.unwrap();
    assert_eq!(loaded["applied"]["added"]["initiative"], 1, "{loaded}");
    assert_eq!(loaded["applied"]["refused"], 1, "{loaded}");
    let there = call(&district, "initiative", json!({"id": own["id"]})).await.unwrap();
    assert_eq!(there["title"], "Ремонт клуба");

    // Both change the title before the next exchange: the later one wins, the other is listed.
    clock.advance(Duration::minutes(1));
    let input = project(&berezovka, "Ремонт клуба (район)");
    call(&district, "save_initiative", json!({"id": own["id"], "rev": there["stamp"]["rev"], "input": input}))
        .await
        .unwrap();
    clock.advance(Duration::minutes(1));
    let mine = call(&village, "initiative", json!({"id": own["id"]})).await.unwrap();
    let input = project(&berezovka, "Ремонт сельского клуба");
    call(&village, "save_initiative", json!({"id": own["id"], "rev": mine["stamp"]["rev"], "input": input}))
        .await
        .unwrap();
    let down = files.join("3.mestno-sync");
    call(&district, "sync_export", json!({"partner": village_id, "path": down, "files": false})).await.unwrap();
    call(&village, "sync_load", json!({"path": down, "dryRun": false})).await.unwrap();
    let conflicts = call(&village, "sync_conflicts", json!({"openOnly": true})).await.unwrap();
    let title = conflicts.as_array().unwrap().iter().find(|c| c["field"] == "title").cloned().expect("listed");
    assert_eq!(title["lost"], "Ремонт клуба (район)");
    assert_eq!(title["kept"], "Ремонт сельского клуба");

    // The village takes the district's title: a change that travels back.
    clock.advance(Duration::minutes(1));
    call(&village, "sync_take_other", json!({"id": title["id"]})).await.unwrap();
    let back = files.join("4.mestno-sync");
    call(&village, "sync_export", json!({"partner": "Проектный офис Абанского района", "path": back, "files": false}))
        .await
        .unwrap();
    call(&district, "sync_load", json!({"path": back, "dryRun": false})).await.unwrap();
    let there = call(&district, "initiative", json!({"id": own["id"]})).await.unwrap();
    assert_eq!(there["title"], "Ремонт клуба (район)");
    let status = call(&village, "sync_status", json!({})).await.unwrap();
    assert_eq!(status["open_conflicts"], 0, "{status}");
}

#[tokio::test]
async fn a_package_from_an_unpaired_office_or_a_broken_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path();
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 16, 9, 0, 0).unwrap()));
    let a = office(&files.join("a.sqlite"), clock.clone(), "А").await;
    let b = office(&files.join("b.sqlite"), clock.clone(), "Б").await;
    call(&a, "sync_write_card", json!({"path": files.join("a.card")})).await.unwrap();
    call(&b, "sync_write_card", json!({"path": files.join("b.card")})).await.unwrap();
    call(&a, "sync_pair", json!({"path": files.join("b.card")})).await.unwrap();
    let status = call(&a, "sync_status", json!({})).await.unwrap();
    let b_id = status["partners"][0]["replica"].clone();
    let package = files.join("p.mestno-sync");
    call(&a, "sync_export", json!({"partner": b_id, "path": package, "files": false})).await.unwrap();
    let refused = call(&b, "sync_load", json!({"path": package, "dryRun": false})).await.unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("не настроен"), "b never paired with a: {refused}");

    std::fs::write(files.join("junk.mestno-sync"), "это не пакет").unwrap();
    let junk =
        call(&b, "sync_load", json!({"path": files.join("junk.mestno-sync"), "dryRun": false})).await.unwrap_err();
    assert!(!junk["message"].as_str().unwrap().is_empty());
    let card_as_package = call(&b, "sync_pair", json!({"path": package})).await.unwrap_err();
    assert!(!card_as_package["message"].as_str().unwrap().is_empty(), "{card_as_package}");
}
