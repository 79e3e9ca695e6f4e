import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseLayerToml, type LayerContentMetadata } from '../cnb/layer-toml.js';
import { SBOM_FILE_PATTERN } from '../cnb/sbom.js';

/** Files of a buildpack's layers directory that are outputs, not `<layer>.toml`. */
export const OUTPUT_TOMLS = ['launch.toml', 'build.toml', 'store.toml'] as const;

export interface LayerEntry extends LayerContentMetadata {
  name: string;
  hasDir: boolean;
}

export interface LayersListing {
  /** Every `<layer>.toml`, parsed, sorted by name. */
  layers: LayerEntry[];
  /** Names of all directories. */
  dirs: string[];
  /** Names of all other entries (files, symlinks). */
  files: string[];
}

async function readEntries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Reads a buildpack's layers directory (or its cache copy); a missing one is empty.
 * A bad `<layer>.toml` throws, unless `onUnreadable` is given: then that layer is left
 * out (restoring treats a damaged cache entry as a miss rather than failing every build).
 */
export async function readLayersDir(dir: string, onUnreadable?: (file: string, err: Error) => void): Promise<LayersListing> {
  const entries = await readEntries(dir);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const files = entries
    .filter((e) => !e.isDirectory())
    .map((e) => e.name)
    .sort();
  const layers: LayerEntry[] = [];
  for (const file of files) {
    if (!file.endsWith('.toml') || (OUTPUT_TOMLS as readonly string[]).includes(file)) continue;
    const name = file.slice(0, -'.toml'.length);
    try {
      const content = parseLayerToml(await readFile(path.join(dir, file), 'utf8'), file);
      layers.push({ name, ...content, hasDir: dirs.includes(name) });
    } catch (err) {
      if (!onUnreadable) throw err;
      onUnreadable(file, err as Error);
    }
  }
  return { layers, dirs, files };
}

/** The SBOM files of one layer among a directory's file names (`<layer>.sbom.<ext>`). */
export function layerSbomFiles(files: readonly string[], layer: string): string[] {
  return files.filter((f) => SBOM_FILE_PATTERN.exec(f)?.[1] === layer);
}
