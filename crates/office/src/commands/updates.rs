//! Updates of the app: the office's address and consent, kept in its settings; the look and the
//! install, done by the front end (the desktop shell's updater checks the signature).

use super::{Call, Reply};
use crate::updates::{self, UpdateCheck, UpdateSettings};

pub(super) async fn update_settings(call: Call<'_>) -> Reply<UpdateSettings> {
    updates::settings(call.store()?).await
}

pub(super) async fn save_update_settings(call: Call<'_>, settings: UpdateSettings) -> Reply<UpdateSettings> {
    updates::save_settings(call.store()?, settings).await
}

pub(super) async fn check_update(call: Call<'_>) -> Reply<UpdateCheck> {
    let url = updates::address(call.store()?).await?;
    call.shell.check_update(&url).await
}

pub(super) async fn install_update(call: Call<'_>) -> Reply<()> {
    call.shell.install_update().await
}

pub(super) async fn restart_app(call: Call<'_>) -> Reply<()> {
    call.shell.restart()
}
