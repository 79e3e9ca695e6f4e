import { isTable, parseToml, stringifyToml } from '../cnb/toml.js';
import { BuildError } from '../output/build-error.js';
import { packaging } from '../output/messages.js';

/** `[metadata.node]`: the shipped Node, and the registry package it came from. */
export interface NodeMetadata {
  version: string;
  sha256: string;
  platform: string;
  package: string;
  integrity: string;
}

/**
 * The packaged buildpack.toml: `[metadata.node]` records the shipped Node, and only the
 * targets that Node runs on remain (an arm64 builder must not pick an amd64 package).
 */
export function packagedBuildpackToml(text: string, node: NodeMetadata): string {
  const table = parseToml(text, 'buildpack.toml');
  const metadata = isTable(table.metadata) ? table.metadata : {};
  if ('node' in metadata) throw new BuildError({ kind: 'package-already-packaged' });
  const [os, arch] = node.platform.split('/');
  const targets = (Array.isArray(table.targets) ? table.targets : []).filter(
    (t: unknown) => isTable(t) && (t.os ?? os) === os && (t.arch ?? arch) === arch,
  );
  const packaged = { ...table, targets: targets.length ? targets : [{ os, arch }], metadata: { ...metadata, node: { ...node } } };
  return `${packaging.tomlHeader(node.platform)}\n${stringifyToml(packaged)}`;
}
