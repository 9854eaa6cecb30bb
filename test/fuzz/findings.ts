// What a fuzz property found, kept per kind so one run lists every distinct problem (not only the
// first), each with a reproduction: who sent what, how, and what came back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeValue } from './zod-arbitrary';

export type FindingKind = 'server_error' | 'refused_but_wrote' | 'unhandled_rejection' | 'parser_threw' | 'parser_slow' | 'parser_hang';

export interface Finding {
  kind: FindingKind;
  target: string;
  actor: string;
  transport: string;
  input: string;
  response: string;
  /** How many generated cases showed the same problem (same kind, target and answer). */
  occurrences: number;
}

export class Findings {
  private readonly byKey = new Map<string, Finding>();

  constructor(readonly suite: string) {}

  add(f: Omit<Finding, 'occurrences' | 'input'> & { input: unknown; signature?: string }) {
    const key = `${f.kind}|${f.target}|${f.signature ?? f.response.slice(0, 80)}`;
    const seen = this.byKey.get(key);
    if (seen) {
      seen.occurrences++;
      return;
    }
    const { signature: _s, input, ...rest } = f;
    this.byKey.set(key, { ...rest, input: typeof input === 'string' && f.transport === 'raw' ? input : describeValue(input), occurrences: 1 });
  }

  for(target: string): Finding[] {
    return [...this.byKey.values()].filter((f) => f.target === target);
  }

  all(): Finding[] {
    return [...this.byKey.values()];
  }

  /** A readable list for an assertion message. */
  static format(findings: Finding[], replay: string): string {
    if (findings.length === 0) return 'no findings';
    return [
      `${findings.length} finding(s); ${replay}`,
      ...findings.map(
        (f, i) => `  ${i + 1}. [${f.kind}] ${f.target} as ${f.actor} over ${f.transport} (×${f.occurrences})\n       input:    ${f.input}\n       response: ${f.response}`,
      ),
    ].join('\n');
  }

  /** Writes every finding as JSON under the temporary directory, for the report; returns the file. */
  save(): string {
    const file = path.join(os.tmpdir(), `arbitra-fuzz-findings-${this.suite}.json`);
    fs.writeFileSync(file, JSON.stringify(this.all(), null, 2));
    return file;
  }
}

/** Collects unhandled promise rejections while a suite runs. */
export function watchUnhandledRejections(): { drain(): unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  return {
    drain: () => seen.splice(0, seen.length),
    stop: () => process.off('unhandledRejection', listener),
  };
}
