//! The office's profile, kept as settings: the one place that knows their keys.

use super::Store;
use crate::Result;
use crate::error::Problems;
use crate::model::OfficeProfile;

/// The settings a profile is kept in, each with the field it holds. `office_name` and
/// `office_address` are those Mestno has always kept, so an older office keeps its name.
const NAME: &str = "office_name";
const ADDRESS: &str = "office_address";
const RESPONSIBLE_NAME: &str = "office_responsible_name";
const RESPONSIBLE_POSITION: &str = "office_responsible_position";
/// The staff, as a JSON list of names.
const STAFF: &str = "office_staff";

impl Store {
    /// The office's profile; a value never set is empty.
    pub async fn office_profile(&self) -> Result<OfficeProfile> {
        let get = |key| async move { Ok::<_, crate::Error>(self.setting(key).await?.unwrap_or_default()) };
        Ok(OfficeProfile {
            name: get(NAME).await?,
            address: get(ADDRESS).await?,
            responsible_name: get(RESPONSIBLE_NAME).await?,
            responsible_position: get(RESPONSIBLE_POSITION).await?,
            staff: serde_json::from_str(&get(STAFF).await?).unwrap_or_default(),
        })
    }

    /// Stores `profile` (its values trimmed) in one transaction, and gives it back as stored. A
    /// profile without a name is refused with the field's error, and nothing is stored.
    pub async fn save_office_profile(&self, profile: &OfficeProfile) -> Result<OfficeProfile> {
        let profile = profile.trimmed();
        let mut p = Problems::default();
        profile.validate(&mut p);
        p.into_result()?;
        let staff = serde_json::to_string(&profile.staff).unwrap_or_else(|_| "[]".into());
        let mut tx = self.begin().await?;
        for (key, value) in [
            (STAFF, &staff),
            (NAME, &profile.name),
            (ADDRESS, &profile.address),
            (RESPONSIBLE_NAME, &profile.responsible_name),
            (RESPONSIBLE_POSITION, &profile.responsible_position),
        ] {
            sqlx::query(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(profile)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{Error, SystemClock};

    #[tokio::test]
    async fn a_profile_is_kept_trimmed_and_one_without_a_name_is_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("office.sqlite"), Arc::new(SystemClock), "тест").await.unwrap();
        assert_eq!(store.office_profile().await.unwrap(), OfficeProfile::default(), "a new office has none");

        let given = OfficeProfile {
            name: " Проектный офис Абанского района ".into(),
            address: "663740, с. Абан, ул. Пионерская, 4".into(),
            responsible_name: "Кузнецова Е. А.".into(),
            responsible_position: "заместитель главы района ".into(),
            staff: vec![" Петрова О. В.".into(), "".into(), "Сидоров И. П.".into(), "Петрова О. В. ".into()],
        };
        let saved = store.save_office_profile(&given).await.unwrap();
        assert_eq!(saved.name, "Проектный офис Абанского района", "spaces around a value are not kept");
        assert_eq!(saved.staff, ["Петрова О. В.", "Сидоров И. П."], "the staff without blanks or repeats, in order");
        assert_eq!(store.office_profile().await.unwrap(), saved, "read back as saved");

        let nameless = OfficeProfile { name: "  ".into(), address: "другой адрес".into(), ..saved.clone() };
        let Err(Error::Invalid(fields)) = store.save_office_profile(&nameless).await else {
            panic!("an office without a name is refused")
        };
        assert_eq!(fields[0].field, "name");
        assert_eq!(store.office_profile().await.unwrap(), saved, "nothing of the refused profile is stored");
        store.close().await;
    }
}
