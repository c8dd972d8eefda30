//! `mestno person`: a resident's requests under 152-ФЗ — everything held about them in Excel, and
//! erasure on request with the act of destruction.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use mestno_core::Lang;
use mestno_core::model::{ErasureBasis, ErasureLogEntry, ErasureRequest, Id, erasure_words};
use mestno_office::{Office, erasure};

use crate::output;
use crate::run::call;

/// What `mestno person` takes.
#[derive(Debug, Args)]
pub struct PersonArgs {
    /// Что сделать.
    #[command(subcommand)]
    pub command: PersonCommand,
}

/// The requests a person may make, and the log they leave.
#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Выгрузить всё, что хранится о человеке, в Excel (ч. 7 ст. 14 152-ФЗ).
    Export {
        /// Идентификатор контакта.
        id: String,
        /// Файл .xlsx (заменяется, если есть).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Уничтожить персональные данные человека по запросу и составить акт об уничтожении.
    Erase {
        /// Идентификатор контакта.
        id: String,
        /// Причина уничтожения (попадает в акт).
        #[arg(long)]
        reason: String,
        /// Регистрационный номер запроса (по нему субъект идентифицируется в акте).
        #[arg(long = "request")]
        request: String,
        /// Дата поступления запроса (ДД.ММ.ГГГГ или ГГГГ-ММ-ДД); по умолчанию сегодня.
        #[arg(long, value_parser = crate::args::day)]
        requested_on: Option<NaiveDate>,
        /// Основание по 152-ФЗ.
        #[arg(long, value_enum, default_value = "request")]
        basis: Basis,
        /// Файл .xlsx для акта об уничтожении.
        #[arg(long)]
        act: PathBuf,
        /// Вывести запись журнала в JSON.
        #[arg(long)]
        json: bool,
    },
    /// Журнал уничтожения персональных данных.
    Log {
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Составить акт заново по записи журнала уничтожения.
    Act {
        /// Идентификатор записи журнала.
        log_id: String,
        /// Файл .xlsx (заменяется, если есть).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

/// The provisions of 152-ФЗ, as the command line names them.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Basis {
    /// Требование субъекта (ч. 1 ст. 14, ч. 3 ст. 20).
    Request,
    /// Отзыв согласия (ч. 5 ст. 21).
    Withdrawal,
    /// Достижение цели обработки (ч. 4 ст. 21).
    Purpose,
    /// Неправомерная обработка (ч. 3 ст. 21).
    Unlawful,
}

impl From<Basis> for ErasureBasis {
    fn from(b: Basis) -> ErasureBasis {
        match b {
            Basis::Request => ErasureBasis::SubjectRequest,
            Basis::Withdrawal => ErasureBasis::ConsentWithdrawn,
            Basis::Purpose => ErasureBasis::PurposeAchieved,
            Basis::Unlawful => ErasureBasis::UnlawfulProcessing,
        }
    }
}

/// Runs one `mestno person` command.
pub async fn run(office: &Office, args: PersonArgs, lang: Lang) -> Result<()> {
    match args.command {
        PersonCommand::Export { id, output } => {
            let id = parse_id(&id, lang)?;
            let rows = call(office).export_person(id, output.clone()).await?;
            match lang {
                Lang::Ru => {
                    outln!("Сведения о субъекте персональных данных сохранены: {} (строк: {rows})", output.display())
                }
                Lang::En => outln!("The data subject's records are saved: {} ({rows} rows)", output.display()),
            }
        }
        PersonCommand::Erase { id, reason, request, requested_on, basis, act, json } => {
            let id = parse_id(&id, lang)?;
            let store = office.store()?;
            let request = ErasureRequest {
                request_number: request,
                requested_on: requested_on.unwrap_or_else(|| store.clock().today()),
                reason,
                basis: basis.into(),
            };
            let erased = erasure::erase_person(&store, id, request, &act).await.map_err(|e| erasure_error(e, lang))?;
            let log = &erased.log;
            if json {
                output::json(&erased)?;
            } else {
                print_entry(log, lang);
                match lang {
                    Lang::Ru => {
                        outln!("Акт об уничтожении: {}", act.display());
                        outln!("Файлов удалено из папки вложений: {}", erased.files_removed);
                        outln!("Файл базы данных переписан без свободного места (VACUUM).");
                    }
                    Lang::En => {
                        outln!("Act of destruction: {}", act.display());
                        outln!("Files removed from the attachments folder: {}", erased.files_removed);
                        outln!("The database file was rewritten without its free space (VACUUM).");
                    }
                }
            }
        }
        PersonCommand::Log { json } => {
            let log = call(office).erasure_log().await?;
            if json {
                output::json(&log)?;
            } else if log.is_empty() {
                outln!(
                    "{}",
                    if lang == Lang::Ru {
                        "Журнал уничтожения пуст."
                    } else {
                        "The erasure log is empty."
                    }
                );
            } else {
                for entry in &log {
                    print_entry(entry, lang);
                    outln!();
                }
            }
        }
        PersonCommand::Act { log_id, output } => {
            let id = parse_id(&log_id, lang)?;
            call(office).erasure_act(id, output.clone()).await?;
            match lang {
                Lang::Ru => outln!("Акт об уничтожении персональных данных сохранён: {}", output.display()),
                Lang::En => outln!("The act of destruction is saved: {}", output.display()),
            }
        }
    }
    Ok(())
}

/// A log entry as a person reads it.
fn print_entry(e: &ErasureLogEntry, lang: Lang) {
    let date = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    let counts: Vec<String> =
        e.counts.labelled_in(lang).iter().filter(|(_, n)| *n > 0).map(|(label, n)| format!("{label}: {n}")).collect();
    let categories: Vec<&str> = e.categories.iter().map(|c| erasure_words(c, lang)).collect();
    let say = |ru: &'static str, en: &'static str| if lang == Lang::Ru { ru } else { en };
    outln!(
        "{} {} {} {} — {}",
        say("Акт №", "Act No."),
        e.act_number,
        say("от", "of"),
        date(e.erased_on),
        say("персональные данные уничтожены", "personal data destroyed")
    );
    let lines = [
        (say("Запись журнала", "Log entry"), e.id.to_string()),
        (
            say("Запрос", "Request"),
            format!("{} {} {} {}", say("№", "No."), e.request_number, say("от", "of"), date(e.requested_on)),
        ),
        (say("Основание", "Basis"), e.basis.label(lang).to_string()),
        (say("Причина", "Reason"), e.reason.clone()),
        (say("Уничтожены", "Destroyed"), categories.join("; ")),
        (say("Способ", "Method"), erasure_words(&e.method, lang).to_string()),
        (say("Записей", "Rows"), counts.join("; ")),
        (say("Выполнил(а)", "Done by"), format!("{} ({} {})", e.actor, say("устройство", "device"), e.device)),
    ];
    for (label, value) in lines {
        outln!("{label}: {value}");
    }
}

fn parse_id(s: &str, lang: Lang) -> Result<Id> {
    crate::run::parse_id(s, lang)
}

/// An erasure's error: the core's typed, one that left the act unwritten with the command that
/// writes it.
fn erasure_error(e: erasure::Error, lang: Lang) -> anyhow::Error {
    match e {
        erasure::Error::Core(core) => anyhow::Error::from(core),
        unfinished @ erasure::Error::Unfinished { log_id, .. } => match lang {
            Lang::Ru => anyhow!(
                "{} (акт составляется командой «mestno person act {log_id} -o ФАЙЛ.xlsx»)",
                unfinished.message(lang)
            ),
            Lang::En => anyhow!(
                "{} (the act is written with «mestno person act {log_id} -o FILE.xlsx»)",
                unfinished.message(lang)
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

    #[test]
    fn the_command_lines_of_the_issue_parse() {
        let cli = Cli::try_parse_from([
            "mestno",
            "person",
            "erase",
            "019a3ea5-1e80-7604-9fed-783415de31d8",
            "--reason",
            "заявление субъекта",
            "--request",
            "ПД-12/2025",
            "--requested-on",
            "2025-10-28",
            "--act",
            "акт.xlsx",
        ]);
        let Ok(Cli {
            command: Command::Person(PersonArgs { command: PersonCommand::Erase { request, act, .. } }), ..
        }) = cli
        else {
            panic!("`mestno person erase ID --reason … --request … --act FILE` is a command")
        };
        assert_eq!((request.as_str(), act), ("ПД-12/2025", PathBuf::from("акт.xlsx")));
        let no_act = Cli::try_parse_from(["mestno", "person", "erase", "x", "--reason", "r", "--request", "1"]);
        assert!(no_act.is_err(), "the act's file is required: an erasure always leaves its act");
        let export = Cli::try_parse_from(["mestno", "person", "export", "x", "-o", "сведения.xlsx"]);
        assert!(matches!(export, Ok(Cli { command: Command::Person(_), .. })));
    }
}
