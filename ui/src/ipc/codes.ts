// Provisional: the names of the core's code enums in both languages, copied from the Rust
// `code_enum!` declarations until the generated bindings/codes.ts lands.
import type {
  AttendeeRole,
  ConsentMethod,
  ContactKind,
  Entity,
  EventKind,
  FundingSource,
  InitiatorKind,
  ObjectType,
  Op,
  ProgramKind,
  ReportKind,
  Role,
  Stage,
  TerritoryKind,
} from './types';

export interface Coded<C extends string> {
  code: C;
  ru: string;
  en: string;
}

export const STAGES: readonly Coded<Stage>[] = [
  { code: 'idea', ru: 'идея', en: 'idea' },
  { code: 'discussion', ru: 'обсуждение', en: 'discussion' },
  { code: 'application', ru: 'заявка', en: 'application' },
  { code: 'selected', ru: 'отобран', en: 'selected' },
  { code: 'rejected', ru: 'не отобран', en: 'rejected' },
  { code: 'implementation', ru: 'реализация', en: 'implementation' },
  { code: 'completed', ru: 'реализован', en: 'completed' },
  { code: 'withdrawn', ru: 'отозван', en: 'withdrawn' },
];

export const OBJECT_TYPES: readonly Coded<ObjectType>[] = [
  { code: 'water_supply', ru: 'водоснабжение', en: 'water supply' },
  { code: 'roads', ru: 'дороги и тротуары', en: 'roads and pavements' },
  { code: 'street_lighting', ru: 'уличное освещение', en: 'street lighting' },
  { code: 'landscaping', ru: 'благоустройство', en: 'landscaping' },
  { code: 'culture', ru: 'культура', en: 'culture' },
  { code: 'sport', ru: 'спорт', en: 'sport' },
  { code: 'playground', ru: 'детская площадка', en: 'playground' },
  { code: 'fire_safety', ru: 'пожарная безопасность', en: 'fire safety' },
  { code: 'burial_places', ru: 'места захоронения', en: 'burial places' },
  { code: 'memorials', ru: 'памятники и мемориалы', en: 'memorials' },
  { code: 'other', ru: 'прочее', en: 'other' },
];

export const INITIATOR_KINDS: readonly Coded<InitiatorKind>[] = [
  { code: 'resident', ru: 'житель', en: 'resident' },
  { code: 'village_elder', ru: 'сельский староста', en: 'village elder' },
  { code: 'tos', ru: 'ТОС', en: 'TOS (territorial self-government)' },
  { code: 'initiative_group', ru: 'инициативная группа', en: 'initiative group' },
  { code: 'ngo', ru: 'НКО', en: 'NGO' },
  { code: 'business', ru: 'предприниматель', en: 'business' },
  { code: 'administration', ru: 'администрация', en: 'administration' },
];

export const TERRITORY_KINDS: readonly Coded<TerritoryKind>[] = [
  { code: 'region', ru: 'регион', en: 'region' },
  { code: 'district', ru: 'муниципальный район', en: 'municipal district' },
  { code: 'municipal_okrug', ru: 'муниципальный округ', en: 'municipal okrug' },
  { code: 'urban_okrug', ru: 'городской округ', en: 'urban okrug' },
  { code: 'urban_settlement', ru: 'городское поселение', en: 'urban settlement' },
  { code: 'rural_settlement', ru: 'сельское поселение', en: 'rural settlement' },
  { code: 'locality', ru: 'населённый пункт', en: 'locality' },
];

export const PROGRAM_KINDS: readonly Coded<ProgramKind>[] = [
  { code: 'ppmi', ru: 'ППМИ (поддержка местных инициатив)', en: 'Local initiatives support (PPMI)' },
  { code: 'people_budget', ru: '«Народный бюджет»', en: "People's budget" },
  { code: 'tos_contest', ru: 'конкурс проектов ТОС и старост', en: 'TOS and village elders contest' },
  { code: 'civic_50_50', ru: '«Гражданская инициатива 50/50»', en: 'Civic initiative 50/50' },
  { code: 'comfortable_environment', ru: 'ФКГС (комфортная городская среда)', en: 'Comfortable urban environment' },
  { code: 'other', ru: 'другая программа', en: 'other program' },
];

export const CONTACT_KINDS: readonly Coded<ContactKind>[] = [
  { code: 'person', ru: 'человек', en: 'person' },
  { code: 'organisation', ru: 'организация', en: 'organisation' },
];

export const ROLES: readonly Coded<Role>[] = [
  { code: 'resident', ru: 'житель', en: 'resident' },
  { code: 'village_elder', ru: 'сельский староста', en: 'village elder' },
  { code: 'tos_leader', ru: 'руководитель ТОС', en: 'TOS leader' },
  { code: 'entrepreneur', ru: 'предприниматель', en: 'entrepreneur' },
  { code: 'business', ru: 'бизнес', en: 'business' },
  { code: 'ngo', ru: 'НКО', en: 'NGO' },
  { code: 'institution_head', ru: 'руководитель учреждения', en: 'institution head' },
  { code: 'deputy', ru: 'депутат', en: 'deputy' },
  { code: 'official', ru: 'должностное лицо', en: 'official' },
  { code: 'expert', ru: 'эксперт', en: 'expert' },
  { code: 'media', ru: 'СМИ', en: 'media' },
];

export const CONSENT_METHODS: readonly Coded<ConsentMethod>[] = [
  { code: 'written', ru: 'письменно', en: 'in writing' },
  { code: 'electronic', ru: 'в электронной форме', en: 'electronically' },
  { code: 'oral', ru: 'устно', en: 'orally' },
];

export const EVENT_KINDS: readonly Coded<EventKind>[] = [
  { code: 'citizens_gathering', ru: 'сход граждан', en: "citizens' gathering" },
  { code: 'meeting', ru: 'собрание', en: 'meeting' },
  { code: 'public_hearing', ru: 'публичные слушания', en: 'public hearing' },
  { code: 'survey', ru: 'опрос', en: 'survey' },
  { code: 'vote', ru: 'голосование', en: 'vote' },
  { code: 'subbotnik', ru: 'субботник', en: 'community clean-up' },
  { code: 'seminar', ru: 'семинар', en: 'seminar' },
  { code: 'webinar', ru: 'вебинар', en: 'webinar' },
  { code: 'strategy_session', ru: 'стратегическая сессия', en: 'strategy session' },
  { code: 'forum', ru: 'форум', en: 'forum' },
  { code: 'residents_meeting', ru: 'встреча с жителями', en: 'meeting with residents' },
];

export const ATTENDEE_ROLES: readonly Coded<AttendeeRole>[] = [
  { code: 'participant', ru: 'участник', en: 'participant' },
  { code: 'speaker', ru: 'выступающий', en: 'speaker' },
  { code: 'organiser', ru: 'организатор', en: 'organiser' },
  { code: 'official', ru: 'представитель власти', en: 'official' },
  { code: 'expert', ru: 'эксперт', en: 'expert' },
  { code: 'initiator', ru: 'инициатор', en: 'initiator' },
];

export const FUNDING_SOURCES: readonly Coded<FundingSource>[] = [
  { code: 'federal', ru: 'федеральный бюджет', en: 'federal budget' },
  { code: 'regional', ru: 'субсидия из краевого бюджета', en: 'regional subsidy' },
  { code: 'municipal', ru: 'местный бюджет', en: 'municipal budget' },
  { code: 'residents', ru: 'население', en: 'residents' },
  { code: 'business', ru: 'юридические лица и ИП', en: 'businesses and sponsors' },
  { code: 'in_kind', ru: 'неденежный вклад', en: 'in-kind contribution' },
];

export const REPORT_KINDS: readonly Coded<ReportKind>[] = [
  { code: 'registry', ru: 'Реестр инициативных проектов', en: 'Registry of initiatives' },
  { code: 'funding', ru: 'Софинансирование и привлечённые средства', en: 'Co-financing and attracted funds' },
  { code: 'engagement', ru: 'Вовлечённость населения', en: 'Public engagement' },
  { code: 'initiative', ru: 'Карточка инициативного проекта', en: "Initiative's card" },
  { code: 'contacts', ru: 'Контакты', en: 'Contacts' },
];

export const HISTORY_OPS: readonly Coded<Op>[] = [
  { code: 'create', ru: 'создание', en: 'created' },
  { code: 'update', ru: 'изменение', en: 'changed' },
  { code: 'delete', ru: 'удаление', en: 'deleted' },
  { code: 'stage', ru: 'смена стадии', en: 'stage changed' },
];

export const ENTITIES: readonly Coded<Entity>[] = [
  { code: 'territory', ru: 'территория', en: 'territory' },
  { code: 'program', ru: 'программа', en: 'program' },
  { code: 'initiative', ru: 'проект', en: 'initiative' },
  { code: 'contact', ru: 'контакт', en: 'contact' },
  { code: 'event', ru: 'мероприятие', en: 'event' },
  { code: 'appeal', ru: 'обращение', en: 'appeal' },
  { code: 'consent', ru: 'согласие', en: 'consent' },
  { code: 'attachment', ru: 'файл', en: 'attachment' },
];
