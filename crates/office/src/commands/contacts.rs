//! Contacts, their 152-ФЗ consent, and what they took part in.

use chrono::NaiveDate;
use mestno_core::model::{ConsentInput, Contact, ContactInput, Id};
use mestno_core::store::{ContactActivity, ContactQuery, ContactRow, Page};

use super::{Call, Reply};

/// The most initiatives and events of a contact the window lists.
const ACTIVITY_LIMIT: u32 = 200;

pub(super) async fn list_contacts(call: Call<'_>, query: ContactQuery) -> Reply<Page<ContactRow>> {
    Ok(call.store()?.list_contacts(&query).await?)
}

pub(super) async fn contact(call: Call<'_>, id: Id) -> Reply<Contact> {
    Ok(call.store()?.contact(id).await?)
}

pub(super) async fn save_contact(
    call: Call<'_>,
    id: Option<Id>,
    rev: Option<i64>,
    input: ContactInput,
) -> Reply<Contact> {
    let store = call.store()?;
    Ok(match id {
        None => store.create_contact(input).await?,
        Some(id) => store.update_contact(id, rev.unwrap_or_default(), input).await?,
    })
}

pub(super) async fn delete_contact(call: Call<'_>, id: Id) -> Reply<()> {
    Ok(call.store()?.delete_contact(id).await?)
}

pub(super) async fn add_consent(call: Call<'_>, id: Id, input: ConsentInput) -> Reply<Contact> {
    Ok(call.store()?.add_consent(id, input).await?)
}

pub(super) async fn withdraw_consent(call: Call<'_>, id: Id, on: NaiveDate) -> Reply<Contact> {
    Ok(call.store()?.withdraw_consent(id, on).await?)
}

pub(super) async fn contact_activity(call: Call<'_>, id: Id) -> Reply<ContactActivity> {
    Ok(call.store()?.contact_activity(id, ACTIVITY_LIMIT).await?)
}

pub(super) async fn merge_contacts(call: Call<'_>, keep: Id, rev: i64, duplicate: Id) -> Reply<Contact> {
    Ok(call.store()?.merge_contacts(keep, rev, duplicate).await?)
}
