//! Integration tests of the store over a real SQLite file in a temporary folder; modules
//! mirror `src/store`.

mod util;

mod contacts;
mod erasure;
mod events;
mod initiatives;
mod maintenance;
mod open;
mod person;
mod programs;
mod search;
mod stats;
mod sync;
mod sync_erasure;
mod sync_schedules;
mod territories;
