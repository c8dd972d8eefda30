//! Contacts, initiatives and events imported from the user's own files, in English.

use super::{HEADINGS, Office};

#[test]
fn imports_speak_english() {
    let o = Office::new();
    o.ok(&["init"]);
    o.add("territory", r#"{"kind": "locality", "name": "Birch"}"#);
    let file = |name: &str, text: &str| {
        std::fs::write(o.path(name), text).unwrap();
        o.arg(name)
    };

    // contacts: a bad row refuses the file; a dry run; the rest imported with a report and a
    // saved mapping; JSON with the mapping.
    let contacts =
        file("contacts.csv", "ФИО;Населённый пункт;Телефон\nGreen Tom;Birch;8 913 555-77-88\nWhite Kate;Oak;2-12-34\n");
    o.fails_allowing(&["import", "contacts", &contacts], "nothing was imported", HEADINGS);
    let out = o.ok_allowing(&["import", "contacts", &contacts, "--dry-run", "--skip-bad"], HEADINGS);
    assert!(out.contains("nothing was written") && out.contains("row 3"), "{out}");
    let mapping = o.arg("contacts-mapping.json");
    let report = o.arg("problems.xlsx");
    let out = o.ok_allowing(
        &["import", "contacts", &contacts, "--skip-bad", "--report", &report, "--save-mapping", &mapping],
        HEADINGS,
    );
    assert!(out.contains("Imported: 1") && out.contains("Report: "), "{out}");
    o.ok_allowing(&["import", "contacts", &contacts, "--skip-bad", "--json", "--mapping", &mapping], HEADINGS);

    // initiatives: a territory the office lacks, shown, then created.
    let registry = file(
        "registry.csv",
        "Наименование проекта;Населённый пункт;Год;Общая стоимость\nStreet lights;Birch;2025;500000\n\
         Playground;Maple;2025;300000\n",
    );
    o.fails_allowing(&["import", "initiatives", &registry], "nothing was imported", HEADINGS);
    let out = o.ok_allowing(&["import", "initiatives", &registry, "--dry-run", "--create-territories"], HEADINGS);
    assert!(out.contains("Maple"), "the territory to be created is named: {out}");
    let out = o.ok_allowing(&["import", "initiatives", &registry, "--create-territories"], HEADINGS);
    assert!(out.contains("Imported: 2"), "{out}");

    // events: a date that does not exist.
    let events = file(
        "events.csv",
        "Дата;Вид мероприятия;Тема;Населённый пункт;Количество участников\n\
         12.03.2025;citizens_gathering;Spring gathering;Birch;85\n31.02.2025;subbotnik;Bad date;Birch;10\n",
    );
    o.fails_allowing(&["import", "events", &events, "--json"], "nothing was imported", HEADINGS);
    assert!(o.ok_allowing(&["import", "events", &events, "--skip-bad"], HEADINGS).contains("Imported: 1"));

    // files and options that cannot be imported.
    o.fails(&["import", "events", &events, "--mapping", &mapping], "the mapping was made for");
    o.fails(&["import", "events", &events, "--sheet", "Nope"], "no sheet «Nope»");
    o.fails(&["import", "contacts", &file("empty.csv", "")], "is empty");
    o.fails(&["import", "contacts", &o.arg("missing.csv")], "could not read");
    o.fails(&["import", "contacts", &file("garbage.xlsx", "PK\x03\x04 not really a workbook")], "damaged");
}
