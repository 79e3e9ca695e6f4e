import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringifyToml } from '../cnb/toml.js';
import { pathExists } from '../effects/fs.js';
import { copyInto } from './fs-util.js';
import { planRestore, type RestoreStep } from './layer-rules.js';
import type { ImageDirs } from './image-switch.js';
import { layerSbomFiles, readLayersDir } from './layers-dir.js';

/**
 * Fills the fresh layers directory from the previous image and the cache (spec §4.4).
 * Restored `<layer>.toml` files hold only `[metadata]`: a buildpack must write `[types]`
 * again on every build, or the layer is ignored.
 */
export async function restoreLayers(
  dirs: ImageDirs,
  cacheDir: string,
  onUnreadable: (file: string, err: Error) => void,
): Promise<RestoreStep[]> {
  const image = await readLayersDir(dirs.previousDir, onUnreadable);
  const cache = await readLayersDir(cacheDir, onUnreadable);
  const steps = planRestore(image.layers, cache.layers);
  for (const step of steps) {
    const [listing, fromDir] = step.source === 'cache' ? [cache, cacheDir] : [image, dirs.previousDir];
    const layer = listing.layers.find((l) => l.name === step.name);
    if (!layer) continue;
    await writeFile(path.join(dirs.bpLayersDir, `${layer.name}.toml`), stringifyToml({ metadata: layer.metadata }));
    const sources = layerSbomFiles(listing.files, layer.name);
    // A copy, as the real lifecycle restores: a buildpack may edit a restored file in place
    // and then fail, and the cache must come out of that untouched.
    if (step.source === 'cache' && layer.hasDir) sources.push(layer.name);
    await copyInto(
      sources.map((f) => path.join(fromDir, f)),
      dirs.bpLayersDir,
    );
  }
  // store.toml persists through the app image only, never the cache.
  const store = path.join(dirs.previousDir, 'store.toml');
  if (await pathExists(store)) await copyInto([store], dirs.bpLayersDir);
  return steps;
}
