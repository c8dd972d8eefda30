//! Residents' appeals and proposals; some became initiatives, and the link is kept.

use chrono::NaiveDate;

use super::ids::{Gen, Lottery, add_days};
use super::people::People;
use super::projects::Projects;
use super::sink::Sink;
use super::territory::Geography;
use super::vocab::APPEAL_TEXTS;
use crate::error::Result;
use crate::model::{AppealChannel, AppealStatus, Id, ObjectType};

struct AppealRow {
    id: Id,
    received: NaiveDate,
    channel: AppealChannel,
    author: Option<Id>,
    territory: Id,
    text: &'static str,
    status: AppealStatus,
    initiative: Option<Id>,
    at: i64,
}

/// Channels in [`AppealChannel::ALL`] order, weighted.
const CHANNEL_WEIGHTS: [u32; 8] = [15, 10, 15, 20, 15, 5, 10, 10];

/// Makes `count` appeals from residents, oldest first.
pub(crate) fn generate(
    g: &mut Gen,
    sink: &mut Sink,
    geo: &Geography,
    people: &People,
    projects: &Projects,
    count: usize,
) -> Result<()> {
    let opened = super::office_opened(g.today);
    let lottery = Lottery::new(geo.localities.iter().map(|l| (l.population as f64).sqrt() as u64 + 1));
    let mut days: Vec<(NaiveDate, usize)> =
        (0..count).map(|_| (g.day_between(opened, g.today), lottery.draw(&mut g.rng))).collect();
    days.sort_unstable();
    let mut rows = Vec::with_capacity(count);
    for (received, l) in days {
        let (id, at) = g.id_on(received);
        let text = g.pick(APPEAL_TEXTS);
        let author = (g.chance(70) && !people.persons[l].is_empty())
            .then(|| people.contacts[g.pick(&people.persons[l]) as usize].id);
        let age = (g.today - received).num_days();
        let mut initiative = None;
        let status = if age <= 30 {
            [AppealStatus::New, AppealStatus::InReview][g.weighted(&[60, 40])]
        } else {
            let status =
                [AppealStatus::Converted, AppealStatus::Accepted, AppealStatus::Declined, AppealStatus::InReview]
                    [g.weighted(&[30, 35, 25, if age <= 365 { 10 } else { 0 }])];
            if status == AppealStatus::Converted {
                initiative = became(g, projects, l, received, topic(text));
            }
            if status == AppealStatus::Converted && initiative.is_none() { AppealStatus::Accepted } else { status }
        };
        rows.push(AppealRow {
            id,
            received,
            channel: AppealChannel::ALL[g.weighted(&CHANNEL_WEIGHTS)],
            author,
            territory: geo.localities[l].id,
            text,
            status,
            initiative,
            at,
        });
    }
    let device = sink.device_column();
    sink.insert_fixed(
        "INSERT INTO appeals(id, received_on, channel, author_contact_id, territory_id, text, status, initiative_id,
             created_at, updated_at, updated_by) ",
        10,
        &device,
        rows,
        |b, a| {
            b.bind(a.id)
                .bind(a.received)
                .bind(a.channel.as_str())
                .bind(a.author)
                .bind(a.territory)
                .bind(a.text)
                .bind(a.status.as_str())
                .bind(a.initiative)
                .bind(a.at)
                .bind(a.at);
        },
    )?;
    sink.report("обращения", count, count)?;
    Ok(())
}

/// The initiative an appeal became: one of the village's, raised as an idea within a year after
/// the appeal, of the type the appeal asks for when there is one.
fn became(
    g: &mut Gen,
    projects: &Projects,
    locality: usize,
    received: NaiveDate,
    topic: Option<ObjectType>,
) -> Option<Id> {
    let year_later = add_days(received, 365);
    let candidates: Vec<u32> = projects.by_locality[locality]
        .iter()
        .copied()
        .filter(|&i| {
            let init = &projects.list[i as usize];
            init.idea_on >= received && init.idea_on <= year_later
        })
        .collect();
    let same_topic: Vec<u32> =
        candidates.iter().copied().filter(|&i| Some(projects.list[i as usize].object) == topic).collect();
    let pool = if same_topic.is_empty() { &candidates } else { &same_topic };
    (!pool.is_empty()).then(|| projects.list[g.pick(pool) as usize].id)
}

/// What an appeal asks for, judged by its words.
fn topic(text: &str) -> Option<ObjectType> {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    use ObjectType::*;
    let topics: [(ObjectType, &[&str]); 10] = [
        (FireSafety, &["пожар", "горит", "опахать"]),
        (Playground, &["детск", "горк", "песочниц", "качел"]),
        (Sport, &["спорт", "лыж", "волейбол", "футбол", "хоккей", "тренажёр", "стадион"]),
        (Memorials, &["обелиск", "памят", "мемориал"]),
        (StreetLighting, &["фонар", "освещ", "темно", "светильник"]),
        (WaterSupply, &["вод", "колонк", "колод", "родник", "скважин", "башн"]),
        (
            Landscaping,
            &["сквер", "парк", "благоустр", "контейнер", "скамейк", "лавочк", "высадить", "облагород", "выгула"],
        ),
        (Roads, &["дорог", "тротуар", "мост", "отсып", "обочин", "остановк", "знак", "чистят"]),
        (Culture, &["клуб", "культуры", "библиотек", "музей", "праздник"]),
        (BurialPlaces, &["кладбищ"]),
    ];
    topics.iter().find(|(_, words)| has(words)).map(|(object, _)| *object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appeals_are_read_for_their_topic() {
        assert_eq!(topic("Просим отремонтировать дорогу по ул. Лесной, весной не проехать"), Some(ObjectType::Roads));
        assert_eq!(topic("Предлагаем установить фонари у школы"), Some(ObjectType::StreetLighting));
        assert_eq!(topic("Вода из колонки идёт ржавая, просим заменить трубы"), Some(ObjectType::WaterSupply));
        let known = APPEAL_TEXTS.iter().filter(|t| topic(t).is_some()).count();
        assert!(
            known * 10 >= APPEAL_TEXTS.len() * 7,
            "most appeals have a recognisable topic: {known} of {}",
            APPEAL_TEXTS.len()
        );
    }
}
