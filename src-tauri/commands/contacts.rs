//! Contacts, their 152-ФЗ consent, and what they took part in.

use chrono::NaiveDate;
use mestno_core::model::{ConsentInput, Contact, ContactInput, Id};
use mestno_core::store::{ContactActivity, ContactQuery, ContactRow, Page};

use super::{OfficeState, Reply};

/// The most initiatives and events of a contact the window lists.
const ACTIVITY_LIMIT: u32 = 200;

/// A page of the contacts list.
#[tauri::command]
pub async fn list_contacts(office: OfficeState<'_>, query: ContactQuery) -> Reply<Page<ContactRow>> {
    Ok(office.store()?.list_contacts(&query).await?)
}

/// One contact with roles, phones, e-mails and consents.
#[tauri::command]
pub async fn contact(office: OfficeState<'_>, id: Id) -> Reply<Contact> {
    Ok(office.store()?.contact(id).await?)
}

/// Adds a contact (no `id`) or changes one at revision `rev`.
#[tauri::command]
pub async fn save_contact(
    office: OfficeState<'_>,
    id: Option<Id>,
    rev: Option<i64>,
    input: ContactInput,
) -> Reply<Contact> {
    let store = office.store()?;
    Ok(match id {
        None => store.create_contact(input).await?,
        Some(id) => store.update_contact(id, rev.unwrap_or_default(), input).await?,
    })
}

/// Deletes a contact.
#[tauri::command]
pub async fn delete_contact(office: OfficeState<'_>, id: Id) -> Reply<()> {
    Ok(office.store()?.delete_contact(id).await?)
}

/// Records a consent the contact gave.
#[tauri::command]
pub async fn add_consent(office: OfficeState<'_>, id: Id, input: ConsentInput) -> Reply<Contact> {
    Ok(office.store()?.add_consent(id, input).await?)
}

/// Records that consent `id` was withdrawn on `on`.
#[tauri::command]
pub async fn withdraw_consent(office: OfficeState<'_>, id: Id, on: NaiveDate) -> Reply<Contact> {
    Ok(office.store()?.withdraw_consent(id, on).await?)
}

/// The initiatives a contact put forward and the events they attended.
#[tauri::command]
pub async fn contact_activity(office: OfficeState<'_>, id: Id) -> Reply<ContactActivity> {
    Ok(office.store()?.contact_activity(id, ACTIVITY_LIMIT).await?)
}

/// Merges contact `duplicate` into `keep` (last seen at `rev`): one person entered twice.
#[tauri::command]
pub async fn merge_contacts(office: OfficeState<'_>, keep: Id, rev: i64, duplicate: Id) -> Reply<Contact> {
    Ok(office.store()?.merge_contacts(keep, rev, duplicate).await?)
}
