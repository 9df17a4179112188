import { describe, expect, it } from 'vitest';
import { en, formatNumber, initialLang, sv, translate, type Key } from './i18n';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !f.endsWith('.test.ts') ? [p] : [];
  });
}

describe('i18n', () => {
  it('has every key in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    for (const [k, v] of Object.entries(sv)) expect(v.trim(), `sv ${k}`).not.toBe('');
    for (const [k, v] of Object.entries(en)) expect(v.trim(), `en ${k}`).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    for (const k of Object.keys(sv) as Key[]) expect(placeholders(en[k]), k).toEqual(placeholders(sv[k]));
  });

  it('has every key the code names literally', () => {
    const used = new Set<string>();
    for (const file of sources(fileURLToPath(new URL('.', import.meta.url)))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in sv));
    expect(missing).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(translate('sv', 'search.total', { n: 3, total: 12 })).toBe('3 träffar av 12 dokument');
    expect(translate('en', 'search.total', { n: 3, total: 12 })).toBe('3 hits of 12 documents');
    expect(translate('en', 'search.total', { n: 3 })).toBe('3 hits of {total} documents');
  });

  it('asks the purpose in Swedish by default, as the issue words it', () => {
    expect(translate(initialLang({ getItem: () => null }), 'purpose.dialog.label')).toBe('Varför söker du? (ärendenummer eller syfte)');
    expect(initialLang({ getItem: () => 'en' })).toBe('en');
    expect(initialLang({ getItem: () => 'de' })).toBe('sv');
  });

  it('writes numbers as each language does', () => {
    expect(formatNumber('sv', 0.9026, 3)).toBe('0,903');
    expect(formatNumber('en', 0.9026, 3)).toBe('0.903');
    expect(formatNumber('sv', NaN, 2)).toBe('–');
  });
});
