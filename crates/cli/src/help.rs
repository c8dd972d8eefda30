//! The command line's help and clap's own words in the language asked for. The language is read
//! from the arguments before clap parses them (`--lang en`, `--lang=en`), so that `--help` and a
//! mistyped command are told in it too. Russian: the doc comments, with clap's headings, notes
//! and errors put into Russian; English: [`crate::help_en`], with clap's own English.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command, CommandFactory, FromArgMatches};
use mestno_core::Lang;

use crate::args::Cli;
use crate::help_en;

/// The language the arguments ask for: `--lang en` or `--lang=en` (the last one given) before
/// a `--`; Russian otherwise, as `--lang` defaults to.
pub fn lang_in(args: &[OsString]) -> Lang {
    let mut lang = Lang::Ru;
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let value = if arg == "--" {
            break;
        } else if arg == "--lang" {
            args.next().cloned()
        } else {
            arg.to_str().and_then(|a| a.strip_prefix("--lang=")).map(OsString::from)
        };
        if let Some(value) = value {
            lang = if value == "en" { Lang::En } else { Lang::Ru };
        }
    }
    lang
}

/// The command line parsed; or help, the version or a mistake printed in `lang`, and the exit
/// code to end with (as clap's: 0 for help, 2 for a mistake).
pub fn parse(args: Vec<OsString>, lang: Lang) -> Result<Cli, ExitCode> {
    let mut cmd = command(lang);
    let parsed = cmd.try_get_matches_from_mut(args).and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|e| {
        let e = e.format(&mut cmd);
        match russian_error(&e).filter(|_| lang == Lang::Ru) {
            Some(text) => eprintln!("{text}"),
            None => {
                let _ = e.print();
            }
        }
        ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
    })
}

/// Why a value was refused, in Russian for the parsers' usual English reasons (a number, a date).
fn reason_in_russian(reason: &str) -> String {
    match reason {
        "invalid digit found in string" | "cannot parse integer from empty string" => "нужно целое число".into(),
        "number too large to fit in target type" | "number too small to fit in target type" => {
            "число слишком велико".into()
        }
        "input contains invalid characters"
        | "premature end of input"
        | "trailing input"
        | "input is out of range"
        | "input is not enough for unique date and time"
        | "no possible date and time matching input" => "нужна дата: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД".into(),
        other => other.to_owned(),
    }
}

/// The command line's shape with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    // Built first, so that the help flags, the `help` command and the global arguments' copies
    // in every command are there to be put into the language too.
    cmd.build();
    localize(cmd, "mestno", lang)
}

const RU_TEMPLATE: &str = "{before-help}{about-with-newline}\nИспользование: {usage}\n\n{all-args}{after-help}";

fn localize(cmd: Command, path: &str, lang: Lang) -> Command {
    // clap's `help` command lists the commands again under itself: `mestno help init` is `init`.
    let key = path.replace(" help ", " ");
    let mut cmd = match lang {
        Lang::En => match help_en::help(&key) {
            Some(about) if cmd.get_name() != "help" => cmd.about(about).long_about(None::<&str>),
            // clap's own `help`, or a command left in Russian for the unit test to find.
            _ => cmd,
        },
        Lang::Ru => {
            let cmd = cmd.help_template(RU_TEMPLATE).subcommand_help_heading("Команды");
            if cmd.get_name() == "help" {
                cmd.about("Показать эту справку или справку указанной команды")
            } else {
                cmd
            }
        }
    };
    cmd = cmd.mut_args(|arg| localize_arg(arg, path, lang));
    cmd.mut_subcommands(|sub| {
        let path = format!("{path} {}", sub.get_name());
        localize(sub, &path, lang)
    })
}

/// Where an argument's English text is: a global one under the command line itself.
fn arg_key(arg: &Arg, path: &str) -> String {
    let id = arg.get_id().as_str();
    if arg.is_global_set() { format!("mestno {id}") } else { format!("{path} {id}") }
}

fn localize_arg(arg: Arg, path: &str, lang: Lang) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    if path.ends_with(" help") || id == "help" || id == "version" {
        return builtin(arg, lang);
    }
    let key = arg_key(&arg, path);
    let russian = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let mut help = match lang {
        Lang::Ru => russian,
        Lang::En => help_en::help(&key).map_or(russian, str::to_owned),
    };
    let mut arg = arg;
    if lang == Lang::En
        && let Some(name) = arg.get_value_names().and_then(|names| names.first())
        && let Some((_, en)) = help_en::VALUE_NAMES.iter().find(|(ru, _)| name.as_str() == *ru)
    {
        arg = arg.value_name(*en);
    }
    if lang == Lang::Ru {
        arg = if arg.is_positional() {
            arg.help_heading("Аргументы")
        } else {
            arg.help_heading("Параметры")
        };
        if let Some(env) = arg.get_env().map(|e| e.to_string_lossy().into_owned()) {
            let _ = write!(help, " [переменная окружения: {env}]");
            arg = arg.hide_env(true);
        }
        let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if !defaults.is_empty() && arg.get_action().takes_values() {
            let _ = write!(help, " [по умолчанию: {}]", defaults.join(" "));
            arg = arg.hide_default_value(true);
        }
    }
    let values = arg.get_possible_values();
    if values.iter().any(|v| v.get_help().is_some()) {
        let (short_head, long_head) = match lang {
            Lang::Ru => ("возможные значения", "Возможные значения"),
            Lang::En => ("possible values", "Possible values"),
        };
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 1;
        let mut long = format!("{help}\n\n{long_head}:");
        for v in &values {
            let russian = v.get_help().map(|h| h.to_string()).unwrap_or_default();
            let text = match lang {
                Lang::Ru => russian,
                Lang::En => help_en::help(&format!("{key}={}", v.get_name())).map_or(russian, str::to_owned),
            };
            let name = format!("{}:", v.get_name());
            let _ = write!(long, "\n- {name:<width$} {}", text.trim_end_matches('.'));
        }
        let short = format!("{help} [{short_head}: {}]", names.join(", "));
        arg.help(short).long_help(long).hide_possible_values(true)
    } else {
        arg.help(help).long_help(None::<&str>)
    }
}

/// clap's own `--help`, `--version` and `help`: English as clap has them, or Russian.
fn builtin(arg: Arg, lang: Lang) -> Arg {
    if lang == Lang::En {
        return arg;
    }
    let help = match arg.get_id().as_str() {
        "help" if arg.get_long_help().is_some() => {
            return arg
                .help("Показать справку (подробнее — --help)")
                .long_help("Показать справку (кратко — -h)")
                .help_heading("Параметры");
        }
        "help" => "Показать справку",
        "version" => "Показать версию",
        _ => "Команда, справку которой показать",
    };
    let arg = arg.help(help);
    if arg.is_positional() { arg.help_heading("Аргументы") } else { arg.help_heading("Параметры") }
}

/// clap's message for a mistake on the command line, in Russian; `None` for help and the
/// version (already in Russian) and for the rare kinds left in clap's English.
fn russian_error(e: &clap::Error) -> Option<String> {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let list = |kind| match e.get(kind) {
        Some(ContextValue::Strings(s)) => s.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let mut out = String::from("ошибка: ");
    match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => {
            let _ = write!(out, "не указано значение для «{arg}»");
        }
        ErrorKind::InvalidValue => {
            let _ = write!(out, "недопустимое значение «{value}» для «{arg}»");
            let valid = list(ContextKind::ValidValue);
            if !valid.is_empty() {
                let _ = write!(out, "\n  [возможные значения: {}]", valid.join(", "));
            }
        }
        ErrorKind::ValueValidation => {
            let _ = write!(out, "недопустимое значение «{value}» для «{arg}»");
            if let Some(source) = std::error::Error::source(e) {
                let _ = write!(out, ": {}", reason_in_russian(&source.to_string()));
            }
        }
        ErrorKind::UnknownArgument => {
            let _ = write!(out, "неизвестный параметр «{arg}»");
        }
        ErrorKind::InvalidSubcommand => {
            let _ = write!(out, "неизвестная команда «{}»", text(ContextKind::InvalidSubcommand).unwrap_or_default());
        }
        ErrorKind::MissingRequiredArgument => {
            out.push_str("не указаны обязательные аргументы:");
            for a in list(ContextKind::InvalidArg) {
                let _ = write!(out, "\n  {a}");
            }
        }
        ErrorKind::MissingSubcommand => {
            let _ = write!(
                out,
                "после «{}» нужна команда: {}",
                text(ContextKind::InvalidSubcommand).unwrap_or_default(),
                list(ContextKind::ValidSubcommand).join(", ")
            );
        }
        ErrorKind::ArgumentConflict if list(ContextKind::PriorArg) == [arg.clone()] => {
            let _ = write!(out, "«{arg}» указан дважды");
        }
        ErrorKind::ArgumentConflict => {
            let _ = write!(out, "«{arg}» нельзя указать вместе с «{}»", list(ContextKind::PriorArg).join("», «"));
        }
        ErrorKind::TooManyValues => {
            let _ = write!(out, "лишнее значение «{value}» для «{arg}»");
        }
        ErrorKind::NoEquals => {
            let _ = write!(out, "значение «{arg}» указывается через «=»");
        }
        ErrorKind::InvalidUtf8 => out.push_str("аргумент не в кодировке UTF-8"),
        _ => return None,
    }
    let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg, ContextKind::SuggestedValue]
        .into_iter()
        .flat_map(list)
        .collect::<Vec<_>>();
    if !suggested.is_empty() {
        let _ = write!(out, "\n\n  возможно, имелось в виду «{}»", suggested.join("», «"));
    }
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let _ = write!(out, "\n\nИспользование: {}", usage.strip_prefix("Usage: ").unwrap_or(&usage));
    }
    out.push_str("\n\nПодробнее — в справке: --help");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        assert_eq!(lang_in(&os(&["mestno", "--lang", "en", "list", "--help"])), Lang::En);
        assert_eq!(lang_in(&os(&["mestno", "list", "--lang=en"])), Lang::En, "after the command, with =");
        assert_eq!(lang_in(&os(&["mestno", "list"])), Lang::Ru, "Russian is the default");
        assert_eq!(lang_in(&os(&["mestno", "--lang", "de"])), Lang::Ru, "an unknown language is clap's to refuse");
        assert_eq!(lang_in(&os(&["mestno", "search", "--", "--lang", "en"])), Lang::Ru, "after -- it is text");
    }

    /// Every text of a command's help in `lang`, with where it is.
    fn texts(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
        for text in [cmd.get_about(), cmd.get_long_about()].into_iter().flatten() {
            out.push((path.to_owned(), text.to_string()));
        }
        for arg in cmd.get_arguments() {
            let key = arg_key(arg, path);
            for text in [arg.get_help(), arg.get_long_help()].into_iter().flatten() {
                out.push((key.clone(), text.to_string()));
            }
            for name in arg.get_value_names().unwrap_or_default() {
                out.push((key.clone(), name.to_string()));
            }
        }
        for sub in cmd.get_subcommands() {
            texts(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn the_english_help_has_no_russian_and_every_line_of_it_is_used() {
        let mut english = Vec::new();
        texts(&command(Lang::En), "mestno", &mut english);
        let russian: Vec<_> = english.iter().filter(|(_, t)| t.chars().any(is_cyrillic)).collect();
        assert!(russian.is_empty(), "help_en.rs has no line for these: {russian:#?}");
        let mut keys = Vec::new();
        texts(&Cli::command(), "mestno", &mut keys);
        for (key, _) in help_en::HELP {
            let (place, _) = key.split_once('=').unwrap_or((key, ""));
            assert!(keys.iter().any(|(k, _)| k == place), "help_en.rs has a line for «{key}», which is no more");
        }
    }

    #[test]
    fn the_russian_help_is_the_doc_comments_with_claps_words_in_russian() {
        let mut cmd = command(Lang::Ru);
        let help = cmd.render_long_help().to_string();
        assert!(help.contains("Создать пустую базу офиса"), "the doc comments are the help: {help}");
        for english in ["Usage", "Options", "Commands", "Print", "default:", "env:"] {
            assert!(!help.contains(english), "clap's «{english}» is in Russian: {help}");
        }
        let list = cmd.find_subcommand_mut("list").unwrap().render_long_help().to_string();
        assert!(list.contains("Возможные значения:") && list.contains("Аргументы:"), "{list}");
        assert!(list.contains("initiatives:") && list.contains("Проекты"), "each value with its meaning: {list}");
    }

    #[test]
    fn a_mistake_is_told_in_russian() {
        let e = command(Lang::Ru).try_get_matches_from(os(&["mestno", "lst"])).unwrap_err();
        let text = russian_error(&e).unwrap();
        assert!(text.starts_with("ошибка: неизвестная команда «lst»"), "{text}");
        assert!(text.contains("«list»") && text.contains("Использование: mestno"), "a hint and the usage: {text}");
        let e = command(Lang::Ru).try_get_matches_from(os(&["mestno", "list", "people"])).unwrap_err();
        let text = russian_error(&e).unwrap();
        assert!(text.contains("недопустимое значение «people»") && text.contains("contacts"), "{text}");
    }

    fn is_cyrillic(c: char) -> bool {
        ('\u{0400}'..='\u{04FF}').contains(&c)
    }
}
