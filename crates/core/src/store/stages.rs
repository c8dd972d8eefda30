//! An initiative's way through the stages: each move checked, dated and kept.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::SqliteConnection;

use super::bulk::{insert_rows, rows};
use super::{Store, bump_stamp, history};
use crate::error::{Entity, FieldError, Problems, Result};
use crate::model::{Id, Initiative, Stage, check_date};

impl Store {
    /// Moves an initiative to another stage on `on`, keeping the dated change.
    pub async fn change_stage(&self, id: Id, rev: i64, to: Stage, on: NaiveDate, note: &str) -> Result<Initiative> {
        let current = self.initiative(id).await?;
        let mut tx = self.begin().await?;
        self.write_stage_move(&mut tx, &current, rev, to, on, note, &current.flags, None).await?;
        tx.commit().await?;
        self.initiative(id).await
    }

    /// Checks and writes a stage change of the stored initiative `current` inside the caller's
    /// transaction; `flags` are the program's rules it breaks (which stop it from moving to a
    /// stage where they bind), `origin` the file an import brought the change from, if any.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn write_stage_move(
        &self,
        tx: &mut SqliteConnection,
        current: &Initiative,
        rev: i64,
        to: Stage,
        on: NaiveDate,
        note: &str,
        flags: &[FieldError],
        origin: Option<&str>,
    ) -> Result<()> {
        let id = current.id;
        let mut p = Problems::default();
        p.extend(self.stage_move_problems(current, to, on, flags));
        p.into_result()?;
        bump_stamp(self, &mut *tx, Entity::Initiative, id, rev).await?;
        sqlx::query("UPDATE initiatives SET stage = ?, stage_on = ? WHERE id = ?")
            .bind(to)
            .bind(on)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.write_stage_change(&mut *tx, id, Some(current.stage), to, on, note).await?;
        let mut changes = json!({ "stage": { "old": current.stage, "new": to }, "stage_on": { "old": current.stage_on, "new": on }, "note": { "new": note } });
        if let Some(origin) = origin {
            changes["imported_from"] = json!({ "new": origin });
        }
        history::record(self, &mut *tx, Entity::Initiative, id, history::Op::Stage, changes).await?;
        Ok(())
    }

    /// Writes a move of the initiative `id` to `to` on `on`.
    pub(super) async fn write_stage_change(
        &self,
        conn: &mut SqliteConnection,
        id: Id,
        from: Option<Stage>,
        to: Stage,
        on: NaiveDate,
        note: &str,
    ) -> Result<()> {
        insert_rows(conn, vec![rows::StageChange::of(self.new_id(), id, from, to, on, note, self.made())]).await
    }

    /// What stops the stored initiative `current` from moving to `to` on `on`: a move its stage
    /// does not allow, a date out of order or still to come, and — where `to` binds the
    /// program's co-financing rules — the rules it breaks (`flags`). Empty when it may move.
    pub fn stage_move_problems(
        &self,
        current: &Initiative,
        to: Stage,
        on: NaiveDate,
        flags: &[FieldError],
    ) -> Vec<FieldError> {
        let mut p = Problems::default();
        if !current.stage.can_move_to(to) {
            p.push(
                "stage",
                format!("проект нельзя перевести из стадии «{}» в стадию «{}»", current.stage, to),
                format!(
                    "cannot move from «{}» to «{}»",
                    current.stage.label(crate::Lang::En),
                    to.label(crate::Lang::En)
                ),
            );
        }
        self.check_stage_date(&mut p, "on", on, Some(current.stage_on));
        if to.rules_binding() && !flags.is_empty() {
            p.push(
                "stage",
                format!("проект не соответствует условиям софинансирования программы: {}", join_messages(flags)),
                format!("the project breaks the program's co-financing rules: {}", join_messages_en(flags)),
            );
            p.extend(flags.iter().cloned());
        }
        p.into_vec()
    }

    /// Checks a stage date: a real day, not in the future, not before the `previous` change.
    pub(super) fn check_stage_date(&self, p: &mut Problems, field: &str, on: NaiveDate, previous: Option<NaiveDate>) {
        check_date(p, field, on);
        if on > self.clock().today() {
            p.push(field, "дата смены стадии ещё не наступила", "the stage date is in the future");
        }
        if let Some(prev) = previous
            && on < prev
        {
            p.push(
                field,
                format!("дата раньше предыдущей смены стадии ({})", prev.format("%d.%m.%Y")),
                format!("the date is before the previous stage change ({prev})"),
            );
        }
    }
}

fn join_messages(flags: &[FieldError]) -> String {
    flags.iter().map(|f| f.message.ru.as_str()).collect::<Vec<_>>().join("; ")
}

fn join_messages_en(flags: &[FieldError]) -> String {
    flags.iter().map(|f| f.message.en.as_str()).collect::<Vec<_>>().join("; ")
}
