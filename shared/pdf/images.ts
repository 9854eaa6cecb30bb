// Evidence images placed on exhibit pages, embedded as they are, never decoded or re-encoded.
// JPEGs go through pdfkit (its DCT stream is the file itself). An opaque, non-interlaced PNG of
// up to 8 bits per sample is embedded here the way pdfkit embeds it — its compressed image data
// as a Flate stream with the PNG predictor — but without pdfkit's byte-by-byte copy of the data
// into a JavaScript array (a quarter of a large render's time, and most of its garbage). Any other
// PNG (transparency, interlacing, 16-bit) is pdfkit's to decode.
import type { PdfDoc, PdfRef } from './pdf-doc';

/** An image ready to be placed: its pixel size and how to draw it into a box. */
export interface PlaceableImage {
  width: number;
  height: number;
  /** pdfkit turns JPEGs by their EXIF orientation: 5–8 swap width and height. */
  turned: boolean;
  draw(x: number, y: number, w: number, h: number): void;
  /** Resolves once the image's data is written to the file (pdfkit decodes some PNGs off-thread). */
  written(): Promise<void>;
}

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  palette: Uint8Array | null;
  transparency: boolean;
  /** The IDAT chunks' data, in order. */
  data: Uint8Array[];
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads a PNG's chunk structure (not its pixels); null when it is not a well-formed PNG. */
export function readPng(bytes: Uint8Array): PngHeader | null {
  if (bytes.length < 33 || !SIGNATURE.every((b, i) => bytes[i] === b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header: PngHeader = { width: 0, height: 0, bitDepth: 0, colorType: 0, interlace: 0, palette: null, transparency: false, data: [] };
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    const start = at + 8;
    if (start + length + 4 > bytes.length) return null;
    const body = bytes.subarray(start, start + length);
    if (type === 'IHDR') {
      if (length < 13) return null;
      header.width = view.getUint32(start);
      header.height = view.getUint32(start + 4);
      header.bitDepth = body[8]!;
      header.colorType = body[9]!;
      header.interlace = body[12]!;
    } else if (type === 'PLTE') header.palette = body;
    else if (type === 'tRNS') header.transparency = true;
    else if (type === 'IDAT') header.data.push(body);
    else if (type === 'IEND') break;
    at = start + length + 4; // data and CRC
  }
  return header.width > 0 && header.height > 0 && header.data.length > 0 ? header : null;
}

/**
 * The PNG as an image XObject with its data as stored, or null when pdfkit must decode it.
 * `label` names it in page resources (apart from pdfkit's I1, I2, …), the same in every render.
 */
export function embedPng(doc: PdfDoc, bytes: Uint8Array, label: string): PlaceableImage | null {
  const png = readPng(bytes);
  if (!png || png.interlace !== 0 || png.transparency || png.bitDepth > 8) return null;
  const colors = png.colorType === 0 ? 1 : png.colorType === 2 ? 3 : png.colorType === 3 ? 1 : 0;
  if (colors === 0 || (png.colorType === 3 && !png.palette)) return null; // 4 and 6 carry alpha
  let colorSpace: unknown = colors === 3 ? 'DeviceRGB' : 'DeviceGray';
  if (png.colorType === 3) {
    const palette: PdfRef = doc.ref({});
    palette.end(png.palette!);
    colorSpace = ['Indexed', 'DeviceRGB', png.palette!.length / 3 - 1, palette];
  }
  const parms = doc.ref({ Predictor: 15, Colors: colors, BitsPerComponent: png.bitDepth, Columns: png.width });
  parms.end();
  // A stream with a Filter is written as it is (pdfkit does not deflate it again).
  const image = doc.ref({ Type: 'XObject', Subtype: 'Image', Width: png.width, Height: png.height, BitsPerComponent: png.bitDepth, ColorSpace: colorSpace, Filter: 'FlateDecode', DecodeParms: parms });
  for (const chunk of png.data) image.write(chunk);
  image.end();
  return {
    width: png.width,
    height: png.height,
    turned: false,
    draw(x, y, w, h) {
      doc.page.xobjects[label] = image;
      doc.save();
      // The page's coordinates run top-down: the image is set upright.
      doc.addContent(`${num(w)} 0 0 ${num(-h)} ${num(x)} ${num(y + h)} cm /${label} Do`);
      doc.restore();
    },
    written: () => Promise.resolve(),
  };
}

/** Any image pdfkit can open (JPEG, and PNGs with transparency), or null. */
export function openWithPdfkit(doc: PdfDoc, bytes: Uint8Array): PlaceableImage | null {
  let image: ReturnType<PdfDoc['openImage']>;
  try {
    image = doc.openImage(bytes);
  } catch {
    return null; // a header pdfkit cannot read: the exhibit is listed like any other file
  }
  return {
    width: image.width,
    height: image.height,
    turned: (image.orientation ?? 1) > 4,
    draw(x, y, w, h) {
      doc.image(image, x, y, { width: w, height: h });
    },
    // pdfkit decodes a PNG with transparency off the main thread and writes it when done; waiting
    // here keeps every object at the same place in the file, so the bytes never depend on timing.
    async written() {
      const started = Date.now();
      while (image.obj && image.obj.offset === undefined) {
        if (Date.now() - started > 60_000) throw new Error('dossier: an image could not be decoded');
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
  };
}

function num(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  return r === 0 ? '0' : String(r);
}
