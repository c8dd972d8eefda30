//! What a column can hold, and how its heading is recognised.
//!
//! Headings are compared word by word after folding case and «ё», with punctuation ignored:
//! every word of an alias must begin a different word of the heading («наименован проект»
//! fits «Наименование инициативного проекта»). The alias with the most words wins, then the one
//! matching more letters; a few aliases are vetoed by a word («численность населения» is not the
//! residents' money).

use mestno_core::Lang;
use mestno_core::money::FundingSource;
use serde::{Deserialize, Serialize};

mod headings;

pub(crate) use headings::{best_field, best_field_but, words};

/// What is being imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ImportKind"))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Initiatives: a registry of projects.
    Initiatives,
    /// Contacts: people and organisations.
    Contacts,
    /// Engagement events: gatherings, hearings, surveys…
    Events,
}

impl Kind {
    /// Every kind, in the order the wizard offers them.
    pub const ALL: [Kind; 3] = [Kind::Initiatives, Kind::Contacts, Kind::Events];

    /// The code used in mapping files (`initiatives`, `contacts`, `events`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Initiatives => "initiatives",
            Kind::Contacts => "contacts",
            Kind::Events => "events",
        }
    }

    /// The fields a column of this kind of table can be mapped to, in the order the wizard lists them.
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            Kind::Contacts => &[
                FullName,
                LastName,
                FirstName,
                MiddleName,
                OrgName,
                Position,
                Role,
                Territory,
                District,
                Address,
                Phone,
                Email,
                Tags,
                Notes,
                ConsentOn,
                ConsentUntil,
            ],
            Kind::Initiatives => &[
                RecordId,
                Number,
                Title,
                Description,
                ObjectType,
                Territory,
                District,
                Program,
                Year,
                Initiator,
                Stage,
                StageOn,
                TotalCost,
                Federal,
                Regional,
                Municipal,
                Residents,
                Business,
                InKind,
                ActualFederal,
                ActualRegional,
                ActualMunicipal,
                ActualResidents,
                ActualBusiness,
                ActualInKind,
                MeetingParticipants,
                MeetingDate,
                Beneficiaries,
                Supporters,
                Votes,
                Contractor,
                ContractSum,
                ContractDate,
                StartDate,
                EndDate,
                PercentDone,
                Results,
            ],
            Kind::Events => {
                &[EventKind, Title, Date, Time, EndTime, Place, Territory, District, Headcount, Outcome, Minutes]
            }
        }
    }

    /// The kind's name in `lang`, plural.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::Initiatives, Lang::Ru) => "проекты",
            (Kind::Contacts, Lang::Ru) => "контакты",
            (Kind::Events, Lang::Ru) => "мероприятия",
            (Kind::Initiatives, Lang::En) => "initiatives",
            (Kind::Contacts, Lang::En) => "contacts",
            (Kind::Events, Lang::En) => "events",
        }
    }
}

macro_rules! fields {
    ($($variant:ident = $code:literal, $ru:literal, $en:literal;)+) => {
        /// A field of a record that a column can be mapped to.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ImportField"))]
        pub enum Field {
            $(#[doc = $en] #[serde(rename = $code)] $variant,)+
        }

        impl Field {
            /// The code used in mapping files.
            pub fn as_str(self) -> &'static str {
                match self { $(Field::$variant => $code),+ }
            }

            /// The field's name as the wizard shows it.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) { $((Field::$variant, Lang::Ru) => $ru, (Field::$variant, Lang::En) => $en,)+ }
            }
        }
    };
}

fields! {
    FullName = "full_name", "ФИО", "full name";
    LastName = "last_name", "фамилия", "surname";
    FirstName = "first_name", "имя", "first name";
    MiddleName = "middle_name", "отчество", "patronymic";
    OrgName = "org_name", "организация", "organisation";
    Position = "position", "должность", "position";
    Role = "role", "роль", "role";
    Territory = "territory", "населённый пункт / территория", "settlement / territory";
    District = "district", "муниципальный район / округ", "municipal district";
    Address = "address", "адрес", "address";
    Phone = "phone", "телефон", "phone";
    Email = "email", "эл. почта", "e-mail";
    Tags = "tags", "метки", "tags";
    Notes = "notes", "примечание", "notes";
    ConsentOn = "consent_on", "дата согласия на обработку ПД", "consent date";
    ConsentUntil = "consent_until", "согласие действует до", "consent valid until";
    RecordId = "record_id", "код записи Mestno", "Mestno record id";
    Number = "number", "номер заявки", "application number";
    Title = "title", "наименование", "title";
    Description = "description", "описание", "description";
    ObjectType = "object_type", "тип объекта", "type of object";
    Program = "program", "программа", "program";
    Year = "year", "год", "year";
    Initiator = "initiator", "инициатор", "initiator";
    Stage = "stage", "стадия / статус", "stage";
    StageOn = "stage_on", "дата решения", "stage date";
    TotalCost = "total_cost", "общая стоимость", "total cost";
    Federal = "federal", "федеральный бюджет", "federal budget";
    Regional = "regional", "краевой / областной бюджет", "regional budget";
    Municipal = "municipal", "местный бюджет", "municipal budget";
    Residents = "residents", "вклад населения", "residents' contribution";
    Business = "business", "вклад юридических лиц и ИП", "business contribution";
    InKind = "in_kind", "неденежный вклад", "in-kind contribution";
    ActualFederal = "actual_federal", "факт: федеральный бюджет", "actual: federal budget";
    ActualRegional = "actual_regional", "факт: краевой / областной бюджет", "actual: regional budget";
    ActualMunicipal = "actual_municipal", "факт: местный бюджет", "actual: municipal budget";
    ActualResidents = "actual_residents", "факт: вклад населения", "actual: residents' contribution";
    ActualBusiness = "actual_business", "факт: вклад юридических лиц и ИП", "actual: business contribution";
    ActualInKind = "actual_in_kind", "факт: неденежный вклад", "actual: in-kind contribution";
    MeetingParticipants = "meeting_participants", "участников собрания граждан", "residents' meeting participants";
    MeetingDate = "meeting_date", "дата собрания граждан", "residents' meeting date";
    Beneficiaries = "beneficiaries", "благополучатели", "beneficiaries";
    Supporters = "supporters", "поддержали", "supporters";
    Votes = "votes", "голоса", "votes";
    Contractor = "contractor", "подрядчик", "contractor";
    ContractSum = "contract_sum", "сумма контракта", "contract sum";
    ContractDate = "contract_date", "дата контракта", "contract date";
    StartDate = "start_date", "начало работ", "works start";
    EndDate = "end_date", "окончание работ", "works end";
    PercentDone = "percent_done", "процент выполнения", "percent done";
    Results = "results", "результаты", "results";
    EventKind = "event_kind", "вид мероприятия", "kind of event";
    Date = "date", "дата", "date";
    Time = "time", "время", "time";
    EndTime = "end_time", "время окончания", "end time";
    Place = "place", "место проведения", "place";
    Headcount = "headcount", "число участников", "headcount";
    Outcome = "outcome", "решение / итоги", "outcome";
    Minutes = "minutes", "протокол", "minutes";
}

impl Field {
    /// Fields several columns may feed (two phone columns, two e-mail columns…).
    pub fn takes_many(self) -> bool {
        matches!(self, Field::Phone | Field::Email | Field::Tags | Field::Notes)
    }

    /// Fields holding money, read to the kopeck.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Field::TotalCost
                | Field::Federal
                | Field::Regional
                | Field::Municipal
                | Field::Residents
                | Field::Business
                | Field::InKind
                | Field::ContractSum
        ) || self.planned().is_some()
    }

    /// The fields of a source of money: planned, and actually spent.
    pub fn of_source(source: FundingSource) -> (Field, Field) {
        use Field::*;
        match source {
            FundingSource::Federal => (Federal, ActualFederal),
            FundingSource::Regional => (Regional, ActualRegional),
            FundingSource::Municipal => (Municipal, ActualMunicipal),
            FundingSource::Residents => (Residents, ActualResidents),
            FundingSource::Business => (Business, ActualBusiness),
            FundingSource::InKind => (InKind, ActualInKind),
        }
    }

    /// For a field of money actually spent, the field of the same source planned.
    pub fn planned(self) -> Option<Field> {
        FundingSource::ALL.iter().map(|&s| Field::of_source(s)).find(|&(_, actual)| actual == self).map(|(p, _)| p)
    }

    /// Fields holding counts or amounts (a «Итого» in their column is not a totals row marker).
    pub fn is_numeric(self) -> bool {
        self.is_money()
            || matches!(
                self,
                Field::Beneficiaries | Field::Supporters | Field::Votes | Field::Headcount | Field::MeetingParticipants
            )
    }

    /// Parses a code from a mapping file.
    pub fn parse(code: &str) -> Option<Field> {
        [Kind::Contacts, Kind::Initiatives, Kind::Events]
            .iter()
            .flat_map(|k| k.fields())
            .copied()
            .find(|f| f.as_str() == code.trim())
    }
}

#[cfg(test)]
mod tests;
