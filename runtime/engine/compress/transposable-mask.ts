// Transposable 2:4 masks (catalog A46, huyz2023/2by4-pretrain: sparse/transposable_semi_structured.py).
// A weight viewed as [out, in·kh·kw] is cut into 4×4 blocks; each block keeps the pattern, among
// the 90 binary 4×4 matrices with two ones in every row and every column, that holds the largest
// Σ|w|. So the mask is 2:4 along the rows (the forward GEMM) and along the columns (the
// transposed GEMM of the backward pass). The official kernel scores every pattern with one
// matrix product and takes the argmax; here the patterns are scored in the same order
// (lexicographically descending, as the official table lists them) and the first best wins.

/** The 90 transposable 2:4 patterns of a 4×4 block, row-major, in the official table's order. */
export const TRANSPOSABLE_PATTERNS: readonly (readonly number[])[] = enumeratePatterns();

/**
 * The transposable 2:4 mask of `w` ([rows, rowLength] row-major); both dimensions must be
 * multiples of 4 (the caller checks; this throws otherwise, as a bug).
 */
export function transposableMask(w: ArrayLike<number>, rows: number, rowLength: number): Float32Array {
  if (rows % 4 !== 0 || rowLength % 4 !== 0 || rows * rowLength !== w.length) throw new Error(`transposableMask: a ${rows}×${rowLength} weight is not made of 4×4 blocks`);
  const mask = new Float32Array(w.length);
  const block = new Float64Array(16);
  for (let r = 0; r < rows; r += 4) {
    for (let c = 0; c < rowLength; c += 4) {
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) block[i * 4 + j] = Math.abs(w[(r + i) * rowLength + c + j] ?? 0);
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      TRANSPOSABLE_PATTERNS.forEach((p, k) => {
        let score = 0;
        for (let e = 0; e < 16; e++) score += (p[e] ?? 0) * (block[e] ?? 0);
        if (score > bestScore) {
          bestScore = score;
          best = k;
        }
      });
      const p = TRANSPOSABLE_PATTERNS[best] ?? [];
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) mask[(r + i) * rowLength + c + j] = p[i * 4 + j] ?? 0;
    }
  }
  return mask;
}

/** Whether every 4×4 block of `mask` has exactly two ones in each row and each column. */
export function isTransposable24(mask: ArrayLike<number>, rows: number, rowLength: number): boolean {
  if (rows % 4 !== 0 || rowLength % 4 !== 0) return false;
  for (let r = 0; r < rows; r += 4) {
    for (let c = 0; c < rowLength; c += 4) {
      for (let i = 0; i < 4; i++) {
        let row = 0;
        let col = 0;
        for (let j = 0; j < 4; j++) {
          row += mask[(r + i) * rowLength + c + j] ?? 0;
          col += mask[(r + j) * rowLength + c + i] ?? 0;
        }
        if (row !== 2 || col !== 2) return false;
      }
    }
  }
  return true;
}

/** All 4×4 {0,1} matrices with row and column sums 2, lexicographically descending. */
function enumeratePatterns(): number[][] {
  const rows = [0b1100, 0b1010, 0b1001, 0b0110, 0b0101, 0b0011];
  const out: number[][] = [];
  const bits = (r: number) => [(r >> 3) & 1, (r >> 2) & 1, (r >> 1) & 1, r & 1];
  for (const a of rows) for (const b of rows) for (const c of rows) for (const d of rows) {
    const m = [a, b, c, d].flatMap(bits);
    if ([0, 1, 2, 3].every((j) => (m[j] ?? 0) + (m[4 + j] ?? 0) + (m[8 + j] ?? 0) + (m[12 + j] ?? 0) === 2)) out.push(m);
  }
  return out;
}
