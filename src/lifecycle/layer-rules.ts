import type { LayerTypes } from '../cnb/layer-toml.js';

/** Where a layer of the previous build comes back from before bin/build runs (spec §4.4). */
export type RestoreSource =
  /** `<layer>.toml` (metadata only), `<layer>/` and its SBOMs, from the cache. */
  | 'cache'
  /** `<layer>.toml` (metadata only) and its SBOMs, from the previous image; no directory. */
  | 'image-metadata'
  | 'none';

/**
 * The lifecycle restores only from the cache, except the metadata of launch-only layers,
 * which comes from the app image so that the buildpack can ask for the layer to be
 * reused. Build layers that were not cached are always rebuilt.
 */
export function restoreSource(types: LayerTypes): RestoreSource {
  if (types.cache) return 'cache';
  if (types.launch && !types.build) return 'image-metadata';
  return 'none';
}

export interface NamedLayer {
  name: string;
  types: LayerTypes;
}
export interface RestoreStep {
  name: string;
  source: Exclude<RestoreSource, 'none'>;
}

/**
 * What to restore, by name. The cache holds exactly the cached layers of the last
 * successful build, so it is the only source of cached layers: a cached layer missing
 * from it (a cleared cache) is not restored, whatever the image says.
 */
export function planRestore(image: readonly NamedLayer[], cache: readonly NamedLayer[]): RestoreStep[] {
  const fromCache = cache.filter((l) => restoreSource(l.types) === 'cache').map((l) => l.name);
  const cached = new Set(fromCache);
  const fromImage = image.filter((l) => restoreSource(l.types) === 'image-metadata' && !cached.has(l.name)).map((l) => l.name);
  return [
    ...fromCache.map((name) => ({ name, source: 'cache' as const })),
    ...fromImage.map((name) => ({ name, source: 'image-metadata' as const })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What export does with a layer bin/build left behind. */
export type ExportAction =
  /** All flags false: renamed `<layer>.ignore`, as the lifecycle does after each buildpack. */
  | 'ignore'
  /** A launch layer with no directory: the previous image's layer is kept (or export fails). */
  | 'reuse'
  | 'keep';

export function exportAction(types: LayerTypes, hasDir: boolean): ExportAction {
  if (!types.launch && !types.build && !types.cache) return 'ignore';
  if (types.launch && !hasDir) return 'reuse';
  return 'keep';
}
