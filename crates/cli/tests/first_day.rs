//! The first day in a new office, as a new user lives it: an empty office imports the registry it
//! has kept in Excel for years — title rows, a two-level heading, money written as text with
//! spaces and commas, districts and villages the office has not entered yet, the residents'
//! meetings that chose each project, a totals row — and `mestno stats` then shows exactly the
//! totals the file states. Bringing the registry back with corrections updates the projects.

mod support;

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};
use support::Office;

impl Office {
    /// A new office with its name, and nothing else.
    fn named() -> Self {
        let o = Office::new();
        o.ok(&["init", "--office", "Манский проектный офис"]);
        o
    }
}

/// One project of the registry, as the office wrote it.
struct Project {
    district: &'static str,
    village: String,
    title: String,
    /// Kopecks: regional, municipal, residents, business.
    money: [i64; 4],
    participants: i64,
    beneficiaries: i64,
    meeting: Option<String>,
}

const DISTRICTS: [(&str, &str); 3] = [
    ("Манский район", "Манский муниципальный район"),
    ("Ирбейский район", "Ирбейский МР"),
    ("Абанский район", "Абанский р-н"),
];
const VILLAGES: [&str; 12] = [
    "Новосёлово",
    "Грачёвка",
    "Берёзовка",
    "Степановка",
    "Камарчага",
    "Шалинское",
    "Нарва",
    "Первоманск",
    "Орловка",
    "Тальское",
    "Ивановка",
    "Малая Камала",
];
const PREFIXES: [&str; 4] = ["с. ", "д. ", "село ", "п. "];
const OBJECTS: [&str; 5] =
    ["Ремонт водопровода", "Устройство уличного освещения", "Детская площадка", "Ремонт дороги", "Ограждение кладбища"];

/// 820 projects in 3 districts and 36 villages (each district has its own «Берёзовка»…),
/// deterministic.
fn projects() -> Vec<Project> {
    let mut seed: u64 = 17;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    (0..820)
        .map(|i| {
            let d = i % 3;
            let v = next(VILLAGES.len() as u64) as usize;
            let regional = 10_000_000 + next(200_000_000) as i64;
            let municipal = next(30_000_000) as i64 + 1_000_000;
            let residents = next(10_000_000) as i64 + 500_037;
            let business = if next(3) == 0 { 0 } else { next(8_000_000) as i64 + 99 };
            Project {
                district: DISTRICTS[d].0,
                village: format!("{}{}", PREFIXES[(v + d) % PREFIXES.len()], VILLAGES[v]),
                title: format!("{} № {}", OBJECTS[i % OBJECTS.len()], i + 1),
                money: [regional, municipal, residents, business],
                participants: 20 + next(180) as i64,
                beneficiaries: 50 + next(3000) as i64,
                meeting: (next(4) != 0).then(|| format!("{:02}.{:02}.2025", 1 + next(28), 1 + next(4))),
            }
        })
        .collect()
}

/// «1 234 567,89» — money as offices type it into a text cell.
fn rub(k: i64) -> String {
    let rub = (k / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in rub.chars().enumerate() {
        if i > 0 && (rub.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", k % 100)
}

/// The registry as an office keeps it: two title rows, a two-level heading with merged cells, a
/// district written three ways, money as text, and «Итого» with the figures the office reports.
fn write_registry(path: &Path, projects: &[Project], beneficiaries_of: impl Fn(usize, &Project) -> i64) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Реестр 2025").unwrap();
    let bold = Format::new().set_bold();
    sheet.merge_range(0, 0, 0, 11, "Реестр инициативных проектов ППМИ на 2025 год", &bold).unwrap();
    sheet.write_string(1, 0, "по состоянию на 01.12.2025").unwrap();
    for (c, heading) in [
        (0, "№ п/п"),
        (1, "Муниципальный район"),
        (2, "Населённый пункт"),
        (3, "Наименование проекта"),
        (4, "Год"),
        (5, "Общая стоимость проекта, руб."),
        (10, "Кол-во участников собрания"),
        (11, "Дата проведения собрания"),
        (12, "Численность благополучателей"),
    ] {
        sheet.merge_range(3, c, 4, c, heading, &bold).unwrap();
    }
    sheet.merge_range(3, 6, 3, 9, "Источники финансирования, руб.", &bold).unwrap();
    for (c, heading) in [(6, "Краевой бюджет"), (7, "Местный бюджет"), (8, "Население"), (9, "Юридические лица и ИП")]
    {
        sheet.write_string_with_format(4, c, heading, &bold).unwrap();
    }
    let mut totals = [0i64; 4];
    let (mut participants, mut beneficiaries) = (0, 0);
    for (i, p) in projects.iter().enumerate() {
        let r = 5 + i as u32;
        let district = if i % 7 == 0 { DISTRICTS[i % 3].1 } else { p.district };
        let b = beneficiaries_of(i, p);
        sheet.write_number(r, 0, (i + 1) as f64).unwrap();
        sheet.write_string(r, 1, district).unwrap();
        sheet.write_string(r, 2, &p.village).unwrap();
        sheet.write_string(r, 3, &p.title).unwrap();
        sheet.write_number(r, 4, 2025.0).unwrap();
        sheet.write_string(r, 5, rub(p.money.iter().sum())).unwrap();
        for (k, m) in p.money.iter().enumerate() {
            if i % 5 == 0 {
                sheet.write_number(r, 6 + k as u16, *m as f64 / 100.0).unwrap();
            } else if *m > 0 {
                sheet.write_string(r, 6 + k as u16, rub(*m)).unwrap();
            }
            totals[k] += m;
        }
        sheet.write_number(r, 10, p.participants as f64).unwrap();
        if let Some(on) = &p.meeting {
            sheet.write_string(r, 11, on).unwrap();
        }
        sheet.write_number(r, 12, b as f64).unwrap();
        participants += p.participants;
        beneficiaries += b;
    }
    let r = 5 + projects.len() as u32;
    sheet.write_string_with_format(r, 1, format!("Итого: {} проектов", projects.len()), &bold).unwrap();
    sheet.write_string(r, 5, rub(totals.iter().sum())).unwrap();
    for (k, t) in totals.iter().enumerate() {
        sheet.write_string(r, 6 + k as u16, rub(*t)).unwrap();
    }
    sheet.write_number(r, 10, participants as f64).unwrap();
    sheet.write_number(r, 12, beneficiaries as f64).unwrap();
    book.save(path).unwrap();
}

/// The totals a registry's «Итого» row states.
fn totals(projects: &[Project], beneficiaries_of: impl Fn(usize, &Project) -> i64) -> ([i64; 4], i64, i64) {
    let mut money = [0i64; 4];
    for p in projects {
        for (t, m) in money.iter_mut().zip(p.money) {
            *t += m;
        }
    }
    let participants = projects.iter().map(|p| p.participants).sum();
    let beneficiaries = projects.iter().enumerate().map(|(i, p)| beneficiaries_of(i, p)).sum();
    (money, participants, beneficiaries)
}

#[test]
fn an_empty_office_imports_its_registry_as_it_is_and_reports_exactly_its_totals() {
    let o = Office::named();
    let projects = projects();
    let file = o.path("реестр.xlsx");
    let as_written = |_: usize, p: &Project| p.beneficiaries;
    write_registry(&file, &projects, as_written);
    let file = file.to_str().unwrap();

    // Without the switch the rows are refused, and the districts and villages are listed.
    let refused = o.run(&["import", "initiatives", file]);
    assert!(!refused.status.success(), "an office without these territories cannot take the rows as they are");
    let said = String::from_utf8_lossy(&refused.stdout);
    assert!(said.contains("Манский муниципальный район") && said.contains("--create-territories"), "{said}");

    // The dry run lists what would be created, with the hierarchy the file gives; nothing is written.
    let dry = o.json(&["import", "initiatives", file, "--create-territories", "--dry-run", "--json"]);
    let planned = dry["new_territories"].as_array().unwrap();
    assert_eq!(
        planned.iter().filter(|t| t["kind"] == "district").count(),
        3,
        "«Манский район», «Манский муниципальный район» and «Манский МР» are one district: {planned:#?}"
    );
    let villages: Vec<&serde_json::Value> = planned.iter().filter(|t| t["kind"] == "locality").collect();
    assert_eq!(villages.len(), 36, "12 villages in each of 3 districts, «с.»/«село» and «ё» aside");
    assert!(
        villages.iter().all(|v| v["parent"].as_str().is_some_and(|p| p.ends_with("район"))),
        "each under its district"
    );
    assert_eq!(o.json(&["stats", "--json"])["initiatives"], 0, "a dry run writes nothing");
    assert_eq!(
        dry["warnings"].as_array().map(Vec::len),
        Some(0),
        "the rows add up to the totals row: {:#}",
        dry["warnings"]
    );

    let done = o.json(&["import", "initiatives", file, "--create-territories", "--json"]);
    assert_eq!(done["summary"]["created"], 820, "{:#}", done["problems"]);
    assert_eq!(done["summary"]["territories_created"], 39);
    assert_eq!(done["summary"]["meetings"], 820, "every project's meeting is an event");

    let (money, participants, beneficiaries) = totals(&projects, as_written);
    let stats = o.json(&["stats", "--json"]);
    assert_eq!(stats["initiatives"], 820, "the number of projects the totals row states");
    let funds = &stats["funds_kopecks"];
    assert_eq!(
        [&funds["regional"], &funds["municipal"], &funds["residents"], &funds["business"]].map(|v| v.as_i64().unwrap()),
        money,
        "money by source to the kopeck, as the totals row states"
    );
    assert_eq!(stats["participants"], participants, "the meetings' participants, as the totals row states");
    assert_eq!(stats["beneficiaries"], beneficiaries, "beneficiaries, as the totals row states");
    assert_eq!(stats["events"], 820);

    // The same registry again changes nothing.
    let again = o.json(&["import", "initiatives", file, "--create-territories", "--dry-run", "--json"]);
    assert_eq!((again["ready"].as_i64(), again["updates"].as_array().map(Vec::len)), (Some(0), Some(0)), "{again:#}");
    assert_eq!(again["new_territories"].as_array().map(Vec::len), Some(0), "the territories are now the office's own");

    // Brought back with corrected beneficiaries in ten rows: those ten projects are updated.
    let corrected = |i: usize, p: &Project| if i.is_multiple_of(82) { p.beneficiaries + 1000 } else { p.beneficiaries };
    let back = o.path("реестр, исправленный.xlsx");
    write_registry(&back, &projects, corrected);
    let back = back.to_str().unwrap();
    let dry = o.json(&["import", "initiatives", back, "--dry-run", "--json"]);
    let updates = dry["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 10, "{dry:#}");
    let first = &updates[0]["changes"][0];
    assert_eq!(
        (first["old"].as_str(), first["new"].as_str()),
        (
            Some(projects[0].beneficiaries.to_string().as_str()),
            Some((projects[0].beneficiaries + 1000).to_string().as_str())
        ),
        "the dry run says what changes from what to what: {first:#}"
    );
    let done = o.json(&["import", "initiatives", back, "--json"]);
    assert_eq!((done["summary"]["created"].as_i64(), done["summary"]["updated"].as_i64()), (Some(0), Some(10)));
    let stats = o.json(&["stats", "--json"]);
    assert_eq!(stats["initiatives"], 820, "no project is added twice");
    assert_eq!(stats["beneficiaries"], totals(&projects, corrected).2);
}

/// A copy of an .xlsx's first sheet, every cell as its value, with `edit` applied to each
/// (row, column, text) — what an office's Excel keeps of a report it opened, changed and saved.
fn resave(from: &Path, to: &Path, edit: impl Fn(u32, u16, String) -> String) {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(from).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let (r0, c0) = range.start().unwrap();
    let mut out = Workbook::new();
    let sheet = out.add_worksheet();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r0 + r as u32, (c0 + c as u32) as u16);
            match cell {
                Data::Empty => {}
                Data::Float(f) => {
                    let edited = edit(r, c, f.to_string());
                    sheet.write_number(r, c, edited.parse::<f64>().unwrap_or(*f)).unwrap();
                }
                Data::Int(i) => {
                    sheet.write_number(r, c, *i as f64).unwrap();
                }
                other => {
                    sheet.write_string(r, c, edit(r, c, other.to_string())).unwrap();
                }
            }
        }
    }
    out.save(to).unwrap();
}

/// The sheet row (0-based) of the registry's project № 1.
fn first_project_row(path: &Path) -> u32 {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let (r0, _) = range.start().unwrap();
    let at = range.rows().position(|row| matches!(row.first(), Some(Data::Float(f)) if *f == 1.0)).unwrap();
    r0 + at as u32
}

#[test]
fn a_registry_exported_corrected_in_excel_and_brought_back_updates_its_projects() {
    let o = Office::named();
    o.ok(&["demo", "--scale", "small", "--seed", "3"]);
    let before = o.json(&["stats", "--json"]);
    let exported = o.path("реестр.xlsx");
    o.ok(&["report", "registry", "-o", exported.to_str().unwrap()]);

    // Brought back unchanged: every project is found by its record id; nothing changes.
    let same = o.path("реестр, как был.xlsx");
    resave(&exported, &same, |_, _, v| v);
    let dry = o.json(&["import", "initiatives", same.to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(dry["ready"], 0, "no project is added twice: {:#}", dry["problems"]);
    assert_eq!(dry["updates"].as_array().map(Vec::len), Some(0), "{:#}", dry["updates"]);
    assert_eq!(dry["new_territories"].as_array().map(Vec::len), Some(0));
    assert_eq!(dry["bad_rows"].as_array().map(Vec::len), Some(0), "{:#}", dry["problems"]);

    // A title corrected in Excel: the project keeps its id and takes the new title.
    let fixed = o.path("реестр, исправленный.xlsx");
    let first = first_project_row(&exported);
    let first_title =
        |r: u32, c: u16, v: String| if c == 3 && r == first { format!("{v} (исправлено)") } else { v };
    resave(&exported, &fixed, first_title);
    let dry = o.json(&["import", "initiatives", fixed.to_str().unwrap(), "--dry-run", "--json"]);
    let updates = dry["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 1, "{dry:#}");
    assert!(updates[0]["changes"][0]["new"].as_str().unwrap().ends_with("(исправлено)"), "{:#}", updates[0]);
    o.ok(&["import", "initiatives", fixed.to_str().unwrap()]);
    let after = o.json(&["stats", "--json"]);
    assert_eq!(after["initiatives"], before["initiatives"], "the corrected project is the same project");
    assert_eq!(after["funds_kopecks"], before["funds_kopecks"]);
}
