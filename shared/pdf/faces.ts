// The embedded faces (fonts.ts) registered with a pdfkit document under the text engine's names
// (text-runs.ts), and opened: a face's resource name (F2, F3, …) and its subset tag follow the order
// faces are opened in, so that order is fixed (the dossier opens all five up front) or follows the
// text alone (the report opens a face when its text first needs it, so an English report never
// opens the CJK faces). A face's bytes are parsed once per process, not once per document: parsing
// and fontkit's glyph caches are the slow part of a font; each document still makes its own subset.
import type { PdfFonts } from './fonts';
import type { FontkitFont, PdfDoc, PdfFontHandle } from './pdf-doc';
import { FONT_KEYS, type FontKey } from './text-runs';

const parsedFonts = new WeakMap<Uint8Array, FontkitFont>();

function register(doc: PdfDoc, fonts: PdfFonts): (key: FontKey) => PdfFontHandle {
  const bytes: Record<FontKey, Uint8Array> = { sans: fonts.sansRegular, sansBold: fonts.sansBold, cjk: fonts.cjkRegular, cjkBold: fonts.cjkBold, mono: fonts.mono };
  for (const key of FONT_KEYS) doc.registerFont(key, parsedFonts.get(bytes[key]) ?? bytes[key]);
  return (key) => {
    doc.font(key);
    parsedFonts.set(bytes[key], doc._font.font);
    return doc._font;
  };
}

/** Registers the five faces and opens them now, in FONT_KEYS order. */
export function openFaces(doc: PdfDoc, fonts: PdfFonts): Record<FontKey, PdfFontHandle> {
  const open = register(doc, fonts);
  const handles = {} as Record<FontKey, PdfFontHandle>;
  for (const key of FONT_KEYS) handles[key] = open(key);
  return handles;
}

/**
 * Registers the five faces; each is opened when first asked for (which makes it the document's
 * current font: set the font before drawing).
 */
export function openFacesOnFirstUse(doc: PdfDoc, fonts: PdfFonts): Readonly<Record<FontKey, PdfFontHandle>> {
  const open = register(doc, fonts);
  const handles = {} as Record<FontKey, PdfFontHandle>;
  for (const key of FONT_KEYS) {
    Object.defineProperty(handles, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const handle = open(key);
        Object.defineProperty(handles, key, { value: handle, enumerable: true });
        return handle;
      },
    });
  }
  return handles;
}
