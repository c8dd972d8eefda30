use mestno_core::store::StatsFilter;
use mestno_reports::{ReportKind, ReportRequest};

use crate::util::*;

const EVENTS: u32 = 2;
const PARTICIPANTS: u32 = 14;
const UNIQUE: u32 = 15;
const SHARE: u32 = 16;
const ANONYMOUS: u32 = 17;
const REACHED: u32 = 18;
const REACHED_SHARE: u32 = 19;

async fn check_against_the_dashboard(o: &Office, request: ReportRequest) -> Sheet {
    let sheet = read(&o.write(ReportKind::Engagement, &request).await);
    let stats = o
        .store
        .stats(&StatsFilter { program_id: request.program_id, year: request.year, territory_id: request.territory_id })
        .await
        .unwrap();
    let total = sheet.row_of(0, "Итого");
    let figures = [1, EVENTS, PARTICIPANTS, UNIQUE].map(|c| sheet.number(total, c) as i64);
    assert_eq!(
        figures,
        [stats.population, stats.events, stats.participants, stats.unique_people],
        "population, events, participants and unique people are the dashboard's"
    );
    let share = if stats.population > 0 { stats.unique_people as f64 / stats.population as f64 } else { 0.0 };
    assert_eq!(sheet.number(total, SHARE), share, "the share of the population is cached as its formula computes it");
    assert_eq!(sheet.formula(total, SHARE), format!("IF(B{0}>0,P{0}/B{0},0)", total + 1), "and is a live formula");
    assert_eq!(
        sheet.number(total, REACHED) as i64,
        stats.people_reached,
        "people reached (named once, anonymous once at each event) are the dashboard's"
    );
    assert_eq!(
        sheet.number(total, ANONYMOUS) as i64,
        stats.people_reached - stats.unique_people,
        "the anonymous participants are what people reached add to the unique people"
    );
    assert_eq!(sheet.formula(total, REACHED), format!("P{0}+R{0}", total + 1), "reached = unique + anonymous, live");
    let reached_share = if stats.population > 0 { stats.people_reached as f64 / stats.population as f64 } else { 0.0 };
    assert_eq!(
        sheet.number(total, REACHED_SHARE),
        reached_share,
        "the share reached is cached as its formula computes"
    );
    assert_eq!(sheet.formula(total, REACHED_SHARE), format!("IF(B{0}>0,S{0}/B{0},0)", total + 1), "a live formula");
    let header = sheet.row_of(0, "Территория");
    let events: f64 = (header + 1..total).map(|r| sheet.number(r, EVENTS)).sum();
    assert_eq!(events as i64, stats.events, "the rows' events add up to the total");
    let anonymous: f64 = (header + 1..total).map(|r| sheet.number(r, ANONYMOUS)).sum();
    assert_eq!(anonymous, sheet.number(total, ANONYMOUS), "the rows' anonymous participants add up to the total");
    assert!(
        sheet.formula(total, ANONYMOUS).starts_with("SUBTOTAL(9,"),
        "and the total is a live formula: {}",
        sheet.formula(total, ANONYMOUS)
    );
    for r in header + 1..total {
        assert_eq!(
            sheet.number(r, REACHED),
            sheet.number(r, UNIQUE) + sheet.number(r, ANONYMOUS),
            "on every row, people reached are its unique people plus its anonymous participants"
        );
    }
    let headers: Vec<String> = [UNIQUE, SHARE, ANONYMOUS, REACHED, REACHED_SHARE].map(|c| sheet.text(header, c)).into();
    assert!(headers[0].contains("поимённо") && headers[3].starts_with("Охвачено людей"), "labelled: {headers:?}");
    let notes: Vec<String> = (1..header).map(|r| sheet.text(r, 0)).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Анонимные участники — численность каждого мероприятия за вычетом поимённых")),
        "the title block defines people reached: {notes:?}"
    );
    sheet
}

#[tokio::test]
async fn engagement_per_district_adds_up_to_the_dashboard() {
    let o = hand_built().await;
    let sheet = check_against_the_dashboard(&o, ReportRequest::default()).await;
    let abansky = sheet.row_of(0, "Абанский район");
    assert_eq!(
        sheet.number(abansky, 1),
        1470.0,
        "a district without its own figure counts its villages' latest population"
    );
    assert_eq!(
        (sheet.number(abansky, 3), sheet.number(abansky, 8)),
        (1.0, 1.0),
        "one citizens' gathering and one subbotnik"
    );
    assert_eq!(sheet.number(abansky, UNIQUE), 2.0, "Анна at two events is one person");
    assert_eq!(sheet.number(abansky, SHARE), 2.0 / 1470.0);
    assert_eq!(
        (sheet.number(abansky, ANONYMOUS), sheet.number(abansky, REACHED)),
        (118.0 + 34.0, 154.0),
        "120 at the gathering with two named, 35 at the subbotnik with Анна named: 152 anonymous, 154 reached"
    );
    assert_eq!(sheet.number(abansky, REACHED_SHARE), 154.0 / 1470.0);
    let krai = sheet.row_of(0, "Красноярский край — без разбивки");
    assert_eq!(sheet.text(krai, 1), "", "the krai's own events have no population of their own");
    assert_eq!(sheet.number(sheet.row_of(0, "Итого"), UNIQUE), 3.0, "three people in all, not 2 + 1 + 2");
    assert_eq!(
        sheet.number(sheet.row_of(0, "Итого"), REACHED),
        3.0 + 365.0 - 6.0,
        "three named people and the 359 anonymous of the four events"
    );
}

#[tokio::test]
async fn a_year_and_a_program_narrow_the_events() {
    let o = hand_built().await;
    check_against_the_dashboard(&o, ReportRequest { year: Some(2025), ..Default::default() }).await;
    let sheet =
        check_against_the_dashboard(&o, ReportRequest { program_id: Some(o.ids.ppmi), ..Default::default() }).await;
    assert_eq!(sheet.number(sheet.row_of(0, "Итого"), EVENTS), 1.0, "only the gathering discussed a ППМИ project");
    check_against_the_dashboard(
        &o,
        ReportRequest { territory_id: Some(o.ids.berezovka), year: Some(2025), ..Default::default() },
    )
    .await;
}

#[tokio::test]
async fn the_demo_office_engagement_matches_the_dashboard() {
    let o = demo_office().await;
    check_against_the_dashboard(&o, ReportRequest::default()).await;
    check_against_the_dashboard(&o, ReportRequest { year: Some(2024), ..Default::default() }).await;
}
