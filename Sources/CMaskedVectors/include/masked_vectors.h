// Loads and stores of the first `count` of 16 floats, for the GEMM's edge tiles: with AVX-512 each
// is one masked instruction, which reads and writes nothing past `count` (masked-off lanes do not
// fault), so a panel of B narrower than the kernel is read where it lies and an edge tile of C is
// written from its registers. Without AVX-512 they are loops, and `gb_masked_vectors_are_native`
// tells the kernel to keep its packed and spilled paths instead.
#ifndef GRADBOOK_MASKED_VECTORS_H
#define GRADBOOK_MASKED_VECTORS_H

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

/// Swift's SIMD16<Float>.
typedef float gb_float16 __attribute__((ext_vector_type(16)));

/// 1 when the masked forms below are single instructions, 0 when they are loops.
static inline int gb_masked_vectors_are_native(void) {
#if defined(__AVX512F__)
    return 1;
#else
    return 0;
#endif
}

/// Asks for the cache line holding `p`, into every level of the cache (a hint: never faults).
static inline void gb_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// A spin-wait hint (x86's `pause`): a thread polling for work yields the core's resources to
/// the other thread of the core meanwhile, and leaves the loop without a pipeline flush.
static inline void gb_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// The first `count` floats at `p` (0 ≤ count ≤ 16), the other lanes zero; nothing after them is read.
static inline gb_float16 gb_load_first(const float *p, int count) {
#if defined(__AVX512F__)
    return (gb_float16)_mm512_maskz_loadu_ps((__mmask16)((1u << count) - 1u), p);
#else
    gb_float16 v = 0;
    for (int i = 0; i < count; i++) v[i] = p[i];
    return v;
#endif
}

/// Lanes 0..<count of `v` written at `p` (0 ≤ count ≤ 16); nothing after them is touched.
static inline void gb_store_first(float *p, gb_float16 v, int count) {
#if defined(__AVX512F__)
    _mm512_mask_storeu_ps(p, (__mmask16)((1u << count) - 1u), (__m512)v);
#else
    for (int i = 0; i < count; i++) p[i] = v[i];
#endif
}

#endif
