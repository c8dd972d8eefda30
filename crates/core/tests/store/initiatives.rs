use mestno_core::ErrorCode;
use mestno_core::model::*;
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::store::{InitiativeQuery, InitiativeSort, Op};

use crate::util::*;

#[tokio::test]
async fn a_budget_that_does_not_add_up_is_refused_and_nothing_is_stored() {
    let o = office().await;
    let g = geo(&o.store).await;
    let mut input = water(g.berezovka, None);
    input.total_cost = Kopecks::rubles(1_200_000);
    let err = o.store.create_initiative(input, Stage::Idea, date("2025-03-01")).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert_eq!(err.field_errors()[0].field, "budget", "the error points at the budget");
    assert!(err.to_string().contains("не равна общей стоимости"), "the message is Russian: {err}");
    assert_eq!(count(&o.store, "initiatives").await, 0, "nothing half-saved");
    assert_eq!(count(&o.store, "budget_lines").await, 0);
    assert_eq!(count(&o.store, "history").await, 4, "only the four territories' creation is in the history");
}

#[tokio::test]
async fn unknown_territory_and_program_are_named_field_by_field() {
    let o = office().await;
    let input = water(Id::now_v7(), Some(Id::now_v7()));
    let err = o.store.create_initiative(input, Stage::Idea, date("2025-03-01")).await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["territory_id", "program_id"]);
    assert!(err.message(mestno_core::Lang::En).contains("unknown territory"));
}

#[tokio::test]
async fn an_application_must_meet_the_programs_minimum_share_but_an_idea_is_only_flagged() {
    let o = office().await;
    let g = geo(&o.store).await;
    let ppmi = ppmi(&o.store).await;
    let mut short = water(g.berezovka, Some(ppmi));
    short.budget = budget(&[(FundingSource::Regional, 970_000), (FundingSource::Residents, 30_000)]);

    let err = o.store.create_initiative(short.clone(), Stage::Application, date("2025-03-01")).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "budget.residents");
    assert!(err.to_string().contains("3,00"), "the message shows the actual share: {err}");

    let idea = o.store.create_initiative(short.clone(), Stage::Idea, date("2025-03-01")).await.unwrap();
    assert_eq!(idea.flags.len(), 1, "an idea that falls short is saved but flagged");
    assert_eq!(idea.flags[0].field, "budget.residents");

    let blocked =
        o.store.change_stage(idea.id, idea.stamp.rev, Stage::Application, date("2025-03-10"), "").await.unwrap_err();
    assert_eq!(blocked.code(), ErrorCode::Invalid, "a flagged idea cannot become an application");
    assert_eq!(o.store.initiative(idea.id).await.unwrap().stage, Stage::Idea);

    let mut fixed = short;
    fixed.budget = budget(&[(FundingSource::Regional, 950_000), (FundingSource::Residents, 50_000)]);
    let fixed = o.store.update_initiative(idea.id, idea.stamp.rev, fixed).await.unwrap();
    assert!(fixed.flags.is_empty(), "exactly 5 % meets the 5 % minimum");
    let applied =
        o.store.change_stage(fixed.id, fixed.stamp.rev, Stage::Application, date("2025-03-10"), "").await.unwrap();
    assert_eq!(applied.stage, Stage::Application);
}

#[tokio::test]
async fn every_stage_change_is_dated_and_kept_in_order() {
    let o = office().await;
    let g = geo(&o.store).await;
    let mut i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-01-15")).await.unwrap();
    for (stage, on, note) in [
        (Stage::Discussion, "2025-02-01", "сход граждан"),
        (Stage::Application, "2025-03-01", ""),
        (Stage::Selected, "2025-04-20", "протокол № 4"),
        (Stage::Implementation, "2025-06-01", ""),
        (Stage::Completed, "2025-09-30", "акт приёмки"),
    ] {
        i = o.store.change_stage(i.id, i.stamp.rev, stage, date(on), note).await.unwrap();
    }
    let path: Vec<(Option<Stage>, Stage, String)> = i.stages.iter().map(|c| (c.from, c.to, c.on.to_string())).collect();
    assert_eq!(path.len(), 6);
    assert_eq!(path[0], (None, Stage::Idea, "2025-01-15".into()));
    assert_eq!(path[3], (Some(Stage::Application), Stage::Selected, "2025-04-20".into()));
    assert_eq!(i.stages[3].note, "протокол № 4");
    assert_eq!((i.stage, i.stage_on), (Stage::Completed, date("2025-09-30")));

    let err = o.store.change_stage(i.id, i.stamp.rev, Stage::Withdrawn, date("2025-10-01"), "").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid, "a completed project stays completed");
}

#[tokio::test]
async fn stage_dates_cannot_go_back_or_into_the_future() {
    let o = office().await;
    let g = geo(&o.store).await;
    let i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-05-01")).await.unwrap();
    let back = o.store.change_stage(i.id, i.stamp.rev, Stage::Discussion, date("2025-04-30"), "").await.unwrap_err();
    assert!(back.to_string().contains("раньше предыдущей"), "{back}");
    let future = o.store.change_stage(i.id, i.stamp.rev, Stage::Discussion, date("2025-11-02"), "").await.unwrap_err();
    assert!(future.to_string().contains("ещё не наступила"), "{future}");
    let skip = o.store.change_stage(i.id, i.stamp.rev, Stage::Completed, date("2025-06-01"), "").await.unwrap_err();
    assert!(skip.to_string().contains("нельзя перевести"), "{skip}");
}

#[tokio::test]
async fn history_names_who_changed_which_field_from_what_to_what() {
    let o = office().await;
    let g = geo(&o.store).await;
    let i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap();
    o.clock.advance(chrono::Duration::minutes(5));
    let mut changed = i.input.clone();
    changed.title = "Ремонт водопровода по ул. Лесной и ул. Новой".into();
    o.store.update_initiative(i.id, i.stamp.rev, changed).await.unwrap();

    let history = o.store.history(i.id).await.unwrap();
    assert_eq!(history.iter().map(|h| h.op).collect::<Vec<_>>(), [Op::Create, Op::Update]);
    let update = &history[1];
    assert_eq!(update.actor, "Петрова О. В.");
    assert_eq!(update.device, o.store.device());
    assert_eq!(update.at - history[0].at, 5 * 60 * 1000, "stamped with the clock's time");
    let fields: Vec<&String> = update.changes.as_object().unwrap().keys().collect();
    assert_eq!(fields, ["title"], "only the changed field is recorded");
    assert_eq!(update.changes["title"]["old"], "Ремонт водопровода по ул. Лесной");
}

#[tokio::test]
async fn a_stale_form_cannot_overwrite_a_newer_change() {
    let o = office().await;
    let g = geo(&o.store).await;
    let i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap();
    let mut first = i.input.clone();
    first.votes = 10;
    let saved = o.store.update_initiative(i.id, i.stamp.rev, first).await.unwrap();
    assert_eq!(saved.stamp.rev, 2);
    let mut stale = i.input.clone();
    stale.votes = 99;
    let err = o.store.update_initiative(i.id, i.stamp.rev, stale).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert_eq!(o.store.initiative(i.id).await.unwrap().input.votes, 10);
}

#[tokio::test]
async fn a_deleted_initiative_leaves_a_tombstone_and_its_id_is_never_reused() {
    let o = office().await;
    let g = geo(&o.store).await;
    let i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap();
    o.store.delete_initiative(i.id).await.unwrap();
    assert_eq!(o.store.initiative(i.id).await.unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(count(&o.store, "tombstones").await, 1);
    assert_eq!(count(&o.store, "budget_lines").await, 0, "its budget went with it");
    let history = o.store.history(i.id).await.unwrap();
    assert_eq!(history.last().unwrap().op, Op::Delete);

    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", o.store.path().display())).await.unwrap();
    let reuse = sqlx::query("INSERT INTO initiatives(id, title, sort_key, object_type, territory_id, year, stage, stage_on, initiator_kind, created_at, updated_at, updated_by) VALUES (?, 'x', 'x', 'other', ?, 2025, 'idea', '2025-01-01', 'resident', 0, 0, 'd')")
        .bind(i.id)
        .bind(g.berezovka)
        .execute(&pool)
        .await;
    assert!(reuse.unwrap_err().to_string().contains("id reused"), "the database itself refuses a reused id");
}

#[tokio::test]
async fn a_territory_in_use_cannot_be_deleted() {
    let o = office().await;
    let g = geo(&o.store).await;
    o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap();
    let err = o.store.delete_territory(g.berezovka).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
    assert!(err.to_string().contains("используется"), "{err}");
    assert!(o.store.territory(g.berezovka).await.is_ok());
}

#[tokio::test]
async fn pages_walk_the_whole_list_once_in_russian_order() {
    let o = office().await;
    let g = geo(&o.store).await;
    let titles = ["Ёлочная аллея", "Беседка", "Аллея славы", "ясли-сад: площадка", "Елочный базар", "Жёлтый мост"];
    for n in 0..250 {
        let mut input = water(if n % 2 == 0 { g.berezovka } else { g.elkino }, None);
        input.title = format!("{} {n:03}", titles[n % titles.len()]);
        o.store.create_initiative(input, Stage::Idea, date("2025-03-01")).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut q = InitiativeQuery { limit: 100, sort: InitiativeSort::Title, ..Default::default() };
    loop {
        let page = o.store.list_initiatives(&q).await.unwrap();
        assert_eq!(page.total, 250);
        seen.extend(page.items.iter().map(|r| r.title.clone()));
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 250, "every row exactly once");
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), 250);
    let first_letters: Vec<char> = seen.iter().map(|t| t.chars().next().unwrap()).collect();
    // Case and «ё» do not split the alphabet: А, Б, Е/Ё (together), Ж, Я.
    let positions = |c: char| first_letters.iter().position(|&x| x == c).unwrap();
    assert!(positions('А') < positions('Б') && positions('Б') < positions('Ж') && positions('Ж') < positions('я'));
    assert!(positions('Е').max(positions('Ё')) < positions('Ж'), "Ё sorts with Е, not after Я");

    let district = o
        .store
        .list_initiatives(&InitiativeQuery { territory_id: Some(g.elkino), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(district.total, 125, "the territory filter keeps Ёлкино's half");
}

#[tokio::test]
async fn the_form_check_gives_shares_that_add_up_and_the_programs_warnings_without_saving() {
    let o = office().await;
    let g = geo(&o.store).await;
    let ppmi = ppmi(&o.store).await;
    // Thirds of 100 roubles: the shares are rounded so that they still make 100 %.
    let mut input = water(g.berezovka, Some(ppmi));
    input.budget = budget(&[
        (FundingSource::Regional, 3_333_333),
        (FundingSource::Municipal, 3_333_333),
        (FundingSource::Residents, 3_333_334),
    ]);
    input.total_cost = Kopecks::rubles(10_000_000);
    let check = o.store.check_initiative(&input, Stage::Idea).await.unwrap();
    assert_eq!(check.planned_total, Kopecks::rubles(10_000_000));
    assert_eq!(check.shares.iter().map(|s| s.share_bp).sum::<u32>(), 10_000);
    let residents = check.shares.iter().find(|s| s.source == FundingSource::Residents).unwrap();
    assert_eq!(residents.planned, Kopecks::rubles(3_333_334));
    assert!((3333..=3334).contains(&residents.share_bp), "{residents:?}");
    // 3 333 333 roubles from the region is over the program's 1 000 000 cap: while an idea, a
    // warning; for an application, an error.
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    assert!(check.warnings.iter().any(|w| w.field == "budget.regional"), "{:?}", check.warnings);
    let check = o.store.check_initiative(&input, Stage::Application).await.unwrap();
    assert!(check.errors.iter().any(|e| e.field == "budget.regional"), "{:?}", check.errors);

    // Residents' 1 % breaks ППМИ's 5 % minimum; a budget that does not add up is an error.
    let mut thin = water(g.berezovka, Some(ppmi));
    thin.budget = budget(&[(FundingSource::Regional, 990_000), (FundingSource::Residents, 10_000)]);
    let check = o.store.check_initiative(&thin, Stage::Idea).await.unwrap();
    assert!(check.warnings.iter().any(|w| w.field.contains("residents")), "{:?}", check.warnings);
    thin.total_cost = Kopecks::rubles(2_000_000);
    let check = o.store.check_initiative(&thin, Stage::Idea).await.unwrap();
    assert!(
        check.errors.iter().any(|e| e.field == "total_cost" || e.field.starts_with("budget")),
        "{:?}",
        check.errors
    );
    assert_eq!(count(&o.store, "initiatives").await, 0, "checking stores nothing");
}
