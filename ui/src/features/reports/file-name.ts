// The name the save dialog proposes: «Реестр проектов 2024.xlsx».
import type { ReportKind } from '../../ipc/types';

const NAMES: Record<ReportKind, string> = {
  registry: 'Реестр проектов',
  funding: 'Привлечённые средства',
  engagement: 'Вовлечённость',
  initiative: 'Карточка проекта',
  contacts: 'Контакты',
};

/** The report's file name. */
export function defaultFileName(kind: ReportKind, year: number | null, title: string | null): string {
  const parts = [NAMES[kind]];
  if (kind === 'initiative' && title) parts.push(title.slice(0, 60));
  else if (year) parts.push(String(year));
  return xlsxName(parts);
}

/** `parts` joined into an .xlsx file name safe on Windows, macOS and Linux alike. */
export function xlsxName(parts: string[]): string {
  // Control characters, too, are refused by Windows in file names.
  // eslint-disable-next-line no-control-regex
  const name = parts.join(' ').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return `${name}.xlsx`;
}
