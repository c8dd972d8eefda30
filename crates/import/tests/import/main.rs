//! The import over realistic and malformed files made here: registries, contact lists and
//! attendance sheets as offices keep them, and files that are cut short, foreign or broken.
//! Each test checks what a person would: rows imported, values exact, problems with row and
//! column, the database untouched when an import fails.

mod atomic;
mod contacts;
mod events;
mod files;
mod first_day;
mod hostile;
mod initiatives;
mod malformed;
mod util;
