//! `mestno report`: one of the Excel reports, written to a file.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use mestno_core::Lang;
use mestno_core::model::Id;
use mestno_office::Office;
use mestno_office::reports::{ReportKind, ReportRequest};

use crate::run::{call, program_by_code, territory_by_name};

/// What `mestno report` takes.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Отчёт: registry — реестр проектов, funding — привлечённые средства, engagement —
    /// вовлечённость, initiative — карточка проекта, contacts — контакты (с учётом согласий).
    pub what: Which,
    /// Код программы (реестр, средства, вовлечённость).
    #[arg(long)]
    pub program: Option<String>,
    /// Год (реестр, средства, вовлечённость).
    #[arg(long)]
    pub year: Option<i32>,
    /// Территория (название) — она и всё, что в неё входит.
    #[arg(long)]
    pub territory: Option<String>,
    /// Идентификатор проекта (карточка проекта).
    #[arg(long)]
    pub id: Option<String>,
    /// Файл .xlsx, куда записать отчёт (заменяется, если есть).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

/// The reports, as the command line names them.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Which {
    /// Реестр проектов.
    Registry,
    /// Софинансирование и привлечённые средства.
    Funding,
    /// Вовлечённость населения.
    Engagement,
    /// Карточка проекта.
    Initiative,
    /// Контакты.
    Contacts,
}

impl From<Which> for ReportKind {
    fn from(w: Which) -> ReportKind {
        match w {
            Which::Registry => ReportKind::Registry,
            Which::Funding => ReportKind::Funding,
            Which::Engagement => ReportKind::Engagement,
            Which::Initiative => ReportKind::Initiative,
            Which::Contacts => ReportKind::Contacts,
        }
    }
}

/// Resolves the names given, writes the report and says what was written.
pub async fn run(office: &Office, args: ReportArgs, lang: Lang) -> Result<()> {
    let store = office.store()?;
    let request = ReportRequest {
        program_id: program_by_code(&store, args.program.as_deref()).await?,
        year: args.year,
        territory_id: territory_by_name(&store, args.territory.as_deref()).await?,
        initiative_id: match args.id.as_deref() {
            Some(id) => Some(Id::parse_str(id.trim()).map_err(|_| match lang {
                Lang::Ru => anyhow!("«{id}» не похож на идентификатор проекта"),
                Lang::En => anyhow!("«{id}» does not look like an initiative's id"),
            })?),
            None => None,
        },
    };
    let kind = ReportKind::from(args.what);
    let summary = call(office).export_report(kind, request, args.output).await?;
    let path = summary.path.display();
    match lang {
        Lang::Ru => outln!("Отчёт «{}» сохранён: {path} (строк: {})", kind.title(), summary.rows),
        Lang::En => outln!("Report «{}» saved: {path} ({} rows)", kind.code(), summary.rows),
    }
    if kind == ReportKind::Contacts {
        match lang {
            Lang::Ru => outln!(
                "Не включено лиц без действующего согласия на обработку персональных данных: {}",
                summary.withheld
            ),
            Lang::En => outln!("Persons left out for want of consent in force: {}", summary.withheld),
        }
    }
    Ok(())
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
            "report",
            "registry",
            "--program",
            "ППМИ",
            "--year",
            "2025",
            "-o",
            "реестр.xlsx",
        ]);
        let Ok(Cli { command: Command::Report(args), .. }) = cli else {
            panic!("`mestno report registry … -o FILE` is a command")
        };
        assert_eq!(ReportKind::from(args.what), ReportKind::Registry);
        assert_eq!((args.program.as_deref(), args.year), (Some("ППМИ"), Some(2025)), "the filters are taken as given");
        assert_eq!(args.output, PathBuf::from("реестр.xlsx"));
        assert!(Cli::try_parse_from(["mestno", "report", "registry"]).is_err(), "the output file is required");
    }
}
