// Evidence over REST, because it carries bytes: resumable uploads (create, HEAD for the offset,
// PATCH to append a chunk, as in the tus protocol), a one-request upload, and downloads.
//   POST  /api/v1/uploads                      JSON { caseId, fileName, size, sha256, side, source, … }
//   HEAD  /api/v1/uploads/:uploadId            Upload-Offset / Upload-Length headers
//   PATCH /api/v1/uploads/:uploadId            Upload-Offset, X-Chunk-Sha256?, body = the chunk
//   POST  /api/v1/cases/:caseId/exhibits?fileName&side&source[&type]   X-Sha256, body = the file
//   GET   /api/v1/exhibits/:exhibitId/content
//   GET   /api/v1/exhibits/:exhibitId/records.csv
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requestMeta, bearerToken } from '../http/request';
import type { ServiceContext, UserActor } from '../context';
import { resolveActor, SESSION_COOKIE } from '../auth/session.service';
import { REST_ACCESS } from '../auth/policy';
import { AppError } from '../../../shared/errors';
import { parseInput } from '../../../shared/validation';
import * as s from './evidence.schema';
import { appendChunk, beginUpload, discardUpload, uploadStatus } from './upload.service';
import { downloadExhibit, exportRecordsCsv } from './evidence.service';
import type { EvidenceDeps } from './evidence-deps';

type RouteKey = keyof typeof REST_ACCESS;

/** The declared SHA-256 of a one-request upload, named by its header when missing or malformed. */
const sha256Header = z.object({ 'x-sha256': s.sha256 });

async function userContext(req: FastifyRequest, deps: EvidenceDeps, route: RouteKey): Promise<ServiceContext & { actor: UserActor }> {
  const actor = await resolveActor(deps.db, bearerToken(req) ?? req.cookies?.[SESSION_COOKIE] ?? null);
  if (!actor) throw new AppError('unauthenticated', 'auth.login_required');
  if (!actor.totpSatisfied) throw new AppError('forbidden', 'auth.totp_required');
  if (!(REST_ACCESS[route] as readonly string[]).includes(actor.role)) throw new AppError('forbidden', 'error.forbidden');
  return { actor, meta: requestMeta(req) };
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return parseInput(schema, value);
}

/** RFC 5987 filename for Content-Disposition, so Chinese names survive and nothing escapes the header. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function registerEvidenceRoutes(app: FastifyInstance, deps: EvidenceDeps): Promise<void> {
  await app.register(async (scope) => {
    // File bytes are streamed to the vault, never buffered: the parser hands the raw stream on.
    scope.addContentTypeParser(['application/octet-stream', 'application/offset+octet-stream'], (_req, payload, done) => done(null, payload));
    const bodyLimit = deps.maxUploadBytes + 1;

    scope.post('/api/v1/uploads', async (req, reply) => {
      const ctx = await userContext(req, deps, 'POST /api/v1/uploads');
      const input = parse(s.beginUploadInput, req.body);
      const started = await beginUpload(deps, ctx, input);
      return reply.status(201).header('location', `/api/v1/uploads/${started.uploadId}`).header('upload-offset', '0').send(started);
    });

    scope.head('/api/v1/uploads/:uploadId', async (req, reply) => {
      const ctx = await userContext(req, deps, 'HEAD /api/v1/uploads/:uploadId');
      const { uploadId } = parse(s.uploadIdParams, req.params);
      const status = await uploadStatus(deps, ctx, uploadId);
      return reply.header('upload-offset', String(status.offset)).header('upload-length', String(status.size)).header('cache-control', 'no-store').header('x-upload-status', status.status).send();
    });

    scope.get('/api/v1/uploads/:uploadId', async (req) => {
      const ctx = await userContext(req, deps, 'HEAD /api/v1/uploads/:uploadId');
      const { uploadId } = parse(s.uploadIdParams, req.params);
      return uploadStatus(deps, ctx, uploadId);
    });

    scope.patch('/api/v1/uploads/:uploadId', { bodyLimit }, async (req, reply) => {
      const ctx = await userContext(req, deps, 'PATCH /api/v1/uploads/:uploadId');
      const { uploadId } = parse(s.uploadIdParams, req.params);
      const headers = parse(s.chunkHeaders, req.headers);
      if (!req.body || typeof (req.body as NodeJS.ReadableStream).pipe !== 'function') throw new AppError('bad_input', 'evidence.upload.octet_stream_required', { field: 'content-type' });
      const result = await appendChunk(deps, ctx, { uploadId, offset: Number(headers['upload-offset']), chunkSha256: headers['x-chunk-sha256'], body: req.body as NodeJS.ReadableStream as never });
      return reply.status(result.complete ? 201 : 200).header('upload-offset', String(result.offset)).send(result);
    });

    scope.post('/api/v1/cases/:caseId/exhibits', { bodyLimit }, async (req, reply) => {
      const ctx = await userContext(req, deps, 'POST /api/v1/cases/:caseId/exhibits');
      const { caseId } = parse(s.caseIdParams, req.params);
      const query = parse(s.singleUploadQuery, req.query);
      const declared = parse(sha256Header, req.headers)['x-sha256'];
      const size = Number(req.headers['content-length']);
      if (!Number.isSafeInteger(size)) throw new AppError('bad_input', 'evidence.upload.length_required', { field: 'content-length' });
      if (!req.body || typeof (req.body as NodeJS.ReadableStream).pipe !== 'function') throw new AppError('bad_input', 'evidence.upload.octet_stream_required', { field: 'content-type' });
      const started = await beginUpload(deps, ctx, {
        caseId,
        fileName: query.fileName,
        size,
        sha256: declared,
        side: query.side,
        source: query.source,
        type: query.type,
        internalOnly: query.internalOnly === 'true',
        deviceId: query.deviceId,
      });
      // One request, all or nothing: a refused or cut-short body leaves no upload behind.
      const result = await appendChunk(deps, ctx, { uploadId: started.uploadId, offset: 0, body: req.body as never }).catch(async (error: unknown) => {
        await discardUpload(deps, started.uploadId);
        throw error;
      });
      return reply.status(201).send(result.complete ? result.exhibit : result);
    });

    scope.get('/api/v1/exhibits/:exhibitId/content', async (req, reply) => {
      const ctx = await userContext(req, deps, 'GET /api/v1/exhibits/:exhibitId/content');
      const { exhibitId } = parse(s.exhibitIdParams, req.params);
      const file = await downloadExhibit(deps, ctx, exhibitId);
      return reply
        .header('content-type', file.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : file.mediaType)
        .header('content-length', String(file.size))
        .header('content-disposition', contentDisposition(file.fileName))
        .header('x-content-sha256', file.sha256)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.stream);
    });

    scope.get('/api/v1/exhibits/:exhibitId/records.csv', async (req, reply) => {
      const ctx = await userContext(req, deps, 'GET /api/v1/exhibits/:exhibitId/records.csv');
      const { exhibitId } = parse(s.exhibitIdParams, req.params);
      const { csv, fileName } = await exportRecordsCsv(deps.db, ctx, exhibitId);
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', contentDisposition(fileName)).send(`\ufeff${csv}`);
    });
  });
}
