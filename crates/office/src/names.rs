//! Records found by the names people give them where there is no list to pick from (the `mestno`
//! command's filters): a program by its code, a territory by its name.

use mestno_core::Store;
use mestno_core::model::Id;

use crate::AppError;

/// The program with `code` (case and «ё» ignored), e.g. «ППМИ».
pub async fn program_by_code(store: &Store, code: &str) -> Result<Id, AppError> {
    Ok(store.find_program(code).await?)
}

/// The territory called `name` (case and «ё» ignored); refused when several share the name.
pub async fn territory_by_name(store: &Store, name: &str) -> Result<Id, AppError> {
    Ok(store.find_territory(name).await?)
}
