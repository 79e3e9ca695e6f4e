import { isTable, parseToml, stringifyToml, type TomlTable } from './toml.js';
import { BuildError } from '../output/build-error.js';

export interface LayerTypes {
  build: boolean;
  launch: boolean;
  cache: boolean;
}

/** Contents of `<layer>.toml`. A restored file has no `[types]` (the lifecycle drops it). */
export interface LayerContentMetadata {
  types: LayerTypes;
  metadata: TomlTable;
}

export const RESERVED_LAYER_NAMES = ['build', 'launch', 'store'] as const;

/** A layer.toml that breaks the spec. */
function invalid(problem: string): BuildError {
  return new BuildError({ kind: 'cnb-format', format: 'layer.toml', problem });
}

export function parseLayerToml(text: string, what: string): LayerContentMetadata {
  const table = parseToml(text, what);
  for (const flag of ['build', 'launch', 'cache']) {
    if (flag in table) throw invalid(`${what}: the launch, cache and build flags should be in the types table`);
  }
  const rawTypes = table.types ?? {};
  if (!isTable(rawTypes)) throw invalid(`${what}: [types] must be a table`);
  const flag = (name: keyof LayerTypes): boolean => {
    const value = rawTypes[name] ?? false;
    if (typeof value !== 'boolean') throw invalid(`${what}: types.${name} must be a boolean`);
    return value;
  };
  const metadata = table.metadata ?? {};
  if (!isTable(metadata)) throw invalid(`${what}: [metadata] must be a table`);
  return { types: { build: flag('build'), launch: flag('launch'), cache: flag('cache') }, metadata };
}

export function formatLayerToml(content: LayerContentMetadata): string {
  return stringifyToml({ types: { ...content.types }, metadata: content.metadata });
}

export function checkLayerName(name: string): void {
  // "." and ".." would make the layer path the layers dir itself or its parent.
  if ((RESERVED_LAYER_NAMES as readonly string[]).includes(name) || name === '' || name === '.' || name === '..' || name.includes('/')) {
    throw new BuildError({ kind: 'cnb-format', format: 'layer name', problem: `"${name}" cannot be a layer name` });
  }
}
