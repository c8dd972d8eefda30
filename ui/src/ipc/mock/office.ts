// Fake territories, programs and the office itself.
import type { OfficeSetup, Program, ProgramInput, Territory, TerritoryInput, TerritoryNode } from '../types';
import { bump, created, deleted, diff, fail, newId, notFound, Problems, record, stamp, type Db } from './db';

export function setupOffice(db: Db, input: OfficeSetup) {
  const p = new Problems();
  p.blank('office_name', input.office_name, 'название офиса', "office's name");
  checkTerritory(p, input.territory, 'territory.');
  p.check(db.info.lang);
  saveTerritory(db, null, null, input.territory);
  db.info = { ...db.info, office_name: input.office_name.trim(), empty: false };
  return db.info;
}

function checkTerritory(p: Problems, t: TerritoryInput, prefix = '') {
  p.blank(`${prefix}name`, t.name, 'название территории', "territory's name");
  if (t.oktmo && !/^(\d{8}|\d{11})$/.test(t.oktmo)) {
    p.push(`${prefix}oktmo`, 'код ОКТМО состоит из 8 или 11 цифр', 'an OKTMO code has 8 or 11 digits');
  }
  t.population.forEach((row, i) => {
    if (row.population < 0) {
      p.push(`${prefix}population[${i}].population`, 'значение не может быть отрицательным', 'the value cannot be negative');
    }
  });
}

export function territoryNodes(db: Db): TerritoryNode[] {
  return db.territories.map(({ id, parent_id, kind, name }) => ({ id, parent_id, kind, name }));
}

export function territory(db: Db, id: string): Territory {
  return db.territories.find((t) => t.id === id) ?? notFound(db.info.lang, 'territory', id);
}

export function saveTerritory(db: Db, id: string | null, rev: number | null, input: TerritoryInput): Territory {
  const p = new Problems();
  checkTerritory(p, input);
  if (input.parent_id && !db.territories.some((t) => t.id === input.parent_id)) {
    p.push('parent_id', 'нет такой территории', 'no such territory');
  }
  p.check(db.info.lang);
  if (!id) {
    const t: Territory = { ...structuredClone(input), id: newId(), stamp: stamp(db) };
    db.territories.push(t);
    record(db, t.id, 'create', created(input));
    return t;
  }
  const old = territory(db, id);
  const t: Territory = { ...structuredClone(input), id, stamp: bump(db, 'territory', old.stamp, rev) };
  db.territories[db.territories.indexOf(old)] = t;
  record(db, id, 'update', diff(old, input));
  return t;
}

export function deleteTerritory(db: Db, id: string): null {
  const t = territory(db, id);
  const used =
    db.territories.some((x) => x.parent_id === id) ||
    db.initiatives.some((i) => i.territory_id === id) ||
    db.events.some((e) => e.territory_id === id);
  if (used) {
    fail(
      'refused',
      db.info.lang === 'ru'
        ? `«${t.name}» нельзя удалить: в ней есть территории, проекты или мероприятия`
        : `«${t.name}» cannot be deleted: it holds territories, initiatives or events`,
    );
  }
  db.territories = db.territories.filter((x) => x.id !== id);
  const { id: _id, stamp: _stamp, ...input } = t;
  record(db, id, 'delete', deleted(input));
  return null;
}

export function program(db: Db, id: string): Program {
  return db.programs.find((p) => p.id === id) ?? notFound(db.info.lang, 'program', id);
}

export function saveProgram(db: Db, id: string | null, rev: number | null, input: ProgramInput): Program {
  const p = new Problems();
  p.blank('code', input.code, 'код программы', "program's code");
  p.blank('name', input.name, 'название программы', "program's name");
  const r = input.rules;
  if (r.min_residents_share_bp + r.min_business_share_bp + r.min_municipal_share_bp > 10_000) {
    p.push('rules', 'минимальные доли в сумме превышают 100 %', 'the minimum shares add up to more than 100 %');
  }
  p.check(db.info.lang);
  if (!id) {
    const prog: Program = { ...structuredClone(input), id: newId(), stamp: stamp(db) };
    db.programs.push(prog);
    record(db, prog.id, 'create', created(input));
    return prog;
  }
  const old = program(db, id);
  const prog: Program = { ...structuredClone(input), id, stamp: bump(db, 'program', old.stamp, rev) };
  db.programs[db.programs.indexOf(old)] = prog;
  record(db, id, 'update', diff(old, input));
  return prog;
}

export function deleteProgram(db: Db, id: string): null {
  const prog = program(db, id);
  if (db.initiatives.some((i) => i.program_id === id)) {
    fail('refused', db.info.lang === 'ru' ? `у программы «${prog.code}» есть проекты` : `«${prog.code}» has initiatives`);
  }
  db.programs = db.programs.filter((x) => x.id !== id);
  const { id: _id, stamp: _stamp, ...input } = prog;
  record(db, id, 'delete', deleted(input));
  return null;
}
