import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { ArchiveError, entryTarget, extractTarGz, safeMode, stripPath } from './extract.js';

interface Entry {
  name: string;
  type?: Header['type'];
  body?: string | Buffer;
  mode?: number;
  linkname?: string;
}

let tmp: string;
let root: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-extract-'));
  // The destination sits two levels down so that escapes land somewhere we can look.
  root = path.join(tmp, 'layers', 'python');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function tarOf(entries: readonly Entry[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    const type = e.type ?? (e.name.endsWith('/') ? 'directory' : 'file');
    const header = {
      name: e.name,
      type,
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      mtime: new Date(0),
      ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
    };
    if (type === 'file') p.entry(header, e.body ?? '');
    else p.entry(header);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function tgz(entries: readonly Entry[]): Promise<string> {
  const file = path.join(tmp, 'archive.tar.gz');
  await writeFile(file, gzipSync(await tarOf(entries)));
  return file;
}

async function refusal(entries: readonly Entry[], strip = 0): Promise<ArchiveError> {
  const err = await extractTarGz(await tgz(entries), root, strip).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof ArchiveError) return err;
  throw new Error(`expected an ArchiveError, got ${String(err)}`);
}

const mode = async (p: string) => (await lstat(p)).mode & 0o7777;

describe('stripPath', () => {
  test.each<[string, number, string | undefined]>([
    ['a/b/c', 0, 'a/b/c'],
    ['a/b/c', 1, 'b/c'],
    ['a/b/c', 3, undefined],
    ['./a/b', 1, 'b'],
    ['a//b/', 1, 'b'],
    ['a/', 1, undefined],
    ['.', 0, undefined],
  ])('%j strip %d → %j', (name, strip, expected) => expect(stripPath(name, strip)).toBe(expected));
});

describe('entryTarget', () => {
  test.each<[Pick<Header, 'name' | 'type' | 'linkname'>, number, { dest: string; link?: string } | undefined]>([
    [{ name: 'a/b', type: 'file', linkname: '' }, 0, { dest: '/r/a/b' }],
    [{ name: 'a/b', type: 'file', linkname: '' }, 1, { dest: '/r/b' }],
    [{ name: 'a/', type: 'directory', linkname: '' }, 1, undefined],
    [{ name: 'a/bin/python3', type: 'symlink', linkname: 'python3.14' }, 1, { dest: '/r/bin/python3', link: 'python3.14' }],
    [{ name: 'a/lib/x', type: 'symlink', linkname: '../bin/y' }, 1, { dest: '/r/lib/x', link: '../bin/y' }],
    [{ name: 'a/lib/x.1', type: 'link', linkname: 'a/lib/x' }, 1, { dest: '/r/lib/x.1', link: '/r/lib/x' }],
    [
      { name: 'share/terminfo/2/2621', type: 'symlink', linkname: '../h/hp2621' },
      0,
      { dest: '/r/share/terminfo/2/2621', link: '../h/hp2621' },
    ],
    [{ name: 'a/b', type: 'symlink', linkname: './c' }, 0, { dest: '/r/a/b', link: './c' }],
  ])('%j strip %d', (header, strip, expected) => expect(entryTarget('/r', header, strip)).toEqual(expected));

  test.each<[Pick<Header, 'name' | 'type' | 'linkname'>, number]>([
    [{ name: '../x', type: 'file', linkname: '' }, 0],
    [{ name: 'a/../../x', type: 'directory', linkname: '' }, 1],
    [{ name: '/abs', type: 'file', linkname: '' }, 0],
    [{ name: 'l', type: 'symlink', linkname: '/etc' }, 0],
    [{ name: 'l', type: 'symlink', linkname: '..' }, 0],
    [{ name: 'd/l', type: 'symlink', linkname: 'x/../..' }, 0],
    [{ name: 'b', type: 'symlink', linkname: 'a/..' }, 0],
    [{ name: 'b', type: 'symlink', linkname: 'a/../c' }, 0],
    [{ name: 'h', type: 'link', linkname: 'a/../b' }, 0],
    [{ name: 'h', type: 'link', linkname: '/etc/passwd' }, 0],
  ])('refuses %j strip %d', (header, strip) => {
    expect(() => entryTarget('/r', header, strip)).toThrow(ArchiveError);
  });
});

describe('extractTarGz', () => {
  test('files, dirs, symlinks and hard links with strip-components 0', async () => {
    await extractTarGz(
      await tgz([
        { name: 'bin/', mode: 0o755 },
        { name: 'bin/run', body: '#!/bin/sh\n', mode: 0o755 },
        { name: 'bin/run-link', type: 'symlink', linkname: 'run' },
        { name: 'data/', mode: 0o750 },
        { name: 'data/secret.txt', body: 'private', mode: 0o600 },
        { name: 'data/shared.txt', body: 'shared', mode: 0o644 },
        { name: 'data/hard.txt', type: 'link', linkname: 'data/shared.txt' },
        { name: 'data/up', type: 'symlink', linkname: '../bin/run' },
        { name: 'implicit/dir/file', body: 'made parents' },
      ]),
      root,
      0,
    );
    expect((await readdir(root)).sort()).toEqual(['bin', 'data', 'implicit']);
    expect(await readFile(path.join(root, 'bin/run'), 'utf8')).toBe('#!/bin/sh\n');
    expect(await mode(path.join(root, 'bin/run'))).toBe(0o755);
    expect(await mode(path.join(root, 'bin'))).toBe(0o755);
    expect(await mode(path.join(root, 'data'))).toBe(0o750);
    expect(await mode(path.join(root, 'data/secret.txt'))).toBe(0o600);
    expect(await mode(path.join(root, 'data/shared.txt'))).toBe(0o644);
    expect((await lstat(path.join(root, 'bin/run-link'))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(root, 'bin/run-link'))).toBe('run');
    expect(await readlink(path.join(root, 'data/up'))).toBe('../bin/run');
    expect(await readFile(path.join(root, 'data/up'), 'utf8')).toBe('#!/bin/sh\n');
    const hard = await stat(path.join(root, 'data/hard.txt'));
    expect(hard.isFile()).toBe(true);
    expect(hard.ino).toBe((await stat(path.join(root, 'data/shared.txt'))).ino);
    expect(hard.nlink).toBe(2);
    expect(await readFile(path.join(root, 'implicit/dir/file'), 'utf8')).toBe('made parents');
  });

  test('strip-components 1, as for python-build-standalone', async () => {
    await extractTarGz(
      await tgz([
        { name: 'python/' },
        { name: 'README', body: 'a top-level file with a body is skipped' },
        { name: 'python/bin/' },
        { name: 'python/bin/python3.14', body: 'ELF', mode: 0o755 },
        { name: 'python/bin/python3', type: 'symlink', linkname: 'python3.14' },
        { name: 'python/bin/python', type: 'symlink', linkname: 'python3' },
        { name: 'python/lib/libpython3.14.so.1.0', body: 'lib', mode: 0o755 },
        { name: 'python/lib/libpython3.14.so', type: 'link', linkname: 'python/lib/libpython3.14.so.1.0' },
        { name: './python/include/python3.14/Python.h', body: 'h' },
      ]),
      root,
      1,
    );
    expect((await readdir(root)).sort()).toEqual(['bin', 'include', 'lib']);
    expect(await mode(path.join(root, 'bin/python3.14'))).toBe(0o755);
    expect(await readlink(path.join(root, 'bin/python3'))).toBe('python3.14');
    expect(await readlink(path.join(root, 'bin/python'))).toBe('python3');
    expect(await readFile(path.join(root, 'bin/python'), 'utf8')).toBe('ELF');
    expect((await stat(path.join(root, 'lib/libpython3.14.so'))).ino).toBe((await stat(path.join(root, 'lib/libpython3.14.so.1.0'))).ino);
    expect(await readFile(path.join(root, 'include/python3.14/Python.h'), 'utf8')).toBe('h');
  });

  test('an empty archive makes an empty root', async () => {
    await extractTarGz(await tgz([]), root, 0);
    expect(await readdir(root)).toEqual([]);
  });

  describe('refuses entries that escape, naming the entry', () => {
    test.each<[string, Entry[], number]>([
      ['a ".." path', [{ name: '../x', body: 'escaped' }], 0],
      ['a ".." path inside the name', [{ name: 'python/../../x', body: 'escaped' }], 1],
      ['an absolute path', [{ name: '/etc/x', body: 'escaped' }], 0],
      ['a symlink to ../../outside', [{ name: 'a/l', type: 'symlink', linkname: '../../outside' }], 0],
      ['a symlink that escapes only after strip', [{ name: 'top/l', type: 'symlink', linkname: '../x' }], 1],
      ['an absolute symlink', [{ name: 'l', type: 'symlink', linkname: '/etc/passwd' }], 0],
      ['a hard link to ../x', [{ name: 'h', type: 'link', linkname: '../x' }], 0],
      ['a hard link to an absolute path', [{ name: 'h', type: 'link', linkname: '/etc/passwd' }], 0],
      ['a hard link into what strip removes', [{ name: 'top/h', type: 'link', linkname: 'top' }], 1],
    ])('%s', async (_what, entries, strip) => {
      const last = entries[entries.length - 1] as Entry;
      const err = await refusal(entries, strip);
      expect(err.entry).toBe(last.name);
      expect(err.message).toContain(`"${last.name}"`);
      expect(await readdir(tmp)).toEqual(['archive.tar.gz', 'layers']);
      expect(await readdir(path.join(tmp, 'layers'))).toEqual(['python']);
    });

    test('an entry written through an earlier symlink', async () => {
      await mkdir(path.join(tmp, 'elsewhere'));
      const err = await refusal([
        { name: 'sub/' },
        { name: 'd', type: 'symlink', linkname: 'sub' },
        { name: 'd/file', body: 'through the link' },
      ]);
      expect(err.entry).toBe('d/file');
      expect(err.message).toContain('"d/file"');
      expect(await readdir(path.join(root, 'sub'))).toEqual([]);
    });

    test('a symlink that escapes through another symlink (a -> ., b -> a/..)', async () => {
      // b looks like it points at root itself, but a is root, so a/.. is root's parent.
      await mkdir(path.join(tmp, 'layers'), { recursive: true });
      await writeFile(path.join(tmp, 'layers', 'victim'), 'untouched');
      const err = await refusal([
        { name: 'a', type: 'symlink', linkname: '.' },
        { name: 'b', type: 'symlink', linkname: 'a/..' },
        { name: 'h', type: 'link', linkname: 'b/victim' },
        { name: 'h', body: 'overwritten' },
      ]);
      expect(err.entry).toBe('b');
      expect(await readFile(path.join(tmp, 'layers', 'victim'), 'utf8')).toBe('untouched');
    });

    test('the same escape with the links in the other order (b -> a/.., then a -> .)', async () => {
      const err = await refusal([
        { name: 'b', type: 'symlink', linkname: 'a/..' },
        { name: 'a', type: 'symlink', linkname: '.' },
      ]);
      expect(err.entry).toBe('b');
    });
  });

  test('a symlink with ".." that stays inside is fine', async () => {
    await extractTarGz(
      await tgz([
        { name: 'lib/python3.14/site-packages/', mode: 0o755 },
        { name: 'lib/python3.14/site-packages/x', type: 'symlink', linkname: '../../../bin/tool' },
        { name: 'bin/tool', body: 't' },
      ]),
      root,
      0,
    );
    expect(await readFile(path.join(root, 'lib/python3.14/site-packages/x'), 'utf8')).toBe('t');
  });

  test('a truncated gzip is "damaged"', async () => {
    const full = gzipSync(await tarOf([{ name: 'big', body: 'x'.repeat(100_000) + Math.random().toString() }]));
    const file = path.join(tmp, 'cut.tar.gz');
    await writeFile(file, full.subarray(0, Math.floor(full.length / 2)));
    await expect(extractTarGz(file, root, 0)).rejects.toThrow(ArchiveError);
    await expect(extractTarGz(file, root, 0)).rejects.toThrow(/damaged/);
  });

  test('a file that is not gzip is "damaged"', async () => {
    const file = path.join(tmp, 'plain.tar');
    await writeFile(file, await tarOf([{ name: 'a', body: 'a' }]));
    await expect(extractTarGz(file, root, 0)).rejects.toThrow(/damaged/);
  });

  test('a missing archive is "damaged" too (an ArchiveError, not a raw ENOENT)', async () => {
    await expect(extractTarGz(path.join(tmp, 'missing.tgz'), root, 0)).rejects.toThrow(ArchiveError);
  });
});

describe('safeMode', () => {
  test.each([
    [0o644, 0o644],
    [0o755, 0o755],
    [0o4755, 0o755],
    [0o2755, 0o755],
    [0o1777, 0o775],
    [0o777, 0o775],
    [0o666, 0o664],
    [undefined, 0o644],
  ])('%o → %o', (input, expected) => expect(safeMode(input, 0o644)).toBe(expected));
});

describe('extractTarGz drops dangerous modes', () => {
  test('setuid, setgid, sticky and world-writable bits are not extracted', async () => {
    await extractTarGz(
      await tgz([
        { name: 'shared/', mode: 0o1777 },
        { name: 'open/', mode: 0o777 },
        { name: 'bin/su', body: 'x', mode: 0o4755 },
        { name: 'bin/wall', body: 'x', mode: 0o2755 },
        { name: 'bin/anyone', body: 'x', mode: 0o777 },
      ]),
      root,
      0,
    );
    expect(await mode(path.join(root, 'shared'))).toBe(0o775);
    expect(await mode(path.join(root, 'open'))).toBe(0o775);
    expect(await mode(path.join(root, 'bin/su'))).toBe(0o755);
    expect(await mode(path.join(root, 'bin/wall'))).toBe(0o755);
    expect(await mode(path.join(root, 'bin/anyone'))).toBe(0o775);
  });
});

describe('extractTarGz is bounded', () => {
  const MiB = 1024 * 1024;

  test('a file larger than what fits in one write is streamed, byte for byte', async () => {
    const big = Buffer.alloc(3 * MiB + 17, 'pywarp');
    await extractTarGz(await tgz([{ name: 'lib/libbig.so', body: big, mode: 0o755 }]), root, 0);
    expect((await readFile(path.join(root, 'lib/libbig.so'))).equals(big)).toBe(true);
    expect(await mode(path.join(root, 'lib/libbig.so'))).toBe(0o755);
  });

  test('a one-entry gzip bomb fails at its header, before anything is inflated or written', async () => {
    // 16 MiB of zeros gzip to ~16 KiB; the limit is 1 MiB.
    const bomb = await tgz([
      { name: 'python/', mode: 0o755 },
      { name: 'python/zeros', body: Buffer.alloc(16 * MiB) },
    ]);
    expect((await stat(bomb)).size).toBeLessThan(64 * 1024);
    const err = await extractTarGz(bomb, root, 1, { maxBytes: MiB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).message).toBe('it expands to more than 1.0 MiB, the most pywarp extracts');
    expect(await readdir(root)).toEqual([]);
  });

  test('zeros after the end of the archive count too', async () => {
    const file = path.join(tmp, 'trailing.tar.gz');
    await writeFile(file, gzipSync(Buffer.concat([await tarOf([{ name: 'a', body: 'a' }]), Buffer.alloc(16 * MiB)])));
    await expect(extractTarGz(file, root, 0, { maxBytes: MiB })).rejects.toThrow(
      'it expands to more than 1.0 MiB, the most pywarp extracts',
    );
  });

  test('an archive of too many entries stops at the limit', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, body: '' }));
    const err = await extractTarGz(await tgz(entries), root, 0, { maxEntries: 20 }).catch((e: unknown) => e);
    expect((err as ArchiveError).message).toBe('it has more than 20 entries, the most pywarp extracts');
    expect((await readdir(root)).length).toBe(20);
  });
});
