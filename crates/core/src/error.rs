//! What can go wrong, said in the user's language.
//!
//! Every error has a small closed [`ErrorCode`] a caller can branch on and a message for a
//! person, Russian first ([`Error::message`] gives English too). Rule violations arrive as
//! [`FieldError`]s naming the field, so a form can show each one beside its input.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// The language a message is shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Russian, the default.
    #[default]
    Ru,
    /// English.
    En,
}

/// A sentence in both of the app's languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Text {
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A sentence given in Russian and English.
    pub fn new(ru: impl Into<String>, en: impl Into<String>) -> Self {
        Self { ru: ru.into(), en: en.into() }
    }

    /// The sentence in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

/// One broken rule, tied to the field that broke it (`budget.residents`, `attendees[2].contact_id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldError {
    /// Path of the field in the input, as the UI names it.
    pub field: String,
    /// What is wrong, for a person.
    pub message: Text,
}

impl FieldError {
    /// A broken rule on `field`.
    pub fn new(field: impl Into<String>, ru: impl Into<String>, en: impl Into<String>) -> Self {
        Self { field: field.into(), message: Text::new(ru, en) }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message.ru)
    }
}

/// The closed set of error kinds a caller (the UI, the CLI's exit code) can branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input broke one or more rules; see the field errors.
    Invalid,
    /// The record asked for does not exist.
    NotFound,
    /// A name matched several records; the caller must be more precise.
    Ambiguous,
    /// Someone else changed the record since it was read.
    Conflict,
    /// The operation is refused in the database's current state.
    Refused,
    /// The database file is missing, damaged, locked or not a Mestno database.
    Storage,
    /// A file could not be read or written.
    Io,
    /// The OS credential store (Keychain, Credential Manager, Secret Service) cannot be reached;
    /// for a new or not yet encrypted database a password can be set instead.
    KeystoreUnavailable,
    /// The OS credential store cannot be reached, and the database's key is kept there: only the
    /// store can open it, once it is reachable again (unlocked, the person logged in); a password
    /// would not help.
    KeystoreRequired,
    /// The database is protected by a password, and none was given.
    PassphraseRequired,
    /// The key or password does not open the database (or the file is damaged), or the OS store
    /// holds no key for it.
    WrongKey,
}

/// The kinds of records an office keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A territory (territories table).
    Territory,
    /// A support program.
    Program,
    /// An initiative project.
    Initiative,
    /// A person or organisation.
    Contact,
    /// An engagement event.
    Event,
    /// A residents' appeal or proposal.
    Appeal,
    /// A consent to personal data processing.
    Consent,
    /// A stored file.
    Attachment,
}

impl Entity {
    /// Every kind of record, in the order the window lists them.
    pub const ALL: [Entity; 8] = [
        Entity::Territory,
        Entity::Program,
        Entity::Initiative,
        Entity::Contact,
        Entity::Event,
        Entity::Appeal,
        Entity::Consent,
        Entity::Attachment,
    ];

    /// The kind whose code (as [`Entity::as_str`] gives it) is `code`.
    pub fn parse(code: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.as_str() == code)
    }

    /// The code stored in the database (`history.entity`, `tombstones.entity`).
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Territory => "territory",
            Entity::Program => "program",
            Entity::Initiative => "initiative",
            Entity::Contact => "contact",
            Entity::Event => "event",
            Entity::Appeal => "appeal",
            Entity::Consent => "consent",
            Entity::Attachment => "attachment",
        }
    }

    /// The record's name in `lang`, as a noun in the nominative.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Entity::Territory, Lang::Ru) => "территория",
            (Entity::Program, Lang::Ru) => "программа",
            (Entity::Initiative, Lang::Ru) => "проект",
            (Entity::Contact, Lang::Ru) => "контакт",
            (Entity::Event, Lang::Ru) => "мероприятие",
            (Entity::Appeal, Lang::Ru) => "обращение",
            (Entity::Consent, Lang::Ru) => "согласие",
            (Entity::Attachment, Lang::Ru) => "файл",
            (Entity::Territory, Lang::En) => "territory",
            (Entity::Program, Lang::En) => "program",
            (Entity::Initiative, Lang::En) => "initiative",
            (Entity::Contact, Lang::En) => "contact",
            (Entity::Event, Lang::En) => "event",
            (Entity::Appeal, Lang::En) => "appeal",
            (Entity::Consent, Lang::En) => "consent",
            (Entity::Attachment, Lang::En) => "attachment",
        }
    }
}

impl Entity {
    /// "No such record" in `lang`, with Russian grammatical gender right.
    pub fn not_found(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Entity::Territory, Lang::Ru) => "не найдена территория",
            (Entity::Program, Lang::Ru) => "не найдена программа",
            (Entity::Initiative, Lang::Ru) => "не найден проект",
            (Entity::Contact, Lang::Ru) => "не найден контакт",
            (Entity::Event, Lang::Ru) => "не найдено мероприятие",
            (Entity::Appeal, Lang::Ru) => "не найдено обращение",
            (Entity::Consent, Lang::Ru) => "не найдено согласие",
            (Entity::Attachment, Lang::Ru) => "не найден файл",
            (_, Lang::En) => match self {
                Entity::Territory => "no such territory:",
                Entity::Program => "no such program:",
                Entity::Initiative => "no such initiative:",
                Entity::Contact => "no such contact:",
                Entity::Event => "no such event:",
                Entity::Appeal => "no such appeal:",
                Entity::Consent => "no such consent:",
                Entity::Attachment => "no such attachment:",
            },
        }
    }
}

/// Everything the core can fail with. `Display` is the Russian message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input broke rules; nothing was stored.
    #[error("{}", invalid_summary(.0, Lang::Ru))]
    Invalid(Vec<FieldError>),
    /// No record of this kind with this id or name.
    #[error("{} «{key}»", .entity.not_found(Lang::Ru))]
    NotFound {
        /// What was looked for.
        entity: Entity,
        /// The id or name that matched nothing.
        key: String,
    },
    /// A name matched several records.
    #[error("{}", .0.ru)]
    Ambiguous(Text),
    /// The record changed since the caller read it.
    #[error("{} изменён(а) другим пользователем или на другом устройстве; откройте запись заново", .entity.label(Lang::Ru))]
    Conflict {
        /// What changed under the caller.
        entity: Entity,
    },
    /// Refused in the current state, with the reason.
    #[error("{}", .0.ru)]
    Refused(Text),
    /// The database file cannot be used as it is, with the reason.
    #[error("{}", .0.ru)]
    Storage(Text),
    /// The database said no.
    #[error("{}", storage_message(.0, Lang::Ru))]
    Database(#[from] sqlx::Error),
    /// The database's schema could not be brought up to date.
    #[error("не удалось обновить структуру базы данных: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The OS credential store could not be reached.
    #[error("{}", keystore_unavailable(.detail, *.passphrase_instead, Lang::Ru))]
    KeystoreUnavailable {
        /// What the store said (never a secret).
        detail: String,
        /// Whether a database password can be used instead: the database is new or not yet
        /// encrypted. Otherwise its key is in the store, and only the store can open it.
        passphrase_instead: bool,
    },
    /// The database is protected by a password and none was given.
    #[error("база данных защищена паролем; введите пароль базы данных")]
    PassphraseRequired,
    /// The key or password does not open the database, or the file is damaged.
    #[error("неверный ключ или пароль базы данных (или файл повреждён)")]
    WrongKey,
    /// The OS credential store holds no key for this database.
    #[error(
        "в хранилище паролей системы нет ключа этой базы данных; откройте её на том компьютере, где она создана, \
         или восстановите из копии, защищённой паролем"
    )]
    KeyMissing,
    /// A file could not be read or written.
    #[error("не удалось прочитать или записать файл «{}»: {}", .path.display(), io_reason(.source, Lang::Ru))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// `Result` with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The error's kind, for a caller to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Ambiguous(_) => ErrorCode::Ambiguous,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Refused(_) => ErrorCode::Refused,
            Error::Storage(_) | Error::Database(_) | Error::Migration(_) => ErrorCode::Storage,
            Error::Io { .. } => ErrorCode::Io,
            Error::KeystoreUnavailable { passphrase_instead: true, .. } => ErrorCode::KeystoreUnavailable,
            Error::KeystoreUnavailable { passphrase_instead: false, .. } => ErrorCode::KeystoreRequired,
            Error::PassphraseRequired => ErrorCode::PassphraseRequired,
            Error::WrongKey | Error::KeyMissing => ErrorCode::WrongKey,
        }
    }

    /// The message for a person in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::Ru) => self.to_string(),
            (Error::Invalid(errors), Lang::En) => invalid_summary(errors, Lang::En),
            (Error::NotFound { entity, key }, Lang::En) => format!("{} «{key}»", entity.not_found(Lang::En)),
            (Error::Ambiguous(text) | Error::Refused(text) | Error::Storage(text), Lang::En) => text.en.clone(),
            (Error::Conflict { entity }, Lang::En) => format!(
                "the {} was changed by someone else or on another device; open it again",
                entity.label(Lang::En)
            ),
            (Error::Database(e), Lang::En) => storage_message(e, Lang::En),
            (Error::Migration(e), Lang::En) => format!("could not upgrade the database: {e}"),
            (Error::Io { path, source }, Lang::En) => {
                format!("could not read or write «{}»: {}", path.display(), io_reason(source, Lang::En))
            }
            (Error::KeystoreUnavailable { detail, passphrase_instead }, Lang::En) => {
                keystore_unavailable(detail, *passphrase_instead, Lang::En)
            }
            (Error::PassphraseRequired, Lang::En) => {
                "the database is protected by a password; enter the database password".into()
            }
            (Error::WrongKey, Lang::En) => "wrong database key or password (or the file is damaged)".into(),
            (Error::KeyMissing, Lang::En) => "the system's password store holds no key for this database; open it on \
                 the computer it was made on, or restore it from a password-protected backup"
                .into(),
        }
    }

    /// The field errors, if this is a validation failure.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Invalid(errors) => errors,
            _ => &[],
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    pub(crate) fn not_found(entity: Entity, key: impl fmt::Display) -> Self {
        Error::NotFound { entity, key: key.to_string() }
    }

    pub(crate) fn refused(ru: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Refused(Text::new(ru, en))
    }
}

fn invalid_summary(errors: &[FieldError], lang: Lang) -> String {
    let head = match lang {
        Lang::Ru => "данные не сохранены, исправьте ошибки",
        Lang::En => "nothing was saved; fix these errors",
    };
    let mut out = format!("{head}:");
    for e in errors {
        out.push_str(&format!("\n  • {}: {}", e.field, e.message.get(lang)));
    }
    out
}

fn keystore_unavailable(detail: &str, passphrase_instead: bool, lang: Lang) -> String {
    match (lang, passphrase_instead) {
        (Lang::Ru, true) => {
            format!(
                "хранилище паролей системы недоступно ({detail}); задайте пароль базы данных — ключ будет получен из него"
            )
        }
        (Lang::Ru, false) => format!(
            "хранилище паролей системы недоступно ({detail}); ключ этой базы данных хранится в нём — \
             разблокируйте хранилище (войдите в систему) и повторите"
        ),
        (Lang::En, true) => format!(
            "the system's password store is unavailable ({detail}); set a database password instead — the key \
             will be derived from it"
        ),
        (Lang::En, false) => format!(
            "the system's password store is unavailable ({detail}); this database's key is kept there — unlock \
             the store (log in) and try again"
        ),
    }
}

/// Why a file could not be read or written, in the user's language where the reason is a
/// common one, else as the system says it.
pub fn io_reason(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind::*;
    let (ru, en) = match e.kind() {
        NotFound => ("нет такого файла или папки", "no such file or folder"),
        PermissionDenied => ("нет прав на доступ к нему", "permission denied"),
        AlreadyExists => ("такой файл уже есть", "the file already exists"),
        StorageFull => ("на диске нет места", "the disk is full"),
        ReadOnlyFilesystem => ("диск доступен только для чтения", "the disk is read-only"),
        IsADirectory => ("это папка, а не файл", "it is a folder, not a file"),
        NotADirectory => ("в пути файл вместо папки", "a part of the path is a file, not a folder"),
        _ => return e.to_string(),
    };
    match lang {
        Lang::Ru => ru.to_owned(),
        Lang::En => en.to_owned(),
    }
}

fn storage_message(e: &sqlx::Error, lang: Lang) -> String {
    let detail = e.to_string();
    let (ru, en) = if detail.contains("file is not a database") {
        ("файл не является базой данных Mestno или повреждён", "the file is not a Mestno database, or it is damaged")
    } else if detail.contains("database is locked") || detail.contains("database is busy") {
        (
            "база данных занята другой программой; повторите попытку",
            "the database is busy in another program; try again",
        )
    } else if detail.contains("malformed") {
        ("файл повреждён", "the file is damaged")
    } else if detail.contains("unable to open database") {
        ("не удалось открыть файл базы данных", "could not open the database file")
    } else if detail.contains("id reused after deletion") {
        (
            "этот идентификатор принадлежал удалённой записи и не может быть использован снова",
            "this id belonged to a deleted record and cannot be reused",
        )
    } else {
        ("ошибка базы данных", "database error")
    };
    match lang {
        Lang::Ru => format!("{ru} ({detail})"),
        Lang::En => format!("{en} ({detail})"),
    }
}

/// Collects field errors while validating, then fails with all of them at once.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<FieldError>);

impl Problems {
    pub(crate) fn push(&mut self, field: impl Into<String>, ru: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError::new(field, ru, en));
    }

    pub(crate) fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.0.extend(errors);
    }

    pub(crate) fn into_result(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Invalid(self.0)) }
    }

    pub(crate) fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_lists_every_field_in_both_languages() {
        let err = Error::Invalid(vec![
            FieldError::new("title", "укажите название", "enter a title"),
            FieldError::new("year", "год вне диапазона", "year out of range"),
        ]);
        let ru = err.message(Lang::Ru);
        assert!(ru.contains("title: укажите название") && ru.contains("year: год вне диапазона"), "{ru}");
        assert!(err.message(Lang::En).contains("year: year out of range"));
        assert_eq!(err.code(), ErrorCode::Invalid);
    }
}
