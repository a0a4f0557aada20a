/** The values a URI matched for a template's variables. */
export type UriVariables = Record<string, string | string[]>;

/** Longest URI template accepted: templates are written by the server's author, not clients. */
const MAX_TEMPLATE_LENGTH = 1024;

/** One `{...}` expression of a template. */
interface Expression {
  readonly operator: string;
  readonly names: readonly string[];
}

/**
 * An RFC 6570 URI template, used the other way round: to tell whether a URI is one of its
 * expansions and with which values. Supports the simple (`{id}`), reserved (`{+path}`),
 * fragment (`{#f}`), label (`{.ext}`), path (`{/seg}`) and query (`{?a,b}`, `{&c}`) expressions;
 * values are percent-decoded; a variable that ends with `*` (explode) takes a list.
 */
export class UriTemplate {
  readonly template: string;
  /** The variable names, in order. */
  readonly variables: readonly string[];
  readonly #pattern: RegExp;
  readonly #groups: { name: string; kind: 'value' | 'list' | 'query' }[] = [];

  /** @throws TypeError for a template that is not a string, too long, or with an unclosed `{`. */
  constructor(template: string) {
    if (typeof template !== 'string' || template.length > MAX_TEMPLATE_LENGTH) throw new TypeError('A URI template must be a string of at most 1024 characters');
    this.template = template;
    let source = '^';
    let index = 0;
    const names: string[] = [];
    while (index < template.length) {
      const open = template.indexOf('{', index);
      if (open === -1) {
        source += escape(template.slice(index));
        break;
      }
      const close = template.indexOf('}', open);
      if (close === -1) throw new TypeError(`Unclosed expression in URI template ${template}`);
      source += escape(template.slice(index, open));
      const expression = parseExpression(template.slice(open + 1, close));
      names.push(...expression.names.map(stripExplode));
      source += this.#expressionPattern(expression);
      index = close + 1;
    }
    this.variables = names;
    this.#pattern = new RegExp(`${source}$`);
  }

  /** The variables of `uri` when it is an expansion of this template, else `undefined`. */
  match(uri: string): UriVariables | undefined {
    const match = this.#pattern.exec(uri);
    if (match === null) return undefined;
    const variables: UriVariables = {};
    for (let index = 0; index < this.#groups.length; index++) {
      const group = this.#groups[index]!;
      const raw = match[index + 1];
      if (raw === undefined) continue;
      if (group.kind === 'query') Object.assign(variables, parseQuery(raw, group.name.split(',')));
      else if (group.kind === 'list') variables[group.name] = raw.split(/[,/.;]/).filter((part) => part !== '').map(decode);
      else variables[group.name] = decode(raw);
    }
    return variables;
  }

  #expressionPattern(expression: Expression): string {
    const { operator, names } = expression;
    if (operator === '?' || operator === '&') {
      this.#groups.push({ name: names.map(stripExplode).join(','), kind: 'query' });
      return `(?:${escape(operator)}([^#]*))?`;
    }
    const prefix = operator === '+' ? '' : operator === '#' ? '#' : operator === '.' ? '\\.' : operator === '/' ? '/' : operator === ';' ? ';' : '';
    // A value never contains its own separator, so a pattern never backtracks between them.
    const valueChars = operator === '+' || operator === '#' ? '[^#]' : operator === '/' ? '[^/?#]' : operator === '.' ? '[^/?#,.]' : '[^/?#,]';
    const separator = operator === '/' ? '/' : operator === '.' ? '\\.' : ',';
    let pattern = '';
    names.forEach((name, position) => {
      const explode = name.endsWith('*');
      this.#groups.push({ name: stripExplode(name), kind: explode ? 'list' : 'value' });
      const lead = position === 0 ? prefix : separator;
      pattern += explode ? `(?:${lead}(${valueChars}+(?:${separator}${valueChars}+)*))?` : `${lead}(${valueChars}+)`;
    });
    return pattern;
  }
}

function parseExpression(body: string): Expression {
  const operator = '+#./;?&'.includes(body[0] ?? '') ? body[0]! : '';
  const names = body.slice(operator.length).split(',').map((name) => name.trim());
  if (names.some((name) => !/^[A-Za-z0-9_.%]+\*?$/.test(name))) throw new TypeError(`Invalid URI template expression {${body}}`);
  return { operator, names };
}

function parseQuery(query: string, names: readonly string[]): UriVariables {
  const variables: UriVariables = {};
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    const name = decode(equals === -1 ? pair : pair.slice(0, equals));
    if (names.includes(name)) variables[name] = equals === -1 ? '' : decode(pair.slice(equals + 1));
  }
  return variables;
}

function stripExplode(name: string): string {
  return name.endsWith('*') ? name.slice(0, -1) : name;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
