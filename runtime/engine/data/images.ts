// `data images("folder", size: 32)`: a folder with one sub-folder of PNG and JPEG images per
// class, laid out as torchvision's ImageFolder reads it (folder/cat/001.png, folder/dog/7.jpg).
//
// Classes are the sub-folders' names in sorted order (UTF-16 code units, as Python sorts them),
// class 0 first; `classNames` records them. Each class folder is read recursively, in
// ImageFolder's order, and every file ending in .png, .jpg or .jpeg (any case; names starting with
// a dot are skipped) is an example; other files are ignored, as are files directly in the folder.
// Each image
// is converted to RGB (alpha dropped, grey replicated; as PIL's convert('RGB')) or to grey
// (ITU-R 601 luma, as PIL's convert('L')), resized to size × size with Pillow's antialiased
// bilinear filter (resize.ts), and scaled to [0, 1]: examples are channels × size × size.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TechniqueUse } from '../../catalog';
import { intArg, stringArg } from './args';
import { readBytes } from './files';
import { decodeImage, type RgbaImage } from './image-decode';
import { resizePlane } from './resize';
import { dataError, type DataError, type Dataset } from './types';

export function loadImages(source: TechniqueUse, baseDir: string): Dataset | DataError {
  const relative = stringArg(source, 'path');
  if (typeof relative !== 'string') return relative;
  const size = intArg(source, 'size', 1);
  if (typeof size !== 'number') return size;
  const color = stringArg(source, 'color');
  if (typeof color !== 'string') return color;
  if (color !== 'rgb' && color !== 'grey') return dataError(`images: color must be rgb or grey, got "${color}"`);
  const root = path.resolve(baseDir, relative);

  const found = listClasses(root);
  if ('kind' in found) return found;
  const channels = color === 'rgb' ? 3 : 1;
  const width = channels * size * size;
  const count = found.reduce((n, c) => n + c.files.length, 0);
  const x = new Float32Array(count * width);
  const y = new Float32Array(count);
  let i = 0;
  for (const [k, cls] of found.entries()) {
    for (const file of cls.files) {
      const bytes = readBytes(file);
      if ('kind' in bytes) return bytes;
      const image = decodeImage(bytes, file);
      if ('kind' in image) return image;
      x.set(toExample(image, color, size), i * width);
      y[i++] = k;
    }
  }
  return { name: 'images', task: 'classification', inputShape: [channels, size, size], classes: found.length, classNames: found.map((c) => c.name), x, y, count };
}

interface ClassFolder {
  readonly name: string;
  readonly files: readonly string[];
}

function listClasses(root: string): ClassFolder[] | DataError {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : '';
    if (code === 'ENOENT') return dataError(`folder not found: ${root}`, root);
    if (code === 'ENOTDIR') return dataError(`expected a folder with one sub-folder per class, but found a file: ${root}`, root);
    return dataError(`cannot read the folder ${root}: ${e instanceof Error ? e.message : String(e)}`, root);
  }
  const names = entries.filter((e) => isFolder(root, e)).map((e) => e.name).sort(byCodeUnits);
  if (names.length === 0) {
    return dataError(`${root}: no class folders; put the images of each class in a sub-folder named after it (${path.join(root, 'cat', '001.png')}, …)`, root);
  }
  const classes: ClassFolder[] = [];
  for (const name of names) {
    const dir = path.join(root, name);
    const files = imageFiles(dir);
    if (!Array.isArray(files)) return files;
    if (files.length === 0) return dataError(`${dir}: class "${name}" holds no PNG or JPEG images (files ending in .png, .jpg or .jpeg)`, dir);
    classes.push({ name, files });
  }
  return classes;
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/**
 * The image files under `dir` in ImageFolder's order: folders sorted by path (the class folder
 * first), the files of each sorted by name. Folders reached through links are not followed.
 */
function imageFiles(dir: string): string[] | DataError {
  const folders: string[] = [];
  const pending = [dir];
  const files = new Map<string, string[]>();
  while (pending.length > 0) {
    const at = pending.pop() ?? dir;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(at, { withFileTypes: true });
    } catch (e) {
      return dataError(`cannot read the folder ${at}: ${e instanceof Error ? e.message : String(e)}`, at);
    }
    folders.push(at);
    const here: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(at, e.name);
      if (e.isDirectory()) pending.push(full);
      else if (IMAGE_FILE.test(e.name) && (e.isFile() || (e.isSymbolicLink() && isFileAt(full)))) here.push(e.name);
    }
    files.set(at, here.sort(byCodeUnits));
  }
  // NOTE: Python's sorted(os.walk(…)) compares whole paths, so 'a-b' comes before 'a/x'.
  return folders.sort(byCodeUnits).flatMap((f) => (files.get(f) ?? []).map((name) => path.join(f, name)));
}

/** A class folder: a visible folder, or a link to one (class folders may be linked in; their insides are walked without following links). */
function isFolder(root: string, e: fs.Dirent): boolean {
  if (e.name.startsWith('.')) return false;
  if (e.isDirectory()) return true;
  try {
    return e.isSymbolicLink() && fs.statSync(path.join(root, e.name)).isDirectory();
  } catch {
    return false;
  }
}

function isFileAt(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One image as channels × size × size values in [0, 1]. */
function toExample(image: RgbaImage, color: 'rgb' | 'grey', size: number): Float32Array {
  const { width, height, data } = image;
  const n = width * height;
  const planes: Float32Array[] = [];
  if (color === 'rgb') {
    for (let c = 0; c < 3; c++) {
      const p = new Float32Array(n);
      for (let i = 0; i < n; i++) p[i] = data[4 * i + c] ?? 0;
      planes.push(p);
    }
  } else {
    // ITU-R 601-2 luma, PIL's convert('L').
    const p = new Float32Array(n);
    for (let i = 0; i < n; i++) p[i] = ((data[4 * i] ?? 0) * 299 + (data[4 * i + 1] ?? 0) * 587 + (data[4 * i + 2] ?? 0) * 114) / 1000;
    planes.push(p);
  }
  const out = new Float32Array(planes.length * size * size);
  for (const [c, p] of planes.entries()) {
    const r = resizePlane(p, width, height, size, size);
    for (let i = 0; i < r.length; i++) out[c * size * size + i] = (r[i] ?? 0) / 255;
  }
  return out;
}
