use serde::{Deserialize, Serialize};

use super::check_not_blank;
use crate::error::Problems;

/// The office as the papers it prints name it: the operator of personal data in «Сведения о
/// субъекте персональных данных» and «Акт об уничтожении персональных данных», and the office in
/// every report's title block. Kept in the database's settings, read and written only through
/// [`Store::office_profile`](crate::Store::office_profile) and
/// [`Store::save_office_profile`](crate::Store::save_office_profile).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfficeProfile {
    /// The office's name, e.g. «Проектный офис Абанского района»: the operator of personal data.
    pub name: String,
    /// The operator's address, e.g. «663740, с. Абан, ул. Пионерская, 4»; empty when not given.
    pub address: String,
    /// The person responsible for organising the processing of personal data (ст. 22.1
    /// 152-ФЗ), as the act of destruction names them to sign: surname and initials.
    pub responsible_name: String,
    /// Their position, e.g. «заместитель главы района».
    pub responsible_position: String,
    /// The people who work in the office, as the change history names them once one of them
    /// says she is at the computer: surname and initials, e.g. «Петрова О. В.», in the order given.
    #[serde(default)]
    pub staff: Vec<String>,
}

impl OfficeProfile {
    /// The profile with every value trimmed of surrounding spaces, as it is stored.
    pub fn trimmed(&self) -> OfficeProfile {
        OfficeProfile {
            name: self.name.trim().to_owned(),
            address: self.address.trim().to_owned(),
            responsible_name: self.responsible_name.trim().to_owned(),
            responsible_position: self.responsible_position.trim().to_owned(),
            staff: self.staff.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).fold(Vec::new(), |mut staff, s| {
                if !staff.iter().any(|k: &String| k == s) {
                    staff.push(s.to_owned());
                }
                staff
            }),
        }
    }

    pub(crate) fn validate(&self, p: &mut Problems) {
        check_not_blank(p, "name", &self.name, "название офиса", "office's name");
        for (field, value) in [
            ("name", &self.name),
            ("address", &self.address),
            ("responsible_name", &self.responsible_name),
            ("responsible_position", &self.responsible_position),
        ] {
            if value.chars().count() > MAX_CHARS {
                p.push(field, format!("не длиннее {MAX_CHARS} символов"), format!("at most {MAX_CHARS} characters"));
            }
        }
        if let Some(long) = self.staff.iter().find(|s| s.chars().count() > MAX_PERSON_CHARS) {
            p.push(
                "staff",
                format!("имя «{long}» длиннее {MAX_PERSON_CHARS} символов"),
                format!("the name «{long}» is longer than {MAX_PERSON_CHARS} characters"),
            );
        }
    }
}

/// The longest value of a profile's field: a line of a printed act.
const MAX_CHARS: usize = 500;
/// The longest name of a person of the staff: what a line of the history shows.
const MAX_PERSON_CHARS: usize = 100;
