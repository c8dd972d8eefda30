// The act of destruction is a Russian document whatever language the window speaks: the reason
// the form proposes and the act's file name are Russian in both.
import { xlsxName } from '../reports/file-name';

/** The reason the erasure form proposes. */
export const DEFAULT_REASON = 'заявление субъекта персональных данных об уничтожении его персональных данных';

/** The act's file name: named by the request's number, never by the person. */
export function actFileName(requestNumber: string): string {
  return xlsxName(['Акт об уничтожении ПД', requestNumber]);
}
