//! Printing for people (Russian tables) and for programs (`--json`).

use mestno_core::money::{Kopecks, format_bp, group_thousands};
use mestno_core::store::{CheckReport, ContactRow, EventRow, InitiativeRow, Page, SearchHit, Stats};
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
    println!("{}", serde_json::to_string_pretty(value)?);
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
    println!("Проектов: {}", num(s.initiatives));
    for (stage, n) in &s.initiatives_by_stage {
        if *n > 0 {
            println!("  {:<16} {:>10}", stage.label(lang), num(*n));
        }
    }
    println!("Средства (план), всего: {}", rub(s.funds_total_kopecks));
    let f = &s.funds_kopecks;
    for (label, v) in [
        ("федеральный бюджет", f.federal),
        ("краевой бюджет", f.regional),
        ("местный бюджет", f.municipal),
        ("население", f.residents),
        ("бизнес", f.business),
        ("неденежный вклад", f.in_kind),
    ] {
        println!("  {label:<20} {:>24}", rub(v));
    }
    println!("  бюджетные / внебюджетные: {} / {}", rub(s.budget_kopecks), rub(s.extra_budgetary_kopecks));
    println!("Мероприятий: {}", num(s.events));
    for (kind, n) in &s.events_by_type {
        if *n > 0 {
            println!("  {:<24} {:>8}", kind.label(lang), num(*n));
        }
    }
    println!("Участников (всего): {}", num(s.participants));
    println!("Уникальных людей: {}", num(s.unique_people));
    println!("Население: {}", num(s.population));
    let share_bp = (s.engagement_share * 10_000.0).round() as u32;
    println!("Доля вовлечённого населения: {}", format_bp(share_bp));
    println!("Благополучателей: {}", num(s.beneficiaries));
    println!("Голосов: {}", num(s.votes));
}

/// Search results.
pub fn search(hits: &[SearchHit], lang: Lang) {
    if hits.is_empty() {
        println!("{}", if lang == Lang::Ru { "Ничего не найдено." } else { "Nothing found." });
    }
    for h in hits {
        println!("{:<12} {}  {}\n             {}", h.entity.label(lang), h.id, h.title, h.snippet);
    }
}

fn footer<T>(page: &Page<T>) {
    println!("— показано {} из {}", page.items.len(), num(page.total));
}

/// Initiatives.
pub fn initiatives(page: &Page<InitiativeRow>, lang: Lang) {
    for r in &page.items {
        println!(
            "{}  {:<12} {} {:>20}  {}  ({})",
            r.id,
            r.stage.label(lang),
            r.year,
            rub(r.total_cost.0),
            r.title,
            r.territory_name
        );
    }
    footer(page);
}

/// Contacts.
pub fn contacts(page: &Page<ContactRow>, _lang: Lang) {
    for r in &page.items {
        println!(
            "{}  {:<40} {:<13} {}",
            r.id,
            r.display_name,
            r.phone.as_deref().unwrap_or(""),
            r.territory_name.as_deref().unwrap_or("")
        );
    }
    footer(page);
}

/// Events.
pub fn events(page: &Page<EventRow>, lang: Lang) {
    for r in &page.items {
        println!(
            "{}  {}  {:<22} {:>5} чел.  {}  ({})",
            r.id,
            r.starts_at.format("%d.%m.%Y %H:%M"),
            r.kind.label(lang),
            r.headcount,
            r.title,
            r.territory_name
        );
    }
    footer(page);
}

/// The integrity check.
pub fn check(report: &CheckReport, lang: Lang) {
    for (table, n) in &report.counts {
        println!("{table}: {}", num(*n));
    }
    if report.ok {
        println!(
            "{}",
            if lang == Lang::Ru {
                "Проверка пройдена: ошибок нет."
            } else {
                "Check passed: no problems."
            }
        );
    }
    for p in &report.problems {
        println!("• {}", p.get(lang));
    }
}
