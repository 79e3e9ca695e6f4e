import { compare, maxSatisfying, rcompare, satisfies, validRange } from '@renovatebot/pep440';
import type { App } from './app.js';
import { isTable, parseToml } from '../cnb/toml.js';
import { EXPECTED_RUNTIME_TXT, EXPECTED_SPECIFIER, EXPECTED_VERSION_FILE, pythonVersion as msg } from '../output/messages.js';

/** Where a Python version request came from, in the order they are read. */
export const VERSION_SOURCES = ['BP_CPYTHON_VERSION', '.python-version', 'runtime.txt', 'pyproject.toml', 'Pipfile', 'uv.lock'] as const;
export type VersionOrigin = (typeof VERSION_SOURCES)[number];

export interface RequestedVersion {
  origin: VersionOrigin;
  /** The request as the user wrote it. */
  text: string;
  /** The same request as a PEP 440 specifier. */
  specifier: string;
}

export interface ResolvedVersion {
  version: string;
  /** The request that decided it; absent when the default was used. */
  request?: RequestedVersion;
  /** A second request that disagreed with the first (the higher version won). */
  conflict?: { lower: RequestedVersion & { version: string }; higher: RequestedVersion & { version: string } };
  /** A file request that BP_CPYTHON_VERSION overrode. */
  overridden?: RequestedVersion;
}

const PLAIN_VERSION = /^\d+\.\d+(\.\d+)?$/;

/** "3.12" → "==3.12.*", "3.12.7" → "==3.12.7", "3.12.*" → "==3.12.*"; specifiers pass through. */
export function toSpecifier(text: string): string | undefined {
  const t = text.trim();
  if (/^\d+\.\d+$/.test(t)) return `==${t}.*`;
  if (PLAIN_VERSION.test(t) || /^\d+\.\d+\.\*$/.test(t)) return `==${t}`;
  return t !== '' && validRange(t) ? t : undefined;
}

export function parsePythonVersionFile(contents: string): RequestedVersion {
  const lines = contents.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const [only] = lines;
  if (lines.length !== 1 || only === undefined || !PLAIN_VERSION.test(only)) {
    throw msg.invalid('.python-version', lines.join('\n') || contents, EXPECTED_VERSION_FILE);
  }
  return { origin: '.python-version', text: only, specifier: toSpecifier(only) as string };
}

export function parseRuntimeTxt(contents: string): RequestedVersion {
  const match = /^python-(\d+\.\d+(?:\.\d+)?)$/.exec(contents.trim());
  if (!match?.[1]) throw msg.invalid('runtime.txt', contents.trim(), EXPECTED_RUNTIME_TXT);
  return { origin: 'runtime.txt', text: match[1], specifier: toSpecifier(match[1]) as string };
}

function specifierRequest(origin: VersionOrigin, text: string): RequestedVersion {
  const specifier = toSpecifier(text);
  if (!specifier) throw msg.invalid(origin, text, EXPECTED_SPECIFIER);
  return { origin, text: text.trim(), specifier };
}

function tomlFile(files: App, name: string): Record<string, unknown> | undefined {
  const text = files.contents.get(name);
  if (text === undefined) return undefined;
  try {
    return parseToml(text, name);
  } catch (err) {
    throw msg.unparsable(name, (err as Error).message);
  }
}

function fromToml(files: App, origin: VersionOrigin, pick: (t: Record<string, unknown>) => unknown): RequestedVersion | undefined {
  const table = tomlFile(files, origin);
  const value = table && pick(table);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw msg.invalid(origin, JSON.stringify(value), EXPECTED_SPECIFIER);
  return specifierRequest(origin, value);
}

/** Every request the app and the environment make, in source order. */
export function readRequestedVersions(files: App, envRequest: string | undefined): RequestedVersion[] {
  const sub = (t: unknown, key: string) => (isTable(t) ? t[key] : undefined);
  const requests = [
    envRequest ? specifierRequest('BP_CPYTHON_VERSION', envRequest) : undefined,
    files.contents.has('.python-version') ? parsePythonVersionFile(files.contents.get('.python-version') ?? '') : undefined,
    files.contents.has('runtime.txt') ? parseRuntimeTxt(files.contents.get('runtime.txt') ?? '') : undefined,
    fromToml(files, 'pyproject.toml', (t) => sub(t.project, 'requires-python')),
    fromToml(files, 'Pipfile', (t) => sub(t.requires, 'python_full_version') ?? sub(t.requires, 'python_version')),
    fromToml(files, 'uv.lock', (t) => t['requires-python']),
  ];
  return requests.filter((r): r is RequestedVersion => r !== undefined);
}

/** The default: the newest patch of the newest stable minor available. */
export function defaultVersion(available: readonly string[]): string | undefined {
  return [...available].sort(rcompare)[0];
}

function best(request: RequestedVersion, available: readonly string[], arch: string): string {
  const version = maxSatisfying([...available], request.specifier);
  if (!version) throw msg.noMatch(request.origin, request.text, arch, [...available].sort(rcompare));
  return version;
}

/**
 * BP_CPYTHON_VERSION overrides the app. Among the app's files the first request wins
 * and must be met by the newest version satisfying all of them; when no version
 * satisfies two requests, the higher of their versions wins and the conflict is reported.
 */
export function resolvePythonVersion(requests: readonly RequestedVersion[], available: readonly string[], arch: string): ResolvedVersion {
  const [first, ...rest] = requests;
  if (!first) {
    const version = defaultVersion(available);
    if (!version) throw msg.noMatch('The buildpack', 'any version', arch, []);
    return { version };
  }
  if (first.origin === 'BP_CPYTHON_VERSION') {
    const version = best(first, available, arch);
    const overridden = rest.find((r) => !satisfies(version, r.specifier));
    return { version, request: first, ...(overridden ? { overridden } : {}) };
  }
  const firstVersion = best(first, available, arch);
  const candidates = available.filter((v) => requests.every((r) => satisfies(v, r.specifier)));
  const agreed = maxSatisfying(candidates, first.specifier);
  if (agreed) return { version: agreed, request: first };
  const other = rest.find((r) => !satisfies(firstVersion, r.specifier)) as RequestedVersion;
  const otherVersion = best(other, available, arch);
  const a = { ...first, version: firstVersion };
  const b = { ...other, version: otherVersion };
  const [lower, higher] = compare(firstVersion, otherVersion) < 0 ? [a, b] : [b, a];
  return { version: higher.version, request: higher, conflict: { lower, higher } };
}
