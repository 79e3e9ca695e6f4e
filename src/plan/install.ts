import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { WHEELHOUSE_DIRS, type App, type AppReads } from './app.js';
import { chooseInstallSource, lockFilesToRead, pipInstallArgs, type InstallSource } from './install-source.js';
import { parseRequirements } from './requirements.js';

/** How the dependencies are installed, decided from what was read, before any layer is touched. */
export interface InstallPlan {
  source: InstallSource;
  /** Arguments after `pip install`; empty when there is nothing to install. */
  installArgs: string[];
  /** App-relative path → contents of every file pip's result depends on (the venv's reuse key). */
  keyFiles: Map<string, string>;
  wheelhouse?: string;
  editablePaths: string[];
  /** What makes reuse unsafe, when something does. */
  unsafeReuse?: string;
  /** Local virtual environments committed with the app, which the image does not use. */
  venvDirsInApp: string[];
}

const PACKAGING_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'];
const LOCAL_VENV_DIRS = ['.venv', 'venv'];

/** The requirements files pip reads, includes first found breadth-first, with what they say. */
function walkRequirements(app: App, source: InstallSource) {
  const files = new Map<string, string>();
  const editablePaths: string[] = [];
  const localPaths: string[] = [];
  const unread: string[] = [];
  const queue = source.kind === 'requirements' ? [...source.files] : [];
  while (queue.length) {
    const file = queue.shift() as string;
    const text = app.contents.get(file);
    if (text === undefined) unread.push(file);
    if (files.has(file) || text === undefined) continue;
    files.set(file, text);
    const info = parseRequirements(file, text);
    queue.push(...info.includes);
    editablePaths.push(...info.editablePaths);
    localPaths.push(...info.localPaths);
  }
  return { files, editablePaths, localPaths, unread };
}

/** What the install decision reads beyond the top level: includes, editable projects' packaging files, lock files, wheelhouses. */
export function installReads(app: App, config: Env): AppReads {
  const { editablePaths, unread } = walkRequirements(app, chooseInstallSource(app, config));
  const packaging = editablePaths.flatMap((dir) => PACKAGING_FILES.map((name) => path.posix.join(dir, name)));
  return { files: [...unread, ...packaging, ...lockFilesToRead(app.files)], dirs: [...WHEELHOUSE_DIRS] };
}

export function planInstall(app: App, config: Env): InstallPlan {
  const source = chooseInstallSource(app, config);
  const { files, editablePaths, localPaths } = walkRequirements(app, source);
  const keyFiles = new Map(files);
  if (source.kind === 'project') keyFiles.set(source.file, app.contents.get(source.file) ?? '');
  for (const dir of editablePaths) {
    for (const name of PACKAGING_FILES) {
      const file = path.posix.join(dir, name);
      const text = app.contents.get(file);
      if (text !== undefined) keyFiles.set(file, text);
    }
  }
  const wheelhouse = WHEELHOUSE_DIRS.find((dir) => (app.listings.get(dir) ?? []).some((n) => n.endsWith('.whl') || n.endsWith('.tar.gz')));
  if (wheelhouse) keyFiles.set(`${wheelhouse}/ (listing)`, (app.listings.get(wheelhouse) ?? []).join('\n'));
  const unsafeReuse = source.kind === 'project' ? `the app itself ('pip install .' from ${source.file})` : localPaths.length ? localPaths.join(', ') : undefined;
  return {
    source,
    installArgs: pipInstallArgs(source, wheelhouse),
    keyFiles,
    editablePaths,
    venvDirsInApp: LOCAL_VENV_DIRS.filter((d) => app.dirs.has(d)),
    ...(wheelhouse ? { wheelhouse } : {}),
    ...(unsafeReuse ? { unsafeReuse } : {}),
  };
}
