// The act of destruction is a Russian document whatever language the window speaks: the reason
// the form proposes and the act's file name are Russian in both.

/** The reason the erasure form proposes. */
export const DEFAULT_REASON = 'заявление субъекта персональных данных об уничтожении его персональных данных';

/** The start of an act's file name; the request's number follows, never the person's name. */
export const ACT_FILE = 'Акт об уничтожении ПД';
