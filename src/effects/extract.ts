import { createReadStream, createWriteStream } from 'node:fs';
// Synchronous writes: thousands of small files go ~3× faster without a thread-pool hop each.
import { chmodSync, linkSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract, type Header } from 'tar-stream';
import { archives as text } from '../output/messages.js';

/** What extracting one archive may cost: the tar stream's size and its number of entries. */
export interface ExtractLimits {
  maxBytes: number;
  maxEntries: number;
}

// A python-build-standalone install_only tree is 100–250 MB in 2,000–5,000 entries.
const EXTRACT_LIMITS: ExtractLimits = { maxBytes: 2 * 1024 * 1024 * 1024, maxEntries: 100_000 };

/** Files up to this size are written in one call; larger ones are streamed, so memory stays flat. */
const IN_MEMORY_MAX = 1024 * 1024;

/** An archive entry that would land outside the destination, or a damaged archive. */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(message);
  }
}

/** Drops the first `strip` path components; undefined when nothing is left. */
export function stripPath(name: string, strip: number): string | undefined {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  const rest = parts.slice(strip);
  return rest.length ? rest.join('/') : undefined;
}

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Where an entry goes, or an ArchiveError naming it when it (or the link it makes)
 * would reach outside `root`: absolute names, `..` components, escaping link targets.
 */
export function entryTarget(
  root: string,
  header: Pick<Header, 'name' | 'type' | 'linkname'>,
  strip: number,
): { dest: string; link?: string } | undefined {
  if (path.isAbsolute(header.name)) throw new ArchiveError(text.absolute(header.name), header.name);
  if (header.name.split('/').includes('..')) throw new ArchiveError(text.dotDot(header.name), header.name);
  const rel = stripPath(header.name, strip);
  if (rel === undefined) return undefined;
  const dest = path.join(root, rel);
  if (header.type === 'symlink') {
    const linkname = header.linkname ?? '';
    if (path.isAbsolute(linkname) || !inside(root, path.resolve(path.dirname(dest), linkname))) {
      throw new ArchiveError(text.symlinkOutside(header.name, linkname), header.name);
    }
    // ".." only at the start: "a/.." is root lexically but the parent of wherever the link
    // "a" leads (e.g. "a" -> "." makes it root's parent), whatever order the entries come in.
    const parts = linkname.split('/').filter((p) => p !== '' && p !== '.');
    const down = parts.findIndex((p) => p !== '..');
    if (down >= 0 && parts.slice(down).includes('..')) {
      throw new ArchiveError(text.symlinkDotDot(header.name, linkname), header.name);
    }
    return { dest, link: linkname };
  }
  if (header.type === 'link') {
    const linkname = header.linkname ?? '';
    const relTarget = path.isAbsolute(linkname) || linkname.split('/').includes('..') ? undefined : stripPath(linkname, strip);
    if (relTarget === undefined) throw new ArchiveError(text.hardLinkOutside(header.name, linkname), header.name);
    return { dest, link: path.join(root, relTarget) };
  }
  return { dest };
}

/**
 * Refuses to write through a symlink an earlier entry created (it could lead anywhere).
 * `known` holds directories already checked and created, to keep syscalls per entry low.
 */
function prepareParent(root: string, dest: string, name: string, known: Set<string>): void {
  const parent = path.dirname(dest);
  if (known.has(parent)) return;
  for (let dir = parent; dir.length > root.length && !known.has(dir); dir = path.dirname(dir)) {
    const info = lstatSync(dir, { throwIfNoEntry: false });
    if (info?.isSymbolicLink()) throw new ArchiveError(text.throughSymlink(name, path.relative(root, dir)), name);
  }
  mkdirSync(parent, { recursive: true });
  known.add(parent);
}

/** A small entry's bytes in memory: one write per file is much faster than a stream per file. */
async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The archive's permissions without setuid, setgid, sticky and world-write: a layer needs none of them. */
export function safeMode(mode: number | undefined, fallback: number): number {
  return (mode ?? fallback) & 0o777 & ~0o002;
}

async function writeEntry(
  root: string,
  header: Header,
  stream: AsyncIterable<unknown> & { resume(): unknown },
  strip: number,
  known: Set<string>,
): Promise<void> {
  const target = entryTarget(root, header, strip);
  if (!target) return;
  prepareParent(root, target.dest, header.name, known);
  switch (header.type) {
    case 'directory':
      mkdirSync(target.dest, { recursive: true });
      chmodSync(target.dest, safeMode(header.mode, 0o755) | 0o700);
      known.add(target.dest);
      break;
    case 'file':
    case 'contiguous-file': {
      const mode = safeMode(header.mode, 0o644);
      if ((header.size ?? 0) <= IN_MEMORY_MAX) writeFileSync(target.dest, await collect(stream), { mode });
      else await pipeline(stream, createWriteStream(target.dest, { mode }));
      // The umask may have narrowed the mode given to open(); archives mean what they say.
      if ((mode & ~process.umask()) !== mode) chmodSync(target.dest, mode);
      return;
    }
    case 'symlink':
      symlinkSync(target.link as string, target.dest);
      break;
    case 'link':
      linkSync(target.link as string, target.dest);
      break;
    default:
      break;
  }
  stream.resume();
}

/**
 * Extracts a .tar.gz into `root`, honouring strip-components, refusing anything that
 * escapes, and stopping at `limits`: a small archive that inflates to gigabytes (or to a
 * million entries) fails as soon as it passes them, in constant memory.
 */
export async function extractTarGz(archive: string, root: string, strip: number, limits: Partial<ExtractLimits> = {}): Promise<void> {
  const { maxBytes, maxEntries } = { ...EXTRACT_LIMITS, ...limits };
  await mkdir(root, { recursive: true });
  const extractor = tarExtract();
  const known = new Set<string>([root]);
  let inflated = 0;
  let declared = 0;
  let entries = 0;
  // Counts what gunzip produces, so that padding and headers count too, not only file bodies.
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      inflated += chunk.length;
      done(inflated > maxBytes ? new ArchiveError(text.tooLarge(maxBytes)) : null, chunk);
    },
  });
  extractor.on('entry', (header, stream, next) => {
    // A header announces its size: refuse an oversized entry before inflating any of it.
    declared += header.size ?? 0;
    // The entry is dropped unread when the archive fails; its own error says nothing more.
    stream.on('error', () => undefined);
    if (++entries > maxEntries) return next(new ArchiveError(text.tooManyEntries(maxEntries)));
    if (declared > maxBytes) return next(new ArchiveError(text.tooLarge(maxBytes)));
    writeEntry(root, header, stream, strip, known).then(
      () => next(),
      (err: Error) => next(err),
    );
  });
  try {
    await pipeline(createReadStream(archive), createGunzip(), meter, extractor);
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(text.damaged((err as Error).message));
  }
}
