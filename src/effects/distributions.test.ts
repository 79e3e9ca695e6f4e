import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { installedDistributions, parseDistMetadata, purl } from './distributions.js';

test('parseDistMetadata reads the header block only', () => {
  expect(parseDistMetadata('Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.2\n\nName: not-this\n')).toEqual({
    name: 'Flask',
    version: '2.2.2',
  });
  expect(parseDistMetadata('Metadata-Version: 2.1\n')).toBeUndefined();
});

test('purl', () => expect(purl({ name: 'Django_Whitenoise', version: '6.0.0+local' })).toBe('pkg:pypi/django-whitenoise@6.0.0%2Blocal'));

test('installedDistributions reads .dist-info and both shapes of .egg-info', async () => {
  const venv = await mkdtemp(path.join(os.tmpdir(), 'dists-'));
  const site = path.join(venv, 'lib', 'python3.11', 'site-packages');
  await mkdir(path.join(site, 'flask-2.2.2.dist-info'), { recursive: true });
  await writeFile(path.join(site, 'flask-2.2.2.dist-info', 'METADATA'), 'Name: Flask\nVersion: 2.2.2\n');
  await mkdir(path.join(site, 'hello_app-1.0-py3.11.egg-info'));
  await writeFile(path.join(site, 'hello_app-1.0-py3.11.egg-info', 'PKG-INFO'), 'Name: hello-app\nVersion: 1.0\n');
  await writeFile(path.join(site, 'old-0.1-py3.11.egg-info'), 'Name: old\nVersion: 0.1\n');
  await writeFile(path.join(site, 'module.py'), '');
  expect(await installedDistributions(venv)).toEqual([
    { name: 'Flask', version: '2.2.2' },
    { name: 'hello-app', version: '1.0' },
    { name: 'old', version: '0.1' },
  ]);
  await rm(venv, { recursive: true });
});
