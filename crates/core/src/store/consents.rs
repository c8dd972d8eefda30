//! Consent to the processing of personal data (152-ФЗ): given by a person, withdrawn on a day.

use chrono::NaiveDate;
use sqlx::Row;

use super::bulk::{insert_rows, rows};
use super::{Store, history};
use crate::error::{Entity, Error, Problems, Result};
use crate::model::{ConsentInput, Contact, ContactKind, Id};

impl Store {
    /// Records a person's consent to the processing of their data.
    pub async fn add_consent(&self, contact_id: Id, consent: ConsentInput) -> Result<Contact> {
        let mut p = Problems::default();
        consent.validate(&mut p, self.clock().today());
        p.into_result()?;
        let mut tx = self.begin().await?;
        let kind: Option<ContactKind> = sqlx::query_scalar("SELECT kind FROM contacts WHERE id = ?")
            .bind(contact_id)
            .fetch_optional(&mut *tx)
            .await?;
        match kind {
            None => return Err(Error::not_found(Entity::Contact, contact_id)),
            Some(ContactKind::Organisation) => {
                return Err(Error::refused(
                    "согласие на обработку персональных данных дают люди, а не организации",
                    "consent is given by people, not organisations",
                ));
            }
            Some(ContactKind::Person) => {}
        }
        let id = self.new_id();
        insert_rows(&mut tx, vec![rows::Consent::of(id, contact_id, &consent, self.made())]).await?;
        let changes = serde_json::json!({ "consent": { "new": consent }, "consent_id": { "new": id } });
        history::record(self, &mut tx, Entity::Contact, contact_id, history::Op::Update, changes).await?;
        tx.commit().await?;
        self.contact(contact_id).await
    }

    /// Records that a consent was withdrawn on `on`.
    pub async fn withdraw_consent(&self, consent_id: Id, on: NaiveDate) -> Result<Contact> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT contact_id, given_on, withdrawn_on FROM consents WHERE id = ?")
            .bind(consent_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Consent, consent_id))?;
        let contact_id: Id = row.try_get("contact_id")?;
        let given_on: NaiveDate = row.try_get("given_on")?;
        let mut p = Problems::default();
        if row.try_get::<Option<NaiveDate>, _>("withdrawn_on")?.is_some() {
            p.push("withdrawn_on", "согласие уже отозвано", "the consent is already withdrawn");
        }
        if on < given_on || on > self.clock().today() {
            p.push(
                "withdrawn_on",
                "дата отзыва — между датой согласия и сегодняшним днём",
                "the withdrawal date must fall between the consent and today",
            );
        }
        p.into_result()?;
        sqlx::query("UPDATE consents SET withdrawn_on = ? WHERE id = ?")
            .bind(on)
            .bind(consent_id)
            .execute(&mut *tx)
            .await?;
        let changes = serde_json::json!({ "consent_withdrawn_on": { "old": null, "new": on }, "consent_id": { "new": consent_id } });
        history::record(self, &mut tx, Entity::Contact, contact_id, history::Op::Update, changes).await?;
        tx.commit().await?;
        self.contact(contact_id).await
    }
}
