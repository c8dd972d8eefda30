// The UI's language: Russian by default, English on request. Every text comes from the
// dictionaries; `t` reads the current language, so templates follow a switch at once.

import type { Coded } from '../ipc/codes';
import type { Lang } from '../ipc/types';
import { en } from './en';
import { ru, type Key } from './ru';

export type { Key };

const dictionaries: Record<Lang, Record<Key, string>> = { ru, en };

let current = $state<Lang>('ru');

export const i18n = {
  get lang(): Lang {
    return current;
  },
  set lang(lang: Lang) {
    current = lang;
    document.documentElement.lang = lang;
  },
};

/** The text for `key`, with `{name}` placeholders filled from `params`. */
export function t(key: Key, params?: Record<string, string | number>): string {
  const text = dictionaries[current][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The name of a code (stage, object type…) in the current language. */
export function label<C extends string>(list: readonly Coded<C>[], code: C | null | undefined): string {
  if (code == null) return '';
  const found = list.find((l) => l.code === code);
  return found ? found[current] : code;
}
