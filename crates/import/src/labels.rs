//! Words in cells to the core's closed lists: «Водопровод» → water supply, «Победитель» →
//! selected, «Сход граждан» → citizens' gathering, «староста» → village elder.

use mestno_core::Lang;
use mestno_core::model::{EventKind, InitiatorKind, ObjectType, Role, Stage};
use mestno_core::text::fold;

/// The first value whose keywords (any of them) the folded text contains.
fn by_keywords<T: Copy>(text: &str, table: &[(&[&str], T)]) -> Option<T> {
    let f = fold(text);
    table.iter().find(|(words, _)| words.iter().any(|w| f.contains(w))).map(|(_, v)| *v)
}

/// A value whose Russian or English name, or code, is exactly the text.
fn by_label<T: Copy>(
    text: &str,
    all: &[T],
    label: impl Fn(T, Lang) -> &'static str,
    code: impl Fn(T) -> &'static str,
) -> Option<T> {
    let f = fold(text);
    all.iter().copied().find(|&v| fold(label(v, Lang::Ru)) == f || fold(label(v, Lang::En)) == f || code(v) == f)
}

/// The type of object a cell or a title names.
pub(crate) fn object_type(text: &str) -> Option<ObjectType> {
    use ObjectType::*;
    by_label(text, ObjectType::ALL, ObjectType::label, ObjectType::as_str).or_else(|| {
        by_keywords(
            text,
            &[
                (&["водоснаб", "водопровод", "колод", "скважин", "водоотвед", "водонапор"], WaterSupply),
                (&["освещ", "фонар"], StreetLighting),
                (&["детск", "игров"], Playground),
                (&["спорт", "стадион", "хоккей", "корт", "футбол", "тренажер"], Sport),
                (&["пожар"], FireSafety),
                (&["кладбищ", "захорон"], BurialPlaces),
                (&["памятник", "мемориал", "обелиск", "воинск"], Memorials),
                (&["дорог", "тротуар", "мост", "проезд", "асфальт"], Roads),
                (&["клуб", "культур", "библиотек", "музей"], Culture),
                (&["благоустр", "сквер", "парк", "двор", "площад", "озелен"], Landscaping),
                (&["проч", "иное", "другое"], Other),
            ],
        )
    })
}

/// The stage a status cell names; `None` when it names none.
pub(crate) fn stage(text: &str) -> Option<Stage> {
    use Stage::*;
    by_label(text, Stage::ALL, Stage::label, Stage::as_str).or_else(|| {
        by_keywords(
            text,
            &[
                (&["не отобран", "не прош", "отклон", "отказ"], Rejected),
                (&["отозван", "снят"], Withdrawn),
                (&["реализован", "завершен", "выполнен", "сдан"], Completed),
                (&["реализац", "строительств", "ведутся", "в работе"], Implementation),
                (&["отобран", "победител", "прош", "одобрен"], Selected),
                (&["заявк", "подан"], Application),
                (&["обсужд"], Discussion),
                (&["иде"], Idea),
            ],
        )
    })
}

/// The kind of event a cell or a title names.
pub(crate) fn event_kind(text: &str) -> Option<EventKind> {
    use EventKind::*;
    by_label(text, EventKind::ALL, EventKind::label, EventKind::as_str).or_else(|| {
        by_keywords(
            text,
            &[
                (&["сход"], CitizensGathering),
                (&["слушан", "обсужден"], PublicHearing),
                (&["опрос", "анкет"], Survey),
                (&["голосов"], Vote),
                (&["субботник", "уборк"], Subbotnik),
                (&["вебинар"], Webinar),
                (&["семинар", "обучен", "тренинг"], Seminar),
                (&["стратегич"], StrategySession),
                (&["форум"], Forum),
                (&["встреч"], ResidentsMeeting),
                (&["собран", "заседан"], Meeting),
            ],
        )
    })
}

/// A role a cell names.
pub(crate) fn role(text: &str) -> Option<Role> {
    use Role::*;
    by_label(text, Role::ALL, Role::label, Role::as_str).or_else(|| {
        let f = format!(" {} ", fold(text));
        let table: &[(&[&str], Role)] = &[
            (&["староста"], VillageElder),
            (&[" тос", "территориальн"], TosLeader),
            (&["депутат"], Deputy),
            (&[" ип ", "предпринимател"], Entrepreneur),
            (&["бизнес", " ооо "], Business),
            (&[" нко ", "общественн"], Ngo),
            (&["директор", "заведующ", "учрежден"], InstitutionHead),
            (&["глава", "специалист", "администрац", "чиновник"], Official),
            (&["эксперт"], Expert),
            (&[" сми ", "журналист", "редакц"], Media),
            (&["житель", "жительниц"], Resident),
        ];
        table.iter().find(|(words, _)| words.iter().any(|w| f.contains(w))).map(|(_, v)| *v)
    })
}

/// Who put an initiative forward, from how the application names them.
pub(crate) fn initiator_kind(text: &str) -> InitiatorKind {
    use InitiatorKind::*;
    let f = format!(" {} ", fold(text));
    let table: &[(&[&str], InitiatorKind)] = &[
        (&[" тос", "территориальн"], Tos),
        (&["староста"], VillageElder),
        (&["инициативн"], InitiativeGroup),
        (&[" нко ", "общественн", "ано "], Ngo),
        (&[" ип ", "предпринимател", " ооо ", "бизнес"], Business),
        (&["администрац"], Administration),
        (&["житель", "жительниц", "гражданин"], Resident),
    ];
    table.iter().find(|(words, _)| words.iter().any(|w| f.contains(w))).map(|(_, v)| *v).unwrap_or(InitiativeGroup)
}

/// Whether a name written in a name column is an organisation's: «ООО «Ромашка»», «ИП Иванов»,
/// «МБУК ДК с. Берёзовка», «Администрация Абанского района».
pub(crate) fn looks_like_organisation(name: &str) -> bool {
    let f = fold(name);
    let first = f.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
    const FORMS: [&str; 22] = [
        "ооо",
        "оао",
        "зао",
        "ао",
        "пао",
        "ип",
        "кфх",
        "ано",
        "нко",
        "мбу",
        "мку",
        "мау",
        "мбоу",
        "мкоу",
        "мбук",
        "мбудо",
        "гбу",
        "гку",
        "фгуп",
        "муп",
        "тсж",
        "снт",
    ];
    FORMS.contains(&first) || f.starts_with("администрац") || f.contains('«') || f.contains('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_types_from_what_offices_write() {
        assert_eq!(object_type("Водоснабжение"), Some(ObjectType::WaterSupply));
        assert_eq!(object_type("Ремонт водопровода в с. Берёзовка"), Some(ObjectType::WaterSupply));
        assert_eq!(object_type("Устройство уличного освещения"), Some(ObjectType::StreetLighting));
        assert_eq!(object_type("Детская игровая площадка"), Some(ObjectType::Playground));
        assert_eq!(object_type("Ремонт дома культуры"), Some(ObjectType::Culture));
        assert_eq!(object_type("Что-то новое"), None);
    }

    #[test]
    fn statuses_become_stages_with_negations_first() {
        assert_eq!(stage("Не отобран"), Some(Stage::Rejected));
        assert_eq!(stage("Победитель"), Some(Stage::Selected));
        assert_eq!(stage("реализован"), Some(Stage::Completed));
        assert_eq!(stage("В стадии реализации"), Some(Stage::Implementation));
        assert_eq!(stage("заявка подана"), Some(Stage::Application));
        assert_eq!(stage("selected"), Some(Stage::Selected), "codes are understood too");
    }

    #[test]
    fn events_roles_and_organisations() {
        assert_eq!(event_kind("Сход граждан"), Some(EventKind::CitizensGathering));
        assert_eq!(event_kind("Публичные слушания по проекту"), Some(EventKind::PublicHearing));
        assert_eq!(role("сельский староста"), Some(Role::VillageElder));
        assert_eq!(role("Председатель ТОС «Заречье»"), Some(Role::TosLeader));
        assert_eq!(initiator_kind("ТОС «Заречье»"), InitiatorKind::Tos);
        assert!(looks_like_organisation("ООО «Ромашка»"));
        assert!(looks_like_organisation("ИП Иванов И.И."));
        assert!(!looks_like_organisation("Иванова Анна Петровна"));
    }
}
