use std::path::Path;

use mestno_core::ErrorCode;
use mestno_core::model::*;
use mestno_core::store::{Op, StatsFilter};
use sqlx::{Connection, SqliteConnection};

use crate::util::*;

/// What must not survive her erasure anywhere: her name in its forms and spellings, her phone in
/// two notations, her e-mail.
const TRACES: [&str; 11] = [
    "Семёнова",
    "Семенова",
    "семенова",
    "СЕМЁНОВА",
    "Семёновой",
    "Семеновой",
    "Анна Петровна",
    "9135551234",
    "555-12-34",
    "anna@mail.ru",
    "Anna@Mail",
];

fn request() -> ErasureRequest {
    ErasureRequest {
        request_number: "ПД-12/2025".into(),
        requested_on: date("2025-10-28"),
        reason: "заявление субъекта об уничтожении его персональных данных".into(),
        basis: ErasureBasis::SubjectRequest,
    }
}

/// Every table of the file at `path`, every column (text, JSON or blob), read through a fresh
/// connection: where each of [`TRACES`] still is.
async fn traces_in_tables(path: &Path) -> Vec<String> {
    traces_of_in_tables(path, &TRACES).await
}

/// [`traces_in_tables`] for the given traces.
pub async fn traces_of_in_tables(path: &Path, traces: &[&str]) -> Vec<String> {
    // SQLite is set up before any thread starts it (see mestno_core::route_sqlite).
    mestno_core::route_sqlite();
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(&mut conn).await.unwrap();
    assert!(tables.len() > 20, "the scan sees the tables, the search index's and the planner's too: {tables:?}");
    let mut found = Vec::new();
    for table in &tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?)").bind(table).fetch_all(&mut conn).await.unwrap();
        for column in &columns {
            for trace in traces {
                let sql = format!(
                    "SELECT count(*) FROM \"{table}\" WHERE instr(CAST(\"{column}\" AS BLOB), CAST(? AS BLOB)) > 0"
                );
                let n: i64 = sqlx::query_scalar(&sql).bind(trace).fetch_one(&mut conn).await.unwrap();
                if n > 0 {
                    found.push(format!("{table}.{column} holds «{trace}» in {n} rows"));
                }
            }
        }
    }
    // The search indexes' own dictionaries: no term of her name is left in any of them.
    for fts in ["contacts_fts", "initiatives_fts", "events_fts"] {
        let vocab = format!("temp.{fts}_terms");
        sqlx::query(&format!("CREATE VIRTUAL TABLE {vocab} USING fts5vocab(main, {fts}, 'row')"))
            .execute(&mut conn)
            .await
            .unwrap();
        let terms: Vec<String> =
            sqlx::query_scalar(&format!("SELECT term FROM {vocab}")).fetch_all(&mut conn).await.unwrap();
        for term in terms {
            if ["семенова", "семеновой", "семенову", "анна", "петровна"].iter().any(|t| term.starts_with(t))
            {
                found.push(format!("{fts} still indexes «{term}»"));
            }
        }
    }
    conn.close().await.unwrap();
    found
}

#[tokio::test]
async fn erasure_leaves_no_trace_in_search_history_or_the_file() {
    let o = office().await;
    let f = semenova(&o).await;
    let stats = o.store.stats(&StatsFilter::default()).await.unwrap();
    let hits = o.store.search("Семёнова", 50).await.unwrap();
    for id in [f.anna, f.water, f.memorial, f.gathering] {
        assert!(hits.iter().any(|h| h.id == id), "before the erasure the search finds her everywhere: {hits:?}");
    }
    assert!(!traces_in_tables(o.store.path()).await.is_empty(), "the scan finds her while she is stored");

    let record = o.store.erase_person(f.anna, request()).await.unwrap();
    assert_eq!(record.log.act_number, "1/2025", "the first act of the year");
    assert_eq!(
        record.unreferenced_files,
        std::slice::from_ref(&f.own_file),
        "the shared scan is still the gathering's"
    );

    // Endings do not matter to the search, and «Семёнова», «Семёновой» are also forms of her
    // husband's «Семёнов»: he is found by them, and nothing else is.
    let husband: &[Id] = &[f.husband];
    for (q, left) in [
        ("Семёнова", husband),
        ("семенова", husband),
        ("Семёновой", husband),
        ("анна петровна", &[]),
        ("+79135551234", &[]),
        ("8 (913) 555-12-34", &[]),
    ] {
        let hits = o.store.search(q, 50).await.unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), left, "«{q}» finds nothing of her: {hits:?}");
    }
    let husband = o.store.search("Семёнов", 50).await.unwrap();
    assert_eq!(husband.iter().map(|h| h.id).collect::<Vec<_>>(), [f.husband], "her husband is still there");

    let gone = o.store.contact(f.anna).await.unwrap_err();
    assert_eq!(gone.code(), ErrorCode::NotFound, "the record is gone");
    let gathering = o.store.event(f.gathering).await.unwrap();
    assert_eq!(gathering.input.headcount, 120, "the event keeps its headcount");
    assert_eq!(gathering.input.attendees.len(), 1, "only Борис is named now");
    assert_eq!(gathering.input.outcome, "Поддержать проект; ответственная — [удалено]");
    assert_eq!(
        gathering.input.minutes,
        "Слушали: староста [удалено] о ремонте водопровода. Тел. для связи [удалено]. Решили: поддержать, \
         [удалено] собрать подписи до 1 апреля.",
        "the minutes keep their sense, not her name, her phone or the surname alone"
    );
    let water = o.store.initiative(f.water).await.unwrap();
    assert_eq!((water.input.initiator.contact_id, water.input.initiator.name.as_str()), (None, "[удалено]"));
    assert_eq!(water.stages[1].note, "по заявлению [удалено]", "the stage note is redacted too");
    let memorial = o.store.initiative(f.memorial).await.unwrap();
    assert_eq!(memorial.input.initiator.name, "[удалено]", "an initiator written as her name, unlinked, goes too");
    let appeal = o.store.appeal(f.appeal).await.unwrap();
    assert_eq!(appeal.input.author_contact_id, None, "the appeal stays without its author");
    assert_eq!(appeal.input.text, "Прошу включить ремонт водопровода по ул. Лесной в ППМИ. [удалено], [удалено]");
    let husband = o.store.contact(f.husband).await.unwrap();
    assert_eq!(husband.display_name, "Семёнов Пётр Ильич", "a relative is not erased with her");

    let after = o.store.stats(&StatsFilter::default()).await.unwrap();
    assert_eq!(after.participants, stats.participants, "participants are headcounts: unchanged");
    assert_eq!(after.unique_people, stats.unique_people - 1, "one named person fewer");
    assert_eq!(
        after.people_reached,
        stats.people_reached + 1,
        "she is now one of the anonymous participants at each of her two events, counted once at each"
    );
    assert_eq!(after.events, stats.events);

    let own = o.store.history(f.anna).await.unwrap();
    assert_eq!(own.len(), 1, "her own history is gone but for the erasure: {own:?}");
    // The deletion names the act and its request (no personal data), for other offices to erase
    // her again when it reaches them.
    let act = r#"{"erasure":{"new":{"act":"1/2025","basis":"subject_request","reason":"заявление субъекта об уничтожении его персональных данных","request_number":"ПД-12/2025","requested_on":"2025-10-28"}}}"#;
    assert_eq!((own[0].op, own[0].changes.to_string()), (Op::Delete, act.into()));
    let last = o.store.history(f.gathering).await.unwrap().pop().unwrap();
    assert_eq!(
        last.changes.to_string(),
        r#"{"erasure":{"new":{"act":"1/2025","fields":["minutes","outcome"]}}}"#,
        "the gathering's change is recorded by field, never by value"
    );
    assert_eq!(o.store.check().await.unwrap().problems, [], "the file, its references and search index are sound");

    let traces = traces_in_tables(o.store.path()).await;
    assert!(traces.is_empty(), "no table holds her any more:\n{}", traces.join("\n"));

    let log = o.store.erasure_log().await.unwrap();
    assert_eq!(log, std::slice::from_ref(&record.log), "one entry, as returned");
    let entry = serde_json::to_string(&log[0]).unwrap();
    assert!(TRACES.iter().all(|t| !entry.contains(t)), "the log holds no personal data: {entry}");
    let c = &log[0].counts;
    assert_eq!((c.contacts, c.roles, c.phones, c.emails, c.tags, c.consents), (1, 1, 1, 1, 1, 1));
    assert_eq!((c.attendances, c.attachments), (2, 2), "two events attended, two files");
    assert_eq!(
        (c.initiatives_changed, c.events_changed, c.appeals_changed),
        (2, 1, 1),
        "the two projects, the gathering (the subbotnik never named her), her appeal"
    );
    assert!(c.history_deleted >= 2 && c.history_redacted >= 4, "{c:?}");
    for category in ["фамилия, имя, отчество", "номера телефонов", "сведения об участии в мероприятиях"]
    {
        assert!(log[0].categories.iter().any(|k| k == category), "{category} in {:?}", log[0].categories);
    }
    assert_eq!((log[0].request_number.as_str(), log[0].actor.as_str()), ("ПД-12/2025", "Петрова О. В."));

    o.store.compact().await.unwrap();
    let path = o.store.path().to_path_buf();
    o.store.clone().close().await;
    let bytes = std::fs::read(&path).unwrap();
    for trace in TRACES.iter().chain(&["семенова", "семеновой"]) {
        assert!(
            !bytes.windows(trace.len()).any(|w| w == trace.as_bytes()),
            "the file's bytes hold «{trace}» after compaction"
        );
    }
    let wal = path.with_file_name("office.sqlite-wal");
    assert!(std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0, "the write-ahead log keeps nothing either");
}

#[tokio::test]
async fn erasing_an_unknown_person_fails_and_writes_nothing() {
    let o = office().await;
    let f = semenova(&o).await;
    let tables = ["contacts", "history", "tombstones", "erasure_log", "event_attendees"];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&o.store, t).await);
    }
    let err = o.store.erase_person(Id::now_v7(), request()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
    assert!(err.to_string().starts_with("не найден контакт"), "said in Russian: {err}");

    let mut blank = request();
    blank.request_number = " ".into();
    blank.requested_on = date("2025-11-02");
    let err = o.store.erase_person(f.anna, blank).await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["request_number", "requested_on"], "a request without a number or from tomorrow is refused");

    let firm =
        ContactInput {
            kind: ContactKind::Organisation, org_name: "ООО «Берёзка»".into(), ..person("", "", "", None)
        };
    let firm = o.store.create_contact(firm).await.unwrap().id;
    let err = o.store.erase_person(firm, request()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused, "an organisation has no personal data to erase");
    let mut after = Vec::new();
    for t in tables {
        after.push(count(&o.store, t).await);
    }
    after[0] -= 1; // the organisation added above
    after[1] -= 1;
    assert_eq!(after, before, "nothing was written by the refused erasures");
    assert!(o.store.contact(f.anna).await.is_ok());
}

#[tokio::test]
async fn acts_are_numbered_within_the_year_and_the_log_is_append_only() {
    let o = office().await;
    let f = semenova(&o).await;
    let first = o.store.erase_person(f.anna, request()).await.unwrap();
    let mut second = request();
    second.request_number = "ПД-13/2025".into();
    second.basis = ErasureBasis::ConsentWithdrawn;
    let second = o.store.erase_person(f.boris, second).await.unwrap();
    assert_eq!((first.log.act_number.as_str(), second.log.act_number.as_str()), ("1/2025", "2/2025"));
    assert_eq!(o.store.erasure_entry(second.log.id).await.unwrap(), second.log, "read back as written");
    let again = o.store.erase_person(f.anna, request()).await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotFound, "a person is erased once");

    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", o.store.path().display())).await.unwrap();
    for sql in ["UPDATE erasure_log SET reason = 'x'", "DELETE FROM erasure_log"] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    pool.close().await;
    let gathering = o.store.event(f.gathering).await.unwrap();
    assert!(gathering.input.attendees.is_empty() && gathering.input.headcount == 120, "both named attendees gone");
    let subbotnik = o.store.event(f.subbotnik).await.unwrap();
    assert_eq!(subbotnik.input.headcount, 35);
    let files: Vec<String> = o.store.attachments(f.gathering).await.unwrap().into_iter().map(|a| a.sha256).collect();
    assert_eq!(files, std::slice::from_ref(&f.shared_file), "the gathering keeps its scan");
    let removed = o.store.remove_unreferenced_files(&first.unreferenced_files).await.unwrap();
    assert_eq!(removed.len(), 1, "her own scan is removed from the files folder");
    assert!(!o.store.attachment_path(&f.own_file).exists() && o.store.attachment_path(&f.shared_file).exists());
}

#[tokio::test]
async fn a_merged_duplicate_and_an_organisation_named_after_her_keep_nothing_of_her() {
    let o = office().await;
    let f = semenova(&o).await;
    let s = &o.store;
    // An import entered her twice, with what her own record lacks; staff merged the two.
    let mut twin = person("Семенова", "Анна", "Петровна", None);
    twin.address = "д. Заречье, ул. Полевая, д. 17".into();
    twin.notes = "инвалид II группы, нужен пандус".into();
    let twin = s.create_contact(twin).await.unwrap().id;
    let anna = s.contact(f.anna).await.unwrap();
    s.merge_contacts(f.anna, anna.stamp.rev, twin).await.unwrap();
    // Her husband names her in his notes and shares her landline.
    let husband = s.contact(f.husband).await.unwrap();
    let mut his = husband.input.clone();
    his.notes = "жена — Семёнова Анна Петровна".into();
    his.phones = vec!["+7 913 555-12-34".into()];
    s.update_contact(f.husband, husband.stamp.rev, his).await.unwrap();
    // Her sole-trader business, listed as an organisation with her phone.
    let mut firm = person("", "", "", None);
    firm.kind = ContactKind::Organisation;
    firm.org_name = "ИП Семёнова Анна Петровна".into();
    firm.phones = vec!["+7 913 555-12-34".into()];
    let firm = s.create_contact(firm).await.unwrap().id;

    let export = s.person_data(f.anna).await.unwrap();
    let history = serde_json::to_string(&export.history).unwrap();
    assert!(history.contains("инвалид II группы"), "her export holds the merged duplicate's history: {history}");

    s.erase_person(f.anna, request()).await.unwrap();
    let ids = [f.anna.to_string(), twin.to_string()];
    // The landline she shared with her husband stays in his record, so her phone is looked for
    // only where it was hers: the business.
    let theirs = ["ул. Полевая", "инвалид II", ids[0].as_str(), ids[1].as_str()];
    let traces: Vec<&str> =
        TRACES.iter().copied().filter(|t| !t.contains("12-34") && !t.contains("5551234")).chain(theirs).collect();
    let found = traces_of_in_tables(s.path(), &traces).await;
    assert!(found.is_empty(), "nothing of her, her duplicate or their ids is left:\n{}", found.join("\n"));
    let firm = s.contact(firm).await.unwrap();
    assert_eq!(firm.display_name, "ИП [удалено]", "the business is listed without her name");
    assert!(firm.input.phones.is_empty(), "nor with her phone: {:?}", firm.input.phones);
    let husband = s.contact(f.husband).await.unwrap();
    assert_eq!(husband.input.phones, ["+79135551234"], "the landline they share stays his");
    assert_eq!(husband.input.notes, "жена — [удалено]");
    let hits = s.search("Семёнова", 20).await.unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [f.husband], "only «Семёнов», her husband: {hits:?}");
    assert_eq!(s.search("ИП", 20).await.unwrap().iter().map(|h| h.id).collect::<Vec<_>>(), [firm.id]);
    assert_eq!(s.check().await.unwrap().problems, [], "the file and its search index are sound");
}

#[tokio::test]
async fn a_contact_deleted_earlier_is_erased_from_the_history_that_kept_its_copy() {
    let o = office().await;
    let f = semenova(&o).await;
    let s = &o.store;
    s.delete_contact(f.anna).await.unwrap();
    let deleted = serde_json::to_string(&s.history(f.anna).await.unwrap()).unwrap();
    assert!(deleted.contains("Староста с 2019 года"), "the deletion kept a copy of her record: {deleted}");

    let record = s.erase_person(f.anna, request()).await.unwrap();
    assert_eq!((record.log.act_number.as_str(), record.log.counts.contacts), ("1/2025", 1));
    let id = f.anna.to_string();
    let traces: Vec<&str> =
        TRACES.iter().copied().chain(["Староста с 2019", "ул. Лесная, д. 5", id.as_str()]).collect();
    let found = traces_of_in_tables(s.path(), &traces).await;
    assert!(found.is_empty(), "nothing of her is left:\n{}", found.join("\n"));
    let gathering = s.event(f.gathering).await.unwrap();
    assert_eq!(gathering.input.outcome, "Поддержать проект; ответственная — [удалено]");
    assert_eq!(gathering.input.headcount, 120);
    let again = s.erase_person(f.anna, request()).await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotFound, "erased once: {again}");
}

#[tokio::test]
async fn a_duplicate_merged_into_another_contact_sends_the_erasure_there() {
    let o = office().await;
    let f = semenova(&o).await;
    let s = &o.store;
    let twin = s.create_contact(person("Семенова", "Анна", "", None)).await.unwrap().id;
    let anna = s.contact(f.anna).await.unwrap();
    s.merge_contacts(f.anna, anna.stamp.rev, twin).await.unwrap();
    let before = count(s, "erasure_log").await;
    let err = s.erase_person(twin, request()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
    assert!(err.to_string().contains("«Семёнова Анна Петровна»"), "it names the contact to erase: {err}");
    assert_eq!(count(s, "erasure_log").await, before, "nothing was written");
}
