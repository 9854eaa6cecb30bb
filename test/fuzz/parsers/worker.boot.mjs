// Entry of the parser-fuzz worker thread: a worker does not inherit tsx's (or vitest's) module
// hooks, so tsx is registered here before the TypeScript worker is imported.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
