#include "pool.h"

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace blasnet {

namespace {

// Below about a million cheap elements, waking a worker costs more than it saves (see pool.h).
constexpr size_t kDefaultParallelMin = 1u << 20;

class Pool {
 public:
  int threads() const { return threads_.load(std::memory_order_relaxed); }

  // Throws std::system_error if a thread cannot be started; the pool then keeps the workers it
  // has and reports that many threads.
  void resize(int n) {
    std::lock_guard<std::mutex> own(owner_);  // waits for a running parallel call to finish
    stop_workers();
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lk(mu_);
      stopping_ = false;
      generation = generation_;
    }
    // A worker starts from the current generation, so however late its thread gets going it
    // neither replays an old call nor misses the next one.
    workers_.reserve(static_cast<size_t>(n - 1));
    try {
      for (int w = 1; w < n; w++) {
        workers_.emplace_back([this, w, generation] { work(static_cast<size_t>(w), generation); });
      }
    } catch (...) {
      threads_.store(static_cast<int>(workers_.size()) + 1, std::memory_order_relaxed);
      throw;
    }
    threads_.store(n, std::memory_order_relaxed);
  }

  void run(ChunkFn fn, void* ctx, size_t chunks) {
    std::unique_lock<std::mutex> own(owner_, std::try_to_lock);
    if (!own.owns_lock() || workers_.empty()) {
      for (size_t c = 0; c < chunks; c++) fn(ctx, c, chunks);
      return;
    }
    const size_t stride = workers_.size() + 1;
    {
      std::lock_guard<std::mutex> lk(mu_);
      stride_ = stride;
      fn_ = fn;
      ctx_ = ctx;
      chunks_ = chunks;
      remaining_ = std::min(workers_.size(), chunks - 1);
      generation_++;
    }
    wake_.notify_all();
    for (size_t c = 0; c < chunks; c += stride) fn(ctx, c, chunks);
    std::unique_lock<std::mutex> lk(mu_);
    done_.wait(lk, [this] { return remaining_ == 0; });
  }

 private:
  // Worker w runs chunks w, w + stride, … of each call it is woken for.
  void work(size_t w, uint64_t seen) {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      wake_.wait(lk, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      const ChunkFn fn = fn_;
      void* const ctx = ctx_;
      const size_t chunks = chunks_;
      const size_t stride = stride_;
      if (w >= chunks) continue;
      lk.unlock();
      for (size_t c = w; c < chunks; c += stride) fn(ctx, c, chunks);
      lk.lock();
      if (--remaining_ == 0) done_.notify_one();
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  std::mutex owner_;  // held by the thread driving a parallel call, or resizing
  std::mutex mu_;     // guards the fields below
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  uint64_t generation_ = 0;
  size_t remaining_ = 0;
  ChunkFn fn_ = nullptr;
  void* ctx_ = nullptr;
  size_t chunks_ = 0;
  size_t stride_ = 1;
  bool stopping_ = false;
  std::atomic<int> threads_{1};
};

// Never destroyed: its sleeping workers simply end with the process, so exit never waits on them
// or races a static destructor.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

size_t read_parallel_min() {
  const char* env = std::getenv("BLASNET_PARALLEL_MIN");
  if (env == nullptr || *env == '\0') return kDefaultParallelMin;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(env, &end, 10);
  return *end == '\0' ? static_cast<size_t>(v) : kDefaultParallelMin;
}

const size_t g_parallel_min = read_parallel_min();

}  // namespace

int pool_threads() { return pool().threads(); }
void pool_set_threads(int n) { pool().resize(n < 1 ? 1 : n); }
size_t parallel_min() { return g_parallel_min; }
void pool_run(ChunkFn fn, void* ctx, size_t chunks) { pool().run(fn, ctx, chunks); }

}  // namespace blasnet
