//! Reads every report back with an independent reader and checks every figure against the
//! database: calamine here, openpyxl (and the stdlib sqlite3) in `python`, and LibreOffice's own
//! recalculation in `libreoffice`. Modules mirror `src`.

mod util;

mod card;
mod contacts;
mod engagement;
mod erasure_act;
mod funding;
mod libreoffice;
mod person;
mod python;
mod registry;
