/** Where and why a JSON text is invalid. */
export interface JsonErrorLocation {
  /** Index (in UTF-16 code units) of the first offending character, or the length at end of input. */
  position: number;
  /** What was wrong there. */
  message: string;
}

const enum Expect {
  Value,
  Key,
  KeyOrEnd,
  AfterValue,
}

const ARRAY = 0;
const OBJECT = 1;

/**
 * Finds the first syntax error in `text` by scanning it as RFC 8259 JSON, since V8's own
 * messages do not always carry a position. Iterative (an explicit stack, no recursion), so
 * deeply nested input cannot overflow the call stack. Returns `undefined` for valid JSON.
 */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const containers: number[] = [];
  let expect = Expect.Value;
  let index = skipWhitespace(text, 0);
  for (;;) {
    if (expect === Expect.AfterValue && containers.length === 0) {
      return index < text.length ? fail(index, `Unexpected ${describe(text, index)} after the JSON value`) : undefined;
    }
    if (index >= text.length) return fail(index, 'Unexpected end of JSON input');
    const char = text[index]!;
    switch (expect) {
      case Expect.Value:
        if (char === '{') {
          containers.push(OBJECT);
          expect = Expect.KeyOrEnd;
          index++;
        } else if (char === '[') {
          containers.push(ARRAY);
          index = skipWhitespace(text, index + 1);
          if (text[index] === ']') {
            containers.pop();
            index++;
            expect = Expect.AfterValue;
          }
          break;
        } else {
          const end = scanScalar(text, index);
          if (typeof end !== 'number') return end;
          index = end;
          expect = Expect.AfterValue;
        }
        break;
      case Expect.KeyOrEnd:
      case Expect.Key: {
        if (char === '}' && expect === Expect.KeyOrEnd) {
          containers.pop();
          index++;
          expect = Expect.AfterValue;
          break;
        }
        if (char !== '"') return fail(index, `Expected a double-quoted property name, found ${describe(text, index)}`);
        const end = scanString(text, index);
        if (typeof end !== 'number') return end;
        index = skipWhitespace(text, end);
        if (text[index] !== ':') {
          return fail(index, index >= text.length ? 'Unexpected end of JSON input' : `Expected ':' after the property name, found ${describe(text, index)}`);
        }
        index++;
        expect = Expect.Value;
        break;
      }
      case Expect.AfterValue: {
        const inObject = containers[containers.length - 1] === OBJECT;
        if (char === ',') {
          index++;
          expect = inObject ? Expect.Key : Expect.Value;
        } else if (char === (inObject ? '}' : ']')) {
          containers.pop();
          index++;
        } else {
          return fail(index, `Expected ',' or '${inObject ? '}' : ']'}', found ${describe(text, index)}`);
        }
        break;
      }
    }
    index = skipWhitespace(text, index);
  }
}

function fail(position: number, message: string): JsonErrorLocation {
  return { position, message };
}

function describe(text: string, index: number): string {
  return `character ${JSON.stringify(text[index])}`;
}

function skipWhitespace(text: string, index: number): number {
  for (;;) {
    const code = text.charCodeAt(index);
    // space, tab, line feed, carriage return: the only whitespace JSON allows
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return index;
    index++;
  }
}

const LITERALS = ['true', 'false', 'null'] as const;

function scanScalar(text: string, index: number): number | JsonErrorLocation {
  const char = text[index]!;
  if (char === '"') return scanString(text, index);
  if (char === '-' || (char >= '0' && char <= '9')) return scanNumber(text, index);
  for (const literal of LITERALS) {
    if (char === literal[0]) {
      for (let offset = 1; offset < literal.length; offset++) {
        if (text[index + offset] !== literal[offset]) {
          return index + offset >= text.length
            ? fail(index + offset, 'Unexpected end of JSON input')
            : fail(index + offset, `Invalid literal: expected '${literal}'`);
        }
      }
      return index + literal.length;
    }
  }
  return fail(index, `Unexpected ${describe(text, index)}; expected a JSON value`);
}

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function scanString(text: string, index: number): number | JsonErrorLocation {
  for (let cursor = index + 1; cursor < text.length; cursor++) {
    const code = text.charCodeAt(cursor);
    if (code === 0x22) return cursor + 1;
    if (code < 0x20) return fail(cursor, 'Bad control character in string literal');
    if (code === 0x5c) {
      const next = text[cursor + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(cursor + 2, cursor + 6))) return fail(cursor, 'Bad Unicode escape in string literal');
        cursor += 5;
      } else if (next !== undefined && ESCAPES.has(next)) {
        cursor++;
      } else {
        return fail(cursor, 'Bad escaped character in string literal');
      }
    }
  }
  return fail(text.length, 'Unterminated string in JSON');
}

function scanDigits(text: string, index: number): number {
  while (index < text.length && text[index]! >= '0' && text[index]! <= '9') index++;
  return index;
}

function scanNumber(text: string, index: number): number | JsonErrorLocation {
  let cursor = index;
  if (text[cursor] === '-') cursor++;
  if (text[cursor] === '0') {
    cursor++;
  } else {
    const end = scanDigits(text, cursor);
    if (end === cursor) return fail(cursor, 'No number after minus sign');
    cursor = end;
  }
  if (text[cursor] === '.') {
    const end = scanDigits(text, cursor + 1);
    if (end === cursor + 1) return fail(end, 'Unterminated fractional number');
    cursor = end;
  }
  if (text[cursor] === 'e' || text[cursor] === 'E') {
    cursor++;
    if (text[cursor] === '+' || text[cursor] === '-') cursor++;
    const end = scanDigits(text, cursor);
    if (end === cursor) return fail(end, 'Exponent part is missing a number');
    cursor = end;
  }
  return cursor;
}
