use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Reader, Xlsx, open_workbook};

use crate::util::*;

/// A profile that makes LibreOffice recalculate every formula of an .xlsx it opens (by default
/// it trusts the cached values of files it takes for Excel's).
const RECALCULATE_ALWAYS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// Every formula cell of every sheet: (sheet, row, col, formula, cached value).
fn formula_cells(path: &Path) -> Vec<(String, u32, u32, String, f64)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let (values, formulas) = (book.worksheet_range(&name).unwrap(), book.worksheet_formula(&name).unwrap());
        for (r, c, f) in formulas.used_cells() {
            let (row, col) = (formulas.start().unwrap().0 + r as u32, formulas.start().unwrap().1 + c as u32);
            let value = match values.get_value((row, col)) {
                Some(calamine::Data::Float(x)) => *x,
                Some(calamine::Data::Int(x)) => *x as f64,
                other => panic!("{name}!({row},{col}) `{f}` has no numeric value: {other:?}"),
            };
            out.push((name.clone(), row, col, f.clone(), value));
        }
    }
    out
}

/// A workbook whose one formula caches a wrong value: proof that LibreOffice recalculated.
fn canary(dir: &Path) -> PathBuf {
    let path = dir.join("canary.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_formula(0, 0, rust_xlsxwriter::Formula::new("=1+1").set_result("5")).unwrap();
    book.save(&path).unwrap();
    path
}

#[tokio::test]
async fn libreoffice_recalculates_every_formula_to_its_cached_value() {
    let o = demo_office().await;
    let mut files = crate::python::write_all(&o).await;
    let work = o.dir.path();
    files.push(canary(work));
    let profile = work.join("lo-profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(profile.join("user/registrymodifications.xcu"), RECALCULATE_ALWAYS).unwrap();
    let out_dir = work.join("recalculated");
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "xlsx", "--outdir"])
        .arg(&out_dir)
        .args(&files)
        .output()
        .expect("LibreOffice runs (scripts/install-deps.sh installs libreoffice-calc)");
    assert!(status.status.success(), "soffice converted the files: {}", String::from_utf8_lossy(&status.stderr));

    let canary = formula_cells(&out_dir.join("canary.xlsx"));
    assert_eq!(canary[0].4, 2.0, "LibreOffice recalculated =1+1 instead of keeping the cached 5");
    let mut checked = 0;
    for file in &files[..files.len() - 1] {
        let name = file.file_name().unwrap();
        let recalculated = formula_cells(&out_dir.join(name));
        let lookup: std::collections::HashMap<(String, u32, u32), f64> =
            recalculated.into_iter().map(|(s, r, c, _, v)| ((s, r, c), v)).collect();
        for (sheet, row, col, formula, cached) in formula_cells(file) {
            let Some(&again) = lookup.get(&(sheet.clone(), row, col)) else {
                panic!("{name:?} {sheet}!({row},{col}) `{formula}` lost its formula")
            };
            let close = (again - cached).abs() <= 1e-9 * cached.abs().max(1.0);
            assert!(close, "{name:?} {sheet}!({row},{col}) `{formula}`: cached {cached}, LibreOffice computes {again}");
            if formula.starts_with("SUBTOTAL") || formula.starts_with("SUM") {
                assert_eq!(
                    (again * 100.0).round(),
                    (cached * 100.0).round(),
                    "{name:?} `{formula}`: the same to the kopeck"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "every formula of the five reports was compared ({checked})");
}
