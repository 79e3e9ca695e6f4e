import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cycloneDx, SBOM_FILE_PATTERN, SBOM_FORMATS, sbomPath, writeCycloneDx, type SbomComponent } from './sbom.js';

let layers: string;
beforeEach(async () => {
  layers = await mkdtemp(path.join(os.tmpdir(), 'pywarp-sbom-'));
});
afterEach(async () => {
  await rm(layers, { recursive: true, force: true });
});

const SHA = 'cefba034445d2875408d1fd4d5700ae6731563aeb54dcb39fd8164ab5c457533';
const python: SbomComponent = {
  name: 'CPython',
  version: '3.14.7',
  purl: 'pkg:generic/cpython@3.14.7?arch=amd64',
  sha256: SHA,
  downloadUrl: 'https://github.com/astral-sh/python-build-standalone/releases/download/x.tar.gz',
  licenses: ['PSF-2.0'],
};

describe('SBOM file names (spec §4.8, assertion 67)', () => {
  test('the extensions and media types the lifecycle accepts', () => {
    expect(SBOM_FORMATS).toEqual({
      'cdx.json': 'application/vnd.cyclonedx+json',
      'spdx.json': 'application/spdx+json',
      'syft.json': 'application/vnd.syft+json',
    });
  });

  test.each([
    ['python', 'cdx.json', 'python.sbom.cdx.json'],
    ['venv', 'spdx.json', 'venv.sbom.spdx.json'],
    ['pip-cache', 'syft.json', 'pip-cache.sbom.syft.json'],
  ] as const)('%s + %s → %s, directly in the layers dir', (layer, ext, file) => {
    expect(sbomPath('/layers/bp', layer, ext)).toBe(`/layers/bp/${file}`);
  });

  test.each(['python.3', 'a.b', '.hidden'])('a layer named %j is refused: the lifecycle would lose its SBOM (assertion 69)', (layer) => {
    expect(() => sbomPath('/layers/bp', layer, 'cdx.json')).toThrow(/has a "\." in its name/);
  });

  test.each([
    ['python.sbom.cdx.json', ['python', 'cdx.json']],
    ['launch.sbom.spdx.json', ['launch', 'spdx.json']],
    ['build.sbom.syft.json', ['build', 'syft.json']],
  ])('SBOM_FILE_PATTERN splits %s', (file, parts) => {
    const m = SBOM_FILE_PATTERN.exec(file);
    expect(m?.slice(1)).toEqual(parts);
  });

  test.each(['python.toml', 'a.b.sbom.cdx.json', 'python.sbom', 'sbom.cdx.json'])('SBOM_FILE_PATTERN does not match %s', (file) => {
    expect(SBOM_FILE_PATTERN.test(file)).toBe(false);
  });
});

describe('cycloneDx (assertion 70)', () => {
  test('the document shape', () => {
    expect(cycloneDx([python])).toEqual({
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      version: 1,
      components: [
        {
          type: 'library',
          name: 'CPython',
          version: '3.14.7',
          purl: 'pkg:generic/cpython@3.14.7?arch=amd64',
          hashes: [{ alg: 'SHA-256', content: SHA }],
          licenses: [{ license: { id: 'PSF-2.0' } }],
          externalReferences: [{ type: 'distribution', url: python.downloadUrl }],
        },
      ],
    });
  });

  test('optional fields are left out, not emptied', () => {
    const doc = cycloneDx([{ name: 'gunicorn', version: '23.0.0', purl: 'pkg:pypi/gunicorn@23.0.0', licenses: [] }]) as {
      components: object[];
    };
    expect(doc.components).toEqual([{ type: 'library', name: 'gunicorn', version: '23.0.0', purl: 'pkg:pypi/gunicorn@23.0.0' }]);
  });

  test('no components is still a valid document', () => {
    expect(cycloneDx([])).toEqual({ bomFormat: 'CycloneDX', specVersion: '1.4', version: 1, components: [] });
  });
});

describe('writeCycloneDx', () => {
  test('writes <layer>.sbom.cdx.json as JSON with every component (assertions 67, 70)', async () => {
    await writeCycloneDx(layers, 'python', [python, { name: 'pip', version: '25.0', purl: 'pkg:pypi/pip@25.0' }]);
    expect(await readdir(layers)).toEqual(['python.sbom.cdx.json']);
    const doc = JSON.parse(await readFile(path.join(layers, 'python.sbom.cdx.json'), 'utf8')) as {
      bomFormat: string;
      specVersion: string;
      components: { purl: string; hashes?: { alg: string; content: string }[] }[];
    };
    expect(doc.bomFormat).toBe('CycloneDX');
    expect(doc.specVersion).toMatch(/^1\.\d+$/);
    expect(doc.components.map((c) => c.purl)).toEqual(['pkg:generic/cpython@3.14.7?arch=amd64', 'pkg:pypi/pip@25.0']);
    expect(doc.components[0]?.hashes).toEqual([{ alg: 'SHA-256', content: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  test('a dotted layer name writes nothing (assertion 69)', async () => {
    await expect(writeCycloneDx(layers, 'py.thon', [python])).rejects.toThrow();
    expect(await readdir(layers)).toEqual([]);
  });
});
