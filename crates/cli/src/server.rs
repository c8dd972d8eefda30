//! `mestno server`: setting up a district's or region's shared PostgreSQL server and its offices
//! (the administrator's side), and `mestno sync join` / `mestno sync server` (an office's side).

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use mestno_core::Lang;
use mestno_office::server::ServerStatus;
use mestno_server::Report;

/// What `mestno server` takes.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Адрес сервера для администратора: postgres://пользователь:пароль@узел:порт/база (лучше —
    /// в переменной окружения MESTNO_SERVER_URL).
    #[arg(long, env = "MESTNO_SERVER_URL", hide_env_values = true, value_name = "URL")]
    pub url: Option<String>,
    /// Что сделать.
    #[command(subcommand)]
    pub command: ServerCommand,
}

/// The administrator's steps.
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Подготовить базу PostgreSQL как сервер Mestno (схема, роли, защита строк); повторный
    /// запуск обновляет схему.
    Init {
        /// Сертификат центра (PEM), которым подписан сертификат сервера: его получат офисы.
        #[arg(long, value_name = "ФАЙЛ")]
        ca: PathBuf,
        /// Имя сервера для офисов, как в его сертификате (по умолчанию — из адреса).
        #[arg(long)]
        host: Option<String>,
    },
    /// Добавить организацию: её учётная запись и файл приглашения для неё.
    AddOffice {
        /// Территория организации (идентификатор).
        #[arg(long)]
        territory: String,
        /// Название организации.
        #[arg(long)]
        name: String,
        /// Файл приглашения (.mestno-server); в нём пароль — передавайте его как ключ.
        #[arg(short = 'o', long = "output", value_name = "ФАЙЛ")]
        output: PathBuf,
    },
    /// Организации сервера.
    ListOffices {
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Отозвать доступ организации: она больше не подключится, присланное ею остаётся.
    RevokeOffice {
        /// Учётная запись организации (mestno_…).
        login: String,
    },
}

fn url(args: &ServerArgs, lang: Lang) -> Result<&str> {
    args.url.as_deref().ok_or_else(|| match lang {
        Lang::Ru => anyhow!("укажите адрес сервера: --url или переменная MESTNO_SERVER_URL"),
        Lang::En => anyhow!("give the server's address: --url or the MESTNO_SERVER_URL variable"),
    })
}

fn read(path: &PathBuf, lang: Lang) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| match lang {
        Lang::Ru => anyhow!("не удалось прочитать {}: {e}", path.display()),
        Lang::En => anyhow!("could not read {}: {e}", path.display()),
    })
}

/// Runs `mestno server …` (no office database involved).
pub async fn run(args: ServerArgs, lang: Lang) -> Result<()> {
    let ru = lang == Lang::Ru;
    let url = url(&args, lang)?;
    match &args.command {
        ServerCommand::Init { ca, host } => {
            let ca = read(ca, lang)?;
            let info = mestno_server::init(url, &ca, host.as_deref()).await.map_err(mestno_core::Error::from)?;
            if ru {
                outln!("Сервер готов: {} — {}:{}/{}", info.id, info.host, info.port, info.database);
            } else {
                outln!("The server is ready: {} — {}:{}/{}", info.id, info.host, info.port, info.database);
            }
        }
        ServerCommand::AddOffice { territory, name, output } => {
            let territory = territory.parse().map_err(|_| match lang {
                Lang::Ru => anyhow!("«{territory}» — не идентификатор территории"),
                Lang::En => anyhow!("«{territory}» is not a territory id"),
            })?;
            let invitation = mestno_server::add_office(url, territory, name).await.map_err(mestno_core::Error::from)?;
            write_private(output, &invitation.to_json()).map_err(|e| match lang {
                Lang::Ru => anyhow!("не удалось записать {}: {e}", output.display()),
                Lang::En => anyhow!("could not write {}: {e}", output.display()),
            })?;
            if ru {
                outln!("Организация добавлена: {}\nПриглашение: {}", invitation.login, output.display());
            } else {
                outln!("Office added: {}\nInvitation: {}", invitation.login, output.display());
            }
        }
        ServerCommand::ListOffices { json } => {
            let offices = mestno_server::list_offices(url).await.map_err(mestno_core::Error::from)?;
            if *json {
                return crate::output::json(&offices);
            }
            for o in &offices {
                let state = match (o.revoked_at.is_some(), ru) {
                    (true, true) => "отозвана",
                    (true, false) => "revoked",
                    (false, true) => "действует",
                    (false, false) => "active",
                };
                let pushed = if ru { "изменений прислано" } else { "changes pushed" };
                outln!("{}  {}  {}  {state}, {pushed}: {}", o.login, o.territory, o.name, o.changes_pushed);
            }
        }
        ServerCommand::RevokeOffice { login } => {
            mestno_server::revoke_office(url, login).await.map_err(mestno_core::Error::from)?;
            if ru {
                outln!("Доступ организации {login} отозван");
            } else {
                outln!("Office {login}'s access is revoked");
            }
        }
    }
    Ok(())
}

/// Writes a file only its owner reads (it holds a password).
fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, text.as_bytes())
}

/// `mestno sync join FILE`: says which server the office joined (the office's `server_join`).
pub fn joined(status: &ServerStatus, lang: Lang) {
    let server = status.server.as_deref().unwrap_or("—");
    let login = status.login.as_deref().unwrap_or("—");
    match lang {
        Lang::Ru => {
            outln!("Офис подключён к серверу {server} (учётная запись {login}); синхронизация: mestno sync server")
        }
        Lang::En => outln!("The office joined the server {server} (login {login}); to sync: mestno sync server"),
    }
}

/// `mestno sync server`: what a sync with the joined server did (the office's `server_sync_now`).
pub fn synced(report: &Report, json: bool, lang: Lang) -> Result<()> {
    if json {
        return crate::output::json(report);
    }
    let a = &report.applied;
    match lang {
        Lang::Ru => {
            outln!("Синхронизация с сервером завершена");
            outln!("  отправлено изменений: {}, получено: {}", report.pushed, report.pulled);
            outln!(
                "  новых: {}, уже известных: {}, новых расхождений: {}",
                a.new_changes,
                a.known_changes,
                a.conflicts
            );
            if a.erased > 0 || report.redacted > 0 {
                outln!(
                    "  удалено персональных данных по актам других офисов: {}; упоминаний удалено на сервере: {}",
                    a.erased,
                    report.redacted
                );
            }
        }
        Lang::En => {
            outln!("Synced with the server");
            outln!("  changes sent: {}, received: {}", report.pushed, report.pulled);
            outln!("  new: {}, already known: {}, new conflicts: {}", a.new_changes, a.known_changes, a.conflicts);
            if a.erased > 0 || report.redacted > 0 {
                outln!(
                    "  people erased under other offices' acts: {}; mentions redacted on the server: {}",
                    a.erased,
                    report.redacted
                );
            }
        }
    }
    Ok(())
}
