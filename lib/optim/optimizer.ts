import { allocFloat32 } from '../alloc';
import { getBackend } from '../backend/index';
import { Opt, OptHyper, type OptCode, type OptName } from '../backend/types';
import type { Param } from '../layers/layer';
import { checkFloat32Array, checkInt, checkNumber, fail } from '../validate';

/** Every hyper-parameter an optimizer may use; each kind reads only its own (see optimizers.ts). */
export interface OptimizerSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** An optimizer's name and its settings under its factory's option names. */
export interface OptimizerConfig {
  name: OptName;
  [setting: string]: number | string;
}

const usesS1 = (kind: OptCode): boolean => kind !== Opt.sgd;
const usesS2 = (kind: OptCode): boolean => kind === Opt.adam || kind === Opt.adamw;
const empty = allocFloat32(0);

/**
 * A first-order optimizer: one fused backend call per parameter buffer per step. Its state (velocity,
 * moment estimates) is allocated when it first meets a parameter list and reused afterwards; the
 * hyper-parameters live in one Float64Array updated in place, so a step allocates nothing.
 */
export class Optimizer {
  readonly name: OptName;
  /** The learning rate the optimizer was created with (schedules start from it). */
  readonly initialLr: number;
  private readonly kind: OptCode;
  private readonly settings: Readonly<OptimizerSettings>;
  private readonly options: Readonly<Record<string, number>>;
  private readonly hyper = new Float64Array(OptHyper.length);
  private bound: Float32Array[] = [];
  private s1: Float32Array[] = [];
  private s2: Float32Array[] = [];
  private t = 0;

  /** Use the factories (sgd, adam, …) or optimizer(); they validate the settings. */
  constructor(name: OptName, settings: OptimizerSettings, options: Record<string, number>) {
    this.name = name;
    this.kind = Opt[name];
    this.settings = Object.freeze({ ...settings });
    this.options = Object.freeze({ ...options });
    this.initialLr = settings.lr;
    this.hyper[OptHyper.lr] = settings.lr;
    this.hyper[OptHyper.beta1] = settings.beta1;
    this.hyper[OptHyper.beta2] = settings.beta2;
    this.hyper[OptHyper.eps] = settings.eps;
  }

  /** The current learning rate (a schedule or a callback may change it between steps). */
  get lr(): number {
    return this.hyper[OptHyper.lr];
  }

  /** Sets the learning rate (a number ≥ 0). */
  set lr(value: number) {
    checkNumber(`${this.name}.lr`, 'lr', value);
    if (value < 0) fail(`${this.name}.lr`, 'lr', 'a number ≥ 0', String(value));
    this.hyper[OptHyper.lr] = value;
  }

  /** Steps taken since creation or the last reset (Adam's t). */
  get iterations(): number {
    return this.t;
  }

  /**
   * Updates every parameter from its gradient. Meeting a different parameter list (another model)
   * resets the state. Gradients must be finite: the fit loop checks the loss before calling this.
   */
  step(params: readonly Param[]): void {
    if (!this.isBoundTo(params)) this.bind(`${this.name}.step`, params);
    const backend = getBackend();
    const h = this.hyper;
    const wd = this.settings.weightDecay;
    h[OptHyper.step] = ++this.t;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      // Decoupled weight decay follows the same rule as the L1/L2 penalties: biases and norm
      // parameters are not decayed.
      h[OptHyper.weightDecay] = p.decay ? wd : 0;
      backend.optimizerStep(this.kind, p.value, p.grad, this.s1[i], this.s2[i], p.value.length, h);
    }
  }

  /** The state for saving: the step count and, per parameter, the state buffers this kind uses
   *  (none for sgd, one for momentum-like kinds, two for adam/adamw). Undefined before the first
   *  step or when bound to other parameters. */
  exportState(params: readonly Param[]): { step: number; buffers: Float32Array[][] } | undefined {
    if (this.t === 0 || !this.isBoundTo(params)) return undefined;
    return {
      step: this.t,
      buffers: params.map((_, i) => [this.s1[i], this.s2[i]].filter((b) => b.length > 0)),
    };
  }

  /** Restores state saved by exportState for the same parameter list, so training resumes exactly.
   *  Everything is checked before the optimizer changes. */
  importState(params: readonly Param[], state: { step: number; buffers: readonly (readonly Float32Array[])[] }): void {
    const fn = `${this.name}.importState`;
    checkParams(fn, params);
    if (typeof state !== 'object' || state === null) fail(fn, 'state', 'an object { step, buffers }', state, 'type');
    const step = checkInt(fn, 'state.step', state.step, 1);
    const buffers: unknown = state.buffers;
    if (!Array.isArray(buffers)) fail(fn, 'state.buffers', 'an array (one entry per parameter)', buffers, 'type');
    const perParam = (usesS1(this.kind) ? 1 : 0) + (usesS2(this.kind) ? 1 : 0);
    if (buffers.length !== params.length) fail(fn, 'state.buffers', `${params.length} entries (one per parameter)`, `${buffers.length}`);
    buffers.forEach((bufs: unknown, i) => {
      if (!Array.isArray(bufs)) fail(fn, `state.buffers[${i}]`, `an array of ${perParam} Float32Arrays`, bufs, 'type');
      if (bufs.length !== perParam) fail(fn, `state.buffers[${i}]`, `${perParam} buffers for ${this.name}`, `${bufs.length}`);
      const length = params[i].value.length;
      bufs.forEach((b: unknown, j) => {
        const got = checkFloat32Array(fn, `state.buffers[${i}][${j}]`, b).length;
        if (got !== length) fail(fn, `state.buffers[${i}][${j}]`, `length ${length}`, `length ${got}`);
      });
    });
    this.bind(fn, params);
    state.buffers.forEach((bufs, i) => bufs.forEach((b, j) => (j === 0 ? this.s1[i] : this.s2[i]).set(b)));
    this.t = step;
  }

  /** Forgets the state (velocities, moments, step count); the next step starts afresh. */
  reset(): void {
    this.bound = [];
    this.s1 = [];
    this.s2 = [];
    this.t = 0;
  }

  /** Its settings under the names its factory takes, with the current learning rate:
   *  optimizer(opt.config()) builds an equivalent fresh optimizer. */
  config(): OptimizerConfig {
    return { ...this.options, lr: this.lr, name: this.name };
  }

  /** The optimizer's name and learning rate, e.g. adam(lr=0.001). */
  toString(): string {
    return `${this.name}(lr=${this.lr})`;
  }

  // Anything but the list met last time (including a malformed one) goes through bind, which checks it.
  private isBoundTo(params: readonly Param[]): boolean {
    if (!Array.isArray(params) || params.length !== this.bound.length) return false;
    for (let i = 0; i < params.length; i++) if (params[i]?.value !== this.bound[i]) return false;
    return true;
  }

  private bind(fn: string, params: readonly Param[]): void {
    checkParams(fn, params);
    this.bound = params.map((p) => p.value);
    this.s1 = params.map((p) => (usesS1(this.kind) ? allocFloat32(p.value.length) : empty));
    this.s2 = params.map((p) => (usesS2(this.kind) ? allocFloat32(p.value.length) : empty));
    this.t = 0;
  }
}

/** params: an array of { value, grad } Float32Arrays of equal length. Runs once per parameter list. */
function checkParams(fn: string, params: unknown): asserts params is readonly Param[] {
  if (!Array.isArray(params)) fail(fn, 'params', 'an array of parameters { value, grad }', params, 'type');
  params.forEach((p: unknown, i) => {
    if (typeof p !== 'object' || p === null) fail(fn, `params[${i}]`, 'a parameter { value, grad }', p, 'type');
    const value = checkFloat32Array(fn, `params[${i}].value`, (p as { value?: unknown }).value);
    const grad = checkFloat32Array(fn, `params[${i}].grad`, (p as { grad?: unknown }).grad);
    if (grad.length !== value.length) fail(fn, `params[${i}].grad`, `length ${value.length} (as its value)`, `length ${grad.length}`);
  });
}
