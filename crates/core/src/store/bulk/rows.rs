//! The office's tables, row by row: each table's columns, declared once.
//!
//! Every record the store adds goes in as one of these rows, whether it is one record saved
//! from a form ([`Store::create_initiative`]), a batch an import commits
//! ([`Store::insert_batch`]) or the millions of rows of a demo office ([`Store::fill_empty`]): a
//! table has one `INSERT`, made from its row type. The rows hold what goes into the columns,
//! already checked and normalised; the store's own paths check records before they make their
//! rows, and [`Store::fill_empty`] checks the foreign keys of what it was given before it commits.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

use super::insert::{Values, sealed::Table};
use crate::error::Entity;
use crate::model::{
    AppealChannel, AppealStatus, AttendeeRole, ConsentMethod, ContactKind, EventKind, Id, InitiatorKind, ObjectType,
    ProgramKind, Role, Stage, TerritoryKind,
};
use crate::money::FundingSource;
#[cfg(doc)]
use crate::store::Store;
use crate::store::history::Op;

pub use super::insert::Row;

/// Text that a row either borrows or owns.
pub type Text<'a> = Cow<'a, str>;

/// Declares row types: a struct whose fields are the table's columns, named as they are, and
/// their binding in that order (through `=> conversion` where the value is stored as a code).
macro_rules! rows {
    ($(
        $(#[$meta:meta])*
        $name:ident $(<$q:lifetime>)? in $table:literal {
            $( $(#[$field_meta:meta])* $field:ident: $ty:ty $(=> $code:path)?, )+
        }
    )+) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name $(<$q>)? {
            $( $(#[$field_meta])* pub $field: $ty, )+
        }

        rows!(@table $name $(<$q>)? in $table { $( $field $(=> $code)?, )+ });
    )+};
    (@table $name:ident <$q:lifetime> in $table:literal { $( $field:ident $(=> $code:path)?, )+ }) => {
        impl<$q> Table<$q> for $name<$q> {
            rows!(@body $q, $table { $( $field $(=> $code)?, )+ });
        }
    };
    (@table $name:ident in $table:literal { $( $field:ident $(=> $code:path)?, )+ }) => {
        impl<'q> Table<'q> for $name {
            rows!(@body 'q, $table { $( $field $(=> $code)?, )+ });
        }
    };
    (@body $q:lifetime, $table:literal { $( $field:ident $(=> $code:path)?, )+ }) => {
        const TABLE: &'static str = $table;
        const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];
        fn bind(self, values: &mut Values<$q>) {
            $( values.bind(rows!(@value self.$field $(=> $code)?)); )+
        }
    };
    (@value $value:expr => $code:path) => { $code($value) };
    (@value $value:expr) => { $value };
}

rows! {
    /// A territory: the region, a district, a settlement.
    Territory<'a> in "territories" {
        /// Id.
        id: Id,
        /// The territory it lies in.
        parent_id: Option<Id>,
        /// Its level.
        kind: TerritoryKind,
        /// «с. Берёзовка».
        name: Text<'a>,
        /// The name folded (see [`fold`](crate::text::fold)).
        sort_key: Text<'a>,
        /// ОКТМО code.
        oktmo: Text<'a>,
        /// When it was added, ms since the epoch.
        created_at: i64,
        /// When it was last changed.
        updated_at: i64,
        /// The device that changed it last.
        updated_by: Text<'a>,
    }

    /// A territory's population in one year.
    Population in "territory_population" {
        /// The territory.
        territory_id: Id,
        /// The year.
        year: i32,
        /// Residents.
        population: i64,
    }

    /// A support program with its co-financing rules.
    Program<'a> in "programs" {
        /// Id.
        id: Id,
        /// «ППМИ».
        code: Text<'a>,
        /// Its name.
        name: Text<'a>,
        /// The family it belongs to.
        kind: ProgramKind,
        /// What it supports.
        description: Text<'a>,
        /// Residents' minimum share, basis points.
        min_residents_share_bp: u32,
        /// Business's minimum share, basis points.
        min_business_share_bp: u32,
        /// The municipal budget's minimum share, basis points.
        min_municipal_share_bp: u32,
        /// The subsidy's largest share, basis points.
        max_subsidy_share_bp: Option<u32>,
        /// The largest subsidy, kopecks.
        max_subsidy_kopecks: Option<i64>,
        /// When it was added, ms since the epoch.
        created_at: i64,
        /// When it was last changed.
        updated_at: i64,
        /// The device that changed it last.
        updated_by: Text<'a>,
    }

    /// A program's round of one year.
    ProgramCycle in "program_cycles" {
        /// The program.
        program_id: Id,
        /// The year.
        year: i32,
        /// When applications open.
        applications_open: Option<NaiveDate>,
        /// When they close.
        applications_close: Option<NaiveDate>,
        /// The round's fund, kopecks.
        fund_kopecks: Option<i64>,
    }

    /// A contact: a person or an organisation.
    Contact<'a> in "contacts" {
        /// Id.
        id: Id,
        /// Person or organisation.
        kind: ContactKind,
        /// A person's surname.
        last_name: Text<'a>,
        /// First name.
        first_name: Text<'a>,
        /// Patronymic.
        middle_name: Text<'a>,
        /// An organisation's name.
        org_name: Text<'a>,
        /// Position.
        position: Text<'a>,
        /// «Фамилия Имя Отчество» or the organisation's name.
        display_name: Text<'a>,
        /// The name folded.
        sort_key: Text<'a>,
        /// Where the contact lives or works.
        territory_id: Option<Id>,
        /// Address.
        address: Text<'a>,
        /// Notes.
        notes: Text<'a>,
        /// When it was added, ms since the epoch.
        created_at: i64,
        /// When it was last changed.
        updated_at: i64,
        /// The device that changed it last.
        updated_by: Text<'a>,
    }

    /// A part a contact plays.
    ContactRole in "contact_roles" {
        /// The contact.
        contact_id: Id,
        /// The role.
        role: Role,
    }

    /// A contact's phone, +7XXXXXXXXXX.
    ContactPhone<'a> in "contact_phones" {
        /// The contact.
        contact_id: Id,
        /// The phone.
        phone: Text<'a>,
    }

    /// A contact's e-mail, lower case.
    ContactEmail<'a> in "contact_emails" {
        /// The contact.
        contact_id: Id,
        /// The e-mail.
        email: Text<'a>,
    }

    /// A contact's tag.
    ContactTag<'a> in "contact_tags" {
        /// The contact.
        contact_id: Id,
        /// The tag.
        tag: Text<'a>,
    }

    /// A person's consent to the processing of personal data.
    Consent<'a> in "consents" {
        /// Id.
        id: Id,
        /// The person.
        contact_id: Id,
        /// What for.
        purpose: Text<'a>,
        /// When given.
        given_on: NaiveDate,
        /// How.
        method: ConsentMethod,
        /// Until when, if limited.
        expires_on: Option<NaiveDate>,
        /// When withdrawn, if it was.
        withdrawn_on: Option<NaiveDate>,
        /// When it was recorded, ms since the epoch.
        recorded_at: i64,
    }

    /// An initiative, at the stage it stands.
    Initiative<'a> in "initiatives" {
        /// Id.
        id: Id,
        /// Title.
        title: Text<'a>,
        /// The title folded.
        sort_key: Text<'a>,
        /// Description.
        description: Text<'a>,
        /// What is built or repaired.
        object_type: ObjectType,
        /// Where.
        territory_id: Id,
        /// The program it applies to.
        program_id: Option<Id>,
        /// The program's year.
        year: i32,
        /// Who put it forward.
        initiator_kind: InitiatorKind,
        /// Their name.
        initiator_name: Text<'a>,
        /// The initiator among the contacts.
        initiator_contact_id: Option<Id>,
        /// Total cost, kopecks.
        total_cost_kopecks: i64,
        /// Residents who benefit.
        beneficiaries: i64,
        /// Residents who support it.
        supporters: i64,
        /// Votes it got.
        votes: i64,
        /// Contractor.
        contractor: Text<'a>,
        /// Contract sum, kopecks.
        contract_sum_kopecks: Option<i64>,
        /// Contract date.
        contract_date: Option<NaiveDate>,
        /// Works start.
        start_date: Option<NaiveDate>,
        /// Works end.
        end_date: Option<NaiveDate>,
        /// Per cent done.
        percent_done: u8,
        /// Results.
        results: Text<'a>,
        /// Registration number.
        number: Option<Text<'a>>,
        /// The stage it stands at.
        stage: Stage,
        /// Since when.
        stage_on: NaiveDate,
        /// When it was added, ms since the epoch.
        created_at: i64,
        /// When it was last changed.
        updated_at: i64,
        /// The device that changed it last.
        updated_by: Text<'a>,
    }

    /// How much of an initiative's cost one source gives.
    BudgetLine<'a> in "budget_lines" {
        /// The initiative.
        initiative_id: Id,
        /// The source.
        source: FundingSource => FundingSource::as_str,
        /// Planned, kopecks.
        planned_kopecks: i64,
        /// Spent, kopecks.
        actual_kopecks: i64,
        /// Note.
        note: Text<'a>,
    }

    /// An initiative's move to a stage.
    StageChange<'a> in "stage_changes" {
        /// Id.
        id: Id,
        /// The initiative.
        initiative_id: Id,
        /// The stage it left (none: it was entered).
        from_stage: Option<Stage>,
        /// The stage it reached.
        to_stage: Stage,
        /// When.
        changed_on: NaiveDate,
        /// Remark.
        note: Text<'a>,
        /// When it was recorded, ms since the epoch.
        recorded_at: i64,
        /// The device it was recorded on.
        recorded_by: Text<'a>,
    }

    /// An engagement event.
    Event<'a> in "events" {
        /// Id.
        id: Id,
        /// What kind.
        kind: EventKind,
        /// Title.
        title: Text<'a>,
        /// The title folded.
        sort_key: Text<'a>,
        /// Start.
        starts_at: NaiveDateTime,
        /// End.
        ends_at: Option<NaiveDateTime>,
        /// Place.
        place: Text<'a>,
        /// Where.
        territory_id: Id,
        /// Everyone who took part.
        headcount: i64,
        /// Outcome.
        outcome: Text<'a>,
        /// Minutes.
        minutes: Text<'a>,
        /// When it was added, ms since the epoch.
        created_at: i64,
        /// When it was last changed.
        updated_at: i64,
        /// The device that changed it last.
        updated_by: Text<'a>,
    }

    /// A named attendee of an event.
    Attendee in "event_attendees" {
        /// The event.
        event_id: Id,
        /// The contact.
        contact_id: Id,
        /// Their part in it.
        role: AttendeeRole,
    }

    /// An initiative an event discussed.
    EventInitiative in "event_initiatives" {
        /// The event.
        event_id: Id,
        /// The initiative.
        initiative_id: Id,
    }

    /// A resident's appeal or proposal.
    Appeal<'a> in "appeals" {
        /// Id.
        id: Id,
        /// When it came.
        received_on: NaiveDate,
        /// How.
        channel: AppealChannel,
        /// Its author among the contacts.
        author_contact_id: Option<Id>,
        /// Where.
        territory_id: Option<Id>,
        /// What it says.
        text: Text<'a>,
        /// What became of it.
        status: AppealStatus,
        /// The initiative it became.
        initiative_id: Option<Id>,
        /// When it was added, ms since the epoch.
        created_at: i64,
        /// When it was last changed.
        updated_at: i64,
        /// The device that changed it last.
        updated_by: Text<'a>,
    }

    /// An entry of a record's change history.
    History<'a> in "history" {
        /// Id.
        id: Id,
        /// The kind of record.
        entity: Entity => Entity::as_str,
        /// The record.
        entity_id: Id,
        /// What happened.
        op: Op,
        /// When, ms since the epoch.
        at: i64,
        /// The device it happened on.
        device: Text<'a>,
        /// The person who did it.
        actor: Text<'a>,
        /// `{field: {"old": …, "new": …}}`, as JSON.
        changes: Text<'a>,
        /// The hybrid logical clock the change was made at, on `device` (see [`Store::next_hlc`]).
        hlc: i64,
    }
}
