//! Row-level security: connected as an office's own login, hand-written SQL can neither read
//! nor change another territory's rows, on every table of the server.

mod common;

use common::*;
use mestno_core::model::*;
use mestno_server::{Invitation, sync};
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Row};

const TABLES: [&str; 7] = ["_sqlx_migrations", "changes", "erased", "offices", "records", "server", "territories"];

async fn as_office(inv: &Invitation) -> PgConnection {
    PgConnection::connect_with(&inv.connect_options()).await.unwrap()
}

/// Runs `sql` in a transaction that says `territory`, and returns the error code, if any.
async fn run(conn: &mut PgConnection, territory: Option<Id>, sql: &str) -> Result<Vec<sqlx::postgres::PgRow>, String> {
    let mut tx = conn.begin().await.unwrap();
    if let Some(t) = territory {
        sqlx::query("SELECT set_config('mestno.territory', $1, true)")
            .bind(t.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    let out = sqlx::query(sql).fetch_all(&mut *tx).await;
    let _ = tx.rollback().await;
    out.map_err(|e| match e {
        sqlx::Error::Database(db) => format!("{} {}", db.code().unwrap_or_default(), db.message()),
        e => e.to_string(),
    })
}

fn denied(r: Result<Vec<sqlx::postgres::PgRow>, String>, what: &str) {
    match r {
        Err(e) => assert!(e.starts_with("42501"), "{what}: {e}"),
        Ok(rows) => panic!("{what}: allowed ({} rows)", rows.len()),
    }
}

#[tokio::test]
async fn an_office_login_reads_and_writes_only_its_territory_on_every_table() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    let (district, d, a, b) = (&s.district, s.d_id, s.a_id, s.b_id);
    let (d_inv, a_inv, b_inv) = (&s.d_inv, &s.a_inv, &s.b_inv);
    let a_project = district.create_initiative(project(a, "Проект А"), Stage::Idea, day()).await.unwrap();
    let b_project = district.create_initiative(project(b, "Проект Б"), Stage::Idea, day()).await.unwrap();
    sync(district, d_inv).await.unwrap();

    // Every table of the schema is covered here, and has FORCE ROW LEVEL SECURITY.
    let mut admin = admin(&pg).await;
    let tables: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'mestno' AND c.relkind = 'r' ORDER BY 1",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert_eq!(tables.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(), TABLES);
    assert!(tables.iter().all(|t| t.1 && t.2), "{tables:?}");
    // The office's role: no superuser, no BYPASSRLS, owns nothing.
    let role = sqlx::query(
        "SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole,
                (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS owns
         FROM pg_roles r WHERE r.rolname = $1",
    )
    .bind(&a_inv.login)
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert!(!role.get::<bool, _>(0) && !role.get::<bool, _>(1) && !role.get::<bool, _>(2));
    assert_eq!(role.get::<i64, _>(3), 0);

    let mut conn = as_office(a_inv).await;
    let me = Some(a);
    // changes: its own territory's and the shared directories, nothing of B's.
    let rows = run(&mut conn, me, "SELECT entity_id, territory FROM mestno.changes WHERE NOT shared").await.unwrap();
    let records: Vec<Id> = rows.iter().map(|r| r.get("entity_id")).collect();
    assert_eq!(records, vec![a_project.id]);
    let shared = run(&mut conn, me, "SELECT count(*) FROM mestno.changes WHERE shared").await.unwrap();
    assert_eq!(shared[0].get::<i64, _>(0), 3, "the territory tree is shared");
    let b_rows =
        run(&mut conn, me, &format!("SELECT count(*) FROM mestno.changes WHERE entity_id = '{}'", b_project.id))
            .await
            .unwrap();
    assert_eq!(b_rows[0].get::<i64, _>(0), 0);
    // A lying transaction: a neighbour's territory, or the district above, is refused.
    denied(run(&mut conn, Some(b), "SELECT * FROM mestno.changes WHERE NOT shared").await, "B's territory");
    denied(run(&mut conn, Some(d), "SELECT * FROM mestno.changes WHERE NOT shared").await, "the district's");
    // A transaction that does not say its territory sees none (nothing stays from the last one).
    run(&mut conn, me, "SELECT 1").await.unwrap();
    denied(run(&mut conn, None, "SELECT * FROM mestno.changes WHERE NOT shared").await, "no territory");
    // Writing into B, or into a record the server knows in B, or as another login: refused.
    let insert = |record: Id, place: Id, by: &str| {
        format!(
            "INSERT INTO mestno.changes(id, entity, entity_id, op, at, replica, actor, hlc, changes, territory, shared, pushed_by)
             VALUES (gen_random_uuid(), 'initiative', '{record}', 'update', 0, 'x', 'x', 1, '{{}}', '{place}', false, {by})"
        )
    };
    denied(run(&mut conn, me, &insert(uuid::Uuid::new_v4(), b, "DEFAULT")).await, "a change in B");
    denied(run(&mut conn, me, &insert(b_project.id, a, "DEFAULT")).await, "B's record claimed for A");
    denied(run(&mut conn, me, &insert(uuid::Uuid::new_v4(), a, &format!("'{}'", b_inv.login))).await, "as B");
    run(&mut conn, me, &insert(uuid::Uuid::new_v4(), a, "DEFAULT")).await.expect("a change in A is let in");
    denied(run(&mut conn, me, "UPDATE mestno.changes SET actor = 'x'").await, "update changes");
    denied(run(&mut conn, me, "DELETE FROM mestno.changes").await, "delete changes");
    denied(run(&mut conn, me, "TRUNCATE mestno.changes").await, "truncate changes");
    // records: the places of its own territory's records only; no writes.
    let places = run(&mut conn, me, "SELECT entity_id FROM mestno.records").await.unwrap();
    assert_eq!(places.iter().map(|r| r.get::<Id, _>(0)).collect::<Vec<_>>(), vec![a_project.id]);
    denied(run(&mut conn, me, &format!("UPDATE mestno.records SET territory = '{a}'")).await, "move a record");
    denied(
        run(&mut conn, me, &format!("INSERT INTO mestno.records VALUES ('{}', '{a}', 1, NULL)", b_project.id)).await,
        "place a record",
    );
    denied(run(&mut conn, me, "DELETE FROM mestno.records").await, "delete records");
    // offices: its own row only; no writes.
    let offices = run(&mut conn, me, "SELECT login FROM mestno.offices").await.unwrap();
    assert_eq!(offices.iter().map(|r| r.get::<String, _>(0)).collect::<Vec<_>>(), vec![a_inv.login.clone()]);
    denied(run(&mut conn, me, "UPDATE mestno.offices SET territory = territory").await, "update offices");
    denied(
        run(&mut conn, me, &format!("INSERT INTO mestno.offices(login, territory, name) VALUES ('x', '{d}', 'x')"))
            .await,
        "insert offices",
    );
    denied(run(&mut conn, me, "DELETE FROM mestno.offices").await, "delete offices");
    // territories and server: read (shared), never written.
    let tree = run(&mut conn, me, "SELECT id FROM mestno.territories").await.unwrap();
    assert_eq!(tree.len(), 3);
    denied(run(&mut conn, me, &format!("UPDATE mestno.territories SET parent_id = '{a}'")).await, "move a territory");
    denied(
        run(&mut conn, me, &format!("INSERT INTO mestno.territories VALUES ('{b}', '{a}', 1)")).await,
        "insert tree",
    );
    denied(run(&mut conn, me, "DELETE FROM mestno.territories").await, "delete tree");
    assert_eq!(run(&mut conn, me, "SELECT id FROM mestno.server").await.unwrap().len(), 1);
    denied(run(&mut conn, me, "UPDATE mestno.server SET host = 'evil'").await, "update server");
    denied(run(&mut conn, me, "DELETE FROM mestno.server").await, "delete server");
    // The erased people and the migrations' table: nothing at all.
    denied(run(&mut conn, me, "SELECT * FROM mestno.erased").await, "read erased");
    denied(run(&mut conn, me, "DELETE FROM mestno.erased").await, "delete erased");
    // The migrations' table: nothing at all.
    denied(run(&mut conn, me, "SELECT * FROM mestno._sqlx_migrations").await, "read migrations");
    denied(run(&mut conn, me, "DELETE FROM mestno._sqlx_migrations").await, "delete migrations");
    // Nor can it make itself more.
    denied(run(&mut conn, me, "CREATE TABLE mestno.mine(x int)").await, "create a table");
    assert!(run(&mut conn, me, "ALTER TABLE mestno.changes NO FORCE ROW LEVEL SECURITY").await.is_err());
    assert!(run(&mut conn, me, "SET ROLE mestno_owner").await.is_err());

    // `redact` takes text away from a change the office may read, and nothing else.
    let creation = |record: Id| {
        sqlx::query_as::<_, (Id, String)>(
            "SELECT id, changes FROM mestno.changes WHERE entity_id = $1 AND op = 'create'",
        )
        .bind(record)
    };
    let (a_change, a_body) = creation(a_project.id).fetch_one(&mut admin).await.unwrap();
    let (b_change, b_body) = creation(b_project.id).fetch_one(&mut admin).await.unwrap();
    let redact = |change: Id, body: &str| format!("SELECT mestno.redact('{change}', $r${body}$r$)");
    let took = async |conn: &mut PgConnection, change: Id, body: String| -> bool {
        run(conn, me, &redact(change, &body)).await.unwrap()[0].get(0)
    };
    assert!(took(&mut conn, a_change, a_body.replace("Проект А", "[удалено]")).await, "its own record's text");
    assert!(!took(&mut conn, b_change, b_body.replace("Проект Б", "[удалено]")).await, "B's change");
    assert!(!took(&mut conn, a_change, a_body.replace("Проект А", "Проект А [удалено] и ещё")).await, "text put in");
    assert!(
        !took(&mut conn, a_change, a_body.replace("Проект А", "[удалено]").replacen("\"new\"", "\"old\"", 1)).await,
        "changed"
    );
    assert!(!took(&mut conn, a_change, a_body.replacen('{', "[удалено]", 1)).await, "no longer JSON");
    assert!(!took(&mut conn, a_change, a_body.clone()).await, "nothing redacted");
    denied(run(&mut conn, None, &redact(a_change, &a_body.replace("Проект А", "[удалено]"))).await, "no territory");
    let held: String = sqlx::query_scalar("SELECT changes FROM mestno.changes WHERE id = $1")
        .bind(b_change)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert_eq!(held, b_body);

    // The district's login reads everything below it: both settlements' records.
    let mut conn = as_office(d_inv).await;
    let rows = run(&mut conn, Some(d), "SELECT DISTINCT entity_id FROM mestno.changes WHERE NOT shared").await.unwrap();
    let mut seen: Vec<Id> = rows.iter().map(|r| r.get(0)).collect();
    seen.sort();
    let both = [a_project.id, b_project.id];
    assert!(both.iter().all(|id| seen.contains(id)), "{seen:?}");
    // …and may narrow its view to one settlement.
    let narrow =
        run(&mut conn, Some(b), "SELECT DISTINCT entity_id FROM mestno.changes WHERE NOT shared").await.unwrap();
    assert_eq!(narrow.iter().map(|r| r.get::<Id, _>(0)).collect::<Vec<_>>(), vec![b_project.id]);
}
