// Vector-width dispatch for the hot elementwise loops. The addon is built for a portable baseline
// (x86-64-v2, so a prebuild runs on any x86-64 from the last fifteen years); loops marked
// BLASNET_CLONES are also compiled for AVX2 and AVX-512 and the best copy is picked once, at load time, by the
// dynamic linker (GNU ifunc). Builds are compiled with -ffp-contract=off, so every copy rounds
// identically and results do not depend on the machine.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(BLASNET_NO_CLONES)
#define BLASNET_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define BLASNET_CLONES
#endif
