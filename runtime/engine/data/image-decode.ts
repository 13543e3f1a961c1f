// Decoding one PNG or JPEG file to 8-bit RGBA pixels, through pngjs and jpeg-js (pure
// JavaScript decoders, the ones Jimp uses). The format is read from the file's first bytes, not
// its name. Every palette, grey, 16-bit and interlaced PNG and every baseline or progressive JPEG
// (grey, YCbCr, Adobe CMYK) comes out as RGBA; 16-bit samples are rounded to 8 bits.

import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { dataError, type DataError } from './types';

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, row-major, R G B A. */
  readonly data: Uint8Array;
}

/** Images larger than this are refused before they are decoded (a decompression bomb would exhaust memory). */
export const MAX_IMAGE_PIXELS = 100_000_000;

export function decodeImage(bytes: Uint8Array, file: string): RgbaImage | DataError {
  if (startsWith(bytes, PNG_SIGNATURE)) return decodePng(bytes, file);
  if (startsWith(bytes, JPEG_SIGNATURE)) return decodeJpeg(bytes, file);
  const other = OTHER_FORMATS.find((f) => f.test(bytes));
  if (other) return dataError(`${file}: a ${other.name} image; only PNG and JPEG are read (convert it to PNG)`, file);
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  return dataError(`${file}: not a PNG or JPEG image (it starts with ${bytes.length === 0 ? 'nothing: the file is empty' : `0x${head}`})`, file);
}

/** Image formats that are not read, recognized by their signatures so the error can name them. */
const OTHER_FORMATS: readonly { readonly name: string; test(b: Uint8Array): boolean }[] = [
  { name: 'GIF', test: (b) => ascii(b, 0, 4) === 'GIF8' },
  { name: 'BMP', test: (b) => ascii(b, 0, 2) === 'BM' },
  { name: 'WebP', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP' },
  { name: 'TIFF', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
];

function ascii(b: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...b.subarray(start, start + length));
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff] as const;

function decodePng(bytes: Uint8Array, file: string): RgbaImage | DataError {
  // IHDR is the first chunk: length, "IHDR", then width and height as big-endian uint32.
  if (bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tooLarge = sizeError(view.getUint32(16, false), view.getUint32(20, false), file);
    if (tooLarge) return tooLarge;
  }
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } catch (e) {
    // NOTE: pngjs says a file that ends early has "read requests waiting on finished stream".
    const why = /read requests|finished stream/i.test(reason(e)) ? 'the file is cut short' : reason(e);
    return dataError(`${file}: the PNG image cannot be decoded (${why})`, file);
  }
}

function decodeJpeg(bytes: Uint8Array, file: string): RgbaImage | DataError {
  try {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 2048 });
    const tooLarge = sizeError(img.width, img.height, file);
    if (tooLarge) return tooLarge;
    if (img.width === 0 || img.height === 0 || img.data.length < img.width * img.height * 4) return dataError(`${file}: the JPEG image has no pixels`, file);
    return { width: img.width, height: img.height, data: img.data };
  } catch (e) {
    return dataError(`${file}: the JPEG image cannot be decoded (${reason(e)})`, file);
  }
}

function sizeError(width: number, height: number, file: string): DataError | undefined {
  if (width * height <= MAX_IMAGE_PIXELS) return undefined;
  return dataError(`${file}: the image is ${width} × ${height} pixels; images above ${MAX_IMAGE_PIXELS / 1e6} megapixels are not read`, file);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
