//! `mestno`: a project office's data from the command line — the same core as the desktop app.

/// `println!` through [`stdout::line`]: a reader that stops reading ends the output, not the
/// command.
macro_rules! outln {
    () => {
        $crate::stdout::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::stdout::line(format_args!($($arg)*))
    };
}

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
mod stdout;
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
    let result = runtime.block_on(run::run(cli));
    let result = match stdout::failure() {
        Some(e) if result.is_ok() => Err(anyhow::Error::new(e).context(match lang {
            mestno_core::Lang::Ru => "не удалось вывести результат",
            mestno_core::Lang::En => "could not write the output",
        })),
        _ => result,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", output::error_message(&e, lang));
            ExitCode::FAILURE
        }
    }
}
