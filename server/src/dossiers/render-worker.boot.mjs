// Entry point of a render worker thread. A worker does not inherit tsx's module hooks, so when the
// worker's module is TypeScript (the server runs under tsx, the tests under vitest) tsx is
// registered in this thread first; built JavaScript is imported as it is.
import { workerData } from 'node:worker_threads';

if (/\.[cm]?ts$/.test(new URL(workerData.entry).pathname)) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
