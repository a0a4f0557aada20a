import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Logger, parseLogLevel, type LogRecord } from '../lib/logger.js';

describe('Logger', () => {
  it('writes one JSON object per line with timestamp, level and message', () => {
    const lines: string[] = [];
    const logger = new Logger({ level: 'info', sink: (line) => lines.push(line) });
    logger.info('hello', { extra: 1 });
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0]!) as LogRecord;
    assert.equal(record.level, 'info');
    assert.equal(record.message, 'hello');
    assert.equal(record.extra, 1);
    assert.ok(!Number.isNaN(Date.parse(record.timestamp)));
  });

  it('drops records below its level', () => {
    const records: LogRecord[] = [];
    const logger = new Logger({ level: 'warn', sink: (_line, record) => records.push(record) });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    assert.deepEqual(records.map((record) => record.level), ['warn', 'error']);
    assert.equal(logger.isEnabled('info'), false);
  });

  it('expands an error into type, message and stack', () => {
    const records: LogRecord[] = [];
    new Logger({ sink: (_line, record) => records.push(record) }).error('failed', { error: new TypeError('bad') });
    assert.equal(records[0]!.errorType, 'TypeError');
    assert.equal(records[0]!.errorMessage, 'bad');
    assert.match(String(records[0]!.stack), /TypeError: bad/);
  });

  it('writes to a writable stream sink, and survives a sink that throws', () => {
    let written = '';
    const stream = new Writable({ write(chunk, _encoding, done) { written += String(chunk); done(); } });
    new Logger({ sink: stream }).info('to stream');
    assert.match(written, /"message":"to stream"}\n$/);
    assert.doesNotThrow(() => new Logger({ sink: () => { throw new Error('broken sink'); } }).error('x'));
  });

  it('takes its level from LOG_LEVEL and rejects nonsense', () => {
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'ERROR';
    try {
      assert.equal(new Logger().level, 'error');
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
    assert.equal(parseLogLevel('verbose'), undefined);
    assert.equal(parseLogLevel(undefined), undefined);
    assert.throws(() => new Logger({ level: 'loud' as never }), TypeError);
  });

  it('warns once, then logs at info, when LOG_LEVEL is not a level (the option still throws)', () => {
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'bogus';
    try {
      const records: LogRecord[] = [];
      const logger = new Logger({ sink: (_line, record) => records.push(record) });
      assert.equal(logger.level, 'info');
      logger.info('next');
      assert.deepEqual(records.map((record) => [record.level, record.message, record.LOG_LEVEL]), [
        ['warn', 'LOG_LEVEL is not a log level; logging at info', 'bogus'],
        ['info', 'next', undefined],
      ]);
      const quiet: LogRecord[] = [];
      new Logger({ level: 'error', sink: (_line, record) => quiet.push(record) });
      assert.equal(quiet.length, 0, 'an explicit level makes LOG_LEVEL irrelevant');
      process.env.LOG_LEVEL = ' ';
      new Logger({ sink: (_line, record) => quiet.push(record) });
      assert.equal(quiet.length, 0, 'an empty LOG_LEVEL is no LOG_LEVEL');
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
    assert.throws(() => new Logger({ level: 'verbose' as never }), /Invalid log level: verbose/);
  });

  it('writes to stdout and stderr by default, in one batch per turn, or at once with flush()', async () => {
    const moduleUrl = new URL('../lib/logger.js', import.meta.url).href;
    const script = `
      import { Logger } from ${JSON.stringify(moduleUrl)};
      const logger = new Logger({ level: 'info' });
      logger.info('to stdout');
      logger.warn('to stderr');
      logger.flush();
      process.stdout.write('after flush\\n');
      logger.info('batched');
    `;
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], (error, out, err) => (error ? reject(error) : resolve({ stdout: out, stderr: err }))),
    );
    const messages = (text: string): string[] => text.trim().split('\n').map((line) => (line.startsWith('{') ? (JSON.parse(line) as LogRecord).message : line));
    assert.deepEqual(messages(stderr), ['to stderr']);
    assert.deepEqual(messages(stdout), ['to stdout', 'after flush', 'batched']);
  });
});

describe('secret redaction', () => {
  it('never writes authorization, tokens, cookies or passwords, at any depth of plain objects', () => {
    const lines: string[] = [];
    const logger = new Logger({ sink: (line) => lines.push(line) });
    logger.info('request', {
      authorization: 'Bearer abc',
      workloadAccessToken: 'wat',
      headers: { cookie: 'sid=1', 'x-api-key': 'k', accept: 'json', nested: [{ password: 'p' }] },
      kept: 'visible',
    });
    const line = lines[0]!;
    for (const secret of ['Bearer abc', 'wat"', 'sid=1', '"k"', '"p"']) assert.equal(line.includes(secret), false, secret);
    const record = JSON.parse(line) as Record<string, unknown>;
    assert.equal(record.authorization, '[REDACTED]');
    assert.equal(record.kept, 'visible');
    assert.deepEqual(record.headers, { cookie: '[REDACTED]', 'x-api-key': '[REDACTED]', accept: 'json', nested: [{ password: '[REDACTED]' }] });
  });

  it('redacts class instances, Maps, Sets and deep values too, and writes plain data in the record', () => {
    const records: LogRecord[] = [];
    const logger = new Logger({ sink: (_line, record) => records.push(record) });
    class Session {
      constructor(readonly id: string, readonly token: string) {}
    }
    logger.info('x', { url: new URL('https://example.invalid/a'), session: new Session('s1', 't'), map: new Map([['cookie', 'c']]), deep: { a: { b: { c: { d: { token: 't' } } } } } });
    assert.deepEqual({ ...records[0]!, timestamp: undefined }, {
      timestamp: undefined,
      level: 'info',
      message: 'x',
      url: 'https://example.invalid/a',
      session: { id: 's1', token: '[REDACTED]' },
      map: { cookie: '[REDACTED]' },
      deep: { a: { b: { c: { d: { token: '[REDACTED]' } } } } },
    });
  });

  it('redacts credentials in the message, in an error message and in its stack', () => {
    const lines: string[] = [];
    const logger = new Logger({ sink: (line) => lines.push(line) });
    logger.error('refused Bearer abcdefghijkl', { error: new Error('upstream said Bearer abcdefghijkl') });
    assert.equal(lines[0]!.includes('abcdefghijkl'), false, lines[0]);
  });

  it('writes a line saying what went wrong when the fields themselves cannot be read', () => {
    const records: LogRecord[] = [];
    const logger = new Logger({ sink: (_line, record) => records.push(record) });
    const error = new Error('x');
    Object.defineProperty(error, 'name', { get: () => { throw new Error('no name'); } });
    assert.doesNotThrow(() => logger.error('failed', { error }));
    const fields = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
    assert.doesNotThrow(() => logger.info('Bearer abcdefghijkl', fields));
    assert.deepEqual(records.map((record) => [record.level, record.message, record.logError]), [
      ['error', 'failed', 'Error: no name'],
      ['info', 'Bearer [REDACTED]', 'Error: no keys'],
    ]);
  });

  it('keeps a __proto__ field as data, and an error without a stack', () => {
    const lines: string[] = [];
    const logger = new Logger({ sink: (line) => lines.push(line) });
    const error = new RangeError('bad');
    delete error.stack;
    logger.info('x', { ...(JSON.parse('{"__proto__":{"token":"t","a":1}}') as object), error });
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.getOwnPropertyDescriptor(record, '__proto__')?.value, { token: '[REDACTED]', a: 1 });
    assert.deepEqual([record.errorType, record.errorMessage, 'stack' in record], ['RangeError', 'bad', false]);
  });

  it('writes a field nested too deep for JSON with a marker instead of throwing into the caller', () => {
    const lines: string[] = [];
    const logger = new Logger({ sink: (line) => lines.push(line) });
    let payload: unknown = [];
    for (let i = 0; i < 3000; i++) payload = [payload];
    assert.doesNotThrow(() => logger.warn('payload received', { payload }));
    assert.match(lines[0]!, /"payload":\[+"\[Too deep\]"\]+/);
  });
});
