import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Log } from '../output/log.js';
import type { BuildOutput } from './build-output.js';
import { pathExists } from '../effects/fs.js';
import { copyInto, linkTreesInto } from './fs-util.js';
import { exportAction } from './layer-rules.js';
import { layerSbomFiles, type LayerEntry } from './layers-dir.js';
import type { ImageDirs } from './image-switch.js';

/**
 * Turns a checked build output into the new image, in place: directories the lifecycle
 * ignores are dropped, all-false layers become `<layer>.ignore`, and launch layers left
 * without a directory get the previous image's one back. Build-only layers stay, so
 * they can be inspected; `pywarp launch` only looks at launch layers. The previous image
 * stays whole until the switch, so that a build stopped here can still put it back.
 */
export async function exportLayers(dirs: ImageDirs, output: BuildOutput, log: Log): Promise<void> {
  for (const stray of output.strayDirs) await rm(path.join(dirs.bpLayersDir, stray), { recursive: true, force: true });
  for (const layer of output.layers) {
    const action = exportAction(layer.types, layer.hasDir);
    const layerDir = path.join(dirs.bpLayersDir, layer.name);
    if (action === 'ignore' && layer.hasDir) {
      await rm(`${layerDir}.ignore`, { recursive: true, force: true });
      await rename(layerDir, `${layerDir}.ignore`);
    } else if (action === 'reuse') {
      // Hard links, not a copy: a launch-only layer can be a whole venv, and nothing writes
      // to an exported layer.
      await linkTreesInto([path.join(dirs.previousDir, layer.name)], dirs.bpLayersDir);
      log.info(`Reusing layer '${layer.name}' from the previous image`);
    }
  }
}

/** Where saveCache assembles the new cache: a leftover of a killed build is removed at the next one. */
export function cacheStaging(cacheDir: string): string {
  return `${cacheDir}.new`;
}

/**
 * Replaces the cache with this build's cached layers (`<layer>.toml`, `<layer>/`, SBOMs).
 * The new cache is assembled beside the old one and swapped in, so a failure half-way
 * leaves the old cache whole, and no partial copy behind.
 */
export async function saveCache(bpLayersDir: string, cacheDir: string, layers: readonly LayerEntry[]): Promise<void> {
  const staging = cacheStaging(cacheDir);
  try {
    await assembleCache(bpLayersDir, staging, layers);
  } catch (err) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  await rm(cacheDir, { recursive: true, force: true });
  await rename(staging, cacheDir);
}

async function assembleCache(bpLayersDir: string, staging: string, layers: readonly LayerEntry[]): Promise<void> {
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const files = await readdir(bpLayersDir);
  const metadata: string[] = [];
  const trees: string[] = [];
  for (const layer of layers.filter((l) => l.types.cache)) {
    metadata.push(`${layer.name}.toml`, ...layerSbomFiles(files, layer.name));
    if (await pathExists(path.join(bpLayersDir, layer.name))) trees.push(layer.name);
  }
  await copyInto(
    metadata.map((f) => path.join(bpLayersDir, f)),
    staging,
  );
  await linkTreesInto(
    trees.map((f) => path.join(bpLayersDir, f)),
    staging,
  );
}
