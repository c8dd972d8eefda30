import { describe, expect, it } from 'vitest';
import type { Initiative } from '../../ipc/types';
import { draftFrom, emptyDraft, inputFrom } from './draft';

describe('initiative draft', () => {
  it('turns typed roubles into exact kopecks and leaves out empty sources', () => {
    const d = emptyDraft(2025, 't1');
    d.title = 'Ремонт водопровода';
    d.total_cost = '1 000 000,10';
    d.budget.regional.planned = '950 000';
    d.budget.residents.planned = '50 000,10';
    const { input, errors } = inputFrom(d, 'ru');
    expect(errors).toEqual([]);
    expect(input?.total_cost).toBe(100_000_010);
    expect(input?.budget).toEqual([
      { source: 'regional', planned: 95_000_000, actual: 0, note: '' },
      { source: 'residents', planned: 5_000_010, actual: 0, note: '' },
    ]);
    expect(input?.implementation.contract_sum).toBeNull();
  });

  it('puts a sum that is not money on its own field, in both languages', () => {
    const d = emptyDraft(2025, 't1');
    d.total_cost = '';
    d.budget.business.planned = '12,345';
    const { input, errors } = inputFrom(d, 'ru');
    expect(input).toBeNull();
    expect(errors.map((e) => e.field)).toEqual(['total_cost', 'budget.business']);
    expect(errors[1]?.message.ru).toMatch(/копе/);
    expect(errors[1]?.message.en).toMatch(/kopeck/);
  });

  it('asks for a territory', () => {
    const d = emptyDraft(2025, null);
    d.total_cost = '1';
    expect(inputFrom(d, 'ru').errors.map((e) => e.field)).toEqual(['territory_id']);
  });

  it('a stored initiative comes back unchanged through the form', () => {
    const stored: Initiative = {
      id: 'i1',
      title: 'Освещение',
      description: '',
      object_type: 'street_lighting',
      territory_id: 't1',
      program_id: 'p1',
      year: 2024,
      initiator: { kind: 'tos', name: 'ТОС «Берёзка»', contact_id: null },
      total_cost: 123_456_789,
      budget: [
        { source: 'regional', planned: 100_000_000, actual: 99_999_999, note: '' },
        { source: 'in_kind', planned: 23_456_789, actual: 0, note: 'труд жителей' },
      ],
      beneficiaries: 300,
      supporters: 120,
      votes: 5,
      implementation: {
        contractor: 'ООО «Свет»',
        contract_sum: 120_000_000,
        contract_date: '2024-05-01',
        start_date: null,
        end_date: null,
        percent_done: 40,
      },
      results: '',
      stage: 'implementation',
      stage_on: '2024-05-01',
      stages: [],
      flags: [],
      stamp: { created_at: 0, updated_at: 0, updated_by: 'x', rev: 3 },
    };
    for (const lang of ['ru', 'en'] as const) {
      const { input } = inputFrom(draftFrom(stored, lang), lang);
      const { id: _id, stage: _s, stage_on: _o, stages: _st, flags: _f, stamp: _stamp, ...expected } = stored;
      expect(input).toEqual(expected);
    }
  });
});

describe('a saved initiative opened again', () => {
  it('gives the live check of its shares its whole saved budget, in either language', () => {
    const budget = [
      { source: 'federal', planned: 1, actual: 0, note: '' },
      { source: 'regional', planned: 80_000_000, actual: 79_999_999, note: '' },
      { source: 'municipal', planned: 10_000_000, actual: 0, note: 'решение думы № 12' },
      { source: 'residents', planned: 7_000_000, actual: 7_000_000, note: '' },
      { source: 'business', planned: 2_999_999, actual: 0, note: '' },
      { source: 'in_kind', planned: 0, actual: 0, note: 'труд жителей' },
    ] as const;
    const stored = {
      id: 'i2',
      title: 'Ремонт колодца',
      description: '',
      object_type: 'water_supply',
      territory_id: 't1',
      program_id: null,
      year: 2025,
      initiator: { kind: 'initiative_group', name: 'Жители', contact_id: null },
      total_cost: 100_000_000,
      budget: budget.map((l) => ({ ...l })),
      beneficiaries: 0,
      supporters: 0,
      votes: 0,
      implementation: { contractor: '', contract_sum: null, contract_date: null, start_date: null, end_date: null, percent_done: 0 },
      results: '',
      stage: 'application',
      stage_on: '2025-03-01',
      stages: [],
      flags: [],
      stamp: { created_at: 0, updated_at: 0, updated_by: 'x', rev: 1 },
    } satisfies Initiative;
    for (const lang of ['ru', 'en'] as const) {
      const { input, errors } = inputFrom(draftFrom(stored, lang), lang);
      expect(errors, `${lang}: the saved sums read back as money, so the check is asked at once`).toEqual([]);
      expect(input?.budget, `${lang}: every line, down to a kopeck and a note-only line, reaches the check`).toEqual(stored.budget);
      expect(input?.total_cost).toBe(stored.total_cost);
    }
  });
});
