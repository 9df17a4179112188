// Search highlights arrive as byte ranges into the snippet's UTF-8 (docs/api.md: `Hit`);
// JavaScript strings count UTF-16 code units, so an å or ö (two bytes, one unit) or an emoji
// (four bytes, two units) would shift every later range if the offsets were used directly.

export interface Segment {
  text: string;
  hit: boolean;
}

/// The UTF-16 index of each UTF-8 byte offset that starts a character (and of the end).
function byteToUnit(s: string): Map<number, number> {
  const map = new Map<number, number>();
  let byte = 0;
  let unit = 0;
  for (const ch of s) {
    map.set(byte, unit);
    const cp = ch.codePointAt(0)!;
    byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    unit += ch.length;
  }
  map.set(byte, unit);
  return map;
}

/// The byte offset moved back (for a start) or forward (for an end) to a character boundary,
/// and clamped to the text.
function snap(map: Map<number, number>, total: number, b: number, forward: boolean): number {
  let x = Math.max(0, Math.min(total, Math.trunc(b)));
  while (!map.has(x)) x += forward ? 1 : -1;
  return map.get(x)!;
}

/// Splits `snippet` into plain and highlighted segments. Ranges may be unsorted, overlapping,
/// out of range or cut through a character; they are sorted, merged, clamped and widened to
/// whole characters. Empty segments are left out.
export function highlightSegments(snippet: string, ranges: readonly (readonly [number, number])[] | null | undefined): Segment[] {
  if (!snippet) return [];
  const map = byteToUnit(snippet);
  const total = Math.max(...map.keys());
  const units = (ranges ?? [])
    .filter((r) => Array.isArray(r) && r.length >= 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[1] > r[0])
    .map(([a, b]) => [snap(map, total, a, false), snap(map, total, b, true)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const r of units) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const out: Segment[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) out.push({ text: snippet.slice(at, a), hit: false });
    out.push({ text: snippet.slice(a, b), hit: true });
    at = b;
  }
  if (at < snippet.length) out.push({ text: snippet.slice(at), hit: false });
  return out;
}

/// A snippet whose matches are in [brackets] (as the command line writes them) read as segments.
export function bracketSegments(snippet: string): Segment[] {
  const out: Segment[] = [];
  const re = /\[([^\]]+)\]/g;
  let at = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > at) out.push({ text: snippet.slice(at, m.index), hit: false });
    out.push({ text: m[1], hit: true });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) out.push({ text: snippet.slice(at), hit: false });
  return out;
}
