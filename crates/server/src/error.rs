//! What can go wrong with the shared server, said for a person in Russian and English.

use mestno_core::Text;

/// A refusal or failure of the shared server. `Display` is the Russian message;
/// [`ServerError::message`] gives English too.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message().ru)]
pub enum ServerError {
    /// The server cannot be reached (address, port, network).
    Unreachable {
        /// What the driver said (for the log).
        detail: String,
    },
    /// The server's certificate is not signed by the invitation's CA, or not for its address,
    /// or the server does not speak TLS at all.
    Tls {
        /// What the driver said (for the log).
        detail: String,
    },
    /// The login or password is wrong.
    Login {
        /// What the server said.
        detail: String,
    },
    /// The office's login was revoked on the server.
    Revoked {
        /// The office's login.
        login: String,
    },
    /// The server refused what this login asked for (row-level security).
    Forbidden {
        /// What the server said.
        detail: String,
    },
    /// The database has no Mestno server schema, or another server's.
    NotAServer {
        /// What is wrong.
        detail: String,
    },
    /// The invitation file cannot be read.
    BadInvitation {
        /// What is wrong with it (English, for the log).
        reason: String,
    },
    /// The territory given is not valid for an office.
    BadTerritory,
    /// The office has not joined a server (no invitation loaded).
    NotJoined,
    /// No office with this login.
    UnknownOffice {
        /// The login asked for.
        login: String,
    },
    /// Anything else the server or the driver reported.
    Other {
        /// What the driver said.
        detail: String,
    },
    /// The office database failed.
    Office(mestno_core::Error),
}

impl ServerError {
    /// The message for a person, in Russian and English.
    pub fn message(&self) -> Text {
        match self {
            ServerError::Unreachable { detail } => Text::new(
                format!(
                    "Сервер недоступен — проверьте сеть и адрес сервера ({detail}). Работа продолжается без сервера"
                ),
                format!(
                    "The server cannot be reached: check the network and its address ({detail}). Work goes on without it"
                ),
            ),
            ServerError::Tls { detail } => Text::new(
                format!(
                    "Сервер не подтвердил подлинность: его сертификат не подписан центром из приглашения или \
                     сервер не поддерживает шифрование ({detail}). Соединение не установлено"
                ),
                format!(
                    "The server did not prove who it is: its certificate is not signed by the invitation's \
                     authority, or it does not support encryption ({detail}). Not connected"
                ),
            ),
            ServerError::Login { detail } => Text::new(
                format!("Сервер не принял имя или пароль организации ({detail}). Попросите новое приглашение"),
                format!(
                    "The server did not accept the office's login or password ({detail}). Ask for a new invitation"
                ),
            ),
            ServerError::Revoked { login } => Text::new(
                format!(
                    "Доступ организации к серверу отозван (учётная запись {login}). Обратитесь к администратору \
                     сервера за новым приглашением"
                ),
                format!(
                    "The office's access to the server was revoked (login {login}). Ask the server's \
                     administrator for a new invitation"
                ),
            ),
            ServerError::Forbidden { detail } => Text::new(
                format!("Сервер отказал: это за пределами территории организации ({detail})"),
                format!("The server refused: this is outside the office's territory ({detail})"),
            ),
            ServerError::NotAServer { detail } => Text::new(
                format!("Это не сервер Mestno или не тот сервер, что в приглашении ({detail})"),
                format!("This is not a Mestno server, or not the one in the invitation ({detail})"),
            ),
            ServerError::BadInvitation { reason } => Text::new(
                format!("Файл — не приглашение сервера Mestno или повреждён ({reason})"),
                format!("The file is not a Mestno server invitation, or it is damaged ({reason})"),
            ),
            ServerError::BadTerritory => Text::new(
                "Укажите территорию организации (её код из справочника территорий)",
                "Give the office's territory (its id from the territory directory)",
            ),
            ServerError::NotJoined => Text::new(
                "Офис не подключён к серверу: загрузите приглашение сервера (mestno sync join ФАЙЛ)",
                "The office has not joined a server: load the server's invitation (mestno sync join FILE)",
            ),
            ServerError::UnknownOffice { login } => Text::new(
                format!("На сервере нет организации с учётной записью {login}"),
                format!("The server has no office with the login {login}"),
            ),
            ServerError::Other { detail } => {
                Text::new(format!("Ошибка сервера: {detail}"), format!("Server error: {detail}"))
            }
            ServerError::Office(e) => Text::new(e.message(mestno_core::Lang::Ru), e.message(mestno_core::Lang::En)),
        }
    }

    /// The error for a driver error met while talking to the server as `login`.
    pub(crate) fn of(e: sqlx::Error, login: &str) -> ServerError {
        let detail = e.to_string();
        let lower = detail.to_lowercase();
        if lower.contains("certificate") || lower.contains("tls") || lower.contains("ssl") {
            return ServerError::Tls { detail };
        }
        match &e {
            sqlx::Error::Tls(_) => ServerError::Tls { detail },
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => ServerError::Unreachable { detail },
            sqlx::Error::Database(db) => {
                let message = db.message().to_owned();
                match db.code().as_deref() {
                    Some("28000") if message.contains("not permitted to log in") => {
                        ServerError::Revoked { login: login.to_owned() }
                    }
                    Some("28P01" | "28000") => ServerError::Login { detail: message },
                    Some("42501") if message.contains("is revoked") => ServerError::Revoked { login: login.to_owned() },
                    Some("42501") => ServerError::Forbidden { detail: message },
                    Some("3F000" | "42P01") => ServerError::NotAServer { detail: message },
                    // The server shutting down or restarting (57P01–57P03), or the connection
                    // lost (class 08): the server is gone for now, not refusing anything.
                    Some(code) if code.starts_with("57P") || code.starts_with("08") => {
                        ServerError::Unreachable { detail }
                    }
                    _ => ServerError::Other { detail },
                }
            }
            _ => ServerError::Other { detail },
        }
    }
}

impl From<mestno_core::Error> for ServerError {
    fn from(e: mestno_core::Error) -> Self {
        ServerError::Office(e)
    }
}

impl From<ServerError> for mestno_core::Error {
    fn from(e: ServerError) -> Self {
        match e {
            ServerError::Office(e) => e,
            e => mestno_core::Error::Refused(e.message()),
        }
    }
}

/// The result of the server's operations.
pub type Result<T, E = ServerError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_reads_in_both_languages() {
        let all = [
            ServerError::Unreachable { detail: "x".into() },
            ServerError::Tls { detail: "x".into() },
            ServerError::Login { detail: "x".into() },
            ServerError::Revoked { login: "mestno_x".into() },
            ServerError::Forbidden { detail: "x".into() },
            ServerError::NotAServer { detail: "x".into() },
            ServerError::BadInvitation { reason: "x".into() },
            ServerError::BadTerritory,
            ServerError::NotJoined,
            ServerError::UnknownOffice { login: "x".into() },
            ServerError::Other { detail: "x".into() },
        ];
        for e in all {
            let m = e.message();
            assert!(m.ru.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c))), "{m:?}");
            assert!(!m.en.chars().any(|c| ('а'..='я').contains(&c)), "{m:?}");
            assert_eq!(e.to_string(), m.ru);
        }
    }
}
