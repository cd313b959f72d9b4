// Part checksums: the fast word-at-a-time hash new manifests use, pinned to exact values (stored
// manifests depend on them), telling apart any change, truncation or extension of a part, while
// parts checksummed with FNV-1a by older manifests still verify.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesChecksum, checksum, describePart, partChecksum, partMatches } from '../../../src/engine/checkpoint/checksum.ts';

describe('partChecksum', () => {
  it('gives these exact values, marked w:', () => {
    expect(['', 'a', 'ab', 'abc', '[[0,null,1]]', '\ud800'].map(partChecksum)).toEqual([
      'w:ebb6c228ab3e7c0b',
      'w:c069214dced4c078',
      'w:532abe0dd87415c3',
      'w:2e7a793cc5a8ecce',
      'w:2b1dd17bf25db6ec',
      'w:4b30793a647378f7',
    ]);
    expect(describePart('op#0', 'abc')).toEqual({ name: 'op#0', size: 3, checksum: 'w:2e7a793cc5a8ecce' });
  });

  it('changes when any code unit changes, and when the text is cut short or extended', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 0xffff }), (text, at, delta) => {
        const i = at % text.length;
        const changed = text.slice(0, i) + String.fromCharCode((text.charCodeAt(i) + delta) & 0xffff) + text.slice(i + 1);
        expect(partChecksum(changed)).not.toBe(partChecksum(text));
        expect(partChecksum(text.slice(0, i))).not.toBe(partChecksum(text));
        expect(partChecksum(text + '\u0000')).not.toBe(partChecksum(text));
      }),
      { numRuns: 500 },
    );
  });

  it('partMatches checks a part against either hash, as its checksum says', () => {
    expect(partMatches('abc', partChecksum('abc'))).toBe(true);
    expect(partMatches('abc', checksum('abc'))).toBe(true);
    expect(checksum('abc')).toBe('e71fa2190541574b');
    expect(partMatches('abd', partChecksum('abc'))).toBe(false);
    expect(partMatches('abd', checksum('abc'))).toBe(false);
  });

  it('bytesChecksum stays the hash stored manifests list, aligned or not, whole words or not', () => {
    // Values computed before its loop was split by alignment: checkpoints already stored must still verify.
    const bytes = Uint8Array.from({ length: 1003 }, (_, i) => (i * 37 + 11) & 255);
    const shifted = new Uint8Array(1004);
    shifted.set(bytes, 1);
    expect(bytesChecksum(bytes)).toBe('b:595cf35f4f07410a');
    expect(bytesChecksum(shifted.subarray(1))).toBe('b:595cf35f4f07410a');
    expect(bytesChecksum(new Uint8Array(0))).toBe('b:ebb6c228ab3e7c0b');
    expect(bytesChecksum(bytes.subarray(0, 3))).toBe('b:03d7cac365bf62a8');
  });
});
