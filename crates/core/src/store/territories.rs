//! Territories: the region → district → settlement tree, with population by year.

use serde::Serialize;
use sqlx::{Row, SqliteConnection};

use super::bulk::{insert_rows, rows};
use super::{Store, bump_stamp, delete_record, exists, history, stamp_from};
use crate::error::{Entity, Error, Problems, Result, Text};
use crate::model::{Id, Population, Territory, TerritoryInput, TerritoryKind};
use crate::text::fold;

/// A territory in the tree, for pickers and the population figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TerritoryNode {
    /// Id.
    pub id: Id,
    /// Parent.
    pub parent_id: Option<Id>,
    /// Level.
    pub kind: TerritoryKind,
    /// Name.
    pub name: String,
}

impl Store {
    /// Adds a territory.
    pub async fn create_territory(&self, input: TerritoryInput) -> Result<Territory> {
        let mut tx = self.begin().await?;
        check_territory(&mut tx, &input, None).await?;
        let id = self.new_id();
        insert_territory(self, &mut tx, id, &input, serde_json::Value::Null).await?;
        tx.commit().await?;
        self.territory(id).await
    }

    /// Changes a territory; `rev` is the revision the caller last saw.
    pub async fn update_territory(&self, id: Id, rev: i64, input: TerritoryInput) -> Result<Territory> {
        let old = self.territory(id).await?;
        let mut tx = self.begin().await?;
        check_territory(&mut tx, &input, Some(id)).await?;
        bump_stamp(self, &mut tx, Entity::Territory, id, rev).await?;
        write_fields(&mut tx, id, &input).await?;
        let (old_v, new_v) =
            (serde_json::to_value(&old.input).unwrap_or_default(), serde_json::to_value(&input).unwrap_or_default());
        if let Some(changes) = history::diff(&old_v, &new_v) {
            history::record(self, &mut tx, Entity::Territory, id, history::Op::Update, changes).await?;
        }
        tx.commit().await?;
        self.territory(id).await
    }

    /// Deletes a territory nothing refers to.
    pub async fn delete_territory(&self, id: Id) -> Result<()> {
        let old = self.territory(id).await?;
        delete_record(self, Entity::Territory, id, serde_json::to_value(&old.input).unwrap_or_default()).await
    }

    /// One territory.
    pub async fn territory(&self, id: Id) -> Result<Territory> {
        let mut conn = self.reader().acquire().await?;
        territory_on(&mut conn, id).await
    }

    /// Every territory, sorted by name (an office has hundreds, not millions).
    pub async fn territories(&self) -> Result<Vec<TerritoryNode>> {
        sqlx::query("SELECT id, parent_id, kind, name FROM territories ORDER BY sort_key, id")
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|r| {
                Ok(TerritoryNode {
                    id: r.try_get("id")?,
                    parent_id: r.try_get("parent_id")?,
                    kind: r.try_get("kind")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Finds a territory by its name, ignoring case and «ё»; a name that fits several is refused
    /// with the candidates listed.
    pub async fn find_territory(&self, name: &str) -> Result<Id> {
        let rows = sqlx::query(
            "SELECT t.id, t.name, p.name AS parent FROM territories t LEFT JOIN territories p ON p.id = t.parent_id
             WHERE t.sort_key = ? ORDER BY p.sort_key",
        )
        .bind(fold(name))
        .fetch_all(self.reader())
        .await?;
        match rows.as_slice() {
            [] => Err(Error::not_found(Entity::Territory, name)),
            [one] => Ok(one.try_get("id")?),
            many => {
                let places: Vec<String> = many
                    .iter()
                    .map(|r| {
                        format!(
                            "{} ({})",
                            r.get::<String, _>("name"),
                            r.get::<Option<String>, _>("parent").unwrap_or_default()
                        )
                    })
                    .collect();
                Err(Error::Ambiguous(Text::new(
                    format!("название «{name}» носят несколько территорий: {}; уточните", places.join(", ")),
                    format!("several territories are called «{name}»: {}; be more precise", places.join(", ")),
                )))
            }
        }
    }
}

/// Writes a stored territory's fields and population (not its stamp or history).
pub(crate) async fn write_fields(tx: &mut SqliteConnection, id: Id, input: &TerritoryInput) -> Result<()> {
    sqlx::query("UPDATE territories SET parent_id = ?, kind = ?, name = ?, sort_key = ?, oktmo = ? WHERE id = ?")
        .bind(input.parent_id)
        .bind(input.kind)
        .bind(input.name.trim())
        .bind(fold(&input.name))
        .bind(&input.oktmo)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM territory_population WHERE territory_id = ?").bind(id).execute(&mut *tx).await?;
    write_population(tx, id, &input.population).await
}

/// Writes a checked territory with the id given, its population and its history entry (`extra`
/// fields, such as the file it was imported from, are added to the entry) on the caller's
/// transaction.
pub(crate) async fn insert_territory(
    store: &Store,
    conn: &mut SqliteConnection,
    id: Id,
    input: &TerritoryInput,
    extra: serde_json::Value,
) -> Result<()> {
    insert_rows(&mut *conn, vec![rows::Territory::of(id, input, store.made())]).await?;
    write_population(conn, id, &input.population).await?;
    let mut changes = history::created(&serde_json::to_value(input).unwrap_or_default());
    if let (Some(changes), Some(extra)) = (changes.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            changes.insert(k.clone(), serde_json::json!({ "new": v }));
        }
    }
    history::record(store, conn, Entity::Territory, id, history::Op::Create, changes).await
}

async fn check_territory(conn: &mut SqliteConnection, input: &TerritoryInput, id: Option<Id>) -> Result<()> {
    let mut p = Problems::default();
    input.validate(&mut p);
    if let Some(parent) = input.parent_id {
        if !exists(conn, Entity::Territory, parent).await? {
            p.push("parent_id", "вышестоящая территория не найдена", "the parent territory does not exist");
        } else if let Some(id) = id {
            let cycle: Option<i64> = sqlx::query_scalar(
                "WITH RECURSIVE up(id) AS (SELECT ? UNION ALL SELECT t.parent_id FROM territories t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL)
                 SELECT 1 FROM up WHERE id = ? LIMIT 1",
            )
            .bind(parent)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            if cycle.is_some() {
                p.push("parent_id", "территория не может входить сама в себя", "a territory cannot be inside itself");
            }
        }
    }
    p.into_result()
}

async fn write_population(conn: &mut SqliteConnection, id: Id, years: &[Population]) -> Result<()> {
    let years: Vec<rows::Population> =
        years.iter().map(|p| rows::Population { territory_id: id, year: p.year, population: p.population }).collect();
    insert_rows(conn, years).await
}

/// [`Store::territory`] on `conn` (a write transaction sees what it wrote).
pub(crate) async fn territory_on(conn: &mut SqliteConnection, id: Id) -> Result<Territory> {
    let row = sqlx::query("SELECT * FROM territories WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(Entity::Territory, id))?;
    let population =
        sqlx::query("SELECT year, population FROM territory_population WHERE territory_id = ? ORDER BY year")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok(Population { year: r.try_get("year")?, population: r.try_get("population")? }))
            .collect::<Result<Vec<_>>>()?;
    Ok(Territory {
        id,
        input: TerritoryInput {
            parent_id: row.try_get("parent_id")?,
            kind: row.try_get("kind")?,
            name: row.try_get("name")?,
            oktmo: row.try_get("oktmo")?,
            population,
        },
        stamp: stamp_from(&row)?,
    })
}
