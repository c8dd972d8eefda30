// A sentence from the dictionaries in both languages, for errors the UI itself finds (a sum
// that does not read as money) so they sit beside the core's field errors.
import type { Text } from '../ipc/types';
import { en } from './en';
import { ru, type Key } from './ru';

export function bilingual(key: Key): Text {
  return { ru: ru[key], en: en[key] };
}
