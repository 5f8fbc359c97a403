// Properties of the JSON helpers behind the web and fixture providers: what encoding/json writes
// decodes back to the same value, and JSONPath field/index paths find exactly the value placed there.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goJsonMarshal } from '../../sim/analysis/providers/goJson.js';
import { findResults, parseJsonPath } from '../../sim/analysis/providers/jsonPath.js';

const json = fc.jsonValue({ maxDepth: 4 }).filter((v) => !JSON.stringify(v).includes('__proto__'));
const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);

describe('goJsonMarshal', () => {
  it('decodes back to the same value, with object keys in sorted order', () => {
    fc.assert(
      fc.property(json, (v) => {
        const text = goJsonMarshal(v);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(text).not.toMatch(/[<>&]/);
      }),
    );
  });
});

describe('JSONPath', () => {
  it('{$.k1.k2[i]} finds the value put at that place, and a missing field says which', () => {
    fc.assert(
      fc.property(key, key, fc.array(json, { minLength: 1, maxLength: 4 }), fc.nat(), (k1, k2, list, n) => {
        const i = n % list.length;
        const doc = { [k1]: { [k2]: list } };
        expect(findResults(parseJsonPath(`{$.${k1}.${k2}[${i}]}`), doc)).toEqual([list[i]]);
        expect(findResults(parseJsonPath(`{.${k1}['${k2}'][*]}`), doc)).toEqual(list);
        expect(() => findResults(parseJsonPath(`{$.${k1}.${k2}x}`), doc)).toThrow(`${k2}x is not found`);
      }),
    );
  });
});
