// The same case gives the same dossier snapshot on the server and on a workstation that synced it:
// a real server on real Postgres, a three-member arbitration worked through the API (exhibits of
// every kind, a redaction, seats disclosed and accepted, a signed award, a dissent, an addendum, an
// evidence signal), and a real local store (PGlite) filled through the sync engine. The rows each
// side reads differ in engine and types; the canonical snapshot must not. It still holds after more
// work on both sides and another sync, and unsynced work on the workstation stays out of it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSyncedWorkstation, syncCaughtUp, type Network } from '../support/workstation';
import { buildPanelArbitrationCase, type Client, type PanelArbitrationCase } from '../support/arbitration-case';
import { stopServer } from '../server/evidence/support';
import type { SyncEngine } from '../../desktop/main/sync-engine';
import { loadLocalDossierRows, LocalCaseNotFoundError } from '../../desktop/main/dossier-rows';
import { loadDossierRows } from '../../server/src/dossiers/dossier-source-rows.repository';
import { buildDossierSnapshot, canonicalJson, type DossierRecipient, type DossierSnapshot } from '../../shared/dossier/snapshot';
import { verifyRulingSignature } from '../../shared/rulings';

let server: TestServer;
let specialist: Client;
let legal: Client;
let root: string;
let engine: SyncEngine;
let network: Network;
let built: PanelArbitrationCase;
const db = () => server.t.db;

const internal = (): DossierRecipient => ({ kind: 'internal', userId: server.users.specialist.id, name: 'Test specialist', role: 'specialist', language: 'zh-CN' });

async function bothSnapshots(recipient = internal()): Promise<{ server: DossierSnapshot; local: DossierSnapshot }> {
  const [serverRows, localRows] = await Promise.all([loadDossierRows(db(), built.caseId, { external: false }), loadLocalDossierRows(engine.db, built.caseId)]);
  return { server: buildDossierSnapshot(serverRows, recipient), local: buildDossierSnapshot(localRows, recipient) };
}

beforeAll(async () => {
  server = await startTestServer();
  const specialistToken = await server.login('specialist');
  specialist = server.client(specialistToken);
  legal = server.client(await server.login('legal'));
  built = await buildPanelArbitrationCase(server, { specialist, legal, specialistToken }, { uid: 'uid-dossier-rows' });

  root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-dossier-rows-'));
  ({ engine, network } = await openSyncedWorkstation(server, path.join(root, 'workstation'), 'Dossier workstation'));
}, 240_000);

afterAll(async () => {
  await engine?.close();
  await stopServer(server);
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('dossier rows on the server and on a synced workstation', () => {
  it('give the same snapshot of the arbitration, with everything a dossier shows', async () => {
    const { server: s, local: l } = await bothSnapshots();
    expect(canonicalJson(l)).toBe(canonicalJson(s));

    // Real content, not two empty snapshots that happen to agree.
    expect(s.case.status).toBe('execution');
    expect(s.exhibits.map((e) => e.type).sort()).toEqual(['activity_log', 'activity_log', 'chat_transcript', 'chat_transcript', 'image', 'onchain_reference', 'order_history']);
    expect(s.exhibits.every((e) => e.parseStatus === 'parsed' || e.type === 'image')).toBe(true);
    expect(s.exhibits.reduce((n, e) => n + e.records.length, 0)).toBeGreaterThan(10);
    expect(s.custody.length).toBeGreaterThanOrEqual(s.exhibits.length);
    expect(s.signals).toEqual([expect.objectContaining({ kind: 'shared_file_across_complainants', otherCaseNumber: expect.stringMatching(/^ARB-\d{4}-\d{6}$/) })]);
    expect(s.notes.length).toBeGreaterThan(0);
    const [esc] = s.escalations.filter((e) => e.kind === 'arbitration');
    expect(esc).toMatchObject({ panelSize: 3, status: 'closed', outcome: 'ruled' });
    expect(esc!.members.map((m) => m.seat).sort()).toEqual(['accountant', 'lawyer', 'technical_expert']);
    expect(esc!.members.every((m) => m.disclosure && m.acceptedAt)).toBe(true);
    const [ruling] = esc!.rulings;
    expect(ruling!.kind).toBe('award');
    expect(ruling!.signatures).toHaveLength(3);
    expect(ruling!.opinions.map((o) => o.kind).sort()).toEqual(['addendum', 'dissent']);
    // The signature hashes a dossier prints verify against the ruling text it prints.
    const signers = await db().selectFrom('ruling_signatures').select(['signer_id', 'signed_at', 'signature_hash']).where('ruling_id', '=', built.rulingId).execute();
    for (const sig of signers) expect(verifyRulingSignature({ rulingId: built.rulingId, rulingText: ruling!.text, signerId: sig.signer_id, signedAt: sig.signed_at, signatureHash: sig.signature_hash })).toBe(true);
    expect(ruling!.signatures.map((x) => x.signatureHash).sort()).toEqual(signers.map((x) => x.signature_hash).sort());
  });

  it('holds every row of the new tables on the workstation, without local-only columns', async () => {
    const rows = await loadLocalDossierRows(engine.db, built.caseId);
    for (const table of ['escalation_members', 'rulings', 'ruling_signatures', 'ruling_opinions', 'custody_entries', 'evidence_signals'] as const) {
      const serverCount = Number((await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)} where case_id = ${built.caseId}`.execute(db())).rows[0]!.n);
      expect([table, rows[table].length]).toEqual([table, serverCount]);
    }
    for (const row of [rows.case, ...rows.case_events, ...rows.escalation_members, ...rows.custody_entries]) {
      expect(row).not.toHaveProperty('pending_seq');
      expect(row).not.toHaveProperty('search_text');
    }
    expect(rows.evidence_signals[0]!.other_case_number).toMatch(/^ARB-/);
  });

  it('still agree after more work on both sides and another sync; unsynced work stays out until the server has it', async () => {
    // On the server: a view of an exhibit (a custody entry), a note, execution completed.
    await specialist.evidence.get.query({ exhibitId: built.exhibits[0]!.id });
    await specialist.cases.addNote.mutate({ caseId: built.caseId, body: 'Award paid: 0.049 BTC sent on chain.' });
    await specialist.cases.transition.mutate({ caseId: built.caseId, action: 'complete_execution', expectedStatus: 'execution' });
    await built.members[0]!.client.escalations.addOpinion.mutate({ rulingId: built.rulingId, kind: 'addendum', body: 'Payment confirmed; no further orders.' });

    // On the workstation, offline: a note and a field edit, shown at once but not yet the server's.
    network.online = false;
    const noteId = randomUUID();
    await engine.mutate('addNote', { id: noteId, caseId: built.caseId, body: '离线备注：已核对链上付款。' });
    await engine.mutate('updateCaseFields', { caseId: built.caseId, fields: { handler_summary: 'Award executed offline check' } });
    expect(await engine.db.selectFrom('notes').select('pending_seq').where('id', '=', noteId).executeTakeFirst()).toMatchObject({ pending_seq: expect.any(Number) });
    const offline = await loadLocalDossierRows(engine.db, built.caseId);
    // The dossier leaves the previews out: the server's version of the case, no local note or pending step.
    expect(offline.notes.map((n) => n.id)).not.toContain(noteId);
    expect(offline.case_events.map((e) => e.type)).not.toContain('local.pending');
    expect(offline.case.handler_summary).toBe('');
    expect(offline.case.status).toBe('execution');

    network.online = true;
    await syncCaughtUp(engine, db());
    const { server: s, local: l } = await bothSnapshots();
    expect(canonicalJson(l)).toBe(canonicalJson(s));
    expect(s.case.status).toBe('follow_up');
    expect(s.case.handlerSummary).toBe('Award executed offline check');
    expect(s.notes.map((n) => n.body)).toEqual(expect.arrayContaining(['Award paid: 0.049 BTC sent on chain.', '离线备注：已核对链上付款。']));
    expect(s.custody.some((c) => c.action === 'view')).toBe(true);
    expect(s.escalations.flatMap((e) => e.rulings).flatMap((r) => r.opinions)).toHaveLength(3);

    // The same for every recipient language and a supervisor as recipient.
    const other = await bothSnapshots({ kind: 'internal', userId: server.users.supervisor.id, name: 'Test supervisor', role: 'supervisor', language: 'en' });
    expect(canonicalJson(other.local)).toBe(canonicalJson(other.server));
  });

  it('refuses a case the workstation does not hold', async () => {
    await expect(loadLocalDossierRows(engine.db, randomUUID())).rejects.toBeInstanceOf(LocalCaseNotFoundError);
  });
});
