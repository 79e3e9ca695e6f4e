import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeName } from '../plan/requirements.js';

export interface Distribution {
  name: string;
  version: string;
}

/** Name and Version from a dist-info METADATA file (RFC 822 headers). */
export function parseDistMetadata(text: string): Distribution | undefined {
  const header = text.split(/\r?\n\r?\n/)[0] ?? '';
  const name = /^Name:\s*(.+)$/m.exec(header)?.[1]?.trim();
  const version = /^Version:\s*(.+)$/m.exec(header)?.[1]?.trim();
  return name && version ? { name, version } : undefined;
}

/** Where an installed distribution keeps its metadata: wheels write .dist-info, legacy `setup.py install` .egg-info (a dir or a file). */
function metadataFile(site: string, entry: string): string | undefined {
  if (entry.endsWith('.dist-info')) return path.join(site, entry, 'METADATA');
  if (entry.endsWith('.egg-info')) return path.join(site, entry);
  return undefined;
}

/** Every distribution installed in a venv, read from its site-packages, sorted by name. */
export async function installedDistributions(venv: string): Promise<Distribution[]> {
  const lib = path.join(venv, 'lib');
  const dists: Distribution[] = [];
  for (const py of (await readdir(lib).catch(() => [])).filter((d) => d.startsWith('python'))) {
    const site = path.join(lib, py, 'site-packages');
    for (const entry of await readdir(site).catch(() => [] as string[])) {
      const file = metadataFile(site, entry);
      if (!file) continue;
      const meta =
        (await readFile(file, 'utf8').catch(() => undefined)) ?? (await readFile(path.join(file, 'PKG-INFO'), 'utf8').catch(() => ''));
      const dist = parseDistMetadata(meta);
      if (dist) dists.push(dist);
    }
  }
  return dists.sort((a, b) => normalizeName(a.name).localeCompare(normalizeName(b.name)));
}

export function purl(dist: Distribution): string {
  return `pkg:pypi/${normalizeName(dist.name)}@${encodeURIComponent(dist.version)}`;
}
