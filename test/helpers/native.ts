// The native backend for tests that need it, and the rule for when it is missing: such tests are
// skipped, except in CI (CI set) or with BLASNET_REQUIRE_NATIVE=1, where a missing addon must fail
// the run: CI exists to prove the native build.
import { describe, it } from 'vitest';
import { backendByName, nativeStatus } from '../../lib/backend/index';
import type { Backend } from '../../lib/backend/types';

export const nativeBackend: Backend | undefined = backendByName('native');

const ci = process.env.CI;
export const nativeRequired = (ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false') ||
  process.env.BLASNET_REQUIRE_NATIVE === '1';

/**
 * describe() for a suite that needs the native addon: runs it when the addon loaded; otherwise skips
 * it, or, when the addon is required, registers one failing test that says why it did not load.
 */
export function describeNative(name: string, body: (native: Backend) => void): void {
  if (nativeBackend !== undefined) {
    describe(name, () => body(nativeBackend));
  } else if (nativeRequired) {
    describe(name, () => {
      it('needs the native addon', () => {
        throw new Error(`the native addon did not load (${nativeStatus().reason}); ` +
          'CI and BLASNET_REQUIRE_NATIVE=1 require it: build it with `npm run build:native`');
      });
    });
  } else {
    describe.skip(`${name} (native addon not built)`, () => {
      it('needs the native addon', () => undefined);
    });
  }
}
