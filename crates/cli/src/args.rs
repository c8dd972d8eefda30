//! The command line's shape.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use mestno_core::Lang;

/// Mestno — данные проектного офиса: территории, программы, проекты, контакты, мероприятия.
#[derive(Debug, Parser)]
#[command(name = "mestno", version)]
pub struct Cli {
    /// Файл базы данных (по умолчанию — в папке данных пользователя, там же, где у приложения).
    #[arg(long, env = "MESTNO_DB", global = true)]
    pub db: Option<PathBuf>,
    /// Язык сообщений: ru или en.
    #[arg(long, global = true, default_value = "ru", value_parser = parse_lang)]
    pub lang: Lang,
    /// База защищена паролем из этой переменной окружения (для сценариев и тестов), а не ключом из
    /// хранилища паролей системы. Без него пароль спрашивается, если хранилище недоступно.
    #[arg(long, global = true, value_name = "ПЕРЕМЕННАЯ")]
    pub passphrase_env: Option<String>,
    /// Команда.
    #[command(subcommand)]
    pub command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    match s {
        "ru" => Ok(Lang::Ru),
        "en" => Ok(Lang::En),
        other => Err(format!("язык «{other}» не поддерживается: ru или en")),
    }
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Создать пустую базу офиса (у существующей — изменить указанные сведения об офисе).
    Init(crate::office::ProfileArgs),
    /// Сведения об офисе, которые печатают сведения о субъекте и акты об уничтожении: название,
    /// адрес, ответственный за организацию обработки персональных данных; сотрудники и кто
    /// работает за этим компьютером.
    Office {
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Заполнить пустую базу реалистичными демо-данными.
    Demo {
        /// Объём: small, medium или large.
        #[arg(long, default_value = "small")]
        scale: String,
        /// Зерно генератора: одно и то же зерно даёт одни и те же данные.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Показатели: проекты по стадиям, средства по источникам, вовлечённость.
    Stats {
        /// Код программы (например, ППМИ).
        #[arg(long)]
        program: Option<String>,
        /// Год.
        #[arg(long)]
        year: Option<i32>,
        /// Территория (название).
        #[arg(long)]
        territory: Option<String>,
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Поиск по проектам, контактам и мероприятиям.
    Search {
        /// Что искать.
        text: String,
        /// Сколько результатов показать.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Список записей.
    List {
        /// Что показать.
        what: ListKind,
        /// Код программы.
        #[arg(long)]
        program: Option<String>,
        /// Год.
        #[arg(long)]
        year: Option<i32>,
        /// Территория (название).
        #[arg(long)]
        territory: Option<String>,
        /// Текст для поиска внутри списка.
        #[arg(long)]
        text: Option<String>,
        /// Сколько строк.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Показать одну запись целиком (JSON).
    Show {
        /// Что показать.
        what: RecordKind,
        /// Идентификатор.
        id: String,
    },
    /// Добавить запись из JSON (файл или стандартный ввод).
    Add {
        /// Что добавить.
        what: RecordKind,
        /// Файл JSON; без него JSON читается со стандартного ввода.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Перевести проект на другую стадию.
    Stage {
        /// Идентификатор проекта.
        id: String,
        /// Новая стадия: idea, discussion, application, selected, rejected, implementation, completed, withdrawn.
        to: String,
        /// Дата решения (ДД.ММ.ГГГГ или ГГГГ-ММ-ДД); по умолчанию сегодня.
        #[arg(long, value_parser = day)]
        on: Option<chrono::NaiveDate>,
        /// Примечание, например номер протокола.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Объединить два контакта одного человека: второй вливается в первый (телефоны, согласия,
    /// участие в мероприятиях переходят к первому; второй удаляется).
    Merge {
        /// Контакт, который остаётся.
        keep: String,
        /// Контакт-дубликат, который вливается в первый.
        duplicate: String,
    },
    /// История изменений записи.
    History {
        /// Идентификатор записи.
        id: String,
    },
    /// Прикрепить файл (протокол, фото, скан) к проекту, мероприятию, контакту или обращению.
    Attach {
        /// Идентификатор записи.
        id: String,
        /// Файл; в базу кладётся его копия.
        file: PathBuf,
    },
    /// Файлы, прикреплённые к записи.
    Files {
        /// Идентификатор записи.
        id: String,
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Проверить целостность базы.
    Check {
        /// Вывести JSON.
        #[arg(long)]
        json: bool,
    },
    /// Сделать резервную копию базы в файл (зашифрованную; рядом кладётся её файл ключа .key.json).
    Backup {
        /// Файл копии (не должен существовать).
        file: PathBuf,
        /// Зашифровать копию паролем из этой переменной окружения, чтобы открыть её на другом
        /// компьютере (без него копия открывается только ключом этого компьютера).
        #[arg(long, value_name = "ПЕРЕМЕННАЯ")]
        backup_passphrase_env: Option<String>,
    },
    /// Восстановить базу из резервной копии; прежняя база сохраняется рядом (.before-restore).
    Restore {
        /// Файл копии (рядом с ним — его файл ключа .key.json).
        file: PathBuf,
        /// Пароль копии — в этой переменной окружения (если копия сделана с паролем).
        #[arg(long, value_name = "ПЕРЕМЕННАЯ")]
        backup_passphrase_env: Option<String>,
    },
    /// Выгрузить отчёт в Excel (.xlsx): реестр, средства, вовлечённость, карточку проекта, контакты.
    Report(crate::report::ReportArgs),
    /// Загрузить проекты, контакты или мероприятия из Excel или CSV: всё или ничего.
    Import(crate::import::ImportArgs),
    /// Запросы человека по 152-ФЗ: выгрузить сведения о нём, уничтожить его данные с актом.
    Person(crate::person::PersonArgs),
    /// Обмен данными с другими офисами пакетами (.mestno-sync): карточки, пакеты, расхождения.
    Sync(crate::sync::SyncArgs),
    /// Общий сервер района или региона (PostgreSQL): подготовить, добавить и отозвать организации.
    Server(crate::server::ServerArgs),
}

/// Lists `mestno list` shows.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ListKind {
    /// Проекты.
    Initiatives,
    /// Контакты.
    Contacts,
    /// Мероприятия.
    Events,
    /// Территории.
    Territories,
    /// Программы.
    Programs,
}

/// Records `mestno add` and `mestno show` handle.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RecordKind {
    /// Территория.
    Territory,
    /// Программа.
    Program,
    /// Проект.
    Initiative,
    /// Контакт.
    Contact,
    /// Мероприятие.
    Event,
}

/// A day as people write it, `31.12.2025`, or as ISO does, `2025-12-31`.
pub fn day(text: &str) -> Result<chrono::NaiveDate, chrono::ParseError> {
    let text = text.trim();
    chrono::NaiveDate::parse_from_str(text, "%d.%m.%Y").or_else(|_| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d"))
}
