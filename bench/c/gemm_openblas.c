/*
 * Times cblas_sgemm called straight from C: the ceiling the addon's gemm is measured against.
 *
 *   build/bench/gemm_openblas [--reps N] [--warmup N] [--trans-a] [--trans-b] m n k [m n k ...]
 *
 * C[m×n] = A[m×k]·B[k×n] (row-major, alpha = 1, beta = 0). For each size, after the warm-up calls,
 * prints one JSON line with the median (and best) time of N calls and the GFLOP/s (2·m·n·k flops per
 * call) of the median. Threads: OpenBLAS's default, or OPENBLAS_NUM_THREADS.
 */
#define _POSIX_C_SOURCE 199309L
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static float* random_matrix(size_t count, unsigned* state) {
  float* p = malloc(count * sizeof(float));
  if (p == NULL) {
    fprintf(stderr, "gemm_openblas: out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < count; i++) {
    *state = *state * 1664525u + 1013904223u; /* LCG: the values only need to be ordinary floats */
    p[i] = (float)(*state >> 8) / 16777216.0f - 0.5f;
  }
  return p;
}

static int parse_size(const char* text) {
  char* end = NULL;
  const long v = strtol(text, &end, 10);
  if (*end != '\0' || v <= 0 || v > 1 << 20) {
    fprintf(stderr, "gemm_openblas: expected a positive size, received \"%s\"\n", text);
    exit(2);
  }
  return (int)v;
}

int main(int argc, char** argv) {
  int reps = 50, warmup = 5, transA = 0, transB = 0;
  int sizes[3 * 64], count = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = parse_size(argv[++i]);
    else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) warmup = atoi(argv[++i]);
    else if (strcmp(argv[i], "--trans-a") == 0) transA = 1;
    else if (strcmp(argv[i], "--trans-b") == 0) transB = 1;
    else if (count < 3 * 64) sizes[count++] = parse_size(argv[i]);
  }
  if (count == 0 || count % 3 != 0) {
    fprintf(stderr, "usage: gemm_openblas [--reps N] [--warmup N] [--trans-a] [--trans-b] m n k [m n k ...]\n");
    return 2;
  }
  unsigned state = 42;
  double* times = malloc((size_t)reps * sizeof(double));
  for (int s = 0; s < count; s += 3) {
    const int m = sizes[s], n = sizes[s + 1], k = sizes[s + 2];
    float* A = random_matrix((size_t)m * k, &state);
    float* B = random_matrix((size_t)k * n, &state);
    float* C = random_matrix((size_t)m * n, &state);
    const int lda = transA ? m : k, ldb = transB ? k : n;
    const enum CBLAS_TRANSPOSE ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
    for (int r = 0; r < warmup; r++) cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, A, lda, B, ldb, 0.0f, C, n);
    for (int r = 0; r < reps; r++) {
      const double t0 = now_seconds();
      cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, A, lda, B, ldb, 0.0f, C, n);
      times[r] = now_seconds() - t0;
    }
    qsort(times, (size_t)reps, sizeof(double), compare_doubles);
    const double median = reps % 2 ? times[reps / 2] : 0.5 * (times[reps / 2 - 1] + times[reps / 2]);
    const double flops = 2.0 * m * n * k;
    printf("{\"m\":%d,\"n\":%d,\"k\":%d,\"transA\":%s,\"transB\":%s,\"threads\":%d,\"reps\":%d,"
           "\"median_us\":%.3f,\"best_us\":%.3f,\"gflops\":%.2f}\n",
           m, n, k, transA ? "true" : "false", transB ? "true" : "false", openblas_get_num_threads(), reps,
           median * 1e6, times[0] * 1e6, flops / median * 1e-9);
    fflush(stdout);
    free(A);
    free(B);
    free(C);
  }
  free(times);
  return 0;
}
