import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, escapeJsonForScript, scriptJson } from '../../src/reporters/html/scriptEscape.js';
import { HOSTILE_OUTPUTS } from './fixtures.js';

describe('JSON for a script data block', () => {
  it('never contains <, >, U+2028 or U+2029, and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        for (const v of [value, text, { text, list: [text, value] }, HOSTILE_OUTPUTS]) {
          const escaped = scriptJson(v);
          expect(escaped).not.toMatch(/[<>\u2028\u2029]/);
          expect(JSON.parse(escaped)).toEqual(JSON.parse(JSON.stringify(v)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('turns a closing script tag and a comment opener into JSON escapes', () => {
    expect(escapeJsonForScript(JSON.stringify('</script><!--'))).toBe('"\\u003c/script\\u003e\\u003c!--"');
  });

  it('escapes text for HTML content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});
