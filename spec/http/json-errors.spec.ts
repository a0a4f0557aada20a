import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateJsonError } from '../../lib/http/json-errors.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('locateJsonError', () => {
  it('finds nothing wrong in valid JSON', () => {
    for (const text of ['0', '-0.5e+10', ' "a\\u00e9\\n" ', 'true', 'null', '[]', '{}', '[1,[2,{"a":[false]}]]', '{"a" : {"b":[]} , "c":""}', '\t\r\n1\n']) {
      assert.equal(locateJsonError(text), undefined, text);
    }
  });

  it('names the first offending position', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['', 0, /end of JSON input/],
      ['{"a":1,}', 7, /property name/],
      ['[1,,2]', 3, /expected a JSON value/],
      ['{"a" 1}', 5, /Expected ':'/],
      ['{"a":1 "b":2}', 7, /Expected ',' or '}'/],
      ['[1 2]', 3, /Expected ',' or '\]'/],
      ['tru', 3, /end of JSON input/],
      ['trux', 3, /Invalid literal/],
      ['-', 1, /No number after minus sign/],
      ['1.', 2, /fractional/],
      ['1e+', 3, /Exponent/],
      ['"abc', 4, /Unterminated string/],
      ['"a\\x"', 2, /Bad escaped character/],
      ['"\\u12g4"', 1, /Unicode escape/],
      ['"a\nb"', 2, /control character/],
      ['{"a":1} x', 8, /after the JSON value/],
      ['01', 1, /after the JSON value/],
      ['{"a"', 4, /end of JSON input/],
      ['{', 1, /end of JSON input/],
      ["{'a':1}", 1, /property name/],
    ];
    for (const [text, position, message] of cases) {
      const located = locateJsonError(text);
      assert.ok(located, `expected an error in ${JSON.stringify(text)}`);
      assert.equal(located.position, position, JSON.stringify(text));
      assert.match(located.message, message, JSON.stringify(text));
    }
  });

  it('agrees with JSON.parse on thousands of mutated documents', () => {
    const seed = '{"name":"agent","list":[1,-2.5e3,true,false,null,{"x":"\\u00e9\\"q"}],"empty":{},"arr":[]}';
    const alphabet = '{}[],:"\\-+.eE0123456789 tfnulrsa\n\tx';
    let state = 42;
    const random = (limit: number): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % limit;
    };
    for (let round = 0; round < 5000; round++) {
      const chars = seed.split('');
      const edits = 1 + random(3);
      for (let edit = 0; edit < edits; edit++) {
        const at = random(chars.length + 1);
        const kind = random(3);
        if (kind === 0) chars.splice(at, 1);
        else if (kind === 1) chars.splice(at, 0, alphabet[random(alphabet.length)]!);
        else chars[at] = alphabet[random(alphabet.length)]!;
      }
      const text = chars.join('');
      assert.equal(locateJsonError(text) === undefined, parses(text), JSON.stringify(text));
    }
  });

  it('handles deep nesting without recursion', () => {
    const depth = 100_000;
    assert.equal(locateJsonError('['.repeat(depth) + ']'.repeat(depth)), undefined);
    assert.equal(locateJsonError('['.repeat(depth) + ']'.repeat(depth - 1))?.position, 2 * depth - 1);
  });
});
