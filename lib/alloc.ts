// Every typed array the library creates goes through here, so a test can prove that a training step
// allocates nothing after warm-up (the counter only moves when memory is really requested).

let allocations = 0;

export function allocFloat32(length: number): Float32Array {
  allocations++;
  return new Float32Array(length);
}

export function allocInt32(length: number): Int32Array {
  allocations++;
  return new Int32Array(length);
}

/** How many typed arrays the library has allocated since the process started. */
export function allocationCount(): number {
  return allocations;
}
