// The privacy accountant of dp_sat (catalog A07): Rényi differential privacy of the sampled
// Gaussian mechanism (Mironov, Talwar, Zhang 2019), as Opacus' and TF-Privacy's RDP accountant
// compute it (opacus/accountants/analysis/rdp.py): log A_α for integer orders by the binomial
// sum, for fractional ones by the two-sided series with erfc tails; RDP(α) = T·log A_α/(α − 1);
// and the conversion to (ε, δ) that Opacus uses (Balle et al. 2020):
//   ε = min_α RDP(α) − (log δ + log α)/(α − 1) + log((α − 1)/α).
// Everything in float64 on the host.

/** Opacus' default orders: 1.1, 1.2, …, 10.9 and 12, …, 63. */
export const DEFAULT_ORDERS: readonly number[] = [...Array.from({ length: 99 }, (_, x) => 1 + (x + 1) / 10), ...Array.from({ length: 52 }, (_, k) => 12 + k)];

function logAdd(x: number, y: number): number {
  const [a, b] = [Math.min(x, y), Math.max(x, y)];
  if (a === -Infinity) return b;
  return Math.log1p(Math.exp(a - b)) + b;
}

function logSub(x: number, y: number): number {
  if (x < y) throw new Error('privacy: the result of a log-subtraction must be positive');
  if (y === -Infinity) return x;
  if (x === y) return -Infinity;
  const d = Math.expm1(x - y);
  return Number.isFinite(d) ? Math.log(d) + y : x;
}

/** log Γ(x) for x > 0 (Lanczos, g = 7), for log binomial coefficients of real orders. */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** binom(α, i) for real α ≥ 0 and integer i ≥ 0, as scipy.special.binom: the product form (exact sign). */
export function binom(alpha: number, i: number): number {
  let r = 1;
  for (let k = 0; k < i; k++) r *= (alpha - k) / (k + 1);
  return r;
}

/** log erfc(x), accurate far into both tails. */
export function logErfc(x: number): number {
  if (x < 0.5) {
    // erfc(x) = 1 − erf(x) with erf from its Maclaurin series (|x| < 0.5), or 2 − erfc(−x).
    if (x > -0.5) {
      let term = x;
      let sum = x;
      for (let n = 1; n < 100; n++) {
        term *= (-x * x) / n;
        const add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-18) break;
      }
      return Math.log(1 - (2 / Math.sqrt(Math.PI)) * sum);
    }
    return Math.log(2 - Math.exp(logErfc(-x)));
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), from the tail.
  let k = x;
  for (let n = 200; n >= 1; n--) k = x + n / 2 / k;
  return -x * x - 0.5 * Math.log(Math.PI) - Math.log(k);
}

function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  for (let i = 0; i <= alpha; i++) {
    const logCoef = logGamma(alpha + 1) - logGamma(i + 1) - logGamma(alpha - i + 1) + i * Math.log(q) + (alpha - i) * Math.log(1 - q);
    logA = logAdd(logA, logCoef + (i * i - i) / (2 * sigma * sigma));
  }
  return logA;
}

function logAFrac(q: number, sigma: number, alpha: number): number {
  let a0 = -Infinity;
  let a1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  for (let i = 0; ; i++) {
    const coef = binom(alpha, i);
    const logCoef = Math.log(Math.abs(coef));
    const j = alpha - i;
    const t0 = logCoef + i * Math.log(q) + j * Math.log(1 - q);
    const t1 = logCoef + j * Math.log(q) + i * Math.log(1 - q);
    const e0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const e1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const s0 = t0 + (i * i - i) / (2 * sigma * sigma) + e0;
    const s1 = t1 + (j * j - j) / (2 * sigma * sigma) + e1;
    if (coef > 0) {
      a0 = logAdd(a0, s0);
      a1 = logAdd(a1, s1);
    } else {
      a0 = logSub(a0, s0);
      a1 = logSub(a1, s1);
    }
    if (Math.max(s0, s1) < -30 || i > 10_000) break;
  }
  return logAdd(a0, a1);
}

/** RDP of one step of the sampled Gaussian mechanism at order α (sample rate q, noise multiplier σ). */
export function rdpStep(q: number, sigma: number, alpha: number): number {
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (!Number.isFinite(alpha)) return Infinity;
  const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
  return logA / (alpha - 1);
}

export interface PrivacySpent {
  readonly epsilon: number;
  /** The order α at which ε is smallest. */
  readonly order: number;
}

/** (ε, δ) after `steps` steps of DP-SGD with sample rate q and noise multiplier σ. */
export function privacySpent(args: { readonly q: number; readonly sigma: number; readonly steps: number; readonly delta: number; readonly orders?: readonly number[] }): PrivacySpent {
  const orders = args.orders ?? DEFAULT_ORDERS;
  let best: PrivacySpent = { epsilon: Infinity, order: NaN };
  for (const a of orders) {
    const rdp = rdpStep(args.q, args.sigma, a) * args.steps;
    const eps = rdp - (Math.log(args.delta) + Math.log(a)) / (a - 1) + Math.log((a - 1) / a);
    if (eps < best.epsilon) best = { epsilon: eps, order: a };
  }
  return best;
}
