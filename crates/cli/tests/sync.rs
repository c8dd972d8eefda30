//! `mestno sync`: a district office and a settlement office exchange packages by file.

mod support;

use support::Office;

#[test]
fn two_offices_exchange_packages_from_the_command_line() {
    let district = Office::new();
    district.ok(&["init", "--office", "Проектный офис Абанского района"]);
    let top = district.add("territory", r#"{"parent_id": null, "kind": "district", "name": "Абанский район"}"#);
    assert!(top.status.success(), "{}", String::from_utf8_lossy(&top.stderr));
    let top_id = String::from_utf8(top.stdout).unwrap().trim().to_owned();
    let village_json = format!(r#"{{"parent_id": "{top_id}", "kind": "locality", "name": "с. Берёзовка"}}"#);
    let added = district.add("territory", &village_json);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let village_id = String::from_utf8(added.stdout).unwrap().trim().to_owned();

    let village = Office::new();
    village.ok(&["init", "--office", "Администрация с. Берёзовка"]);
    let district_card = district.path("район.mestno-pair");
    let village_card = village.path("село.mestno-pair");
    let said = district.ok(&["sync", "card", "-o", district_card.to_str().unwrap()]);
    assert!(said.contains("Код для сверки"), "{said}");
    village.ok(&["sync", "card", "-o", village_card.to_str().unwrap()]);
    district.ok(&["sync", "pair", village_card.to_str().unwrap(), "--territory", &village_id]);
    village.ok(&["sync", "pair", district_card.to_str().unwrap()]);

    let status = district.json(&["sync", "status", "--json"]);
    assert_eq!(status["partners"][0]["office"], "Администрация с. Берёзовка");
    let package = district.path("1.mestno-sync");
    let written =
        district.ok(&["sync", "export", "--to", "Администрация с. Берёзовка", "-o", package.to_str().unwrap()]);
    assert!(written.contains("Пакет записан"), "{written}");
    let dry = village.json(&["sync", "import", package.to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(dry["applied"]["added"]["territory"], 2, "{dry}");
    let listed = village.json(&["list", "territories", "--json"]);
    assert_eq!(listed, serde_json::json!([]), "a dry run writes nothing");
    let loaded = village.ok(&["sync", "import", package.to_str().unwrap()]);
    assert!(loaded.contains("Загружен пакет № 1"), "{loaded}");
    let again = village.run(&["sync", "import", package.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("уже загружен"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(village.json(&["sync", "conflicts", "--json"]), serde_json::json!([]));
}

/// Two paired offices: a district holding `contacts` people in с. Берёзовка, and the village
/// office, which has loaded nothing yet. Returns the package the district made for it.
fn paired_with_a_package(district: &Office, village: &Office, contacts: usize) -> std::path::PathBuf {
    district.ok(&["init", "--office", "Проектный офис Абанского района"]);
    let top = district.add("territory", r#"{"parent_id": null, "kind": "district", "name": "Абанский район"}"#);
    let top_id = String::from_utf8(top.stdout).unwrap().trim().to_owned();
    let child = format!(r#"{{"parent_id": "{top_id}", "kind": "locality", "name": "с. Берёзовка"}}"#);
    let village_id = String::from_utf8(district.add("territory", &child).stdout).unwrap().trim().to_owned();
    let mut list = String::from("ФИО;Населённый пункт;Телефон\n");
    for i in 0..contacts {
        list.push_str(&format!(
            "Житель{i} Иван;с. Берёзовка;8 913 {:03}-{:02}-{:02}\n",
            i / 10_000,
            i / 100 % 100,
            i % 100
        ));
    }
    let file = district.path("list.csv");
    std::fs::write(&file, list).unwrap();
    district.ok(&["import", "contacts", file.to_str().unwrap()]);

    village.ok(&["init", "--office", "Администрация с. Берёзовка"]);
    let (dc, vc) = (district.path("d.mestno-pair"), village.path("v.mestno-pair"));
    district.ok(&["sync", "card", "-o", dc.to_str().unwrap()]);
    village.ok(&["sync", "card", "-o", vc.to_str().unwrap()]);
    district.ok(&["sync", "pair", vc.to_str().unwrap(), "--territory", &village_id]);
    village.ok(&["sync", "pair", dc.to_str().unwrap()]);
    let package = district.path("big.mestno-sync");
    district.ok(&["sync", "export", "--to", "Администрация с. Берёзовка", "-o", package.to_str().unwrap()]);
    package
}

#[test]
fn a_package_load_killed_while_it_writes_leaves_the_database_as_it_was() {
    let (district, village) = (Office::new(), Office::new());
    let package = paired_with_a_package(&district, &village, 10_000);
    let check_before: serde_json::Value = village.json(&["check", "--json"]);

    // A dry run does all the work and keeps none of it: how long the load takes here.
    let started = std::time::Instant::now();
    village.ok(&["sync", "import", package.to_str().unwrap(), "--dry-run"]);
    let takes = started.elapsed();

    let mut child = village.cmd().args(["sync", "import", package.to_str().unwrap()]).spawn().unwrap();
    std::thread::sleep(takes * 2 / 3);
    assert!(child.try_wait().unwrap().is_none(), "the kill must land while the package loads");
    child.kill().unwrap();
    assert!(!child.wait().unwrap().success());

    let check = village.json(&["check", "--json"]);
    assert_eq!(check["ok"], true, "the file is sound: {check}");
    assert_eq!(check["counts"], check_before["counts"], "nothing of the package is in the database");
    assert_eq!(village.json(&["list", "territories", "--json"]), serde_json::json!([]));
    // The same package loads whole afterwards: it was never counted as loaded.
    let loaded = village.ok(&["sync", "import", package.to_str().unwrap()]);
    assert!(loaded.contains("добавлено: контакты 10000"), "{loaded}");
    assert_eq!(village.json(&["check", "--json"])["ok"], true);
}

/// A district and a village paired, the village holding the district's first package, and a
/// file `name` of `size` bytes attached at the district to its first contact: the offices, that
/// contact's id and what `mestno attach` said.
fn a_file_attached_at_the_district(name: &str, size: usize) -> (Office, Office, String, String) {
    let (district, village) = (Office::new(), Office::new());
    let first = paired_with_a_package(&district, &village, 1);
    village.ok(&["sync", "import", first.to_str().unwrap()]);
    let contacts = district.json(&["list", "contacts", "--json"]);
    let person = contacts["items"][0]["id"].as_str().unwrap().to_owned();
    let file = district.path(name);
    std::fs::write(&file, vec![7u8; size]).unwrap();
    let attached = district.ok(&["attach", &person, file.to_str().unwrap()]);
    (district, village, person, attached)
}

/// A file attached from the command line: `sync status` shows it waiting with its size, a
/// package carries it only with `--files`, and the village lists it, its content received.
#[test]
fn an_attached_file_goes_in_a_package_made_with_files() {
    let (district, village, person, attached) = a_file_attached_at_the_district("согласие Жителя.pdf", 3000);
    assert!(attached.contains("согласие Жителя.pdf") && attached.contains("3000 байт"), "{attached}");

    let status = district.ok(&["sync", "status"]);
    assert!(status.contains("файлов к отправке: 1 (2,9 КБ)"), "{status}");
    let plain = district.path("2.mestno-sync");
    let said = district.ok(&["sync", "export", "--to", "Администрация с. Берёзовка", "-o", plain.to_str().unwrap()]);
    assert!(said.contains("файлы не вложены: 1 (2,9 КБ); чтобы отправить их, добавьте --files"), "{said}");
    village.ok(&["sync", "import", plain.to_str().unwrap()]);
    let listed = village.ok(&["files", &person]);
    assert!(listed.contains("согласие Жителя.pdf") && listed.contains("ещё не получено"), "{listed}");

    // The village's answer says it lacks the content; the next package with files brings it.
    let answer = village.path("answer.mestno-sync");
    village.ok(&["sync", "export", "--to", "Проектный офис Абанского района", "-o", answer.to_str().unwrap()]);
    district.ok(&["sync", "import", answer.to_str().unwrap()]);
    let with = district.path("3.mestno-sync");
    let said =
        district.ok(&["sync", "export", "--to", "Администрация с. Берёзовка", "-o", with.to_str().unwrap(), "--files"]);
    assert!(said.contains("файлов в пакете: 1 (2,9 КБ)"), "{said}");
    let loaded = village.ok(&["sync", "import", with.to_str().unwrap()]);
    assert!(loaded.contains("файлов получено: 1 (2,9 КБ)"), "{loaded}");
    let files = village.json(&["files", &person, "--json"]);
    assert_eq!(files[0]["file_name"], "согласие Жителя.pdf");
    assert_eq!(files[0]["held"], true, "{files}");
    let checked = village.ok(&["check"]);
    assert!(!checked.contains("пропал"), "{checked}");
}

/// A file too large for any package is named apart by `sync status` and by the export, not left
/// behind silently; the package is made all the same.
#[test]
fn a_file_too_large_for_a_package_is_named_by_the_status_and_the_export() {
    let (district, _village, person, _) = a_file_attached_at_the_district("сход.mp4", 4000);
    let sha256 = district.json(&["files", &person, "--json"])[0]["sha256"].as_str().unwrap().to_owned();
    // Its content grown past the limit on disk, sparse: what the size is read from.
    let files = district.path("office.sqlite.files");
    let content = files.join(&sha256[..2]).join(&sha256);
    std::fs::File::options().write(true).open(content).unwrap().set_len(600 << 20).unwrap();

    let status = district.ok(&["sync", "status"]);
    assert!(status.contains("    файлы больше 512,0 МБ пакетом обмена не отправляются: 1 (600,0 МБ)"), "{status}");
    assert!(!status.contains("файлов к отправке"), "{status}");
    let package = district.path("2.mestno-sync");
    let said = district.ok(&[
        "sync",
        "export",
        "--to",
        "Администрация с. Берёзовка",
        "-o",
        package.to_str().unwrap(),
        "--files",
    ]);
    assert!(said.contains("файлов в пакете: 0"), "{said}");
    assert!(
        said.contains("\n  файлы больше 512,0 МБ пакетом обмена не отправляются: 1 (600,0 МБ); передайте их иначе"),
        "{said}"
    );
    assert!(std::fs::metadata(&package).unwrap().len() < 1 << 20);
}
