use mestno_core::Lang;
use mestno_core::store::InitiativeQuery;
use mestno_reports::{ReportKind, ReportRequest};

use crate::util::*;

/// Money columns of the registry: cost, the six sources, the actual total.
const MONEY: [u32; 8] = [9, 10, 11, 12, 13, 14, 15, 19];

/// Every initiative of the office as the core keeps it, sorted: (title, [cost, six sources,
/// actual, beneficiaries, votes]).
async fn core_figures(o: &Office, q: InitiativeQuery) -> Vec<(String, Vec<i64>)> {
    let mut out = Vec::new();
    for row in o.store.list_initiatives(&InitiativeQuery { limit: 500, ..q }).await.unwrap().items {
        let i = o.store.initiative(row.id).await.unwrap();
        let mut figures = vec![i.input.total_cost.0];
        figures.extend(mestno_core::money::FundingSource::ALL.iter().map(|s| i.input.planned(*s).0));
        figures.push(i.input.budget.iter().map(|l| l.actual.0).sum());
        figures.extend([i.input.beneficiaries, i.input.votes]);
        out.push((i.input.title.clone(), figures));
    }
    out.sort();
    out
}

fn sheet_figures(sheet: &Sheet, row: u32) -> Vec<i64> {
    let mut figures: Vec<i64> = MONEY.iter().map(|&c| sheet.kopecks(row, c)).collect();
    figures.extend([20, 21].map(|c| sheet.number(row, c) as i64));
    figures
}

#[tokio::test]
async fn every_initiative_is_listed_with_the_databases_figures_and_live_totals() {
    let o = hand_built().await;
    let sheet = read(&o.write(ReportKind::Registry, &ReportRequest::default()).await);
    let header = sheet.row_of(0, "№ п/п");
    let title = sheet.title_block(header);
    for line in [
        "Реестр инициативных проектов",
        "Программа: все программы",
        "Период: все годы",
        "Территория: все территории",
        "Дата выгрузки: 01.11.2025",
        "Проектный офис: Проектный офис Абанского района",
    ] {
        assert!(title.contains(line), "the title block says «{line}»:\n{title}");
    }

    let expected = core_figures(&o, InitiativeQuery::default()).await;
    let total_row = sheet.row_of(3, "Итого по реестру");
    let (mut listed, mut group_first, mut subtotals) = (Vec::new(), header + 1, 0);
    for row in header + 1..total_row {
        if sheet.text(row, 3) == "Итого по муниципальному образованию" {
            subtotals += 1;
            for (k, c) in MONEY.iter().enumerate() {
                let letter = char::from(b'A' + *c as u8);
                assert_eq!(
                    sheet.formula(row, *c),
                    format!("SUBTOTAL(9,{letter}{}:{letter}{})", group_first + 1, row),
                    "a live subtotal over its municipality's rows"
                );
                let sum: i64 = (group_first..row).map(|r| sheet.kopecks(r, *c)).sum();
                assert_eq!(
                    sheet.kopecks(row, *c),
                    sum,
                    "the cached subtotal of column {k} is the exact sum of its rows"
                );
            }
            group_first = row + 1;
            continue;
        }
        let title = sheet.text(row, 3);
        assert_eq!(sheet.number(row, 0) as usize, listed.len() + 1, "rows are numbered in order");
        listed.push((title.clone(), sheet_figures(&sheet, row)));
        let (cost, residents) = (sheet.number(row, 9), sheet.number(row, 13));
        let share = if cost > 0.0 { residents / cost } else { 0.0 };
        assert_eq!(
            sheet.formula(row, 16),
            format!("IF(J{0}>0,N{0}/J{0},0)", row + 1),
            "the residents' share is a formula"
        );
        assert_eq!(sheet.number(row, 16), share, "«{title}»: its cached share is what the formula gives");
    }
    listed.sort();
    assert_eq!(listed, expected, "every initiative of every stage, each with the database's figures");
    assert_eq!(subtotals, 3, "Абанский район, Богучанский район and the krai's own level each get a subtotal");

    for (k, c) in MONEY.iter().enumerate() {
        let exact: i64 = expected.iter().map(|(_, f)| f[k]).sum();
        assert!(
            sheet.formula(total_row, *c).starts_with("SUBTOTAL(9,"),
            "the total skips the subtotals inside its range"
        );
        assert_eq!(sheet.kopecks(total_row, *c), exact, "the cached total of column {k} is the exact kopeck sum");
    }
    assert_eq!(
        sheet.number(total_row, 9),
        200_000_065.0 / 100.0,
        "1 000 000,30 + 500 000,05 + 500 000,00 + 0 + 0,30 ₽, to the kopeck"
    );
    assert_eq!(
        sheet.number(total_row, 12),
        20_000_048.0 / 100.0,
        "0,10 ₽ of the krai's project adds up exactly, not as 0.30000000000000004"
    );
}

#[tokio::test]
async fn the_registry_groups_by_municipality_and_hides_names_without_consent() {
    let o = hand_built().await;
    let sheet = read(&o.write(ReportKind::Registry, &ReportRequest::default()).await);
    let row = |title: &str| sheet.row_of(3, title);
    let water = row("Ремонт водопровода по ул. Лесной");
    assert_eq!(
        (sheet.text(water, 1), sheet.text(water, 2)),
        ("Абанский район".into(), "с. Берёзовка".into()),
        "a village's project sits under its district"
    );
    assert_eq!(sheet.text(water, 8), "Староста Иванова А.", "an elder with consent in force is named");
    assert_eq!(sheet.text(water, 7), mestno_core::model::Stage::Application.label(Lang::Ru), "the stage, in Russian");
    let road = row("Ремонт дороги в д. Ёлкино");
    assert!(
        sheet.text(road, 8).contains("нет согласия"),
        "a resident whose consent was withdrawn is not named: {}",
        sheet.text(road, 8)
    );
    assert!(!sheet.text(road, 8).contains("Борисов"), "not even partly");
    let light = row("Освещение улицы Центральной");
    assert!(sheet.text(light, 8).contains("нет согласия"), "a resident with no contact on file is not named");
    assert_eq!(
        sheet.text(row("Детская площадка в п. Ангарский"), 8),
        "ООО «Ангара-Строй»",
        "an organisation is always named"
    );
    assert!(
        light < water && water < road,
        "sorted by title within a municipality: «Освещение», «Ремонт в…», «Ремонт д…»"
    );
    assert!(water < row("Детская площадка в п. Ангарский"), "Абанский район before Богучанский район");
    assert_eq!(
        sheet.text(row("Краевой форум инициатив"), 1),
        "Красноярский край",
        "the krai's own project forms its own group"
    );
}

#[tokio::test]
async fn filters_narrow_the_registry_and_show_in_the_title_block() {
    let o = hand_built().await;
    let request = ReportRequest {
        program_id: Some(o.ids.ppmi),
        year: Some(2025),
        territory_id: Some(o.ids.abansky),
        ..Default::default()
    };
    let sheet = read(&o.write(ReportKind::Registry, &request).await);
    let header = sheet.row_of(0, "№ п/п");
    let title = sheet.title_block(header);
    for line in
        ["Программа: ППМИ — Программа поддержки местных инициатив", "Период: 2025 год", "Территория: Абанский район"]
    {
        assert!(title.contains(line), "the title block names the filter «{line}»");
    }
    let q = InitiativeQuery {
        program_id: Some(o.ids.ppmi),
        year: Some(2025),
        territory_id: Some(o.ids.abansky),
        ..Default::default()
    };
    let expected = core_figures(&o, q).await;
    let total = sheet.row_of(3, "Итого по реестру");
    let titles: Vec<String> =
        (header + 1..total).map(|r| sheet.text(r, 3)).filter(|t| !t.starts_with("Итого")).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        expected.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(),
        "exactly the program's 2025 projects in the district"
    );
    assert_eq!(sheet.kopecks(total, 9), expected.iter().map(|(_, f)| f[0]).sum::<i64>(), "and their total");
}

#[tokio::test]
async fn the_demo_registry_lists_every_initiative_once_with_exact_totals() {
    let o = demo_office().await;
    let sheet = read(&o.write(ReportKind::Registry, &ReportRequest::default()).await);
    let expected = core_figures(&o, InitiativeQuery::default()).await;
    let header = sheet.row_of(0, "№ п/п");
    let total = sheet.row_of(3, "Итого по реестру");
    let rows: Vec<u32> = (header + 1..total).filter(|&r| !sheet.text(r, 3).starts_with("Итого по")).collect();
    assert_eq!(rows.len(), expected.len(), "one row per initiative");
    let mut sums = [0i64; 8];
    for &r in &rows {
        for (k, c) in MONEY.iter().enumerate() {
            sums[k] += sheet.kopecks(r, *c);
        }
    }
    for (k, c) in MONEY.iter().enumerate() {
        let exact: i64 = expected.iter().map(|(_, f)| f[k]).sum();
        assert_eq!(
            (sums[k], sheet.kopecks(total, *c)),
            (exact, exact),
            "column {k}: rows and cached total both equal the database"
        );
    }
}
