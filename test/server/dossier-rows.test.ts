// The rows a dossier is built from, read by the server: for an external recipient (an arbitrator)
// the internal-only exhibit is not even read, its records and custody neither, internal work
// (notes, consultations, communications, approvals, signals) stays out, and the snapshot built
// from them holds no PII value of the complainant anywhere — not in the description, the chat
// transcripts, the timeline or the ruling. The internal rows hold everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { buildPanelArbitrationCase, PANEL_PII, type Client, type PanelArbitrationCase } from '../support/arbitration-case';
import { stopServer } from './evidence/support';
import { loadDossierRows } from '../../server/src/dossiers/dossier-source-rows.repository';
import { buildDossierSnapshot, canonicalJson, type DossierRecipient } from '../../shared/dossier/snapshot';

let server: TestServer;
let built: PanelArbitrationCase;
const db = () => server.t.db;

beforeAll(async () => {
  server = await startTestServer();
  const specialistToken = await server.login('specialist');
  const specialist: Client = server.client(specialistToken);
  const legal: Client = server.client(await server.login('legal'));
  built = await buildPanelArbitrationCase(server, { specialist, legal, specialistToken }, { uid: 'uid-dossier-external' });
}, 240_000);

afterAll(async () => stopServer(server));

const PII_VALUES = [PANEL_PII.name, PANEL_PII.email, PANEL_PII.phone];

describe('dossier rows for an external recipient', () => {
  it('leave out the internal-only exhibit with its records, custody entries and redactions, and internal work', async () => {
    const rows = await loadDossierRows(db(), built.caseId, { external: true });
    expect(rows.exhibits.map((e) => e.id)).not.toContain(built.internalExhibitId);
    expect(rows.exhibits).toHaveLength(built.exhibits.length - 1);
    expect(rows.exhibits.every((e) => e.internal_only === false)).toBe(true);
    expect(rows.exhibit_records.filter((r) => r.exhibit_id === built.internalExhibitId)).toEqual([]);
    expect(rows.custody_entries.filter((r) => r.exhibit_id === built.internalExhibitId)).toEqual([]);
    expect((rows.redactions ?? []).map((r) => r.id)).toEqual([built.redactionId]);
    for (const table of ['notes', 'consultations', 'communications', 'approvals', 'evidence_signals'] as const) expect([table, rows[table]]).toEqual([table, []]);
    // The complainant's PII, and the exchange user id which identifies them as surely, come along only as values to cut out.
    expect([...(rows.piiValues ?? [])].sort()).toEqual([...PII_VALUES, 'uid-dossier-external'].sort());
    // Never credentials or staff emails.
    for (const u of rows.users) for (const c of ['password_hash', 'totp_secret', 'email']) expect(u).not.toHaveProperty(c);

    // Internal rows do have it all.
    const all = await loadDossierRows(db(), built.caseId, { external: false });
    expect(all.exhibits.map((e) => e.id)).toContain(built.internalExhibitId);
    expect(all.notes.length).toBeGreaterThan(0);
    expect(all.evidence_signals.length).toBe(1);
    expect(all.redactions).toBeUndefined();
    expect(all.piiValues).toBeUndefined();
  });

  it('give a snapshot with no PII value and no internal-only exhibit, though the case is full of both', async () => {
    const recipient: DossierRecipient = { kind: 'external', userId: built.members[0]!.userId, name: 'Panel Lawyer 律师', role: 'arbitrator', language: 'en' };
    const snapshot = buildDossierSnapshot(await loadDossierRows(db(), built.caseId, { external: true }), recipient);
    const text = canonicalJson(snapshot);
    for (const value of PII_VALUES) expect(text.includes(value), value).toBe(false);
    expect(text.includes(built.internalExhibitId)).toBe(false);
    expect(text).not.toContain('matching-engine-3');
    expect(snapshot.exhibits.every((e) => !e.internalOnly)).toBe(true);
    // The content is there, cut where it names the complainant.
    expect(snapshot.case.description).toContain('止损');
    expect(snapshot.case.description).toContain('█');
    const chat = snapshot.exhibits.find((e) => e.fileName.endsWith('.json'))!;
    expect(chat.records.some((r) => String(r.data.text).includes('█'))).toBe(true);
    expect(chat.records.every((r) => !('raw' in r.data))).toBe(true);
    expect(snapshot.escalations[0]!.rulings[0]!.signatures).toHaveLength(3);
    expect(snapshot.notes).toEqual([]);
    expect(snapshot.signals).toEqual([]);

    // The internal snapshot of the same case does hold them: the test would notice a leak.
    const internal = canonicalJson(buildDossierSnapshot(await loadDossierRows(db(), built.caseId, { external: false }), { ...recipient, kind: 'internal', role: 'legal' }));
    expect(internal).toContain(PANEL_PII.phone);
    expect(internal).toContain(built.internalExhibitId);
  });
});
