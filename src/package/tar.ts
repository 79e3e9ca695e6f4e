import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Transform } from 'node:stream';
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

/** What an OCI layer needs to know of a written archive: `digest` of the gzip, `diffId` of the tar. */
export interface TgzDigests {
  digest: string;
  diffId: string;
  size: number;
}

/** A pass-through stream that hashes and counts what flows through it. */
function hashing(): { stream: Transform; result: () => { hex: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ hex: hash.digest('hex'), size }) };
}

/**
 * Writes the entries, in the given order, as a gzipped tar. Node's gzip header has no
 * file name, mtime 0 and OS byte 3, so equal entries give equal bytes.
 */
export async function writeTgz(entries: readonly PackageEntry[], file: string): Promise<TgzDigests> {
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
  const tar = hashing();
  const gz = hashing();
  await Promise.all([pipeline(pack, tar.stream, createGzip(), gz.stream, createWriteStream(file)), fed]);
  const compressed = gz.result();
  return { digest: `sha256:${compressed.hex}`, diffId: `sha256:${tar.result().hex}`, size: compressed.size };
}
