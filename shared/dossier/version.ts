// The dossier renderer's version, written into every dossier's Producer and stored with each
// dossier the server issues (dossiers.renderer), so verify-dossier can tell a renderer that changed
// since a dossier was issued from a file that changed.
//
// Bump it whenever a change alters output bytes: layout, text, fonts used, pdfkit options or
// internals, compression, metadata. Same version (and the same pdfkit and font files, see
// renderer-fingerprint.ts) must mean: the same snapshot gives the same bytes.
export const DOSSIER_RENDERER_VERSION = 2;

/** The Producer entry of a dossier's info dictionary (and XMP). */
export const DOSSIER_RENDERER_PRODUCER = `Arbitra dossier renderer ${DOSSIER_RENDERER_VERSION} (pdfkit)`;
