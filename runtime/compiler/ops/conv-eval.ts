// Reference kernels for 2-D Conv and ConvTranspose (NCHW, ONNX pads = [top, left, bottom, right]).

import { type Tensor, at } from '../tensor';

export interface ConvParams {
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
  readonly group: number;
}

export function evaluateConv(x: Tensor, w: Tensor, b: Tensor | undefined, p: ConvParams): Tensor {
  const [n, c, h, wd] = dims4(x);
  const [m, cg, kh, kw] = dims4(w);
  const [sh, sw] = p.strides;
  const [dh, dw] = p.dilations;
  const [pt, pl, pb, pr] = p.pads;
  const ho = Math.floor((h + pt + pb - ((kh - 1) * dh + 1)) / sh) + 1;
  const wo = Math.floor((wd + pl + pr - ((kw - 1) * dw + 1)) / sw) + 1;
  const mg = m / p.group;
  const data = new Float64Array(n * m * ho * wo);
  for (let ni = 0; ni < n; ni++) {
    for (let mi = 0; mi < m; mi++) {
      const grp = Math.floor(mi / mg);
      for (let oy = 0; oy < ho; oy++) {
        for (let ox = 0; ox < wo; ox++) {
          let s = b ? at(b.data, mi) : 0;
          for (let ci = 0; ci < cg; ci++) {
            const cx = grp * cg + ci;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh + ky * dh - pt;
              if (iy < 0 || iy >= h) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw + kx * dw - pl;
                if (ix < 0 || ix >= wd) continue;
                s += at(x.data, ((ni * c + cx) * h + iy) * wd + ix) * at(w.data, ((mi * cg + ci) * kh + ky) * kw + kx);
              }
            }
          }
          data[((ni * m + mi) * ho + oy) * wo + ox] = s;
        }
      }
    }
  }
  return { dtype: x.dtype, shape: [n, m, ho, wo], data };
}

/** y[n, g·mg+o, iy·s + ky·d − pad] += x[n, g·cg+c, iy] · w[g·cg+c, o, ky] (the adjoint of Conv in x). */
export function evaluateConvTranspose(x: Tensor, w: Tensor, b: Tensor | undefined, p: ConvParams, outputPadding: readonly [number, number]): Tensor {
  const [n, c, h, wd] = dims4(x);
  const [, mg, kh, kw] = dims4(w);
  const [sh, sw] = p.strides;
  const [dh, dw] = p.dilations;
  const [pt, pl, pb, pr] = p.pads;
  const ho = sh * (h - 1) + outputPadding[0] + (kh - 1) * dh + 1 - pt - pb;
  const wo = sw * (wd - 1) + outputPadding[1] + (kw - 1) * dw + 1 - pl - pr;
  const m = mg * p.group;
  const cg = c / p.group;
  const data = new Float64Array(n * m * ho * wo);
  for (let ni = 0; ni < n; ni++) {
    for (let ci = 0; ci < c; ci++) {
      const grp = Math.floor(ci / cg);
      for (let iy = 0; iy < h; iy++) {
        for (let ix = 0; ix < wd; ix++) {
          const v = at(x.data, ((ni * c + ci) * h + iy) * wd + ix);
          for (let o = 0; o < mg; o++) {
            const mo = grp * mg + o;
            for (let ky = 0; ky < kh; ky++) {
              const oy = iy * sh + ky * dh - pt;
              if (oy < 0 || oy >= ho) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ox = ix * sw + kx * dw - pl;
                if (ox < 0 || ox >= wo) continue;
                const k = ((ni * m + mo) * ho + oy) * wo + ox;
                data[k] = at(data, k) + v * at(w.data, ((ci * mg + o) * kh + ky) * kw + kx);
              }
            }
          }
        }
      }
    }
  }
  if (b) for (let i = 0; i < data.length; i++) data[i] = at(data, i) + at(b.data, Math.floor(i / (ho * wo)) % m);
  return { dtype: x.dtype, shape: [n, m, ho, wo], data };
}

export function dims4(t: Tensor): [number, number, number, number] {
  if (t.shape.length !== 4) throw new Error(`expected a 4-D tensor, got [${t.shape.join(',')}]`);
  return [at(t.shape, 0), at(t.shape, 1), at(t.shape, 2), at(t.shape, 3)];
}
