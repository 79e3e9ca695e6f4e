import { normalizeName } from '../requirements.js';

/**
 * The sha256 of each file pip installed, by normalized project name, from its installation
 * report (`pip install --report`): archive_info.hashes (pip ≥ 22.3), else archive_info.hash
 * ("sha256=<hex>"). Entries without a sha256 (local directories) are left out.
 */
export function installedHashes(reportJson: string): Record<string, string> {
  let report: unknown;
  try {
    report = JSON.parse(reportJson);
  } catch {
    return {};
  }
  const install = (report as { install?: unknown }).install;
  const out: Record<string, string> = {};
  for (const item of Array.isArray(install) ? install : []) {
    const name = item?.metadata?.name;
    const archive = item?.download_info?.archive_info;
    const sha256 = archive?.hashes?.sha256 ?? /^sha256=([0-9a-f]{64})$/.exec(String(archive?.hash ?? ''))?.[1];
    if (typeof name === 'string' && typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256)) out[normalizeName(name)] = sha256;
  }
  return out;
}
