import { Opt, OptHyper, type OptCode } from '../types';

// One fused pass per optimizer over n parameters (formulas in types.ts, Opt). The new state is
// computed in double and used unrounded for the parameter update of the same element.

export function optimizerStep(kind: OptCode, param: Float32Array, grad: Float32Array, s1: Float32Array,
  s2: Float32Array, n: number, h: Float64Array): void {
  const lr = h[OptHyper.lr];
  const beta1 = h[OptHyper.beta1];
  const beta2 = h[OptHyper.beta2];
  const eps = h[OptHyper.eps];
  switch (kind) {
    case Opt.sgd:
      for (let i = 0; i < n; i++) param[i] -= lr * grad[i];
      return;
    case Opt.momentum:
      for (let i = 0; i < n; i++) {
        const v = beta1 * s1[i] - lr * grad[i];
        s1[i] = v;
        param[i] += v;
      }
      return;
    case Opt.momentumEma:
      for (let i = 0; i < n; i++) {
        const v = beta1 * s1[i] + (1 - beta1) * grad[i];
        s1[i] = v;
        param[i] -= lr * v;
      }
      return;
    case Opt.nesterov:
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const v = beta1 * s1[i] - lr * g;
        s1[i] = v;
        param[i] += beta1 * v - lr * g;
      }
      return;
    case Opt.adagrad:
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const r = s1[i] + g * g;
        s1[i] = r;
        param[i] -= lr * g / (eps + Math.sqrt(r));
      }
      return;
    case Opt.rmsprop:
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const r = beta2 * s1[i] + (1 - beta2) * g * g;
        s1[i] = r;
        param[i] -= lr * g / (eps + Math.sqrt(r));
      }
      return;
    case Opt.adam:
    case Opt.adamw: {
      const t = h[OptHyper.step];
      const c1 = 1 / (1 - Math.pow(beta1, t));
      const c2 = 1 / (1 - Math.pow(beta2, t));
      const decay = kind === Opt.adamw ? 1 - lr * h[OptHyper.weightDecay] : 1;
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const mo = beta1 * s1[i] + (1 - beta1) * g;
        const ve = beta2 * s2[i] + (1 - beta2) * g * g;
        s1[i] = mo;
        s2[i] = ve;
        // adamw's θ −= lr·wd·θ is θ·(1 − lr·wd), applied before the Adam step.
        param[i] = param[i] * decay - lr * (mo * c1) / (Math.sqrt(ve * c2) + eps);
      }
      return;
    }
    default:
      throw new RangeError(`optimizerStep: expected kind to be an optimizer code (0–7), received ${String(kind)}`);
  }
}
