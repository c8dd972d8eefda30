// The fake backend: every command of the Rust shell over the arrays in db.ts, so the built UI
// runs in a plain browser for the browser tests. Never part of the production bundle.
import { emit } from '@tauri-apps/api/event';
import { newDb, type Db } from './db';
import { stats, search } from './figures';
import * as inits from './initiatives';
import { loadDemo } from './demo';
import { FakeImport, SAMPLE_PATH } from './import';
import * as office from './office';
import * as people from './people';

type Args = Record<string, unknown>;
type ArgName =
  | 'id'
  | 'rev'
  | 'keep'
  | 'duplicate'
  | 'input'
  | 'query'
  | 'filter'
  | 'scale'
  | 'lang'
  | 'stage'
  | 'to'
  | 'on'
  | 'note'
  | 'text'
  | 'limit'
  | 'kind'
  | 'path'
  | 'request'
  | 'act';
type ImportArg = 'sheet' | 'mapping' | 'skipBad';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

export class FakeBackend {
  db: Db = newDb();
  /** Every command received, in order (the browser tests read it). */
  calls: { cmd: string; args: Args }[] = [];
  /** Milliseconds each list page takes, to see loading states. */
  latency = 0;
  today = '2025-05-15';
  /** The file the open dialog picks; null: the person cancels it. */
  openPath: string | null = SAMPLE_PATH;
  /** The file the app was started with, handed to the window once; none unless a test sets it. */
  launchFile: string | null = null;
  /** The import wizard's open file and the mappings it remembers. */
  imports = new FakeImport();
  /** Commands wait for this: a preset office being filled before the app's first call. */
  ready: Promise<unknown> = Promise.resolve();

  async progress(task: string, done: number, total: number): Promise<void> {
    await emit('progress', { task, done, total });
    await pause(60);
  }

  async handle(cmd: string, args: Args = {}): Promise<unknown> {
    this.calls.push({ cmd, args });
    await this.ready;
    const db = this.db;
    // Arguments arrive as the UI sends them; like Tauri's serde, the fake trusts their shapes.
    const a = args as Record<ArgName | ImportArg, never>;
    switch (cmd) {
      case 'app_info':
        return { ...db.info, empty: db.territories.length === 0 };
      case 'setup_office':
        return office.setupOffice(db, a.input);
      case 'load_demo':
        return loadDemo(db, a.scale, (t, d, n) => this.progress(t, d, n));
      case 'set_lang':
        db.info.lang = a.lang;
        return null;
      case 'territories':
        return office.territoryNodes(db);
      case 'territory':
        return office.territory(db, a.id);
      case 'save_territory':
        return office.saveTerritory(db, a.id, a.rev, a.input);
      case 'delete_territory':
        return office.deleteTerritory(db, a.id);
      case 'programs':
        return db.programs;
      case 'program':
        return office.program(db, a.id);
      case 'save_program':
        return office.saveProgram(db, a.id, a.rev, a.input);
      case 'delete_program':
        return office.deleteProgram(db, a.id);
      case 'stats':
        return stats(db, a.filter);
      case 'list_initiatives':
        if (this.latency) await pause(this.latency);
        return inits.listInitiatives(db, a.query);
      case 'initiative':
        return inits.initiative(db, a.id);
      case 'save_initiative':
        return inits.saveInitiative(db, a.id, a.rev, a.input, { stage: a.stage, on: a.on, today: this.today });
      case 'check_initiative':
        return inits.check(db, a.input, a.stage ?? 'idea');
      case 'change_stage':
        return inits.changeStage(db, a.id, a.rev, a.to, a.on, a.note);
      case 'delete_initiative':
        return inits.deleteInitiative(db, a.id);
      case 'history':
        return db.history.get(a.id) ?? [];
      case 'list_contacts':
        return people.listContacts(db, a.query);
      case 'contact':
        return people.contact(db, a.id);
      case 'save_contact':
        return people.saveContact(db, a.id, a.rev, a.input);
      case 'delete_contact':
        return people.deleteContact(db, a.id);
      case 'add_consent':
        return people.addConsent(db, a.id, a.input, this.today);
      case 'withdraw_consent':
        return people.withdrawConsent(db, a.id, a.on);
      case 'contact_activity':
        return people.contactActivity(db, a.id);
      case 'merge_contacts':
        return people.mergeContacts(db, a.keep, a.rev, a.duplicate);
      case 'export_person':
        return people.exportPerson(db, a.id);
      case 'erase_person':
        return people.erasePerson(db, a.id, a.request, a.act, this.today);
      case 'erasure_log':
        return db.erasures;
      case 'erasure_act':
        return null;
      case 'list_events':
        return people.listEvents(db, a.query);
      case 'event':
        return people.event(db, a.id);
      case 'save_event':
        return people.saveEvent(db, a.id, a.rev, a.input);
      case 'delete_event':
        return people.deleteEvent(db, a.id);
      case 'search':
        return search(db, a.text, a.limit);
      case 'export_report': {
        for (let done = 0; done <= 4; done++) await this.progress('Запись строк', done, 4);
        return { kind: a.kind, path: a.path, rows: db.initiatives.length, withheld: 0 };
      }
      case 'reveal':
        return null;
      case 'take_open_file': {
        const file = this.launchFile;
        this.launchFile = null;
        return file;
      }
      case 'import_open':
        return this.imports.open(db, a.path, a.kind);
      case 'import_sheet':
        return this.imports.sheet(db, a.sheet);
      case 'import_check':
        return this.imports.check(db, a.mapping);
      case 'import_commit':
        return this.imports.commit(db, a.skipBad, this.today, (done, total) =>
          this.progress(db.info.lang === 'ru' ? 'Загрузка записей' : 'Importing records', done, total),
        );
      case 'import_problems':
        return this.imports.problems(db, a.path);
      case 'import_close':
        return this.imports.close();
      case 'plugin:dialog|save': {
        const options = (args.options ?? {}) as { defaultPath?: string };
        return `/home/office/Документы/${options.defaultPath ?? 'report.xlsx'}`;
      }
      case 'plugin:dialog|open':
        return this.openPath;
      default:
        throw { code: 'internal', message: `command ${cmd} not found`, fields: [] };
    }
  }
}
