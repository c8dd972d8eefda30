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

/// Aliases of each field: each alias is a list of word stems; `!stem` vetoes the match.
fn aliases(field: Field) -> &'static [&'static [&'static str]] {
    use Field::*;
    match field {
        FullName => {
            &[&["фио"], &["ф", "и", "о"], &["фамил", "имя", "отчеств"], &["фамил", "имя"], &["контактн", "лицо"]]
        }
        LastName => &[&["фамил"]],
        FirstName => &[&["имя"]],
        MiddleName => &[&["отчеств"]],
        OrgName => &[
            &["организац", "!бюджет"],
            &["наименован", "организац"],
            &["мест", "работ"],
            &["учрежден"],
            &["предприят"],
        ],
        Position => &[&["должност"]],
        Role => &[&["рол"], &["статус"], &["категор"]],
        Territory => &[
            &["территор", "населен", "пункт"],
            &["населен", "пункт"],
            &["нас", "пункт"],
            &["нп"],
            &["поселен", "!бюджет"],
            &["территор"],
            &["муниципальн", "образован", "!бюджет"],
            &["сельсовет"],
        ],
        District => {
            &[
                &["район", "!бюджет"],
                &["муниципальн", "район", "!бюджет"],
                &["муниципальн", "округ"],
                &["округ"],
                // Second to a settlement column's claim on the same heading (a tie goes to the
                // territory): a registry with a village column as well calls its district so.
                &["муниципальн", "образован", "!бюджет"],
            ]
        }
        Address => &[&["адрес"], &["адрес", "проживан"], &["почтов", "адрес"]],
        Phone => &[&["телефон"], &["тел"], &["моб"], &["сотов"], &["контактн", "телефон"], &["номер", "телефон"]],
        Email => &[
            &["email"],
            &["e", "mail"],
            &["mail"],
            &["эл", "почт"],
            &["электрон", "почт"],
            &["адрес", "электрон", "почт"],
            &["почт", "!адрес"],
        ],
        Tags => &[&["тег"], &["метк"]],
        Notes => &[&["примечан"], &["комментар"], &["заметк"], &["дополнительн", "информац"]],
        // The end of a consent, or its withdrawal, is not the day it was given.
        ConsentOn => &[
            &["согласи", "!срок", "!действ", "!до", "!окончан", "!отзыв", "!отозва"],
            &["согласи", "обработк", "!срок", "!действ", "!до", "!окончан", "!отзыв", "!отозва"],
            &["дата", "согласи", "!срок", "!действ", "!до", "!окончан", "!отзыв", "!отозва"],
        ],
        ConsentUntil => &[&["согласи", "действ"], &["согласи", "до"], &["срок", "согласи"], &["окончан", "согласи"]],
        Title => &[
            &["наименован", "проект"],
            &["названи", "проект"],
            &["наименован", "объект"],
            &["проект", "!стоимост", "!сумм", "!описан", "!год"],
            &["наименован"],
            &["названи"],
            &["наименован", "мероприят"],
            &["названи", "мероприят"],
            &["тем"],
            &["мероприят", "!вид", "!тип", "!форм", "!дата", "!мест", "!количеств", "!числ"],
        ],
        Description => &[&["описан"], &["кратк", "описан"], &["суть", "проект"], &["содержан"]],
        ObjectType => {
            &[&["тип", "объект"], &["вид", "объект"], &["тип", "проект"], &["направлен"], &["категор"], &["сфер"]]
        }
        Program => &[&["программ"], &["конкурс"]],
        Year => &[&["год"], &["год", "реализац"], &["год", "участ"], &["год", "проведен"]],
        Initiator => {
            &[&["инициатор"], &["инициативн", "групп"], &["заявител"], &["тос"], &["староста"], &["руководител", "тос"]]
        }
        Stage => &[&["стади"], &["статус"], &["этап"], &["результат", "отбор"], &["итог", "отбор"]],
        StageOn => {
            &[&["дата", "решен"], &["дата", "отбор"], &["дата", "стади"], &["дата", "статус"], &["дата", "протокол"]]
        }
        TotalCost => &[
            &["общ", "стоимост"],
            &["стоимост", "!контракт"],
            &["стоимост", "проект"],
            &["сумм", "проект"],
            &["общ", "сумм"],
            &["бюджет", "проект"],
        ],
        Federal => &[&["федеральн"]],
        Regional => {
            &[&["краев"], &["областн"], &["республиканск"], &["регионал"], &["субсид"], &["средств", "субъект"]]
        }
        Municipal => &[
            &["местн", "бюджет"],
            &["местн"],
            &["муниципальн", "бюджет"],
            &["бюджет", "муниципальн"],
            &["бюджет", "муниципальн", "образован"],
            &["бюджет", "муниципальн", "район"],
            &["бюджет", "поселен"],
            &["бюджет", "район"],
        ],
        Residents => &[
            &["населен", "!численност", "!количеств", "!благополучател", "!пункт"],
            &["вклад", "населен"],
            &["средств", "населен"],
            &["жител", "!численност", "!количеств", "!благополучател"],
            &["средств", "граждан"],
            &["физическ", "лиц"],
        ],
        Business => &[
            &["юридическ"],
            &["спонсор"],
            &["бизнес"],
            &["индивидуальн", "предпринимател"],
            &["ип"],
            &["предпринимател"],
            &["вклад", "организац"],
        ],
        InKind => &[&["неденежн"], &["нефинансов"], &["трудов"], &["натуральн"]],
        ActualFederal | ActualRegional | ActualMunicipal | ActualResidents | ActualBusiness | ActualInKind => {
            field.planned().map_or(&[], aliases)
        }
        MeetingParticipants => &[
            &["участник", "собран"],
            &["участник", "сход"],
            &["присутствова"],
            &["присутствующ"],
            &["участник", "схода"],
            &["кол", "участник", "собран"],
        ],
        RecordId => &[&["код", "запис"], &["идентификатор"], &["id"], &["uuid"]],
        Number => &[
            &["номер", "заявк"],
            &["заявк", "!дата", "!сумм", "!стоимост", "!подач", "!статус"],
            &["рег", "номер"],
            &["регистрационн", "номер"],
            &["номер", "проект"],
        ],
        MeetingDate => &[&["дата", "собран"], &["дата", "сход"], &["дата", "протокол", "собран"]],
        Beneficiaries => &[&["благополучател"], &["количеств", "благополучател"]],
        Supporters => &[&["поддерж"], &["подпис"], &["сторонник"]],
        Votes => &[&["голос"]],
        Contractor => &[&["подрядчик"], &["исполнител"], &["подрядн", "организац"]],
        ContractSum => &[&["сумм", "контракт"], &["цен", "контракт"], &["стоимост", "контракт"]],
        ContractDate => &[&["дата", "контракт"], &["дата", "заключен"]],
        StartDate => &[&["начал", "работ"], &["дата", "начал"]],
        EndDate => &[
            &["окончан", "работ"],
            &["дата", "окончан"],
            &["срок", "реализац"],
            &["завершен"],
            &["дата", "завершен"],
            &["ввод", "эксплуатац"],
        ],
        PercentDone => &[&["процент", "выполнен"], &["выполнен"], &["готовност"]],
        Results => &[&["результат", "!отбор"]],
        EventKind => &[
            &["вид", "мероприят"],
            &["тип", "мероприят"],
            &["форм", "мероприят"],
            &["форм", "проведен"],
            &["вид"],
            &["тип"],
            &["формат"],
        ],
        Date => &[&["дата"], &["дата", "проведен"], &["дата", "мероприят"]],
        Time => &[&["время"], &["время", "начал"]],
        EndTime => &[&["время", "окончан"], &["окончан"]],
        Place => &[&["мест", "проведен"], &["мест", "!работ"], &["площадк"], &["адрес"]],
        Headcount => {
            &[&["количеств", "участник"], &["числ", "участник"], &["участник"], &["присутствова"], &["охват"], &["чел"]]
        }
        Outcome => &[&["решен", "!дата"], &["итог"], &["результат"], &["принят", "решен"]],
        Minutes => &[&["протокол", "!дата"], &["номер", "протокол"]],
    }
}

/// A heading's words: folded, without punctuation.
pub(crate) fn words(heading: &str) -> Vec<String> {
    mestno_core::text::fold(heading)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn stem_fits(stem: &str, word: &str) -> bool {
    if stem.chars().count() < 3 { word == stem } else { word.starts_with(stem) }
}

/// Words that say money was spent, not planned: «Факт», «Израсходовано», «Кассовое исполнение».
const ACTUAL_MARKERS: [&str; 6] = ["факт", "израсходова", "освоен", "кассов", "исполнен", "профинансирова"];

/// How well `heading` fits `field`: 0 when it does not, more for longer, fuller aliases. A
/// heading that says money was spent fits only the actual fields, which need such a word beside
/// their source's words.
pub(crate) fn fit(field: Field, heading_words: &[String]) -> u32 {
    let actual = heading_words.iter().any(|w| ACTUAL_MARKERS.iter().any(|m| stem_fits(m, w)));
    match (field.planned(), actual) {
        (Some(_), false) => 0,
        (Some(_), true) => ACTUAL_MARKERS.iter().map(|m| best_alias(field, heading_words, Some(m))).max().unwrap_or(0),
        (None, true) if field.is_money() && field != Field::ContractSum => 0,
        (None, _) => best_alias(field, heading_words, None),
    }
}

fn best_alias(field: Field, heading_words: &[String], marker: Option<&str>) -> u32 {
    let mut best = 0;
    'alias: for alias in aliases(field) {
        let mut used = vec![false; heading_words.len()];
        let mut score = 0u32;
        let mut words = 0u32;
        for stem in alias.iter().copied().chain(marker) {
            if let Some(veto) = stem.strip_prefix('!') {
                if heading_words.iter().any(|w| stem_fits(veto, w)) {
                    continue 'alias;
                }
                continue;
            }
            let found = heading_words.iter().enumerate().find(|(i, w)| !used[*i] && stem_fits(stem, w));
            match found {
                Some((i, _)) => {
                    used[i] = true;
                    words += 1;
                    score += stem.chars().count() as u32;
                }
                None => continue 'alias,
            }
        }
        best = best.max(words * 100 + score);
    }
    best
}

/// The field of `kind` that `heading` fits best, with how well.
pub(crate) fn best_field(kind: Kind, heading: &str) -> Option<(Field, u32)> {
    best_field_but(kind, heading, &[])
}

/// The field of `kind`, other than those `taken`, that `heading` fits best, with how well.
pub(crate) fn best_field_but(kind: Kind, heading: &str, taken: &[Field]) -> Option<(Field, u32)> {
    let w = words(heading);
    kind.fields()
        .iter()
        .filter(|f| !taken.contains(f))
        .map(|&f| (f, fit(f, &w)))
        .filter(|&(_, s)| s > 0)
        .max_by_key(|&(f, s)| (s, std::cmp::Reverse(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(kind: Kind, heading: &str) -> Option<Field> {
        best_field(kind, heading).map(|(f, _)| f)
    }

    #[test]
    fn usual_registry_headings_and_their_variants_are_recognised() {
        use Field::*;
        let k = Kind::Initiatives;
        for (heading, field) in [
            ("Наименование проекта", Some(Title)),
            ("Наименование инициативного проекта", Some(Title)),
            ("Населённый пункт", Some(Territory)),
            ("Населенный пункт", Some(Territory)),
            ("НАСЕЛЁННЫЙ  ПУНКТ:", Some(Territory)),
            ("Нас. пункт", Some(Territory)),
            ("Общая стоимость", Some(TotalCost)),
            ("Общая стоимость проекта, руб.", Some(TotalCost)),
            ("Вклад населения", Some(Residents)),
            ("Источники финансирования / Население", Some(Residents)),
            ("Субсидия из краевого бюджета", Some(Regional)),
            ("Бюджет муниципального образования", Some(Municipal)),
            ("Муниципальное образование", Some(Territory)),
            ("Муниципальный район", Some(District)),
            ("Территория (населённый пункт)", Some(Territory)),
            ("Численность населения", None),
            ("Количество благополучателей, чел.", Some(Beneficiaries)),
            ("% выполнения", Some(PercentDone)),
            ("Результат отбора", Some(Stage)),
            ("Кол-во участников собрания", Some(MeetingParticipants)),
            ("№ заявки", Some(Number)),
            ("Регистрационный номер заявки", Some(Number)),
            ("Номер проекта", Some(Number)),
            ("Код записи Mestno", Some(RecordId)),
            ("Число присутствовавших на собрании граждан", Some(MeetingParticipants)),
            ("Число присутствовавших", Some(MeetingParticipants)),
            ("Дата проведения собрания граждан", Some(MeetingDate)),
            ("Численность благополучателей", Some(Beneficiaries)),
            ("Количество голосов", Some(Votes)),
            ("Количество подписей в поддержку", Some(Supporters)),
            ("Подрядчик", Some(Contractor)),
            ("Сумма контракта, руб.", Some(ContractSum)),
            ("Дата заключения контракта", Some(ContractDate)),
            ("Дата завершения", Some(EndDate)),
            ("Краевой бюджет (план)", Some(Regional)),
            ("Фактически израсходовано / Краевой бюджет", Some(ActualRegional)),
            ("Кассовое исполнение: местный бюджет", Some(ActualMunicipal)),
            ("Факт / Население", Some(ActualResidents)),
            ("Фактически: средства юридических лиц", Some(ActualBusiness)),
            ("Фактическая стоимость", None),
        ] {
            assert_eq!(guess(k, heading), field, "«{heading}»");
        }
    }

    #[test]
    fn contact_list_headings_are_recognised() {
        use Field::*;
        let k = Kind::Contacts;
        for (heading, field) in [
            ("ФИО", FullName),
            ("Ф.И.О.", FullName),
            ("Фамилия, имя, отчество", FullName),
            ("Фамилия", LastName),
            ("Телефон", Phone),
            ("Тел. моб.", Phone),
            ("E-mail", Email),
            ("Адрес электронной почты", Email),
            ("Адрес", Address),
            ("Населенный пункт", Territory),
            ("Наименование организации", OrgName),
            ("Должность", Position),
        ] {
            assert_eq!(guess(k, heading), Some(field), "«{heading}»");
        }
        for (heading, field) in [
            ("Согласие на обработку ПД", Some(ConsentOn)),
            ("Дата согласия", Some(ConsentOn)),
            ("Согласие действует до", Some(ConsentUntil)),
            ("Срок действия согласия", Some(ConsentUntil)),
            ("Дата окончания согласия", Some(ConsentUntil)),
            ("Дата отзыва согласия", None),
        ] {
            assert_eq!(guess(k, heading), field, "«{heading}»: an end or a withdrawal is not the day given");
        }
        assert_eq!(guess(k, "Финансирование из областного бюджета"), None, "single letters are not initials of ФИО");
        assert_eq!(guess(k, "№ п/п"), None);
    }
}
