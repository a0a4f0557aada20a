import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMAT_TESTS, isDate, isDateTime, isEmail, isTime, isUri, isUuid } from '../../../lib/mcp/json-schema/formats.js';

function check(test: (text: string) => boolean, valid: readonly string[], invalid: readonly string[]): void {
  for (const text of valid) assert.equal(test(text), true, `${JSON.stringify(text)} should be valid`);
  for (const text of invalid) assert.equal(test(text), false, `${JSON.stringify(text)} should be invalid`);
}

describe('formats', () => {
  it('date: RFC 3339 full-date, a real day', () => {
    check(isDate, ['2024-02-29', '2000-02-29', '1999-12-31', '2023-04-30'], ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-01', '24-01-01', '2024-01-01T00:00:00Z', '２０２４-01-01']);
  });

  it('time: RFC 3339 full-time with a zone; a leap second only at 23:59:60 UTC', () => {
    check(
      isTime,
      ['08:30:06Z', '08:30:06.283185z', '23:59:60Z', '15:59:60-08:00', '01:29:60+01:30', '10:00:00+23:59'],
      ['08:30:06', '24:00:00Z', '12:60:00Z', '12:00:61Z', '22:59:60Z', '23:59:60+01:00', '10:00:00+24:00', '10:00:00+01:60', '8:30:06Z', '08:30:06 Z'],
    );
  });

  it('date-time: a date, T or t, a time', () => {
    check(isDateTime, ['1963-06-19T08:30:06.283185Z', '1963-06-19t08:30:06Z', '1998-12-31T23:59:60Z', '2024-01-01T00:00:00+05:45'], [
      '1963-06-19 08:30:06Z', '1963-06-19T08:30:06', '2024-02-30T00:00:00Z', '1963-06-19', 'T08:30:06Z', '1990-12-31T15:59:60Z',
    ]);
  });

  it('email: dot-atom or quoted local part, host name or address literal', () => {
    check(
      isEmail,
      ['joe.bloggs@example.com', 'te~st@example.com', '"joe bloggs"@example.com', '"joe@bloggs"@example.com', 'joe@[127.0.0.1]', 'joe@[IPv6:::1]', 'a+tag@sub.example.co'],
      ['2962', '@example.com', 'joe@', '.test@example.com', 'test.@example.com', 'te..st@example.com', 'joe@invalid=domain.com', 'joe@[127.0.0.300]', 'joe@[IPv6:zz::1]', 'joe@[IPv6:1::2::3]', 'joe@-bad.com', `a@${'x'.repeat(64)}.com`, `a@${'abc.'.repeat(64)}com`],
    );
  });

  it('uri: a scheme, only URI characters, percent-escapes complete, brackets only around an IPv6 host', () => {
    check(
      isUri,
      ['http://foo.bar/?baz=qux#quux', 'http://foo.com/blah_(wikipedia)_blah#cite-1', 'http://foo.bar/?q=Test%20URL-encoded%20stuff', 'mailto:joe@example.com', 'urn:isbn:0451450523', 'tel:+1-816-555-1212', 'http://[2001:db8::1]:8080/x', 'http://user@host:80/', 'ftp://ftp.is.co.za/rfc/rfc1808.txt', 'http://223.255.255.254'],
      ['//foo.bar/?baz=qux', '/abc', 'abc', '\\\\WINDOWS\\fileshare', 'http:// shouldfail.com', ':// should fail', 'bar,baz:foo', 'http://example.com/%zz', 'http://example.com/%4', 'http://a#b#c', 'http://é.com', 'http://[::1/x', 'http://[not-ip]/', 'http://[::1]x/', 'http://host:port/', 'http://a@b@c/', 'http://x/[y]', 'urn:[x]', 'http://ho[st/'],
    );
  });

  it('uuid: hyphenated hex, any version', () => {
    check(isUuid, ['2eb8aa08-aa98-11ea-b4aa-73b441d16380', '2EB8AA08-AA98-11EA-B4AA-73B441D16380', '00000000-0000-0000-0000-000000000000'], [
      '2eb8aa08aa9811eab4aa73b441d16380', '2eb8aa08-aa98-11ea-b4aa-73b441d1638', '2eb8aa08-aa98-11ea-b4aa-73b441d1638g', '{2eb8aa08-aa98-11ea-b4aa-73b441d16380}',
    ]);
  });

  it('are the six formats assertFormats knows, by name', () => {
    assert.deepEqual([...FORMAT_TESTS.keys()].sort(), ['date', 'date-time', 'email', 'time', 'uri', 'uuid']);
  });
});
