// Fake dashboard figures and search, computed over the arrays.
import { EVENT_KINDS, STAGES } from '../codes';
import type { Funds, SearchHit, Stats, StatsFilter } from '../types';
import { fold, matches, subtree, type Db } from './db';

export function stats(db: Db, f: StatsFilter): Stats {
  const within = subtree(db, f.territory_id);
  const inits = db.initiatives.filter(
    (i) => (!f.program_id || i.program_id === f.program_id) && (f.year == null || i.year === f.year) && (!within || within.has(i.territory_id)),
  );
  const programInits = new Set(db.initiatives.filter((i) => i.program_id === f.program_id).map((i) => i.id));
  const events = db.events.filter(
    (e) =>
      (!f.program_id || e.initiative_ids.some((id) => programInits.has(id))) &&
      (f.year == null || e.starts_at.startsWith(String(f.year))) &&
      (!within || within.has(e.territory_id)),
  );
  const zero = (): Funds => ({ federal: 0, regional: 0, municipal: 0, residents: 0, business: 0, in_kind: 0 });
  const planned = zero();
  const actual = zero();
  const byStage = Object.fromEntries(STAGES.map((s) => [s.code, 0])) as Stats['initiatives_by_stage'];
  let beneficiaries = 0;
  let votes = 0;
  for (const i of inits) {
    byStage[i.stage] = (byStage[i.stage] ?? 0) + 1;
    votes += i.votes;
    if (i.stage === 'rejected' || i.stage === 'withdrawn') continue;
    beneficiaries += i.beneficiaries;
    for (const l of i.budget) {
      planned[l.source] += l.planned;
      actual[l.source] += l.actual;
    }
  }
  const byKind = Object.fromEntries(EVENT_KINDS.map((k) => [k.code, 0])) as Stats['events_by_type'];
  const people = new Set<string>();
  let participants = 0;
  let anonymous = 0; // each event's headcount beyond its named attendees
  for (const e of events) {
    byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    participants += e.headcount;
    anonymous += e.headcount - e.attendees.length;
    for (const a of e.attendees) people.add(a.contact_id);
  }
  const reached = people.size + anonymous;
  const population = populationOf(db, f.territory_id, f.year);
  const share = (n: number): number => (population > 0 ? Math.round((n / population) * 1e6) / 1e6 : 0);
  const total = Object.values(planned).reduce((a, b) => a + b, 0);
  const budget = planned.federal + planned.regional + planned.municipal;
  return {
    initiatives: inits.length,
    initiatives_by_stage: byStage,
    funds_kopecks: planned,
    funds_total_kopecks: total,
    budget_kopecks: budget,
    extra_budgetary_kopecks: total - budget,
    funds_actual_kopecks: actual,
    events: events.length,
    events_by_type: byKind,
    participants,
    unique_people: people.size,
    population,
    engagement_share: share(people.size),
    people_reached: reached,
    people_reached_share: share(reached),
    beneficiaries,
    votes,
  };
}

/** A territory's own figure where it has one, else the sum of its parts (as the core counts). */
function populationOf(db: Db, id: string | null, year: number | null): number {
  const own = (tid: string): number | null => {
    const t = db.territories.find((x) => x.id === tid);
    const rows = (t?.population ?? []).filter((p) => year == null || p.year <= year).sort((a, b) => b.year - a.year);
    return rows[0]?.population ?? null;
  };
  const roots = id ? [id] : db.territories.filter((t) => !t.parent_id).map((t) => t.id);
  let sum = 0;
  const stack = [...roots];
  while (stack.length) {
    const t = stack.pop() as string;
    const p = own(t);
    if (p !== null) sum += p;
    else stack.push(...db.territories.filter((x) => x.parent_id === t).map((x) => x.id));
  }
  return sum;
}

function snippet(text: string, query: string): string {
  const words = fold(query).split(/\s+/).filter(Boolean);
  return text
    .split(/(\s+)/)
    .map((w) => (words.some((q) => fold(w).startsWith(q)) ? `[${w}]` : w))
    .join('')
    .slice(0, 120);
}

export function search(db: Db, text: string, limit: number): SearchHit[] {
  const hits: SearchHit[] = [];
  const add = (entity: SearchHit['entity'], id: string, title: string, body: string) => {
    if (matches(`${title} ${body}`, text)) hits.push({ entity, id, title, snippet: snippet(title, text), rank: -title.length });
  };
  for (const i of db.initiatives) add('initiative', i.id, i.title, i.description);
  for (const c of db.contacts) add('contact', c.id, c.display_name, `${c.org_name} ${c.phones.join(' ')}`);
  for (const e of db.events) add('event', e.id, e.title, e.place);
  // The shell asks for 20 unless told, and never more than 50.
  return hits.slice(0, Math.min(limit ?? 20, 50));
}
