// @ts-check
// Packs the extension (package.json, dist/ without source maps, grammar, language configuration)
// into a VSIX for `--install-extension`: the UI scenario runs without the smoke-test driver, and
// only that driver makes the workbench honour extensionDevelopmentPath. @vscode/vsce is not a
// dependency, so this writes the zip itself (deflate via node:zlib; zlib.crc32 needs Node >= 20.15).

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ROOT } from './env.mjs';

const INCLUDE = ['package.json', 'language-configuration.json', 'LICENSE', 'README.md', 'syntaxes', 'dist'];

/** Writes `target` and returns it. */
export function packVsix(target) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  /** @type {Array<[string, Buffer]>} */
  const files = [
    ['[Content_Types].xml', Buffer.from('<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension=".json" ContentType="application/json"/><Default Extension=".vsixmanifest" ContentType="text/xml"/><Default Extension=".js" ContentType="application/javascript"/></Types>')],
    ['extension.vsixmanifest', Buffer.from(`<?xml version="1.0" encoding="utf-8"?><PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011"><Metadata><Identity Language="en-US" Id="${pkg.name}" Version="${pkg.version}" Publisher="${pkg.publisher}"/><DisplayName>${pkg.displayName}</DisplayName><Description xml:space="preserve">${pkg.description}</Description></Metadata><Installation><InstallationTarget Id="Microsoft.VisualStudio.Code"/></Installation><Dependencies/><Assets><Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true"/></Assets></PackageManifest>`)],
  ];
  for (const entry of INCLUDE) {
    for (const rel of walk(entry)) if (!rel.endsWith('.map')) files.push([`extension/${rel}`, fs.readFileSync(path.join(ROOT, rel))]);
  }
  fs.writeFileSync(target, zip(files));
  return target;
}

function walk(rel) {
  const abs = path.join(ROOT, rel);
  if (!fs.existsSync(abs)) return [];
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs.readdirSync(abs).flatMap((name) => walk(path.posix.join(rel, name)));
}

/** A plain zip archive (deflate, no zip64: fine below 4 GiB). */
function zip(files) {
  const locals = [];
  const centrals = [];
  const offset = { at: 0 };
  for (const [name, data] of files) {
    const nameBuf = Buffer.from(name, 'utf8');
    const packed = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16); central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset.at, 42);
    locals.push(local, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset.at += local.length + nameBuf.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset.at, 16);
  return Buffer.concat([...locals, dir, end]);
}
