// Entry point of a PDF worker thread whose module is TypeScript (the server runs under tsx, the
// tests under vitest, the bench under tsx). A worker does not inherit tsx's module hooks, so tsx is
// registered in this thread first; built JavaScript is imported as it is.
import { workerData } from 'node:worker_threads';

if (/\.[cm]?ts$/.test(new URL(workerData.entry).pathname)) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
