//! Residents' appeals and proposals; some became initiatives, and the link is kept.

use chrono::NaiveDate;

use mestno_core::Result;
use mestno_core::model::{AppealChannel, AppealStatus, Id, ObjectType};
use mestno_core::store::rows;

use super::ids::{Gen, Lottery, add_days};
use super::people::People;
use super::projects::Projects;
use super::territory::Geography;
use super::vocab::APPEAL_TEXTS;
use super::{Sink, report};

/// How often appeals come by each channel.
fn channel_weight(channel: AppealChannel) -> u32 {
    match channel {
        AppealChannel::Letter => 15,
        AppealChannel::Email => 10,
        AppealChannel::Phone => 15,
        AppealChannel::Reception => 20,
        AppealChannel::Meeting => 15,
        AppealChannel::Survey => 5,
        AppealChannel::Website => 10,
        AppealChannel::Social => 10,
    }
}

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
    let device = sink.device().to_owned();
    let mut rows = Vec::with_capacity(count);
    for (received, l) in days {
        let (id, at) = g.id_on(received);
        let text = g.pick(&APPEAL_TEXTS);
        let author = (g.chance(70) && !people.persons[l].is_empty())
            .then(|| people.contacts[g.pick(&people.persons[l]) as usize].id);
        let age = (g.today - received).num_days();
        let mut initiative = None;
        let status = if age <= 30 {
            g.weighted_pick(&[(AppealStatus::New, 60), (AppealStatus::InReview, 40)])
        } else {
            let status = g.weighted_pick(&[
                (AppealStatus::Converted, 30),
                (AppealStatus::Accepted, 35),
                (AppealStatus::Declined, 25),
                (AppealStatus::InReview, if age <= 365 { 10 } else { 0 }),
            ]);
            if status == AppealStatus::Converted {
                initiative = became(g, projects, l, received, topic(text));
            }
            if status == AppealStatus::Converted && initiative.is_none() { AppealStatus::Accepted } else { status }
        };
        rows.push(rows::Appeal {
            id,
            received_on: received,
            channel: g.weighted_by(AppealChannel::ALL, channel_weight),
            author_contact_id: author,
            territory_id: Some(geo.localities[l].id),
            text: text.into(),
            status,
            initiative_id: initiative,
            created_at: at,
            updated_at: at,
            updated_by: device.clone().into(),
        });
    }
    sink.insert(rows)?;
    report(sink, "обращения", count, count)?;
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
