import { isTable, parseToml } from '../cnb/toml.js';

export interface NodeMetadata { version: string; sha256: string; platform: string }

export class PackageError extends Error {}

/** The one platform a package is made for: its Node binary runs on the build image as is. */
export const PACKAGE_PLATFORM = 'linux/amd64';

/** The running Node goes into the package, so it must be the build image's kind of binary. */
export function checkPackagingNode(platform: string, arch: string): void {
  if (platform === 'linux' && arch === 'x64') return;
  throw new PackageError(
    `Packaging needs a ${PACKAGE_PLATFORM} Node.js: the package ships the running node binary, and this one is ${platform}/${arch}. ` +
    'Run `pywarp package` with a linux x64 Node (for example inside a linux/amd64 container).',
  );
}

/**
 * buildpack.toml with a `[metadata.node]` table appended. Appending keeps the rest of the
 * file byte for byte (comments included), and TOML allows a sub-table of [metadata] anywhere.
 */
export function withNodeMetadata(text: string, node: NodeMetadata): string {
  const table = parseToml(text, 'buildpack.toml');
  if (isTable(table.metadata) && 'node' in table.metadata) {
    throw new PackageError('buildpack.toml already has [metadata.node]: it looks like a packaged buildpack; package from the source tree.');
  }
  // JSON string syntax is a valid TOML basic string for these plain ASCII values.
  const lines = [
    '# Added by `pywarp package`: the Node.js that bin/detect and bin/build run.',
    '[metadata.node]',
    `version = ${JSON.stringify(node.version)}`,
    `sha256 = ${JSON.stringify(node.sha256)}`,
    `platform = ${JSON.stringify(node.platform)}`,
  ];
  return `${text.trimEnd()}\n\n${lines.join('\n')}\n`;
}
