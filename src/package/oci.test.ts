import { createHash } from 'node:crypto';
import { buildpackLabels, CREATED, imageConfig, imageIndex, imageManifest, jsonBlob, LABELS, layoutIndex, MEDIA_TYPES } from './oci.js';

const bp = { api: '0.10', id: 'pywarp/python', version: '0.1.0', name: 'pywarp Python', homepage: 'https://example.com/pywarp' };
const diffId = `sha256:${'d'.repeat(64)}`;

test('a JSON blob is described by the sha256 and length of its exact bytes', () => {
  const blob = jsonBlob(MEDIA_TYPES.config, { b: 1, a: 'é' });
  expect(blob.bytes.toString()).toBe('{"b":1,"a":"é"}');
  expect(blob.descriptor).toEqual({
    mediaType: MEDIA_TYPES.config,
    digest: `sha256:${createHash('sha256').update(blob.bytes).digest('hex')}`,
    size: 16,
  });
});

test('the labels of the distribution spec: buildpackage metadata, the layers map with api, diffID, targets, homepage', () => {
  const labels = buildpackLabels(bp, [{ os: 'linux', arch: 'arm64' }], diffId);
  expect(Object.keys(labels).sort()).toEqual([LABELS.distributionApi, LABELS.layers, LABELS.buildpackage].sort());
  expect(JSON.parse(labels[LABELS.buildpackage]!)).toEqual({
    id: 'pywarp/python',
    version: '0.1.0',
    name: 'pywarp Python',
    homepage: bp.homepage,
  });
  expect(JSON.parse(labels[LABELS.layers]!)).toEqual({
    'pywarp/python': {
      '0.1.0': {
        api: '0.10',
        targets: [{ os: 'linux', arch: 'arm64' }],
        layerDiffID: diffId,
        name: 'pywarp Python',
        homepage: bp.homepage,
      },
    },
  });
  expect(labels[LABELS.distributionApi]).toBe('0.3');
});

test('without a homepage, none is claimed', () => {
  const { homepage: _, ...bare } = bp;
  const labels = buildpackLabels(bare, [], diffId);
  expect(labels[LABELS.layers]).not.toContain('homepage');
  expect(labels[LABELS.buildpackage]).not.toContain('homepage');
});

test('the config sets os, architecture, the labels and the layer diffID, at a fixed time', () => {
  const config = JSON.parse(imageConfig('arm64', { a: 'b' }, diffId).bytes.toString());
  expect(config).toMatchObject({
    os: 'linux',
    architecture: 'arm64',
    created: CREATED,
    config: { Labels: { a: 'b' } },
    rootfs: { type: 'layers', diff_ids: [diffId] },
  });
});

test('manifest, index and index.json chain the descriptors, with platforms and the ref name', () => {
  const config = imageConfig('amd64', {}, diffId).descriptor;
  const layer = { mediaType: MEDIA_TYPES.layer, digest: `sha256:${'1'.repeat(64)}`, size: 42 };
  const manifest = imageManifest(config, layer);
  expect(JSON.parse(manifest.bytes.toString())).toEqual({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: [layer] });
  const index = imageIndex([
    { arch: 'amd64', manifest: manifest.descriptor },
    { arch: 'arm64', manifest: manifest.descriptor },
  ]);
  expect(JSON.parse(index.bytes.toString()).manifests.map((m: { platform: unknown }) => m.platform)).toEqual([
    { architecture: 'amd64', os: 'linux' },
    { architecture: 'arm64', os: 'linux' },
  ]);
  expect(JSON.parse(layoutIndex(index.descriptor, '0.1.0').toString())).toEqual({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: [{ ...index.descriptor, annotations: { 'org.opencontainers.image.ref.name': '0.1.0' } }],
  });
});
