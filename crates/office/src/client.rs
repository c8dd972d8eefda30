//! The window's typed client, `ui/src/ipc/backend.ts`, written from the command table: one
//! function per command, its parameters the command's arguments in the table's order, each
//! typed with the TypeScript type ts-rs gives the Rust type (the UI's own names `Id` and
//! `NaiveDate` where the table says so), its promise typed with the reply's.
//!
//! The file is committed; `tests/app` fails when it differs from what the table writes, and
//! `MESTNO_BLESS=1 cargo test --test app` rewrites it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use ts_rs::{Config, TS};

use crate::commands;

/// A command as the client sees it.
#[derive(Clone, Debug)]
pub struct Signature {
    /// Its name, as the window invokes it (`save_territory`).
    pub name: &'static str,
    /// Its doc comment from the table, a line each.
    pub doc: &'static str,
    /// Its arguments: each name as the table spells it, and its type.
    pub args: Vec<(&'static str, TsType)>,
    /// What it returns.
    pub output: TsType,
}

/// A type as the TypeScript client spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TsType(pub String);

/// Names the UI gives plain strings (`ui/src/ipc/types.ts`), used where the table's Rust type is
/// spelt so: `Id`, not `string`.
const UI_NAMES: [&str; 2] = ["Id", "NaiveDate"];

impl TsType {
    /// The TypeScript of `T`, spelt `rust` in the table.
    pub fn of<T: TS + ?Sized>(rust: &str, cfg: &Config) -> TsType {
        let rust: String = rust.split_whitespace().collect();
        let (inner, optional) = match rust.strip_prefix("Option<").and_then(|r| r.strip_suffix('>')) {
            Some(inner) => (inner, true),
            None => (rust.as_str(), false),
        };
        match UI_NAMES.iter().find(|name| **name == inner) {
            Some(name) if optional => TsType(format!("{name} | null")),
            Some(name) => TsType((*name).to_owned()),
            None => TsType(T::name(cfg)),
        }
    }
}

/// `ui/src/ipc/backend.ts` for `signatures`.
pub fn backend_ts(signatures: &[Signature]) -> String {
    let mut out = String::from(HEAD);
    let mut types = BTreeSet::new();
    for s in signatures {
        for ty in s.args.iter().map(|(_, ty)| ty).chain([&s.output]) {
            types.extend(type_names(&ty.0));
        }
    }
    out.push_str("import type {\n");
    for ty in &types {
        let _ = writeln!(out, "  {ty},");
    }
    out.push_str("} from './types';\n");
    out.push_str(CALL);
    for s in signatures {
        out.push('\n');
        let lines: Vec<&str> = s.doc.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        match lines.as_slice() {
            [] => {}
            [line] => {
                let _ = writeln!(out, "/** {line} */");
            }
            lines => {
                out.push_str("/**\n");
                for line in lines {
                    let _ = writeln!(out, " * {line}");
                }
                out.push_str(" */\n");
            }
        }
        let params: Vec<String> = s.args.iter().map(|(name, ty)| format!("{}: {}", camel(name), ty.0)).collect();
        let keys: Vec<String> = s.args.iter().map(|(name, _)| camel(name)).collect();
        let args = if keys.is_empty() { String::new() } else { format!(", {{ {} }}", keys.join(", ")) };
        let _ = writeln!(
            out,
            "export const {} = ({}) => call<{}>('{}'{args});",
            camel(s.name),
            params.join(", "),
            s.output.0,
            s.name
        );
    }
    out
}

/// `ui/src/ipc/backend.ts` for the command table.
pub fn generate() -> String {
    let cfg = crate::bindings::config(std::path::Path::new("."));
    backend_ts(&commands::signatures(&cfg))
}

const HEAD: &str = "\
// Generated from the command table (crates/office/src/commands/mod.rs): every command of the
// office, one typed function each, and the only place that calls invoke(). Do not edit; after
// changing the table run `MESTNO_BLESS=1 cargo test --test app`.

import { invoke } from '@tauri-apps/api/core';
import { BackendError, toAppError } from './errors';
";

const CALL: &str = "
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new BackendError(toAppError(e));
  }
}
";

/// `skip_bad` → `skipBad`: how the window names an argument (and a command's function).
pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// The declared types a TypeScript type names (`Page<InitiativeRow>` → `Page`, `InitiativeRow`),
/// leaving out TypeScript's own.
fn type_names(ts: &str) -> Vec<String> {
    ts.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
        .filter(|word| !matches!(*word, "Array" | "Record" | "Partial" | "Readonly"))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_becomes_one_typed_function_with_its_arguments_in_camel_case() {
        let cfg = Config::new().with_large_int("number");
        let signatures = [
            Signature {
                name: "save_territory",
                doc: " Adds a territory (no `id`) or changes one.\n",
                args: vec![
                    ("id", TsType::of::<Option<uuid_like::Id>>("Option< Id >", &cfg)),
                    ("input", TsType("TerritoryInput".into())),
                ],
                output: TsType("Territory".into()),
            },
            Signature {
                name: "import_commit",
                doc: "",
                args: vec![("skip_bad", TsType::of::<bool>("bool", &cfg))],
                output: TsType::of::<Vec<String>>("Vec<String>", &cfg),
            },
            Signature { name: "app_info", doc: "", args: vec![], output: TsType::of::<()>("()", &cfg) },
        ];
        let ts = backend_ts(&signatures);
        assert!(ts.contains("import type {\n  Id,\n  Territory,\n  TerritoryInput,\n} from './types';"), "{ts}");
        assert!(
            ts.contains(
                "/** Adds a territory (no `id`) or changes one. */\nexport const saveTerritory = (id: Id | null, \
                 input: TerritoryInput) => call<Territory>('save_territory', { id, input });"
            ),
            "the UI's name for an id, the object keyed as the command reads it: {ts}"
        );
        assert!(
            ts.contains(
                "export const importCommit = (skipBad: boolean) => call<Array<string>>('import_commit', { skipBad });"
            ),
            "{ts}"
        );
        assert!(ts.contains("export const appInfo = () => call<null>('app_info');"), "no arguments, no object: {ts}");
    }

    /// A stand-in for the core's `Id` (a UUID, a string in TypeScript).
    mod uuid_like {
        pub type Id = String;
    }
}
