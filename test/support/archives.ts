import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface ArchiveEntry { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; content?: string; linkname?: string }

/** Writes a .tar.gz holding exactly `entries`, hostile ones included; returns its sha256. */
export async function writeTarGz(file: string, entries: readonly ArchiveEntry[]): Promise<string> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => { chunks.push(c as Buffer); });
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
