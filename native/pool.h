// A persistent thread pool for the elementwise kernels. Workers are created once (and again only
// when the thread count changes) and sleep on a condition variable between calls: they never
// spin, because after a threaded sgemm OpenBLAS's own threads keep spinning for a while, and on a
// small machine a spinning pool would fight them for the cores.
//
// Waking a sleeping worker costs tens of microseconds, and right after a threaded sgemm the
// second core is still busy with OpenBLAS's spinning thread, so a kernel is split only when its
// work (elements × a rough per-element cost, see addon.cc) reaches parallel_min(); below that it
// runs inline on the calling thread. Measured on the 2-core machine, timing each kernel right after
// a 128×256×784 sgemm: splitting loses below ~250k elements, breaks even around 500k and wins
// clearly from 1M (axpy 1M: 390 → 230 µs; sigmoid 1M: 3.4 → 1.9 ms), hence a default of 2²⁰.
// BLASNET_PARALLEL_MIN in the environment overrides it at load time (0 splits everything).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>

namespace blasnet {

// Threads used for elementwise work, the calling thread included (≥ 1).
int pool_threads();
// Sets that count (n ≥ 1), starting or stopping workers as needed.
void pool_set_threads(int n);
// Work below which kernels run inline.
size_t parallel_min();

using ChunkFn = void (*)(void* ctx, size_t chunk, size_t chunks);
// Runs fn(ctx, c, chunks) for every c in [0, chunks): chunk 0 on the calling thread, the others on
// workers, and returns when all are done. If another thread (a Node worker thread using the addon
// too) is already running a parallel call, every chunk runs inline instead.
void pool_run(ChunkFn fn, void* ctx, size_t chunks);

// Splits [0, n) into one contiguous range per thread, boundaries rounded to multiples of `align`
// (16 floats = one cache line, so no two threads write the same line), and calls f(begin, end)
// on each; inline when work < parallel_min().
// Where chunk c of `chunks` starts when [0, n) is split on multiples of align (chunk_begin(…, chunks, …) = n).
inline size_t chunk_begin(size_t n, size_t align, size_t c, size_t chunks) {
  const size_t units = (n + align - 1) / align;
  return std::min(n, units * c / chunks * align);
}

template <class F>
void parallel_for(size_t n, double work, size_t align, F&& f) {
  const size_t threads = static_cast<size_t>(pool_threads());
  if (threads <= 1 || work < static_cast<double>(parallel_min()) || n < 2 * align) {
    f(size_t{0}, n);
    return;
  }
  struct Ctx {
    F* f;
    size_t n, align;
  } ctx{&f, n, align};
  pool_run(
      [](void* p, size_t c, size_t chunks) {
        const Ctx& k = *static_cast<Ctx*>(p);
        const size_t b = chunk_begin(k.n, k.align, c, chunks), e = chunk_begin(k.n, k.align, c + 1, chunks);
        if (b < e) (*k.f)(b, e);
      },
      &ctx, threads);
}

// parallel_for for a reduction: f(begin, end) returns a partial sum. Above parallel_min() the range
// is always cut into kSumChunks pieces whose partials are added in range order, on however many
// threads there are (inline at one): the result depends on n alone, so a threads(n) set elsewhere in
// the process (the count is process-wide, shared with every worker thread) cannot change it.
template <class F>
double parallel_sum(size_t n, double work, size_t align, F&& f) {
  constexpr size_t kSumChunks = 64;
  if (work < static_cast<double>(parallel_min()) || n < 2 * align) return f(size_t{0}, n);
  double partial[kSumChunks] = {};
  struct Ctx {
    F* f;
    size_t n, align;
    double* partial;
  } ctx{&f, n, align, partial};
  pool_run(
      [](void* p, size_t c, size_t chunks) {
        const Ctx& k = *static_cast<Ctx*>(p);
        const size_t b = chunk_begin(k.n, k.align, c, chunks), e = chunk_begin(k.n, k.align, c + 1, chunks);
        if (b < e) k.partial[c] = (*k.f)(b, e);
      },
      &ctx, kSumChunks);
  double sum = 0.0;
  for (size_t c = 0; c < kSumChunks; c++) sum += partial[c];
  return sum;
}

}  // namespace blasnet
