import { tracked } from '@trpc/server';
import { procedure, router, userContext } from '../trpc/trpc';
import * as s from './sync.schema';
import * as sync from './sync.service';

export const syncRouter = router({
  registerDevice: procedure.input(s.registerDeviceInput).mutation(({ ctx, input }) => sync.registerDevice(ctx.db, userContext(ctx), input)),
  push: procedure.input(s.pushInput).mutation(({ ctx, input }) => sync.push(ctx.db, userContext(ctx), input)),
  pull: procedure.input(s.pullInput).query(({ ctx, input }) => sync.pull(ctx.db, userContext(ctx), input)),
  myDevices: procedure.query(({ ctx }) => sync.listDevices(ctx.db, userContext(ctx).actor.userId)),
  listDevices: procedure.input(s.listDevicesInput).query(({ ctx, input }) => sync.listDevices(ctx.db, input.userId)),
  revokeDevice: procedure.input(s.revokeDeviceInput).mutation(({ ctx, input }) => sync.revokeDevice(ctx.db, userContext(ctx), input)),
  /** Server-sent events: "something changed, pull". Resumes after a reconnect; the first event comes at once. */
  changes: procedure.input(s.changesInput).subscription(async function* ({ ctx, signal }) {
    userContext(ctx);
    let n = 0;
    yield tracked(String(++n), { at: new Date().toISOString() });
    if (!ctx.changes) return;
    for await (const _ of ctx.changes.changes(signal)) yield tracked(String(++n), { at: new Date().toISOString() });
  }),
});
