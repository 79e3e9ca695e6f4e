import { copyFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { commitLayer, openLayer } from '../src/cnb/layer.js';
import { compileLauncher } from '../src/effects/pyc.js';
import { launchData, LAUNCH_DATA_COPY, LAUNCH_DATA_FILE, type LaunchData } from '../src/plan/launch-data.js';
import type { ProcessPlan } from '../src/plan/processes.js';

// Sorts before "venv": the launcher's own files never shadow the app's.
export const LAUNCHER_LAYER = 'launcher';

/**
 * The launcher's files in the buildpack, all named pywarp_*: its Python modules and the .pth that
 * mod_wsgi's daemons run (pywarp_gate). Its tests stay behind.
 */
export async function launcherSources(buildpackDir: string): Promise<string[]> {
  const dir = path.join(buildpackDir, 'layers', 'launcher');
  return (await readdir(dir))
    .filter((f) => /^pywarp_\w+\.(py|pth)$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * The `launcher` layer: a stdlib-only Python program plus launch.json, the build's
 * decisions as data. Launch-only and rebuilt every time: it is small, and the decisions
 * must follow the app. Its modules and launch.json are compiled by `python` (the image's CPython)
 * at build: the launcher's start is on the path to the server's first request.
 */
export async function installLauncher(opts: {
  layersDir: string;
  buildpackDir: string;
  appDir: string;
  venvDir: string;
  python: string;
  plan: ProcessPlan;
}): Promise<{ path: string; data: LaunchData }> {
  const layer = await openLayer(opts.layersDir, {
    name: LAUNCHER_LAYER,
    types: { build: false, launch: true, cache: false },
    readMetadata: () => undefined,
    invalidationReasons: () => [],
  });
  const sources = await launcherSources(opts.buildpackDir);
  const copies = sources.map((file) => path.join(layer.path, path.basename(file)));
  for (const [i, file] of sources.entries()) await copyFile(file, copies[i]!);
  const data = launchData({ appDir: opts.appDir, launcherDir: layer.path, venvDir: opts.venvDir, ...opts.plan });
  const dataFile = path.join(layer.path, LAUNCH_DATA_FILE);
  await writeFile(dataFile, `${JSON.stringify(data, null, 2)}\n`);
  await compileLauncher({
    modules: copies.filter((f) => f.endsWith('.py')),
    json: dataFile,
    jsonCopy: path.join(layer.path, LAUNCH_DATA_COPY),
    python: opts.python,
  });
  await commitLayer(layer, { launchData: data.version });
  return { path: layer.path, data };
}
