import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, link, lstat, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract, type Header } from 'tar-stream';

/** An archive entry that would land outside the destination, or a damaged archive. */
export class ArchiveError extends Error {
  constructor(message: string, readonly entry?: string) {
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
export function entryTarget(root: string, header: Pick<Header, 'name' | 'type' | 'linkname'>, strip: number): { dest: string; link?: string } | undefined {
  if (path.isAbsolute(header.name)) throw new ArchiveError(`entry "${header.name}" has an absolute path`, header.name);
  if (header.name.split('/').includes('..')) throw new ArchiveError(`entry "${header.name}" contains ".."`, header.name);
  const rel = stripPath(header.name, strip);
  if (rel === undefined) return undefined;
  const dest = path.join(root, rel);
  if (header.type === 'symlink') {
    const linkname = header.linkname ?? '';
    if (path.isAbsolute(linkname) || !inside(root, path.resolve(path.dirname(dest), linkname))) {
      throw new ArchiveError(`symlink "${header.name}" points outside the layer (to "${linkname}")`, header.name);
    }
    return { dest, link: linkname };
  }
  if (header.type === 'link') {
    const linkname = header.linkname ?? '';
    const relTarget = path.isAbsolute(linkname) || linkname.split('/').includes('..') ? undefined : stripPath(linkname, strip);
    if (relTarget === undefined) throw new ArchiveError(`hard link "${header.name}" points outside the layer (to "${linkname}")`, header.name);
    return { dest, link: path.join(root, relTarget) };
  }
  return { dest };
}

/** Refuses to write through a symlink an earlier entry created (it could lead anywhere). */
async function checkParents(root: string, dest: string, name: string): Promise<void> {
  for (let dir = path.dirname(dest); dir.length > root.length; dir = path.dirname(dir)) {
    const info = await lstat(dir).catch(() => undefined);
    if (info?.isSymbolicLink()) throw new ArchiveError(`entry "${name}" would be written through the symlink "${path.relative(root, dir)}"`, name);
  }
}

async function writeEntry(root: string, header: Header, stream: AsyncIterable<unknown> & { resume(): unknown }, strip: number): Promise<void> {
  const target = entryTarget(root, header, strip);
  if (!target) return;
  await checkParents(root, target.dest, header.name);
  await mkdir(path.dirname(target.dest), { recursive: true });
  const mode = (header.mode ?? 0o644) & 0o7777;
  switch (header.type) {
    case 'directory':
      await mkdir(target.dest, { recursive: true });
      await chmod(target.dest, mode | 0o700);
      break;
    case 'file':
    case 'contiguous-file':
      await pipeline(stream, createWriteStream(target.dest, { mode }));
      await chmod(target.dest, mode);
      return;
    case 'symlink':
      await symlink(target.link as string, target.dest);
      break;
    case 'link':
      await link(target.link as string, target.dest);
      break;
    default:
      break;
  }
  stream.resume();
}

/** Extracts a .tar.gz into `root`, honouring strip-components, refusing anything that escapes. */
export async function extractTarGz(archive: string, root: string, strip: number): Promise<void> {
  await mkdir(root, { recursive: true });
  const extractor = tarExtract();
  extractor.on('entry', (header, stream, next) => {
    writeEntry(root, header, stream, strip).then(() => next(), (err: Error) => next(err));
  });
  try {
    await pipeline(createReadStream(archive), createGunzip(), extractor);
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(`the archive is damaged: ${(err as Error).message}`);
  }
}
