//! Why a package, a pairing card or an office's keys were refused, said for the office staff.

use mestno_core::Text;

/// A refusal: of a package being opened or sealed, of a pairing card, of an office's stored keys.
/// Nothing was applied when one of these is returned. `Display` is the Russian message;
/// [`PackageError::message`] gives English too.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message().ru)]
pub enum PackageError {
    /// The file is not an exchange package at all (another file chosen by mistake).
    NotAPackage,
    /// The file is an exchange package of a format this version of Mestno does not read.
    UnsupportedVersion {
        /// The format version the file declares.
        version: u8,
    },
    /// The file ends before the package does: cut short while copying or downloading.
    Truncated,
    /// The sender is not a paired office (or its card no longer matches).
    UnknownSender {
        /// The replica the package says it comes from.
        from: String,
    },
    /// The package is addressed to another office.
    NotForThisOffice {
        /// The replica the package is addressed to.
        to: String,
    },
    /// The package is addressed to this office, but encrypted to keys this office no longer
    /// holds (they were made anew after the sender received the card).
    WrongKey {
        /// The replica the package is addressed to (this one).
        to: String,
    },
    /// The signature does not match: the package was damaged or changed after it was signed.
    Tampered,
    /// The package unpacks to more than Mestno accepts (or claims to): a decompression bomb.
    TooLarge,
    /// The package is older than (or the same as) one already loaded from this sender. The
    /// caller, which keeps the last sequence number applied, returns this one.
    Replayed {
        /// The package's sequence number.
        seq: u64,
        /// The last sequence number loaded from this sender.
        last: u64,
    },
    /// A header given to [`seal`](super::seal) names another sender or recipient than the
    /// identity and card it is sealed with: a mistake of the caller.
    Misaddressed {
        /// The header's sender.
        from: String,
        /// The header's recipient.
        to: String,
    },
    /// The file is not a pairing card (`.mestno-pair`).
    NotACard,
    /// The file is a pairing card, but damaged or of a format this version does not read.
    BadCard {
        /// What is wrong with it (English, for the log).
        reason: String,
    },
    /// The office's stored exchange keys cannot be read.
    BadSecret,
}

impl PackageError {
    /// The refusal for a person, in Russian and English.
    pub fn message(&self) -> Text {
        match self {
            PackageError::NotAPackage => Text::new(
                "Этот файл — не пакет обмена Mestno. Выберите файл с расширением .mestno-sync, \
                 полученный от другой организации",
                "This file is not a Mestno exchange package. Choose the .mestno-sync file \
                 received from the other office",
            ),
            PackageError::UnsupportedVersion { version } => Text::new(
                format!(
                    "Пакет обмена сделан в более новой версии Mestno (формат {version}) — \
                     обновите программу и загрузите пакет снова"
                ),
                format!(
                    "The exchange package was made by a newer version of Mestno (format \
                     {version}): update the program and load the package again"
                ),
            ),
            PackageError::Truncated => Text::new(
                "Пакет обмена обрезан — файл скопирован или скачан не полностью. Получите его \
                 у отправителя заново",
                "The exchange package is cut short: the file was not copied or downloaded \
                 completely. Get it from the sender again",
            ),
            PackageError::UnknownSender { from } => Text::new(
                format!(
                    "Пакет пришёл от организации, с которой обмен не настроен (отправитель \
                     {from}). Сначала обменяйтесь карточками организаций"
                ),
                format!(
                    "The package comes from an office this one is not paired with (sender \
                     {from}). Exchange pairing cards first"
                ),
            ),
            PackageError::NotForThisOffice { to } => Text::new(
                format!(
                    "Пакет предназначен другой организации (получатель {to}), а не этой. \
                     Передайте его адресату"
                ),
                format!(
                    "The package is meant for another office (recipient {to}), not this one. \
                     Pass it on to its addressee"
                ),
            ),
            PackageError::WrongKey { .. } => Text::new(
                "Пакет зашифрован для прежних ключей этой организации. Отправьте партнёру \
                 новую карточку организации и попросите подготовить пакет заново",
                "The package is encrypted to this office's former keys. Send the partner this \
                 office's new pairing card and ask for a new package",
            ),
            PackageError::Tampered => Text::new(
                "Пакет повреждён или изменён после подписи — загрузите его заново у отправителя",
                "The package is damaged or was changed after it was signed: get it again from \
                 the sender",
            ),
            PackageError::TooLarge => Text::new(
                "Пакет слишком велик: после распаковки он больше 2 ГиБ. Такой пакет не \
                 загружается",
                "The package is too large: unpacked, it exceeds 2 GiB. It cannot be loaded",
            ),
            PackageError::Replayed { seq, last } => Text::new(
                format!(
                    "Этот пакет (№ {seq}) уже устарел: от отправителя уже загружен пакет № \
                     {last}. Ничего не изменено"
                ),
                format!(
                    "This package (no. {seq}) is out of date: package no. {last} from the same \
                     sender was already loaded. Nothing was changed"
                ),
            ),
            PackageError::Misaddressed { from, to } => Text::new(
                format!(
                    "Внутренняя ошибка: заголовок пакета ({from} → {to}) не совпадает с \
                     организациями, между которыми он готовится"
                ),
                format!(
                    "Internal error: the package header ({from} → {to}) does not match the \
                     offices it is being prepared between"
                ),
            ),
            PackageError::NotACard => Text::new(
                "Этот файл — не карточка организации Mestno. Выберите файл с расширением \
                 .mestno-pair, полученный от партнёра",
                "This file is not a Mestno pairing card. Choose the .mestno-pair file \
                 received from the partner",
            ),
            PackageError::BadCard { .. } => Text::new(
                "Карточка организации повреждена или сделана в более новой версии Mestno. \
                 Попросите партнёра прислать её заново",
                "The pairing card is damaged or was made by a newer version of Mestno. Ask the \
                 partner to send it again",
            ),
            PackageError::BadSecret => Text::new(
                "Ключи обмена этой организации повреждены. Создайте их заново и обменяйтесь \
                 карточками с партнёрами",
                "This office's exchange keys are damaged. Make new ones and exchange pairing \
                 cards with the partners again",
            ),
        }
    }
}

impl From<PackageError> for mestno_core::Error {
    fn from(e: PackageError) -> Self {
        mestno_core::Error::Refused(e.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_in_both_languages_and_display_is_russian() {
        let all = [
            PackageError::NotAPackage,
            PackageError::UnsupportedVersion { version: 9 },
            PackageError::Truncated,
            PackageError::UnknownSender { from: "r1".into() },
            PackageError::NotForThisOffice { to: "r2".into() },
            PackageError::WrongKey { to: "r2".into() },
            PackageError::Tampered,
            PackageError::TooLarge,
            PackageError::Replayed { seq: 3, last: 5 },
            PackageError::Misaddressed { from: "a".into(), to: "b".into() },
            PackageError::NotACard,
            PackageError::BadCard { reason: "x".into() },
            PackageError::BadSecret,
        ];
        for e in all {
            let m = e.message();
            assert!(m.ru.chars().any(|c| ('а'..='я').contains(&c)), "the Russian is Russian: {e:?}");
            assert!(m.en.is_ascii() || m.en.contains('→'), "the English is English: {e:?}");
            assert_eq!(e.to_string(), m.ru, "Display is the Russian message, as the core's errors");
        }
        let replayed = PackageError::Replayed { seq: 3, last: 5 }.message();
        assert!(replayed.ru.contains("№ 3") && replayed.ru.contains("№ 5"), "both numbers are named");
    }
}
