import { describe, expect, it } from 'vitest';
import { modeFilterLabels } from './smooth-labels.js';

/** A w×h label map from rows of characters ('.' = -1, digits = labels). */
const map = (rows: string[]) => Int16Array.from(rows.join('').split(''), (c) => (c === '.' ? -1 : Number(c)));

describe('label mode filter', () => {
  it('removes a one-pixel bump on a straight edge and keeps the edge where it is', () => {
    const labels = map(['0000000', '0000000', '0001000', '1111111', '1111111', '1111111']);
    modeFilterLabels(labels, 7, 6, 1);
    expect(labels).toEqual(map(['0000000', '0000000', '0000000', '1111111', '1111111', '1111111']));
  });

  it('leaves region interiors and transparent areas alone', () => {
    const rows = ['........', '.222222.', '.222222.', '.222222.', '.222222.', '........'];
    const labels = map(rows);
    modeFilterLabels(labels, 8, 6, 1);
    // Only the corners of the rectangle (3 of 9 in their window) change.
    const want = map(['........', '..2222..', '.222222.', '.222222.', '..2222..', '........']);
    expect(labels).toEqual(want);
  });

  it('does nothing at radius 0', () => {
    const labels = map(['010', '101']);
    modeFilterLabels(labels, 3, 2, 0);
    expect(labels).toEqual(map(['010', '101']));
  });
});
