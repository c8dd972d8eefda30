use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Id, Stamp, check_date};
use crate::codes::code_enum;
use crate::error::Problems;
use crate::text::{normalize_email, normalize_phone};

code_enum! {
    /// A person or an organisation.
    ContactKind {
        Person = "person", "человек", "person";
        Organisation = "organisation", "организация", "organisation";
    }
}

code_enum! {
    /// The part a contact plays in the office's work.
    Role {
        Resident = "resident", "житель", "resident";
        VillageElder = "village_elder", "сельский староста", "village elder";
        TosLeader = "tos_leader", "руководитель ТОС", "TOS leader";
        Entrepreneur = "entrepreneur", "предприниматель", "entrepreneur";
        Business = "business", "бизнес", "business";
        Ngo = "ngo", "НКО", "NGO";
        InstitutionHead = "institution_head", "руководитель учреждения", "institution head";
        Deputy = "deputy", "депутат", "deputy";
        Official = "official", "должностное лицо", "official";
        Expert = "expert", "эксперт", "expert";
        Media = "media", "СМИ", "media";
    }
}

code_enum! {
    /// How consent to personal data processing was given.
    ConsentMethod {
        Written = "written", "письменно", "in writing";
        Electronic = "electronic", "в электронной форме", "electronically";
        Oral = "oral", "устно", "orally";
    }
}

/// What a form supplies for a contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactInput {
    /// Person or organisation.
    pub kind: ContactKind,
    /// Surname (persons).
    #[serde(default)]
    pub last_name: String,
    /// First name (persons).
    #[serde(default)]
    pub first_name: String,
    /// Patronymic (persons).
    #[serde(default)]
    pub middle_name: String,
    /// The organisation's name, or where the person works.
    #[serde(default)]
    pub org_name: String,
    /// Position.
    #[serde(default)]
    pub position: String,
    /// Where the contact lives or works.
    #[serde(default)]
    pub territory_id: Option<Id>,
    /// Postal address.
    #[serde(default)]
    pub address: String,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Phones, in any notation; stored as +7XXXXXXXXXX.
    #[serde(default)]
    pub phones: Vec<String>,
    /// E-mails; stored lower-cased.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A person's consent to the processing of personal data (152-ФЗ).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConsentInput {
    /// What the data may be used for.
    pub purpose: String,
    /// When it was given.
    pub given_on: NaiveDate,
    /// How.
    pub method: ConsentMethod,
    /// Until when, if limited.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
}

/// A stored consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Consent {
    /// Id.
    pub id: Id,
    /// The consent as given.
    #[serde(flatten)]
    pub input: ConsentInput,
    /// When it was withdrawn, if it was.
    pub withdrawn_on: Option<NaiveDate>,
}

impl Consent {
    /// Whether the consent allows processing on `day`.
    pub fn is_active(&self, day: NaiveDate) -> bool {
        self.input.given_on <= day
            && self.withdrawn_on.is_none_or(|w| w > day)
            && self.input.expires_on.is_none_or(|e| e >= day)
    }
}

/// A stored contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Contact {
    /// Id.
    pub id: Id,
    /// The editable fields, normalised.
    #[serde(flatten)]
    pub input: ContactInput,
    /// «Фамилия Имя Отчество» or the organisation's name.
    pub display_name: String,
    /// Consents, oldest first.
    pub consents: Vec<Consent>,
    /// Sync stamp.
    pub stamp: Stamp,
}

impl ContactInput {
    /// «Фамилия Имя Отчество» for a person, the name for an organisation.
    pub fn display_name(&self) -> String {
        match self.kind {
            ContactKind::Person => [&self.last_name, &self.first_name, &self.middle_name]
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            ContactKind::Organisation => self.org_name.trim().to_string(),
        }
    }

    /// Checks the input and normalises phones, e-mails, tags and roles in place.
    pub(crate) fn validate_and_normalize(&mut self, p: &mut Problems) {
        match self.kind {
            ContactKind::Person if self.last_name.trim().is_empty() && self.first_name.trim().is_empty() => {
                p.push("last_name", "укажите фамилию или имя", "enter a surname or a first name");
            }
            ContactKind::Organisation if self.org_name.trim().is_empty() => {
                p.push("org_name", "укажите название организации", "enter the organisation's name");
            }
            _ => {}
        }
        for (i, raw) in self.phones.iter_mut().enumerate() {
            match normalize_phone(raw) {
                Some(phone) => *raw = phone,
                None => p.push(
                    format!("phones[{i}]"),
                    format!("«{raw}» не похож на российский номер телефона"),
                    format!("«{raw}» is not a Russian phone number"),
                ),
            }
        }
        for (i, raw) in self.emails.iter_mut().enumerate() {
            match normalize_email(raw) {
                Some(email) => *raw = email,
                None => p.push(
                    format!("emails[{i}]"),
                    format!("«{raw}» не похож на адрес эл. почты"),
                    format!("«{raw}» is not an e-mail address"),
                ),
            }
        }
        for s in [&mut self.last_name, &mut self.first_name, &mut self.middle_name, &mut self.org_name] {
            *s = s.trim().to_string();
        }
        self.tags = self.tags.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        for list in [&mut self.phones, &mut self.emails, &mut self.tags] {
            dedup_keep_order(list);
        }
        let mut roles = Vec::new();
        for r in &self.roles {
            if !roles.contains(r) {
                roles.push(*r);
            }
        }
        self.roles = roles;
    }
}

impl ConsentInput {
    pub(crate) fn validate(&self, p: &mut Problems, today: NaiveDate) {
        if self.purpose.trim().is_empty() {
            p.push("purpose", "укажите цель обработки персональных данных", "state the purpose of processing");
        }
        check_date(p, "given_on", self.given_on);
        if self.given_on > today {
            p.push("given_on", "согласие не может быть дано в будущем", "consent cannot be given in the future");
        }
        if let Some(exp) = self.expires_on
            && exp < self.given_on
        {
            p.push(
                "expires_on",
                "срок действия заканчивается раньше, чем согласие дано",
                "the consent expires before it was given",
            );
        }
    }
}

fn dedup_keep_order(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|s| seen.insert(s.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> ContactInput {
        ContactInput {
            kind: ContactKind::Person,
            last_name: " Семёнова ".into(),
            first_name: "Анна".into(),
            middle_name: "Петровна".into(),
            org_name: String::new(),
            position: String::new(),
            territory_id: None,
            address: String::new(),
            notes: String::new(),
            roles: vec![Role::VillageElder, Role::VillageElder],
            phones: vec!["8 (913) 555-12-34".into(), "+7 913 555 12 34".into()],
            emails: vec![" Anna@Mail.ru".into()],
            tags: vec![],
        }
    }

    #[test]
    fn a_person_is_normalised_before_saving() {
        let mut c = person();
        let mut p = Problems::default();
        c.validate_and_normalize(&mut p);
        assert!(p.into_vec().is_empty());
        assert_eq!(c.display_name(), "Семёнова Анна Петровна");
        assert_eq!(c.phones, vec!["+79135551234"], "the same number twice is kept once");
        assert_eq!(c.emails, vec!["anna@mail.ru"]);
        assert_eq!(c.roles, vec![Role::VillageElder]);
    }

    #[test]
    fn a_bad_phone_is_reported_on_its_own_field() {
        let mut c = person();
        c.phones.push("позвонить в сельсовет".into());
        let mut p = Problems::default();
        c.validate_and_normalize(&mut p);
        let e = p.into_vec();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "phones[2]");
    }

    #[test]
    fn consent_is_active_between_giving_and_withdrawal_or_expiry() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut c = Consent {
            id: Id::nil(),
            input: ConsentInput {
                purpose: "участие в ППМИ".into(),
                given_on: d("2024-03-01"),
                method: ConsentMethod::Written,
                expires_on: Some(d("2026-03-01")),
            },
            withdrawn_on: None,
        };
        assert!(!c.is_active(d("2024-02-29")));
        assert!(c.is_active(d("2025-01-01")));
        assert!(c.is_active(d("2026-03-01")), "valid on its last day");
        assert!(!c.is_active(d("2026-03-02")));
        c.withdrawn_on = Some(d("2025-01-01"));
        assert!(!c.is_active(d("2025-01-01")));
    }
}
