use mestno_core::model::*;
use mestno_core::{Entity, ErrorCode, Store};

use crate::util::*;

#[tokio::test]
async fn a_backup_is_a_working_copy_and_never_overwrites() {
    let o = office().await;
    let g = geo(&o.store).await;
    o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap();
    let target = o._dir.path().join("копия.sqlite");
    let report = o.store.backup(&target).await.unwrap();
    assert!(report.bytes > 0);
    let copy = Store::open(&target, o.clock.clone(), "проверка").await.unwrap();
    assert_eq!(copy.search("водопровод", 5).await.unwrap().len(), 1, "the copy has the data and its index");
    assert!(copy.check().await.unwrap().ok);
    assert_eq!(o.store.backup(&target).await.unwrap_err().code(), ErrorCode::Refused);
}

#[tokio::test]
async fn the_check_passes_a_healthy_office_and_catches_a_damaged_attachment() {
    let o = office().await;
    let g = geo(&o.store).await;
    let i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap();
    let scan = o._dir.path().join("протокол.pdf");
    std::fs::write(&scan, b"%PDF-1.4 protocol").unwrap();
    let first = o.store.attach_file(Entity::Initiative, i.id, &scan).await.unwrap();
    let again = o.store.attach_file(Entity::Initiative, i.id, &scan).await.unwrap();
    assert_eq!(first.sha256, again.sha256);
    assert_eq!(std::fs::read(o.store.attachment_path(&first.sha256)).unwrap(), b"%PDF-1.4 protocol");
    assert_eq!(o.store.attachments(i.id).await.unwrap().len(), 2);
    let report = o.store.check().await.unwrap();
    assert!(report.ok, "{:?}", report.problems);

    std::fs::write(o.store.attachment_path(&first.sha256), b"tampered").unwrap();
    let report = o.store.check().await.unwrap();
    assert!(!report.ok);
    assert!(report.problems[0].ru.contains("протокол.pdf"), "{:?}", report.problems);
}

#[tokio::test]
async fn an_appeal_becomes_an_initiative_and_the_link_is_kept() {
    let o = office().await;
    let g = geo(&o.store).await;
    let appeal = o
        .store
        .create_appeal(AppealInput {
            received_on: date("2025-02-03"),
            channel: AppealChannel::Meeting,
            author_contact_id: None,
            territory_id: Some(g.berezovka),
            text: "Просим отремонтировать водопровод по ул. Лесной".into(),
            status: AppealStatus::New,
        })
        .await
        .unwrap();
    let (appeal, initiative) = o
        .store
        .convert_appeal(appeal.id, appeal.stamp.rev, water(g.berezovka, None), date("2025-02-10"))
        .await
        .unwrap();
    assert_eq!(appeal.initiative_id, Some(initiative.id));
    assert_eq!(appeal.input.status, AppealStatus::Converted);
    assert_eq!(initiative.stage, Stage::Idea);
    let twice = o
        .store
        .convert_appeal(appeal.id, appeal.stamp.rev, water(g.berezovka, None), date("2025-02-10"))
        .await
        .unwrap_err();
    assert_eq!(twice.code(), ErrorCode::Refused);
}

#[tokio::test]
async fn the_check_sees_the_search_index_as_written_not_as_a_reader_last_saw_it() {
    let o = office().await;
    let g = geo(&o.store).await;
    let mut i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap();
    for round in 0..8 {
        // Searches run on the reader connections…
        for q in ["водопровод", "замена", "берёзовка"] {
            o.store.search(q, 5).await.unwrap();
        }
        // …the writer changes it…
        let mut input = i.input.clone();
        input.description = format!("Замена 800 м труб, этап {round}");
        i = o.store.update_initiative(i.id, i.stamp.rev, input).await.unwrap();
        // …and the check must not take a stale cache for damage.
        let report = o.store.check().await.unwrap();
        assert!(report.ok, "round {round}: {:?}", report.problems);
    }
}
