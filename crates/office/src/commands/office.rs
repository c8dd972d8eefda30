//! The office itself: what the window shows first, the password, the first-start choice, the
//! profile and the language.

use mestno_core::Lang;
use mestno_core::model::OfficeProfile;

use super::{Call, Reply};
use crate::{AppInfo, DemoScale, OfficeSetup, WorkingPerson};

pub(super) async fn app_info(call: Call<'_>) -> Reply<AppInfo> {
    call.office.info().await
}

pub(super) async fn unlock_office(call: Call<'_>, passphrase: Option<String>) -> Reply<AppInfo> {
    call.office.unlock(passphrase).await
}

pub(super) async fn setup_office(call: Call<'_>, input: OfficeSetup) -> Reply<AppInfo> {
    call.office.set_up(input).await
}

pub(super) async fn load_demo(call: Call<'_>, scale: DemoScale) -> Reply<AppInfo> {
    call.office.load_demo(scale, &|p| call.shell.progress(p)).await
}

pub(super) async fn set_lang(call: Call<'_>, lang: Lang) -> Reply<()> {
    call.office.set_lang(lang).await
}

pub(super) async fn office_profile(call: Call<'_>) -> Reply<OfficeProfile> {
    call.office.profile().await
}

pub(super) async fn save_office_profile(call: Call<'_>, profile: OfficeProfile) -> Reply<OfficeProfile> {
    call.office.save_profile(profile).await
}

pub(super) async fn working_person(call: Call<'_>) -> Reply<WorkingPerson> {
    call.office.working_person().await
}

pub(super) async fn set_working_person(call: Call<'_>, name: Option<String>) -> Reply<WorkingPerson> {
    call.office.set_working_person(name).await
}
