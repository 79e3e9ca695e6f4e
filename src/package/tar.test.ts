import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { packageEntries } from './layout.js';
import { FIXED_MTIME, tarHeader, writeTgz } from './tar.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-tar-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

test('a header carries no owner, no names and a fixed time', () => {
  expect(tarHeader({ type: 'file', path: 'bin/detect', mode: 0o755, source: '/x' }, 503)).toMatchObject({
    name: 'bin/detect',
    type: 'file',
    mode: 0o755,
    size: 503,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    mtime: new Date('1980-01-01T00:00:01Z'),
  });
  expect(tarHeader({ type: 'directory', path: 'bin', mode: 0o755 }, 0)).toMatchObject({ name: 'bin', type: 'directory', size: 0 });
});

async function entriesOf(
  tgz: Buffer,
): Promise<{ name: string; type: string; mode: number; mtime: Date; uid: number; uname: string; body: string }[]> {
  const out = [];
  const reader = extract();
  reader.end(gunzipSync(tgz));
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const { name, type, mode, mtime, uid, uname } = entry.header;
    out.push({ name, type, mode, mtime, uid, uname, body: Buffer.concat(chunks).toString() });
  }
  return out;
}

test('writeTgz writes the entries in order, and the same entries give the same bytes', async () => {
  const detect = path.join(tmp, 'detect');
  await writeFile(detect, '#!/bin/sh\n');
  const entries = packageEntries([
    { path: 'bin/detect', source: detect },
    { path: 'buildpack.toml', source: Buffer.from('api = "0.10"\n') },
  ]);
  const digests = await writeTgz(entries, path.join(tmp, 'a.tgz'));
  await writeTgz(entries, path.join(tmp, 'b.tgz'));
  const [a, b] = [await readFile(path.join(tmp, 'a.tgz')), await readFile(path.join(tmp, 'b.tgz'))];
  expect(a.equals(b)).toBe(true);
  // what an OCI layer descriptor and the config's diff_ids need: the gzip's and the tar's sha256
  const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
  expect(digests).toEqual({ digest: sha256(a), diffId: sha256(gunzipSync(a)), size: a.length });
  // gzip, deflate, no flags, mtime 0, no extra flags, OS 3 (Unix): nothing from the moment or the machine
  expect([...a.subarray(0, 10)]).toEqual([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]);
  expect(await entriesOf(a)).toEqual([
    { name: 'bin', type: 'directory', mode: 0o755, mtime: FIXED_MTIME, uid: 0, uname: '', body: '' },
    { name: 'bin/detect', type: 'file', mode: 0o755, mtime: FIXED_MTIME, uid: 0, uname: '', body: '#!/bin/sh\n' },
    { name: 'buildpack.toml', type: 'file', mode: 0o644, mtime: FIXED_MTIME, uid: 0, uname: '', body: 'api = "0.10"\n' },
  ]);
});
