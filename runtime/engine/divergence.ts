// Divergence: a loss that is not finite, or one that stays finite but blows up (sgd with lr 1e6
// reaches a loss of 4.7e5 and a weight norm of 4.5e16 without a NaN). Both stop the run with the
// same message. A finite blow-up is a loss above BLOW_UP times the first step's loss (the loss of
// the untrained model, before any update) for PATIENCE steps in a row, or a gradient norm that
// is no longer finite. The norm is there only when the report asks for grad_norm; without it a
// NaN or infinite gradient is caught one step later, by the loss it makes non-finite.

/** How many times the early loss a loss must exceed to count as blown up. */
export const BLOW_UP = 1e4;
/** Consecutive blown-up steps before the run is stopped (a single spike is not divergence). */
export const PATIENCE = 10;
/** The reference never goes below this, so a nearly perfect start does not make noise fatal. */
const FLOOR = 1e-2;

export interface DivergenceWatch {
  /**
   * The step's loss and gradient norm (undefined when the step does not compute it); returns what
   * became of them when the run diverged.
   */
  observe(loss: number, gradNorm?: number): string | undefined;
}

export function createDivergenceWatch(): DivergenceWatch {
  let first: number | undefined;
  let over = 0;
  return {
    observe(loss, gradNorm) {
      if (!Number.isFinite(loss)) return `the loss became ${loss}`;
      if (gradNorm !== undefined && (Number.isNaN(gradNorm) || gradNorm === Infinity)) return `the gradient norm became ${gradNorm} (loss ${loss.toPrecision(3)})`;
      if (first === undefined) {
        first = loss;
        return undefined;
      }
      over = loss > BLOW_UP * Math.max(first, FLOOR) ? over + 1 : 0;
      return over >= PATIENCE ? `the loss blew up to ${loss.toPrecision(3)} (${PATIENCE} steps above ${BLOW_UP.toExponential(0)}× its first value ${first.toPrecision(3)})` : undefined;
    },
  };
}
