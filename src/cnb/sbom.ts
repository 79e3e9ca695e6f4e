import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** SBOM file extensions and the media types they stand for (Buildpack API ≥ 0.7). */
export const SBOM_FORMATS = {
  'cdx.json': 'application/vnd.cyclonedx+json',
  'spdx.json': 'application/spdx+json',
  'syft.json': 'application/vnd.syft+json',
} as const;

export type SbomExtension = keyof typeof SBOM_FORMATS;

/** `<layers>/<layer>.sbom.<ext>`; the lifecycle cuts the layer name at its first dot. */
export function sbomPath(layersDir: string, layerName: string, ext: SbomExtension): string {
  if (layerName.includes('.')) throw new Error(`layer "${layerName}" has a "." in its name, so its SBOM would be lost`);
  return path.join(layersDir, `${layerName}.sbom.${ext}`);
}

/** Matches SBOM file names in a layers directory: `<name>.sbom.<ext>`. */
export const SBOM_FILE_PATTERN = /^([^.]+)\.sbom\.(.+)$/;

export interface SbomComponent {
  name: string;
  version: string;
  purl: string;
  sha256?: string;
  downloadUrl?: string;
  licenses?: string[];
}

/** A minimal CycloneDX 1.4 document listing libraries. */
export function cycloneDx(components: readonly SbomComponent[]): object {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.4',
    version: 1,
    components: components.map((c) => ({
      type: 'library',
      name: c.name,
      version: c.version,
      purl: c.purl,
      ...(c.sha256 ? { hashes: [{ alg: 'SHA-256', content: c.sha256 }] } : {}),
      ...(c.licenses?.length ? { licenses: c.licenses.map((id) => ({ license: { id } })) } : {}),
      ...(c.downloadUrl ? { externalReferences: [{ type: 'distribution', url: c.downloadUrl }] } : {}),
    })),
  };
}

export async function writeCycloneDx(layersDir: string, layerName: string, components: readonly SbomComponent[]): Promise<void> {
  await writeFile(sbomPath(layersDir, layerName, 'cdx.json'), `${JSON.stringify(cycloneDx(components), null, 2)}\n`);
}
