use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Id, Stamp, check_date, check_not_blank};
use crate::codes::code_enum;
use crate::error::Problems;

code_enum! {
    /// How an appeal reached the office.
    AppealChannel {
        Letter = "letter", "письмо", "letter";
        Email = "email", "электронная почта", "e-mail";
        Phone = "phone", "телефон", "phone";
        Reception = "reception", "личный приём", "in person";
        Meeting = "meeting", "на встрече", "at a meeting";
        Survey = "survey", "опрос", "survey";
        Website = "website", "сайт", "website";
        Social = "social", "социальные сети", "social media";
    }
}

code_enum! {
    /// What became of an appeal.
    AppealStatus {
        New = "new", "новое", "new";
        InReview = "in_review", "на рассмотрении", "in review";
        Accepted = "accepted", "принято", "accepted";
        Declined = "declined", "отклонено", "declined";
        Converted = "converted", "стало проектом", "became an initiative";
    }
}

/// What a form supplies for a residents' appeal or proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppealInput {
    /// Received.
    pub received_on: NaiveDate,
    /// How.
    pub channel: AppealChannel,
    /// Who wrote it, if known.
    #[serde(default)]
    pub author_contact_id: Option<Id>,
    /// Which territory it concerns.
    #[serde(default)]
    pub territory_id: Option<Id>,
    /// What residents ask for.
    pub text: String,
    /// Status.
    #[serde(default = "new_status")]
    pub status: AppealStatus,
}

fn new_status() -> AppealStatus {
    AppealStatus::New
}

/// A stored appeal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Appeal {
    /// Id.
    pub id: Id,
    /// The editable fields.
    #[serde(flatten)]
    pub input: AppealInput,
    /// The initiative it became, if it did.
    pub initiative_id: Option<Id>,
    /// Sync stamp.
    pub stamp: Stamp,
}

impl AppealInput {
    pub(crate) fn validate(&self, p: &mut Problems, today: NaiveDate) {
        check_not_blank(p, "text", &self.text, "текст обращения", "appeal's text");
        check_date(p, "received_on", self.received_on);
        if self.received_on > today {
            p.push("received_on", "дата поступления в будущем", "the date received is in the future");
        }
    }
}
