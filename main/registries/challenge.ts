/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1): one header may carry several challenges, each a
 * scheme followed by comma-separated `name=value` parameters (values are tokens or quoted
 * strings) or a token68; a response may also repeat the header.
 */
export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic`, … */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const headers = Array.isArray(header) ? header : [header];
  return headers.flatMap(parseOne);
}

function parseOne(s: string): Challenge[] {
  const out: Challenge[] = [];
  let current: Challenge | null = null;
  let i = 0;
  const skip = (chars: RegExp): void => {
    while (i < s.length && chars.test(s[i] as string)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < s.length && TCHAR.test(s[i] as string)) i++;
    return s.slice(start, i);
  };
  const quoted = (): string => {
    let value = '';
    i++; // opening quote
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      value += s[i];
      i++;
    }
    i++; // closing quote
    return value;
  };
  while (i < s.length) {
    skip(/[\s,]/);
    if (i >= s.length) break;
    const name = token();
    if (name === '') {
      i++; // not a token character: skip it rather than loop forever
      continue;
    }
    skip(/[ \t]/);
    if (current && s[i] === '=') {
      const equalsAt = i;
      skip(/=/);
      const equals = i - equalsAt;
      if (equals > 1 || i >= s.length || s[i] === ',') {
        // `name==` or a trailing `name=`: a token68 (base64-like credentials), not a parameter.
        current.token68 = `${name}${'='.repeat(equals)}`;
        continue;
      }
      skip(/[ \t]/);
      // Lenient: an unquoted value runs to the next comma or space (some realms are unquoted URLs).
      const value = s[i] === '"' ? quoted() : readUntil(/[\s,]/);
      current.params[name.toLowerCase()] = value;
      continue;
    }
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
  }
  return out;

  function readUntil(stop: RegExp): string {
    const start = i;
    while (i < s.length && !stop.test(s[i] as string)) i++;
    return s.slice(start, i);
  }
}

/** The challenge Berth answers: Bearer (with a realm) first, then Basic. */
export function preferredChallenge(challenges: Challenge[]): Challenge | null {
  return challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ?? challenges.find((c) => c.scheme === 'basic') ?? null;
}
