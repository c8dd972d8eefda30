// Generated from Mestno's Rust types (crates/office/src/bindings.rs). Do not edit.

/** A code of a closed list with the names a person reads. */
export interface Coded<C extends string> {
  code: C;
  ru: string;
  en: string;
}

import type { Stage } from "./Stage";
export const STAGES: readonly Coded<Stage>[] = [
  { code: "idea", ru: "идея", en: "idea" },
  { code: "discussion", ru: "обсуждение", en: "discussion" },
  { code: "application", ru: "заявка", en: "application" },
  { code: "selected", ru: "отобран", en: "selected" },
  { code: "rejected", ru: "не отобран", en: "rejected" },
  { code: "implementation", ru: "реализация", en: "implementation" },
  { code: "completed", ru: "реализован", en: "completed" },
  { code: "withdrawn", ru: "отозван", en: "withdrawn" },
];

import type { ObjectType } from "./ObjectType";
export const OBJECT_TYPES: readonly Coded<ObjectType>[] = [
  { code: "water_supply", ru: "водоснабжение", en: "water supply" },
  { code: "roads", ru: "дороги и тротуары", en: "roads and pavements" },
  { code: "street_lighting", ru: "уличное освещение", en: "street lighting" },
  { code: "landscaping", ru: "благоустройство", en: "landscaping" },
  { code: "culture", ru: "культура", en: "culture" },
  { code: "sport", ru: "спорт", en: "sport" },
  { code: "playground", ru: "детская площадка", en: "playground" },
  { code: "fire_safety", ru: "пожарная безопасность", en: "fire safety" },
  { code: "burial_places", ru: "места захоронения", en: "burial places" },
  { code: "memorials", ru: "памятники и мемориалы", en: "memorials" },
  { code: "other", ru: "прочее", en: "other" },
];

import type { InitiatorKind } from "./InitiatorKind";
export const INITIATOR_KINDS: readonly Coded<InitiatorKind>[] = [
  { code: "resident", ru: "житель", en: "resident" },
  { code: "village_elder", ru: "сельский староста", en: "village elder" },
  { code: "tos", ru: "ТОС", en: "TOS (territorial self-government)" },
  { code: "initiative_group", ru: "инициативная группа", en: "initiative group" },
  { code: "ngo", ru: "НКО", en: "NGO" },
  { code: "business", ru: "предприниматель", en: "business" },
  { code: "administration", ru: "администрация", en: "administration" },
];

import type { FundingSource } from "./FundingSource";
export const FUNDING_SOURCES: readonly Coded<FundingSource>[] = [
  { code: "federal", ru: "федеральный бюджет", en: "federal budget" },
  { code: "regional", ru: "субсидия из краевого бюджета", en: "regional subsidy" },
  { code: "municipal", ru: "местный бюджет", en: "municipal budget" },
  { code: "residents", ru: "население", en: "residents" },
  { code: "business", ru: "юридические лица и ИП", en: "businesses and sole traders" },
  { code: "in_kind", ru: "неденежный вклад", en: "in-kind contribution" },
];

import type { TerritoryKind } from "./TerritoryKind";
export const TERRITORY_KINDS: readonly Coded<TerritoryKind>[] = [
  { code: "region", ru: "регион", en: "region" },
  { code: "district", ru: "муниципальный район", en: "municipal district" },
  { code: "municipal_okrug", ru: "муниципальный округ", en: "municipal okrug" },
  { code: "urban_okrug", ru: "городской округ", en: "urban okrug" },
  { code: "urban_settlement", ru: "городское поселение", en: "urban settlement" },
  { code: "rural_settlement", ru: "сельское поселение", en: "rural settlement" },
  { code: "locality", ru: "населённый пункт", en: "locality" },
];

import type { ProgramKind } from "./ProgramKind";
export const PROGRAM_KINDS: readonly Coded<ProgramKind>[] = [
  { code: "ppmi", ru: "ППМИ (поддержка местных инициатив)", en: "Local initiatives support (PPMI)" },
  { code: "people_budget", ru: "«Народный бюджет»", en: "People's budget" },
  { code: "tos_contest", ru: "конкурс проектов ТОС и старост", en: "TOS and village elders contest" },
  { code: "civic_50_50", ru: "«Гражданская инициатива 50/50»", en: "Civic initiative 50/50" },
  { code: "comfortable_environment", ru: "ФКГС (комфортная городская среда)", en: "Comfortable urban environment" },
  { code: "other", ru: "другая программа", en: "other program" },
];

import type { ContactKind } from "./ContactKind";
export const CONTACT_KINDS: readonly Coded<ContactKind>[] = [
  { code: "person", ru: "человек", en: "person" },
  { code: "organisation", ru: "организация", en: "organisation" },
];

import type { Role } from "./Role";
export const ROLES: readonly Coded<Role>[] = [
  { code: "resident", ru: "житель", en: "resident" },
  { code: "village_elder", ru: "сельский староста", en: "village elder" },
  { code: "tos_leader", ru: "руководитель ТОС", en: "TOS leader" },
  { code: "entrepreneur", ru: "предприниматель", en: "entrepreneur" },
  { code: "business", ru: "бизнес", en: "business" },
  { code: "ngo", ru: "НКО", en: "NGO" },
  { code: "institution_head", ru: "руководитель учреждения", en: "institution head" },
  { code: "deputy", ru: "депутат", en: "deputy" },
  { code: "official", ru: "должностное лицо", en: "official" },
  { code: "expert", ru: "эксперт", en: "expert" },
  { code: "media", ru: "СМИ", en: "media" },
];

import type { ConsentMethod } from "./ConsentMethod";
export const CONSENT_METHODS: readonly Coded<ConsentMethod>[] = [
  { code: "written", ru: "письменно", en: "in writing" },
  { code: "electronic", ru: "в электронной форме", en: "electronically" },
  { code: "oral", ru: "устно", en: "orally" },
];

import type { EventKind } from "./EventKind";
export const EVENT_KINDS: readonly Coded<EventKind>[] = [
  { code: "citizens_gathering", ru: "сход граждан", en: "citizens' gathering" },
  { code: "meeting", ru: "собрание", en: "meeting" },
  { code: "public_hearing", ru: "публичные слушания", en: "public hearing" },
  { code: "survey", ru: "опрос", en: "survey" },
  { code: "vote", ru: "голосование", en: "vote" },
  { code: "subbotnik", ru: "субботник", en: "community clean-up" },
  { code: "seminar", ru: "семинар", en: "seminar" },
  { code: "webinar", ru: "вебинар", en: "webinar" },
  { code: "strategy_session", ru: "стратегическая сессия", en: "strategy session" },
  { code: "forum", ru: "форум", en: "forum" },
  { code: "residents_meeting", ru: "встреча с жителями", en: "meeting with residents" },
];

import type { AttendeeRole } from "./AttendeeRole";
export const ATTENDEE_ROLES: readonly Coded<AttendeeRole>[] = [
  { code: "participant", ru: "участник", en: "participant" },
  { code: "speaker", ru: "выступающий", en: "speaker" },
  { code: "organiser", ru: "организатор", en: "organiser" },
  { code: "official", ru: "представитель власти", en: "official" },
  { code: "expert", ru: "эксперт", en: "expert" },
  { code: "initiator", ru: "инициатор", en: "initiator" },
];

import type { AppealChannel } from "./AppealChannel";
export const APPEAL_CHANNELS: readonly Coded<AppealChannel>[] = [
  { code: "letter", ru: "письмо", en: "letter" },
  { code: "email", ru: "электронная почта", en: "e-mail" },
  { code: "phone", ru: "телефон", en: "phone" },
  { code: "reception", ru: "личный приём", en: "in person" },
  { code: "meeting", ru: "на встрече", en: "at a meeting" },
  { code: "survey", ru: "опрос", en: "survey" },
  { code: "website", ru: "сайт", en: "website" },
  { code: "social", ru: "социальные сети", en: "social media" },
];

import type { AppealStatus } from "./AppealStatus";
export const APPEAL_STATUSES: readonly Coded<AppealStatus>[] = [
  { code: "new", ru: "новое", en: "new" },
  { code: "in_review", ru: "на рассмотрении", en: "in review" },
  { code: "accepted", ru: "принято", en: "accepted" },
  { code: "declined", ru: "отклонено", en: "declined" },
  { code: "converted", ru: "стало проектом", en: "became an initiative" },
];

import type { ErasureBasis } from "./ErasureBasis";
export const ERASURE_BASES: readonly Coded<ErasureBasis>[] = [
  { code: "subject_request", ru: "требование субъекта персональных данных (ч. 1 ст. 14, ч. 3 ст. 20 Федерального закона от 27.07.2006 № 152-ФЗ)", en: "the data subject's demand (152-FZ, art. 14 part 1, art. 20 part 3)" },
  { code: "consent_withdrawn", ru: "отзыв согласия на обработку персональных данных (ч. 5 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)", en: "withdrawal of consent (152-FZ, art. 21 part 5)" },
  { code: "purpose_achieved", ru: "достижение цели обработки персональных данных (ч. 4 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)", en: "the purpose of processing is achieved (152-FZ, art. 21 part 4)" },
  { code: "unlawful_processing", ru: "выявление неправомерной обработки персональных данных (ч. 3 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)", en: "unlawful processing found (152-FZ, art. 21 part 3)" },
];

import type { Op } from "./Op";
export const HISTORY_OPS: readonly Coded<Op>[] = [
  { code: "create", ru: "создание", en: "created" },
  { code: "update", ru: "изменение", en: "changed" },
  { code: "delete", ru: "удаление", en: "deleted" },
  { code: "stage", ru: "смена стадии", en: "stage changed" },
];

import type { Entity } from "./Entity";
export const ENTITIES: readonly Coded<Entity>[] = [
  { code: "territory", ru: "территория", en: "territory" },
  { code: "program", ru: "программа", en: "program" },
  { code: "initiative", ru: "проект", en: "initiative" },
  { code: "contact", ru: "контакт", en: "contact" },
  { code: "event", ru: "мероприятие", en: "event" },
  { code: "appeal", ru: "обращение", en: "appeal" },
  { code: "consent", ru: "согласие", en: "consent" },
  { code: "attachment", ru: "файл", en: "attachment" },
];

import type { ReportKind } from "./ReportKind";
export const REPORT_KINDS: readonly Coded<ReportKind>[] = [
  { code: "registry", ru: "Реестр инициативных проектов", en: "Registry of initiative projects" },
  { code: "funding", ru: "Софинансирование и привлечённые средства", en: "Co-financing and attracted funds" },
  { code: "engagement", ru: "Вовлечённость населения", en: "Public engagement" },
  { code: "initiative", ru: "Карточка инициативного проекта", en: "Initiative project card" },
  { code: "contacts", ru: "Контакты", en: "Contacts" },
];

import type { ImportKind } from "./ImportKind";
export const IMPORT_KINDS: readonly Coded<ImportKind>[] = [
  { code: "initiatives", ru: "проекты", en: "initiatives" },
  { code: "contacts", ru: "контакты", en: "contacts" },
  { code: "events", ru: "мероприятия", en: "events" },
];

import type { ImportField } from "./ImportField";
export const IMPORT_FIELDS: Readonly<Record<ImportKind, readonly Coded<ImportField>[]>> = {
  initiatives: [
    { code: "record_id", ru: "код записи Mestno", en: "Mestno record id" },
    { code: "number", ru: "номер заявки", en: "application number" },
    { code: "title", ru: "наименование", en: "title" },
    { code: "description", ru: "описание", en: "description" },
    { code: "object_type", ru: "тип объекта", en: "type of object" },
    { code: "territory", ru: "населённый пункт / территория", en: "settlement / territory" },
    { code: "district", ru: "муниципальный район / округ", en: "municipal district" },
    { code: "program", ru: "программа", en: "program" },
    { code: "year", ru: "год", en: "year" },
    { code: "initiator", ru: "инициатор", en: "initiator" },
    { code: "stage", ru: "стадия / статус", en: "stage" },
    { code: "stage_on", ru: "дата решения", en: "stage date" },
    { code: "total_cost", ru: "общая стоимость", en: "total cost" },
    { code: "federal", ru: "федеральный бюджет", en: "federal budget" },
    { code: "regional", ru: "краевой / областной бюджет", en: "regional budget" },
    { code: "municipal", ru: "местный бюджет", en: "municipal budget" },
    { code: "residents", ru: "вклад населения", en: "residents' contribution" },
    { code: "business", ru: "вклад юридических лиц и ИП", en: "business contribution" },
    { code: "in_kind", ru: "неденежный вклад", en: "in-kind contribution" },
    { code: "actual_federal", ru: "факт: федеральный бюджет", en: "actual: federal budget" },
    { code: "actual_regional", ru: "факт: краевой / областной бюджет", en: "actual: regional budget" },
    { code: "actual_municipal", ru: "факт: местный бюджет", en: "actual: municipal budget" },
    { code: "actual_residents", ru: "факт: вклад населения", en: "actual: residents' contribution" },
    { code: "actual_business", ru: "факт: вклад юридических лиц и ИП", en: "actual: business contribution" },
    { code: "actual_in_kind", ru: "факт: неденежный вклад", en: "actual: in-kind contribution" },
    { code: "meeting_participants", ru: "участников собрания граждан", en: "residents' meeting participants" },
    { code: "meeting_date", ru: "дата собрания граждан", en: "residents' meeting date" },
    { code: "beneficiaries", ru: "благополучатели", en: "beneficiaries" },
    { code: "supporters", ru: "поддержали", en: "supporters" },
    { code: "votes", ru: "голоса", en: "votes" },
    { code: "contractor", ru: "подрядчик", en: "contractor" },
    { code: "contract_sum", ru: "сумма контракта", en: "contract sum" },
    { code: "contract_date", ru: "дата контракта", en: "contract date" },
    { code: "start_date", ru: "начало работ", en: "works start" },
    { code: "end_date", ru: "окончание работ", en: "works end" },
    { code: "percent_done", ru: "процент выполнения", en: "percent done" },
    { code: "results", ru: "результаты", en: "results" },
  ],
  contacts: [
    { code: "full_name", ru: "ФИО", en: "full name" },
    { code: "last_name", ru: "фамилия", en: "surname" },
    { code: "first_name", ru: "имя", en: "first name" },
    { code: "middle_name", ru: "отчество", en: "patronymic" },
    { code: "org_name", ru: "организация", en: "organisation" },
    { code: "position", ru: "должность", en: "position" },
    { code: "role", ru: "роль", en: "role" },
    { code: "territory", ru: "населённый пункт / территория", en: "settlement / territory" },
    { code: "district", ru: "муниципальный район / округ", en: "municipal district" },
    { code: "address", ru: "адрес", en: "address" },
    { code: "phone", ru: "телефон", en: "phone" },
    { code: "email", ru: "эл. почта", en: "e-mail" },
    { code: "tags", ru: "метки", en: "tags" },
    { code: "notes", ru: "примечание", en: "notes" },
    { code: "consent_on", ru: "дата согласия на обработку ПД", en: "consent date" },
    { code: "consent_until", ru: "согласие действует до", en: "consent valid until" },
  ],
  events: [
    { code: "event_kind", ru: "вид мероприятия", en: "kind of event" },
    { code: "title", ru: "наименование", en: "title" },
    { code: "date", ru: "дата", en: "date" },
    { code: "time", ru: "время", en: "time" },
    { code: "end_time", ru: "время окончания", en: "end time" },
    { code: "place", ru: "место проведения", en: "place" },
    { code: "territory", ru: "населённый пункт / территория", en: "settlement / territory" },
    { code: "district", ru: "муниципальный район / округ", en: "municipal district" },
    { code: "headcount", ru: "число участников", en: "headcount" },
    { code: "outcome", ru: "решение / итоги", en: "outcome" },
    { code: "minutes", ru: "протокол", en: "minutes" },
  ],
};

/** Fields several columns may feed (two phone columns, say). */
export const IMPORT_MANY_FIELDS: readonly ImportField[] = ["email", "notes", "phone", "tags"];

/** Fields holding money, read in the unit the column counts in. */
export const IMPORT_MONEY_FIELDS: readonly ImportField[] = ["actual_business", "actual_federal", "actual_in_kind", "actual_municipal", "actual_regional", "actual_residents", "business", "contract_sum", "federal", "in_kind", "municipal", "regional", "residents", "total_cost"];
