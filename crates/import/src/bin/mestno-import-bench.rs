//! `mestno-import-bench`: writes a contact list of 100 000 people to an .xlsx the way offices keep
//! them (a title block, a header, phones in every notation), imports it into a fresh office and
//! prints, as JSON lines, how long each step took and the rows per second — beside the target of
//! at most 5 s for the whole import, validation and search indexing included.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use clap::Parser;
use mestno_core::model::{TerritoryInput, TerritoryKind};
use mestno_core::store::ContactQuery;
use mestno_core::{Store, SystemClock};
use mestno_import::{CommitOptions, Kind, Mapping};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::json;

/// Benchmark of the import.
#[derive(Parser)]
struct Args {
    /// Contacts in the file.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// Where to put the file and the database (a temporary folder by default).
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Surnames are made of a root and an ending, so that 100 000 people rarely share a name and
/// a village (two such rows are one person to the import).
const ROOTS: [&str; 40] = [
    "Иван",
    "Смирн",
    "Кузнец",
    "Поп",
    "Васил",
    "Петр",
    "Сокол",
    "Михайл",
    "Новик",
    "Фёдор",
    "Мороз",
    "Волк",
    "Алексе",
    "Лебед",
    "Семён",
    "Егор",
    "Павл",
    "Козл",
    "Степан",
    "Никола",
    "Орл",
    "Андре",
    "Макар",
    "Никит",
    "Захар",
    "Зайц",
    "Соловь",
    "Борис",
    "Яковл",
    "Григор",
    "Роман",
    "Воробь",
    "Сергеев",
    "Кирилл",
    "Максим",
    "Тарас",
    "Белов",
    "Комар",
    "Титов",
    "Медвед",
];
const ENDINGS: [&str; 6] = ["ов", "ин", "ев", "ский", "енко", "ых"];
const MEN: [&str; 12] = [
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Иван",
    "Михаил",
    "Николай",
    "Пётр",
    "Юрий",
    "Виктор",
    "Олег",
];
const WOMEN: [&str; 12] =
    ["Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Мария", "Людмила", "Галина", "Нина", "Вера"];
const FATHERS: [&str; 10] =
    ["Александров", "Сергеев", "Иванов", "Петров", "Николаев", "Викторов", "Михайлов", "Юрьев", "Андреев", "Олегов"];
const PLACES: [&str; 20] = [
    "с. Берёзовка",
    "д. Ивановка",
    "п. Долгий Мост",
    "с. Устьянск",
    "д. Заозёрная",
    "с. Покровка",
    "п. Таёжный",
    "с. Никольское",
    "д. Каменка",
    "с. Троицк",
    "п. Новый",
    "с. Апано-Ключи",
    "д. Хандальск",
    "с. Вознесенка",
    "п. Почет",
    "с. Самойловка",
    "д. Плахино",
    "с. Туровка",
    "п. Луговой",
    "с. Ношино",
];
const POSITIONS: [&str; 6] = ["", "сельский староста", "учитель", "фельдшер", "глава КФХ", "руководитель ТОС"];

fn main() -> Result<()> {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(bench(args))
}

fn line(value: serde_json::Value) {
    println!("{value}");
}

fn round(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

async fn bench(args: Args) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("контакты.xlsx");
    let started = Instant::now();
    write_contacts(&file, args.rows)?;
    line(json!({
        "metric": "write_xlsx", "rows": args.rows, "seconds": round(started.elapsed().as_secs_f64()),
        "bytes": std::fs::metadata(&file)?.len(),
    }));

    let db = dir.join("bench-import.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            std::fs::remove_file(&p)?;
        }
    }
    let store = Store::open(&db, Arc::new(SystemClock), "bench").await?;
    let district = store
        .create_territory(TerritoryInput {
            parent_id: None,
            kind: TerritoryKind::District,
            name: "Абанский район".into(),
            oktmo: String::new(),
            population: vec![],
        })
        .await?;
    for name in PLACES {
        store
            .create_territory(TerritoryInput {
                parent_id: Some(district.id),
                kind: TerritoryKind::Locality,
                name: name.into(),
                oktmo: String::new(),
                population: vec![],
            })
            .await?;
    }

    let total = Instant::now();
    let t = Instant::now();
    let source = mestno_import::open(&file)?;
    let read = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let workbook = mestno_import::inspect(&source, Kind::Contacts);
    let sheet =
        workbook.sheets.iter().find(|s| Some(&s.name) == workbook.suggested_sheet.as_ref()).context("no sheet")?;
    let mapping = Mapping::from_guess(Kind::Contacts, sheet);
    let inspect = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let plan = mestno_import::validate(&store, &source, &mapping).await?;
    let validate = t.elapsed().as_secs_f64();
    ensure!(
        plan.problems.is_empty(),
        "the generated file has problems: {:?}",
        &plan.problems[..plan.problems.len().min(3)]
    );
    let t = Instant::now();
    let summary = mestno_import::commit(&store, &plan, CommitOptions::default(), &|_| {}).await?;
    let commit = t.elapsed().as_secs_f64();
    let seconds = total.elapsed().as_secs_f64();
    let stored = store.list_contacts(&ContactQuery { limit: 1, ..Default::default() }).await?.total;
    let found = store.search("Семёнова", 5).await?;
    ensure!(stored as usize == args.rows, "{stored} contacts stored, {} expected", args.rows);
    ensure!(!found.is_empty(), "the imported contacts are not in the search index");
    for (step, s) in [("read", read), ("inspect", inspect), ("validate", validate), ("commit", commit)] {
        line(json!({ "metric": "import_step", "step": step, "seconds": round(s) }));
    }
    let rows_per_sec = args.rows as f64 / seconds;
    line(json!({
        "metric": "import_contacts_xlsx", "rows": args.rows, "created": summary.created, "seconds": round(seconds),
        "rows_per_sec": rows_per_sec.round(), "target_seconds": 5.0, "ok": seconds <= 5.0 || args.rows != 100_000,
        "searchable": true,
    }));
    store.close().await;
    Ok(())
}

/// A contact list as an office keeps it: a title block, a merged title, a header row, people
/// with phones in several notations, some e-mails, some positions.
fn write_contacts(path: &Path, rows: usize) -> Result<()> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet_with_constant_memory()?.set_name("Контакты")?;
    sheet.write_with_format(0, 0, "Список активных жителей Абанского района", &bold)?;
    sheet.write(1, 0, "по состоянию на 01.03.2025")?;
    let header = ["№ п/п", "ФИО", "Населённый пункт", "Телефон", "E-mail", "Должность", "Примечание"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_with_format(3, c as u16, *h, &bold)?;
    }
    for i in 0..rows {
        let r = 4 + i as u32;
        let woman = i % 2 == 1;
        let mut k = i / 2;
        let root = ROOTS[k % ROOTS.len()];
        k /= ROOTS.len();
        let ending = ENDINGS[k % ENDINGS.len()];
        k /= ENDINGS.len();
        let first = if woman { WOMEN[k % WOMEN.len()] } else { MEN[k % MEN.len()] };
        k /= MEN.len();
        let father = FATHERS[k % FATHERS.len()];
        let surname = format!("{root}{ending}");
        let feminine = match ending {
            "ский" => format!("{root}ская"),
            "енко" | "ых" => surname.clone(),
            _ => format!("{surname}а"),
        };
        let name =
            if woman { format!("{feminine} {first} {father}на") } else { format!("{surname} {first} {father}ич") };
        let n = 1_000_000 + i as u64;
        let phone = match i % 4 {
            0 => format!("8 (913) {:03}-{:02}-{:02}", n / 10_000 % 1000, n / 100 % 100, n % 100),
            1 => format!("+7 913 {:03} {:02} {:02}", n / 10_000 % 1000, n / 100 % 100, n % 100),
            2 => format!("8-913-{:03}-{:02}-{:02}", n / 10_000 % 1000, n / 100 % 100, n % 100),
            _ => format!("7913{n:07}"),
        };
        sheet.write(r, 0, i as u32 + 1)?;
        sheet.write(r, 1, name)?;
        sheet.write(r, 2, PLACES[(i + i / 7) % PLACES.len()])?;
        sheet.write(r, 3, phone)?;
        if i % 3 == 0 {
            sheet.write(r, 4, format!("user{i}@mail.ru"))?;
        }
        let position = POSITIONS[i % POSITIONS.len()];
        if !position.is_empty() {
            sheet.write(r, 5, position)?;
        }
    }
    book.save(path)?;
    Ok(())
}
