use mestno_core::money::FundingSource::*;
use mestno_core::store::StatsFilter;
use mestno_reports::{ReportKind, ReportRequest};

use crate::util::*;

/// The total row's money columns: the six sources, budget, extra-budgetary, all.
const SOURCES: [u32; 6] = [3, 4, 5, 7, 8, 9];

async fn check_against_the_dashboard(o: &Office, request: ReportRequest) -> Sheet {
    let sheet = read(&o.write(ReportKind::Funding, &request).await);
    let stats = o
        .store
        .stats(&StatsFilter { program_id: request.program_id, year: request.year, territory_id: request.territory_id })
        .await
        .unwrap();
    let f = &stats.funds_kopecks;
    let total = sheet.row_of(0, "Итого");
    let cached: Vec<i64> = SOURCES.iter().map(|&c| sheet.kopecks(total, c)).collect();
    assert_eq!(
        cached,
        [Federal, Regional, Municipal, Residents, Business, InKind].map(|s| f[s].0).to_vec(),
        "each source's total is the dashboard's, to the kopeck"
    );
    assert_eq!(
        (sheet.kopecks(total, 6), sheet.kopecks(total, 10), sheet.kopecks(total, 11)),
        (stats.budget_kopecks, stats.extra_budgetary_kopecks, stats.funds_total_kopecks),
        "budget, extra-budgetary and all money too"
    );
    for c in SOURCES {
        assert!(sheet.formula(total, c).starts_with("SUBTOTAL(9,"), "totals are live formulas that follow the filters");
    }
    assert_eq!(sheet.formula(total, 11), format!("G{0}+K{0}", total + 1), "all money is budget plus extra-budgetary");
    let share = if stats.funds_total_kopecks > 0 { sheet.number(total, 10) / sheet.number(total, 11) } else { 0.0 };
    assert_eq!(sheet.number(total, 12), share, "the extra-budgetary share is cached as its formula computes it");
    let by_source = sheet.row_of(0, "Источник финансирования");
    for (k, &c) in SOURCES.iter().enumerate() {
        let row = by_source + 1 + k as u32;
        let letter = char::from(b'A' + c as u8);
        assert_eq!(sheet.formula(row, 1), format!("{letter}{}", total + 1), "the chart's data reads the total row");
        assert_eq!(sheet.kopecks(row, 1), cached[k], "and caches its value");
    }
    sheet
}

#[tokio::test]
async fn money_by_source_adds_up_to_the_dashboards_figures() {
    let o = hand_built().await;
    let sheet = check_against_the_dashboard(&o, ReportRequest::default()).await;
    let header = sheet.row_of(0, "Территория");
    let rows: Vec<(String, String)> =
        (header + 1..sheet.row_of(0, "Итого")).map(|r| (sheet.text(r, 0), sheet.text(r, 1))).collect();
    let expected =
        [("Абанский район", "2025"), ("Богучанский район", "2024"), ("Красноярский край — без разбивки", "2025")];
    assert_eq!(
        rows,
        expected.map(|(t, y)| (t.to_string(), y.to_string())),
        "one row per district and year, the krai's own level last"
    );
    let abansky = header + 1;
    assert_eq!(sheet.number(abansky, 2), 2.0, "the rejected road is not counted, the idea without a budget is");
    assert_eq!(sheet.kopecks(abansky, 4), 90_000_010, "only the water supply's regional money");
}

#[tokio::test]
async fn a_district_in_one_year_is_shown_by_village() {
    let o = hand_built().await;
    let request = ReportRequest { year: Some(2025), territory_id: Some(o.ids.abansky), ..Default::default() };
    let sheet = check_against_the_dashboard(&o, request).await;
    let header = sheet.row_of(0, "Территория");
    assert_eq!(sheet.text(header + 1, 0), "с. Берёзовка", "the district's parts are its villages");
    assert_eq!(sheet.text(header + 2, 0), "Итого", "Ёлкино has only a rejected project");
}

#[tokio::test]
async fn the_demo_office_funding_matches_the_dashboard() {
    let o = demo_office().await;
    check_against_the_dashboard(&o, ReportRequest::default()).await;
    check_against_the_dashboard(&o, ReportRequest { year: Some(2024), ..Default::default() }).await;
}
