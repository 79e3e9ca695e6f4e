import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppFiles } from '../effects/read-app.js';
import { readIfExists } from '../effects/fs.js';
import type { Env } from '../cnb/env.js';
import { chooseInstallSource, pipInstallArgs, type InstallSource } from './install-source.js';
import { parseRequirements } from './requirements.js';

/** What the dependency install reads from the app, gathered before any layer is touched. */
export interface InstallAnalysis {
  source: InstallSource;
  installArgs: string[];
  keyFiles: Map<string, string>;
  wheelhouse?: string;
  editablePaths: string[];
  /** What makes reuse unsafe, when something does. */
  unsafeReuse?: string;
  /** Project names the requirement files name (normalized). */
  requiredNames: string[];
}

const PACKAGING_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'];

/** Vendored wheels: `vendor/` (Paketo's convention) or warpdrive's `.warpdrive/wheelhouse`. */
async function findWheelhouse(appDir: string): Promise<string | undefined> {
  for (const dir of ['vendor', '.warpdrive/wheelhouse']) {
    const names = await readdir(path.join(appDir, dir)).catch(() => [] as string[]);
    if (names.some((n) => n.endsWith('.whl') || n.endsWith('.tar.gz'))) return dir;
  }
  return undefined;
}

export async function analyzeInstall(app: AppFiles, config: Env): Promise<InstallAnalysis> {
  const source = chooseInstallSource(app, config);
  const keyFiles = new Map<string, string>();
  const editablePaths: string[] = [];
  const localPaths: string[] = [];
  const requiredNames: string[] = [];
  const queue = source.kind === 'requirements' ? [...source.files] : [];
  while (queue.length) {
    const file = queue.shift() as string;
    if (keyFiles.has(file)) continue;
    const text = await readIfExists(path.join(app.dir, file));
    if (text === undefined) continue;
    keyFiles.set(file, text);
    const info = parseRequirements(file, text);
    queue.push(...info.includes);
    editablePaths.push(...info.editablePaths);
    localPaths.push(...info.localPaths);
    requiredNames.push(...info.names);
  }
  if (source.kind === 'project') keyFiles.set(source.file, app.contents.get(source.file) ?? '');
  for (const dir of editablePaths) {
    for (const name of PACKAGING_FILES) {
      const text = await readIfExists(path.join(app.dir, dir, name));
      if (text !== undefined) keyFiles.set(path.posix.join(dir, name), text);
    }
  }
  const wheelhouse = await findWheelhouse(app.dir);
  if (wheelhouse) {
    keyFiles.set(`${wheelhouse}/ (listing)`, (await readdir(path.join(app.dir, wheelhouse))).sort().join('\n'));
  }
  const unsafeReuse = source.kind === 'project' ? `the app itself ('pip install .' from ${source.file})` : localPaths.length ? localPaths.join(', ') : undefined;
  return {
    source, installArgs: pipInstallArgs(source, wheelhouse), keyFiles, editablePaths, requiredNames,
    ...(wheelhouse ? { wheelhouse } : {}), ...(unsafeReuse ? { unsafeReuse } : {}),
  };
}
