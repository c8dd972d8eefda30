//! `mestno sync`: data exchange with other offices by file («пакет обмена») — this office's card,
//! pairing, packages made and loaded, and the conflicts journal.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use mestno_core::Lang;
use mestno_core::model::Id;
use mestno_office::Office;

use crate::run::call;

/// What `mestno sync` takes.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Что сделать.
    #[command(subcommand)]
    pub command: SyncCommand,
}

/// The exchange's steps.
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Записать карточку этого офиса (.mestno-pair) для офиса, с которым нужен обмен.
    Card {
        /// Файл карточки.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Территория, за которую отвечает офис (идентификатор; при первой карточке, если
        /// верхних территорий несколько).
        #[arg(long)]
        territory: Option<String>,
    },
    /// Настроить обмен с офисом по его карточке.
    Pair {
        /// Файл карточки другого офиса.
        card: PathBuf,
        /// Территория, за которую тот офис отвечает здесь (идентификатор), если не та, что в
        /// его карточке.
        #[arg(long)]
        territory: Option<String>,
    },
    /// Подготовить пакет обмена для офиса: всё, чего у него ещё нет.
    Export {
        /// Офис: его название или идентификатор.
        #[arg(long = "to")]
        to: String,
        /// Файл пакета (.mestno-sync).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Положить в пакет и содержимое прикреплённых файлов (сколько их и какого они размера,
        /// показывает `mestno sync status`); без этого едут только их описания.
        #[arg(long)]
        files: bool,
    },
    /// Загрузить пакет обмена (целиком или ничего).
    Import {
        /// Файл пакета.
        file: PathBuf,
        /// Только показать, что изменится, ничего не записывая.
        #[arg(long)]
        dry_run: bool,
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Офисы, с которыми настроен обмен, и что ждёт отправки.
    Status {
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Подключить офис к общему серверу по файлу приглашения (.mestno-server).
    Join {
        /// Файл приглашения.
        file: PathBuf,
    },
    /// Синхронизировать с общим сервером сейчас: отправить новое, получить новое.
    Server {
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Расхождения: значения, которые правило слияния отложило.
    Conflicts {
        /// Показать и разобранные.
        #[arg(long)]
        all: bool,
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
}

fn id(text: &str, lang: Lang) -> Result<Id> {
    text.parse().map_err(|_| match lang {
        Lang::Ru => anyhow!("«{text}» — не идентификатор территории"),
        Lang::En => anyhow!("«{text}» is not a territory id"),
    })
}

fn json(value: &impl serde::Serialize) -> Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Runs `mestno sync …` on `office`.
pub async fn run(office: &Office, args: SyncArgs, lang: Lang) -> Result<()> {
    let ru = lang == Lang::Ru;
    match args.command {
        SyncCommand::Card { output, territory } => {
            let territory = territory.map(|t| id(&t, lang)).transpose()?;
            let written = call(office).sync_write_card(territory, output).await?;
            if ru {
                outln!("Карточка записана: {}\nКод для сверки по телефону: {}", written.path, written.code);
            } else {
                outln!("Card written: {}\nCode to compare over the phone: {}", written.path, written.code);
            }
        }
        SyncCommand::Pair { card, territory } => {
            let territory = territory.map(|t| id(&t, lang)).transpose()?;
            let partner = call(office).sync_pair(card, territory).await?;
            if ru {
                outln!(
                    "Обмен настроен: {} ({}), код {}",
                    named(&partner.office, ru),
                    partner.territory_name,
                    partner.code
                );
            } else {
                outln!(
                    "Paired with {} ({}), code {}",
                    named(&partner.office, ru),
                    partner.territory_name,
                    partner.code
                );
            }
        }
        SyncCommand::Export { to, output, files } => {
            let written = call(office).sync_export(to, output, files).await?;
            if ru {
                outln!("Пакет записан: {} — изменений: {}, {} байт", written.path, written.changes, written.bytes);
            } else {
                outln!("Package written: {} — {} changes, {} bytes", written.path, written.changes, written.bytes);
            }
            if files {
                outln!(
                    "{}: {} ({})",
                    if ru { "  файлов в пакете" } else { "  files in the package" },
                    written.files,
                    size(written.files_bytes, lang)
                );
            }
            if written.files_left > 0 {
                let (n, size) = (written.files_left, size(written.files_left_bytes, lang));
                match (files, ru) {
                    (true, true) => {
                        outln!(
                            "  не поместились в пакет: {n} ({size}); их возьмёт пакет с --files после ответа партнёра"
                        )
                    }
                    (true, false) => {
                        outln!(
                            "  did not fit in the package: {n} ({size}); a package with --files takes them once the partner has answered"
                        )
                    }
                    (false, true) => outln!("  файлы не вложены: {n} ({size}); чтобы отправить их, добавьте --files"),
                    (false, false) => outln!("  files not included: {n} ({size}); add --files to send them"),
                }
            }
            too_large("  ", written.files_too_large, written.files_too_large_bytes, lang);
            if written.files_damaged > 0 {
                if ru {
                    outln!(
                        "  не отправлены, повреждены или пропали на этом компьютере: {}; какие — скажет mestno check; прикрепите их заново с исходных файлов",
                        written.files_damaged
                    );
                } else {
                    outln!(
                        "  not sent, damaged or gone on this computer: {}; mestno check names them; attach them again from the original files",
                        written.files_damaged
                    );
                }
            }
        }
        SyncCommand::Import { file, dry_run, json: as_json } => {
            let loaded = call(office).sync_load(file, dry_run).await?;
            if as_json {
                return json(&loaded);
            }
            let a = &loaded.applied;
            let list = |m: &std::collections::BTreeMap<String, u64>| {
                if m.is_empty() {
                    "—".to_owned()
                } else {
                    m.iter()
                        .map(|(k, v)| format!("{} {v}", crate::output::kinds(k, lang)))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            if ru {
                outln!(
                    "{} № {} от офиса «{}»",
                    if dry_run {
                        "Пакет (проверка, ничего не записано)"
                    } else {
                        "Загружен пакет"
                    },
                    loaded.seq,
                    named(&loaded.from_office, ru)
                );
                outln!(
                    "  новых изменений: {}, уже известных: {}, отклонено: {}",
                    a.new_changes,
                    a.known_changes,
                    a.refused
                );
                outln!(
                    "  добавлено: {}\n  изменено: {}\n  удалено: {}",
                    list(&a.added),
                    list(&a.changed),
                    list(&a.deleted)
                );
                outln!("  новых расхождений: {}", a.conflicts);
                if loaded.files > 0 {
                    outln!("  файлов получено: {} ({})", loaded.files, size(loaded.files_bytes, lang));
                }
                if a.erased > 0 {
                    outln!("  уничтожены персональные данные людей по актам другого офиса (152-ФЗ): {}", a.erased);
                }
            } else {
                outln!(
                    "{} no. {} from «{}»",
                    if dry_run { "Package (dry run, nothing written)" } else { "Loaded package" },
                    loaded.seq,
                    named(&loaded.from_office, ru)
                );
                outln!("  new changes: {}, already known: {}, refused: {}", a.new_changes, a.known_changes, a.refused);
                outln!("  added: {}\n  changed: {}\n  deleted: {}", list(&a.added), list(&a.changed), list(&a.deleted));
                outln!("  new conflicts: {}", a.conflicts);
                if loaded.files > 0 {
                    outln!("  files received: {} ({})", loaded.files, size(loaded.files_bytes, lang));
                }
                if a.erased > 0 {
                    outln!("  people whose data was erased under another office's acts (152-FZ): {}", a.erased);
                }
            }
        }
        SyncCommand::Status { json: as_json } => {
            let status = call(office).sync_status().await?;
            if as_json {
                return json(&status);
            }
            let code = status.code.clone().unwrap_or_else(|| "—".into());
            if ru {
                outln!("Этот офис: {}, код карточки {code}", status.replica);
            } else {
                outln!("This office: {}, card code {code}", status.replica);
            }
            for p in &status.partners {
                outln!(
                    "  {} ({}) — {}: {}",
                    named(&p.office, ru),
                    p.territory_name,
                    if ru { "ждут отправки" } else { "waiting" },
                    p.waiting
                );
                if p.files_waiting > 0 {
                    let size = size(p.files_waiting_bytes, lang);
                    if ru {
                        outln!(
                            "    файлов к отправке: {} ({size}) — с пакетом, если добавить --files",
                            p.files_waiting
                        );
                    } else {
                        outln!("    files to send: {} ({size}) — in a package made with --files", p.files_waiting);
                    }
                }
                too_large("    ", p.files_too_large, p.files_too_large_bytes, lang);
            }
            outln!("{}: {}", if ru { "Расхождений" } else { "Open conflicts" }, status.open_conflicts);
        }
        SyncCommand::Join { file } => crate::server::joined(&call(office).server_join(file).await?, lang),
        SyncCommand::Server { json: as_json } => {
            crate::server::synced(&call(office).server_sync_now().await?, as_json, lang)?
        }
        SyncCommand::Conflicts { all, json: as_json } => {
            let list = call(office).sync_conflicts(!all).await?;
            if as_json {
                return json(&list);
            }
            for c in &list {
                let title = if c.title.is_empty() {
                    (if ru {
                        "запись удалена или ещё не пришла"
                    } else {
                        "record gone or not here yet"
                    })
                    .to_owned()
                } else {
                    c.title.clone()
                };
                if c.kind == "rule" {
                    // What rule the record breaks, in the user's language.
                    let message = match c.kept.get("en").and_then(|m| m.as_str()) {
                        Some(en) if !ru => en,
                        _ => &c.message,
                    };
                    let field = if c.field == "*" { String::new() } else { format!(" {}", c.field) };
                    outln!("«{title}» ({} {}){field}: {message}", c.entity.label(lang), c.entity_id);
                    continue;
                }
                let (kept, lost) = if ru { ("оставлено", "отложено") } else { ("kept", "set aside") };
                let deleted = c.kind == "deleted";
                let why = match (deleted, ru) {
                    (true, true) => "правка после удаления записи",
                    (true, false) => "an edit after the record was deleted",
                    (false, true) => "два офиса изменили одно поле",
                    (false, false) => "two offices changed the same field",
                };
                outln!(
                    "«{title}» ({} {}) {}: {why}; {kept} {}, {lost} {} ({})",
                    c.entity.label(lang),
                    c.entity_id,
                    c.field,
                    c.kept,
                    c.lost,
                    c.lost_actor
                );
            }
        }
    }
    Ok(())
}

/// The line, indented by `indent`, on `n` attached files (of `bytes` together) too large for
/// any exchange package.
fn too_large(indent: &str, n: u64, bytes: u64, lang: Lang) {
    if n == 0 {
        return;
    }
    let (size, limit) = (size(bytes, lang), size(mestno_office::sync::FILES_PER_PACKAGE, lang));
    if lang == Lang::Ru {
        outln!(
            "{indent}файлы больше {limit} пакетом обмена не отправляются: {n} ({size}); передайте их иначе, например на флешке"
        );
    } else {
        outln!(
            "{indent}files over {limit} are not sent in exchange packages: {n} ({size}); hand them over another way, e.g. on a USB stick"
        );
    }
}

/// A size in bytes as people read it: «1,5 МБ».
fn size(bytes: u64, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    let (value, unit) = match bytes {
        b if b >= 1 << 30 => (b as f64 / f64::from(1u32 << 30), if ru { "ГБ" } else { "GB" }),
        b if b >= 1 << 20 => (b as f64 / f64::from(1u32 << 20), if ru { "МБ" } else { "MB" }),
        b if b >= 1 << 10 => (b as f64 / f64::from(1u32 << 10), if ru { "КБ" } else { "KB" }),
        b => return format!("{b} {}", if ru { "байт" } else { "bytes" }),
    };
    let text = format!("{value:.1}");
    format!("{} {unit}", if ru { text.replace('.', ",") } else { text })
}

/// An office's name as its card gives it, or what to call an office whose card gives none.
fn named(office: &str, ru: bool) -> &str {
    match (office.trim().is_empty(), ru) {
        (false, _) => office,
        (true, true) => "офис без названия",
        (true, false) => "unnamed office",
    }
}
