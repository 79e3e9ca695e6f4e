import { randomBytes } from 'node:crypto';
import { commitLayer, openLayer } from '../src/cnb/layer.js';
import type { TomlTable } from '../src/cnb/toml.js';
import type { Log } from '../src/output/log.js';
import { dependencies as msg, rebuilding } from '../src/output/messages.js';
import { minorOf } from '../src/plan/python-minor.js';

export const PIP_CACHE_LAYER = 'pip-cache';

interface PipCacheMetadata {
  python: string;
  arch: string;
  /** Absent in a cache made before salts: a new one is made then. */
  salt?: string;
}

/** pip's cache directory, and the salt that keys the venv's reuse hash. */
export interface PipCache {
  path: string;
  /**
   * Random, one per cache. The venv's metadata becomes a public image label under the real
   * lifecycle, and its `options` hash covers credentials: keyed with this salt, a guessed
   * password cannot be confirmed against it offline. This layer is cache-only, so the salt
   * is never in the image.
   */
  salt: string;
  /** This build made the salt: a kept venv's hash was keyed with another one (or none). */
  saltRenewed: boolean;
}

const isSalt = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

export function readPipCacheMetadata(raw: TomlTable): PipCacheMetadata | undefined {
  if (typeof raw.python !== 'string' || typeof raw.arch !== 'string') return undefined;
  return { python: raw.python, arch: raw.arch, ...(isSalt(raw.salt) ? { salt: raw.salt } : {}) };
}

/**
 * pip's HTTP and wheel cache: cached between builds, never launched, so adding one
 * requirement downloads only that one. Dropped when the Python minor or arch changes,
 * so it does not grow forever with wheels no build can use.
 */
export async function preparePipCache(layersDir: string, pythonVersion: string, arch: string, log: Log): Promise<PipCache> {
  const next = { python: minorOf(pythonVersion), arch };
  const layer = await openLayer(layersDir, {
    name: PIP_CACHE_LAYER,
    types: { build: false, launch: false, cache: true },
    readMetadata: readPipCacheMetadata,
    invalidationReasons: (cached) => (cached.python !== next.python || cached.arch !== next.arch ? [msg.pipCacheReason] : []),
  });
  if (layer.state.kind === 'restored') log.info(msg.pipCacheRestored);
  else if (layer.state.cause === 'invalidated') log.info(rebuilding('the pip cache', layer.state.reasons));
  else log.info(msg.pipCacheEmpty);
  const kept = layer.state.kind === 'restored' ? layer.state.metadata.salt : undefined;
  const salt = kept ?? randomBytes(32).toString('hex');
  // A cache is usable in whatever state pip leaves it, so it is complete from the start.
  await commitLayer(layer, { ...next, salt });
  return { path: layer.path, salt, saltRenewed: kept === undefined };
}
