import { describe, expect, it } from 'vitest';
import { bracketSegments, highlightSegments } from './highlight';

const bytes = (s: string) => new TextEncoder().encode(s).length;
const hits = (s: string, r: [number, number][]) => highlightSegments(s, r).filter((x) => x.hit).map((x) => x.text);

describe('highlightSegments', () => {
  it('reads byte ranges in UTF-8, not UTF-16 indices (å, ä, ö before the match)', () => {
    // The search API's answer for "säljer swish" on a simulated report.
    const s = 'UR-000001\nUppgiftslämnaren uppger att Ella säljer cannabis vid Östervång på kvällarna. Betalning via swish.\ncannabis\nÖstervång';
    expect(hits(s, [[44, 51], [107, 112]])).toEqual(['säljer', 'swish']);
  });

  it('marks a word made of two-byte letters whole', () => {
    const s = 'möte på Östervång i går';
    const start = bytes('möte på ');
    expect(hits(s, [[start, start + bytes('Östervång')]])).toEqual(['Östervång']);
  });

  it('handles emoji (four bytes, two UTF-16 units) before a match', () => {
    const s = 'ja 🍁 5g/600, swisha';
    const start = bytes('ja 🍁 5g/600, ');
    expect(hits(s, [[start, start + 6]])).toEqual(['swisha']);
  });

  it('keeps the text around the matches, in order, and loses nothing', () => {
    const s = 'åå bb åå';
    const segs = highlightSegments(s, [[5, 7]]);
    expect(segs).toEqual([
      { text: 'åå ', hit: false },
      { text: 'bb', hit: true },
      { text: ' åå', hit: false },
    ]);
    expect(segs.map((x) => x.text).join('')).toBe(s);
  });

  it('sorts, merges overlapping ranges, clamps and ignores nonsense', () => {
    const s = 'abcdefgh';
    expect(hits(s, [[4, 6], [0, 2], [1, 3], [6, 100], [5, 5], [7, 2]])).toEqual(['abc', 'efgh']);
  });

  it('widens a range cut through a character to the whole character', () => {
    const s = 'xåy';
    // byte 2 is inside å (bytes 1..3)
    expect(hits(s, [[2, 3]])).toEqual(['å']);
  });

  it('answers nothing for an empty snippet and the whole text without ranges', () => {
    expect(highlightSegments('', [[0, 3]])).toEqual([]);
    expect(highlightSegments('åäö', [])).toEqual([{ text: 'åäö', hit: false }]);
    expect(highlightSegments('åäö', null)).toEqual([{ text: 'åäö', hit: false }]);
  });
});

describe('bracketSegments', () => {
  it('reads the command line\'s [brackets]', () => {
    expect(bracketSegments('Ella [säljer] vid [Östervång].')).toEqual([
      { text: 'Ella ', hit: false },
      { text: 'säljer', hit: true },
      { text: ' vid ', hit: false },
      { text: 'Östervång', hit: true },
      { text: '.', hit: false },
    ]);
  });
});
