//! The store as a replica: the changes it holds, and changes from other replicas applied
//! all-or-nothing through the merge rule ([`crate::sync::merge`]).
//!
//! A change is a history entry. Applying a set of them stores the entries this replica lacks,
//! then folds every record they touch from all of its entries and writes the result: the
//! record's row and lists, or its deletion. What the fold set aside goes to the conflicts
//! journal («Расхождения», [`Store::conflicts`]), and so does a merged record that breaks a rule
//! of the core — it is stored, never as if valid, or, where the database cannot hold it (a
//! reference to a record this office does not have), kept waiting in the journal and written
//! when what it refers to arrives.

mod conflicts;
mod files;
mod fresh;
mod materialize;
mod partners;
mod server_support;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};

use super::Store;
use super::bulk::{insert_rows, rows};
use super::erasure::is_act;
use crate::error::{Entity, Result};
use crate::model::Id;
use crate::store::Op;
use crate::sync::{Body, Change, RawChange};
pub use conflicts::{ConflictState, SyncConflict};
pub use files::{FileToSend, FilesFor};
pub use partners::Partner;

/// Whether [`Store::applying`] keeps what it did or only says what it would do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keep {
    Commit,
    RollBack,
}

/// How [`Store::apply_in`] writes the records a batch brings that this office has never seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Path {
    /// In multi-row statements, as an import writes. Should the database refuse one (a
    /// record that refers to something this office does not have), the attempt is given up
    /// and [`Store::applying`] does the whole batch again one record at a time: a savepoint
    /// around the bulk statements would make every one of them slower.
    Bulk,
    /// Each record in its own savepoint, kept waiting in the journal if it cannot be written.
    OneByOne,
}

/// What comes with a batch of changes from elsewhere, stored in the same transaction.
#[derive(Clone, Copy, Debug)]
pub(crate) enum With<'a> {
    /// Nothing: the changes alone.
    Nothing,
    /// A partner's package: its number (refused unless newer than the last one loaded from
    /// there), and what it says the partner holds.
    Package { from: &'a str, seq: i64, acked: &'a Holdings },
    /// A shared server's batch: the setting that keeps the server's cursor, which moves only
    /// with the changes it stands for.
    Cursor { key: &'a str, cursor: i64 },
}

/// What a load does with a record that names another this office does not hold (a person who
/// attended an event, a project's initiator, a project an event is linked to).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Missing {
    /// The record waits in the journal, and is written once the other arrives: an office that
    /// receives the whole tree (a region's), whose partners send it everything, lacks only what
    /// is still on its way.
    #[default]
    Wait,
    /// The link is left out of the row and kept in the history, where it travels on: an office
    /// that receives one territory's records (a settlement's, a district's) never receives the
    /// people and projects from elsewhere that its records name (see [`Store::missing_for`]).
    LeaveOut,
    /// As [`Store::missing_for`] this territory says, once the load has written the territories
    /// it brings (an office's first load brings its own).
    For(Id),
}

/// An attempt of [`Store::apply_in`]: done, or given up because the bulk write was refused.
#[derive(Debug)]
pub(crate) enum Attempt {
    Done(Applied),
    BulkRefused,
}

/// What a replica holds of each origin: the latest clock of each replica's changes it has.
/// As an acknowledgement it says what need not be sent again.
pub type Holdings = BTreeMap<String, i64>;

/// Which records a change may touch: a territory and everything within it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The territories, `None` for all (an office with no territory set).
    pub territories: Option<HashSet<Id>>,
}

/// What applying changes did, or (in a preview) would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Applied {
    /// Changes this office did not have yet.
    pub new_changes: u64,
    /// Changes it already had (a package loaded twice, or one that overlaps another).
    pub known_changes: u64,
    /// Records added, per kind.
    pub added: BTreeMap<String, u64>,
    /// Records changed, per kind.
    pub changed: BTreeMap<String, u64>,
    /// Records deleted, per kind.
    pub deleted: BTreeMap<String, u64>,
    /// New entries in the conflicts journal.
    pub conflicts: u64,
    /// Changes refused: records outside the sender's territory, or erased here.
    pub refused: u64,
    /// People erased here under 152-ФЗ because another office erased them (its act travels with
    /// the package; this office logs an act of its own).
    #[serde(default)]
    pub erased: u64,
}

impl Store {
    /// This office's replica id (its device id): the origin every change made here carries.
    pub fn replica(&self) -> &str {
        self.device()
    }

    /// What this office holds of each replica's changes.
    pub async fn holdings(&self) -> Result<Holdings> {
        let rows =
            sqlx::query("SELECT device, max(hlc) AS hlc FROM history GROUP BY device").fetch_all(self.reader()).await?;
        rows.iter().map(|r| Ok((r.try_get("device")?, r.try_get("hlc")?))).collect()
    }

    /// How many changes this office holds that `acked` does not: what waits for a partner
    /// (before its territory is applied).
    pub async fn count_changes_since(&self, acked: &Holdings) -> Result<u64> {
        count_unacked(&mut *self.reader().acquire().await?, acked, "1").await
    }

    /// About how many changes a package for a partner answering for `scope` would hold now: the
    /// changes it has not acknowledged to the shared directories, and to the records lying within
    /// its territories as they lie now (a record deleted here is not counted). Counted from the
    /// history's index and the records' rows, without reading a change.
    pub async fn count_changes_within(&self, acked: &Holdings, scope: &Scope) -> Result<u64> {
        let Some(within) = &scope.territories else { return self.count_changes_since(acked).await };
        let mut conn = self.reader().acquire().await?;
        sqlx::query("CREATE TEMP TABLE IF NOT EXISTS sync_scope(id BLOB PRIMARY KEY)").execute(&mut *conn).await?;
        sqlx::query("DELETE FROM temp.sync_scope").execute(&mut *conn).await?;
        let ids: Vec<Id> = within.iter().copied().collect();
        for chunk in ids.chunks(500) {
            let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new("INSERT INTO temp.sync_scope(id) ");
            q.push_values(chunk, |mut b, id| {
                b.push_bind(*id);
            });
            q.build().execute(&mut *conn).await?;
        }
        // A record lies in the scope as its row says; a file, as its record's row says.
        let condition = format!(
            "CASE WHEN h.entity = 'attachment'
                  THEN (SELECT {} FROM attachments f WHERE f.id = h.entity_id)
                  ELSE {} END",
            lies_within("f.owner_entity", "f.owner_id"),
            lies_within("h.entity", "h.entity_id"),
        );
        let n = count_unacked(&mut conn, acked, &condition).await?;
        sqlx::query("DELETE FROM temp.sync_scope").execute(&mut *conn).await?;
        Ok(n)
    }

    /// The changes newer than what `acked` says a partner holds, oldest first per origin,
    /// limited to the records within `scope` (and the shared directories: territories and
    /// programs). A record created by the demo generator travels with what its create stands for
    /// (see `materialize::bare_create_body`).
    pub async fn changes_since(&self, acked: &Holdings, scope: &Scope) -> Result<Vec<Change>> {
        Ok(self.raw_changes_since(acked, scope).await?.into_iter().map(RawChange::read).collect())
    }

    /// [`Store::changes_since`] with their bodies left as the history's text, to be written
    /// into a package as they are: a tenth of the memory of the bodies read.
    pub async fn raw_changes_since(&self, acked: &Holdings, scope: &Scope) -> Result<Vec<RawChange>> {
        let mut conn = self.reader().acquire().await?;
        let origins: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT device FROM history").fetch_all(&mut *conn).await?;
        let mut out = Vec::new();
        for origin in origins {
            let after = acked.get(&origin).copied().unwrap_or(i64::MIN);
            let rows = sqlx::query(&format!(
                "SELECT {CHANGE_COLUMNS} FROM history WHERE device = ? AND hlc > ? ORDER BY hlc, id"
            ))
            .bind(&origin)
            .bind(after)
            .fetch_all(&mut *conn)
            .await?;
            for r in &rows {
                out.push(raw_change_of(r)?);
            }
        }
        let out = materialize::in_scope(&mut conn, out, scope).await?;
        let out = materialize::with_moved_in(&mut conn, out, scope).await?;
        materialize::fill_bare_creates(self, &mut conn, out).await
    }

    /// Applies changes from another replica in one transaction: all of them or, on an error,
    /// none. Changes to records outside `sender` (the territory the sending office answers
    /// for) or to erased records are refused and counted, not applied.
    pub async fn apply_changes<B: Body>(&self, changes: &[Change<B>], sender: &Scope) -> Result<Applied> {
        self.applying(changes, sender, With::Nothing, Keep::Commit, Missing::Wait).await
    }

    /// What a load into an office answering for `territory` does with a link to a record it
    /// does not hold: [`Missing::LeaveOut`] for a territory within another, which receives only
    /// its own records; [`Missing::Wait`] for the top of the tree, or none.
    pub async fn missing_for(&self, territory: Id) -> Result<Missing> {
        missing_for(&mut *self.reader().acquire().await?, territory).await
    }

    /// What [`Store::apply_changes`] would do, without keeping any of it.
    pub async fn preview_changes<B: Body>(&self, changes: &[Change<B>], sender: &Scope) -> Result<Applied> {
        self.applying(changes, sender, With::Nothing, Keep::RollBack, Missing::Wait).await
    }

    /// The one way changes from elsewhere are applied: the merge of `changes` from `sender`, and
    /// what comes `with` them, in one write transaction, committed or, for a preview, rolled
    /// back; the writer's cache bounded for a large batch; and, when people were erased, the
    /// write-ahead log emptied of their old pages. The merge is tried on the [`Path::Bulk`]
    /// first and, if that is refused, rolled back and done again [`Path::OneByOne`]. A link to a
    /// record this office does not hold is handled as `missing` says.
    pub(crate) async fn applying<B: Body>(
        &self,
        changes: &[Change<B>],
        sender: &Scope,
        with: With<'_>,
        keep: Keep,
        missing: Missing,
    ) -> Result<Applied> {
        // A person erased by another office's act takes her files with her: the content that
        // loses its last attachment here is removed once the load is in.
        let erasing = keep == Keep::Commit && changes.iter().any(|c| c.entity == Entity::Contact && c.op == Op::Delete);
        let files_before: Vec<String> = if erasing {
            sqlx::query_scalar("SELECT DISTINCT sha256 FROM attachments").fetch_all(self.reader()).await?
        } else {
            Vec::new()
        };
        let applied = self
            .large_write(changes.len(), async {
                for path in [Path::Bulk, Path::OneByOne] {
                    let mut tx = self.begin().await?;
                    if let With::Package { from, seq, .. } = with {
                        self.check_package_seq(&mut tx, from, seq).await?;
                    }
                    let Attempt::Done(applied) = self.apply_in(&mut tx, changes, sender, path, missing).await? else {
                        tx.rollback().await?;
                        continue;
                    };
                    match with {
                        With::Nothing => {}
                        With::Package { from, seq, acked } => self.package_loaded(&mut tx, from, seq, acked).await?,
                        With::Cursor { key, cursor } => server_support::store_cursor(&mut tx, key, cursor).await?,
                    }
                    match keep {
                        Keep::Commit => tx.commit().await?,
                        Keep::RollBack => tx.rollback().await?,
                    }
                    return Ok(applied);
                }
                unreachable!("the one-by-one path is never refused")
            })
            .await?;
        if keep == Keep::Commit && applied.erased > 0 {
            // The load is in: a file that cannot be removed now does not undo it.
            if let Err(e) = self.remove_unreferenced_files(&files_before).await {
                tracing::warn!("an erased person's files could not all be removed after a load: {e:?}");
            }
            self.empty_wal_after_erasure().await?;
        }
        Ok(applied)
    }

    /// [`Store::apply_changes`] inside the caller's transaction, the records this office has
    /// never seen written on `path`.
    async fn apply_in<B: Body>(
        &self,
        tx: &mut SqliteConnection,
        changes: &[Change<B>],
        sender: &Scope,
        path: Path,
        missing: Missing,
    ) -> Result<Attempt> {
        // Erasure acts are the deletes of contacts that carry one.
        let deletes: Vec<Change> = changes
            .iter()
            .filter(|c| c.entity == Entity::Contact && c.op == Op::Delete)
            .map(|c| B::read(c).into_owned())
            .collect();
        let acts: HashSet<Id> = deletes.iter().filter(|c| is_act(c)).map(|c| c.id).collect();
        let mut applied = Applied { erased: self.erase_received(tx, &deletes).await?, ..Applied::default() };
        let erased = erased_among(tx, changes).await?;
        let allowed = materialize::allowed(tx, changes, sender).await?;
        let mut accepted: Vec<&Change<B>> = Vec::with_capacity(changes.len());
        let mut seen = HashSet::new();
        for change in changes {
            if erased.contains(&change.entity_id) && !acts.contains(&change.id) || !allowed.contains(&change.id) {
                applied.refused += 1;
            } else if seen.insert(change.id) {
                self.observe_hlc(change.hlc);
                accepted.push(change);
            } else {
                applied.known_changes += 1;
            }
        }
        // The entries this office lacks, and the records that had none here before them. An
        // entry newer than every one this office holds from its origin is not here: only the
        // others are looked up.
        let latest = latest_held(tx, &accepted).await?;
        let maybe_known: Vec<Id> = accepted
            .iter()
            .filter(|c| latest.get(c.replica.as_str()).is_some_and(|held| c.hlc <= *held))
            .map(|c| c.id)
            .collect();
        let mut records: Vec<Id> = accepted.iter().map(|c| c.entity_id).collect();
        records.sort_unstable();
        records.dedup();
        let (known, had) = fresh::held(tx, &maybe_known, &records).await?;
        let new: Vec<&Change<B>> = accepted.into_iter().filter(|c| !known.contains(&c.id)).collect();
        applied.known_changes += known.len() as u64;
        applied.new_changes = new.len() as u64;
        let rows: Vec<rows::History<'_>> = new
            .iter()
            .map(|c| rows::History {
                id: c.id,
                entity: c.entity,
                entity_id: c.entity_id,
                op: c.op,
                at: c.at,
                device: c.replica.as_str().into(),
                actor: c.actor.as_str().into(),
                changes: c.changes.text(),
                hlc: c.hlc,
            })
            .collect();
        // Records are written territories and programs first, then contacts, initiatives and
        // events, so that what a record refers to is there before it.
        let mut kinds: HashMap<Id, Entity> = HashMap::with_capacity(records.len());
        for c in &new {
            kinds.insert(c.entity_id, c.entity);
        }
        let mut directories: BTreeMap<(u8, Id), Entity> = BTreeMap::new();
        let mut others: BTreeMap<(u8, Id), Entity> = BTreeMap::new();
        let mut unseen: Vec<(Id, Entity)> = Vec::new();
        for (&id, &entity) in &kinds {
            let rank = materialize::rank(entity);
            if materialize::is_directory(entity) {
                directories.insert((rank, id), entity);
            } else if path == Path::Bulk && !had.contains(&id) {
                unseen.push((id, entity));
            } else {
                others.insert((rank, id), entity);
            }
        }
        unseen.sort_by_key(|(id, entity)| (materialize::rank(*entity), *id));
        // The history is written while the new records are read.
        let mut reader = fresh::Reader::new(unseen, &new);
        reader.read_while(insert_rows(&mut *tx, rows)).await?;
        let (batch, left) = reader.finish();
        others.extend(left.into_iter().map(|(id, e)| ((materialize::rank(e), id), e)));
        for id in conflicts::waiting(tx).await? {
            if let Some(entity) = materialize::entity_of(tx, id).await? {
                let rank = materialize::rank(entity);
                let to = if materialize::is_directory(entity) { &mut directories } else { &mut others };
                to.insert((rank, id), entity);
            }
        }
        self.write_one_by_one(tx, directories, &mut applied, missing).await?;
        let missing = match missing {
            Missing::For(territory) => missing_for(tx, territory).await?,
            decided => decided,
        };
        if !fresh::write(self, tx, batch, &mut applied, missing).await? {
            return Ok(Attempt::BulkRefused);
        }
        self.write_one_by_one(tx, others, &mut applied, missing).await?;
        // A person or project a record was stored without, arrived now: the record takes her.
        let back = materialize::links_arrived(tx).await?;
        self.write_one_by_one(tx, back, &mut applied, missing).await?;
        Ok(Attempt::Done(applied))
    }

    /// Writes each of `records` as the fold of its entries, in order. One that refers to a
    /// record written later in the same pass (a territory under one made the same
    /// millisecond) is tried again once the rest are in, and kept waiting in the journal if it
    /// still cannot be written.
    async fn write_one_by_one(
        &self,
        tx: &mut SqliteConnection,
        records: BTreeMap<(u8, Id), Entity>,
        applied: &mut Applied,
        missing: Missing,
    ) -> Result<()> {
        let mut pending: Vec<(Id, Entity)> = records.into_iter().map(|((_, id), e)| (id, e)).collect();
        loop {
            let before = pending.len();
            let mut left = Vec::new();
            for (id, entity) in pending {
                if !materialize::record(self, tx, entity, id, applied, false, missing).await? {
                    left.push((id, entity));
                }
            }
            pending = left;
            if pending.is_empty() || pending.len() == before {
                break;
            }
        }
        for (id, entity) in pending {
            materialize::record(self, tx, entity, id, applied, true, missing).await?;
        }
        Ok(())
    }

    /// Remembers that the record `id` was erased under the act `act_number`, so that no change
    /// to it is ever applied again (by a digest of its id, not the id).
    pub(crate) async fn remember_erased(&self, tx: &mut SqliteConnection, id: Id, act_number: &str) -> Result<()> {
        sqlx::query("DELETE FROM sync_left_out WHERE target_id = ?").bind(id).execute(&mut *tx).await?;
        sqlx::query("INSERT OR IGNORE INTO sync_erased(digest, act_number, erased_at) VALUES (?, ?, ?)")
            .bind(erased_digest(id))
            .bind(act_number)
            .bind(self.now_ms())
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

/// The digest an erased record is remembered by.
pub fn erased_digest(id: Id) -> Vec<u8> {
    Sha256::digest(id.as_bytes()).to_vec()
}

/// Whether anybody was ever erased here (most offices: no, and nothing need be looked up).
pub(crate) async fn any_erased(tx: &mut SqliteConnection) -> Result<bool> {
    let any: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sync_erased LIMIT 1").fetch_optional(&mut *tx).await?;
    Ok(any.is_some())
}

/// Whether the record `id` was erased here.
pub(crate) async fn is_erased(tx: &mut SqliteConnection, id: Id) -> Result<bool> {
    let hit: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sync_erased WHERE digest = ?")
        .bind(erased_digest(id))
        .fetch_optional(&mut *tx)
        .await?;
    Ok(hit.is_some())
}

/// How many history entries `acked` does not cover (per origin, the clocks after the one it
/// holds) and `condition` (an SQL expression over the entry `h`) admits.
async fn count_unacked(conn: &mut SqliteConnection, acked: &Holdings, condition: &str) -> Result<u64> {
    let origins: Vec<String> = sqlx::query_scalar("SELECT DISTINCT device FROM history").fetch_all(&mut *conn).await?;
    let sql = format!("SELECT count(*) FROM history h WHERE h.device = ? AND h.hlc > ? AND ({condition})");
    let mut n = 0;
    for origin in origins {
        let after = acked.get(&origin).copied().unwrap_or(i64::MIN);
        let count: i64 = sqlx::query_scalar(&sql).bind(&origin).bind(after).fetch_one(&mut *conn).await?;
        n += count as u64;
    }
    Ok(n)
}

/// An SQL expression: whether the record of kind `kind` and id `id` (two SQL expressions) lies
/// within the territories of `temp.sync_scope` as its row says (a person or an appeal placed
/// nowhere lies within every scope; a record of another kind is shared, a directory's).
fn lies_within(kind: &str, id: &str) -> String {
    format!(
        "CASE {kind}
             WHEN 'contact' THEN (SELECT r.territory_id IS NULL OR r.territory_id IN temp.sync_scope
                                  FROM contacts r WHERE r.id = {id})
             WHEN 'initiative' THEN (SELECT r.territory_id IN temp.sync_scope FROM initiatives r WHERE r.id = {id})
             WHEN 'event' THEN (SELECT r.territory_id IN temp.sync_scope FROM events r WHERE r.id = {id})
             WHEN 'appeal' THEN (SELECT t IS NULL OR t IN temp.sync_scope FROM
                 (SELECT coalesce(a.territory_id, c.territory_id) AS t FROM appeals a
                    LEFT JOIN contacts c ON c.id = a.author_contact_id WHERE a.id = {id}))
             ELSE 1 END"
    )
}

/// [`Store::missing_for`] on `conn`.
async fn missing_for(conn: &mut SqliteConnection, territory: Id) -> Result<Missing> {
    if territory.is_nil() {
        return Ok(Missing::Wait);
    }
    let parent: Option<Option<Id>> = sqlx::query_scalar("SELECT parent_id FROM territories WHERE id = ?")
        .bind(territory)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(if matches!(parent, Some(Some(_))) { Missing::LeaveOut } else { Missing::Wait })
}

/// The latest clock of the entries this office holds from each origin among `changes`.
async fn latest_held<'c, B>(tx: &mut SqliteConnection, changes: &[&'c Change<B>]) -> Result<HashMap<&'c str, i64>> {
    let origins: HashSet<&str> = changes.iter().map(|c| c.replica.as_str()).collect();
    let mut latest = HashMap::new();
    for origin in origins {
        let held: Option<i64> = sqlx::query_scalar("SELECT max(hlc) FROM history WHERE device = ?")
            .bind(origin)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(held) = held {
            latest.insert(origin, held);
        }
    }
    Ok(latest)
}

/// The records among `changes` that were erased here.
async fn erased_among<B: Body>(tx: &mut SqliteConnection, changes: &[Change<B>]) -> Result<HashSet<Id>> {
    if !any_erased(tx).await? {
        return Ok(HashSet::new());
    }
    let mut erased = HashSet::new();
    for id in changes.iter().map(|c| c.entity_id).collect::<HashSet<_>>() {
        if is_erased(tx, id).await? {
            erased.insert(id);
        }
    }
    // A file attached to an erased person's record is hers too: its description (her file's
    // name) is never stored again.
    for c in changes.iter().filter(|c| c.entity == Entity::Attachment) {
        let owner = c.changes.new_of("owner_id").and_then(|v| v.as_str().and_then(|s| s.parse::<Id>().ok()));
        if let Some(owner) = owner
            && is_erased(tx, owner).await?
        {
            erased.insert(c.entity_id);
        }
    }
    Ok(erased)
}

/// The history's columns [`raw_change_of`] reads: `SELECT {CHANGE_COLUMNS} FROM history …`.
pub(super) const CHANGE_COLUMNS: &str = "id, entity, entity_id, op, at, device, actor, hlc, changes";

pub(super) fn change_of(r: &sqlx::sqlite::SqliteRow) -> Result<Change> {
    Ok(raw_change_of(r)?.read())
}

/// A history row as a change, its body left as text.
pub(super) fn raw_change_of(r: &sqlx::sqlite::SqliteRow) -> Result<RawChange> {
    let entity: String = r.try_get("entity")?;
    let changes: String = r.try_get("changes")?;
    Ok(Change {
        id: r.try_get("id")?,
        entity: Entity::parse(&entity).ok_or_else(|| {
            crate::Error::Storage(crate::Text::new(
                format!("неизвестный вид записи {entity}"),
                format!("unknown kind of record {entity}"),
            ))
        })?,
        entity_id: r.try_get("entity_id")?,
        op: r.try_get("op")?,
        at: r.try_get("at")?,
        replica: r.try_get("device")?,
        actor: r.try_get("actor")?,
        hlc: r.try_get("hlc")?,
        changes: RawValue::from_string(changes).unwrap_or_default(),
    })
}
