use mestno_core::model::*;
use mestno_core::money::FundingSource;
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
    assert_eq!(all.funds_kopecks.regional, 90_000_000, "a rejected project's money is not counted");
    assert_eq!(all.funds_kopecks.residents, 10_000_000);
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
        "beneficiaries",
    ] {
        assert!(json.get(key).is_some(), "JSON has «{key}»");
    }
    for source in ["federal", "regional", "municipal", "residents", "business", "in_kind"] {
        assert_eq!(json["funds_kopecks"][source], 0);
    }
}
