import { checkFinite, fail, isFloat32Array } from '../validate';

// Whole-dataset target checks shared by the losses (run once per dataset, so per-element loops are
// fine here and only here).

export type TargetDomain = 'real' | 'probability' | 'pm1' | 'nonNegative';

const domainText: Record<TargetDomain, string> = {
  real: 'finite values',
  probability: 'probabilities in [0, 1]',
  pm1: 'labels −1 or +1',
  nonNegative: 'values ≥ 0',
};

/** Target as m×n rows (or m labels when allowed); returns whether it is the labels form. */
export function checkTargetLength(fn: string, arg: string, target: unknown, m: number, n: number, loss: string,
  acceptsLabels: boolean): boolean {
  if (!isFloat32Array(target)) fail(fn, arg, 'a Float32Array of targets', target, 'type');
  if (target.length === m * n) return false;
  if (acceptsLabels && n > 1 && target.length === m) return true;
  const labels = acceptsLabels && n > 1 ? ` or ${m} class labels` : '';
  fail(fn, arg, `${m}×${n} = ${m * n} floats (one row of ${n} per sample)${labels} for loss '${loss}'`,
    `${target.length} floats`);
}

export function checkTargetValues(fn: string, arg: string, target: Float32Array, domain: TargetDomain, loss: string): void {
  checkFinite(fn, arg, target);
  for (let i = 0; i < target.length; i++) {
    const t = target[i];
    const ok = domain === 'real' ? true
      : domain === 'probability' ? t >= 0 && t <= 1
        : domain === 'pm1' ? t === 1 || t === -1
          : t >= 0;
    if (!ok) fail(fn, `${arg}[${i}]`, `${domainText[domain]} for loss '${loss}'`, String(t));
  }
}

/** O(1) per-step checks of compute's arguments. */
export function checkComputeArgs(loss: string, dpred: unknown, pred: unknown, target: unknown, m: unknown,
  n: unknown, acceptsLabels: boolean): boolean {
  const fn = `${loss}.compute`;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) fail(fn, 'm', 'an integer ≥ 1', String(m));
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) fail(fn, 'n', 'an integer ≥ 1', String(n));
  if (!isFloat32Array(pred)) fail(fn, 'pred', 'a Float32Array', pred, 'type');
  if (!isFloat32Array(dpred)) fail(fn, 'dpred', 'a Float32Array', dpred, 'type');
  if (pred.length < m * n) fail(fn, 'pred', `≥ ${m * n} floats (${m}×${n})`, `${pred.length} floats`);
  if (dpred.length < m * n) fail(fn, 'dpred', `≥ ${m * n} floats (${m}×${n})`, `${dpred.length} floats`);
  return checkTargetLength(fn, 'target', target, m, n, loss, acceptsLabels);
}
