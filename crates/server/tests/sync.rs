//! Offices syncing through a real PostgreSQL (scripts/pg-test.sh starts it).

mod common;

use common::*;
use mestno_core::model::*;
use mestno_server::{Invitation, ServerError, revoke_office, sync};

#[tokio::test]
async fn two_settlements_and_their_district_converge_and_a_conflict_reaches_the_journal() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    // The district sends the territory tree first; the settlements start empty.
    let first = sync(&s.district, &s.d_inv).await.unwrap();
    assert_eq!(first.pushed, 3);
    let got = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(got.pulled, 3, "{got:?}");
    assert_eq!(s.a.territories().await.unwrap().len(), 3);
    sync(&s.b, &s.b_inv).await.unwrap();

    // Each settlement works on its own; the district too.
    let a_project = s.a.create_initiative(project(s.a_id, "Водопровод в Берёзовке"), Stage::Idea, day()).await.unwrap();
    add_people(&s.a, s.a_id, 20, "А").await;
    let b_project = s.b.create_initiative(project(s.b_id, "Клуб в Долгом Мосту"), Stage::Idea, day()).await.unwrap();
    add_people(&s.b, s.b_id, 30, "Б").await;
    let pushed = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(pushed.pushed, 21);
    sync(&s.b, &s.b_inv).await.unwrap();
    let d = sync(&s.district, &s.d_inv).await.unwrap();
    assert_eq!(d.pulled, 52, "{d:?}");
    assert_eq!(d.applied.new_changes, 52);
    assert_eq!(s.district.initiative(a_project.id).await.unwrap().input.title, "Водопровод в Берёзовке");
    assert_eq!(s.district.initiative(b_project.id).await.unwrap().input.title, "Клуб в Долгом Мосту");
    // A settlement sees nothing of its neighbour's.
    let again = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!((again.pushed, again.pulled), (0, 0), "{again:?}");
    assert!(s.a.initiative(b_project.id).await.is_err());
    assert_eq!(changes(&s.a).await, 3 + 21);

    // The district and the settlement change the same project's title while apart.
    let at_district = s.district.initiative(a_project.id).await.unwrap();
    let mut input = at_district.input.clone();
    input.title = "Водопровод (район)".into();
    s.district.update_initiative(a_project.id, at_district.stamp.rev, input).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let at_a = s.a.initiative(a_project.id).await.unwrap();
    let mut input = at_a.input.clone();
    input.title = "Водопровод (село)".into();
    s.a.update_initiative(a_project.id, at_a.stamp.rev, input).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    let a_sync = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(a_sync.applied.conflicts, 1, "{a_sync:?}");
    let d_sync = sync(&s.district, &s.d_inv).await.unwrap();
    assert_eq!(d_sync.applied.conflicts, 1, "{d_sync:?}");
    // Both keep the later title, and both journal the other.
    for store in [&s.district, &s.a] {
        assert_eq!(store.initiative(a_project.id).await.unwrap().input.title, "Водопровод (село)");
        let journal = store.conflicts(true).await.unwrap();
        assert_eq!(journal.len(), 1);
        assert_eq!(journal[0].field, "title");
        assert_eq!(journal[0].lost, serde_json::json!("Водопровод (район)"));
    }
    // The server records which office pushed each change.
    let mut admin = admin(&pg).await;
    let by: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT pushed_by FROM mestno.changes WHERE entity_id = $1 ORDER BY 1")
            .bind(a_project.id)
            .fetch_all(&mut admin)
            .await
            .unwrap();
    let mut expected = vec![s.a_inv.login.clone(), s.d_inv.login.clone()];
    expected.sort();
    assert_eq!(by, expected);
    let _ = &s.b_inv;
}

#[tokio::test]
async fn a_connection_cut_mid_sync_loses_nothing_and_the_next_sync_finishes() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    sync(&s.district, &s.d_inv).await.unwrap();
    sync(&s.a, &s.a_inv).await.unwrap();
    add_people(&s.a, s.a_id, 9_000, "А").await;
    // The server ends every connection of the settlement's login while it pushes.
    let login = s.a_inv.login.clone();
    let url = pg.url.clone();
    let killer = tokio::spawn(async move {
        let mut admin = sqlx::Connection::connect(&url).await.map(|c: sqlx::PgConnection| c).unwrap();
        loop {
            let pushed: i64 = sqlx::query_scalar("SELECT count(*) FROM mestno.changes WHERE pushed_by = $1")
                .bind(&login)
                .fetch_one(&mut admin)
                .await
                .unwrap();
            if pushed > 0 {
                sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1")
                    .bind(&login)
                    .execute(&mut admin)
                    .await
                    .unwrap();
                return pushed;
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    });
    let cut = sync(&s.a, &s.a_inv).await;
    let pushed_before_cut = killer.await.unwrap();
    assert!(cut.is_err(), "the sync was cut: {cut:?}");
    assert!(pushed_before_cut > 0 && pushed_before_cut < 9_000, "{pushed_before_cut}");
    // What committed stays; the next sync pushes the rest, and the district gets all of it.
    let next = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(next.pushed as i64 + pushed_before_cut, 9_000, "{next:?}");
    let d = sync(&s.district, &s.d_inv).await.unwrap();
    assert_eq!(d.applied.new_changes, 9_000);
    assert_eq!(changes(&s.district).await, 3 + 9_000);

    // A pull cut short the same way, once the first batch is applied: the office's cursor
    // moves only with what it applied, and the next sync pulls the rest.
    add_people(&s.district, s.a_id, 5_000, "Р").await;
    sync(&s.district, &s.d_inv).await.unwrap();
    let key = mestno_server::sync::cursor_key(s.a_inv.server_id);
    let before = s.a.setting(&key).await.unwrap();
    let mut admin = admin(&pg).await;
    let killer = async {
        while s.a.setting(&key).await.unwrap() == before {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1")
            .bind(&s.a_inv.login)
            .execute(&mut admin)
            .await
            .unwrap();
    };
    let (cut, ()) = tokio::join!(sync(&s.a, &s.a_inv), killer);
    assert!(cut.is_err(), "the pull was cut: {cut:?}");
    let held = changes(&s.a).await;
    assert!(held > 3 + 9_000 && held < 3 + 9_000 + 5_000, "{held}");
    let pulled = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(held - (3 + 9_000) + pulled.applied.new_changes, 5_000, "{pulled:?}");
    assert_eq!(changes(&s.a).await, 3 + 9_000 + 5_000);
    // Syncing again changes nothing.
    let idle = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!((idle.pushed, idle.pulled), (0, 0));
}

#[tokio::test]
async fn a_revoked_office_is_refused_with_a_clear_message() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    sync(&s.a, &s.a_inv).await.unwrap();
    revoke_office(&pg.url, &s.a_inv.login).await.unwrap();
    let refused = sync(&s.a, &s.a_inv).await.unwrap_err();
    assert!(matches!(refused, ServerError::Revoked { .. }), "{refused:?}");
    assert!(refused.message().ru.contains("отозван"), "{}", refused.message().ru);
    assert!(refused.message().en.contains("revoked"), "{}", refused.message().en);
    let offices = mestno_server::list_offices(&pg.url).await.unwrap();
    assert_eq!(offices.len(), 3);
    assert!(offices.iter().find(|o| o.login == s.a_inv.login).unwrap().revoked_at.is_some());
    assert!(offices.iter().filter(|o| o.login != s.a_inv.login).all(|o| o.revoked_at.is_none()));
    let unknown = revoke_office(&pg.url, "mestno_000000").await.unwrap_err();
    assert!(matches!(unknown, ServerError::UnknownOffice { .. }));
}

#[tokio::test]
async fn a_server_not_signed_by_the_invitations_ca_or_without_tls_is_refused() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    // Another CA: the certificate is not trusted.
    let mut wrong = s.a_inv.clone();
    wrong.ca_pem = pg.wrong_ca.clone();
    let refused = sync(&s.a, &wrong).await.unwrap_err();
    assert!(matches!(refused, ServerError::Tls { .. }), "{refused:?}");
    // The right CA but another name than the certificate's: refused too (verify-full).
    let mut renamed = s.a_inv.clone();
    renamed.host = "127.0.0.2".into();
    assert!(sync(&s.a, &renamed).await.is_err());
    // The server itself refuses an office that comes without TLS.
    let plain = s.a_inv.connect_options().ssl_mode(sqlx::postgres::PgSslMode::Disable);
    let no_tls = <sqlx::PgConnection as sqlx::Connection>::connect_with(&plain).await.unwrap_err();
    assert!(no_tls.to_string().contains("no encryption") || no_tls.to_string().contains("reject"), "{no_tls}");
    // A damaged invitation is refused before any connection.
    assert!(matches!(Invitation::parse("{}"), Err(ServerError::BadInvitation { .. })));
    let round = Invitation::parse(&s.a_inv.to_json()).unwrap();
    assert_eq!(round, s.a_inv);
    assert!(!format!("{round:?}").contains(&round.password), "Debug never shows the password");
}

#[tokio::test]
async fn an_edit_to_a_record_moved_to_another_territory_is_left_out_and_the_sync_goes_on() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    sync(&s.district, &s.d_inv).await.unwrap();
    sync(&s.a, &s.a_inv).await.unwrap();
    let project = s.a.create_initiative(project(s.a_id, "Спорная площадка"), Stage::Idea, day()).await.unwrap();
    sync(&s.a, &s.a_inv).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    // The district moves it to the neighbour; the settlement, not knowing, edits it.
    let at_d = s.district.initiative(project.id).await.unwrap();
    let mut input = at_d.input.clone();
    input.territory_id = s.b_id;
    s.district.update_initiative(project.id, at_d.stamp.rev, input).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    let at_a = s.a.initiative(project.id).await.unwrap();
    let mut input = at_a.input.clone();
    input.title = "Площадка (правка села)".into();
    s.a.update_initiative(project.id, at_a.stamp.rev, input).await.unwrap();
    let report = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!((report.pushed, report.not_pushed), (0, 1), "{report:?}");
    // The neighbour gets the project as the district left it.
    sync(&s.b, &s.b_inv).await.unwrap();
    let at_b = s.b.initiative(project.id).await.unwrap();
    assert_eq!(at_b.input.title, "Спорная площадка");
    // And the settlement's later work still goes through.
    add_people(&s.a, s.a_id, 3, "А").await;
    let later = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(later.pushed, 3, "{later:?}");
}

#[tokio::test]
async fn an_erasure_reaches_the_server_and_is_done_there_and_on_the_offices() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    let olga = olga_in_a(&s).await;
    assert!(s.a.contact(olga.id).await.is_ok());
    // The settlement edits her, not yet knowing; the district erases her on her request.
    let held = s.a.contact(olga.id).await.unwrap();
    let mut edited = held.input.clone();
    edited.notes = "звонила 1 ноября".into();
    s.a.update_contact(olga.id, held.stamp.rev, edited).await.unwrap();
    s.district.erase_person(olga.id, erasure_request("ПД-7/2025")).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    // The server keeps the act's deletion only: nothing of hers is left in its log.
    let mut admin = admin(&pg).await;
    let left: Vec<String> = sqlx::query_scalar("SELECT changes FROM mestno.changes WHERE entity_id = $1")
        .bind(olga.id)
        .fetch_all(&mut admin)
        .await
        .unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("ПД-7/2025") || left[0].contains("act"), "{left:?}");
    let traces: i64 = sqlx::query_scalar("SELECT count(*) FROM mestno.changes WHERE changes LIKE '%555-77-88%'")
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert_eq!(traces, 0);
    // The settlement's edit is not let in; the act reaches it and it erases her too.
    let a = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!((a.pushed, a.not_pushed), (0, 1), "{a:?}");
    assert_eq!(a.applied.erased, 1, "{a:?}");
    assert!(s.a.contact(olga.id).await.is_err());
    let traces: i64 = sqlx::query_scalar("SELECT count(*) FROM mestno.changes WHERE changes LIKE '%звонила%'")
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert_eq!(traces, 0);
}

#[tokio::test]
async fn an_erasure_redacts_the_persons_mentions_in_other_records_on_the_server_too() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    let olga = olga_in_a(&s).await;
    // The settlement writes a project that names her; the district receives it.
    let mut input = project(s.a_id, "Детская площадка");
    input.description = "Инициатор — Журавлёва Ольга Ивановна, тел. 8 (913) 555-77-88; смета готова.".into();
    let playground = s.a.create_initiative(input, Stage::Idea, day()).await.unwrap();
    sync(&s.a, &s.a_inv).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    let mut admin = admin(&pg).await;
    let mentioning =
        "SELECT count(*) FROM mestno.changes WHERE changes LIKE '%Журавлёв%' OR changes LIKE '%555-77-88%'";
    let before: i64 = sqlx::query_scalar(mentioning).fetch_one(&mut admin).await.unwrap();
    assert!(before >= 2, "her record and the project's creation: {before}");

    // The district erases her: the server keeps the act, and the project's change only redacted.
    s.district.erase_person(olga.id, erasure_request("ПД-8/2025")).await.unwrap();
    let report = sync(&s.district, &s.d_inv).await.unwrap();
    assert!(report.redacted >= 1, "{report:?}");
    let after: i64 = sqlx::query_scalar(mentioning).fetch_one(&mut admin).await.unwrap();
    assert_eq!(after, 0);
    let redacted: Vec<String> = sqlx::query_scalar("SELECT changes FROM mestno.changes WHERE entity_id = $1")
        .bind(playground.id)
        .fetch_all(&mut admin)
        .await
        .unwrap();
    assert!(
        redacted.iter().any(|c| c.contains("Инициатор — [удалено], тел. [удалено]; смета готова.")),
        "{redacted:?}"
    );

    // A second computer of the settlement, joining afterwards, never learns her name.
    let late_inv = mestno_server::add_office(&pg.url, s.a_id, "Берёзовка, второй компьютер").await.unwrap();
    let late = office(s.dir.path(), "late").await;
    sync(&late, &late_inv).await.unwrap();
    let description = late.initiative(playground.id).await.unwrap().input.description;
    assert_eq!(description, "Инициатор — [удалено], тел. [удалено]; смета готова.");
    assert!(late.contact(olga.id).await.is_err());
    // The settlement, which knew her, erases her on the act and redacts its own copy.
    let a = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(a.applied.erased, 1, "{a:?}");
    assert!(!s.a.initiative(playground.id).await.unwrap().input.description.contains("Журавлёв"));
    let after: i64 = sqlx::query_scalar(mentioning).fetch_one(&mut admin).await.unwrap();
    assert_eq!(after, 0);
}

#[tokio::test]
async fn a_settlement_passed_to_another_district_brings_that_district_its_records() {
    let Some(pg) = pg().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let region = office(dir.path(), "region").await;
    let r_id = territory(&region, None, TerritoryKind::Region, "Красноярский край").await;
    let aban = territory(&region, Some(r_id), TerritoryKind::District, "Абанский район").await;
    let dzer = territory(&region, Some(r_id), TerritoryKind::District, "Дзержинский район").await;
    let v_id = territory(&region, Some(aban), TerritoryKind::RuralSettlement, "Берёзовский сельсовет").await;
    let r_inv = mestno_server::add_office(&pg.url, r_id, "Край").await.unwrap();
    let dz_inv = mestno_server::add_office(&pg.url, dzer, "Дзержинский район").await.unwrap();
    let v_inv = mestno_server::add_office(&pg.url, v_id, "Берёзовка").await.unwrap();
    let dz = office(dir.path(), "dzer").await;
    let village = office(dir.path(), "village").await;
    sync(&region, &r_inv).await.unwrap();
    sync(&village, &v_inv).await.unwrap();
    add_people(&village, v_id, 25, "В").await;
    let club = village.create_initiative(project(v_id, "Клуб в Берёзовке"), Stage::Idea, day()).await.unwrap();
    sync(&village, &v_inv).await.unwrap();
    // The other district works too: its cursor passes the settlement's changes, unseen.
    sync(&dz, &dz_inv).await.unwrap();
    add_people(&dz, dzer, 1, "Д").await;
    let first = sync(&dz, &dz_inv).await.unwrap();
    assert_eq!((first.pushed, first.pulled), (1, 0), "{first:?}");
    assert!(dz.initiative(club.id).await.is_err());

    // The region passes the settlement to the other district.
    let held = region.territory(v_id).await.unwrap();
    let mut input = held.input.clone();
    input.parent_id = Some(dzer);
    region.update_territory(v_id, held.stamp.rev, input).await.unwrap();
    sync(&region, &r_inv).await.unwrap();
    let moved = sync(&dz, &dz_inv).await.unwrap();
    assert_eq!(dz.initiative(club.id).await.unwrap().input.title, "Клуб в Берёзовке");
    assert_eq!(dz.territory(v_id).await.unwrap().input.parent_id, Some(dzer));
    let people = dz.list_contacts(&Default::default()).await.unwrap().total;
    assert_eq!(people, 25 + 1, "{moved:?}");
    // And the settlement's later work reaches its new district as usual.
    add_people(&village, v_id, 2, "Н").await;
    sync(&village, &v_inv).await.unwrap();
    let later = sync(&dz, &dz_inv).await.unwrap();
    assert_eq!(later.pulled, 2, "{later:?}");
}

/// A meeting in settlement A attended by a resident of B: A's office stores it with the people it
/// holds. When she moves to A, A's next sync brings her whole, and the meeting names her.
#[tokio::test]
async fn a_person_who_moves_into_a_settlement_arrives_there_with_the_meetings_she_attended() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    sync(&s.district, &s.d_inv).await.unwrap();
    sync(&s.a, &s.a_inv).await.unwrap();
    let neighbour = s.district.create_contact(person(s.b_id)).await.unwrap();
    let local = s.district.create_contact(mestno_demo::samples::resident(s.a_id, 1, "А")).await.unwrap();
    let attended = |id: Id| Attendee { contact_id: id, role: AttendeeRole::Participant };
    let meeting = s
        .district
        .create_event(EventInput {
            kind: EventKind::ResidentsMeeting,
            title: "Сход по благоустройству".into(),
            starts_at: day().and_hms_opt(18, 0, 0).unwrap(),
            ends_at: None,
            place: "Дом культуры".into(),
            territory_id: s.a_id,
            headcount: 25,
            attendees: vec![attended(local.id), attended(neighbour.id)],
            initiative_ids: vec![],
            outcome: String::new(),
            minutes: String::new(),
        })
        .await
        .unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    let first = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(first.applied.conflicts, 0, "{first:?}");
    let ids = |e: &Event| e.input.attendees.iter().map(|a| a.contact_id).collect::<Vec<_>>();
    assert_eq!(ids(&s.a.event(meeting.id).await.unwrap()), vec![local.id], "the people A holds");
    assert!(s.a.contact(neighbour.id).await.is_err());

    // She moves to A.
    let mut moved = neighbour.input.clone();
    moved.territory_id = Some(s.a_id);
    s.district.update_contact(neighbour.id, neighbour.stamp.rev, moved.clone()).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    let after = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(after.applied.conflicts, 0, "{after:?}");
    assert_eq!(s.a.contact(neighbour.id).await.unwrap().input, moved);
    let mut now = ids(&s.a.event(meeting.id).await.unwrap());
    now.sort();
    let mut both = vec![local.id, neighbour.id];
    both.sort();
    assert_eq!(now, both, "the meeting names her now");
}

/// A file's description reaches, through the server, the offices whose territory its record lies
/// in — filed under its record's territory, whoever pushes it — and no other; its content does
/// not travel through the server, and the office says it has not come.
#[tokio::test]
async fn a_files_description_reaches_its_records_settlement_through_the_server_and_no_other() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    sync(&s.district, &s.d_inv).await.unwrap();
    sync(&s.a, &s.a_inv).await.unwrap();
    sync(&s.b, &s.b_inv).await.unwrap();
    let water = s.district.create_initiative(project(s.a_id, "Водопровод"), Stage::Idea, day()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("протокол схода.pdf");
    std::fs::write(&scan, b"the minutes, scanned").unwrap();
    let file = s.district.attach(water.id, &scan).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();

    let got = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(got.applied.added.get("attachment"), Some(&1), "{got:?}");
    let there = s.a.attachments(water.id).await.unwrap();
    assert_eq!((there[0].file_name.as_str(), there[0].sha256.as_str()), ("протокол схода.pdf", file.sha256.as_str()));
    assert!(!there[0].held, "the content does not travel through the server");
    assert!(s.a.check().await.unwrap().ok);

    let other = sync(&s.b, &s.b_inv).await.unwrap();
    assert_eq!(other.pulled, 0, "{other:?}");
    assert!(s.b.history(file.id).await.unwrap().is_empty());
    let mut server = admin(&pg).await;
    let filed: Option<Id> = sqlx::query_scalar("SELECT territory FROM mestno.changes WHERE entity_id = $1")
        .bind(file.id)
        .fetch_one(&mut server)
        .await
        .unwrap();
    assert_eq!(filed, Some(s.a_id), "filed under its record's territory");

    // The project passes to B: its file goes with it.
    let held = s.district.initiative(water.id).await.unwrap();
    let mut moved = held.input.clone();
    moved.territory_id = s.b_id;
    s.district.update_initiative(water.id, held.stamp.rev, moved).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    let b = sync(&s.b, &s.b_inv).await.unwrap();
    assert_eq!(b.applied.added.get("attachment"), Some(&1), "{b:?}");
    assert_eq!(s.b.attachments(water.id).await.unwrap()[0].file_name, "протокол схода.pdf");

    // A person erased at the district takes her file's description off the server, and an
    // office that has not heard of the act cannot put it back.
    let anna = s.district.create_contact(person(s.a_id)).await.unwrap();
    let consent = dir.path().join("согласие Анны.pdf");
    std::fs::write(&consent, b"signed").unwrap();
    let hers = s.district.attach(anna.id, &consent).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(s.a.attachments(anna.id).await.unwrap().len(), 1);
    let stale = s.a.changes_since(&Default::default(), &Default::default()).await.unwrap();
    let request = ErasureRequest {
        request_number: "ПД-9/2025".into(),
        requested_on: day(),
        reason: "заявление субъекта".into(),
        basis: ErasureBasis::SubjectRequest,
    };
    s.district.erase_person(anna.id, request).await.unwrap();
    sync(&s.district, &s.d_inv).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM mestno.changes WHERE entity_id = $1")
        .bind(hers.id)
        .fetch_one(&mut server)
        .await
        .unwrap();
    assert_eq!(left, 0, "her file's description is gone from the server");
    let back: Vec<_> = stale.into_iter().filter(|c| c.entity_id == hers.id).collect();
    assert_eq!(back.len(), 1);
    let c = &back[0];
    let stored: i64 = sqlx::query_scalar(
        "WITH i AS (INSERT INTO mestno.changes(id, entity, entity_id, op, at, replica, actor, hlc, changes, territory,
                    shared, pushed_by)
                    VALUES ($1, 'attachment', $2, 'create', 0, 'stale', '', 1, $3, $4, false, 'stale') RETURNING 1)
         SELECT count(*) FROM i",
    )
    .bind(uuid::Uuid::new_v4())
    .bind(c.entity_id)
    .bind(c.changes.to_string())
    .bind(s.a_id)
    .fetch_one(&mut server)
    .await
    .unwrap();
    assert_eq!(stored, 0, "a description of her file pushed later is not stored");
    sync(&s.a, &s.a_inv).await.unwrap();
    assert!(s.a.attachments(anna.id).await.unwrap().is_empty());
}
