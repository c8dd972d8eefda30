//! The command line's help in English. The Russian help is the doc comments in [`crate::args`],
//! [`crate::office`], [`crate::report`], [`crate::import`], [`crate::person`] and [`crate::sync`]; each of their
//! texts has its line here, keyed by where it is: `mestno list` (a command), `mestno list what`
//! (its argument, by id; a global argument under `mestno`), `mestno list what=initiatives` (a
//! value it takes). A unit test (`help::tests`) fails when a Russian text has no English line, or
//! a line here has no Russian text.

/// (where, English).
pub const HELP: &[(&str, &str)] = &[
    ("mestno", "Mestno — a project office's data: territories, programs, initiatives, contacts, events."),
    ("mestno db", "The database file (by default in the user's data folder, where the app keeps it)."),
    ("mestno lang", "The language of messages: ru or en."),
    (
        "mestno passphrase_env",
        "The database is protected by the password in this environment variable (for scripts and tests) rather than \
         by a key in the system's password store. Without it a password is asked for when the store cannot be reached.",
    ),
    ("mestno init", "Create an empty office database (for an existing one, change the office's details given)."),
    ("mestno init office", "The office's name (the operator of personal data)."),
    (
        "mestno init address",
        "The office's address (for a data subject's records and the acts of destruction of personal data).",
    ),
    (
        "mestno init responsible",
        "The one responsible for organising the processing of personal data: surname and initials (their line to \
         sign in an act of destruction).",
    ),
    ("mestno init responsible_position", "The position of the one responsible for processing personal data."),
    (
        "mestno init staff",
        "A member of the office's staff (may be given several times): the list replaces the old one.",
    ),
    (
        "mestno init working",
        "Who works at this computer (one of the staff): the change history names them here and in the offices the \
         changes reach. An empty string: no one in particular (the history names the computer's login).",
    ),
    (
        "mestno office",
        "The office's details that a data subject's records and the acts of destruction print: name, address, the \
         one responsible for organising the processing of personal data; the staff and who works at this computer.",
    ),
    ("mestno office json", "Print JSON."),
    ("mestno demo", "Fill an empty database with realistic demo data."),
    ("mestno demo scale", "How much: small, medium or large."),
    ("mestno demo seed", "The generator's seed: the same seed gives the same data."),
    ("mestno stats", "Figures: initiatives by stage, funds by source, engagement."),
    ("mestno stats program", "The program's code (as the office entered it)."),
    ("mestno stats year", "The year."),
    ("mestno stats territory", "The territory (its name)."),
    ("mestno stats json", "Print JSON."),
    ("mestno search", "Search initiatives, contacts and events."),
    ("mestno search text", "What to look for."),
    ("mestno search limit", "How many results to show."),
    ("mestno search json", "Print JSON."),
    ("mestno list", "List records."),
    ("mestno list what", "What to list."),
    ("mestno list what=initiatives", "Initiatives."),
    ("mestno list what=contacts", "Contacts."),
    ("mestno list what=events", "Events."),
    ("mestno list what=territories", "Territories."),
    ("mestno list what=programs", "Programs."),
    ("mestno list program", "The program's code."),
    ("mestno list year", "The year."),
    ("mestno list territory", "The territory (its name)."),
    ("mestno list text", "Text to look for within the list."),
    ("mestno list limit", "How many rows."),
    ("mestno list json", "Print JSON."),
    ("mestno show", "Show one record in full (JSON)."),
    ("mestno show what", "What to show."),
    ("mestno show what=territory", "A territory."),
    ("mestno show what=program", "A program."),
    ("mestno show what=initiative", "An initiative."),
    ("mestno show what=contact", "A contact."),
    ("mestno show what=event", "An event."),
    ("mestno show id", "The record's id."),
    ("mestno add", "Add a record from JSON (a file or the standard input)."),
    ("mestno add what", "What to add."),
    ("mestno add what=territory", "A territory."),
    ("mestno add what=program", "A program."),
    ("mestno add what=initiative", "An initiative."),
    ("mestno add what=contact", "A contact."),
    ("mestno add what=event", "An event."),
    ("mestno add file", "The JSON file; without it the JSON is read from the standard input."),
    ("mestno stage", "Move an initiative to another stage."),
    ("mestno stage id", "The initiative's id."),
    (
        "mestno stage to",
        "The new stage: idea, discussion, application, selected, rejected, implementation, completed, withdrawn.",
    ),
    ("mestno stage on", "The decision's date (DD.MM.YYYY or YYYY-MM-DD); today by default."),
    ("mestno stage note", "A note, such as the number of the minutes."),
    (
        "mestno merge",
        "Merge two contacts of one person: the second goes into the first (phones, consents and attendance at events \
         pass to the first; the second is deleted).",
    ),
    ("mestno merge keep", "The contact that stays."),
    ("mestno merge duplicate", "The duplicate that goes into the first."),
    ("mestno history", "A record's change history."),
    ("mestno history id", "The record's id."),
    ("mestno attach", "Attach a file (minutes, a photo, a scan) to an initiative, event, contact or appeal."),
    ("mestno attach id", "The record's id."),
    ("mestno attach file", "The file; the database keeps a copy of it."),
    ("mestno files", "The files attached to a record."),
    ("mestno files id", "The record's id."),
    ("mestno files json", "Print JSON."),
    ("mestno check", "Check the database's integrity."),
    ("mestno check json", "Print JSON."),
    ("mestno backup", "Back the database up into a file (encrypted; its key file .key.json is put beside it)."),
    ("mestno backup file", "The backup file (must not exist yet)."),
    (
        "mestno backup backup_passphrase_env",
        "Encrypt the backup with the password in this environment variable, to open it on another computer \
         (without it the backup opens only with this computer's key).",
    ),
    (
        "mestno restore",
        "Restore the database from a backup; the previous database is kept beside it (.before-restore).",
    ),
    ("mestno restore file", "The backup file (its key file .key.json beside it)."),
    (
        "mestno restore backup_passphrase_env",
        "The backup's password is in this environment variable (if the backup was made with a password).",
    ),
    (
        "mestno report",
        "Write a report to Excel (.xlsx): the registry, funding, engagement, an initiative's card, contacts.",
    ),
    (
        "mestno report what",
        "The report: registry — the registry of initiatives, funding — the funds raised, engagement — public \
         engagement, initiative — an initiative's card, contacts — contacts (as their consents allow).",
    ),
    ("mestno report what=registry", "The registry of initiatives."),
    ("mestno report what=funding", "Co-financing and the funds raised."),
    ("mestno report what=engagement", "Public engagement."),
    ("mestno report what=initiative", "An initiative's card."),
    ("mestno report what=contacts", "Contacts."),
    ("mestno report program", "The program's code (registry, funding, engagement)."),
    ("mestno report year", "The year (registry, funding, engagement)."),
    ("mestno report territory", "The territory (its name): it and everything within it."),
    ("mestno report id", "The initiative's id (an initiative's card)."),
    ("mestno report output", "The .xlsx file to write the report to (replaced if it exists)."),
    ("mestno import", "Import initiatives, contacts or events from Excel or CSV: all or nothing."),
    (
        "mestno import what",
        "What to import: initiatives — initiatives (a registry), contacts — contacts, events — events.",
    ),
    ("mestno import what=initiatives", "Initiatives."),
    ("mestno import what=contacts", "Contacts."),
    ("mestno import what=events", "Events."),
    (
        "mestno import file",
        "The file: .xlsx, .xls, .ods or .csv (UTF-8 with or without BOM, Windows-1251, UTF-16; separated by «;», «,» or tab).",
    ),
    ("mestno import sheet", "The workbook's sheet (by default the one where a fitting table is found)."),
    ("mestno import mapping", "The column mapping (JSON), saved the last time or written by hand."),
    (
        "mestno import save_mapping",
        "Save the column mapping used into a file (JSON), to import the same way the next time.",
    ),
    ("mestno import dry_run", "Only check the file; write nothing."),
    (
        "mestno import create_territories",
        "Create the territories the file names that the office's list lacks (districts and localities, within \
         their district if the file has a district column); with --dry-run only show which would be created.",
    ),
    (
        "mestno import skip_bad",
        "Import the rows without problems, leaving out the bad ones (by default all or nothing).",
    ),
    ("mestno import report", "Write a report of the problems and matches into an .xlsx file."),
    ("mestno import json", "Print the summary as JSON."),
    (
        "mestno person",
        "A person's requests under the personal data law (152-FZ): export what is held about them, erase their data \
         with an act.",
    ),
    ("mestno person export", "Export everything held about a person to Excel (part 7 of article 14 of 152-FZ)."),
    ("mestno person export id", "The contact's id."),
    ("mestno person export output", "The .xlsx file (replaced if it exists)."),
    ("mestno person erase", "Destroy a person's personal data on request and write the act of destruction."),
    ("mestno person erase id", "The contact's id."),
    ("mestno person erase reason", "Why the data are destroyed (goes into the act)."),
    ("mestno person erase request", "The request's registration number (the act identifies the subject by it)."),
    ("mestno person erase requested_on", "The day the request came in (DD.MM.YYYY or YYYY-MM-DD); today by default."),
    ("mestno person erase basis", "The ground under 152-FZ."),
    ("mestno person erase basis=request", "The subject's demand (part 1 of art. 14, part 3 of art. 20)."),
    ("mestno person erase basis=withdrawal", "Consent withdrawn (part 5 of art. 21)."),
    ("mestno person erase basis=purpose", "The purpose of the processing achieved (part 4 of art. 21)."),
    ("mestno person erase basis=unlawful", "Unlawful processing (part 3 of art. 21)."),
    ("mestno person erase act", "The .xlsx file for the act of destruction."),
    ("mestno person erase json", "Print the log entry as JSON."),
    ("mestno person log", "The log of destruction of personal data."),
    ("mestno person log json", "Print JSON."),
    ("mestno person act", "Write the act again from an entry of the erasure log."),
    ("mestno person act log_id", "The log entry's id."),
    ("mestno person act output", "The .xlsx file (replaced if it exists)."),
    ("mestno sync", "Data exchange with other offices by package files (.mestno-sync): cards, packages, conflicts."),
    ("mestno sync card", "Write this office's card (.mestno-pair) for an office to exchange data with."),
    ("mestno sync card output", "The card file."),
    (
        "mestno sync card territory",
        "The territory this office answers for (its id; on the first card, when there are several top territories).",
    ),
    ("mestno sync pair", "Set up the exchange with an office from its card."),
    ("mestno sync pair card", "The other office's card file."),
    ("mestno sync pair territory", "The territory that office answers for here (its id), if not the one on its card."),
    ("mestno sync export", "Prepare an exchange package for an office: everything it does not have yet."),
    ("mestno sync export to", "The office: its name or id."),
    ("mestno sync export output", "The package file (.mestno-sync)."),
    (
        "mestno sync export files",
        "Put the content of attached files in the package too (`mestno sync status` shows how many and their \
         size); without it only their descriptions travel.",
    ),
    ("mestno sync import", "Load an exchange package (all of it or nothing)."),
    ("mestno sync import file", "The package file."),
    ("mestno sync import dry_run", "Only show what would change, writing nothing."),
    ("mestno sync import json", "Print JSON."),
    ("mestno sync status", "The offices exchange is set up with, and what waits to be sent."),
    ("mestno sync status json", "Print JSON."),
    ("mestno sync join", "Join the office to a shared server by its invitation file (.mestno-server)."),
    ("mestno sync join file", "The invitation file."),
    ("mestno sync server", "Sync with the shared server now: send what is new here, receive what is new there."),
    ("mestno sync server json", "Print JSON."),
    ("mestno server", "A district's or region's shared server (PostgreSQL): set it up, add and revoke offices."),
    (
        "mestno server url",
        "The server's address for its administrator: postgres://user:password@host:port/database (better in the \
         MESTNO_SERVER_URL environment variable).",
    ),
    (
        "mestno server init",
        "Prepare a PostgreSQL database as a Mestno server (schema, roles, row-level security); run again, it \
         updates the schema.",
    ),
    ("mestno server init ca", "The CA certificate (PEM) that signed the server's certificate: offices receive it."),
    (
        "mestno server init host",
        "The server's name for offices, as its certificate gives it (by default the address's).",
    ),
    ("mestno server add-office", "Add an office: its login and an invitation file for it."),
    ("mestno server add-office territory", "The office's territory (its id)."),
    ("mestno server add-office name", "The office's name."),
    (
        "mestno server add-office output",
        "The invitation file (.mestno-server); it holds a password, hand it over like a key.",
    ),
    ("mestno server list-offices", "The server's offices."),
    ("mestno server list-offices json", "Print JSON."),
    ("mestno server revoke-office", "Revoke an office's access: it can no longer connect; what it sent stays."),
    ("mestno server revoke-office login", "The office's login (mestno_…)."),
    ("mestno sync conflicts", "Conflicts: values the merge rule set aside."),
    ("mestno sync conflicts all", "Show resolved ones too."),
    ("mestno sync conflicts json", "Print JSON."),
];

/// A value's name in the usage (`<ПЕРЕМЕННАЯ>`), in English.
pub const VALUE_NAMES: &[(&str, &str)] = &[("ПЕРЕМЕННАЯ", "VARIABLE"), ("ФАЙЛ", "FILE"), ("ФИО", "NAME")];

/// The English text for `key`, if there is one, without its full stop (as clap shows the Russian).
pub fn help(key: &str) -> Option<&'static str> {
    HELP.iter().find(|(k, _)| *k == key).map(|(_, en)| en.strip_suffix('.').unwrap_or(en))
}
