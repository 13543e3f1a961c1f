// A minimal protobuf wire-format writer: just what ModelProto needs (varints, 32-bit floats,
// length-delimited fields, packed repeated scalars). Messages are written into their own writer
// and nested whole, so no length has to be patched afterwards.
// Wire format: https://protobuf.dev/programming-guides/encoding/

/** Wire types (the low 3 bits of a field's tag). */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const UTF8 = new TextEncoder();

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  /** Small writes collect here and are flushed as one chunk before a large one. */
  private pending: number[] = [];
  private size = 0;

  /** An int32/int64/uint64/enum/bool field (negative int64 takes ten bytes, as protobuf requires). */
  varintField(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  /** A `float` field (fixed32, IEEE 754 single, little-endian). */
  floatField(field: number, value: number): this {
    this.tag(field, FIXED32);
    this.float32(value);
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, UTF8.encode(value));
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(bytes.length);
    this.raw(bytes);
    return this;
  }

  messageField(field: number, message: ProtoWriter): this {
    return this.bytesField(field, message.finish());
  }

  /** A packed `repeated int64` (proto3 default, and what ONNX's dims/ints use when packed). */
  packedVarints(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytesField(field, inner.finish());
  }

  /** A packed `repeated float`. */
  packedFloats(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.float32(v);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0] as Uint8Array;
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    this.chunks.splice(0, this.chunks.length, out);
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number | bigint): void {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x7fffffff) {
      let v = value;
      while (v > 0x7f) {
        this.byte((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.byte(v);
      return;
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error(`protobuf: ${value} is not a safe integer`);
    // Two's complement in 64 bits: a negative int64 is written as a huge unsigned varint.
    let v = BigInt.asUintN(64, BigInt(value));
    while (v > 0x7fn) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private float32(value: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.byte(x);
  }

  private byte(b: number): void {
    this.pending.push(b);
    this.size++;
  }

  private raw(bytes: Uint8Array): void {
    if (bytes.length < 64) {
      for (const b of bytes) this.byte(b);
      return;
    }
    this.flush();
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
  }
}
