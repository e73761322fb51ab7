/**
 * Properties of the JSON scanners that guard datasets against silent changes:
 *  - the JSON.stringify text of any value has no duplicate key (JSON.stringify cannot write one),
 *    and a copy of one of its keys written into the same object is found, with that key;
 *  - a comma added before any closing bracket of such a text is found (JSON.parse rejects it).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { duplicateKey, trailingCommaOffset } from '../../src/datasets/formats/jsonPositions.js';
import { FUZZ_RUNS } from './mutate.js';

const objects = fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 });

describe('duplicateKey and trailingCommaOffset on generated JSON', () => {
  it('find no duplicate in JSON.stringify output, and find a key written twice', () => {
    fc.assert(
      fc.property(objects, fc.nat(), (obj, pick) => {
        const text = JSON.stringify(obj);
        expect(duplicateKey(text)).toBeUndefined();
        expect(trailingCommaOffset(text)).toBeUndefined();
        const keys = Object.keys(obj);
        const key = keys[pick % keys.length]!;
        // `{"k":1,` + the rest: the top-level object now holds `key` twice.
        const doubled = `{${JSON.stringify(key)}:1,${text.slice(1)}`;
        // What JSON.parse does: the last one wins, silently. (Compared after a JSON round trip: -0 becomes 0.)
        expect(JSON.parse(doubled)).toEqual(JSON.parse(text));
        expect(duplicateKey(doubled)?.key).toBe(key);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('find a comma put before a closing bracket', () => {
    fc.assert(
      fc.property(objects, (obj) => {
        const text = JSON.stringify(obj);
        const at = text.length - 1; // the object's own closing brace
        const withComma = `${text.slice(0, at)},${text.slice(at)}`;
        expect(() => JSON.parse(withComma)).toThrow();
        expect(trailingCommaOffset(withComma)).toBe(at);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
