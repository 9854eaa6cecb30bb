// The verdict on one generated request: a 5xx, an unhandled rejection while it ran, or a refusal
// (any 4xx) that changed a row count or moved the audit chain's head is a finding. Snapshots are
// taken after every case, so the one after a case is the one before the next (cases run one at a time).
import { ACTORS, DESIGNED_REFUSAL_WRITES, snapshotDiff, type FuzzActor, type FuzzWorld, type Snapshot } from './harness';
import type { Findings } from './findings';

export interface Outcome {
  /** 2xx/3xx. */
  ok: boolean;
  status: number;
  /** Status and message key (or the start of the body): what the finding quotes. */
  summary: string;
}

export interface Judge {
  readonly stats: Map<string, Record<string, number>>;
  cases: number;
  judge(c: { target: string; actor: string; transport: string; input: unknown; outcome: Outcome; renewSessions?: boolean }): Promise<void>;
}

export async function createJudge(world: FuzzWorld, findings: Findings, rejections: { drain(): unknown[] }): Promise<Judge> {
  let last: Snapshot = await world.snapshot();
  const stats = new Map<string, Record<string, number>>();
  const j: Judge = {
    stats,
    cases: 0,
    async judge({ target, actor, transport, input, outcome, renewSessions }) {
      j.cases++;
      const s = stats.get(target) ?? {};
      const bucket = outcome.ok ? 'ok' : String(outcome.status);
      s[bucket] = (s[bucket] ?? 0) + 1;
      stats.set(target, s);
      const before = last;
      const report = { target, actor, transport, input, response: outcome.summary };
      if (outcome.status >= 500) findings.add({ kind: 'server_error', signature: outcome.summary.replace(/[0-9a-f-]{36}/g, '<uuid>').replace(/"[^"]*"/g, '"…"').slice(0, 120), ...report });
      for (const reason of rejections.drain())
        findings.add({ kind: 'unhandled_rejection', ...report, response: `${outcome.summary}; rejection: ${String((reason as Error)?.stack ?? reason).split('\n').slice(0, 3).join(' | ')}` });
      let after = await world.snapshot();
      if (!outcome.ok) {
        const diff = snapshotDiff(before, after);
        if (diff.headMoved || Object.keys(diff.tables).length > 0) {
          const designed = DESIGNED_REFUSAL_WRITES[target];
          const actions = before.head ? await world.auditActionsAfter(before.head.seq) : [];
          const allowed =
            designed !== undefined &&
            Object.keys(diff.tables).every((t) => designed.tables.includes(t)) &&
            actions.every((a) => designed.auditActions.includes(a)) &&
            (diff.tables.audit_log ?? 0) === actions.length;
          if (!allowed)
            findings.add({
              kind: 'refused_but_wrote',
              signature: `${outcome.summary.split(' ').slice(0, 2).join(' ')}|${Object.keys(diff.tables).sort().join(',')}`,
              ...report,
              response: `${outcome.summary}; rows changed: ${JSON.stringify(diff.tables)}; audit head moved: ${diff.headMoved}${actions.length ? ` (${actions.join(', ')})` : ''}`,
            });
        }
      }
      if (outcome.ok && renewSessions) {
        for (const a of ACTORS as readonly FuzzActor[]) await world.renewSession(a);
        after = await world.snapshot();
      }
      last = after;
    },
  };
  return j;
}

/** Per-target answers as one line each: `cases.list ok=40 400=60 403=20`. */
export function formatStats(stats: Map<string, Record<string, number>>): string {
  return [...stats.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, s]) => `${t} ${Object.entries(s).map(([k, v]) => `${k}=${v}`).join(' ')}`)
    .join('\n');
}
