// The files the import tests open, written into a session's `Документы` folder when a test asks
// for them: real files on disk, read by the real import. The villages are the demo office's
// (crates/core's demo, seed 1), so the files match the office the way a real office's lists do.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { xlsx, zip } from './xlsx.mjs';

const ELDERS = [
  ['ФИО', 'Телефон', 'Населённый пункт', 'Примечание'],
  ['Григорьева Нина Павловна', '8 (913) 555-01-01', 'Берёзовка', 'председатель ТОС «Берёзка»'],
  ['Тарасов Олег Викторович', 'позвонить в сельсовет', 'Грачёвка', ''],
  ['Фомина Светлана Игоревна', '+7 913 555 03 03', 'с. Тальское', 'избрана в 2025 году'],
];

const FILES = {
  // Village elders under a title, one row with no phone, a totals row; a hidden sheet and a
  // sheet of notes beside it.
  'Старосты.xlsx': () =>
    xlsx([
      { name: 'Старосты', rows: [['Список сельских старост Идринского района на 01.05.2025'], [], ...ELDERS, ['Всего: 3 старосты']] },
      { name: 'Архив 2023', hidden: true, rows: [['ФИО', 'Телефон'], ['Лаптев Андрей Сергеевич', '8 913 555 09 09']] },
      { name: 'Пояснения', rows: [['Список ведёт специалист администрации.']] },
    ]),
  // A village the office has not entered yet, written two ways, as offices write it.
  'Реестр старост.xlsx': () =>
    xlsx([
      {
        name: 'Реестр',
        rows: [
          ['Реестр сельских старост'],
          ['ФИО', 'Телефон', 'Населённый пункт', 'Адрес'],
          ['Власова Мария Ивановна', '8 913 555 11 11', 'д. Степановка', 'ул. Лесная, 3'],
          ['Кудрявцев Пётр Ильич', '8 913 555 22 22', 'Грачёвка', ''],
          ['Орлов Илья Сергеевич', '8 913 555 33 33', 'дер. Степановка', ''],
        ],
      },
    ]),
  // Nothing at all.
  'Пустой.csv': () => Buffer.alloc(0),
  // A contract as PDF: no table in it (its page is a compressed, binary stream).
  'Договор.pdf': () =>
    Buffer.concat([
      Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n', 'latin1'),
      deflateSync(Buffer.from('BT /F1 12 Tf 72 712 Td (Договор № 7 на выполнение работ) Tj ET\n'.repeat(8))),
      Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
    ]),
  // A letter from Word (.docx): a zip of XML parts like an .xlsx, but a document, not a workbook.
  'Письмо.docx': () =>
    zip(
      [
        [
          '[Content_Types].xml',
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
            '<Default Extension="xml" ContentType="application/xml"/>' +
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
            '</Types>',
        ],
        [
          '_rels/.rels',
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
            '</Relationships>',
        ],
        [
          'word/document.xml',
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
            '<w:p><w:r><w:t>Просим включить проект «Ремонт клуба в Берёзовке» в перечень на 2026 год.</w:t></w:r></w:p>' +
            '<w:sectPr/></w:body></w:document>',
        ],
      ].map(([name, text]) => [name, Buffer.from(text, 'utf8')]),
    ),
};

/** Writes the test file `name` into `folder`; its path. */
export function writeFixture(folder, name) {
  const make = FILES[name];
  if (!make) throw new Error(`no test file «${name}»`);
  const path = join(folder, name);
  writeFileSync(path, make());
  return path;
}
