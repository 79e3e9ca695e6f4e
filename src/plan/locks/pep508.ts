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

export function normalizeSpecifier(spec: string): string {
  return spec.replace(/[()\s]/g, '').split(',').filter(Boolean).sort().join(',');
}

/** Parses "name[extra] (>=1) ; marker" or "name @ url ; marker"; undefined when it is not a requirement. */
export function parseRequirement(text: string): Requirement | undefined {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*([^;]*?)\s*(?:;\s*(.*?)\s*)?$/.exec(text);
  if (!m) return undefined;
  const [, name, extras, rest, marker] = m as unknown as [string, string, string | undefined, string, string | undefined];
  const extraList = (extras ?? '').split(',').map((e) => normalizeName(e.trim())).filter(Boolean).sort();
  const url = rest.startsWith('@') ? rest.slice(1).trim() : undefined;
  if (!url && rest && !/^\(?\s*(?:===|==|!=|<=|>=|~=|<|>)/.test(rest)) return undefined;
  return {
    name: normalizeName(name), extras: extraList, specifier: url ? '' : normalizeSpecifier(rest),
    ...(url ? { url } : {}), ...(marker ? { marker } : {}),
  };
}
