import { describe, expect, it } from 'vitest';
import { reuse } from '../../src/viz/keyed-children.ts';

describe('reuse', () => {
  it('keeps the children whose markup stays and creates only the new items', () => {
    expect(reuse(['<i>1</i>', '<i>2</i>', '<i>3</i>'], ['<i>2</i>', '<i>3</i>', '<i>4</i>'])).toEqual([1, 2, -1]);
  });

  it('uses each previous child once, the earliest first, for repeated markup', () => {
    expect(reuse(['a', 'b', 'a'], ['a', 'a', 'a', 'b'])).toEqual([0, 2, -1, 1]);
  });

  it('creates every item of a list with nothing in common', () => {
    expect(reuse([], ['x', 'y'])).toEqual([-1, -1]);
    expect(reuse(['x'], [])).toEqual([]);
  });
});
