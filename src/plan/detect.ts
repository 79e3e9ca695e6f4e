import { formatPlainPlan } from '../cnb/plan-text.js';
import type { App } from './app.js';

/**
 * PEP 751's named locks, pylock.NAME.toml: the one marker with a wildcard, which stands for
 * one or more characters other than "." and "/", as PEP 751's file-name regex says.
 */
export const NAMED_PYLOCK = 'pylock.*.toml';

/** Whether the file `name` is the marker `marker` (a name, or a name with one `*`). */
export function markerMatches(marker: string, name: string): boolean {
  const star = marker.indexOf('*');
  if (star < 0) return marker === name;
  const [prefix, suffix] = [marker.slice(0, star), marker.slice(star + 1)];
  return (
    name.length > prefix.length + suffix.length &&
    name.startsWith(prefix) &&
    name.endsWith(suffix) &&
    !/[./]/.test(name.slice(prefix.length, -suffix.length || undefined))
  );
}

/**
 * Deliberately wider than what the build can install from, so that an app with a
 * misspelt or missing requirements file passes detection and gets a helpful build error
 * instead of "no buildpack detected".
 */
export const KNOWN_PYTHON_PROJECT_FILES = [
  'requirements.txt',
  'requirement.txt',
  'requirements.text',
  'requirements.txt.txt',
  'requirments.txt',
  'Requirements.txt',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'Pipfile',
  'Pipfile.lock',
  'poetry.lock',
  'uv.lock',
  'pylock.toml',
  NAMED_PYLOCK,
  'environment.yml',
  'environment.yaml',
  '.python-version',
  'runtime.txt',
  'app.py',
  'main.py',
  'wsgi.py',
  'manage.py',
  'server.py',
  'app.sh',
] as const;

export const KNOWN_PYTHON_PROJECT_DIRS = ['wsgi', '.warpdrive'] as const;

/**
 * Every marker as detect names it, in the order it lists them: the files, then the
 * directories with a trailing slash. Both detects (dist/detect.cjs and the sh fast path
 * generated from this table) use it.
 */
export const PYTHON_PROJECT_MARKERS: readonly string[] = [...KNOWN_PYTHON_PROJECT_FILES, ...KNOWN_PYTHON_PROJECT_DIRS.map((d) => `${d}/`)];

/** What a passing detect provides and requires: the build installs CPython. */
export const DETECT_PLAN = formatPlainPlan(['cpython']);

/** The known files and directories the app has; empty means "not a Python app". */
export function pythonProjectMarkers(app: Pick<App, 'files' | 'dirs'>): string[] {
  return PYTHON_PROJECT_MARKERS.filter((m) =>
    m.endsWith('/') ? app.dirs.has(m.slice(0, -1)) : [...app.files].some((f) => markerMatches(m, f)),
  );
}
