//! `mestno`: a project office's data from the command line — the same core as the desktop app.

mod args;
mod help;
mod help_en;
mod import;
mod keys;
mod office;
mod output;
mod person;
mod report;
mod run;
mod server;
mod sync;

use std::process::ExitCode;

use args::Cli;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli: Cli = match help::parse(args.clone(), help::lang_in(&args)) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let lang = cli.lang;
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            match lang {
                mestno_core::Lang::Ru => eprintln!("ошибка: не удалось запустить: {e}"),
                mestno_core::Lang::En => eprintln!("error: could not start: {e}"),
            }
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", output::error_message(&e, lang));
            ExitCode::FAILURE
        }
    }
}
