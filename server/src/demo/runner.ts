// Plays a demo case (case-script.ts) through the services: the complaint is received as the intake
// desk or a specialist would enter it, then each step is one service call (or the few a person
// makes for it), acting as the member of staff the step names.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DB } from '../db/database';
import type { ServiceContext, UserActor } from '../context';
import { addOpinion, answerSeat, assignMember, disclose, recordRuling, signRuling } from '../escalations/escalations.service';
import type { EvidenceDeps } from '../evidence/evidence-deps';
import { appendChunk, beginUpload } from '../evidence/upload.service';
import { receiveComplaint } from '../intake/intake.service';
import {
  addConsultation,
  addNote,
  answerConsultation,
  assignCase,
  classifyCase,
  logCommunication,
  proposeRemedy,
  recordRelation,
  recordSatisfaction,
  setAssessment,
  transitionCase,
  withdrawRemedy,
} from '../cases/cases.service';
import { complaintIntake } from '../../../shared/schemas';
import { CASE_STATES, MONETARY_REMEDY_KINDS, type CaseState, type Category, type Language, type Priority, type Subcategory, type Tier } from '../../../shared/domain';
import type { DemoCase, DemoExhibitFile, Quantity, Step } from './case-script';
import type { StaffKey, StaffMember, TeamKey } from './data/organisation';

/** A member of staff as created by the seed, with what they act as. */
export interface CreatedUser {
  spec: StaffMember;
  id: string;
  password: string;
  totpSecret?: string;
  actor: UserActor;
}

// Every service call gets a request id of its own, numbered in the order the seed makes them.
let requestCounter = 0;
export function metaFor(language: Language) {
  requestCounter += 1;
  return { requestId: `demo-seed-${requestCounter}`, ip: '127.0.0.1', userAgent: 'arbitra-demo-seed', language };
}

export function userContext(u: CreatedUser): ServiceContext & { actor: UserActor } {
  return { actor: u.actor, meta: metaFor(u.spec.language) };
}

/**
 * Oldest first, so case numbers follow the order complaints were received in; of cases received in
 * the same minute, the one that got less far through the lifecycle first (then by reference), so the
 * numbering does not depend on which file a case is written in.
 */
export function inSeedingOrder(cases: readonly DemoCase[]): DemoCase[] {
  const stage = (c: DemoCase) => CASE_STATES.indexOf(c.endsIn);
  return [...cases].sort((a, b) => b.ageMinutes - a.ageMinutes || stage(a) - stage(b) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

export interface RunEnv {
  now: Date;
  users: Map<StaffKey, CreatedUser>;
  teamIds: Map<TeamKey, string>;
  intakeKeyId: string;
  intakeCtx: () => ServiceContext;
  evidence: EvidenceDeps;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad2 = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;

/** Fills the date placeholders (see case-script.ts) in every string of `value`. */
function fillDates<T>(value: T, at: { receivedAt: Date; occurredAt: Date }): T {
  if (typeof value === 'string') {
    const o = at.occurredAt;
    return value
      .replaceAll('{rcv}', ymd(at.receivedAt))
      .replaceAll('{occ_ymd}', ymd(o))
      .replaceAll('{occ_zh}', `${o.getUTCMonth() + 1} 月 ${o.getUTCDate()} 日`)
      .replaceAll('{occ_en}', `${o.getUTCDate()} ${MONTHS[o.getUTCMonth()]}`)
      .replaceAll('{occ_time}', `${pad2(o.getUTCHours())}:${pad2(o.getUTCMinutes())}`) as T;
  }
  if (Array.isArray(value)) return value.map((v) => fillDates(v, at)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDates(v, at)])) as T;
  }
  return value;
}

function parseQuantity(q: Quantity): { asset: string; amount: string } {
  const [amount, asset] = q.split(' ') as [string, string];
  return { asset, amount };
}

/** Receives the complaint, runs the steps and checks the case ends in the state the script says. */
export async function runCase(db: DB, template: DemoCase, env: RunEnv): Promise<void> {
  const receivedAt = new Date(env.now.getTime() - template.ageMinutes * 60_000);
  const occurredAt = new Date(receivedAt.getTime() - template.occurredMinutesBefore * 60_000);
  const spec = fillDates(template, { receivedAt, occurredAt });
  const { uid, ...pii } = spec.complainant;
  const input = complaintIntake.parse({
    externalRef: spec.ref,
    channel: spec.channel,
    complainant: { exchangeUid: uid, ...pii },
    category: spec.category,
    subcategory: spec.subcategory,
    description: spec.description,
    amounts: spec.amounts.map(parseQuantity),
    occurredAt: occurredAt.toISOString(),
    urgent: spec.urgent ?? false,
  });
  const user = (k: StaffKey) => env.users.get(k)!;
  const ctx = (k: StaffKey) => userContext(user(k));
  const enteredBy = spec.enteredBy ? user(spec.enteredBy) : null;
  const teamId = spec.team ? env.teamIds.get(spec.team)! : null;
  const { id: caseId } = await receiveComplaint(db, enteredBy ? userContext(enteredBy) : env.intakeCtx(), input, {
    intakeKeyId: enteredBy ? null : env.intakeKeyId,
    teamId,
    now: receivedAt,
  });
  const current = () => db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();

  for (const [i, step] of spec.steps.entries()) {
    try {
      await runStep(db, caseId, step, { ctx, user, current, evidence: env.evidence, at: { receivedAt, occurredAt } });
    } catch (error) {
      const what = step.do === 'transition' ? `${step.do}:${step.action}` : step.do;
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`demo seed: case ${spec.ref}, step ${i + 1} (${what}) failed: ${detail}`, { cause: error });
    }
  }
  const final = await current();
  if (final.status !== spec.endsIn) throw new Error(`demo seed: case ${spec.ref} ended in ${final.status}, expected ${spec.endsIn}`);
}

async function runStep(
  db: DB,
  caseId: string,
  step: Step,
  h: {
    ctx: (k: StaffKey) => ServiceContext & { actor: UserActor };
    user: (k: StaffKey) => CreatedUser;
    current: () => Promise<{ status: string; category: string; subcategory: string; tier: string; priority: string }>;
    evidence: EvidenceDeps;
    at: { receivedAt: Date; occurredAt: Date };
  },
): Promise<void> {
  switch (step.do) {
    case 'assign':
      await assignCase(db, h.ctx('supervisor'), { caseId, assigneeId: h.user(step.to).id });
      return;
    case 'classify': {
      const c = await h.current();
      await classifyCase(db, h.ctx(step.by), {
        caseId,
        category: c.category as Category,
        subcategory: step.subcategory ?? (c.subcategory as Subcategory),
        tier: step.tier ?? (c.tier as Tier),
        priority: step.priority ?? (c.priority as Priority),
      });
      return;
    }
    case 'transition': {
      const c = await h.current();
      await transitionCase(db, h.ctx(step.by), {
        caseId,
        action: step.action,
        expectedStatus: c.status as CaseState,
        ...(step.reason ? { reason: step.reason } : {}),
        ...(step.panelSize ? { panelSize: step.panelSize } : {}),
      });
      return;
    }
    case 'assess': {
      const r = step.responsibility;
      await setAssessment(db, h.ctx(step.by), {
        caseId,
        platformShare: r.platform,
        userShare: r.user,
        thirdPartyShare: r.thirdParty,
        ...(r.thirdPartyKind ? { thirdPartyKind: r.thirdPartyKind } : {}),
        findings: step.findings,
      });
      return;
    }
    case 'remedy':
      await proposeRemedy(db, h.ctx(step.by), {
        caseId,
        kind: step.kind,
        details: step.details,
        ...(step.quantity ? parseQuantity(step.quantity) : {}),
      });
      return;
    case 'withdraw_monetary_remedies': {
      const open = await db
        .selectFrom('remedies')
        .select('id')
        .where('case_id', '=', caseId)
        .where('status', 'in', ['draft', 'approved'])
        .where('kind', 'in', [...MONETARY_REMEDY_KINDS])
        .orderBy('created_at')
        .execute();
      for (const r of open) await withdrawRemedy(db, h.ctx(step.by), { remedyId: r.id });
      return;
    }
    case 'note':
      await addNote(db, h.ctx(step.by), { caseId, body: step.body });
      return;
    case 'consult': {
      const q = await addConsultation(db, h.ctx(step.by), { caseId, team: step.team, question: step.question });
      if (step.answer) await answerConsultation(db, h.ctx(step.answer.by), { consultationId: q.id, answer: step.answer.text });
      return;
    }
    case 'communication': {
      const c = await db.selectFrom('cases').select('channel').where('id', '=', caseId).executeTakeFirstOrThrow();
      await logCommunication(db, h.ctx(step.by), { caseId, direction: step.direction, channel: c.channel, body: step.body });
      return;
    }
    case 'satisfaction':
      await recordSatisfaction(db, h.ctx(step.by), { caseId, score: step.score, ...(step.comment ? { comment: step.comment } : {}) });
      return;
    case 'relation': {
      const c = await db
        .selectFrom('cases')
        .innerJoin('complainants', 'complainants.id', 'cases.complainant_id')
        .select('complainants.exchange_uid')
        .where('cases.id', '=', caseId)
        .executeTakeFirstOrThrow();
      await recordRelation(db, h.ctx('supervisor'), { userId: h.user(step.user).id, exchangeUid: c.exchange_uid, relation: step.relation });
      return;
    }
    case 'exhibits':
      for (const f of step.files(h.at)) await takeIn(h.evidence, h.ctx(step.by), caseId, f);
      return;
    case 'seat': {
      const escalation = await openEscalationOf(db, caseId);
      const { id } = await assignMember(db, h.ctx(step.by), { escalationId: escalation.id, userId: h.user(step.member).id, seat: step.seat ?? null });
      await disclose(db, h.ctx(step.member), { memberId: id, disclosure: step.disclosure });
      await answerSeat(db, h.ctx(step.member), { memberId: id, answer: step.answer });
      return;
    }
    case 'appoint': {
      const escalation = await openEscalationOf(db, caseId);
      await assignMember(db, h.ctx(step.by), { escalationId: escalation.id, userId: h.user(step.member).id, seat: step.seat ?? null });
      return;
    }
    case 'ruling': {
      const escalation = await openEscalationOf(db, caseId);
      await recordRuling(db, h.ctx(step.by), { escalationId: escalation.id, kind: step.kind, text: step.text });
      return;
    }
    case 'sign':
      await signRuling(db, h.ctx(step.by), { rulingId: (await latestRulingOf(db, caseId)).id });
      return;
    case 'opinion':
      await addOpinion(db, h.ctx(step.by), { rulingId: (await latestRulingOf(db, caseId)).id, kind: step.kind, body: step.body });
      return;
  }
}

/** Takes a file in as a person's upload would: a resumable upload, sent in one chunk, hashed while it arrives. */
async function takeIn(deps: EvidenceDeps, ctx: ServiceContext & { actor: UserActor }, caseId: string, f: DemoExhibitFile): Promise<void> {
  const sha256 = createHash('sha256').update(f.bytes).digest('hex');
  const { uploadId } = await beginUpload(deps, ctx, {
    caseId,
    fileName: f.fileName,
    size: f.bytes.length,
    sha256,
    side: f.side,
    source: f.source,
    ...(f.type ? { type: f.type } : {}),
    ...(f.internalOnly ? { internalOnly: true } : {}),
  });
  const done = await appendChunk(deps, ctx, { uploadId, offset: 0, body: Readable.from([f.bytes]) });
  if (!done.complete) throw new Error(`demo seed: the upload of ${f.fileName} did not complete`);
}

const openEscalationOf = (db: DB, caseId: string) =>
  db.selectFrom('escalations').select('id').where('case_id', '=', caseId).where('status', '=', 'open').orderBy('created_at', 'desc').executeTakeFirstOrThrow();

const latestRulingOf = (db: DB, caseId: string) => db.selectFrom('rulings').select('id').where('case_id', '=', caseId).orderBy('decided_at', 'desc').executeTakeFirstOrThrow();
