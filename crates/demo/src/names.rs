//! People's names, phones, e-mails and addresses, the way a Siberian district writes them.

use std::collections::HashSet;

use super::ids::Gen;
use super::vocab::{FEMALE_NAMES, MALE_NAMES, ORGANISATIONS, STREETS, SURNAMES};

/// A person's full name.
pub(crate) struct FullName {
    pub last: &'static str,
    pub first: &'static str,
    pub middle: &'static str,
    pub female: bool,
}

impl FullName {
    /// «Фамилия Имя Отчество».
    pub(crate) fn display(&self) -> String {
        format!("{} {} {}", self.last, self.first, self.middle)
    }

    /// «Фамилия И. О.», as applications and protocols write it.
    pub(crate) fn short(&self) -> String {
        format!("{} {}. {}.", self.last, initial(self.first), initial(self.middle))
    }
}

fn initial(s: &str) -> char {
    s.chars().next().unwrap_or('?')
}

/// A random person; women are a little more numerous among the active.
pub(crate) fn person(g: &mut Gen) -> FullName {
    let female = g.chance(56);
    let (male_last, female_last) = g.pick(&SURNAMES);
    let father = g.pick(&MALE_NAMES);
    if female {
        FullName { last: female_last, first: g.pick(&FEMALE_NAMES), middle: father.2, female }
    } else {
        FullName { last: male_last, first: g.pick(&MALE_NAMES).0, middle: father.1, female }
    }
}

/// Russian letters in Latin, the way people spell their names in e-mail addresses.
pub(crate) fn translit(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' | 'ы' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => continue,
        };
        out.push_str(latin);
    }
    out
}

const MAIL_DOMAINS: &[(&str, u32)] = &[
    ("mail.ru", 40),
    ("yandex.ru", 28),
    ("bk.ru", 7),
    ("inbox.ru", 6),
    ("list.ru", 6),
    ("gmail.com", 8),
    ("rambler.ru", 5),
];

fn domain(g: &mut Gen) -> &'static str {
    g.weighted_pick(MAIL_DOMAINS)
}

/// A person's e-mail: `ivanova.a1978@mail.ru`, `petrov85@yandex.ru`…
pub(crate) fn person_email(g: &mut Gen, name: &FullName) -> String {
    let last = translit(name.last);
    let first = translit(name.first);
    let local = match g.rng.u8(0..4) {
        0 => format!("{last}{}", g.rng.u16(1..100)),
        1 => format!("{last}.{}{}", &first[..1.min(first.len())], g.rng.u16(1955..2006)),
        2 => format!("{first}.{last}"),
        _ => format!("{first}{last}{}", g.rng.u16(1..1000)),
    };
    format!("{local}@{}", domain(g))
}

/// An organisation's e-mail, from the quoted part of its name: «Колос» → `kolos@mail.ru`.
pub(crate) fn organisation_email(g: &mut Gen, org: &str) -> String {
    let quoted = org.split_once('«').map_or(org, |(_, rest)| rest);
    let mut local: String = translit(quoted).chars().filter(char::is_ascii_alphanumeric).take(20).collect();
    if local.is_empty() {
        local.push_str("info");
    }
    if g.chance(50) {
        local = format!("{local}{}", g.rng.u8(1..100));
    }
    format!("{local}@{}", domain(g))
}

/// Mobile operators' codes in the krai (after +7 9).
const MOBILE_CODES: &[u32] = &[13, 23, 2, 8, 50, 51, 67, 83, 91, 93, 4, 29, 33, 59, 60, 65];

/// Phone numbers, unique across the demo office.
#[derive(Default)]
pub(crate) struct Phones {
    used: HashSet<u64>,
}

impl Phones {
    /// A mobile number, `+79XXXXXXXXX`.
    pub(crate) fn mobile(&mut self, g: &mut Gen) -> String {
        loop {
            let n = 9_000_000_000 + u64::from(g.pick(MOBILE_CODES)) * 10_000_000 + g.rng.u64(0..10_000_000);
            if self.used.insert(n) {
                return format!("+7{n}");
            }
        }
    }

    /// A landline of the district's exchange, `+7391XXXXXXX`.
    pub(crate) fn landline(&mut self, g: &mut Gen, district_code: usize) -> String {
        loop {
            let area = 30 + district_code as u64;
            let n = 3_910_000_000 + area * 100_000 + g.rng.u64(10_000..100_000);
            if self.used.insert(n) {
                return format!("+7{n}");
            }
        }
    }
}

/// An address in `locality`: «с. Берёзовка, ул. Лесная, д. 12».
pub(crate) fn address(g: &mut Gen, locality: &str, flats: bool) -> String {
    let street = g.pick(&STREETS);
    let house = g.rng.u16(1..=80);
    if flats && g.chance(40) {
        format!("{locality}, {street}, д. {house}, кв. {}", g.rng.u16(1..=60))
    } else {
        format!("{locality}, {street}, д. {house}")
    }
}

/// What an organisation is, for its roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrgKind {
    Business,
    Entrepreneur,
    Ngo,
    Media,
    Institution,
}

/// Classifies an organisation by the legal form its name starts with.
pub(crate) fn org_kind(name: &str) -> OrgKind {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    if name.contains("Редакция") || name.contains("газеты") {
        OrgKind::Media
    } else if starts(&["ИП "]) {
        OrgKind::Entrepreneur
    } else if starts(&["ООО", "АО", "ПАО", "КФХ", "СПК", "СПоК", "Потребительское", "МУП"])
    {
        OrgKind::Business
    } else if starts(&["МБОУ", "МКОУ", "МБДОУ", "МБУК", "МБУ", "КГБУЗ", "КГБУ", "МКУ"])
    {
        OrgKind::Institution
    } else {
        OrgKind::Ngo
    }
}

/// An organisation's name not yet used in its district: a listed one while any are left, then
/// sole traders and farms named after their owners.
pub(crate) fn organisation(g: &mut Gen, used: &mut HashSet<String>) -> String {
    for _ in 0..3 {
        let listed = g.pick(&ORGANISATIONS);
        if used.insert(listed.to_string()) {
            return listed.to_string();
        }
    }
    loop {
        let owner = person(g);
        let name = match g.rng.u8(0..10) {
            0..=5 => format!("ИП {}", owner.short()),
            6..=8 => format!("ИП глава КФХ {}", owner.short()),
            _ => format!("ТОС «{}»", g.pick(&STREETS).replace("ул. ", "Улица ").replace("пер. ", "Переулок ")),
        };
        if used.insert(name.clone()) {
            return name;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ymd;
    use mestno_core::text::{normalize_email, normalize_phone};

    #[test]
    fn names_agree_in_gender() {
        let mut g = Gen::new(1, ymd(2025, 1, 1));
        for _ in 0..500 {
            let n = person(&mut g);
            let female_middle = n.middle.ends_with("на");
            assert_eq!(female_middle, n.female, "{}", n.display());
            assert_eq!(FEMALE_NAMES.contains(&n.first), n.female, "{}", n.display());
        }
    }

    #[test]
    fn emails_and_phones_are_what_the_store_accepts() {
        let mut g = Gen::new(2, ymd(2025, 1, 1));
        let mut phones = Phones::default();
        for _ in 0..500 {
            let n = person(&mut g);
            let email = person_email(&mut g, &n);
            assert_eq!(normalize_email(&email).as_deref(), Some(email.as_str()), "{email}");
            assert!(email.is_ascii(), "{email}");
            let org = organisation_email(&mut g, "ООО «Лесопромышленная компания „Кедр“»");
            assert_eq!(normalize_email(&org).as_deref(), Some(org.as_str()), "{org}");
            for phone in [phones.mobile(&mut g), phones.landline(&mut g, 43)] {
                assert_eq!(normalize_phone(&phone).as_deref(), Some(phone.as_str()), "{phone}");
            }
        }
        assert_eq!(translit("Семёнова"), "semenova");
        assert_eq!(translit("Щукин"), "shchukin");
    }

    #[test]
    fn organisations_are_classified_by_their_legal_form() {
        assert_eq!(org_kind("ООО «Колос»"), OrgKind::Business);
        assert_eq!(org_kind("ИП Смирнов А. В."), OrgKind::Entrepreneur);
        assert_eq!(org_kind("МБУК «Берёзовский ДК»"), OrgKind::Institution);
        assert_eq!(org_kind("АНО «Редакция газеты „Сельская новь“»"), OrgKind::Media);
        assert_eq!(org_kind("ТОС «Берёзка»"), OrgKind::Ngo);
    }
}
