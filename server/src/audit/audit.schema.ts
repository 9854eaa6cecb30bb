import { z } from 'zod';
import { uuid } from '../../../shared/schemas';

export const caseTrailInput = z.strictObject({ caseId: uuid });
