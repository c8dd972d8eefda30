//! The TypeScript declarations of every type that crosses IPC, generated from the Rust types
//! (ts-rs) into `ui/src/bindings/`: one file per type, `index.ts` re-exporting them, and
//! `codes.ts` with the Russian and English names of every closed list.
//!
//! Every type a command of the table takes or returns is exported with the types it holds; the
//! list below adds those that cross otherwise (the error, progress events, the closed lists).
//!
//! The files are committed; `tests/app` fails when they drift from the Rust types, and
//! `MESTNO_BLESS=1 cargo test --test app bindings` rewrites them.

use std::fmt::Write as _;
use std::path::Path;

use mestno_core::model::{
    AppealChannel, AppealStatus, AttendeeRole, ConsentMethod, ContactKind, ErasureBasis, EventKind, InitiatorKind,
    ObjectType, ProgramKind, Role, Stage, TerritoryKind,
};
use mestno_core::money::FundingSource;
use mestno_core::store::Op;
use mestno_core::{Entity, Lang};
use mestno_import::{Field, Kind as ImportKind};
use mestno_reports::ReportKind;
use ts_rs::{Config, TS, TypeVisitor};

use crate::AppError;

/// How the declarations are written into `dir`: i64 crosses as a JSON number (ids are UUIDs,
/// money is kopecks, far below 2^53).
pub fn config(dir: &Path) -> Config {
    Config::new().with_large_int("number").with_out_dir(dir)
}

/// Writes every declaration into `dir` (which should be empty).
pub fn export(dir: &Path) -> Result<(), ts_rs::ExportError> {
    use mestno_core::model as m;
    use mestno_core::store as s;
    let cfg = config(dir);
    crate::commands::export_types(&cfg)?;
    crate::AppInfo::export_all(&cfg)?;
    crate::OfficeSetup::export_all(&cfg)?;
    crate::DemoScale::export_all(&cfg)?;
    crate::Progress::export_all(&cfg)?;
    AppError::export_all(&cfg)?;
    m::TerritoryInput::export_all(&cfg)?;
    m::Territory::export_all(&cfg)?;
    s::TerritoryNode::export_all(&cfg)?;
    m::ProgramInput::export_all(&cfg)?;
    m::Program::export_all(&cfg)?;
    m::InitiativeInput::export_all(&cfg)?;
    m::Initiative::export_all(&cfg)?;
    s::InitiativeQuery::export_all(&cfg)?;
    s::InitiativeRow::export_all(&cfg)?;
    s::InitiativeCheck::export_all(&cfg)?;
    m::ContactInput::export_all(&cfg)?;
    m::ConsentInput::export_all(&cfg)?;
    m::Contact::export_all(&cfg)?;
    s::ContactQuery::export_all(&cfg)?;
    s::ContactRow::export_all(&cfg)?;
    s::ContactActivity::export_all(&cfg)?;
    m::EventInput::export_all(&cfg)?;
    m::Event::export_all(&cfg)?;
    s::EventQuery::export_all(&cfg)?;
    s::EventRow::export_all(&cfg)?;
    s::Page::<()>::export_all(&cfg)?;
    s::Stats::export_all(&cfg)?;
    s::StatsFilter::export_all(&cfg)?;
    s::SearchHit::export_all(&cfg)?;
    s::HistoryEntry::export_all(&cfg)?;
    s::SyncConflict::export_all(&cfg)?;
    mestno_reports::ReportRequest::export_all(&cfg)?;
    mestno_reports::ReportSummary::export_all(&cfg)?;
    m::ErasureRequest::export_all(&cfg)?;
    m::ErasureLogEntry::export_all(&cfg)?;
    crate::erasure::Erased::export_all(&cfg)?;
    crate::import::ImportOpened::export_all(&cfg)?;
    crate::import::ImportCheck::export_all(&cfg)?;
    crate::import::ImportDone::export_all(&cfg)?;
    crate::import::MergeCandidate::export_all(&cfg)?;
    AppealChannel::export_all(&cfg)?;
    AppealStatus::export_all(&cfg)?;
    Lang::export_all(&cfg)?;
    mestno_core::Entity::export_all(&cfg)?;
    write(dir.join("codes.ts"), &codes())?;
    write(dir.join("index.ts"), &index(dir)?)?;
    Ok(())
}

/// Writes the declaration of `T` if it has one of its own (a struct or an enum), else of the
/// types it is made of (`Option<Territory>`, `Vec<SearchHit>`), each with the types it holds.
pub fn export_with_dependencies<T: TS + ?Sized + 'static>(cfg: &Config) -> Result<(), ts_rs::ExportError> {
    if T::output_path().is_some() {
        return T::export_all(cfg);
    }
    let mut parts = Parts { cfg, error: None };
    T::visit_dependencies(&mut parts);
    parts.error.map_or(Ok(()), Err)
}

/// Exports each type visited that has a declaration of its own.
struct Parts<'a> {
    cfg: &'a Config,
    error: Option<ts_rs::ExportError>,
}

impl TypeVisitor for Parts<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if self.error.is_none() && T::output_path().is_some() {
            self.error = T::export_all(self.cfg).err();
        }
    }
}

fn write(path: impl AsRef<Path>, text: &str) -> Result<(), ts_rs::ExportError> {
    Ok(std::fs::write(path, text)?)
}

/// `index.ts`: every generated type, re-exported.
fn index(dir: &Path) -> Result<String, ts_rs::ExportError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".ts").map(str::to_owned))
        .filter(|name| name != "index" && name != "codes")
        .collect();
    names.sort();
    let mut out = String::from(HEADER);
    for name in names {
        let _ = writeln!(out, "export type * from \"./{name}\";");
    }
    out.push_str("export * from \"./codes\";\n");
    Ok(out)
}

const HEADER: &str = "// Generated from Mestno's Rust types (crates/office/src/bindings.rs). Do not edit.\n";

/// `codes.ts`: for every closed list, its codes in display order with their Russian and English
/// names, so the UI never spells a stage or a source differently from the reports.
fn codes() -> String {
    let mut out = String::from(HEADER);
    out.push_str("\n/** A code of a closed list with the names a person reads. */\n");
    out.push_str("export interface Coded<C extends string> {\n  code: C;\n  ru: string;\n  en: string;\n}\n");
    list(&mut out, "Stage", "STAGES", Stage::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))));
    list(
        &mut out,
        "ObjectType",
        "OBJECT_TYPES",
        ObjectType::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "InitiatorKind",
        "INITIATOR_KINDS",
        InitiatorKind::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "FundingSource",
        "FUNDING_SOURCES",
        FundingSource::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "TerritoryKind",
        "TERRITORY_KINDS",
        TerritoryKind::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "ProgramKind",
        "PROGRAM_KINDS",
        ProgramKind::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "ContactKind",
        "CONTACT_KINDS",
        ContactKind::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(&mut out, "Role", "ROLES", Role::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))));
    list(
        &mut out,
        "ConsentMethod",
        "CONSENT_METHODS",
        ConsentMethod::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "EventKind",
        "EVENT_KINDS",
        EventKind::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "AttendeeRole",
        "ATTENDEE_ROLES",
        AttendeeRole::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "AppealChannel",
        "APPEAL_CHANNELS",
        AppealChannel::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "AppealStatus",
        "APPEAL_STATUSES",
        AppealStatus::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "ErasureBasis",
        "ERASURE_BASES",
        ErasureBasis::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(&mut out, "Op", "HISTORY_OPS", Op::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))));
    list(
        &mut out,
        "Entity",
        "ENTITIES",
        Entity::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    list(
        &mut out,
        "ReportKind",
        "REPORT_KINDS",
        ReportKind::ALL.iter().map(|v| (v.code(), v.title_in(Lang::Ru), v.title_in(Lang::En))),
    );
    list(
        &mut out,
        "ImportKind",
        "IMPORT_KINDS",
        ImportKind::ALL.iter().map(|v| (v.as_str(), v.label(Lang::Ru), v.label(Lang::En))),
    );
    // The fields a column can feed, per kind of records, in the order the wizard lists them.
    out.push_str("\nimport type { ImportField } from \"./ImportField\";\n");
    out.push_str("export const IMPORT_FIELDS: Readonly<Record<ImportKind, readonly Coded<ImportField>[]>> = {\n");
    for kind in ImportKind::ALL {
        let _ = writeln!(out, "  {}: [", kind.as_str());
        for f in kind.fields() {
            let _ = writeln!(
                out,
                "    {{ code: {:?}, ru: {:?}, en: {:?} }},",
                f.as_str(),
                f.label(Lang::Ru),
                f.label(Lang::En)
            );
        }
        out.push_str("  ],\n");
    }
    out.push_str("};\n");
    let all: Vec<Field> = ImportKind::ALL.iter().flat_map(|k| k.fields().iter().copied()).collect();
    let codes = |keep: fn(Field) -> bool| {
        let mut codes: Vec<&str> = all.iter().filter(|f| keep(**f)).map(|f| f.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        codes.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ")
    };
    out.push_str("\n/** Fields several columns may feed (two phone columns, say). */\n");
    let _ = writeln!(out, "export const IMPORT_MANY_FIELDS: readonly ImportField[] = [{}];", codes(Field::takes_many));
    out.push_str("\n/** Fields holding money, read in the unit the column counts in. */\n");
    let _ = writeln!(out, "export const IMPORT_MONEY_FIELDS: readonly ImportField[] = [{}];", codes(Field::is_money));
    out
}

fn list<'a>(out: &mut String, ty: &str, name: &str, items: impl Iterator<Item = (&'a str, &'a str, &'a str)>) {
    let _ = writeln!(out, "\nimport type {{ {ty} }} from \"./{ty}\";");
    let _ = writeln!(out, "export const {name}: readonly Coded<{ty}>[] = [");
    for (code, ru, en) in items {
        let _ = writeln!(out, "  {{ code: {code:?}, ru: {ru:?}, en: {en:?} }},");
    }
    out.push_str("];\n");
}
