/**
 * A loss as the training loop sees it: one call computes the batch loss and its gradient, into a
 * buffer the caller owns, allocating nothing once warm (losses that need scratch space keep their
 * own, sized on first use; so each model should hold its own instance — getLoss(name) makes one).
 *
 * Shapes: pred and dpred hold m rows of n outputs (at least m·n floats; only those are used).
 * target holds exactly m·n floats (one row per sample), or — for losses with acceptsLabels and
 * n > 1 — exactly m class indices stored as floats.
 */
export interface LossFunction {
  readonly name: string;
  /** Whether target may be m integer class labels instead of m×n rows. */
  readonly acceptsLabels: boolean;
  /**
   * Returns the batch loss (a mean: over samples for the cross-entropies and KL, over all m·n
   * elements for the elementwise losses — see each loss) and writes dpred = ∂(that mean)/∂pred,
   * so the 1/m batch average is already in the gradient. O(1) argument checks only.
   */
  compute(dpred: Float32Array, pred: Float32Array, target: Float32Array, m: number, n: number): number;
  /**
   * Validates a whole target set once per dataset (not per step): its length for m samples of n
   * outputs, finiteness, and the loss's domain (class indices integers in [0, n), hinge labels ±1,
   * probabilities in [0, 1]). Throws TypeError/RangeError whose message starts with `fn`.
   */
  checkTarget(fn: string, arg: string, target: Float32Array, m: number, n: number): void;
}
