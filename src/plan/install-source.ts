import type { App } from './app.js';
import type { Env } from '../cnb/env.js';
import { isTable, parseToml } from '../cnb/toml.js';
import { setting } from './settings.js';
import { dependencies as msg } from '../output/messages.js';

/** Names people give requirements.txt by mistake; detect passes on them so the build can say so. */
export const MISSPELT_REQUIREMENTS = ['requirement.txt', 'requirements.text', 'requirements.txt.txt', 'requirments.txt', 'Requirements.txt'] as const;

/** Where the app's dependencies come from: the first found wins. */
export type InstallSource =
  | { kind: 'requirements'; files: string[]; reason: string }
  | { kind: 'project'; file: 'pyproject.toml' | 'setup.py' | 'setup.cfg'; reason: string }
  | { kind: 'none'; reason: string };

function hasProjectTable(app: App): boolean {
  const text = app.contents.get('pyproject.toml');
  if (text === undefined) return false;
  try {
    return isTable(parseToml(text, 'pyproject.toml').project);
  } catch {
    return false;
  }
}

export function chooseInstallSource(app: App, config: Env): InstallSource {
  const extra = (setting(config, 'BP_PIP_REQUIREMENT') ?? '').split(/[\s,]+/).filter(Boolean);
  const missing = extra.filter((f) => !app.files.has(f) && !f.includes('/'));
  if (missing.length) throw msg.requirementFileMissing(missing);
  if (app.files.has('requirements.txt') || extra.length) {
    const files = [...new Set([...(app.files.has('requirements.txt') ? ['requirements.txt'] : []), ...extra])];
    return { kind: 'requirements', files, reason: msg.reasonRequirements(files) };
  }
  if (hasProjectTable(app)) return { kind: 'project', file: 'pyproject.toml', reason: msg.reasonProject('pyproject.toml') };
  for (const file of ['setup.py', 'setup.cfg'] as const) {
    if (app.files.has(file)) return { kind: 'project', file, reason: msg.reasonProject(file) };
  }
  const misspelt = MISSPELT_REQUIREMENTS.find((f) => app.files.has(f));
  if (misspelt) throw msg.misspeltRequirements(misspelt);
  return { kind: 'none', reason: msg.reasonNone };
}

/** Arguments after `python -m pip install`. A vendored wheelhouse makes the install offline. */
export function pipInstallArgs(source: InstallSource, wheelhouse: string | undefined): string[] {
  const common = ['--no-input', '--progress-bar', 'off', ...(wheelhouse ? ['--no-index', '--find-links', wheelhouse] : [])];
  if (source.kind === 'requirements') return [...common, ...source.files.flatMap((f) => ['-r', f])];
  if (source.kind === 'project') return [...common, '.'];
  return [];
}
