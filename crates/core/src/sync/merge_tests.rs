use proptest::prelude::*;
use serde_json::json;

use super::*;

fn entry(n: u128, op: Op, replica: &str, hlc: i64, changes: Value) -> Change {
    Change {
        id: Id::from_u128(n),
        entity: Entity::Initiative,
        entity_id: Id::from_u128(1),
        op,
        at: hlc >> 16,
        replica: replica.into(),
        actor: format!("сотрудник {replica}"),
        hlc,
        changes,
    }
}

fn create() -> Change {
    entry(
        10,
        Op::Create,
        "A",
        100,
        json!({"title": {"new": "Ремонт"}, "votes": {"new": 5}, "budget": {"new": [
        {"source": "regional", "planned": 100}, {"source": "municipal", "planned": 50}]}}),
    )
}

#[test]
fn the_later_clock_wins_and_the_concurrent_loser_is_journaled() {
    let entries = vec![
        create(),
        entry(11, Op::Update, "A", 200, json!({"title": {"old": "Ремонт", "new": "Ремонт клуба"}})),
        entry(12, Op::Update, "B", 150, json!({"title": {"old": "Ремонт", "new": "Ремонт школы"}})),
    ];
    let f = fold(Entity::Initiative, &entries);
    assert_eq!(f.fields.as_ref().unwrap()["title"], json!("Ремонт клуба"));
    assert_eq!(f.lost.len(), 1);
    assert_eq!(f.lost[0].lost, json!("Ремонт школы"));
    assert_eq!(f.lost[0].lost_by.replica, "B");
    assert_eq!(f.lost[0].kept_by.replica, "A");
}

#[test]
fn an_edit_made_after_seeing_the_other_is_no_conflict() {
    let entries = vec![
        create(),
        entry(11, Op::Update, "B", 150, json!({"title": {"old": "Ремонт", "new": "Ремонт школы"}})),
        entry(12, Op::Update, "A", 200, json!({"title": {"old": "Ремонт школы", "new": "Ремонт клуба"}})),
    ];
    let f = fold(Entity::Initiative, &entries);
    assert_eq!(f.fields.as_ref().unwrap()["title"], json!("Ремонт клуба"));
    assert!(f.lost.is_empty());
}

#[test]
fn ties_of_the_clock_go_to_the_higher_replica_id() {
    let entries = vec![
        create(),
        entry(11, Op::Update, "B", 150, json!({"votes": {"old": 5, "new": 7}})),
        entry(12, Op::Update, "C", 150, json!({"votes": {"old": 5, "new": 9}})),
    ];
    assert_eq!(fold(Entity::Initiative, &entries).fields.unwrap()["votes"], json!(9));
}

#[test]
fn budget_lines_merge_by_source() {
    let entries = vec![
        create(),
        // A changes the regional line, B adds a residents' line: both survive.
        entry(
            11,
            Op::Update,
            "A",
            200,
            json!({"budget": {
            "old": [{"source": "regional", "planned": 100}, {"source": "municipal", "planned": 50}],
            "new": [{"source": "regional", "planned": 120}, {"source": "municipal", "planned": 50}]}}),
        ),
        entry(
            12,
            Op::Update,
            "B",
            150,
            json!({"budget": {
            "old": [{"source": "regional", "planned": 100}, {"source": "municipal", "planned": 50}],
            "new": [{"source": "regional", "planned": 100}, {"source": "municipal", "planned": 50},
                    {"source": "residents", "planned": 10}]}}),
        ),
    ];
    let f = fold(Entity::Initiative, &entries);
    let mut budget = f.fields.unwrap()["budget"].as_array().unwrap().clone();
    budget.sort_by_key(|l| l["source"].as_str().unwrap().to_owned());
    assert_eq!(
        Value::Array(budget),
        json!([{"source": "municipal", "planned": 50}, {"source": "regional", "planned": 120},
               {"source": "residents", "planned": 10}])
    );
    assert!(f.lost.is_empty());
}

#[test]
fn two_replicas_changing_one_budget_line_conflict() {
    let entries = vec![
        create(),
        entry(
            11,
            Op::Update,
            "A",
            200,
            json!({"budget": {
            "old": [{"source": "regional", "planned": 100}], "new": [{"source": "regional", "planned": 120}]}}),
        ),
        entry(
            12,
            Op::Update,
            "B",
            150,
            json!({"budget": {
            "old": [{"source": "regional", "planned": 100}], "new": [{"source": "regional", "planned": 90}]}}),
        ),
    ];
    let f = fold(Entity::Initiative, &entries);
    assert_eq!(f.lost.len(), 1);
    assert_eq!(f.lost[0].field, "budget.regional");
    assert_eq!(f.lost[0].lost["planned"], json!(90));
}

#[test]
fn a_delete_wins_over_a_later_edit_which_is_journaled() {
    let entries = vec![
        create(),
        entry(11, Op::Delete, "A", 200, json!({"title": {"old": "Ремонт"}})),
        entry(12, Op::Update, "B", 300, json!({"votes": {"old": 5, "new": 8}})),
    ];
    let f = fold(Entity::Initiative, &entries);
    assert!(f.deleted.is_some());
    assert_eq!(f.lost.len(), 1);
    assert_eq!(f.lost[0].kind, ConflictKind::Deleted);
    assert_eq!(f.lost[0].lost, json!(8));
}

fn arb_entries() -> impl Strategy<Value = Vec<Change>> {
    let edit = (0..4usize, 0..3usize, 1..40i64, 0..6i64, prop::bool::ANY, prop::bool::ANY);
    prop::collection::vec(edit, 0..12).prop_map(|edits| {
        let mut entries = vec![create()];
        for (n, (replica, field, hlc, value, delete, seen)) in edits.into_iter().enumerate() {
            let replica = ["A", "B", "C", "D"][replica].to_owned();
            let hlc = 100 + hlc * 10;
            let id = 100 + n as u128;
            if delete && field == 0 && value == 0 {
                entries.push(entry(id, Op::Delete, &replica, hlc, json!({})));
                continue;
            }
            let changes = match field {
                0 => json!({"title": {"old": if seen {"Ремонт"} else {"?"}, "new": format!("t{value}")}}),
                1 => json!({"votes": {"old": 5, "new": value}}),
                _ => {
                    let other = ["federal", "residents"][value as usize % 2];
                    json!({"budget": {"old": [{"source": "regional", "planned": 100}],
                                       "new": [{"source": "regional", "planned": value},
                                               {"source": other, "planned": 1}]}})
                }
            };
            entries.push(entry(id, Op::Update, &replica, hlc, changes));
        }
        entries
    })
}

proptest! {
    /// Replicas holding the same entries hold the same record, whatever order they came in,
    /// and duplicates change nothing.
    #[test]
    fn the_fold_ignores_order_and_duplicates(entries in arb_entries(), seed in any::<u64>()) {
        let a = fold(Entity::Initiative, &entries);
        let mut shuffled = entries.clone();
        shuffled.extend(entries.iter().take(3).cloned());
        let mut rng = fastrand::Rng::with_seed(seed);
        rng.shuffle(&mut shuffled);
        let b = fold(Entity::Initiative, &shuffled);
        prop_assert_eq!(&a.fields, &b.fields);
        prop_assert_eq!(a.deleted.map(|d| d.id), b.deleted.map(|d| d.id));
        let lost = |f: &Folded<'_>| f.lost.iter().map(|l| (l.field.clone(), l.lost.clone(), l.lost_by.id)).collect::<Vec<_>>();
        prop_assert_eq!(lost(&a), lost(&b));
    }
}

/// The fields of a create read as they are, where that is allowed, are the fold's.
fn read_as_is(entity: Entity, entry: &Change) -> Option<Map<String, Value>> {
    created_as_is(entity, &[entry]).then(|| created_fields(entry).map(|(k, v)| (k.to_owned(), v.clone())).collect())
}

#[test]
fn a_lone_create_read_as_it_is_holds_what_its_fold_holds() {
    let made = create();
    assert_eq!(read_as_is(Entity::Initiative, &made), fold(Entity::Initiative, std::slice::from_ref(&made)).fields);

    // Notes are not fields, and a consent comes with the contact.
    let mut contact = entry(
        20,
        Op::Create,
        "A",
        100,
        json!({"display_name": {"new": "Курочкина Зоя Петровна"}, "phones": {"new": ["+79001234567"]},
               "source": {"new": "demo"}, "consent": {"new": {"purpose": "связь"}}}),
    );
    contact.entity = Entity::Contact;
    let fields = read_as_is(Entity::Contact, &contact).unwrap();
    assert_eq!(Some(fields), fold(Entity::Contact, std::slice::from_ref(&contact)).fields);
    assert_eq!(consents_of(&contact), fold(Entity::Contact, std::slice::from_ref(&contact)).consents);
    assert_eq!(consents_of(&contact).len(), 1);

    // A source named twice is one budget line to the fold: that create is folded, not read as is.
    let twice = entry(
        30,
        Op::Create,
        "A",
        100,
        json!({"budget": {"new": [{"source": "regional", "planned": 100}, {"source": "regional", "planned": 7}]}}),
    );
    assert_eq!(read_as_is(Entity::Initiative, &twice), None);
    // So is a list given as a single value, and anything but one create.
    let single = entry(31, Op::Create, "A", 100, json!({"budget": {"new": {"source": "regional"}}}));
    assert_eq!(read_as_is(Entity::Initiative, &single), None);
    let edit = entry(32, Op::Update, "A", 100, json!({"title": {"new": "Ремонт"}}));
    assert!(!created_as_is(Entity::Initiative, &[&edit]));
    assert!(!created_as_is(Entity::Initiative, &[&made, &edit]));
}

proptest! {
    /// Whenever a lone create may be read as it is, what it reads is what the fold makes.
    #[test]
    fn a_create_read_as_it_is_agrees_with_its_fold(
        budget in proptest::collection::vec((0usize..4, 0i64..1000), 0..5),
        phones in proptest::collection::vec(0usize..3, 0..4),
    ) {
        let sources = ["regional", "municipal", "residents", "business"];
        let lines: Vec<Value> = budget.iter().map(|(s, p)| json!({"source": sources[*s], "planned": p})).collect();
        let made = entry(40, Op::Create, "A", 100, json!({"title": {"new": "Ремонт"}, "budget": {"new": lines}}));
        if let Some(fields) = read_as_is(Entity::Initiative, &made) {
            prop_assert_eq!(Some(fields), fold(Entity::Initiative, std::slice::from_ref(&made)).fields);
        }
        let numbers: Vec<Value> = phones.iter().map(|p| json!(format!("+7900000000{p}"))).collect();
        let mut contact = entry(41, Op::Create, "A", 100, json!({"phones": {"new": numbers}}));
        contact.entity = Entity::Contact;
        if let Some(fields) = read_as_is(Entity::Contact, &contact) {
            prop_assert_eq!(Some(fields), fold(Entity::Contact, std::slice::from_ref(&contact)).fields);
        }
    }
}
