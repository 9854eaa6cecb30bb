// Inputs of sync: the protocol's schemas, shared with the workstation.
import { z } from 'zod';
import { text, uuid } from '../../../shared/schemas';
export { pushInput, pullInput, registerDeviceInput } from '../../../shared/sync/protocol';

export const revokeDeviceInput = z.strictObject({ deviceId: uuid, reason: text(500) });
export const listDevicesInput = z.strictObject({ userId: uuid.optional() });
export const changesInput = z.strictObject({ lastEventId: z.string().max(64).nullish() }).optional();
