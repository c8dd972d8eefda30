//! The commands the window calls. Each takes its arguments and the [`Office`], makes one call
//! into the core, and returns; the list in `list.in` (read by `build.rs`, which turns every
//! command into a permission) names the same commands as [`handler`].

mod contacts;
mod events;
mod import;
mod initiatives;
mod office;
mod privacy;
mod records;
mod reports;
mod settings;

use tauri::State;
use tauri::ipc::Invoke;

use crate::{AppError, Office};

/// What every command returns.
type Reply<T> = Result<T, AppError>;
/// The office, as commands receive it.
type OfficeState<'a> = State<'a, Office>;

/// The handler that routes the window's calls to the commands.
pub fn handler<R: tauri::Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        office::app_info,
        office::unlock_office,
        office::setup_office,
        office::load_demo,
        office::set_lang,
        settings::territories,
        settings::territory,
        settings::save_territory,
        settings::delete_territory,
        settings::programs,
        settings::program,
        settings::save_program,
        settings::delete_program,
        records::stats,
        records::search,
        records::history,
        initiatives::list_initiatives,
        initiatives::initiative,
        initiatives::save_initiative,
        initiatives::check_initiative,
        initiatives::change_stage,
        initiatives::delete_initiative,
        contacts::list_contacts,
        contacts::contact,
        contacts::save_contact,
        contacts::delete_contact,
        contacts::add_consent,
        contacts::withdraw_consent,
        contacts::contact_activity,
        contacts::merge_contacts,
        privacy::export_person,
        privacy::erase_person,
        privacy::erasure_log,
        privacy::erasure_act,
        events::list_events,
        events::event,
        events::save_event,
        events::delete_event,
        reports::export_report,
        reports::reveal,
        import::take_open_file,
        import::import_open,
        import::import_sheet,
        import::import_check,
        import::import_commit,
        import::import_problems,
        import::import_close,
    ]
}

/// The commands [`handler`] routes, as `build.rs` reads them.
pub const NAMES: &[&str] = &include!("list.in");
