import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeName } from './requirements.js';

export interface Distribution { name: string; version: string }

/** Name and Version from a dist-info METADATA file (RFC 822 headers). */
export function parseDistMetadata(text: string): Distribution | undefined {
  const header = text.split(/\r?\n\r?\n/)[0] ?? '';
  const name = /^Name:\s*(.+)$/m.exec(header)?.[1]?.trim();
  const version = /^Version:\s*(.+)$/m.exec(header)?.[1]?.trim();
  return name && version ? { name, version } : undefined;
}

/** Every distribution installed in a venv, read from its site-packages, sorted by name. */
export async function installedDistributions(venv: string): Promise<Distribution[]> {
  const lib = path.join(venv, 'lib');
  const dists: Distribution[] = [];
  for (const py of (await readdir(lib).catch(() => [])).filter((d) => d.startsWith('python'))) {
    const site = path.join(lib, py, 'site-packages');
    for (const entry of (await readdir(site).catch(() => [])).filter((e) => e.endsWith('.dist-info'))) {
      const meta = await readFile(path.join(site, entry, 'METADATA'), 'utf8').catch(() => '');
      const dist = parseDistMetadata(meta);
      if (dist) dists.push(dist);
    }
  }
  return dists.sort((a, b) => normalizeName(a.name).localeCompare(normalizeName(b.name)));
}

export function purl(dist: Distribution): string {
  return `pkg:pypi/${normalizeName(dist.name)}@${encodeURIComponent(dist.version)}`;
}
