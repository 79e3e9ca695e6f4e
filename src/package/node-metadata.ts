import { isTable, parseToml, stringifyToml } from '../cnb/toml.js';
import { BuildError } from '../output/build-error.js';

export interface NodeMetadata { version: string; sha256: string; platform: string }

/** The one platform a package is made for: its Node binary runs on the build image as is. */
export const PACKAGE_PLATFORM = 'linux/amd64';

/** The running Node goes into the package, so it must be the build image's kind of binary. */
export function checkPackagingNode(platform: string, arch: string): void {
  if (platform === 'linux' && arch === 'x64') return;
  throw new BuildError({ kind: 'package-wrong-node', required: PACKAGE_PLATFORM, found: `${platform}/${arch}` });
}

/**
 * The packaged buildpack.toml: `[metadata.node]` records the shipped Node, and only the
 * targets that Node runs on remain (an arm64 builder must not pick an amd64-only package).
 */
export function packagedBuildpackToml(text: string, node: NodeMetadata): string {
  const table = parseToml(text, 'buildpack.toml');
  const metadata = isTable(table.metadata) ? table.metadata : {};
  if ('node' in metadata) {
    throw new BuildError({ kind: 'package-already-packaged' });
  }
  const [os, arch] = node.platform.split('/');
  const targets = (Array.isArray(table.targets) ? table.targets : []).filter((t: unknown) => isTable(t) && (t.os ?? os) === os && (t.arch ?? arch) === arch);
  const packaged = { ...table, ...(targets.length ? { targets } : {}), metadata: { ...metadata, node: { ...node } } };
  return `# Packaged by \`pywarp package\` for ${node.platform}: bin/ runs the Node.js in [metadata.node].\n${stringifyToml(packaged)}`;
}
