// What each role may use in the app (docs/api.md, "Roles"): navigation a role cannot use is
// not shown. The server decides in the end; this only keeps the menu honest.

export type View = 'search' | 'entity' | 'network' | 'map' | 'dashboard' | 'partner' | 'review' | 'audit';

const BY_ROLE: Record<string, View[]> = {
  analyst: ['search', 'entity', 'network', 'map', 'dashboard', 'partner', 'review'],
  investigator: ['search', 'entity', 'network', 'map', 'dashboard', 'partner', 'review'],
  area_officer: ['map', 'dashboard', 'search', 'entity'],
  liaison: ['map', 'dashboard', 'search', 'entity'],
  partner: ['partner'],
  auditor: ['audit'],
  // Administrators keep the directory (on the command line) and read no records.
  administrator: [],
  operator: ['search', 'entity', 'network', 'map', 'dashboard', 'partner', 'review', 'audit'],
};

/// `area-officer` (the command line's spelling) and `area_officer` are one role.
export function normaliseRole(r: string): string {
  return r.trim().toLowerCase().replace(/-/g, '_');
}

export function viewsFor(roles: readonly string[]): Set<View> {
  const out = new Set<View>();
  for (const r of roles) for (const v of BY_ROLE[normaliseRole(r)] ?? []) out.add(v);
  return out;
}

/// The order views appear in the menu, and where a role lands after logging in.
export const VIEW_ORDER: View[] = ['search', 'network', 'map', 'dashboard', 'partner', 'review', 'audit'];

export function homeFor(roles: readonly string[]): View | null {
  const vs = viewsFor(roles);
  return VIEW_ORDER.find((v) => vs.has(v)) ?? null;
}
