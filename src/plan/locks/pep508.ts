import { clean } from '@renovatebot/pep440';
import { normalizeName } from '../requirements.js';

/** A PEP 508 requirement, split far enough to compare it with what a lock recorded. */
export interface Requirement {
  /** PEP 503-normalized. */
  name: string;
  extras: string[];
  /** Version specifier, normalized: no spaces, clauses sorted; "" when there is none. */
  specifier: string;
  url?: string;
  marker?: string;
}

/** One clause with its version in PEP 440's normal form, as uv records it ("2.00" is "2.0", "1.0-RC1" is "1.0rc1"). */
function normalizeClause(clause: string): string {
  const [, op = '', version = ''] = /^(===|==|!=|<=|>=|~=|<|>)?(.*)$/.exec(clause) ?? [];
  if (op === '===') return clause;
  const wildcard = version.endsWith('.*');
  const base = wildcard ? version.slice(0, -2) : version;
  return `${op}${clean(base) ?? base}${wildcard ? '.*' : ''}`;
}

export function normalizeSpecifier(spec: string): string {
  return spec
    .replace(/[()\s]/g, '')
    .split(',')
    .filter(Boolean)
    .map(normalizeClause)
    .sort()
    .join(',');
}

/** Parses "name[extra] (>=1) ; marker" or "name @ url ; marker"; undefined when it is not a requirement. */
export function parseRequirement(text: string): Requirement | undefined {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*([^;]*?)\s*(?:;\s*(.*?)\s*)?$/.exec(text);
  if (!m) return undefined;
  const [, name, extras, rest, marker] = m as unknown as [string, string, string | undefined, string, string | undefined];
  const extraList = (extras ?? '')
    .split(',')
    .map((e) => normalizeName(e.trim()))
    .filter(Boolean)
    .sort();
  const url = rest.startsWith('@') ? rest.slice(1).trim() : undefined;
  if (!url && rest && !/^\(?\s*(?:===|==|!=|<=|>=|~=|<|>)/.test(rest)) return undefined;
  return {
    name: normalizeName(name),
    extras: extraList,
    specifier: url ? '' : normalizeSpecifier(rest),
    ...(url ? { url } : {}),
    ...(marker ? { marker } : {}),
  };
}
