import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface ArchiveEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: string;
  linkname?: string;
}

/** Writes a .tar.gz holding exactly `entries`, hostile ones included; returns its sha256. */
export async function writeTarGz(file: string, entries: readonly ArchiveEntry[]): Promise<string> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve) => tar.on('end', () => resolve()));
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = { name: e.name, type, mode: type === 'directory' ? 0o755 : 0o644, ...(e.linkname ? { linkname: e.linkname } : {}) };
    if (type === 'file') tar.entry(header, e.content ?? '');
    else tar.entry(header);
  }
  tar.finalize();
  await done;
  const bytes = gzipSync(Buffer.concat(chunks));
  await writeFile(file, bytes);
  return sha256(bytes);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  return sha256(await readFile(file));
}

/**
 * A gzip bomb with a valid checksum: one entry whose ustar header announces `size` bytes,
 * followed by only the first MiB of them (nothing past the header need be read to refuse it).
 */
export async function writeTarBomb(file: string, size: number): Promise<string> {
  const h = Buffer.alloc(512);
  h.write('python/zeros', 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('0', 156);
  h.write('ustar\x0000', 257);
  h.fill(' ', 148, 156);
  h.write(
    `${h
      .reduce((a, b) => a + b, 0)
      .toString(8)
      .padStart(6, '0')}\0 `,
    148,
  );
  const bytes = gzipSync(Buffer.concat([h, Buffer.alloc(1024 * 1024)]));
  await writeFile(file, bytes);
  return sha256(bytes);
}
