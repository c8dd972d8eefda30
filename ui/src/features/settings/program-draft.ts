// The program form's state: shares typed as percentages and sums as roubles, converted to the
// core's basis points and kopecks exactly.

import { bilingual } from '../../i18n/text';
import type { FieldError, Lang, Program, ProgramInput, ProgramKind } from '../../ipc/types';
import { formatBpInput, formatRoublesInput, parsePercentBp, parseRoubles } from '../../lib/money';

export interface CycleDraft {
  year: number | null;
  applications_open: string;
  applications_close: string;
  fund: string;
}

export interface ProgramDraft {
  code: string;
  name: string;
  kind: ProgramKind;
  description: string;
  min_residents: string;
  min_business: string;
  min_municipal: string;
  max_subsidy_share: string;
  max_subsidy: string;
  cycles: CycleDraft[];
}

export function emptyProgram(year: number): ProgramDraft {
  return {
    code: '',
    name: '',
    kind: 'ppmi',
    description: '',
    min_residents: '',
    min_business: '',
    min_municipal: '',
    max_subsidy_share: '',
    max_subsidy: '',
    cycles: [{ year, applications_open: '', applications_close: '', fund: '' }],
  };
}

export function draftFromProgram(p: Program, lang: Lang): ProgramDraft {
  const pct = (bp: number | null) => (bp ? formatBpInput(bp, lang) : '');
  const money = (k: number | null) => (k == null ? '' : formatRoublesInput(k, lang));
  return {
    code: p.code,
    name: p.name,
    kind: p.kind,
    description: p.description,
    min_residents: pct(p.rules.min_residents_share_bp),
    min_business: pct(p.rules.min_business_share_bp),
    min_municipal: pct(p.rules.min_municipal_share_bp),
    max_subsidy_share: pct(p.rules.max_subsidy_share_bp),
    max_subsidy: money(p.rules.max_subsidy_kopecks),
    cycles: p.cycles.map((c) => ({
      year: c.year,
      applications_open: c.applications_open ?? '',
      applications_close: c.applications_close ?? '',
      fund: money(c.fund_kopecks),
    })),
  };
}

export function inputFromProgram(d: ProgramDraft, lang: Lang): { input: ProgramInput | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const read = (field: string, text: string, parse: typeof parseRoubles): number | null => {
    const p = parse(text, lang);
    if (p.ok) return p.kopecks;
    if (p.reason !== 'empty') errors.push({ field, message: bilingual(p.reason === 'precision' ? 'money.precision' : 'money.format') });
    return null;
  };
  const rules = {
    min_residents_share_bp: read('rules.min_residents_share_bp', d.min_residents, parsePercentBp) ?? 0,
    min_business_share_bp: read('rules.min_business_share_bp', d.min_business, parsePercentBp) ?? 0,
    min_municipal_share_bp: read('rules.min_municipal_share_bp', d.min_municipal, parsePercentBp) ?? 0,
    max_subsidy_share_bp: read('rules.max_subsidy_share_bp', d.max_subsidy_share, parsePercentBp),
    max_subsidy_kopecks: read('rules.max_subsidy_kopecks', d.max_subsidy, parseRoubles),
  };
  const cycles = d.cycles.map((c, i) => ({
    year: c.year ?? 0,
    applications_open: c.applications_open || null,
    applications_close: c.applications_close || null,
    fund_kopecks: read(`cycles[${i}].fund_kopecks`, c.fund, parseRoubles),
  }));
  if (errors.length) return { input: null, errors };
  return { input: { code: d.code, name: d.name, kind: d.kind, description: d.description, rules, cycles }, errors };
}
