//! Printing for people (tables in Russian or English) and for programs (`--json`).

use mestno_core::model::{Id, Program};
use mestno_core::money::{FundingSource, Kopecks, format_bp, group_thousands};
use mestno_core::store::{
    Attachment, CheckReport, ContactRow, EventRow, InitiativeRow, Page, SearchHit, Stats, TerritoryNode,
};
use mestno_core::{Error, Lang};
use serde::Serialize;

/// The message for a failed command: the core's own words in `lang`, else the chain of causes.
pub fn error_message(e: &anyhow::Error, lang: Lang) -> String {
    let head = if lang == Lang::Ru { "ошибка" } else { "error" };
    match e.downcast_ref::<Error>() {
        Some(core) => format!("{head}: {}", core.message(lang)),
        None => format!("{head}: {e:#}"),
    }
}

/// Pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn rub(k: i64) -> String {
    Kopecks(k).to_string()
}

fn num(n: i64) -> String {
    group_thousands(n.unsigned_abs())
}

/// The dashboard as a person reads it.
pub fn stats(s: &Stats, lang: Lang) {
    let say = |ru: &'static str, en: &'static str| if lang == Lang::Ru { ru } else { en };
    outln!("{}: {}", say("Проектов", "Initiatives"), num(s.initiatives));
    for (stage, n) in &s.initiatives_by_stage {
        if *n > 0 {
            outln!("  {:<16} {:>10}", stage.label(lang), num(*n));
        }
    }
    outln!("{}: {}", say("Средства (план), всего", "Funds (planned), total"), rub(s.funds_total_kopecks));
    for (source, amount) in s.funds_kopecks.iter() {
        let label = match source {
            FundingSource::Federal => say("федеральный бюджет", "federal budget"),
            FundingSource::Regional => say("краевой бюджет", "regional budget"),
            FundingSource::Municipal => say("местный бюджет", "municipal budget"),
            FundingSource::Residents => say("население", "residents"),
            FundingSource::Business => say("бизнес", "businesses"),
            FundingSource::InKind => say("неденежный вклад", "in kind"),
        };
        outln!("  {label:<20} {:>24}", rub(amount.0));
    }
    outln!(
        "  {}: {} / {}",
        say("бюджетные / внебюджетные", "budget / extra-budgetary"),
        rub(s.budget_kopecks),
        rub(s.extra_budgetary_kopecks)
    );
    outln!("{}: {}", say("Мероприятий", "Events"), num(s.events));
    for (kind, n) in &s.events_by_type {
        if *n > 0 {
            outln!("  {:<24} {:>8}", kind.label(lang), num(*n));
        }
    }
    // The engagement figures, each with what it counts.
    let percent = |share: f64| format_bp((share * 10_000.0).round() as u32);
    for (label, value) in [
        (
            say("Участников (сумма численности мероприятий)", "Participants (the events' headcounts added up)"),
            num(s.participants),
        ),
        (
            say("Уникальных людей (разные, записанные поимённо)", "Unique people (different, named)"),
            num(s.unique_people),
        ),
        (
            say(
                "Охвачено людей (поимённые по разу, анонимные — на каждом мероприятии)",
                "People reached (the named once, the anonymous at each event)",
            ),
            num(s.people_reached),
        ),
        (say("Население", "Population"), num(s.population)),
        (
            say("Доля вовлечённого населения (уникальные ÷ население)", "Share engaged (unique people ÷ population)"),
            percent(s.engagement_share),
        ),
        (
            say("Доля охваченного населения (охвачено ÷ население)", "Share reached (people reached ÷ population)"),
            percent(s.people_reached_share),
        ),
    ] {
        outln!("{label}: {value}");
    }
    outln!("{}: {}", say("Благополучателей", "Beneficiaries"), num(s.beneficiaries));
    outln!("{}: {}", say("Голосов", "Votes"), num(s.votes));
}

/// Search results.
pub fn search(hits: &[SearchHit], lang: Lang) {
    if hits.is_empty() {
        outln!("{}", if lang == Lang::Ru { "Ничего не найдено." } else { "Nothing found." });
    }
    for h in hits {
        outln!("{:<12} {}  {}\n             {}", h.entity.label(lang), h.id, h.title, h.snippet);
    }
}

fn footer<T>(page: &Page<T>, lang: Lang) {
    shown(page.items.len(), page.total, lang);
}

fn shown(n: usize, total: i64, lang: Lang) {
    match lang {
        Lang::Ru => outln!("— показано {n} из {}", num(total)),
        Lang::En => outln!("— {n} shown of {}", num(total)),
    }
}

/// The first `limit` territories, each with its kind and the territory it lies in.
pub fn territories(all: &[TerritoryNode], limit: u32, lang: Lang) {
    let names: std::collections::HashMap<Id, &str> = all.iter().map(|t| (t.id, t.name.as_str())).collect();
    for t in all.iter().take(limit as usize) {
        let within = t.parent_id.and_then(|p| names.get(&p)).map(|p| format!("  ({p})")).unwrap_or_default();
        outln!("{}  {:<22} {}{within}", t.id, t.kind.label(lang), t.name);
    }
    shown(all.len().min(limit as usize), all.len() as i64, lang);
}

/// The first `limit` programs: code and name.
pub fn programs(all: &[Program], limit: u32, lang: Lang) {
    for p in all.iter().take(limit as usize) {
        outln!("{}  {:<10} {}", p.id, p.input.code, p.input.name);
    }
    shown(all.len().min(limit as usize), all.len() as i64, lang);
}

/// Initiatives.
pub fn initiatives(page: &Page<InitiativeRow>, lang: Lang) {
    for r in &page.items {
        outln!(
            "{}  {:<12} {} {:>20}  {}  ({})",
            r.id,
            r.stage.label(lang),
            r.year,
            rub(r.total_cost.0),
            r.title,
            r.territory_name
        );
    }
    footer(page, lang);
}

/// Contacts.
pub fn contacts(page: &Page<ContactRow>, lang: Lang) {
    for r in &page.items {
        outln!(
            "{}  {:<40} {:<13} {}",
            r.id,
            r.display_name,
            r.phone.as_deref().unwrap_or(""),
            r.territory_name.as_deref().unwrap_or("")
        );
    }
    footer(page, lang);
}

/// Events.
pub fn events(page: &Page<EventRow>, lang: Lang) {
    for r in &page.items {
        outln!(
            "{}  {}  {:<22} {:>5} {}  {}  ({})",
            r.id,
            r.starts_at.format("%d.%m.%Y %H:%M"),
            r.kind.label(lang),
            r.headcount,
            if lang == Lang::Ru { "чел." } else { "people" },
            r.title,
            r.territory_name
        );
    }
    footer(page, lang);
}

/// A kind of record, by its table's or its own name (`contacts`, `contact`), in the plural:
/// «контакты», «contacts».
pub fn kinds(name: &str, lang: Lang) -> &str {
    let ru = match name {
        "territory" | "territories" => "территории",
        "program" | "programs" => "программы",
        "initiative" | "initiatives" => "проекты",
        "contact" | "contacts" => "контакты",
        "event" | "events" => "мероприятия",
        "appeal" | "appeals" => "обращения",
        "consent" | "consents" => "согласия",
        "attachment" | "attachments" => "файлы",
        other => return other,
    };
    match lang {
        Lang::Ru => ru,
        Lang::En => match name {
            "territory" => "territories",
            "program" => "programs",
            "initiative" => "initiatives",
            "contact" => "contacts",
            "event" => "events",
            "appeal" => "appeals",
            "consent" => "consents",
            "attachment" => "attachments",
            plural => plural,
        },
    }
}

/// Attached files, one a line: name, size, and whether the content is here yet.
pub fn attachments(files: &[Attachment], lang: Lang) {
    let ru = lang == Lang::Ru;
    if files.is_empty() {
        outln!("{}", if ru { "Файлов нет" } else { "No files" });
    }
    for f in files {
        let missing = match (f.held, ru) {
            (true, _) => "",
            (false, true) => " — содержимое ещё не получено (придёт с пакетом обмена с файлами)",
            (false, false) => " — content not received yet (it comes with an exchange package with files)",
        };
        outln!("{}  {} {}  {}{missing}", f.id, f.size_bytes, if ru { "байт" } else { "bytes" }, f.file_name);
    }
}

/// The integrity check.
pub fn check(report: &CheckReport, lang: Lang) {
    for (table, n) in &report.counts {
        outln!("{}: {}", kinds(table, lang), num(*n));
    }
    if report.ok {
        outln!(
            "{}",
            if lang == Lang::Ru {
                "Проверка пройдена: ошибок нет."
            } else {
                "Check passed: no problems."
            }
        );
    }
    for p in &report.problems {
        outln!("• {}", p.get(lang));
    }
}
