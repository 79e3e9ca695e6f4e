import { PROCESS_TYPE_PATTERN } from '../cnb/launch-toml.js';
import type { ProcfileProblem, ProcfileWhy } from '../output/failures.js';

/**
 * `type: command` lines; blank lines and `#` comments are skipped. Every line that cannot
 * become a process type is a problem, found at build rather than at launch. `notUtf8` are
 * the (1-based) lines whose bytes are not UTF-8.
 */
export function parseProcfile(text: string, notUtf8: readonly number[] = []): { types: Map<string, string>; problems: ProcfileProblem[] } {
  const types = new Map<string, string>();
  const lineOf = new Map<string, number>();
  const problems: ProcfileProblem[] = [];
  const undecodable = new Set(notUtf8);
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const problem = (why: ProcfileWhy) => problems.push({ line, text: trimmed, ...why });
    if (undecodable.has(line)) return problem({ why: 'not-utf8' });
    const match = /^([^:\s]+)\s*:\s*(.+)$/.exec(trimmed);
    const [, type, command] = match ?? [];
    if (!type || !command) return problem({ why: 'syntax' });
    if (!PROCESS_TYPE_PATTERN.test(type)) return problem({ why: type === '.' || type === '..' ? 'dots' : 'type', type });
    if (command.includes('\0')) return problem({ why: 'nul', type });
    const first = lineOf.get(type);
    if (first !== undefined) return problem({ why: 'duplicate', type, first });
    lineOf.set(type, line);
    types.set(type, command.trim());
  });
  return { types, problems };
}
