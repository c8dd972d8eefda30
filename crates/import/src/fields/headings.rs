//! Recognising a column's field by its heading: each field's aliases (word stems, with vetoes),
//! and the score of a heading against them.

use super::{Field, Kind};

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
