import type { App } from './app.js';

/**
 * Deliberately wider than what the build can install from, so that an app with a
 * misspelt or missing requirements file passes detection and gets a helpful build error
 * instead of "no buildpack detected".
 */
export const KNOWN_PYTHON_PROJECT_FILES = [
  'requirements.txt', 'requirement.txt', 'requirements.text', 'requirements.txt.txt', 'requirments.txt', 'Requirements.txt',
  'pyproject.toml', 'setup.py', 'setup.cfg', 'Pipfile', 'Pipfile.lock', 'poetry.lock', 'uv.lock', 'pylock.toml',
  'environment.yml', 'environment.yaml',
  '.python-version', 'runtime.txt', 'app.py', 'main.py', 'wsgi.py', 'manage.py', 'server.py', 'app.sh',
] as const;

export const KNOWN_PYTHON_PROJECT_DIRS = ['wsgi', '.warpdrive'] as const;

/** The known files and directories the app has; empty means "not a Python app". */
export function pythonProjectMarkers(app: Pick<App, 'files' | 'dirs'>): string[] {
  return [
    ...KNOWN_PYTHON_PROJECT_FILES.filter((f) => app.files.has(f)),
    // PEP 751's named locks
    ...[...app.files].filter((f) => /^pylock\.[^.]+\.toml$/.test(f)).sort(),
    ...KNOWN_PYTHON_PROJECT_DIRS.filter((d) => app.dirs.has(d)).map((d) => `${d}/`),
  ];
}
