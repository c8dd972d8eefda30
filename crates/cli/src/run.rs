//! Each command: resolve arguments, call the core once, print.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use mestno_core::model::{ContactInput, EventInput, Id, InitiativeInput, ProgramInput, Stage, TerritoryInput};
use mestno_core::store::{ContactQuery, EventQuery, InitiativeQuery, StatsFilter};
use mestno_core::{Access, Clock, Lang, Store, SystemClock};
use mestno_office::demo::{self, DemoSpec, Scale};
use mestno_office::{Call, NoShell, Office, names};
use serde::Deserialize;

use crate::args::{Cli, Command, ListKind, RecordKind};
use crate::keys::{self, Keys};
use crate::output;

/// Runs one command, through the application layer (mestno-office) as the window does, its
/// messages in the language asked for. The office it opened is closed at the end, whether the
/// command succeeded or not: its log is copied into the database file, so the file alone holds
/// the office.
pub async fn run(cli: Cli) -> Result<()> {
    mestno_office::error::set_ui_lang(cli.lang);
    let opened = Opened::default();
    let result = dispatch(cli, &opened).await;
    if let Some(office) = opened.0.into_inner() {
        office.close().await;
    }
    result
}

/// The office a command opened.
#[derive(Default)]
struct Opened(OnceLock<Office>);

/// A command of the office's table, called from the command line (no window around it).
pub fn call(office: &Office) -> Call<'_> {
    Call::new(office, &NoShell)
}

async fn dispatch(cli: Cli, opened: &Opened) -> Result<()> {
    let lang = cli.lang;
    let path = match cli.db {
        Some(p) => p,
        None => default_db_path(lang)?,
    };
    let keys = Keys { passphrase_env: cli.passphrase_env, lang };
    match cli.command {
        Command::Init(profile) => {
            let created = !path.exists();
            let office = open(&path, true, &keys, opened).await?;
            crate::office::set(office, profile).await?;
            match lang {
                Lang::Ru if created => outln!("Создана база офиса: {}", path.display()),
                Lang::Ru => outln!("База офиса уже есть: {}", path.display()),
                Lang::En if created => outln!("Created the office database: {}", path.display()),
                Lang::En => outln!("The office database already exists: {}", path.display()),
            }
            let how = match (mestno_core::vault::protection(&path)?, lang) {
                (mestno_core::vault::Protection::Passphrase, Lang::Ru) => {
                    "зашифрована, ключ получается из пароля базы данных"
                }
                (_, Lang::Ru) => "зашифрована, ключ хранится в хранилище паролей системы",
                (mestno_core::vault::Protection::Passphrase, Lang::En) => {
                    "encrypted, the key derived from the database password"
                }
                (_, Lang::En) => "encrypted, the key kept in the system's password store",
            };
            outln!("{how}");
        }
        Command::Demo { scale, seed } => {
            let scale: Scale = scale.parse()?;
            let store = open(&path, true, &keys, opened).await?.store()?;
            let bar = progress_bar();
            // Without a terminal the bar stays hidden: a line per stage tells a log (or a test
            // that stops the run half-way) how far it got.
            let plain = !std::io::stderr().is_terminal();
            let stage = std::sync::Mutex::new("");
            let report = {
                let bar = bar.clone();
                move |p: demo::DemoProgress| {
                    bar.set_length(p.total.max(1));
                    bar.set_position(p.done);
                    bar.set_message(demo_stage(p.stage, lang));
                    let mut last = stage.lock().unwrap_or_else(|e| e.into_inner());
                    if plain && *last != p.stage {
                        *last = p.stage;
                        match lang {
                            Lang::Ru => eprintln!("демо-данные: {}…", p.stage),
                            Lang::En => eprintln!("demo data: {}…", demo_stage(p.stage, lang)),
                        }
                    }
                }
            };
            let started = std::time::Instant::now();
            let summary = demo::generate(&store, DemoSpec { scale, seed }, &report).await?;
            bar.finish_and_clear();
            let secs = started.elapsed().as_secs_f64();
            let rate = summary.rows as f64 / secs.max(1e-9);
            match lang {
                Lang::Ru => outln!(
                    "Демо-данные готовы за {secs:.1} с: территорий {}, программ {}, контактов {}, проектов {}, мероприятий {}, участий {} (всего строк {}, {rate:.0} строк/с)",
                    summary.territories,
                    summary.programs,
                    summary.contacts,
                    summary.initiatives,
                    summary.events,
                    summary.attendances,
                    summary.rows,
                ),
                Lang::En => outln!(
                    "The demo data is ready in {secs:.1} s: {} territories, {} programs, {} contacts, {} initiatives, {} events, {} attendances ({} rows in all, {rate:.0} rows/s)",
                    summary.territories,
                    summary.programs,
                    summary.contacts,
                    summary.initiatives,
                    summary.events,
                    summary.attendances,
                    summary.rows,
                ),
            }
        }
        Command::Office { json } => {
            let office = open(&path, false, &keys, opened).await?;
            crate::office::show(office, json, lang).await?;
        }
        Command::Stats { program, year, territory, json } => {
            let office = open(&path, false, &keys, opened).await?;
            let store = office.store()?;
            let filter = StatsFilter {
                program_id: program_by_code(&store, program.as_deref()).await?,
                year,
                territory_id: territory_by_name(&store, territory.as_deref()).await?,
            };
            let stats = call(office).stats(filter).await?;
            if json {
                output::json(&stats)?;
            } else {
                output::stats(&stats, lang);
            }
        }
        Command::Search { text, limit, json } => {
            let store = open(&path, false, &keys, opened).await?.store()?;
            // The window's `search` holds its hits to 50; here `--limit` is as given.
            let hits = store.search(&text, limit).await?;
            if json {
                output::json(&hits)?;
            } else {
                output::search(&hits, lang);
            }
        }
        Command::List { what, program, year, territory, text, limit, json } => {
            let office = open(&path, false, &keys, opened).await?;
            let store = office.store()?;
            let territory_id = territory_by_name(&store, territory.as_deref()).await?;
            match what {
                ListKind::Initiatives => {
                    let program_id = program_by_code(&store, program.as_deref()).await?;
                    let q = InitiativeQuery { program_id, year, territory_id, text, limit, ..Default::default() };
                    let page = call(office).list_initiatives(q).await?;
                    if json { output::json(&page)? } else { output::initiatives(&page, lang) }
                }
                ListKind::Contacts => {
                    let q = ContactQuery { territory_id, text, limit, ..Default::default() };
                    let page = call(office).list_contacts(q).await?;
                    if json { output::json(&page)? } else { output::contacts(&page, lang) }
                }
                ListKind::Events => {
                    let q = EventQuery { territory_id, text, limit, ..Default::default() };
                    let page = call(office).list_events(q).await?;
                    if json { output::json(&page)? } else { output::events(&page, lang) }
                }
                // The directories are listed whole as JSON, `limit` lines as text.
                ListKind::Territories => {
                    let all = call(office).territories().await?;
                    if json { output::json(&all)? } else { output::territories(&all, limit, lang) }
                }
                ListKind::Programs => {
                    let all = call(office).programs().await?;
                    if json { output::json(&all)? } else { output::programs(&all, limit, lang) }
                }
            }
        }
        Command::Show { what, id } => {
            let office = open(&path, false, &keys, opened).await?;
            let id = parse_id(&id, lang)?;
            match what {
                RecordKind::Territory => output::json(&call(office).territory(id).await?)?,
                RecordKind::Program => output::json(&call(office).program(id).await?)?,
                RecordKind::Initiative => output::json(&call(office).initiative(id).await?)?,
                RecordKind::Contact => output::json(&call(office).contact(id).await?)?,
                RecordKind::Event => output::json(&call(office).event(id).await?)?,
            }
        }
        Command::Add { what, file } => {
            let text = read_input(file.as_deref(), lang)?;
            let office = open(&path, false, &keys, opened).await?;
            let id = match what {
                RecordKind::Territory => {
                    call(office).save_territory(None, None, parse_json::<TerritoryInput>(&text, lang)?).await?.id
                }
                RecordKind::Program => {
                    call(office).save_program(None, None, parse_json::<ProgramInput>(&text, lang)?).await?.id
                }
                RecordKind::Initiative => {
                    let new: NewInitiative = parse_json(&text, lang)?;
                    call(office).save_initiative(None, None, new.input, new.stage, new.stage_on).await?.id
                }
                RecordKind::Contact => {
                    call(office).save_contact(None, None, parse_json::<ContactInput>(&text, lang)?).await?.id
                }
                RecordKind::Event => {
                    call(office).save_event(None, None, parse_json::<EventInput>(&text, lang)?).await?.id
                }
            };
            outln!("{id}");
        }
        Command::Stage { id, to, on, note } => {
            let office = open(&path, false, &keys, opened).await?;
            let store = office.store()?;
            let id = parse_id(&id, lang)?;
            let to = Stage::parse(&to).ok_or_else(|| {
                let known = Stage::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                match lang {
                    Lang::Ru => anyhow!("неизвестная стадия «{to}»; допустимы: {known}"),
                    Lang::En => anyhow!("unknown stage «{to}»; the stages are: {known}"),
                }
            })?;
            let current = call(office).initiative(id).await?;
            let on = on.unwrap_or_else(|| store.clock().today());
            let changed = call(office).change_stage(id, current.stamp.rev, to, on, Some(note)).await?;
            outln!("{}: {} → {}", changed.input.title, current.stage.label(lang), changed.stage.label(lang));
        }
        Command::Merge { keep, duplicate } => {
            let office = open(&path, false, &keys, opened).await?;
            let keep = parse_id(&keep, lang)?;
            let current = call(office).contact(keep).await?;
            let merged = call(office).merge_contacts(keep, current.stamp.rev, parse_id(&duplicate, lang)?).await?;
            outln!("{}: {}", merged.display_name, merged.id);
        }
        Command::History { id } => {
            let office = open(&path, false, &keys, opened).await?;
            output::json(&call(office).history(parse_id(&id, lang)?).await?)?;
        }
        Command::Attach { id, file } => {
            let office = open(&path, false, &keys, opened).await?;
            let attached = call(office).attach_file(parse_id(&id, lang)?, file).await?;
            output::attachments(std::slice::from_ref(&attached), lang);
        }
        Command::Files { id, json } => {
            let office = open(&path, false, &keys, opened).await?;
            let files = call(office).attachments(parse_id(&id, lang)?).await?;
            if json {
                output::json(&files)?;
            } else {
                output::attachments(&files, lang);
            }
        }
        Command::Check { json } => {
            let store = open(&path, false, &keys, opened).await?.store()?;
            let report = store.check().await?;
            if json {
                output::json(&report)?;
            } else {
                output::check(&report, lang);
            }
            if !report.ok {
                bail!(
                    "{}",
                    if lang == Lang::Ru {
                        "проверка нашла ошибки"
                    } else {
                        "the check found problems"
                    }
                );
            }
        }
        Command::Backup { file, backup_passphrase_env } => {
            let store = open(&path, false, &keys, opened).await?.store()?;
            let report = match &backup_passphrase_env {
                Some(var) => store.backup_with_passphrase(&file, &keys::from_env(var, lang)?).await?,
                None => store.backup(&file).await?,
            };
            let key_file = mestno_core::vault::key_file_path(&report.path);
            match (lang, backup_passphrase_env.is_some()) {
                (Lang::Ru, true) => outln!(
                    "Резервная копия: {} ({} байт), зашифрована паролем; храните вместе с ней её файл ключа {}",
                    report.path.display(),
                    report.bytes,
                    key_file.display()
                ),
                (Lang::Ru, false) => outln!(
                    "Резервная копия: {} ({} байт), зашифрована ключом этого компьютера (файл ключа {}); для \
                     другого компьютера сделайте копию с паролем: --backup-passphrase-env",
                    report.path.display(),
                    report.bytes,
                    key_file.display()
                ),
                (Lang::En, true) => outln!(
                    "Backup: {} ({} bytes), encrypted with a password; keep its key file {} with it",
                    report.path.display(),
                    report.bytes,
                    key_file.display()
                ),
                (Lang::En, false) => outln!(
                    "Backup: {} ({} bytes), encrypted with this computer's key (key file {}); for another \
                     computer make one with a password: --backup-passphrase-env",
                    report.path.display(),
                    report.bytes,
                    key_file.display()
                ),
            }
        }
        Command::Restore { file, backup_passphrase_env } => {
            create_dir_for(&path, lang)?;
            let from = keys.backup(&file, backup_passphrase_env.as_deref())?;
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let report = mestno_core::vault::restore(&file, &from, &path, &keys.office()?, clock, &whoami()).await?;
            match lang {
                Lang::Ru => outln!("База данных восстановлена из {}: строк {}", file.display(), report.rows),
                Lang::En => outln!("The database was restored from {}: {} rows", file.display(), report.rows),
            }
            if !report.erasures_redone.is_empty() {
                let acts = report.erasures_redone.join(", ");
                match lang {
                    Lang::Ru => outln!("Копия старше актов об уничтожении {acts}: данные уничтожены снова"),
                    Lang::En => {
                        outln!("The backup predates the acts of destruction {acts}: the data was erased again")
                    }
                }
            }
            if let Some(previous) = report.previous {
                match lang {
                    Lang::Ru => outln!("Прежняя база сохранена как {}", previous.display()),
                    Lang::En => outln!("The previous database was kept as {}", previous.display()),
                }
            }
        }
        Command::Report(args) => {
            let office = open(&path, false, &keys, opened).await?;
            crate::report::run(office, args, lang).await?;
        }
        Command::Person(args) => {
            let office = open(&path, false, &keys, opened).await?;
            crate::person::run(office, args, lang).await?;
        }
        Command::Sync(args) => {
            let office = open(&path, false, &keys, opened).await?;
            Box::pin(crate::sync::run(office, args, lang)).await?;
        }
        Command::Server(args) => crate::server::run(args, lang).await?,
        Command::Import(args) => {
            let office = open(&path, false, &keys, opened).await?;
            let store = office.store()?;
            crate::import::run(&store, args, lang).await?;
        }
    }
    Ok(())
}

/// An initiative as `mestno add initiative` reads it: the fields, and optionally the stage
/// it is entered at (by default as the office starts one: an idea, today).
#[derive(Deserialize)]
struct NewInitiative {
    #[serde(flatten)]
    input: InitiativeInput,
    #[serde(default)]
    stage: Option<Stage>,
    #[serde(default)]
    stage_on: Option<NaiveDate>,
}

/// The per-user data folder the desktop app uses too.
fn default_db_path(lang: Lang) -> Result<PathBuf> {
    let dirs = directories::BaseDirs::new().context(match lang {
        Lang::Ru => "не удалось определить папку данных пользователя; укажите --db",
        Lang::En => "could not find the user's data folder; give --db",
    })?;
    Ok(dirs.data_dir().join(mestno_core::APP_IDENTIFIER).join(mestno_core::DATABASE_FILE))
}

/// Opens the office at `path` (creating it if `create`), unlocked as `keys` say, and keeps it in
/// `opened` for [`run`] to close.
async fn open<'a>(path: &Path, create: bool, keys: &Keys, opened: &'a Opened) -> Result<&'a Office> {
    if !create && !path.exists() {
        match keys.lang {
            Lang::Ru => bail!(
                "база данных не найдена: {}\nсоздайте её командой «mestno init» или укажите другую через --db",
                path.display()
            ),
            Lang::En => {
                bail!("no database at {}\nmake one with «mestno init» or name another with --db", path.display())
            }
        }
    }
    create_dir_for(path, keys.lang)?;
    let key = keys.unlock(path).await?.key;
    let actor = whoami();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let store = Store::open_with(path, Access::Key(key), clock, actor).await?;
    let office = Office::from_store(store).await?;
    Ok(opened.0.get_or_init(|| office))
}

fn whoami() -> String {
    std::env::var("MESTNO_USER")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "mestno".into())
}

/// The folder the database at `path` goes in, made if it is not there.
fn create_dir_for(path: &Path, lang: Lang) -> Result<()> {
    let dir = mestno_core::folder_of(path);
    std::fs::create_dir_all(dir).with_context(|| match lang {
        Lang::Ru => format!("не удалось создать папку {}", dir.display()),
        Lang::En => format!("could not make the folder {}", dir.display()),
    })?;
    Ok(())
}

/// The program with `code`, when one is given.
pub async fn program_by_code(store: &Store, code: Option<&str>) -> Result<Option<Id>> {
    Ok(match code {
        Some(code) => Some(names::program_by_code(store, code).await?),
        None => None,
    })
}

/// The territory called `name`, when one is given.
pub async fn territory_by_name(store: &Store, name: Option<&str>) -> Result<Option<Id>> {
    Ok(match name {
        Some(name) => Some(names::territory_by_name(store, name).await?),
        None => None,
    })
}

/// A record's id as typed.
pub fn parse_id(s: &str, lang: Lang) -> Result<Id> {
    Id::parse_str(s.trim()).map_err(|_| match lang {
        Lang::Ru => anyhow!("«{s}» не похож на идентификатор записи"),
        Lang::En => anyhow!("«{s}» does not look like a record's id"),
    })
}

fn read_input(file: Option<&Path>, lang: Lang) -> Result<String> {
    match file {
        Some(f) => std::fs::read_to_string(f).with_context(|| match lang {
            Lang::Ru => format!("не удалось прочитать файл {}", f.display()),
            Lang::En => format!("could not read the file {}", f.display()),
        }),
        None => {
            if std::io::stdin().is_terminal() {
                match lang {
                    Lang::Ru => eprintln!("Введите JSON и нажмите Ctrl+D:"),
                    Lang::En => eprintln!("Type the JSON and press Ctrl+D:"),
                }
            }
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context(match lang {
                Lang::Ru => "не удалось прочитать стандартный ввод",
                Lang::En => "could not read the standard input",
            })?;
            Ok(s)
        }
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str, lang: Lang) -> Result<T> {
    serde_json::from_str(text).map_err(|e| match lang {
        Lang::Ru => anyhow!("неверный JSON (строка {}, столбец {}): {e}; ничего не сохранено", e.line(), e.column()),
        Lang::En => anyhow!("invalid JSON (line {}, column {}): {e}; nothing was saved", e.line(), e.column()),
    })
}

/// A stage of the demo's making (mestno-demo names them in Russian), in `lang`.
fn demo_stage(stage: &'static str, lang: Lang) -> &'static str {
    if lang == Lang::Ru {
        return stage;
    }
    match stage {
        "территории" => "territories",
        "программы" => "programs",
        "контакты" => "contacts",
        "проекты" => "initiatives",
        "мероприятия" => "events",
        "обращения" => "appeals",
        "индексы" => "indexes",
        "сохранение" => "saving",
        other => other,
    }
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(1);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg:<12} [{bar:40}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
