//! Residents' appeals and proposals, and turning one into an initiative.

use chrono::NaiveDate;
use sqlx::Row;

use super::bulk::{insert_rows, rows};
use super::{Store, exists, history, stamp_from};
use crate::error::{Entity, Error, Problems, Result};
use crate::model::{Appeal, AppealInput, AppealStatus, Id, Initiative, InitiativeInput, Stage};

impl Store {
    /// Registers an appeal.
    pub async fn create_appeal(&self, input: AppealInput) -> Result<Appeal> {
        let mut p = Problems::default();
        input.validate(&mut p, self.clock().today());
        let mut tx = self.begin().await?;
        if let Some(t) = input.territory_id
            && !exists(&mut tx, Entity::Territory, t).await?
        {
            p.push("territory_id", "территория не найдена", "unknown territory");
        }
        if let Some(c) = input.author_contact_id
            && !exists(&mut tx, Entity::Contact, c).await?
        {
            p.push("author_contact_id", "автор не найден среди контактов", "the author is not a contact");
        }
        p.into_result()?;
        let id = self.new_id();
        insert_rows(&mut tx, vec![rows::Appeal::of(id, &input, self.made())]).await?;
        history::record(
            self,
            &mut tx,
            Entity::Appeal,
            id,
            history::Op::Create,
            history::created(&serde_json::to_value(&input).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        self.appeal(id).await
    }

    /// One appeal.
    pub async fn appeal(&self, id: Id) -> Result<Appeal> {
        let row = sqlx::query("SELECT * FROM appeals WHERE id = ?")
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or_else(|| Error::not_found(Entity::Appeal, id))?;
        Ok(Appeal {
            id,
            input: AppealInput {
                received_on: row.try_get("received_on")?,
                channel: row.try_get("channel")?,
                author_contact_id: row.try_get("author_contact_id")?,
                territory_id: row.try_get("territory_id")?,
                text: row.try_get("text")?,
                status: row.try_get("status")?,
            },
            initiative_id: row.try_get("initiative_id")?,
            stamp: stamp_from(&row)?,
        })
    }

    /// Turns an appeal into a new initiative (an idea dated `on`) and keeps the link.
    pub async fn convert_appeal(
        &self,
        appeal_id: Id,
        rev: i64,
        initiative: InitiativeInput,
        on: NaiveDate,
    ) -> Result<(Appeal, Initiative)> {
        let appeal = self.appeal(appeal_id).await?;
        if appeal.initiative_id.is_some() {
            return Err(Error::refused("обращение уже стало проектом", "the appeal has already become an initiative"));
        }
        if appeal.stamp.rev != rev {
            return Err(Error::Conflict { entity: Entity::Appeal });
        }
        let mut tx = self.begin().await?;
        let initiative_id = self.insert_initiative(&mut tx, initiative, Stage::Idea, on).await?;
        super::bump_stamp(self, &mut tx, Entity::Appeal, appeal_id, rev).await?;
        sqlx::query("UPDATE appeals SET status = ?, initiative_id = ? WHERE id = ?")
            .bind(AppealStatus::Converted)
            .bind(initiative_id)
            .bind(appeal_id)
            .execute(&mut *tx)
            .await?;
        let changes = serde_json::json!({
            "status": { "old": appeal.input.status, "new": AppealStatus::Converted },
            "initiative_id": { "old": null, "new": initiative_id },
        });
        history::record(self, &mut tx, Entity::Appeal, appeal_id, history::Op::Update, changes).await?;
        tx.commit().await?;
        Ok((self.appeal(appeal_id).await?, self.initiative(initiative_id).await?))
    }
}
