import type { App } from './app.js';
import type { Env } from '../cnb/env.js';
import { isTable, parseToml } from '../cnb/toml.js';
import { setting } from './settings.js';
import { dependencies as msg, locks as lockMsg } from '../output/messages.js';
import { BuildError } from '../output/build-error.js';
import type { LockTool } from '../output/failures.js';

/** Names people give requirements.txt by mistake; detect passes on them so the build can say so. */
export const MISSPELT_REQUIREMENTS = [
  'requirement.txt',
  'requirements.text',
  'requirements.txt.txt',
  'requirments.txt',
  'Requirements.txt',
] as const;

/** Where the app's dependencies come from. */
export type InstallSource =
  | { kind: 'requirements'; files: string[]; reason: string }
  | { kind: 'lock'; tool: LockTool; file: string; reason: string }
  | { kind: 'project'; file: 'pyproject.toml' | 'setup.py' | 'setup.cfg'; reason: string }
  | { kind: 'none'; reason: string };

function pyproject(app: App): Record<string, unknown> | undefined {
  const text = app.contents.get('pyproject.toml');
  if (text === undefined) return undefined;
  try {
    return parseToml(text, 'pyproject.toml');
  } catch {
    return undefined;
  }
}

/** Dependencies only Poetry can read ([tool.poetry.dependencies]) and no build backend for pip to ask. */
function hasPoetryOnlyDependencies(app: App): boolean {
  const data = pyproject(app);
  if (!data) return false;
  const tool = isTable(data.tool) ? data.tool : {};
  const poetry = isTable(tool.poetry) && isTable(tool.poetry.dependencies) ? tool.poetry.dependencies : {};
  const project = isTable(data.project) ? data.project : {};
  return (
    Object.keys(poetry).some((n) => n.toLowerCase() !== 'python') && project.dependencies === undefined && !isTable(data['build-system'])
  );
}

/** A [project] table, or a build backend (poetry-core, hatchling… read their own tables): pip can install it. */
function isProject(data: Record<string, unknown> | undefined): boolean {
  const backend = isTable(data?.['build-system']) ? data['build-system']['build-backend'] : undefined;
  return isTable(data?.project) || typeof backend === 'string';
}

const INSTALLERS = ['pip', 'pipenv', 'poetry', 'uv', 'pylock'] as const;
type Installer = (typeof INSTALLERS)[number];
const LOCK_FILES: Record<Exclude<LockTool, 'pylock'>, string> = { pipenv: 'Pipfile.lock', poetry: 'poetry.lock', uv: 'uv.lock' };
const CONDA_FILES = ['environment.yml', 'environment.yaml'];

/** PEP 751 lock files: pylock.toml, or pylock.NAME.toml. */
export function pylockFiles(files: ReadonlySet<string>): string[] {
  return [...files].filter((f) => /^pylock\.([^.]+\.)?toml$/.test(f)).sort();
}

/** Whether `name` (app-relative) is a lock file pywarp reads: these may be far larger than other files. */
export function isLockFile(name: string): boolean {
  return (Object.values(LOCK_FILES) as string[]).includes(name) || pylockFiles(new Set([name])).length > 0;
}

/** The files the lock readers read beyond those every build reads (App.contents). */
export function lockFilesToRead(files: ReadonlySet<string>): string[] {
  return [...Object.values(LOCK_FILES), ...pylockFiles(files)].filter((f) => files.has(f));
}

/** As PEP 751 asks of services: the lock named after the service, else pylock.toml, else the only named one. */
function pylockFile(files: ReadonlySet<string>): string {
  const all = pylockFiles(files);
  const preferred = ['pylock.pywarp.toml', 'pylock.toml'].find((f) => all.includes(f)) ?? (all.length === 1 ? all[0] : undefined);
  if (preferred === undefined) throw new BuildError({ kind: 'pylock-files-multiple', files: all });
  return preferred;
}

export function chooseInstallSource(app: App, config: Env): InstallSource {
  const chosen = setting(config, 'BP_PYTHON_INSTALLER')?.toLowerCase();
  if (chosen !== undefined && !(INSTALLERS as readonly string[]).includes(chosen))
    throw new BuildError({ kind: 'installer-unknown', value: chosen });
  const installer = chosen as Installer | undefined;
  const extra = (setting(config, 'BP_PIP_REQUIREMENT') ?? '').split(/[\s,]+/).filter(Boolean);
  if (extra.length && installer && installer !== 'pip') throw new BuildError({ kind: 'installer-conflict', installer });
  const missing = extra.filter((f) => !app.files.has(f) && !f.includes('/'));
  if (missing.length) throw new BuildError({ kind: 'requirement-file-missing', files: missing });

  const found: Installer[] = [
    ...(app.files.has('requirements.txt') || extra.length ? ['pip' as const] : []),
    ...(['pipenv', 'poetry', 'uv'] as const).filter((t) => app.files.has(LOCK_FILES[t])),
    ...(pylockFiles(app.files).length ? ['pylock' as const] : []),
  ];
  if (installer === undefined && found.length > 1) {
    throw new BuildError({
      kind: 'installer-files-multiple',
      files: found.flatMap((t) => (t === 'pip' ? ['requirements.txt'] : t === 'pylock' ? pylockFiles(app.files) : [LOCK_FILES[t]])),
    });
  }
  const use = installer ?? found[0];
  const why = installer ? ` ${lockMsg.reasonChosen(installer)}` : '';
  if (use !== undefined && use !== 'pip') {
    if (!found.includes(use))
      throw new BuildError({ kind: 'installer-file-missing', installer: use, file: use === 'pylock' ? 'pylock.toml' : LOCK_FILES[use] });
    const file = use === 'pylock' ? pylockFile(app.files) : LOCK_FILES[use];
    return { kind: 'lock', tool: use, file, reason: `${lockMsg.reasonLock(file, use)}${why}` };
  }
  if (found.includes('pip')) {
    const files = [...new Set([...(app.files.has('requirements.txt') ? ['requirements.txt'] : []), ...extra])];
    return { kind: 'requirements', files, reason: `${msg.reasonRequirements(files)}${why}` };
  }
  if (installer === undefined && app.files.has('Pipfile')) throw new BuildError({ kind: 'pipfile-without-lock' });
  if (hasPoetryOnlyDependencies(app)) throw new BuildError({ kind: 'poetry-without-lock' });
  if (isProject(pyproject(app))) return { kind: 'project', file: 'pyproject.toml', reason: msg.reasonProject('pyproject.toml') };
  for (const file of ['setup.py', 'setup.cfg'] as const) {
    if (app.files.has(file)) return { kind: 'project', file, reason: msg.reasonProject(file) };
  }
  const misspelt = MISSPELT_REQUIREMENTS.find((f) => app.files.has(f));
  if (misspelt) throw new BuildError({ kind: 'requirements-misspelt', file: misspelt });
  const conda = CONDA_FILES.find((f) => app.files.has(f));
  if (conda) throw new BuildError({ kind: 'conda-unsupported', file: conda });
  return { kind: 'none', reason: msg.reasonNone };
}

/** Arguments after `python -m pip install`. A vendored wheelhouse makes the install offline. */
export function pipInstallArgs(source: InstallSource, wheelhouse: string | undefined): string[] {
  const common = ['--no-input', '--progress-bar', 'off', ...(wheelhouse ? ['--no-index', '--find-links', wheelhouse] : [])];
  if (source.kind === 'requirements') return [...common, ...source.files.flatMap((f) => ['-r', f])];
  if (source.kind === 'project') return [...common, '.'];
  return [];
}
