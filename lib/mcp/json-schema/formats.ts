/**
 * The formats `compileSchema` can assert (with `assertFormats`), the ones MCP elicitation
 * names plus `uuid` and `time`. Each is a linear scan or an anchored regular expression without
 * nested quantifiers: no input makes them backtrack.
 */

/** A format's test. */
export type FormatTest = (text: string) => boolean;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** What RFC 3986 allows in a URI besides letters and digits (percent signs are checked apart). */
const URI_SYMBOLS = new Set("-._~:/?#[]@!$&'()*+,;=");
const EMAIL_LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_LOCAL_QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;
const HOSTNAME_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

/** RFC 3339 `full-date`: a real day of a real month. */
export function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** RFC 3339 `full-time`: with a time zone; a leap second only where it is 23:59:60 in UTC. */
export function isTime(text: string): boolean {
  const match = TIME.exec(text);
  if (match === null) return false;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3]);
  const sign = match[4] === '-' ? -1 : 1;
  const offsetHour = match[5] === undefined ? 0 : Number(match[5]);
  const offsetMinute = match[6] === undefined ? 0 : Number(match[6]);
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
  if (second < 60) return true;
  const utcMinutes = (((hour * 60 + minute - sign * (offsetHour * 60 + offsetMinute)) % 1440) + 1440) % 1440;
  return utcMinutes === 23 * 60 + 59;
}

/** RFC 3339 `date-time`: a date, `T` (or `t`), a time with its zone. */
export function isDateTime(text: string): boolean {
  const separator = text[10];
  return (separator === 'T' || separator === 't') && isDate(text.slice(0, 10)) && isTime(text.slice(11));
}

/** RFC 5321 mailbox, ASCII only: a dot-atom or quoted local part, `@`, a host name or an address literal. */
export function isEmail(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (!EMAIL_LOCAL_ATOM.test(local) && !EMAIL_LOCAL_QUOTED.test(local)) return false;
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const literal = domain.slice(1, -1);
    return literal.startsWith('IPv6:') ? isIpv6(literal.slice(5)) : IPV4.test(literal);
  }
  return isHostname(domain);
}

/** RFC 3986 `URI`: a scheme, then only characters a URI may hold, percent signs followed by two hex digits. */
export function isUri(text: string): boolean {
  if (!SCHEME.test(text)) return false;
  let fragments = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    const code = char.charCodeAt(0);
    if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) continue;
    if (char === '%') {
      if (!isHex(text.charCodeAt(index + 1)) || !isHex(text.charCodeAt(index + 2))) return false;
      index += 2;
    } else if (!URI_SYMBOLS.has(char)) return false;
    else if (char === '#' && ++fragments > 1) return false;
  }
  return hasValidAuthority(text);
}

/** RFC 4122 / 9562 UUID in its hyphenated form, any version. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** The formats asserted with `assertFormats`, by name. Any other format stays an annotation. */
export const FORMAT_TESTS: ReadonlyMap<string, FormatTest> = new Map([
  ['date-time', isDateTime],
  ['date', isDate],
  ['time', isTime],
  ['email', isEmail],
  ['uri', isUri],
  ['uuid', isUuid],
]);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isHostname(text: string): boolean {
  if (text.length > 253) return false;
  for (const label of text.split('.')) if (!HOSTNAME_LABEL.test(label)) return false;
  return true;
}

function isIpv6(text: string): boolean {
  if (!IPV6_CHARS.test(text)) return false;
  try {
    return new URL(`http://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** Square brackets only around an IPv6 host, at most one `@`, and a port of digits only. */
function hasValidAuthority(text: string): boolean {
  const afterScheme = text.indexOf(':') + 1;
  if (!text.startsWith('//', afterScheme)) return !text.includes('[') && !text.includes(']');
  const rest = text.slice(afterScheme + 2);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const tail = end === -1 ? '' : rest.slice(end);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const host = authority.slice(at + 1);
  if (/[@[\]]/.test(userinfo) || /[[\]]/.test(tail)) return false;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close !== -1 && isIpv6(host.slice(1, close)) && /^(?::\d*)?$/.test(host.slice(close + 1));
  }
  return !/[[\]]/.test(host) && /^[^:]*(?::\d*)?$/.test(host);
}
