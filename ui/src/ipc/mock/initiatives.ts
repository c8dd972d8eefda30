// Fake initiatives: validation and co-financing rules as the core words them, keyset lists.
import type {
  FieldError,
  FundingSource,
  Initiative,
  InitiativeCheck,
  InitiativeInput,
  InitiativeQuery,
  InitiativeRow,
  Page,
  Stage,
} from '../types';
import { bump, created, deleted, diff, fail, matches, newId, notFound, page, Problems, record, stamp, subtree, type Db } from './db';

const BINDING: Stage[] = ['application', 'selected', 'implementation', 'completed'];
const NEXT: Partial<Record<Stage, Stage[]>> = {
  idea: ['discussion', 'application'],
  discussion: ['application'],
  application: ['selected', 'rejected'],
  rejected: ['idea'],
  selected: ['implementation'],
  implementation: ['completed'],
};

const planned = (i: InitiativeInput, s: FundingSource) =>
  i.budget.filter((l) => l.source === s).reduce((a, l) => a + l.planned, 0);
const total = (i: InitiativeInput) => i.budget.reduce((a, l) => a + l.planned, 0);
const pct = (bp: number) => `${Math.floor(bp / 100)},${String(bp % 100).padStart(2, '0')}\u00a0%`;

function validate(db: Db, i: InitiativeInput): Problems {
  const p = new Problems();
  p.blank('title', i.title, 'название проекта', "initiative's title");
  if (i.year < 2000 || i.year > 2100) p.push('year', `год ${i.year} вне допустимого диапазона`, `year ${i.year} is out of range`);
  if (!db.territories.some((t) => t.id === i.territory_id)) p.push('territory_id', 'нет такой территории', 'no such territory');
  if (!i.initiator.name.trim() && !i.initiator.contact_id) {
    p.push('initiator', 'укажите инициатора: контакт или название группы', 'name the initiator: a contact or a group');
  }
  for (const f of ['beneficiaries', 'supporters', 'votes'] as const) {
    if (i[f] < 0) p.push(f, 'значение не может быть отрицательным', 'the value cannot be negative');
  }
  if (i.implementation.percent_done > 100 || i.implementation.percent_done < 0) {
    p.push('implementation.percent_done', 'процент выполнения — от 0 до 100', 'percent done is 0–100');
  }
  for (const l of i.budget) {
    if (l.planned < 0 || l.actual < 0) p.push(`budget.${l.source}`, 'сумма не может быть отрицательной', 'the amount cannot be negative');
  }
  if (i.budget.length && total(i) !== i.total_cost) {
    p.push('budget', 'сумма источников не равна общей стоимости проекта', 'the sources do not add up to the total cost');
  }
  return p;
}

export function flags(db: Db, i: InitiativeInput): FieldError[] {
  const prog = db.programs.find((p) => p.id === i.program_id);
  if (!prog) return [];
  const out: FieldError[] = [];
  const whole = total(i);
  const mins: [FundingSource, number, string, string][] = [
    ['residents', prog.rules.min_residents_share_bp, 'жителей', "residents'"],
    ['business', prog.rules.min_business_share_bp, 'бизнеса', 'business'],
    ['municipal', prog.rules.min_municipal_share_bp, 'местного бюджета', 'municipal'],
  ];
  for (const [source, min, ru, en] of mins) {
    if (!min) continue;
    const part = planned(i, source);
    if (whole === 0 || part * 10_000 < min * whole) {
      const bp = whole ? Math.floor((part * 10_000) / whole) : 0;
      out.push({
        field: `budget.${source}`,
        message: {
          ru: `доля средств ${ru} ${pct(bp)} меньше минимальной по программе ${pct(min)}`,
          en: `the ${en} share ${pct(bp)} is below the program's minimum ${pct(min)}`,
        },
      });
    }
  }
  const subsidy = planned(i, 'federal') + planned(i, 'regional');
  const cap = prog.rules.max_subsidy_kopecks;
  if (cap != null && subsidy > cap) {
    out.push({
      field: 'budget.regional',
      message: { ru: 'субсидия больше предельной по программе', en: "the subsidy exceeds the program's cap" },
    });
  }
  return out;
}

/** Shares that add up to exactly 100,00 % (largest remainder), and what saving at `stage` would say. */
export function check(db: Db, i: InitiativeInput, stage: Stage): InitiativeCheck {
  const whole = total(i);
  const exact = i.budget.map((l) => (whole ? (l.planned * 10_000) / whole : 0));
  const floors = exact.map(Math.floor);
  let left = whole ? 10_000 - floors.reduce((a, b) => a + b, 0) : 0;
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0]);
  for (const [rest, k] of order) {
    if (left <= 0 || rest <= 0) break;
    floors[k] = (floors[k] ?? 0) + 1;
    left -= 1;
  }
  const warnings = flags(db, i);
  const errors = validate(db, i).list;
  if (BINDING.includes(stage)) errors.push(...warnings);
  return {
    shares: i.budget.map((l, k) => ({ source: l.source, planned: l.planned, share_bp: floors[k] ?? 0 })),
    planned_total: whole,
    errors,
    warnings,
  };
}

export function initiative(db: Db, id: string): Initiative {
  return db.initiatives.find((i) => i.id === id) ?? notFound(db.info.lang, 'initiative', id);
}

function editable(i: Initiative): InitiativeInput {
  const { id: _id, stage: _s, stage_on: _o, stages: _st, flags: _f, stamp: _stamp, ...input } = i;
  return input;
}

export function saveInitiative(
  db: Db,
  id: string | null,
  rev: number | null,
  input: InitiativeInput,
  start: { stage: Stage | null; on: string | null; today: string },
): Initiative {
  const p = validate(db, input);
  const current = id ? initiative(db, id) : null;
  const stage = current?.stage ?? start.stage ?? 'idea';
  const today = start.on ?? start.today;
  const f = flags(db, input);
  if (BINDING.includes(stage)) p.list.push(...f);
  p.check(db.info.lang);
  if (!current) {
    const i: Initiative = {
      ...structuredClone(input),
      id: newId(),
      stage,
      stage_on: today,
      stages: [{ from: null, to: stage, on: today, note: '', recorded_at: db.clock }],
      flags: f,
      stamp: stamp(db),
    };
    db.initiatives.push(i);
    record(db, i.id, 'create', created({ ...input, stage, stage_on: today }));
    return i;
  }
  const i: Initiative = { ...current, ...structuredClone(input), flags: f, stamp: bump(db, 'initiative', current.stamp, rev) };
  db.initiatives[db.initiatives.indexOf(current)] = i;
  record(db, i.id, 'update', diff(editable(current), input));
  return i;
}

export function changeStage(db: Db, id: string, rev: number, to: Stage, on: string, note: string): Initiative {
  const cur = initiative(db, id);
  const p = new Problems();
  const allowed = cur.stage !== 'completed' && cur.stage !== 'withdrawn' && (to === 'withdrawn' || NEXT[cur.stage]?.includes(to));
  if (!allowed) p.push('stage', 'проект нельзя перевести в эту стадию', 'cannot move to that stage');
  if (on < cur.stage_on) p.push('on', 'дата раньше предыдущей смены стадии', 'the date is before the last stage change');
  if (BINDING.includes(to) && cur.flags.length) {
    p.push('stage', 'проект не соответствует условиям софинансирования программы', "the project breaks the program's rules");
  }
  p.check(db.info.lang);
  const i: Initiative = {
    ...cur,
    stage: to,
    stage_on: on,
    stages: [...cur.stages, { from: cur.stage, to, on, note, recorded_at: db.clock }],
    stamp: bump(db, 'initiative', cur.stamp, rev),
  };
  db.initiatives[db.initiatives.indexOf(cur)] = i;
  record(db, id, 'stage', { stage: { old: cur.stage, new: to }, stage_on: { old: cur.stage_on, new: on }, note: { new: note } });
  return i;
}

export function deleteInitiative(db: Db, id: string): null {
  const i = initiative(db, id);
  if (db.events.some((e) => e.initiative_ids.includes(id))) {
    fail('refused', db.info.lang === 'ru' ? 'проект обсуждался на мероприятиях' : 'the initiative was discussed at events');
  }
  db.initiatives = db.initiatives.filter((x) => x !== i);
  record(db, id, 'delete', deleted(editable(i)));
  return null;
}

export function row(db: Db, i: Initiative): InitiativeRow {
  return {
    id: i.id,
    title: i.title,
    object_type: i.object_type,
    stage: i.stage,
    stage_on: i.stage_on,
    year: i.year,
    territory_id: i.territory_id,
    territory_name: db.territories.find((t) => t.id === i.territory_id)?.name ?? '',
    program_code: db.programs.find((p) => p.id === i.program_id)?.code ?? null,
    total_cost: i.total_cost,
    residents: planned(i, 'residents'),
    beneficiaries: i.beneficiaries,
    updated_at: i.stamp.updated_at,
  };
}

export function listInitiatives(db: Db, q: InitiativeQuery): Page<InitiativeRow> {
  const within = subtree(db, q.territory_id);
  const rows = db.initiatives.filter(
    (i) =>
      (!q.program_id || i.program_id === q.program_id) &&
      (q.year == null || i.year === q.year) &&
      (!within || within.has(i.territory_id)) &&
      (!q.stages.length || q.stages.includes(i.stage)) &&
      (!q.object_type || i.object_type === q.object_type) &&
      matches(`${i.title} ${i.description}`, q.text),
  );
  const key = {
    title: (i: Initiative) => i.title.toLowerCase(),
    total_cost: (i: Initiative) => i.total_cost,
    year: (i: Initiative) => i.year,
    updated: (i: Initiative) => i.stamp.updated_at,
  }[q.sort];
  const p = page(rows, key, q.direction, q.after, q.limit);
  return { ...p, items: p.items.map((i) => row(db, i)) };
}
