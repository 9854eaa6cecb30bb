// The loopback HTTP carrier's names, shared by the renderer's client and the browser shell's server.

/** Sent with every HTTP request: a page on another origin cannot set it without a CORS preflight the engine refuses. */
export const CONTRACT_HEADER = 'x-arbitra-workstation';
/** Where the contract router is served. */
export const CONTRACT_PATH = '/contract';
