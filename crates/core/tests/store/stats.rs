use mestno_core::model::*;
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::store::StatsFilter;

use crate::util::*;

#[tokio::test]
async fn the_dashboard_adds_up_what_the_office_entered() {
    let o = office().await;
    let g = geo(&o.store).await;
    let ppmi = ppmi(&o.store).await;
    let s = &o.store;

    let water =
        s.create_initiative(water(g.berezovka, Some(ppmi)), Stage::Application, date("2025-03-01")).await.unwrap();
    let mut road = crate::util::water(g.elkino, Some(ppmi));
    road.title = "Ремонт дороги".into();
    road.object_type = ObjectType::Roads;
    road.budget = budget(&[
        (FundingSource::Regional, 400_000),
        (FundingSource::Municipal, 50_000),
        (FundingSource::Residents, 30_000),
        (FundingSource::Business, 20_000),
    ]);
    road.total_cost = road.planned_total();
    road.beneficiaries = 290;
    let road = s.create_initiative(road, Stage::Application, date("2025-03-01")).await.unwrap();
    s.change_stage(road.id, road.stamp.rev, Stage::Rejected, date("2025-04-20"), "").await.unwrap();

    let a = s.create_contact(person("Анна", "А", "", Some(g.berezovka))).await.unwrap().id;
    let b = s.create_contact(person("Борис", "Б", "", Some(g.elkino))).await.unwrap().id;
    let mut gathering = event(g.berezovka, EventKind::CitizensGathering, "2025-02-10 18:00", 120, &[a, b]);
    gathering.initiative_ids = vec![water.id];
    s.create_event(gathering).await.unwrap();
    s.create_event(event(g.elkino, EventKind::Subbotnik, "2025-05-10 10:00", 35, &[a])).await.unwrap();
    s.create_event(event(g.elkino, EventKind::Survey, "2024-05-10 10:00", 10, &[])).await.unwrap();

    let all = s.stats(&StatsFilter { year: Some(2025), ..Default::default() }).await.unwrap();
    assert_eq!(all.initiatives, 2);
    assert_eq!(all.initiatives_by_stage[&Stage::Application], 1);
    assert_eq!(all.initiatives_by_stage[&Stage::Rejected], 1);
    assert_eq!(
        all.funds_kopecks[FundingSource::Regional],
        Kopecks(90_000_000),
        "a rejected project's money is not counted"
    );
    assert_eq!(all.funds_kopecks[FundingSource::Residents], Kopecks(10_000_000));
    assert_eq!(all.funds_total_kopecks, 100_000_000);
    assert_eq!((all.budget_kopecks, all.extra_budgetary_kopecks), (90_000_000, 10_000_000));
    assert_eq!(all.events, 2, "the 2024 survey is outside the year");
    assert_eq!(all.participants, 155);
    assert_eq!(all.unique_people, 2, "Anna at two events is one person");
    assert_eq!(all.population, 1180 + 290, "the district counts its villages' 2025 population");
    assert!((all.engagement_share - 2.0 / 1470.0).abs() < 1e-6);
    assert_eq!(all.beneficiaries, 640);

    let elkino =
        s.stats(&StatsFilter { territory_id: Some(g.elkino), year: Some(2025), ..Default::default() }).await.unwrap();
    assert_eq!((elkino.initiatives, elkino.events, elkino.unique_people, elkino.population), (1, 1, 1, 290));

    let program = s.stats(&StatsFilter { program_id: Some(ppmi), ..Default::default() }).await.unwrap();
    assert_eq!(program.events, 1, "only the gathering discussed a ППМИ project");

    let old =
        s.stats(&StatsFilter { territory_id: Some(g.district), year: Some(2023), ..Default::default() }).await.unwrap();
    assert_eq!(old.population, 0, "no figure known for 2023 or before");
    assert_eq!(old.engagement_share, 0.0);
}

#[tokio::test]
async fn people_reached_count_the_named_once_and_the_anonymous_once_at_each_event() {
    let o = office().await;
    let g = geo(&o.store).await;
    let s = &o.store;
    let anna = s.create_contact(person("Анна", "А", "", Some(g.berezovka))).await.unwrap().id;
    let boris = s.create_contact(person("Борис", "Б", "", Some(g.elkino))).await.unwrap().id;
    // 120 at the gathering, two of them named; 35 at the subbotnik, Анна named again; a survey of
    // 40 with nobody named; and a 2024 meeting outside the year.
    s.create_event(event(g.berezovka, EventKind::CitizensGathering, "2025-02-10 18:00", 120, &[anna, boris]))
        .await
        .unwrap();
    s.create_event(event(g.elkino, EventKind::Subbotnik, "2025-05-10 10:00", 35, &[anna])).await.unwrap();
    s.create_event(event(g.elkino, EventKind::Survey, "2025-06-01 10:00", 40, &[])).await.unwrap();
    s.create_event(event(g.elkino, EventKind::Meeting, "2024-06-01 10:00", 15, &[boris])).await.unwrap();

    let year = s.stats(&StatsFilter { year: Some(2025), ..Default::default() }).await.unwrap();
    assert_eq!(year.participants, 120 + 35 + 40, "participants add up the headcounts");
    assert_eq!(year.unique_people, 2, "Анна at two events is one named person, Борис another");
    assert_eq!(year.people_reached, 2 + 118 + 34 + 40, "two named people once, each event's anonymous ones");
    assert_eq!(year.population, 1470);
    assert_eq!(year.engagement_share, 0.001361, "2 / 1470, to six places");
    assert_eq!(year.people_reached_share, 0.131973, "194 / 1470, to six places");

    let elkino =
        s.stats(&StatsFilter { territory_id: Some(g.elkino), year: Some(2025), ..Default::default() }).await.unwrap();
    assert_eq!(
        (elkino.unique_people, elkino.people_reached, elkino.population),
        (1, 1 + 34 + 40, 290),
        "in Ёлкино: Анна, the subbotnik's 34 others and the survey's 40"
    );
    assert_eq!((elkino.engagement_share, elkino.people_reached_share), (0.003448, 0.258621), "1 / 290 and 75 / 290");

    let all = s.stats(&StatsFilter::default()).await.unwrap();
    assert_eq!(
        (all.participants, all.unique_people, all.people_reached),
        (210, 2, 2 + 118 + 34 + 40 + 14),
        "over every year Борис at the 2024 meeting is still one person; its 14 others count"
    );
    assert!(all.unique_people <= all.people_reached && all.people_reached <= all.participants);

    let empty = o.store.stats(&StatsFilter { year: Some(2023), ..Default::default() }).await.unwrap();
    assert_eq!((empty.people_reached, empty.people_reached_share), (0, 0.0), "no events, nobody reached");
}

#[tokio::test]
async fn an_empty_office_shows_zeros_for_every_stage_and_kind() {
    let o = office().await;
    let s = o.store.stats(&StatsFilter::default()).await.unwrap();
    assert_eq!(s.initiatives_by_stage.len(), Stage::ALL.len());
    assert_eq!(s.events_by_type.len(), EventKind::ALL.len());
    let json = serde_json::to_value(&s).unwrap();
    for key in [
        "initiatives",
        "initiatives_by_stage",
        "funds_kopecks",
        "funds_total_kopecks",
        "events",
        "events_by_type",
        "participants",
        "unique_people",
        "population",
        "engagement_share",
        "people_reached",
        "people_reached_share",
        "beneficiaries",
    ] {
        assert!(json.get(key).is_some(), "JSON has «{key}»");
    }
    for source in ["federal", "regional", "municipal", "residents", "business", "in_kind"] {
        assert_eq!(json["funds_kopecks"][source], 0);
    }
}
