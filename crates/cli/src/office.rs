//! The office's profile on the command line: `mestno init --office … --address …` sets what is
//! given, `mestno office` shows it. It is the profile the window's settings edit and the papers
//! print (the operator of personal data in a data subject's records and in an act of
//! destruction).

use anyhow::Result;
use clap::Args;
use mestno_core::Lang;
use mestno_office::{Office, OfficeProfile};

use crate::output;

/// What `mestno init` takes: the profile's values to set (those not given stay as they are).
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Название офиса (оператора персональных данных).
    #[arg(long)]
    pub office: Option<String>,
    /// Адрес офиса (для сведений о субъекте и актов об уничтожении персональных данных).
    #[arg(long)]
    pub address: Option<String>,
    /// Ответственный за организацию обработки персональных данных: фамилия и инициалы (его
    /// строка подписи в акте об уничтожении).
    #[arg(long)]
    pub responsible: Option<String>,
    /// Должность ответственного за организацию обработки персональных данных.
    #[arg(long)]
    pub responsible_position: Option<String>,
}

/// Stores the values `args` gives over the office's profile; nothing when none is given.
pub async fn set(office: &Office, args: ProfileArgs) -> Result<()> {
    let ProfileArgs { office: name, address, responsible, responsible_position } = args;
    if name.is_none() && address.is_none() && responsible.is_none() && responsible_position.is_none() {
        return Ok(());
    }
    let current = office.profile().await?;
    let profile = OfficeProfile {
        name: name.unwrap_or(current.name),
        address: address.unwrap_or(current.address),
        responsible_name: responsible.unwrap_or(current.responsible_name),
        responsible_position: responsible_position.unwrap_or(current.responsible_position),
        staff: current.staff,
    };
    office.save_profile(profile).await?;
    Ok(())
}

/// Prints the office's profile, as JSON with `json`.
pub async fn show(office: &Office, json: bool, lang: Lang) -> Result<()> {
    let profile = office.profile().await?;
    if json {
        return output::json(&profile);
    }
    let say = |ru: &'static str, en: &'static str| if lang == Lang::Ru { ru } else { en };
    let given = |value: &str| {
        if value.is_empty() { say("не указан", "not given").to_owned() } else { value.to_owned() }
    };
    let responsible = match (profile.responsible_name.as_str(), profile.responsible_position.as_str()) {
        ("", "") => say("не указан", "not given").to_owned(),
        (name, "") => name.to_owned(),
        ("", position) => position.to_owned(),
        (name, position) => format!("{name}, {position}"),
    };
    println!(
        "{}: {}",
        say("Офис (оператор персональных данных)", "Office (operator of personal data)"),
        given(&profile.name)
    );
    println!("{}: {}", say("Адрес", "Address"), given(&profile.address));
    println!(
        "{}: {responsible}",
        say("Ответственный за организацию обработки персональных данных", "Responsible for processing personal data")
    );
    println!("{}: {}", say("Сотрудники", "Staff"), given(&profile.staff.join(", ")));
    Ok(())
}
