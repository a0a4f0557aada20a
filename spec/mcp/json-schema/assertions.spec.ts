import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMultipleOf } from '../../../lib/mcp/json-schema/assertions.js';
import { assertInvalid, assertIssues, assertValid } from '../../support/schema.js';

describe('type', () => {
  it('tells the seven JSON Schema types apart', () => {
    const samples: Record<string, unknown[]> = {
      null: [null],
      boolean: [true, false],
      object: [{}, { a: 1 }],
      array: [[], [1]],
      number: [0, -1.5, 1e300],
      string: ['', 'a'],
      integer: [0, 7, -3, 1.0, 1e20],
    };
    for (const [type, values] of Object.entries(samples)) {
      assertValid({ type }, values);
      const others = Object.entries(samples).filter(([name]) => name !== type && !(type === 'number' && name === 'integer')).flatMap(([, list]) => list);
      assertInvalid({ type }, others.filter((value) => !(type === 'integer' && typeof value === 'number' && Number.isInteger(value))));
    }
  });

  it('counts a number with no fraction as an integer, one with a fraction as not', () => {
    assertValid({ type: 'integer' }, [1.0, -0, 2 ** 60]);
    assertIssues({ type: 'integer' }, 1.5, [': type: must be integer']);
  });

  it('takes a list of types: any of them', () => {
    assertValid({ type: ['string', 'null'] }, ['a', null]);
    assertIssues({ type: ['string', 'null'] }, 1, [': type: must be string or null']);
    assertIssues({ type: ['integer', 'boolean', 'array'] }, 1.5, [': type: must be integer or boolean or array']);
  });
});

describe('enum', () => {
  it('accepts a value equal, as JSON, to one listed: objects in any key order, 1 and 1.0 alike', () => {
    const schema = { enum: ['a', 1, null, false, [1, { b: 2 }], { x: 1, y: [true] }] };
    assertValid(schema, ['a', 1.0, null, false, [1, { b: 2 }], { y: [true], x: 1 }]);
    assertInvalid(schema, ['b', '1', 0, true, [], [1], [1, { b: 3 }], { x: 1 }, { x: 1, y: [true], z: 0 }, undefined]);
  });

  it('lists the allowed values in its message when they are short', () => {
    assertIssues({ enum: ['red', 'green'] }, 'blue', [': enum: must be one of "red", "green"']);
    assertIssues({ enum: [1, null, { a: 'b' }] }, 2, [': enum: must be one of 1, null, {"a":"b"}']);
    assertIssues({ enum: Array.from({ length: 60 }, (_, index) => `value-${index}`) }, 'x', [': enum: must be equal to one of the allowed values']);
    assertIssues({ enum: [] }, 'x', [': enum: must be equal to one of the allowed values']);
  });
});

describe('const', () => {
  it('accepts only a value equal to it as JSON', () => {
    assertValid({ const: 'a' }, ['a']);
    assertValid({ const: 0 }, [0, -0, 0.0]);
    assertValid({ const: null }, [null]);
    assertValid({ const: { a: [1, { b: null }] } }, [{ a: [1, { b: null }] }]);
    assertInvalid({ const: { a: [1, { b: null }] } }, [{ a: [1, { b: 0 }] }, { a: [1, {}] }, { a: [1, { b: null }], c: 1 }, [], 'a']);
    assertInvalid({ const: false }, [0, '', null, 'false']);
    assertInvalid({ const: [] }, [{}, [0]]);
  });

  it('names the constant in its message when it is short', () => {
    assertIssues({ const: 'on' }, 'off', [': const: must be equal to "on"']);
    assertIssues({ const: 'x'.repeat(500) }, 'y', [': const: must be equal to the constant']);
  });

  it('describes a constant that JSON cannot write without failing to compile', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assertIssues({ const: cyclic }, 1, [': const: must be equal to the constant']);
  });
});

describe('minLength and maxLength', () => {
  it('count Unicode code points, not UTF-16 units: an emoji is one character', () => {
    assertValid({ minLength: 2, maxLength: 2 }, ['ab', '😀😀', 'a😀', 'éé']);
    assertIssues({ maxLength: 2 }, '😀😀😀', [': maxLength: must NOT have more than 2 characters']);
    assertIssues({ minLength: 3 }, '😀😀', [': minLength: must NOT have fewer than 3 characters']);
    assertIssues({ minLength: 3 }, 'ab', [': minLength: must NOT have fewer than 3 characters']);
    assertValid({ maxLength: 3 }, ['😀😀😀', 'abc']);
    assertInvalid({ maxLength: 3 }, ['abcd', 'ab😀😀']);
  });

  it('count a lone surrogate as one character', () => {
    assertValid({ minLength: 2, maxLength: 2 }, ['\ud83da', 'a\ude00', '\ude00\ud83d']);
  });

  it('apply to strings only', () => {
    assertValid({ minLength: 5, maxLength: 0 }, [1, null, [], {}]);
    assertValid({ minLength: 0 }, ['']);
  });
});

describe('pattern', () => {
  it('matches anywhere unless anchored, with Unicode semantics', () => {
    assertValid({ pattern: 'b' }, ['abc']);
    assertValid({ pattern: '^\\p{Lu}' }, ['Émile']);
    assertValid({ pattern: '^.$' }, ['😀']);
    assertIssues({ pattern: '^[a-z]+$' }, 'ABC', [': pattern: must match pattern "^[a-z]+$"']);
    assertValid({ pattern: '^[a-z]+$' }, [12, null]);
  });

  it('keeps a pattern that only compiles without the u flag (identity escapes from generated schemas)', () => {
    assertValid({ pattern: '^my\\_prefix\\@' }, ['my_prefix@x']);
    assertInvalid({ pattern: '^my\\_prefix\\@' }, ['my-prefix@x']);
  });
});

describe('format', () => {
  it('is an annotation by default, as in 2020-12', () => {
    assertValid({ format: 'email' }, ['not an email']);
    assertValid({ format: 'date-time' }, ['yesterday']);
  });

  it('asserts date-time, date, time, email, uri and uuid with assertFormats, strings only, other formats stay annotations', () => {
    const options = { assertFormats: true };
    assertValid({ format: 'email' }, ['a@example.com', 42], options);
    assertIssues({ format: 'email' }, 'nope', [': format: must match format "email"'], options);
    assertIssues({ format: 'date' }, '2024-02-30', [': format: must match format "date"'], options);
    assertInvalid({ format: 'date-time' }, ['2024-01-01'], options);
    assertInvalid({ format: 'time' }, ['25:00:00Z'], options);
    assertInvalid({ format: 'uri' }, ['relative/path'], options);
    assertInvalid({ format: 'uuid' }, ['1234'], options);
    assertValid({ format: 'hostname' }, ['-not a host-'], options);
  });
});

describe('minimum, maximum, exclusiveMinimum, exclusiveMaximum', () => {
  it('bound numbers inclusively or exclusively', () => {
    assertValid({ minimum: 1, maximum: 3 }, [1, 2.5, 3]);
    assertIssues({ minimum: 1 }, 0.5, [': minimum: must be >= 1']);
    assertIssues({ maximum: 3 }, 3.5, [': maximum: must be <= 3']);
    assertValid({ exclusiveMinimum: 1, exclusiveMaximum: 3 }, [1.5, 2.9]);
    assertIssues({ exclusiveMinimum: 1 }, 1, [': exclusiveMinimum: must be > 1']);
    assertIssues({ exclusiveMaximum: 3 }, 3, [': exclusiveMaximum: must be < 3']);
    assertIssues({ minimum: 1, exclusiveMinimum: 2 }, 1.5, [': exclusiveMinimum: must be > 2']);
  });

  it('apply to numbers only', () => {
    assertValid({ minimum: 10, maximum: 0 }, ['5', null, [1]]);
  });
});

describe('multipleOf', () => {
  it('accepts exact multiples, integer and decimal', () => {
    assertValid({ multipleOf: 2 }, [0, 4, -6]);
    assertIssues({ multipleOf: 2 }, 7, [': multipleOf: must be a multiple of 2']);
    assertValid({ multipleOf: 0.01 }, [19.99, 0.07, 1, 4.35]);
    assertValid({ multipleOf: 0.1 }, [0.3, 0.7, 1.1]);
    assertInvalid({ multipleOf: 0.01 }, [19.999, 0.005]);
    assertValid({ multipleOf: 0.0001 }, [0.0075]);
    assertInvalid({ multipleOf: 0.0001 }, [0.00751]);
    assertValid({ multipleOf: 1.5 }, [4.5]);
    assertInvalid({ multipleOf: 1.5 }, [35]);
  });

  it('decides by the exact remainder when the quotient overflows', () => {
    assert.equal(isMultipleOf(1e308, 0.5), true);
    assert.equal(isMultipleOf(1e308, 0.123456789), false);
    assert.equal(isMultipleOf(0, 0.3), true);
    assert.equal(isMultipleOf(1e-20, 3), false);
  });
});
