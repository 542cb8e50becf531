// blasnet's public surface. Everything a user imports comes from here (CommonJS and ESM alike).
export { Tensor, type Shape } from './tensor';
export { Random } from './random';
export { allocationCount } from './alloc';
export { backend, useBackend, threads, nativeStatus, nativeInfo } from './backend/index';
export type { BackendName } from './backend/types';
export { ops } from './ops';
