// The dashboard's filter, kept while the person visits other screens.
export const dashboardScope = $state<{ program: string | null; year: number | null; territory: string | null }>({
  program: null,
  year: null,
  territory: null,
});
