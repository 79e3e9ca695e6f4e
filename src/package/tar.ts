import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack, type Header } from 'tar-stream';
import type { PackageEntry } from './layout.js';

// Just after the DOS/zip epoch, as reproducible-build tools use: a real date, yet no one's build time.
export const FIXED_MTIME = new Date('1980-01-01T00:00:01Z');

/**
 * The header of an entry with everything that depends on the machine or the moment
 * replaced by constants: owner, group, names and time.
 */
export function tarHeader(entry: PackageEntry, size: number): Header {
  return {
    name: entry.path,
    type: entry.type,
    mode: entry.mode,
    size: entry.type === 'file' ? size : 0,
    mtime: FIXED_MTIME,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    linkname: '',
    devmajor: 0,
    devminor: 0,
  };
}

async function contentOf(entry: PackageEntry): Promise<Buffer> {
  if (entry.type === 'directory') return Buffer.alloc(0);
  return typeof entry.source === 'string' ? readFile(entry.source) : entry.source;
}

/**
 * Writes the entries, in the given order, as a gzipped tar. Node's gzip header has no
 * file name, mtime 0 and OS byte 3, so equal entries give equal bytes.
 */
export async function writeTgz(entries: readonly PackageEntry[], file: string): Promise<void> {
  const pack = tarPack();
  const feed = async () => {
    for (const entry of entries) {
      const data = await contentOf(entry);
      await new Promise<void>((resolve, reject) => {
        pack.entry(tarHeader(entry, data.length), data, (err) => (err ? reject(err) : resolve()));
      });
    }
    pack.finalize();
  };
  // Either side failing fails the whole: a broken write must not leave feed() waiting forever.
  const fed = feed().catch((err: Error) => {
    pack.destroy(err);
    throw err;
  });
  await Promise.all([pipeline(pack, createGzip(), createWriteStream(file)), fed]);
}
