// A deterministic fictional region for the mock: districts, settlements, programs, initiatives,
// contacts and events. `large` holds 20 000 initiatives, to try the lists at full size.
import { EVENT_KINDS, OBJECT_TYPES, ROLES } from '../codes';
import type { BudgetLine, Contact, DemoScale, Event, Initiative, Program, Stage, Territory } from '../types';
import { newId, type Db } from './db';

const SIZES: Record<DemoScale, { districts: number; settlements: number; initiatives: number; contacts: number; events: number }> = {
  small: { districts: 1, settlements: 12, initiatives: 300, contacts: 400, events: 150 },
  medium: { districts: 4, settlements: 10, initiatives: 3000, contacts: 1500, events: 800 },
  large: { districts: 10, settlements: 12, initiatives: 20_000, contacts: 5000, events: 3000 },
};

const DISTRICTS = ['Абанский', 'Берёзовский', 'Ирбейский', 'Канский', 'Манский', 'Партизанский', 'Рыбинский', 'Саянский', 'Тасеевский', 'Уярский'];
const PLACES = ['Берёзовка', 'Ивановка', 'Покровка', 'Никольское', 'Сосновка', 'Талая', 'Успенка', 'Заречье', 'Луговое', 'Малиновка', 'Садовое', 'Ключи'];
const WORKS: Record<string, string[]> = {
  water_supply: ['Ремонт водопровода', 'Обустройство скважины', 'Замена водонапорной башни'],
  roads: ['Ремонт дороги по ул. Мира', 'Устройство тротуара', 'Ремонт моста через ручей'],
  street_lighting: ['Уличное освещение ул. Советской', 'Освещение пешеходной дорожки'],
  landscaping: ['Благоустройство центральной площади', 'Сквер у дома культуры', 'Благоустройство парка'],
  culture: ['Ремонт сельского клуба', 'Оснащение библиотеки'],
  sport: ['Хоккейная коробка', 'Спортивная площадка у школы'],
  playground: ['Детская игровая площадка', 'Площадка для малышей'],
  fire_safety: ['Пожарный водоём', 'Минерализованная полоса'],
  burial_places: ['Ограждение кладбища'],
  memorials: ['Ремонт обелиска павшим воинам'],
  other: ['Остановочный павильон'],
};
const SURNAMES = ['Иванов', 'Петров', 'Семёнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Новиков', 'Морозов'];
const NAMES = ['Анна', 'Мария', 'Ольга', 'Елена', 'Иван', 'Пётр', 'Сергей', 'Николай', 'Татьяна', 'Алексей'];
const PATRONYMICS = ['Петрович', 'Ивановна', 'Сергеевич', 'Николаевна', 'Алексеевич', 'Викторовна'];
const STAGES: Stage[] = ['idea', 'discussion', 'application', 'selected', 'rejected', 'implementation', 'completed', 'withdrawn'];

/** mulberry32: the same data on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function feminine(surname: string, name: string): string {
  return /[ая]$/.test(name) ? `${surname}а` : surname;
}

export async function loadDemo(db: Db, scale: DemoScale, report: (task: string, done: number, total: number) => Promise<void>) {
  const size = SIZES[scale];
  const r = rng(2025);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const stamp = () => ({ created_at: db.clock, updated_at: db.clock, updated_by: 'demo', rev: 1 });

  await report('Территории', 0, 5);
  const region: Territory = { id: newId(), parent_id: null, kind: 'region', name: 'Демонстрационный край', oktmo: '', population: [], stamp: stamp() };
  const territories: Territory[] = [region];
  const settlements: Territory[] = [];
  for (let d = 0; d < size.districts; d++) {
    const district: Territory = {
      id: newId(), parent_id: region.id, kind: 'district', name: `${DISTRICTS[d % DISTRICTS.length]} район`, oktmo: '', population: [], stamp: stamp(),
    };
    territories.push(district);
    for (let s = 0; s < size.settlements; s++) {
      const t: Territory = {
        id: newId(), parent_id: district.id, kind: 'locality', name: `с. ${PLACES[s % PLACES.length]}${d ? ` (${DISTRICTS[d % DISTRICTS.length]?.slice(0, 3)}.)` : ''}`, oktmo: '',
        population: [2023, 2024, 2025].map((year) => ({ year, population: int(300, 6000) })), stamp: stamp(),
      };
      territories.push(t);
      settlements.push(t);
    }
  }
  db.territories = territories;

  await report('Программы', 1, 5);
  const cycles = [2023, 2024, 2025].map((year) => ({ year, applications_open: `${year}-02-01`, applications_close: `${year}-04-30`, fund_kopecks: 50_000_000_000 }));
  const programs: Program[] = [
    { id: newId(), code: 'ППМИ', name: 'Программа поддержки местных инициатив', kind: 'ppmi', description: '',
      rules: { min_residents_share_bp: 300, min_business_share_bp: 0, min_municipal_share_bp: 500, max_subsidy_share_bp: null, max_subsidy_kopecks: 150_000_000 }, cycles, stamp: stamp() },
    { id: newId(), code: 'НБ', name: '«Народный бюджет»', kind: 'people_budget', description: '',
      rules: { min_residents_share_bp: 100, min_business_share_bp: 0, min_municipal_share_bp: 0, max_subsidy_share_bp: null, max_subsidy_kopecks: null }, cycles, stamp: stamp() },
    { id: newId(), code: 'ТОС', name: 'Конкурс проектов ТОС и старост', kind: 'tos_contest', description: '',
      rules: { min_residents_share_bp: 500, min_business_share_bp: 0, min_municipal_share_bp: 0, max_subsidy_share_bp: null, max_subsidy_kopecks: 50_000_000 }, cycles, stamp: stamp() },
  ];
  db.programs = programs;

  await report('Контакты', 2, 5);
  const contacts: Contact[] = [];
  for (let k = 0; k < size.contacts; k++) {
    const first = pick(NAMES);
    const last = feminine(pick(SURNAMES), first);
    const t = pick(settlements);
    contacts.push({
      id: newId(), kind: 'person', last_name: last, first_name: first, middle_name: pick(PATRONYMICS), org_name: '', position: '',
      territory_id: t.id, address: '', notes: '', roles: [k % 7 === 0 ? 'village_elder' : pick(ROLES).code], phones: [`+7913${String(1_000_000 + k).slice(-7)}`],
      emails: [], tags: [], display_name: '', consents: k % 3 ? [{ id: newId(), purpose: 'участие в ППМИ', given_on: '2024-03-01', method: 'written', expires_on: null, withdrawn_on: null }] : [],
      stamp: stamp(),
    });
    const c = contacts[k] as Contact;
    c.display_name = `${c.last_name} ${c.first_name} ${c.middle_name}`;
  }
  db.contacts = contacts;

  await report('Проекты', 3, 5);
  const initiatives: Initiative[] = [];
  for (let k = 0; k < size.initiatives; k++) {
    const type = pick(OBJECT_TYPES).code;
    const t = pick(settlements);
    const prog = pick(programs);
    const year = int(2023, 2025);
    const total = int(3_000, 30_000) * 10_000 + int(0, 99);
    const residents = Math.ceil(total * (0.05 + r() * 0.05));
    const municipal = Math.ceil(total * (0.08 + r() * 0.04));
    const business = Math.floor(total * r() * 0.04);
    let regional = total - residents - municipal - business;
    const cap = prog.rules.max_subsidy_kopecks;
    const extraMunicipal = cap != null && regional > cap ? regional - cap : 0;
    regional -= extraMunicipal;
    const budget: BudgetLine[] = [
      { source: 'regional', planned: regional, actual: 0, note: '' },
      { source: 'municipal', planned: municipal + extraMunicipal, actual: 0, note: '' },
      { source: 'residents', planned: residents, actual: 0, note: '' },
    ];
    if (business) budget.push({ source: 'business', planned: business, actual: 0, note: '' });
    const stage = pick(STAGES);
    const elder = contacts[k % contacts.length] as Contact;
    initiatives.push({
      id: newId(), title: `${pick(WORKS[type] ?? ['Проект'])}, ${t.name}`, description: 'Проект предложен жителями на сходе.', object_type: type,
      territory_id: t.id, program_id: prog.id, year, initiator: { kind: 'village_elder', name: elder.display_name, contact_id: elder.id },
      total_cost: total, budget, beneficiaries: int(50, 3000), supporters: int(20, 500), votes: int(0, 900),
      implementation: { contractor: '', contract_sum: null, contract_date: null, start_date: null, end_date: null, percent_done: stage === 'completed' ? 100 : 0 },
      results: '', stage, stage_on: `${year}-05-15`, stages: [{ from: null, to: stage, on: `${year}-05-15`, note: '', recorded_at: db.clock }], flags: [],
      stamp: { ...stamp(), updated_at: db.clock + k },
    });
  }
  db.initiatives = initiatives;

  await report('Мероприятия', 4, 5);
  const events: Event[] = [];
  for (let k = 0; k < size.events; k++) {
    const kind = pick(EVENT_KINDS).code;
    const t = pick(settlements);
    const attendees = Array.from({ length: int(0, 6) }, () => (pick(contacts) as Contact).id)
      .filter((id, i, all) => all.indexOf(id) === i)
      .map((contact_id) => ({ contact_id, role: 'participant' as const }));
    events.push({
      id: newId(), kind, title: `${EVENT_KINDS.find((e) => e.code === kind)?.ru ?? ''}, ${t.name}`.replace(/^./, (ch) => ch.toUpperCase()),
      starts_at: `${int(2023, 2025)}-0${int(1, 9)}-1${int(0, 9)}T18:00:00`, ends_at: null, place: 'Дом культуры', territory_id: t.id,
      headcount: attendees.length + int(5, 120), attendees, initiative_ids: [(pick(initiatives) as Initiative).id], outcome: '', minutes: '', stamp: stamp(),
    });
  }
  db.events = events;
  db.info = { ...db.info, office_name: 'Демонстрационный проектный офис', empty: false };
  await report('Готово', 5, 5);
  return db.info;
}
