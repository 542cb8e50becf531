/*
 * Should inference run row-parallel? Times a 784-256-128-10 ReLU forward pass of one batch two ways:
 *   layer-parallel: one threaded cblas_sgemm per layer (OpenBLAS at T threads), bias and ReLU inline
 *                   (what blasnet's predict does today);
 *   row-parallel:   T threads, each taking its slice of rows through every layer, OpenBLAS at 1 thread.
 *
 *   build/bench/row_parallel [threads T (default 2)] [batch M (default 1000)] [blocks (default 21)]
 *
 * The two alternate in blocks of 16 passes (the first 4 of each block are warm-up, so OpenBLAS's
 * threads are awake for the layer-parallel passes); prints the median over blocks of each block's
 * median pass. Build: bench/c/build.sh.
 */
#define _POSIX_C_SOURCE 199309L
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void openblas_set_num_threads(int);

enum { LAYERS = 3, MAX_THREADS = 64, PASSES = 16, WARMUP = 4 };
static const int width[LAYERS + 1] = {784, 256, 128, 10};
static float* weight[LAYERS];
static float* bias[LAYERS];

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* y[m×out] = relu(x·Wᵀ + b) (no ReLU on the last layer) */
static void dense_forward(float* y, const float* x, int m, int l) {
  const int in = width[l], out = width[l + 1];
  for (int r = 0; r < m; r++)
    for (int j = 0; j < out; j++) y[r * out + j] = bias[l][j];
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, out, in, 1.f, x, in, weight[l], in, 1.f, y, out);
  if (l < LAYERS - 1)
    for (int i = 0; i < m * out; i++) y[i] = y[i] > 0.f ? y[i] : 0.f;
}

typedef struct {
  const float* x;
  float* act[LAYERS];
  int m;
} Slice;

static void* slice_forward(void* p) {
  const Slice* s = p;
  const float* x = s->x;
  for (int l = 0; l < LAYERS; l++) {
    dense_forward(s->act[l], x, s->m, l);
    x = s->act[l];
  }
  return NULL;
}

static void pass(int row_parallel, int threads, const float* x, float* act[LAYERS], int m) {
  if (!row_parallel) {
    Slice all = {x, {act[0], act[1], act[2]}, m};
    slice_forward(&all);
    return;
  }
  pthread_t tid[MAX_THREADS];
  Slice slice[MAX_THREADS];
  const int per = (m + threads - 1) / threads;
  for (int t = 0; t < threads; t++) {
    const int r0 = t * per < m ? t * per : m, r1 = r0 + per < m ? r0 + per : m;
    slice[t].x = x + (size_t)r0 * width[0];
    for (int l = 0; l < LAYERS; l++) slice[t].act[l] = act[l] + (size_t)r0 * width[l + 1];
    slice[t].m = r1 - r0;
    if (t > 0) pthread_create(&tid[t], NULL, slice_forward, &slice[t]);
  }
  slice_forward(&slice[0]);
  for (int t = 1; t < threads; t++) pthread_join(tid[t], NULL);
}

static int by_value(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  const int threads = argc > 1 ? atoi(argv[1]) : 2;
  const int m = argc > 2 ? atoi(argv[2]) : 1000;
  const int blocks = argc > 3 ? atoi(argv[3]) : 21;
  if (threads < 1 || threads > MAX_THREADS || m < threads || blocks < 1 || blocks > 1000) {
    fprintf(stderr, "usage: row_parallel [threads 1..%d] [batch ≥ threads] [blocks 1..1000]\n", MAX_THREADS);
    return 2;
  }
  srand(1);
  for (int l = 0; l < LAYERS; l++) {
    weight[l] = malloc(sizeof(float) * width[l] * width[l + 1]);
    bias[l] = malloc(sizeof(float) * width[l + 1]);
    for (int i = 0; i < width[l] * width[l + 1]; i++) weight[l][i] = ((float)rand() / RAND_MAX - 0.5f) * 0.1f;
    for (int i = 0; i < width[l + 1]; i++) bias[l][i] = 0.01f;
  }
  float* x = malloc(sizeof(float) * m * width[0]);
  for (int i = 0; i < m * width[0]; i++) x[i] = (float)rand() / RAND_MAX;
  float* act[LAYERS];
  for (int l = 0; l < LAYERS; l++) act[l] = malloc(sizeof(float) * m * width[l + 1]);

  double* medians[2] = {malloc(sizeof(double) * blocks), malloc(sizeof(double) * blocks)};
  for (int b = 0; b < blocks; b++) {
    for (int mode = 0; mode < 2; mode++) {
      openblas_set_num_threads(mode ? 1 : threads);
      double seconds[PASSES];
      for (int p = 0; p < PASSES; p++) {
        const double t0 = now_seconds();
        pass(mode, threads, x, act, m);
        seconds[p] = now_seconds() - t0;
      }
      qsort(seconds + WARMUP, PASSES - WARMUP, sizeof(double), by_value);
      medians[mode][b] = seconds[WARMUP + (PASSES - WARMUP) / 2];
    }
  }
  for (int mode = 0; mode < 2; mode++) {
    qsort(medians[mode], blocks, sizeof(double), by_value);
    const double s = medians[mode][blocks / 2];
    printf("{\"mode\":\"%s\",\"threads\":%d,\"batch\":%d,\"medianMs\":%.3f,\"samplesPerSec\":%.0f}\n",
           mode ? "row-parallel" : "layer-parallel", threads, m, s * 1e3, m / s);
  }
  return 0;
}
