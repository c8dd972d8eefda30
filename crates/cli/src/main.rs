//! `mestno`: a project office's data from the command line — the same core as the desktop app.

mod args;
mod import;
mod keys;
mod output;
mod person;
mod report;
mod run;

use std::process::ExitCode;

use clap::Parser;

use args::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang;
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ошибка: не удалось запустить: {e}");
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
