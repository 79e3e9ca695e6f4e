import { commitLayer, openLayer } from '../src/cnb/layer.js';
import type { TomlTable } from '../src/cnb/toml.js';
import type { Log } from '../src/output/log.js';
import { dependencies as msg, rebuilding } from '../src/output/messages.js';
import { minorOf } from '../src/plan/python-minor.js';

export const PIP_CACHE_LAYER = 'pip-cache';

interface PipCacheMetadata {
  python: string;
  arch: string;
}

/**
 * pip's HTTP and wheel cache: cached between builds, never launched, so adding one
 * requirement downloads only that one. Dropped when the Python minor or arch changes,
 * so it does not grow forever with wheels no build can use.
 */
export async function preparePipCache(layersDir: string, pythonVersion: string, arch: string, log: Log): Promise<string> {
  const next: PipCacheMetadata = { python: minorOf(pythonVersion), arch };
  const layer = await openLayer(layersDir, {
    name: PIP_CACHE_LAYER,
    types: { build: false, launch: false, cache: true },
    readMetadata: (raw: TomlTable) =>
      typeof raw.python === 'string' && typeof raw.arch === 'string' ? { python: raw.python, arch: raw.arch } : undefined,
    invalidationReasons: (cached) => (cached.python !== next.python || cached.arch !== next.arch ? [msg.pipCacheReason] : []),
  });
  if (layer.state.kind === 'restored') log.info(msg.pipCacheRestored);
  else if (layer.state.cause === 'invalidated') log.info(rebuilding('the pip cache', layer.state.reasons));
  else log.info(msg.pipCacheEmpty);
  // A cache is usable in whatever state pip leaves it, so it is complete from the start.
  await commitLayer(layer, { ...next });
  return layer.path;
}
