//! `mestno-import-bench`: writes a contact list of 100 000 people to an .xlsx the way offices keep
//! them (a title block, a header, phones in every notation) and imports it twice: into a new
//! office (its directory of villages only) and into one that already holds the medium demo
//! (10 000 contacts, 100 000 attendances…), as a new user trying Mestno would: encrypted, as the
//! app and the `mestno` command keep every office. Each import runs
//! in a process of its own, and prints, as JSON lines, how long each step took, the rows per
//! second and the process's peak memory — beside the targets of at most 2 s for the whole
//! import (validation, matching stored contacts and search indexing included), 300 MB, and 3×
//! the time calamine alone takes to read the same file into memory (`Xlsx::worksheet_range`, as
//! python-calamine does; in a process of its own too, in the same run, median of three).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use clap::Parser;
use mestno_bench::{open_encrypted, status_mb};
use mestno_core::Store;
use mestno_core::model::TerritoryKind;
use mestno_core::store::ContactQuery;
use mestno_core::text::fold;
use mestno_core::vault;
use mestno_demo::{self as demo, DemoSpec, Scale};
use mestno_office::import::{self, ImportFile, Kind, Mapping};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::json;

/// Benchmark of the import.
#[derive(Parser)]
struct Args {
    /// Contacts in the file.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// Where to put the files and the databases (a temporary folder by default).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Import `--file` into the office at this database, in this process, and report (what the
    /// benchmark runs for each office).
    #[arg(long, hide = true, requires = "file")]
    into: Option<PathBuf>,
    /// The file to import with `--into`.
    #[arg(long, hide = true)]
    file: Option<PathBuf>,
    /// The office's name in the report, with `--into`.
    #[arg(long, hide = true)]
    office: Option<String>,
    /// Only make the offices and the files in `--dir`, for profiling an import by hand.
    #[arg(long, requires = "dir")]
    prepare_only: bool,
    /// Read `--file` with calamine alone, in this process, and report.
    #[arg(long, hide = true, requires = "file")]
    calamine: bool,
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
    match (&args.into, &args.file) {
        (None, Some(file)) if args.calamine => calamine_alone(file),
        (Some(db), Some(file)) => rt.block_on(import(db, file, args.rows, args.office.as_deref().unwrap_or("?"))),
        _ => rt.block_on(bench(args)),
    }
}

fn line(value: serde_json::Value) {
    println!("{value}");
}

fn round(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

/// Target for the whole import, read to searchable, for the peak memory of the process, and for
/// its time beside calamine's reading the file.
const TARGET_SECONDS: f64 = 2.0;
const TARGET_PEAK_MB: f64 = 300.0;
const TARGET_VS_CALAMINE: f64 = 3.0;

/// Prepares the two offices and their files, then imports each in a process of its own, so that
/// each import's peak memory is its own and not the preparation's.
async fn bench(args: Args) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let offices = [("empty", None), ("medium demo", Some(Scale::Medium))];
    let mut cases = Vec::new();
    for (label, demo) in offices {
        let slug = label.replace(' ', "-");
        let db = dir.join(format!("bench-import-{slug}.sqlite"));
        remove_database(&db)?;
        let store = open_office(&db).await?;
        let started = Instant::now();
        let places = match demo {
            None => empty_office(&store).await?,
            Some(scale) => {
                demo::generate(&store, DemoSpec { scale, seed: 1 }, &|_| {}).await?;
                demo_places(&store).await?
            }
        };
        store.close().await;
        line(json!({ "metric": "prepare_office", "office": label, "seconds": round(started.elapsed().as_secs_f64()) }));
        let file = dir.join(format!("контакты-{slug}.xlsx"));
        let started = Instant::now();
        write_contacts(&file, args.rows, &places)?;
        line(json!({
            "metric": "write_xlsx", "office": label, "rows": args.rows,
            "seconds": round(started.elapsed().as_secs_f64()), "bytes": std::fs::metadata(&file)?.len(),
        }));
        cases.push((label, db, file));
    }
    if args.prepare_only {
        return Ok(());
    }
    for (label, db, file) in cases {
        let mut reads = Vec::new();
        for _ in 0..3 {
            let out = std::process::Command::new(std::env::current_exe()?)
                .arg("--calamine")
                .arg("--file")
                .arg(&file)
                .output()?;
            ensure!(out.status.success(), "calamine failed: {}", String::from_utf8_lossy(&out.stderr));
            reads.push(serde_json::from_slice::<serde_json::Value>(&out.stdout)?);
        }
        reads.sort_by(|a, b| a["seconds"].as_f64().unwrap_or(0.0).total_cmp(&b["seconds"].as_f64().unwrap_or(0.0)));
        let calamine = reads[1]["seconds"].as_f64().unwrap_or(f64::NAN);
        line(
            json!({ "metric": "calamine_read_xlsx", "office": label, "rows": args.rows, "seconds": calamine, "peak_rss_mb": reads[1]["peak_rss_mb"] }),
        );
        let out = std::process::Command::new(std::env::current_exe()?)
            .arg("--into")
            .arg(&db)
            .arg("--file")
            .arg(&file)
            .args(["--rows", &args.rows.to_string(), "--office", label])
            .stderr(std::process::Stdio::inherit())
            .output()
            .context("while starting the import's own process")?;
        let text = String::from_utf8_lossy(&out.stdout);
        print!("{text}");
        ensure!(out.status.success(), "the import into the {label} office failed");
        let whole = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["metric"] == "import_contacts_xlsx");
        let seconds = whole.as_ref().and_then(|v| v["seconds"].as_f64()).unwrap_or(f64::NAN);
        let ratio = seconds / calamine;
        line(json!({
            "metric": "import_vs_calamine", "office": label, "seconds": seconds, "calamine_seconds": calamine,
            "ratio": round(ratio), "target_ratio": TARGET_VS_CALAMINE, "ok": ratio <= TARGET_VS_CALAMINE,
        }));
    }
    Ok(())
}

/// The office encrypted, as the app and the `mestno` command keep it, with its key from a password.
async fn open_office(db: &Path) -> Result<Store> {
    open_encrypted(db, "bench").await
}

fn remove_database(db: &Path) -> Result<()> {
    let files = ["", "-wal", "-shm"].map(|suffix| PathBuf::from(format!("{}{suffix}", db.display())));
    for p in files.iter().chain([&vault::key_file_path(db)]) {
        if p.exists() {
            std::fs::remove_file(p)?;
        }
    }
    Ok(())
}

/// A new office's directory: one district and the villages the file names.
async fn empty_office(store: &Store) -> Result<Vec<String>> {
    mestno_bench::district(store, PLACES.iter().map(|p| p.to_string())).await?;
    Ok(PLACES.iter().map(|p| p.to_string()).collect())
}

/// Twenty of the demo office's villages whose names no other territory shares: the people of an
/// office's contact list live in its own villages.
async fn demo_places(store: &Store) -> Result<Vec<String>> {
    let all = store.territories().await?;
    let mut count = std::collections::HashMap::new();
    for t in &all {
        *count.entry(fold(&t.name)).or_insert(0) += 1;
    }
    let places: Vec<String> = all
        .iter()
        .filter(|t| t.kind == TerritoryKind::Locality && count[&fold(&t.name)] == 1)
        .map(|t| t.name.clone())
        .take(PLACES.len())
        .collect();
    ensure!(places.len() == PLACES.len(), "the demo office has only {} villages of unique names", places.len());
    Ok(places)
}

/// The peak resident memory of this process so far, in MB (Linux; `None` elsewhere).
fn peak_rss_mb() -> Option<f64> {
    status_mb("VmHWM:").map(f64::round)
}

/// calamine alone reading the first sheet of `file` into memory, every cell's value looked at.
fn calamine_alone(file: &Path) -> Result<()> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let started = Instant::now();
    let mut book: Xlsx<_> = open_workbook(file)?;
    let name = book.sheet_names().first().cloned().context("no sheet")?;
    let range = book.worksheet_range(&name)?;
    let text: usize = range.used_cells().map(|(_, _, v)| if let Data::String(s) = v { s.len() } else { 1 }).sum();
    let seconds = started.elapsed().as_secs_f64();
    line(
        json!({ "seconds": round(seconds), "rows": range.height(), "bytes_of_text": text, "peak_rss_mb": peak_rss_mb() }),
    );
    Ok(())
}

/// One import through the office's import flow, as the `mestno import` command and the window's
/// wizard run it: read, inspect, check, commit (the records uncopied), searchable.
async fn import(db: &Path, file: &Path, rows: usize, office: &str) -> Result<()> {
    let store = open_office(db).await?;
    let before = store.list_contacts(&ContactQuery { limit: 1, ..Default::default() }).await?.total;
    let total = Instant::now();
    let t = Instant::now();
    let source = ImportFile::open(file.to_path_buf()).await?;
    let read = t.elapsed().as_secs_f64();
    let mut rss = vec![status_mb("VmRSS:").map(f64::round)];
    let t = Instant::now();
    let workbook = source.inspect(Kind::Contacts);
    let sheet =
        workbook.sheets.iter().find(|s| Some(&s.name) == workbook.suggested_sheet.as_ref()).context("no sheet")?;
    let mapping = Mapping::from_guess(Kind::Contacts, sheet);
    let inspect = t.elapsed().as_secs_f64();
    rss.push(status_mb("VmRSS:").map(f64::round));
    let t = Instant::now();
    let mut plan = source.check(&store, &mapping).await?;
    let validate = t.elapsed().as_secs_f64();
    rss.push(status_mb("VmRSS:").map(f64::round));
    ensure!(
        plan.problems.is_empty(),
        "the generated file has problems: {:?}",
        &plan.problems[..plan.problems.len().min(3)]
    );
    drop(source);
    let t = Instant::now();
    let summary = import::commit(&store, &mut plan, false, &|_, _| {}).await?;
    drop(plan);
    let commit = t.elapsed().as_secs_f64();
    rss.push(status_mb("VmRSS:").map(f64::round));
    let seconds = total.elapsed().as_secs_f64();
    let peak = peak_rss_mb();
    let stored = store.list_contacts(&ContactQuery { limit: 1, ..Default::default() }).await?.total;
    ensure!(
        stored as usize == before as usize + summary.created,
        "{stored} contacts stored, {before} + {} expected",
        summary.created
    );
    ensure!(
        summary.created + summary.matched == rows,
        "{} added and {} matched of {rows}",
        summary.created,
        summary.matched
    );
    let created: std::collections::HashSet<_> = summary.ids.contacts.iter().collect();
    let name = person(rows - 1);
    let found = store.search(&name, 50).await?;
    ensure!(found.iter().any(|h| created.contains(&h.id)), "the imported «{name}» is not in the search index");
    for ((step, s), rss) in
        [("read", read), ("inspect", inspect), ("validate", validate), ("commit", commit)].into_iter().zip(rss)
    {
        line(
            json!({ "metric": "import_step", "office": office, "step": step, "seconds": round(s), "rss_mb_after": rss }),
        );
    }
    let full = rows == 100_000;
    line(json!({
        "metric": "import_contacts_xlsx", "office": office, "contacts_before": before, "rows": rows,
        "created": summary.created, "matched": summary.matched, "seconds": round(seconds),
        "rows_per_sec": (rows as f64 / seconds).round(), "target_seconds": TARGET_SECONDS,
        "peak_rss_mb": peak, "target_peak_rss_mb": TARGET_PEAK_MB,
        "ok": !full || (seconds <= TARGET_SECONDS && peak.is_none_or(|p| p <= TARGET_PEAK_MB)),
        "searchable": true,
    }));
    store.close().await;
    Ok(())
}

/// The full name of the `i`-th person of the list.
fn person(i: usize) -> String {
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
    if woman { format!("{feminine} {first} {father}на") } else { format!("{surname} {first} {father}ич") }
}

/// A contact list as an office keeps it: a title block, a merged title, a header row, people
/// with phones in several notations, some e-mails, some positions.
fn write_contacts(path: &Path, rows: usize, places: &[String]) -> Result<()> {
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
        let name = person(i);
        let n = 1_000_000 + i as u64;
        let phone = match i % 4 {
            0 => format!("8 (913) {:03}-{:02}-{:02}", n / 10_000 % 1000, n / 100 % 100, n % 100),
            1 => format!("+7 913 {:03} {:02} {:02}", n / 10_000 % 1000, n / 100 % 100, n % 100),
            2 => format!("8-913-{:03}-{:02}-{:02}", n / 10_000 % 1000, n / 100 % 100, n % 100),
            _ => format!("7913{n:07}"),
        };
        sheet.write(r, 0, i as u32 + 1)?;
        sheet.write(r, 1, name)?;
        sheet.write(r, 2, places[(i + i / 7) % places.len()].as_str())?;
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
