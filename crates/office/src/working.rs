//! Who works at the computer: one of the office's staff (its profile), remembered in the office's
//! settings and named by the change history of everything done from then on — here, and in every
//! office the changes reach. Until someone is chosen, the history names the computer's login.

use mestno_core::{ErrorCode, FieldError, Store};
use serde::Serialize;

use crate::error::AppError;
use crate::office::Office;

/// The setting that keeps the name of the person at the computer.
const WORKING: &str = "working_person";

/// Who the history names for the changes made here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WorkingPerson {
    /// One of the office's staff, once chosen.
    pub name: Option<String>,
    /// The computer's login, which the history names while no one is chosen.
    pub login: String,
}

impl Office {
    /// Who works at the computer.
    pub async fn working_person(&self) -> Result<WorkingPerson, AppError> {
        let store = self.store()?;
        Ok(WorkingPerson { name: chosen(&store).await?, login: self.actor().to_owned() })
    }

    /// Says `name` (one of the office's staff) works at the computer from now on, or, with `None`,
    /// that no one in particular does (the history names the login again). A name not on the
    /// staff is refused and nothing changes.
    pub async fn set_working_person(&self, name: Option<String>) -> Result<WorkingPerson, AppError> {
        let store = self.store()?;
        let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if let Some(name) = &name
            && !store.office_profile().await?.staff.contains(name)
        {
            let mut e = AppError::new(
                ErrorCode::Invalid,
                "Такого сотрудника нет в профиле офиса: сначала добавьте его в список",
                "There is no such person on the office's staff: add them to the list first",
            );
            e.fields.push(FieldError::new("name", "нет в списке сотрудников", "not on the staff"));
            return Err(e);
        }
        store.set_setting(WORKING, name.as_deref().unwrap_or_default()).await?;
        self.name_in_history(&store, name.clone());
        Ok(WorkingPerson { name, login: self.actor().to_owned() })
    }

    /// Names the chosen person in the history of `store`, just opened; after the staff changed,
    /// forgets a person no longer on it.
    pub(crate) async fn resume_working_person(&self, store: &Store) -> Result<(), AppError> {
        let name = chosen(store).await?;
        let on_staff = match &name {
            Some(name) => store.office_profile().await?.staff.contains(name),
            None => true,
        };
        if !on_staff {
            store.set_setting(WORKING, "").await?;
        }
        self.name_in_history(store, name.filter(|_| on_staff));
        Ok(())
    }

    fn name_in_history(&self, store: &Store, name: Option<String>) {
        store.set_actor(name.unwrap_or_else(|| self.actor().to_owned()));
    }
}

async fn chosen(store: &Store) -> Result<Option<String>, AppError> {
    Ok(store.setting(WORKING).await?.filter(|n| !n.is_empty()))
}
