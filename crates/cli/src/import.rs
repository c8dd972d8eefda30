//! `mestno import`: registries, contact lists and attendance sheets from Excel and CSV.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use mestno_core::{Lang, Store};
use mestno_office::AppError;
use mestno_office::import::{self, ImportFile, Kind, Mapping, Plan, Summary};
use serde_json::json;

/// Problems printed in the terminal; the rest are in the report.
const SHOWN: usize = 40;

/// What `mestno import` takes.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Что загружать: initiatives — проекты (реестр), contacts — контакты, events — мероприятия.
    pub what: What,
    /// Файл: .xlsx, .xls, .ods или .csv (UTF-8 с BOM или без, Windows-1251, UTF-16; разделитель «;», «,» или табуляция).
    pub file: PathBuf,
    /// Лист книги (по умолчанию — тот, где найдена подходящая таблица).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Сопоставление столбцов (JSON), сохранённое в прошлый раз или написанное вручную.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Сохранить использованное сопоставление столбцов в файл (JSON), чтобы загрузить так же в следующий раз.
    #[arg(long)]
    pub save_mapping: Option<PathBuf>,
    /// Только проверить файл, ничего не записывая.
    #[arg(long)]
    pub dry_run: bool,
    /// Создать территории, которые файл называет, а в справочнике офиса их нет (районы и
    /// населённые пункты, с подчинением, если в файле есть столбец района); с --dry-run только
    /// показать, какие будут созданы.
    #[arg(long)]
    pub create_territories: bool,
    /// Загрузить строки без ошибок, пропустив ошибочные (по умолчанию — всё или ничего).
    #[arg(long)]
    pub skip_bad: bool,
    /// Записать отчёт об ошибках и совпадениях в файл .xlsx.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Вывести итог в JSON.
    #[arg(long)]
    pub json: bool,
}

/// The kinds of records, as the command line names them.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum What {
    /// Проекты.
    Initiatives,
    /// Контакты.
    Contacts,
    /// Мероприятия.
    Events,
}

impl From<What> for Kind {
    fn from(w: What) -> Kind {
        match w {
            What::Initiatives => Kind::Initiatives,
            What::Contacts => Kind::Contacts,
            What::Events => Kind::Events,
        }
    }
}

/// Reads, checks, reports and (unless a dry run) commits, through the office's one import flow.
pub async fn run(store: &Store, args: ImportArgs, lang: Lang) -> Result<()> {
    let kind = Kind::from(args.what);
    let file = ImportFile::open(args.file.clone()).await?;
    let mut mapping = match &args.mapping {
        Some(path) => Mapping::load(path).map_err(AppError::from)?,
        None => Mapping::guessed(kind),
    };
    if mapping.kind != kind {
        return Err(anyhow!(match lang {
            Lang::Ru => format!("сопоставление составлено для записей «{}»", mapping.kind.label(lang)),
            Lang::En => format!("the mapping was made for {}", mapping.kind.label(lang)),
        }));
    }
    if args.sheet.is_some() {
        mapping.sheet = args.sheet.clone();
    }
    mapping.create_territories |= args.create_territories;
    let mut plan = file.check(store, &mapping).await?;
    if let Some(path) = &args.save_mapping {
        file.used_mapping(&plan, &mapping).save(path).map_err(AppError::from)?;
    }
    // The cells read are not needed past this point: their memory goes back before the commit.
    drop(file);
    if let Some(report) = &args.report {
        import::write_problems(&plan, report, lang)?;
    }
    if !args.json {
        print_plan(&plan, lang);
        if let Some(report) = &args.report {
            say(lang, &format!("Отчёт: {}", report.display()), &format!("Report: {}", report.display()));
        }
    }
    let refused = import::refuse_bad_rows(&plan, args.skip_bad);
    let blocked = refused.is_err();
    if args.dry_run || blocked {
        if args.json {
            crate::output::json(&plan_json(&plan))?;
        } else if args.dry_run && !blocked {
            say(
                lang,
                &format!("Проверка: готово к загрузке {}; ничего не записано.", plan.ready()),
                &format!("Check: {} ready to import; nothing was written.", plan.ready()),
            );
        }
        refused?;
        return Ok(());
    }
    if !args.json {
        say(lang, "Записываю в базу…", "Writing to the database…");
    }
    let bar = progress_bar();
    let progress = {
        let bar = bar.clone();
        move |done: u64, total: u64| {
            bar.set_length(total.max(1));
            bar.set_position(done);
        }
    };
    // What is printed of the plan is taken now: its records go into the database uncopied.
    let mut shown = if args.json { Some(plan_json(&plan)) } else { None };
    let summary = import::commit(store, &mut plan, args.skip_bad, &progress).await?;
    drop(plan);
    bar.finish_and_clear();
    if let Some(shown) = &mut shown {
        shown["territories_created"] = json!(summary.territories_created > 0);
        shown["summary"] = json!(summary);
        crate::output::json(shown)?;
    } else {
        print_summary(&summary, lang);
    }
    Ok(())
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(1);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} [{bar:40}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn say(lang: Lang, ru: &str, en: &str) {
    outln!("{}", if lang == Lang::Ru { ru } else { en });
    crate::stdout::flush();
}

fn print_plan(plan: &Plan, lang: Lang) {
    say(
        lang,
        &format!("Файл «{}», лист «{}», заголовок в строке {}.", plan.file, plan.sheet, plan.header_row),
        &format!("File «{}», sheet «{}», header in row {}.", plan.file, plan.sheet, plan.header_row),
    );
    for c in &plan.columns {
        outln!("  {:<3} {:<40} → {}", c.column, c.heading, c.field.label(lang));
    }
    say(
        lang,
        &format!(
            "Строк прочитано: {}; готово к загрузке: {}; уже есть в базе: {}; с ошибками: {}; пропущено (итоги, разделы): {}.",
            plan.rows_read,
            plan.ready(),
            plan.matched.len(),
            plan.bad_rows.len(),
            plan.skipped.len()
        ),
        &format!(
            "Rows read: {}; ready: {}; already stored: {}; with problems: {}; left out (totals, sections): {}.",
            plan.rows_read,
            plan.ready(),
            plan.matched.len(),
            plan.bad_rows.len(),
            plan.skipped.len()
        ),
    );
    print_territories(plan, lang);
    print_updates(plan, lang);
    for p in plan.problems.iter().take(SHOWN) {
        outln!("  • {}", p.describe(lang));
    }
    if !plan.warnings.is_empty() {
        say(lang, "Предупреждения (строки загружаются):", "Warnings (the rows are imported):");
        for w in plan.warnings.iter().take(SHOWN) {
            outln!("  • {}", w.describe(lang));
        }
        if plan.warnings.len() > SHOWN {
            say(
                lang,
                &format!("  … и ещё {}", plan.warnings.len() - SHOWN),
                &format!("  … and {} more", plan.warnings.len() - SHOWN),
            );
        }
    }
    if plan.problems.len() > SHOWN {
        say(
            lang,
            &format!("  … и ещё {} (все — в отчёте --report)", plan.problems.len() - SHOWN),
            &format!("  … and {} more (all in the --report file)", plan.problems.len() - SHOWN),
        );
    }
    if !plan.likely_duplicates.is_empty() {
        say(lang, "Возможные дубли (проверьте и объедините):", "Likely duplicates (check and merge):");
        for d in plan.likely_duplicates.iter().take(SHOWN) {
            outln!("  • {} {}: {} ≈ {} — {}", row_word(lang), d.row, d.name, d.existing_name, d.reason.get(lang));
        }
    }
}

/// The stored initiatives the file changes, field by field, and the changes refused as conflicts.
fn print_updates(plan: &Plan, lang: Lang) {
    if !plan.updates.is_empty() {
        let n = plan.updates.len();
        say(lang, &format!("Будут обновлены проекты ({n}):"), &format!("Initiatives to be updated ({n}):"));
        for u in plan.updates.iter().take(SHOWN) {
            outln!("  • {} {}: {} ({})", row_word(lang), u.row, u.title, u.matched_by.get(lang));
            for c in &u.changes {
                outln!("      {}: «{}» → «{}»", c.field.get(lang), c.old, c.new);
            }
        }
        if n > SHOWN {
            say(lang, &format!("  … и ещё {}", n - SHOWN), &format!("  … and {} more", n - SHOWN));
        }
    }
    if !plan.conflicts.is_empty() {
        say(
            lang,
            "Расхождения: изменено и в Mestno после прошлого импорта, и в файле (не перезаписываются):",
            "Conflicts: changed both in Mestno after the last import and in the file (not overwritten):",
        );
        for c in plan.conflicts.iter().take(SHOWN) {
            let (mestno, file) = match lang {
                Lang::Ru => ("в Mestno", "в файле"),
                Lang::En => ("in Mestno", "in the file"),
            };
            outln!(
                "  • {} {}: {} — {}: {mestno} «{}» ({}), {file} «{}»",
                row_word(lang),
                c.row,
                c.title,
                c.field.get(lang),
                c.in_mestno,
                c.changed_by,
                c.in_file
            );
        }
    }
}

/// The territories the file names that the office lacks: to be created, or how to create them.
fn print_territories(plan: &Plan, lang: Lang) {
    if plan.new_territories.is_empty() {
        return;
    }
    let creating = !plan.batch.territories.is_empty();
    let n = plan.new_territories.len();
    say(
        lang,
        &if creating {
            format!("Будут созданы территории, которых нет в справочнике офиса ({n}):")
        } else {
            format!("Территорий, которые называет файл, нет в справочнике офиса ({n}):")
        },
        &if creating {
            format!("Territories the office lacks that will be created ({n}):")
        } else {
            format!("Territories the file names that the office lacks ({n}):")
        },
    );
    for t in plan.new_territories.iter().take(SHOWN) {
        let within = match (&t.parent, lang) {
            (Some(p), Lang::Ru) => format!(", входит в «{p}»"),
            (Some(p), Lang::En) => format!(", within «{p}»"),
            (None, _) => String::new(),
        };
        let rows = match lang {
            Lang::Ru => format!("строк: {}, первая — {}", t.rows, t.first_row),
            Lang::En => format!("rows: {}, first {}", t.rows, t.first_row),
        };
        outln!("  • {} ({}{within}; {rows})", t.name, t.kind.label(lang));
    }
    if n > SHOWN {
        say(lang, &format!("  … и ещё {}", n - SHOWN), &format!("  … and {} more", n - SHOWN));
    }
    if !creating {
        say(
            lang,
            "Чтобы создать их вместе с загрузкой, добавьте --create-territories.",
            "To create them with the import, add --create-territories.",
        );
    }
}

fn row_word(lang: Lang) -> &'static str {
    if lang == Lang::Ru { "строка" } else { "row" }
}

fn print_summary(s: &Summary, lang: Lang) {
    say(
        lang,
        &format!(
            "Загружено: {}; уже были в базе: {}; возможных дублей: {}; пропущено строк с ошибками: {}.{}",
            s.created,
            s.matched,
            s.likely_duplicates,
            s.bad_rows_skipped,
            extras(s, Lang::Ru)
        ),
        &format!(
            "Imported: {}; already stored: {}; likely duplicates: {}; rows with problems left out: {}.{}",
            s.created,
            s.matched,
            s.likely_duplicates,
            s.bad_rows_skipped,
            extras(s, Lang::En)
        ),
    );
}

/// The territories and meetings an import added besides the rows' own records.
fn extras(s: &Summary, lang: Lang) -> String {
    let mut out = String::new();
    if s.territories_created > 0 {
        out += &match lang {
            Lang::Ru => format!(" Создано территорий: {}.", s.territories_created),
            Lang::En => format!(" Territories created: {}.", s.territories_created),
        };
    }
    if s.updated > 0 {
        out += &match lang {
            Lang::Ru => format!(" Обновлено проектов: {}.", s.updated),
            Lang::En => format!(" Initiatives updated: {}.", s.updated),
        };
    }
    if s.meetings > 0 {
        out += &match lang {
            Lang::Ru => format!(" Собраний граждан (мероприятий): {}.", s.meetings),
            Lang::En => format!(" Residents' meetings (events): {}.", s.meetings),
        };
    }
    out
}

/// The plan as `--json` prints it; the summary is added once the import is done.
fn plan_json(plan: &Plan) -> serde_json::Value {
    json!({
        "file": plan.file,
        "sheet": plan.sheet,
        "header_row": plan.header_row,
        "columns": plan.columns,
        "rows_read": plan.rows_read,
        "ready": plan.ready(),
        "bad_rows": plan.bad_rows,
        "problems": plan.problems,
        "skipped": plan.skipped,
        "matched": plan.matched,
        "likely_duplicates": plan.likely_duplicates,
        "new_territories": plan.new_territories,
        "territories_created": false,
        "warnings": plan.warnings,
        "updates": plan.updates,
        "conflicts": plan.conflicts,
        "summary": null,
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

    #[test]
    fn the_command_line_of_the_issue_parses() {
        let cli = Cli::try_parse_from([
            "mestno",
            "import",
            "contacts",
            "старосты.xlsx",
            "--sheet",
            "Лист1",
            "--mapping",
            "m.json",
            "--dry-run",
            "--skip-bad",
            "--report",
            "ошибки.xlsx",
            "--json",
        ]);
        let Ok(Cli { command: Command::Import(args), .. }) = cli else {
            panic!("`mestno import contacts FILE …` is a command")
        };
        assert_eq!(Kind::from(args.what), Kind::Contacts);
        assert!(args.dry_run && args.skip_bad && args.json, "the switches are taken as given");
        assert_eq!(args.report, Some(PathBuf::from("ошибки.xlsx")));
        assert!(Cli::try_parse_from(["mestno", "import", "contacts"]).is_err(), "the file is required");
    }
}
