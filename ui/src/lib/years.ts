/** The years the office's programs run, and this year, newest first: the year filters' choices. */
export function knownYears(programs: readonly { cycles: readonly { year: number }[] }[], thisYear: number): number[] {
  const years = [thisYear, ...programs.flatMap((p) => p.cycles.map((c) => c.year))];
  return years.filter((y, i) => years.indexOf(y) === i).sort((a, b) => b - a);
}
