import { createHash } from 'node:crypto';
import type { TargetSpec } from '../cnb/buildpack-toml.js';

// The OCI image-spec documents a buildpackage is made of, as plain values: the bytes of each
// follow from its inputs alone, so the same buildpack gives the same digests.

export const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/** The labels of the CNB distribution spec (0.3). */
export const LABELS = {
  distributionApi: 'io.buildpacks.distribution.api',
  buildpackage: 'io.buildpacks.buildpackage.metadata',
  layers: 'io.buildpacks.buildpack.layers',
} as const;
export const DISTRIBUTION_API = '0.3';

/** The image's creation time: fixed, like the layer's mtimes (the same instant as tar.ts's FIXED_MTIME). */
export const CREATED = '1980-01-01T00:00:01Z';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

/** A JSON document and the descriptor that points at it. */
export interface JsonBlob {
  bytes: Buffer;
  descriptor: Descriptor;
}

export function jsonBlob(mediaType: string, value: unknown): JsonBlob {
  const bytes = Buffer.from(JSON.stringify(value));
  return { bytes, descriptor: { mediaType, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length } };
}

export interface BuildpackInfo {
  api: string;
  id: string;
  version: string;
  name: string;
  homepage?: string;
}

/** The config labels of a one-buildpack buildpackage whose single layer has `diffId`. */
export function buildpackLabels(bp: BuildpackInfo, targets: readonly TargetSpec[], diffId: string): Record<string, string> {
  const homepage = bp.homepage ? { homepage: bp.homepage } : {};
  return {
    [LABELS.buildpackage]: JSON.stringify({ id: bp.id, version: bp.version, name: bp.name, ...homepage }),
    [LABELS.layers]: JSON.stringify({
      [bp.id]: { [bp.version]: { api: bp.api, targets, layerDiffID: diffId, name: bp.name, ...homepage } },
    }),
    [LABELS.distributionApi]: DISTRIBUTION_API,
  };
}

export function imageConfig(arch: string, labels: Record<string, string>, diffId: string): JsonBlob {
  return jsonBlob(MEDIA_TYPES.config, {
    architecture: arch,
    os: 'linux',
    created: CREATED,
    config: { Labels: labels },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: CREATED, created_by: 'pywarp package' }],
  });
}

export function imageManifest(config: Descriptor, layer: Descriptor): JsonBlob {
  return jsonBlob(MEDIA_TYPES.manifest, { schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: [layer] });
}

/** The multi-arch index: one manifest per architecture, each with its platform. */
export function imageIndex(images: readonly { arch: string; manifest: Descriptor }[]): JsonBlob {
  return jsonBlob(MEDIA_TYPES.index, {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: images.map(({ arch, manifest }) => ({ ...manifest, platform: { architecture: arch, os: 'linux' } })),
  });
}

/**
 * The layout's index.json: a single entry, the multi-arch index, tagged `ref` so that
 * `skopeo copy --all oci:DIR:ref` and `crane push DIR` find it.
 */
export function layoutIndex(index: Descriptor, ref: string): Buffer {
  const entry = { ...index, annotations: { 'org.opencontainers.image.ref.name': ref } };
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [entry] }));
}

export const OCI_LAYOUT_FILE = Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }));
