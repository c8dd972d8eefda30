//! Attached files between two offices: a file's description travels with its record, its
//! content only in a package asked to carry files, the size shown first.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use mestno_core::model::*;
use mestno_core::money::Kopecks;
use mestno_core::store::{Attachment, Holdings, Scope};
use mestno_core::{FixedClock, Lang, Store};
use mestno_sync::exchange::{self, Files};
use mestno_sync::package::{self, Header, Identity};

fn territory(parent: Option<Id>, kind: TerritoryKind, name: &str) -> TerritoryInput {
    TerritoryInput { parent_id: parent, kind, name: name.into(), oktmo: String::new(), population: vec![] }
}

/// Content like a scan's: it does not compress, so a package's size shows whether it is in.
fn scan(dir: &Path, name: &str, size: usize, seed: u64) -> (PathBuf, Vec<u8>) {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let content: Vec<u8> = (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, &content).unwrap();
    (path, content)
}

/// A district office (answering for the district) and a village's (for one of its two villages),
/// paired, the village holding the district's territories.
struct Offices {
    _dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
    district: Store,
    village: Store,
    berezovka: Id,
    pokrovka: Id,
}

impl Offices {
    async fn new() -> Offices {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
        let district = Store::open(&dir.path().join("district.sqlite"), clock.clone(), "Район").await.unwrap();
        let village = Store::open(&dir.path().join("village.sqlite"), clock.clone(), "Село").await.unwrap();
        let top = district.create_territory(territory(None, TerritoryKind::District, "Абанский район")).await.unwrap();
        let berezovka =
            district.create_territory(territory(Some(top.id), TerritoryKind::Locality, "с. Берёзовка")).await.unwrap();
        let pokrovka =
            district.create_territory(territory(Some(top.id), TerritoryKind::Locality, "с. Покровка")).await.unwrap();
        exchange::pair(&district, &exchange::card(&village, None).await.unwrap(), Some(berezovka.id)).await.unwrap();
        exchange::pair(&village, &exchange::card(&district, Some(top.id)).await.unwrap(), None).await.unwrap();
        let o = Offices { _dir: dir, clock, district, village, berezovka: berezovka.id, pokrovka: pokrovka.id };
        o.send(&o.district, &o.village, Files::Leave).await;
        o
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// A project of the village with minutes of `size` bytes attached to it there.
    async fn project_with_minutes(&self, size: usize, seed: u64) -> (Initiative, Attachment) {
        let village = &self.village;
        let club = village.create_initiative(project(self.berezovka, "Клуб"), Stage::Idea, day("2025-10-01"));
        let club = club.await.unwrap();
        let (minutes, _) = scan(self.dir(), "протокол.pdf", size, seed);
        let file = village.attach(club.id, &minutes).await.unwrap();
        (club, file)
    }

    /// A package from `from` to `to`, loaded there.
    async fn send(&self, from: &Store, to: &Store, files: Files) -> (exchange::Made, exchange::Loaded) {
        self.clock.advance(Duration::minutes(1));
        let partner = exchange::find_partner(from, to.replica()).await.unwrap();
        let made = exchange::make(from, &partner, files).await.unwrap();
        let loaded = exchange::load(to, &made.bytes, false).await.unwrap();
        (made, loaded)
    }

    /// The files waiting at `from` for `to`: how many, and their size.
    async fn waiting(&self, from: &Store, to: &Store) -> (usize, i64) {
        let partner = exchange::find_partner(from, to.replica()).await.unwrap();
        let files = exchange::files_waiting(from, &partner).await.unwrap().files;
        (files.len(), files.iter().map(|f| f.size_bytes).sum())
    }
}

fn project(territory: Id, title: &str) -> InitiativeInput {
    mestno_demo::samples::project(territory, title, Kopecks::rubles(900_000))
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn content_of(store: &Store, a: &Attachment) -> Option<Vec<u8>> {
    std::fs::read(store.attachment_path(&a.sha256)).ok()
}

#[tokio::test]
async fn attached_files_travel_when_asked_and_the_size_is_shown_first() {
    let o = Box::pin(Offices::new()).await;
    let (district, village) = (&o.district, &o.village);

    // The village attaches the gathering's minutes to its project and a signed consent to a
    // resident; the district attaches an estimate to a project of the other village.
    let water = village.create_initiative(project(o.berezovka, "Ремонт водопровода"), Stage::Idea, day("2025-10-01"));
    let water = water.await.unwrap();
    let resident = village.create_contact(mestno_demo::samples::resident(o.berezovka, 1, "")).await.unwrap();
    let (minutes, minutes_bytes) = scan(o.dir(), "протокол схода.pdf", 300_000, 1);
    let (consent, consent_bytes) = scan(o.dir(), "согласие.jpg", 120_000, 2);
    let on_project = village.attach(water.id, &minutes).await.unwrap();
    let on_resident = village.attach(resident.id, &consent).await.unwrap();
    assert_eq!(on_project.owner_entity, mestno_core::Entity::Initiative);
    assert_eq!(on_resident.owner_entity, mestno_core::Entity::Contact);
    let roads =
        district.create_initiative(project(o.pokrovka, "Дорога"), Stage::Idea, day("2025-10-01")).await.unwrap();
    let (estimate, _) = scan(o.dir(), "смета Покровки.xlsx", 50_000, 3);
    let estimate = district.attach(roads.id, &estimate).await.unwrap();

    // The size is known before anything is sent.
    assert_eq!(o.waiting(village, district).await, (2, 420_000));

    // A package without files carries the descriptions only: the district lists the files,
    // says their content has not come, and its check finds nothing wrong with that.
    let (made, loaded) = o.send(village, district, Files::Leave).await;
    assert!(made.bytes.len() < 100_000, "no content in it: {} bytes", made.bytes.len());
    assert!(made.files.is_empty());
    assert_eq!(loaded.applied.added.get("attachment"), Some(&2), "{:?}", loaded.applied);
    assert_eq!(loaded.files, 0);
    let there = district.attachments(water.id).await.unwrap();
    assert_eq!(there.len(), 1);
    assert_eq!((there[0].file_name.as_str(), there[0].size_bytes), ("протокол схода.pdf", 300_000));
    assert!(!there[0].held && content_of(district, &there[0]).is_none());
    assert!(district.check().await.unwrap().ok, "{:?}", district.check().await.unwrap().problems);

    // The district's next package says which files it lacks; the village's next package with
    // files brings them, though their descriptions went before.
    // What «Обмен данными» says waits for the village is what the package holds: not the other
    // village's estimate.
    let to_village = exchange::find_partner(district, village.replica()).await.unwrap();
    let scope = Scope { territories: Some(district.subtree(o.berezovka).await.unwrap()) };
    let counted = district.count_changes_within(&to_village.acked, &scope).await.unwrap();
    let (made, _) = o.send(district, village, Files::Leave).await;
    assert_eq!(counted, made.changes, "the count of changes waiting");
    assert_eq!(o.waiting(village, district).await, (2, 420_000), "asked for by the district");
    // A preview says what comes and stores none of it.
    let partner = exchange::find_partner(village, district.replica()).await.unwrap();
    let preview = exchange::make(village, &partner, Files::Carry).await.unwrap();
    let previewed = exchange::load(district, &preview.bytes, true).await.unwrap();
    assert_eq!((previewed.files, previewed.files_bytes), (2, 420_000));
    assert!(content_of(district, &there[0]).is_none(), "a preview stores no file");
    let (made, loaded) = o.send(village, district, Files::Carry).await;
    assert!(made.bytes.len() > 420_000, "the content is in: {} bytes", made.bytes.len());
    assert_eq!((loaded.files, loaded.files_bytes), (2, 420_000));
    let there = district.attachments(water.id).await.unwrap();
    assert!(there[0].held);
    assert_eq!(content_of(district, &there[0]), Some(minutes_bytes));
    assert_eq!(content_of(district, &district.attachments(resident.id).await.unwrap()[0]), Some(consent_bytes));
    assert!(district.check().await.unwrap().ok);

    // Nothing waits any more either way; the other village's estimate never reaches Берёзовка.
    o.send(district, village, Files::Carry).await;
    assert_eq!(o.waiting(village, district).await, (0, 0));
    assert_eq!(o.waiting(district, village).await, (0, 0));
    assert!(village.initiative(roads.id).await.is_err());
    assert!(village.history(estimate.id).await.unwrap().is_empty(), "not even its description");
    assert!(village.conflicts(true).await.unwrap().is_empty());

    // A file attached now goes with its record's next package when asked, the size shown first.
    let (photo, photo_bytes) = scan(o.dir(), "фото после ремонта.jpg", 70_000, 4);
    village.attach(water.id, &photo).await.unwrap();
    assert_eq!(o.waiting(village, district).await, (1, 70_000));
    let (_, loaded) = o.send(village, district, Files::Carry).await;
    assert_eq!(loaded.files, 1);
    let there = district.attachments(water.id).await.unwrap();
    assert_eq!(content_of(district, &there[1]), Some(photo_bytes));
}

#[tokio::test]
async fn an_erased_persons_files_go_from_every_office_and_never_come_back() {
    let o = Box::pin(Offices::new()).await;
    let (district, village) = (&o.district, &o.village);
    let resident = village.create_contact(mestno_demo::samples::resident(o.berezovka, 1, "")).await.unwrap();
    let (passport, _) = scan(o.dir(), "паспорт Жителя.pdf", 40_000, 5);
    let file = village.attach(resident.id, &passport).await.unwrap();
    // What the village held before the erasure, as a replica that never heard of it would send.
    let before = village.changes_since(&Holdings::new(), &Scope::default()).await.unwrap();
    assert!(before.iter().any(|c| c.entity_id == file.id));
    o.send(village, district, Files::Carry).await;
    assert!(content_of(district, &file).is_some());

    o.clock.advance(Duration::minutes(1));
    let request = ErasureRequest {
        request_number: "ПД-3/2025".into(),
        requested_on: day("2025-10-28"),
        reason: "заявление субъекта".into(),
        basis: ErasureBasis::SubjectRequest,
    };
    let erased = village.erase_person(resident.id, request).await.unwrap();
    village.remove_unreferenced_files(&erased.unreferenced_files).await.unwrap();
    let (_, loaded) = o.send(village, district, Files::Leave).await;
    assert_eq!(loaded.applied.erased, 1);
    assert!(district.attachments(resident.id).await.unwrap().is_empty());
    assert!(content_of(district, &file).is_none(), "the content is gone at the district too");
    let history = district.history(file.id).await.unwrap();
    assert!(history.is_empty(), "no entry names her file: {history:?}");

    // Her file's entry, delivered again, is refused: neither the description nor the content
    // comes back.
    let again = district.apply_changes(&before, &Scope::default()).await.unwrap();
    assert!(again.refused > 0, "{again:?}");
    assert!(district.attachments(resident.id).await.unwrap().is_empty());
    assert!(district.history(file.id).await.unwrap().is_empty());
}

impl Offices {
    /// The village's next package to the district with files, its payload changed by `change`
    /// and sealed anew by the village (a partner's bug, or a partner turned hostile).
    async fn forged(&self, change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
        let (district, village) = (&self.district, &self.village);
        let me = Identity::from_secret(&village.setting("sync_identity").await.unwrap().unwrap()).unwrap();
        let card = exchange::partner_card(village, district.replica()).await.unwrap().unwrap();
        let partner = exchange::find_partner(village, district.replica()).await.unwrap();
        let made = exchange::make(village, &partner, Files::Carry).await.unwrap();
        let at_district = Identity::from_secret(&district.setting("sync_identity").await.unwrap().unwrap()).unwrap();
        let (header, payload) = package::open(&at_district, &made.bytes, |_| Some(me.card())).unwrap();
        let mut payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        change(&mut payload);
        let header = Header { seq: header.seq + 1, ..header };
        package::seal(&me, &card, &header, &serde_json::to_vec(&payload).unwrap()).unwrap()
    }
}

/// A person entered twice and merged at the village: her files follow her record at the district
/// too, and go with her when she is erased.
#[tokio::test]
async fn a_merged_persons_files_follow_her_record_and_are_erased_with_her() {
    let o = Box::pin(Offices::new()).await;
    let (district, village) = (&o.district, &o.village);
    let kept = village.create_contact(mestno_demo::samples::resident(o.berezovka, 1, "")).await.unwrap();
    let twice = village.create_contact(mestno_demo::samples::resident(o.berezovka, 1, "")).await.unwrap();
    let (consent, _) = scan(o.dir(), "согласие.pdf", 2_000, 8);
    let file = village.attach(twice.id, &consent).await.unwrap();
    o.send(village, district, Files::Carry).await;
    assert_eq!(district.attachments(twice.id).await.unwrap().len(), 1);

    o.clock.advance(Duration::minutes(1));
    village.merge_contacts(kept.id, kept.stamp.rev, twice.id).await.unwrap();
    o.send(village, district, Files::Leave).await;
    let there = district.attachments(kept.id).await.unwrap();
    assert_eq!(there.iter().map(|a| a.id).collect::<Vec<_>>(), vec![file.id], "the file follows the merge");

    o.clock.advance(Duration::minutes(1));
    let request = ErasureRequest {
        request_number: "ПД-4/2025".into(),
        requested_on: day("2025-10-28"),
        reason: "заявление субъекта".into(),
        basis: ErasureBasis::SubjectRequest,
    };
    village.erase_person(kept.id, request).await.unwrap();
    let (_, loaded) = o.send(village, district, Files::Leave).await;
    assert_eq!(loaded.applied.erased, 1, "{:?}", loaded.applied);
    assert!(district.attachments(kept.id).await.unwrap().is_empty());
    assert!(district.attachments(twice.id).await.unwrap().is_empty());
    assert!(content_of(district, &file).is_none());
    assert!(district.history(file.id).await.unwrap().is_empty());
}

/// A file damaged on the sender's disk stays out of its packages: the package still loads, and
/// the partner goes on asking for the file.
#[tokio::test]
async fn a_file_damaged_on_the_senders_disk_stays_out_of_its_package() {
    let o = Box::pin(Offices::new()).await;
    let (district, village) = (&o.district, &o.village);
    let (water, file) = o.project_with_minutes(5_000, 9).await;
    std::fs::write(village.attachment_path(&file.sha256), b"damaged").unwrap();
    // Another file's content is gone from the disk altogether.
    let (club, gone) = o.project_with_minutes(6_000, 10).await;
    std::fs::remove_file(village.attachment_path(&gone.sha256)).unwrap();
    let (made, loaded) = o.send(village, district, Files::Carry).await;
    assert!(made.files.is_empty());
    // Named as damaged or gone, not as waiting for a later package.
    let mut named: Vec<&str> = made.damaged.iter().map(|f| f.sha256.as_str()).collect();
    named.sort_unstable();
    let mut expected = [file.sha256.as_str(), gone.sha256.as_str()];
    expected.sort_unstable();
    assert_eq!(named, expected);
    assert!(made.left.is_empty() && made.too_large.is_empty());
    assert_eq!(loaded.files, 0);
    assert_eq!(loaded.applied.added.get("attachment"), Some(&2));
    assert!(!district.attachments(water.id).await.unwrap()[0].held);
    assert!(!village.check().await.unwrap().ok, "the village's check finds its damaged file");

    // Attached again from the original, the content is whole again (the damaged copy
    // replaced) and the next package with files carries both, once the district has asked.
    o.send(district, village, Files::Leave).await;
    for (record, size, seed) in [(water.id, 5_000, 9), (club.id, 6_000, 10)] {
        let (original, _) = scan(o.dir(), "протокол.pdf", size, seed);
        village.attach(record, &original).await.unwrap();
    }
    assert!(village.check().await.unwrap().ok, "{:?}", village.check().await.unwrap());
    let (made, _) = o.send(village, district, Files::Carry).await;
    assert!(made.damaged.is_empty(), "{:?}", made.damaged);
    assert!(district.attachments(water.id).await.unwrap().iter().all(|a| a.held));
    assert!(district.attachments(club.id).await.unwrap().iter().all(|a| a.held));
}

/// A file larger than a package carries is not silently left behind: it is named apart, both
/// before a package is made and in the package made, and the files that fit still travel.
#[tokio::test]
async fn a_file_too_large_for_any_package_is_named_apart_and_the_others_travel() {
    let o = Box::pin(Offices::new()).await;
    let (district, village) = (&o.district, &o.village);
    let (water, small) = o.project_with_minutes(5_000, 11).await;
    let (club, large) = o.project_with_minutes(6_000, 12).await;
    // The content on disk grown past the limit, without writing it: a sparse file (its size is
    // read from the disk, and content this large is never read).
    let big = exchange::FILES_PER_PACKAGE + 1;
    std::fs::File::options().write(true).open(village.attachment_path(&large.sha256)).unwrap().set_len(big).unwrap();

    let partner = exchange::find_partner(village, district.replica()).await.unwrap();
    let waiting = exchange::files_waiting(village, &partner).await.unwrap();
    fn names(files: &[mestno_core::store::FileToSend]) -> Vec<&str> {
        files.iter().map(|f| f.sha256.as_str()).collect()
    }
    assert_eq!(names(&waiting.files), [small.sha256.as_str()]);
    assert_eq!(names(&waiting.too_large), [large.sha256.as_str()]);
    assert_eq!(waiting.too_large[0].size_bytes, big as i64);

    let (made, loaded) = o.send(village, district, Files::Carry).await;
    assert_eq!(names(&made.files), [small.sha256.as_str()]);
    assert_eq!(names(&made.too_large), [large.sha256.as_str()]);
    assert!(made.left.is_empty() && made.damaged.is_empty());
    assert!(made.bytes.len() < 1 << 20, "the package does not carry the large file: {} bytes", made.bytes.len());
    assert_eq!(loaded.files, 1);
    assert!(district.attachments(water.id).await.unwrap()[0].held);
    assert!(!district.attachments(club.id).await.unwrap()[0].held, "its description came, its content did not");
    // Once the district's answer acknowledges the small file (and asks for the large one), a
    // package made without files leaves a new file waiting for a later package, and still names
    // the large one apart.
    o.send(district, village, Files::Leave).await;
    let (_, newer) = o.project_with_minutes(7_000, 13).await;
    let (made, _) = o.send(village, district, Files::Leave).await;
    assert_eq!(names(&made.left), [newer.sha256.as_str()]);
    assert_eq!(names(&made.too_large), [large.sha256.as_str()]);
}

/// A file said to belong to a record the district knows nothing of is refused: where it lies
/// cannot be told, so the village may not place it.
#[tokio::test]
async fn a_file_of_a_record_nobody_sent_is_refused() {
    let o = Box::pin(Offices::new()).await;
    let district = &o.district;
    let (_, file) = o.project_with_minutes(1_000, 10).await;
    let elsewhere = Id::from_u128(0x0190_f0c4_1234_7abc_8def_0123_4567_89ab);
    let forged = o
        .forged(|payload| {
            for change in payload["changes"].as_array_mut().unwrap() {
                if change["entity"] == "attachment" {
                    change["changes"]["owner_id"]["new"] = elsewhere.to_string().into();
                }
            }
        })
        .await;
    let loaded = exchange::load(district, &forged, false).await.unwrap();
    assert_eq!(loaded.applied.refused, 1, "{:?}", loaded.applied);
    assert_eq!(loaded.files, 0, "its content is not kept either");
    assert!(district.history(file.id).await.unwrap().is_empty());
    assert!(district.conflicts(true).await.unwrap().is_empty());
    assert!(!district.attachment_path(&file.sha256).exists());
}

/// A package whose file does not match the hash its description names is refused whole.
#[tokio::test]
async fn a_file_that_does_not_match_its_description_refuses_the_package() {
    let o = Box::pin(Offices::new()).await;
    let district = &o.district;
    let (water, file) = o.project_with_minutes(10_000, 6).await;

    // The village's own package, its file's content swapped for other bytes.
    let forged = o
        .forged(|payload| {
            assert_eq!(payload["files"][0]["sha256"], file.sha256.as_str());
            payload["files"][0]["content"] = "b3RoZXIgYnl0ZXM=".into();
        })
        .await;
    let refused = exchange::load(district, &forged, false).await.unwrap_err();
    assert!(refused.message(Lang::Ru).contains("не совпадает со своим описанием"), "{refused:?}");
    assert!(district.initiative(water.id).await.is_err(), "nothing of the package is stored");
    assert!(!district.attachment_path(&file.sha256).exists());
}

/// A description whose «hash» is a path out of the files folder is not stored, and names no file:
/// no package of the office that received it ever reads a file of the computer's for it.
#[tokio::test]
async fn a_description_naming_a_path_instead_of_a_hash_is_not_stored() {
    let o = Box::pin(Offices::new()).await;
    let district = &o.district;
    let (water, _) = o.project_with_minutes(1_000, 7).await;
    std::fs::write(o.dir().join("secret1.txt"), "не для чужих глаз").unwrap();
    // From the district's files folder up to the test's folder, 64 characters long as a hash.
    let path = format!("{}../secret1.txt", "./".repeat(25));
    assert_eq!(path.len(), 64);
    let forged = o
        .forged(|payload| {
            for change in payload["changes"].as_array_mut().unwrap() {
                if change["entity"] == "attachment" {
                    change["changes"]["sha256"]["new"] = path.clone().into();
                }
            }
            payload.as_object_mut().unwrap().remove("files");
        })
        .await;
    let loaded = exchange::load(district, &forged, false).await.unwrap();
    assert_eq!(loaded.applied.added.get("initiative"), Some(&1), "{:?}", loaded.applied);
    assert!(!loaded.applied.added.contains_key("attachment"), "{:?}", loaded.applied);
    assert!(district.attachments(water.id).await.unwrap().is_empty());
    let journal = district.conflicts(true).await.unwrap();
    assert_eq!(journal.len(), 1, "kept in «Расхождения» as a record not stored: {journal:?}");
    assert!(district.check().await.unwrap().ok);
}
