//! The office's profile on the command line: `mestno init --office … --address …` sets what is
//! given, `mestno office` shows it. It is the profile the window's settings edit and the papers
//! print (the operator of personal data in a data subject's records and in an act of
//! destruction), with the office's staff and the one of them at this computer, whom the change
//! history names.

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
    /// Сотрудник офиса (можно указать несколько раз): список заменяет прежний.
    #[arg(long = "staff", value_name = "ФИО")]
    pub staff: Vec<String>,
    /// Кто работает за этим компьютером (один из сотрудников): его называет история изменений
    /// здесь и в офисах, куда они дойдут. Пустая строка — никто в отдельности (история называет
    /// учётную запись компьютера).
    #[arg(long, value_name = "ФИО")]
    pub working: Option<String>,
}

/// Stores the values `args` gives over the office's profile; nothing when none is given.
pub async fn set(office: &Office, args: ProfileArgs) -> Result<()> {
    let ProfileArgs { office: name, address, responsible, responsible_position, staff, working } = args;
    if name.is_some()
        || address.is_some()
        || responsible.is_some()
        || responsible_position.is_some()
        || !staff.is_empty()
    {
        let current = office.profile().await?;
        let profile = OfficeProfile {
            name: name.unwrap_or(current.name),
            address: address.unwrap_or(current.address),
            responsible_name: responsible.unwrap_or(current.responsible_name),
            responsible_position: responsible_position.unwrap_or(current.responsible_position),
            staff: if staff.is_empty() { current.staff } else { staff },
        };
        office.save_profile(profile).await?;
    }
    // After the staff: the person chosen may be one just added.
    if let Some(working) = working {
        office.set_working_person(Some(working)).await?;
    }
    Ok(())
}

/// Prints the office's profile, as JSON with `json`.
pub async fn show(office: &Office, json: bool, lang: Lang) -> Result<()> {
    let profile = office.profile().await?;
    if json {
        // The profile, and who is at this computer: a person picked, or the computer's login.
        let working = office.working_person().await?;
        let mut value = serde_json::to_value(&profile)?;
        value["working"] = serde_json::json!(working.name);
        value["login"] = serde_json::json!(working.login);
        return output::json(&value);
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
    outln!(
        "{}: {}",
        say("Офис (оператор персональных данных)", "Office (operator of personal data)"),
        given(&profile.name)
    );
    outln!("{}: {}", say("Адрес", "Address"), given(&profile.address));
    outln!(
        "{}: {responsible}",
        say("Ответственный за организацию обработки персональных данных", "Responsible for processing personal data")
    );
    outln!("{}: {}", say("Сотрудники", "Staff"), given(&profile.staff.join(", ")));
    let working = office.working_person().await?;
    let at_computer = match working.name {
        Some(name) => name,
        None => format!("{} ({})", say("никто в отдельности", "no one in particular"), working.login),
    };
    outln!("{}: {at_computer}", say("За этим компьютером работает", "Working at this computer"));
    Ok(())
}
