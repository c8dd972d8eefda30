#!/usr/bin/env python3
"""The benchmark's yardstick: the registry of initiatives written with Python's XlsxWriter.

Reads the same rows from the same SQLite file with the standard library's sqlite3 and writes an
equivalent workbook — the same title block, 23 columns, formats, per-row share formulas with cached
values, subtotals per municipality, the total, column widths, frozen header, filters and print
setup — in XlsxWriter's constant-memory mode, the fair match for the Rust writer's.
Prints one JSON line: rows and seconds.

Usage: registry_xlsxwriter.py DATABASE OUTPUT.xlsx TODAY(YYYY-MM-DD)
"""

import json
import sqlite3
import sys
import time
import uuid

import xlsxwriter

SOURCES = ["federal", "regional", "municipal", "residents", "business", "in_kind"]
PERSONAL = ("resident", "village_elder", "business")
MUNICIPAL = ("district", "municipal_okrug", "urban_okrug")
STAGES = {"idea": "идея", "discussion": "обсуждение", "application": "заявка", "selected": "отобран",
          "rejected": "не отобран", "implementation": "реализация", "completed": "реализован", "withdrawn": "отозван"}
HEADERS = ["№ п/п", "Муниципальное образование", "Территория (населённый пункт)", "Наименование проекта", "Тип объекта",
           "Программа", "Год", "Стадия", "Инициатор", "Стоимость проекта, ₽", "Федеральный бюджет, ₽",
           "Краевой бюджет (субсидия), ₽", "Местный бюджет, ₽", "Средства населения, ₽", "Средства юридических лиц и ИП, ₽",
           "Неденежный вклад, ₽", "Доля населения", "Доля бизнеса", "Доля внебюджетных средств", "Освоено (факт), ₽",
           "Благополучатели, чел.", "Голосов", "Код записи Mestno"]
SUMMED = [9, 10, 11, 12, 13, 14, 15, 19, 20, 21]


def main():
    db_path, out, today = sys.argv[1:4]
    started = time.perf_counter()
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    nodes = {r[0]: r for r in db.execute("SELECT id, parent_id, kind, name, sort_key FROM territories")}

    def municipality(t):
        at = t
        while at is not None:
            if nodes[at][2] in MUNICIPAL:
                return at
            at = nodes[at][1]
        return t

    muni = {t: municipality(t) for t in nodes}
    sources = ", ".join(
        f"coalesce((SELECT planned_kopecks FROM budget_lines b WHERE b.initiative_id = i.id AND b.source = '{s}'), 0)" for s in SOURCES)
    rows = db.execute(
        f"""SELECT i.id, i.territory_id, i.sort_key, i.title, i.object_type, p.code, i.year, i.stage, i.initiator_kind, i.initiator_name,
                   ((i.initiator_kind NOT IN ('resident', 'village_elder', 'business') AND c.id IS NULL) OR c.kind = 'organisation' OR EXISTS (
                       SELECT 1 FROM consents k WHERE k.contact_id = c.id AND k.given_on <= :d AND (k.withdrawn_on IS NULL OR k.withdrawn_on > :d)
                       AND (k.expires_on IS NULL OR k.expires_on >= :d))),
                   i.total_cost_kopecks, {sources},
                   coalesce((SELECT sum(actual_kopecks) FROM budget_lines b WHERE b.initiative_id = i.id), 0), i.beneficiaries, i.votes
            FROM initiatives i LEFT JOIN programs p ON p.id = i.program_id LEFT JOIN contacts c ON c.id = i.initiator_contact_id""",
        {"d": today}).fetchall()
    rows.sort(key=lambda r: (nodes[muni[r[1]]][4], muni[r[1]], r[2], r[0]))

    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    border = {"border": 1, "border_color": "#A6A6A6"}
    fmt = {k: book.add_format({**border, **extra}) for k, extra in {
        "text": {}, "int": {"num_format": "#,##0"}, "money": {"num_format": '#,##0.00\\ "₽"'}, "pct": {"num_format": "0.00%"}}.items()}
    sub = {k: book.add_format({**border, "bold": True, "bg_color": "#EDF3FA", **extra}) for k, extra in {
        "text": {}, "int": {"num_format": "#,##0"}, "money": {"num_format": '#,##0.00\\ "₽"'}, "pct": {"num_format": "0.00%"}}.items()}
    header_fmt = book.add_format({**border, "bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "bg_color": "#D9E1F2"})
    ws = book.add_worksheet("Реестр")
    ws.write(0, 0, "Реестр инициативных проектов", book.add_format({"bold": True, "font_size": 14}))
    for k, line in enumerate(["Программа: все программы", "Период: все годы", "Территория: все территории",
                              f"Дата выгрузки: {today[8:10]}.{today[5:7]}.{today[:4]}", "Проектный офис: не указан",
                              "Проекты всех стадий.", "Имена инициаторов-граждан — только при согласии (152-ФЗ)."]):
        ws.write_string(1 + k, 0, line)
    header = 9
    for col, h in enumerate(HEADERS):
        ws.write_string(header, col, h, header_fmt)
    widths = [10] * len(HEADERS)
    r, count, group_first, group, sums, total = header + 1, 0, header + 1, None, [0] * 10, [0] * 10

    def shares(row, f, s):
        n = row + 1
        cost, res, bus, ext = s[0], s[4], s[5], s[4] / 100 + s[5] / 100 + s[6] / 100
        ws.write_formula(row, 16, f"=IF(J{n}>0,N{n}/J{n},0)", f["pct"], (res / 100) / (cost / 100) if cost > 0 else 0)
        ws.write_formula(row, 17, f"=IF(J{n}>0,O{n}/J{n},0)", f["pct"], (bus / 100) / (cost / 100) if cost > 0 else 0)
        ws.write_formula(row, 18, f"=IF(J{n}>0,(N{n}+O{n}+P{n})/J{n},0)", f["pct"], ext / (cost / 100) if cost > 0 else 0)

    def totals(row, name, label, first, s):
        ws.write_string(row, 1, name, sub["text"])
        ws.write_string(row, 3, label, sub["text"])
        for k, col in enumerate(SUMMED):
            letter = xlsxwriter.utility.xl_col_to_name(col)
            value = s[k] / 100 if col < 20 else s[k]
            ws.write_formula(row, col, f"=SUBTOTAL(9,{letter}{first + 1}:{letter}{max(row, first + 1)})", sub["money" if col < 20 else "int"], value)
        shares(row, sub, s)

    for row in rows:
        m = muni[row[1]]
        if group is not None and m != group:
            totals(r, nodes[group][3], "Итого по муниципальному образованию", group_first, sums)
            total = [a + b for a, b in zip(total, sums)]
            r, group_first, sums = r + 1, r + 2, [0] * 10
        group = m
        count += 1
        name = nodes[m][3]
        initiator = row[9] if row[10] else f"{row[8]} (имя не раскрывается: нет согласия, 152-ФЗ)"
        texts = [(1, name), (2, nodes[row[1]][3]), (3, row[3]), (4, row[4]), (5, row[5] or "вне программ"), (7, STAGES[row[7]]), (8, initiator)]
        ws.write_number(r, 0, count, fmt["int"])
        for col, value in texts:
            ws.write_string(r, col, value, fmt["text"])
            widths[col] = max(widths[col], len(value))
        ws.write_number(r, 6, row[6], fmt["text"])
        ws.write_string(r, 22, str(uuid.UUID(bytes=row[0])), fmt["text"])
        figures = list(row[11:18]) + [row[18], row[19], row[20]]
        for k, col in enumerate(SUMMED):
            if col < 20:
                ws.write_number(r, col, figures[k] / 100, fmt["money"])
                widths[col] = max(widths[col], len(f"{figures[k] / 100:,.2f}") + 2)
            else:
                ws.write_number(r, col, figures[k], fmt["int"])
        shares(r, fmt, figures)
        sums = [a + b for a, b in zip(sums, figures)]
        r += 1
    if group is not None:
        totals(r, nodes[group][3], "Итого по муниципальному образованию", group_first, sums)
        total = [a + b for a, b in zip(total, sums)]
        r += 1
    totals(r, "", "Итого по реестру", header + 1, total)
    for col, w in enumerate(widths):
        ws.set_column(col, col, min(max(w * 1.1 + 2, 5), 70))
    ws.freeze_panes(header + 1, 4)
    ws.autofilter(header, 0, r - 1, len(HEADERS) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header)
    ws.set_footer("&LMestno&RСтраница &P из &N")
    book.close()
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": count, "seconds": round(seconds, 3), "rows_per_sec": round(count / seconds)}))


if __name__ == "__main__":
    main()
