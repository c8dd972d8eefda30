use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Id, check_date, check_not_blank};
use crate::Lang;
use crate::codes::code_enum;
use crate::error::Problems;

code_enum! {
    /// Why a person's data are destroyed: the provision of 152-ФЗ the office acts on.
    ErasureBasis {
        SubjectRequest = "subject_request",
            "требование субъекта персональных данных (ч. 1 ст. 14, ч. 3 ст. 20 Федерального закона от 27.07.2006 № 152-ФЗ)",
            "the data subject's demand (152-FZ, art. 14 part 1, art. 20 part 3)";
        ConsentWithdrawn = "consent_withdrawn",
            "отзыв согласия на обработку персональных данных (ч. 5 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)",
            "withdrawal of consent (152-FZ, art. 21 part 5)";
        PurposeAchieved = "purpose_achieved",
            "достижение цели обработки персональных данных (ч. 4 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)",
            "the purpose of processing is achieved (152-FZ, art. 21 part 4)";
        UnlawfulProcessing = "unlawful_processing",
            "выявление неправомерной обработки персональных данных (ч. 3 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)",
            "unlawful processing found (152-FZ, art. 21 part 3)";
    }
}

/// How the data are destroyed, as the act and the log state it.
pub const ERASURE_METHOD: &str = "удаление из базы данных и поискового индекса";

/// The categories of personal data an act of destruction can list: as the log keeps them (the
/// act's Russian words) and in English.
pub const ERASURE_CATEGORIES: [(&str, &str); 16] = [
    ("фамилия, имя, отчество", "surname, first name, patronymic"),
    ("номера телефонов", "phone numbers"),
    ("адреса электронной почты", "e-mail addresses"),
    ("почтовый адрес", "postal address"),
    ("населённый пункт (территория)", "locality (territory)"),
    ("место работы и должность", "employer and position"),
    (
        "роли во взаимодействии с проектным офисом (житель, староста и т. п.)",
        "roles with the project office (resident, village elder and so on)",
    ),
    ("метки", "tags"),
    ("заметки", "notes"),
    ("сведения о согласиях на обработку персональных данных", "consents to the processing of personal data"),
    ("сведения об участии в мероприятиях", "attendance at events"),
    ("сведения об инициировании проектов", "initiatives put forward"),
    ("сведения об авторстве обращений", "appeals written"),
    ("прикреплённые файлы", "attached files"),
    ("история изменений записи о субъекте", "the change history of the subject's record"),
    (
        "упоминания имени, телефонов, адресов эл. почты в других записях и их истории",
        "mentions of the name, phones and e-mail addresses in other records and their history",
    ),
];

/// A category or the method as the log keeps them (in the act's Russian words), in `lang`; a
/// text that is not one of them is given as kept.
pub fn erasure_words(kept: &str, lang: Lang) -> &str {
    match lang {
        Lang::Ru => kept,
        Lang::En if kept == ERASURE_METHOD => "deletion from the database and the search index",
        Lang::En => ERASURE_CATEGORIES.iter().find(|(ru, _)| *ru == kept).map_or(kept, |(_, en)| en),
    }
}

/// A request to erase a person, as the office registered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErasureRequest {
    /// The registration number of the person's request (or of the decision) in the office's
    /// correspondence: after the erasure it is the only thing that tells whose data these were.
    pub request_number: String,
    /// When the request was received.
    pub requested_on: NaiveDate,
    /// Why, in the office's words («заявление субъекта об уничтожении персональных данных»).
    pub reason: String,
    /// The provision of 152-ФЗ acted on.
    pub basis: ErasureBasis,
}

impl ErasureRequest {
    pub(crate) fn validate(&self, p: &mut Problems, today: NaiveDate) {
        check_not_blank(p, "request_number", &self.request_number, "регистрационный номер запроса", "request's number");
        check_not_blank(p, "reason", &self.reason, "причину уничтожения", "reason for the erasure");
        check_date(p, "requested_on", self.requested_on);
        if self.requested_on > today {
            p.push("requested_on", "дата запроса в будущем", "the request is dated in the future");
        }
    }
}

/// Rows removed or changed by an erasure, by kind. Holds counts only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ErasureCounts {
    /// The contact record itself.
    pub contacts: i64,
    /// Roles.
    pub roles: i64,
    /// Phones.
    pub phones: i64,
    /// E-mails.
    pub emails: i64,
    /// Tags.
    pub tags: i64,
    /// Consents to processing.
    pub consents: i64,
    /// Named attendance at events (the events keep their headcount).
    pub attendances: i64,
    /// Attached files' records.
    pub attachments: i64,
    /// Entries of the person's own change history.
    pub history_deleted: i64,
    /// Initiatives whose initiator or texts named the person.
    pub initiatives_changed: i64,
    /// Events whose texts named the person.
    pub events_changed: i64,
    /// Appeals the person wrote (kept, without the author) or that named them.
    pub appeals_changed: i64,
    /// Other contacts whose texts named the person.
    pub contacts_changed: i64,
    /// Other rows (stage notes, budget notes, file names, tags) that named the person.
    pub other_rows_changed: i64,
    /// Entries of other records' history in which the person's name, phones or e-mails were redacted.
    pub history_redacted: i64,
}

impl ErasureCounts {
    /// Each count with its label in `lang`.
    pub fn labelled_in(&self, lang: Lang) -> [(&'static str, i64); 15] {
        const EN: [&str; 15] = [
            "the contact's record",
            "roles",
            "phones",
            "e-mail addresses",
            "tags",
            "consents to the processing of personal data",
            "attendance at events (by name)",
            "records of attached files",
            "entries of the contact's change history",
            "initiatives: the initiator and texts",
            "events: texts",
            "appeals: the author and texts",
            "other contacts: texts",
            "other rows (notes, file names, tags)",
            "entries of other records' change history (values redacted)",
        ];
        let mut out = self.labelled();
        if lang == Lang::En {
            for ((label, _), en) in out.iter_mut().zip(EN) {
                *label = en;
            }
        }
        out
    }

    /// Each count with its Russian label, for the act.
    pub fn labelled(&self) -> [(&'static str, i64); 15] {
        [
            ("запись контакта", self.contacts),
            ("роли", self.roles),
            ("телефоны", self.phones),
            ("адреса эл. почты", self.emails),
            ("метки", self.tags),
            ("согласия на обработку персональных данных", self.consents),
            ("участие в мероприятиях (поимённо)", self.attendances),
            ("записи о прикреплённых файлах", self.attachments),
            ("записи истории изменений контакта", self.history_deleted),
            ("проекты: сведения об инициаторе и тексты", self.initiatives_changed),
            ("мероприятия: тексты", self.events_changed),
            ("обращения: автор и тексты", self.appeals_changed),
            ("другие контакты: тексты", self.contacts_changed),
            ("прочие записи (примечания, имена файлов, метки)", self.other_rows_changed),
            ("записи истории изменений других записей (значения обезличены)", self.history_redacted),
        ]
    }
}

/// One entry of the erasure log: what the act of destruction states. No personal data of the
/// person erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErasureLogEntry {
    /// The entry's id.
    pub id: Id,
    /// The act's number, «1/2026»: sequential within the year.
    pub act_number: String,
    /// When, ms since the epoch (UTC).
    pub erased_at: i64,
    /// The office's date of the erasure.
    pub erased_on: NaiveDate,
    /// The person who erased (the store's actor).
    pub actor: String,
    /// The device it was done on.
    pub device: String,
    /// The request's registration number: how the subject is identified.
    pub request_number: String,
    /// When the request was received.
    pub requested_on: NaiveDate,
    /// Why.
    pub reason: String,
    /// The provision of 152-ФЗ acted on.
    pub basis: ErasureBasis,
    /// The categories of personal data destroyed, in Russian.
    pub categories: Vec<String>,
    /// How they were destroyed.
    pub method: String,
    /// Rows removed or changed, by kind.
    pub counts: ErasureCounts,
}

/// What an erasure did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErasureRecord {
    /// The log entry written.
    pub log: ErasureLogEntry,
    /// SHA-256 of attached files no record refers to any more: their content can be removed
    /// from the files folder ([`Store::remove_unreferenced_files`](crate::Store::remove_unreferenced_files)).
    pub unreferenced_files: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logs_russian_words_are_told_in_english_and_kept_in_russian() {
        assert_eq!(erasure_words(ERASURE_METHOD, Lang::Ru), ERASURE_METHOD, "the log keeps the act's words");
        assert_eq!(erasure_words(ERASURE_METHOD, Lang::En), "deletion from the database and the search index");
        for (ru, en) in ERASURE_CATEGORIES {
            assert_eq!(erasure_words(ru, Lang::En), en, "each category the act can list has its English");
            assert!(!en.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "{en}");
        }
        assert_eq!(erasure_words("something else", Lang::En), "something else", "a text not known is given as kept");
        let counts = ErasureCounts { phones: 2, ..Default::default() };
        assert!(counts.labelled_in(Lang::En).contains(&("phones", 2)));
        assert_eq!(counts.labelled_in(Lang::Ru), counts.labelled(), "Russian, as the act has them");
    }
}
