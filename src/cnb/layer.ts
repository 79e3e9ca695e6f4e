import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathExists, readIfExists } from '../effects/fs.js';
import { checkLayerName, formatLayerToml, parseLayerToml, type LayerTypes } from './layer-toml.js';
import type { TomlTable } from './toml.js';

/**
 * How a buildpack asks for a layer: its flags, how to read its typed metadata back,
 * and why a restored copy can no longer be used (an empty list keeps it).
 */
export interface LayerDefinition<M> {
  name: string;
  types: LayerTypes;
  /** Returns undefined when the restored metadata is not of the expected shape. */
  readMetadata(raw: TomlTable): M | undefined;
  invalidationReasons(cached: M): string[];
}

export type LayerState<M> =
  | { kind: 'restored'; metadata: M }
  | { kind: 'empty'; cause: 'new' }
  | { kind: 'empty'; cause: 'invalid-metadata' }
  | { kind: 'empty'; cause: 'invalidated'; previous: M; reasons: string[] };

export interface Layer<M> {
  name: string;
  path: string;
  tomlPath: string;
  types: LayerTypes;
  state: LayerState<M>;
}

async function readRestored(tomlPath: string): Promise<TomlTable | undefined> {
  const text = await readIfExists(tomlPath);
  if (text === undefined) return undefined;
  try {
    return parseLayerToml(text, tomlPath).metadata;
  } catch {
    return undefined;
  }
}

/**
 * Opens a layer for this build. A restored layer whose metadata still holds is kept
 * (and re-typed at once, since the restored file has no `[types]`). Anything else is
 * emptied: its `<layer>.toml` goes first, so that a build that dies while filling the
 * layer leaves a directory the lifecycle ignores rather than one a later build reuses.
 */
export async function openLayer<M>(layersDir: string, def: LayerDefinition<M>): Promise<Layer<M>> {
  checkLayerName(def.name);
  const layerPath = path.join(layersDir, def.name);
  const tomlPath = `${layerPath}.toml`;
  const base = { name: def.name, path: layerPath, tomlPath, types: def.types };
  const raw = (await pathExists(layerPath)) ? await readRestored(tomlPath) : undefined;
  let state: LayerState<M> = { kind: 'empty', cause: 'new' };
  if (raw !== undefined) {
    const cached = def.readMetadata(raw);
    if (cached === undefined) {
      state = { kind: 'empty', cause: 'invalid-metadata' };
    } else {
      const reasons = def.invalidationReasons(cached);
      if (reasons.length === 0) {
        await writeFile(tomlPath, formatLayerToml({ types: def.types, metadata: raw }));
        return { ...base, state: { kind: 'restored', metadata: cached } };
      }
      state = { kind: 'empty', cause: 'invalidated', previous: cached, reasons };
    }
  }
  await rm(tomlPath, { force: true });
  await rm(layerPath, { recursive: true, force: true });
  await mkdir(layerPath, { recursive: true });
  return { ...base, state };
}

/** Marks a filled layer complete. Call only once every file of the layer is in place. */
export async function commitLayer(layer: Layer<unknown>, metadata: TomlTable): Promise<void> {
  await writeFile(layer.tomlPath, formatLayerToml({ types: layer.types, metadata }));
}

/** Removes a layer and its metadata, e.g. when a build step fails half-way. */
export async function discardLayer(layer: Pick<Layer<unknown>, 'path' | 'tomlPath'>): Promise<void> {
  await rm(layer.tomlPath, { force: true });
  await rm(layer.path, { recursive: true, force: true });
}
