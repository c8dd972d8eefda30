#!/usr/bin/env python3
"""Checks Mestno's five Excel reports against the office database, independently of the Rust code.

openpyxl reads the files — values, the cached results of formulas, the formulas themselves, number
formats, frozen panes, filters and print setup — and the standard library's sqlite3 recomputes
every figure from the database file with its own SQL. Exit status 0 when everything agrees.

Usage: check_reports.py DATABASE REPORTS_DIR TODAY(YYYY-MM-DD) CARD_INITIATIVE_ID
"""

import sqlite3
import sys
import uuid
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl

MONEY = '#,##0.00\\ "₽"'
PERCENT = "0.00%"
SOURCES = ["federal", "regional", "municipal", "residents", "business", "in_kind"]
PERSONAL_INITIATORS = ("resident", "village_elder", "business")
MUNICIPAL = ("district", "municipal_okrug", "urban_okrug")
INITIATOR_KINDS = {"resident": "житель", "village_elder": "сельский староста", "tos": "ТОС", "initiative_group": "инициативная группа",
                   "ngo": "НКО", "business": "предприниматель", "administration": "администрация"}


class Check:
    def __init__(self):
        self.errors, self.count = [], 0

    def equal(self, got, want, what):
        self.count += 1
        if got != want:
            self.errors.append(f"{what}: the file has {got!r}, the database {want!r}")

    def true(self, cond, what):
        self.count += 1
        if not cond:
            self.errors.append(what)


def kop(value):
    return round((value or 0) * 100)


def sheets(path):
    """The first sheet twice: with formulas' cached values, and with the formulas."""
    return openpyxl.load_workbook(path, data_only=True).active, openpyxl.load_workbook(path).active


def row_of(ws, col, text):
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, col).value == text:
            return row
    raise AssertionError(f"no row reads «{text}» in column {col}")


def title_block(ws, header):
    return "\n".join(str(ws.cell(r, 1).value or "") for r in range(1, header))


class Tree:
    def __init__(self, db):
        self.nodes = {r[0]: r for r in db.execute("SELECT id, parent_id, kind, name, sort_key FROM territories")}
        self.own = dict(db.execute(
            "SELECT territory_id, population FROM territory_population p "
            "WHERE year = (SELECT max(year) FROM territory_population q WHERE q.territory_id = p.territory_id)"))

    def municipality(self, t):
        at = t
        while at is not None:
            if self.nodes[at][2] in MUNICIPAL:
                return at
            at = self.nodes[at][1]
        return t

    def population(self, t):
        if t in self.own:
            return self.own[t]
        return sum(self.population(c) for c, n in self.nodes.items() if n[1] == t)

    def roots(self):
        return [t for t, n in self.nodes.items() if n[1] is None]


def consent_in_force(db, contact, today):
    return db.execute(
        "SELECT 1 FROM consents WHERE contact_id = ? AND given_on <= ? AND (withdrawn_on IS NULL OR withdrawn_on > ?) "
        "AND (expires_on IS NULL OR expires_on >= ?)", (contact, today, today, today)).fetchone() is not None


def check_layout(c, ws, header, frozen_col, name):
    c.equal(ws.freeze_panes, f"{frozen_col}{header + 1}", f"{name}: the header row is frozen")
    c.true(ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{header}:"), f"{name}: filters start at the header ({ws.auto_filter.ref})")
    c.equal(ws.page_setup.orientation, "landscape", f"{name}: printed landscape")
    fit = (ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight)
    c.equal(fit, (True, 1, 0), f"{name}: fitted to one page wide (width 1 is the default, left out)")
    c.equal((ws.print_title_rows or "").replace("$", ""), f"{header}:{header}", f"{name}: the header repeats on every page")


def check_registry(c, db, tree, ws, wf, today):
    header = row_of(ws, 1, "№ п/п")
    check_layout(c, ws, header, "E", "registry")
    c.equal(ws.cell(header + 1, 10).number_format, MONEY, "registry: roubles with two decimals and thousands")
    c.equal(ws.cell(header + 1, 17).number_format, PERCENT, "registry: shares as percentages")
    want, totals = Counter(), [0] * 10
    rows = db.execute(
        "SELECT i.id, i.title, i.territory_id, i.total_cost_kopecks, i.beneficiaries, i.votes, i.initiator_kind, "
        "i.initiator_name, i.initiator_contact_id, c.kind FROM initiatives i LEFT JOIN contacts c ON c.id = i.initiator_contact_id").fetchall()
    for (iid, title, territory, cost, benef, votes, ikind, iname, icontact, ckind) in rows:
        lines = dict((s, (p, a)) for s, p, a in db.execute(
            "SELECT source, planned_kopecks, actual_kopecks FROM budget_lines WHERE initiative_id = ?", (iid,)))
        figures = [cost] + [lines.get(s, (0, 0))[0] for s in SOURCES] + [sum(a for _, a in lines.values()), benef, votes]
        municipality = tree.nodes[tree.municipality(territory)][3]
        # A person's name needs their consent: a personal initiator's, or any initiator's linked to a person.
        disclosed = ((ikind not in PERSONAL_INITIATORS and not icontact) or ckind == "organisation"
                     or (icontact and consent_in_force(db, icontact, today)))
        initiator = (iname.strip() or INITIATOR_KINDS[ikind]) if disclosed else "HIDDEN"
        want[(title, municipality, tree.nodes[territory][3], initiator, *figures)] += 1
        totals = [a + b for a, b in zip(totals, figures)]
    got, group_first, order = Counter(), header + 1, []
    total = row_of(ws, 4, "Итого по реестру")
    for r in range(header + 1, total):
        if ws.cell(r, 4).value == "Итого по муниципальному образованию":
            order.append(tree_key(tree, ws.cell(r, 2).value))
            for col in (10, 14, 20):
                letter = openpyxl.utils.get_column_letter(col)
                c.equal(wf.cell(r, col).value, f"=SUBTOTAL(9,{letter}{group_first}:{letter}{r - 1})", f"registry row {r}: subtotal formula")
                c.equal(kop(ws.cell(r, col).value), sum(kop(ws.cell(x, col).value) for x in range(group_first, r)), f"registry row {r}: cached subtotal")
            group_first = r + 1
            continue
        title = ws.cell(r, 4).value
        figures = [kop(ws.cell(r, col).value) for col in (10, 11, 12, 13, 14, 15, 16, 20)] + [ws.cell(r, 21).value, ws.cell(r, 22).value]
        initiator = ws.cell(r, 9).value
        initiator = "HIDDEN" if "нет согласия" in initiator else initiator
        got[(title, ws.cell(r, 2).value, ws.cell(r, 3).value, initiator, *figures)] += 1
        cost, residents = ws.cell(r, 10).value, ws.cell(r, 14).value
        c.equal(ws.cell(r, 17).value, residents / cost if cost > 0 else 0, f"registry «{title}»: cached residents' share")
    c.equal(got, want, "registry: every initiative once, with its figures and its initiator named only with consent")
    c.equal(order, sorted(order), "registry: municipalities in alphabetical order")
    for k, col in enumerate((10, 11, 12, 13, 14, 15, 16, 20)):
        c.true(wf.cell(total, col).value.startswith("=SUBTOTAL(9,"), f"registry: the total of column {col} is a formula")
        c.equal(kop(ws.cell(total, col).value), totals[k], f"registry: cached total of column {col}")


def tree_key(tree, name):
    return min((n[4] for n in tree.nodes.values() if n[3] == name), default=name)


def check_funding(c, db, ws, wf, path):
    header = row_of(ws, 1, "Территория")
    check_layout(c, ws, header, "B", "funding")
    total = row_of(ws, 1, "Итого")
    sums = dict(db.execute(
        "SELECT b.source, sum(b.planned_kopecks) FROM budget_lines b JOIN initiatives i ON i.id = b.initiative_id "
        "WHERE i.stage NOT IN ('rejected', 'withdrawn') GROUP BY b.source"))
    for source, col in zip(SOURCES, (4, 5, 6, 8, 9, 10)):
        c.equal(kop(ws.cell(total, col).value), sums.get(source, 0), f"funding: cached total of {source}")
        c.true(wf.cell(total, col).value.startswith("=SUBTOTAL(9,"), f"funding: the total of {source} is a formula")
    budget = sum(sums.get(s, 0) for s in SOURCES[:3])
    extra = sum(sums.get(s, 0) for s in SOURCES[3:])
    c.equal((kop(ws.cell(total, 7).value), kop(ws.cell(total, 11).value), kop(ws.cell(total, 12).value)), (budget, extra, budget + extra), "funding: budget, extra-budgetary, all")
    count = db.execute("SELECT count(*) FROM initiatives WHERE stage NOT IN ('rejected', 'withdrawn')").fetchone()[0]
    c.equal(ws.cell(total, 3).value, count, "funding: initiatives counted")
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    c.true(any("<c:pieChart>" in x and "Средства" in x for x in charts), "funding: a pie chart of money by source")


def check_engagement(c, db, tree, ws, wf, path):
    header = row_of(ws, 1, "Территория")
    check_layout(c, ws, header, "B", "engagement")
    total = row_of(ws, 1, "Итого")
    events, headcount = db.execute("SELECT count(*), coalesce(sum(headcount), 0) FROM events").fetchone()
    unique = db.execute("SELECT count(DISTINCT contact_id) FROM event_attendees").fetchone()[0]
    population = sum(tree.population(r) for r in tree.roots())
    c.equal((ws.cell(total, 2).value, ws.cell(total, 3).value, ws.cell(total, 15).value, ws.cell(total, 16).value), (population, events, headcount, unique), "engagement: population, events, participants, unique people")
    c.equal(ws.cell(total, 17).value, unique / population if population else 0, "engagement: cached share of the population")
    c.equal(wf.cell(total, 17).value, f"=IF(B{total}>0,P{total}/B{total},0)", "engagement: the share is a formula")
    # People reached: each named person once, each event's anonymous participants (its headcount
    # beyond its named attendees) once at that event.
    anonymous = db.execute("SELECT coalesce(sum(e.headcount - (SELECT count(*) FROM event_attendees a WHERE a.event_id = e.id)), 0) FROM events e").fetchone()[0]
    c.equal((ws.cell(total, 18).value, ws.cell(total, 19).value), (anonymous, unique + anonymous), "engagement: anonymous participants and people reached")
    c.true(wf.cell(total, 18).value.startswith("=SUBTOTAL(9,R"), "engagement: the anonymous participants' total is a formula")
    c.equal(wf.cell(total, 19).value, f"=P{total}+R{total}", "engagement: people reached are a formula")
    c.equal(ws.cell(total, 20).value, (unique + anonymous) / population if population else 0, "engagement: cached share reached")
    c.equal(wf.cell(total, 20).value, f"=IF(B{total}>0,S{total}/B{total},0)", "engagement: the share reached is a formula")
    c.equal(ws.cell(header, 19).value, "Охвачено людей (поимённо и анонимно)", "engagement: people reached are labelled")
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    c.true(any("<c:barChart>" in x for x in charts), "engagement: a chart of the shares of the population")


def check_contacts(c, db, ws, wf, today):
    header = row_of(ws, 1, "№ п/п")
    check_layout(c, ws, header, "C", "contacts")
    total = row_of(ws, 2, "Всего контактов")
    listed = sorted(ws.cell(r, 2).value for r in range(header + 1, total))
    want, withheld = [], 0
    for cid, kind, name in db.execute("SELECT id, kind, display_name FROM contacts"):
        if kind == "organisation" or consent_in_force(db, cid, today):
            want.append(name)
        else:
            withheld += 1
    c.equal(listed, sorted(want), "contacts: exactly the organisations and the persons with consent in force")
    block = title_block(ws, header)
    c.true("152-ФЗ" in block and f"без действующего согласия: {withheld}." in block, "contacts: the title block says who is left out and how many")
    c.equal(ws.cell(total, 3).value, len(want), "contacts: cached count")


def check_card(c, db, ws, wf, card):
    iid = uuid.UUID(card).bytes
    title, cost = db.execute("SELECT title, total_cost_kopecks FROM initiatives WHERE id = ?", (iid,)).fetchone()
    c.true(title in ws.cell(1, 1).value, "card: the title names the project")
    lines = dict((s, (p, a)) for s, p, a in db.execute(
        "SELECT source, planned_kopecks, actual_kopecks FROM budget_lines WHERE initiative_id = ?", (iid,)))
    first = row_of(ws, 1, "Источник финансирования") + 1
    for k, source in enumerate(SOURCES):
        planned, actual = lines.get(source, (0, 0))
        c.equal((kop(ws.cell(first + k, 2).value), kop(ws.cell(first + k, 3).value)), (planned, actual), f"card: {source}")
    total = first + len(SOURCES)
    c.equal(wf.cell(total, 2).value, f"=SUM(B{first}:B{total - 1})", "card: the budget total is a formula")
    c.equal(kop(ws.cell(total, 2).value), sum(p for p, _ in lines.values()), "card: cached budget total")
    c.equal(kop(ws.cell(row_of(ws, 1, "Общая стоимость проекта, ₽"), 2).value), cost, "card: declared cost")


def main():
    db_path, folder, today, card = sys.argv[1:5]
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    tree, folder, c = Tree(db), Path(folder), Check()
    for name, check in [
        ("registry", lambda ws, wf, p: check_registry(c, db, tree, ws, wf, today)),
        ("funding", lambda ws, wf, p: check_funding(c, db, ws, wf, p)),
        ("engagement", lambda ws, wf, p: check_engagement(c, db, tree, ws, wf, p)),
        ("contacts", lambda ws, wf, p: check_contacts(c, db, ws, wf, today)),
        ("initiative", lambda ws, wf, p: check_card(c, db, ws, wf, card)),
    ]:
        path = folder / f"{name}.xlsx"
        check(*sheets(path), path)
    for e in c.errors:
        print("MISMATCH:", e)
    print(f"checked {c.count} figures and settings in 5 reports: {len(c.errors)} mismatches")
    sys.exit(1 if c.errors else 0)


if __name__ == "__main__":
    main()
