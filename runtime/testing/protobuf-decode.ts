// A tiny protobuf wire-format reader for tests: enough to read back what runtime/compiler/onnx wrote.

export type WireValue = { readonly wire: 0; readonly value: bigint } | { readonly wire: 2; readonly value: Uint8Array } | { readonly wire: 5; readonly value: number };

export class Message {
  constructor(readonly fields: ReadonlyMap<number, readonly WireValue[]>) {}

  static decode(bytes: Uint8Array): Message {
    const fields = new Map<number, WireValue[]>();
    const r = { pos: 0 };
    while (r.pos < bytes.length) {
      const tag = Number(readVarint(bytes, r));
      const field = tag >>> 3;
      const wire = tag & 7;
      let v: WireValue;
      if (wire === 0) v = { wire, value: readVarint(bytes, r) };
      else if (wire === 2) {
        const n = Number(readVarint(bytes, r));
        v = { wire, value: bytes.subarray(r.pos, r.pos + n) };
        r.pos += n;
      } else if (wire === 5) {
        v = { wire, value: new DataView(bytes.buffer, bytes.byteOffset + r.pos, 4).getFloat32(0, true) };
        r.pos += 4;
      } else throw new Error(`unsupported wire type ${wire} at ${r.pos}`);
      if (r.pos > bytes.length) throw new Error('truncated message');
      fields.set(field, [...(fields.get(field) ?? []), v]);
    }
    return new Message(fields);
  }

  all(field: number): readonly WireValue[] {
    return this.fields.get(field) ?? [];
  }

  int(field: number): number | undefined {
    const v = this.all(field)[0];
    return v?.wire === 0 ? Number(BigInt.asIntN(64, v.value)) : undefined;
  }

  float(field: number): number | undefined {
    const v = this.all(field)[0];
    return v?.wire === 5 ? v.value : undefined;
  }

  strings(field: number): string[] {
    return this.all(field).flatMap((v) => (v.wire === 2 ? [new TextDecoder().decode(v.value)] : []));
  }

  string(field: number): string | undefined {
    return this.strings(field)[0];
  }

  bytes(field: number): Uint8Array | undefined {
    const v = this.all(field)[0];
    return v?.wire === 2 ? v.value : undefined;
  }

  messages(field: number): Message[] {
    return this.all(field).flatMap((v) => (v.wire === 2 ? [Message.decode(v.value)] : []));
  }

  message(field: number): Message | undefined {
    return this.messages(field)[0];
  }

  /** A packed repeated varint field (also accepts unpacked entries). */
  packedInts(field: number): number[] {
    return this.all(field).flatMap((v) => {
      if (v.wire === 0) return [Number(BigInt.asIntN(64, v.value))];
      if (v.wire !== 2) return [];
      const out: number[] = [];
      const r = { pos: 0 };
      while (r.pos < v.value.length) out.push(Number(BigInt.asIntN(64, readVarint(v.value, r))));
      return out;
    });
  }
}

function readVarint(bytes: Uint8Array, r: { pos: number }): bigint {
  let result = 0n;
  for (let shift = 0n; ; shift += 7n) {
    const b = bytes[r.pos++];
    if (b === undefined) throw new Error('truncated varint');
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
  }
}
