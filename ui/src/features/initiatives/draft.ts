// The initiative form's state: what the person types (sums as text) and its conversion to the
// core's InitiativeInput (sums as exact kopecks), with the UI's own errors for sums that do
// not read as money.

import { bilingual } from '../../i18n/text';
import { FUNDING_SOURCES } from '../../ipc/codes';
import type {
  FieldError,
  FundingSource,
  Initiative,
  InitiativeInput,
  InitiatorKind,
  Lang,
  ObjectType,
} from '../../ipc/types';
import { formatRoublesInput, parseRoubles, type MoneyParse } from '../../lib/money';

export interface BudgetDraft {
  planned: string;
  actual: string;
  note: string;
}

export interface InitiativeDraft {
  title: string;
  /** Registration number (номер заявки); empty when it has none. */
  number: string;
  description: string;
  object_type: ObjectType;
  territory_id: string | null;
  program_id: string | null;
  year: number;
  initiator: { kind: InitiatorKind; name: string; contact_id: string | null };
  total_cost: string;
  budget: Record<FundingSource, BudgetDraft>;
  beneficiaries: number | null;
  supporters: number | null;
  votes: number | null;
  implementation: {
    contractor: string;
    contract_sum: string;
    contract_date: string;
    start_date: string;
    end_date: string;
    percent_done: number | null;
  };
  results: string;
}

const SOURCES = FUNDING_SOURCES.map((s) => s.code);

export function emptyDraft(year: number, territoryId: string | null = null): InitiativeDraft {
  const budget = Object.fromEntries(SOURCES.map((s) => [s, { planned: '', actual: '', note: '' }])) as Record<
    FundingSource,
    BudgetDraft
  >;
  return {
    title: '',
    number: '',
    description: '',
    object_type: 'landscaping',
    territory_id: territoryId,
    program_id: null,
    year,
    initiator: { kind: 'initiative_group', name: '', contact_id: null },
    total_cost: '',
    budget,
    beneficiaries: 0,
    supporters: 0,
    votes: 0,
    implementation: { contractor: '', contract_sum: '', contract_date: '', start_date: '', end_date: '', percent_done: 0 },
    results: '',
  };
}

export function draftFrom(i: Initiative, lang: Lang): InitiativeDraft {
  const d = emptyDraft(i.year, i.territory_id);
  const money = (k: number) => formatRoublesInput(k, lang);
  for (const line of i.budget) {
    d.budget[line.source] = { planned: money(line.planned), actual: line.actual ? money(line.actual) : '', note: line.note };
  }
  return {
    ...d,
    title: i.title,
    number: i.number ?? '',
    description: i.description,
    object_type: i.object_type,
    program_id: i.program_id,
    initiator: { ...i.initiator },
    total_cost: money(i.total_cost),
    beneficiaries: i.beneficiaries,
    supporters: i.supporters,
    votes: i.votes,
    implementation: {
      contractor: i.implementation.contractor,
      contract_sum: i.implementation.contract_sum == null ? '' : money(i.implementation.contract_sum),
      contract_date: i.implementation.contract_date ?? '',
      start_date: i.implementation.start_date ?? '',
      end_date: i.implementation.end_date ?? '',
      percent_done: i.implementation.percent_done,
    },
    results: i.results,
  };
}

function moneyError(field: string, p: MoneyParse & { ok: false }): FieldError {
  const key = p.reason === 'precision' ? 'money.precision' : p.reason === 'range' ? 'money.range' : 'money.format';
  return { field, message: bilingual(key) };
}

/** The core's input for the draft, or the errors that stop it from being one. */
export function inputFrom(d: InitiativeDraft, lang: Lang): { input: InitiativeInput | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const required = (field: string, text: string): number => {
    const p = parseRoubles(text, lang);
    if (p.ok) return p.kopecks;
    errors.push(p.reason === 'empty' ? { field, message: bilingual('money.required') } : moneyError(field, p));
    return 0;
  };
  const optional = (field: string, text: string): number | null => {
    const p = parseRoubles(text, lang);
    if (p.ok) return p.kopecks;
    if (p.reason !== 'empty') errors.push(moneyError(field, p));
    return null;
  };

  const total_cost = required('total_cost', d.total_cost);
  const budget = [];
  for (const source of SOURCES) {
    const line = d.budget[source];
    const planned = optional(`budget.${source}`, line.planned);
    const actual = optional(`budget.${source}`, line.actual);
    if (planned === null && actual === null && line.note.trim() === '') continue;
    budget.push({ source, planned: planned ?? 0, actual: actual ?? 0, note: line.note });
  }
  const contract_sum = optional('implementation.contract_sum', d.implementation.contract_sum);
  if (!d.territory_id) errors.push({ field: 'territory_id', message: bilingual('form.chooseTerritory') });
  if (errors.length || !d.territory_id) return { input: null, errors };

  const orNull = (s: string) => (s === '' ? null : s);
  return {
    errors,
    input: {
      title: d.title,
      number: d.number.trim() === '' ? undefined : d.number.trim(),
      description: d.description,
      object_type: d.object_type,
      territory_id: d.territory_id,
      program_id: d.program_id,
      year: d.year,
      initiator: { ...d.initiator },
      total_cost,
      budget,
      beneficiaries: d.beneficiaries ?? 0,
      supporters: d.supporters ?? 0,
      votes: d.votes ?? 0,
      implementation: {
        contractor: d.implementation.contractor,
        contract_sum,
        contract_date: orNull(d.implementation.contract_date),
        start_date: orNull(d.implementation.start_date),
        end_date: orNull(d.implementation.end_date),
        percent_done: d.implementation.percent_done ?? 0,
      },
      results: d.results,
    },
  };
}
