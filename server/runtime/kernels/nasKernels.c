// Training kernels for the TensorFlow.js wasm backend, compiled to WebAssembly SIMD (see build.mjs).
//
// The module imports tfjs-backend-wasm's own linear memory, so every pointer below is a tensor's
// memoryOffset in that heap (zero copies). It therefore must never touch linear memory it was not
// handed: no static data, no C stack (no local arrays or address-taken locals) - build.mjs checks
// the output for both. Scratch space comes from the caller (tfjs' malloc).
//
// Layouts are TensorFlow's: activations NHWC, conv filters [KH, KW, Cin, Cout], depthwise filters
// [KH, KW, C, 1]. All float32.
#include <wasm_simd128.h>

typedef v128_t f4;

#ifdef NAS_FMA
#define MADD(a, b, c) wasm_f32x4_relaxed_madd(a, b, c)
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c)
#endif
#define EXPORT(name) __attribute__((export_name(#name)))
#define LD(p) wasm_v128_load(p)
#define ST(p, v) wasm_v128_store(p, v)
#define SPLAT(x) wasm_f32x4_splat(x)
#define ZERO wasm_f32x4_const_splat(0.f)
// 16-channel blocks of the depthwise kernels: accumulators a0..a3 += p[0..16) * q[0..16).
#define ZERO16 f4 a0 = ZERO, a1 = ZERO, a2 = ZERO, a3 = ZERO
#define MADD16(p, q)                          \
  do {                                        \
    a0 = MADD(LD(p), LD(q), a0);              \
    a1 = MADD(LD((p) + 4), LD((q) + 4), a1);  \
    a2 = MADD(LD((p) + 8), LD((q) + 8), a2);  \
    a3 = MADD(LD((p) + 12), LD((q) + 12), a3); \
  } while (0)
#define STORE16(p)      \
  do {                  \
    ST(p, a0);          \
    ST((p) + 4, a1);    \
    ST((p) + 8, a2);    \
    ST((p) + 12, a3);   \
  } while (0)

static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int imax(int a, int b) { return a > b ? a : b; }
static inline int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
static inline int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// ---------------------------------------------------------------------------------------------
// GEMM. The micro-kernel computes an MR x NR tile of C from a row-major A (MR row pointers) and a
// B panel packed as [K][NR]. Partial tiles clamp A row pointers (rows are computed, not stored)
// and B panels are zero-padded, so the inner loop never branches.
#define MR 4
#define NR 8

static inline void store_row(float* c, f4 v0, f4 v1, int nr, int accumulate) {
  if (accumulate) {
    if (nr == NR) {
      ST(c, wasm_f32x4_add(LD(c), v0));
      ST(c + 4, wasm_f32x4_add(LD(c + 4), v1));
      return;
    }
  } else if (nr == NR) {
    ST(c, v0);
    ST(c + 4, v1);
    return;
  }
  for (int j = 0; j < nr; j++) {
    float x;
    switch (j) {
      case 0: x = wasm_f32x4_extract_lane(v0, 0); break;
      case 1: x = wasm_f32x4_extract_lane(v0, 1); break;
      case 2: x = wasm_f32x4_extract_lane(v0, 2); break;
      case 3: x = wasm_f32x4_extract_lane(v0, 3); break;
      case 4: x = wasm_f32x4_extract_lane(v1, 0); break;
      case 5: x = wasm_f32x4_extract_lane(v1, 1); break;
      case 6: x = wasm_f32x4_extract_lane(v1, 2); break;
      default: x = wasm_f32x4_extract_lane(v1, 3); break;
    }
    c[j] = accumulate ? c[j] + x : x;
  }
}

// C[m0.., n0..] (+)= A rows (a0..a3, element k at a_i[k * ka]) x packed panel bp ([K][NR]).
static inline void micro_kernel(int K, const float* a0, const float* a1, const float* a2, const float* a3, int ka,
                                const float* bp, float* c, int ldc, int mr, int nr, int accumulate) {
  f4 c00 = ZERO, c01 = ZERO, c10 = ZERO, c11 = ZERO, c20 = ZERO, c21 = ZERO, c30 = ZERO, c31 = ZERO;
  for (int k = 0; k < K; k++) {
    f4 b0 = LD(bp), b1 = LD(bp + 4);
    bp += NR;
    f4 a = wasm_v128_load32_splat(a0);
    c00 = MADD(a, b0, c00);
    c01 = MADD(a, b1, c01);
    a = wasm_v128_load32_splat(a1);
    c10 = MADD(a, b0, c10);
    c11 = MADD(a, b1, c11);
    a = wasm_v128_load32_splat(a2);
    c20 = MADD(a, b0, c20);
    c21 = MADD(a, b1, c21);
    a = wasm_v128_load32_splat(a3);
    c30 = MADD(a, b0, c30);
    c31 = MADD(a, b1, c31);
    a0 += ka;
    a1 += ka;
    a2 += ka;
    a3 += ka;
  }
  store_row(c, c00, c01, nr, accumulate);
  if (mr > 1) store_row(c + ldc, c10, c11, nr, accumulate);
  if (mr > 2) store_row(c + 2 * ldc, c20, c21, nr, accumulate);
  if (mr > 3) store_row(c + 3 * ldc, c30, c31, nr, accumulate);
}

// Packs B (K x N; element (k, n) at B[k * rs + n * cs]) into ceil(N / NR) panels of [K][NR].
EXPORT(nas_pack_b)
void nas_pack_b(const float* B, int rs, int cs, int K, int N, float* out) {
  for (int n0 = 0; n0 < N; n0 += NR) {
    int nn = imin(NR, N - n0);
    const float* b = B + n0 * cs;
    if (nn == NR && cs == 1) {
      for (int k = 0; k < K; k++) {
        ST(out, LD(b + k * rs));
        ST(out + 4, LD(b + k * rs + 4));
        out += NR;
      }
    } else {
      for (int k = 0; k < K; k++) {
        for (int j = 0; j < NR; j++) out[j] = j < nn ? b[k * rs + j * cs] : 0.f;
        out += NR;
      }
    }
  }
}

// Rows [mb, me) of C (+)= A x B, B packed by nas_pack_b.
static void gemm_rows(int mb, int me, int M, int N, int K, const float* A, int lda, const float* Bp, float* C, int ldc,
                      int accumulate) {
  for (int n0 = 0; n0 < N; n0 += NR) {
    const float* bp = Bp + (n0 / NR) * K * NR;
    int nr = imin(NR, N - n0);
    for (int m0 = mb; m0 < me; m0 += MR) {
      int mr = imin(MR, M - m0);
      const float* a0 = A + m0 * lda;
      micro_kernel(K, a0, a0 + imin(1, mr - 1) * lda, a0 + imin(2, mr - 1) * lda, a0 + imin(3, mr - 1) * lda, 1, bp,
                   C + m0 * ldc + n0, ldc, mr, nr, accumulate);
    }
  }
}

// Row blocks of A small enough to stay in L2 while every B panel sweeps over them.
static inline int gemm_row_block(int K) { return imax(MR, (65536 / imax(K, 1)) / MR * MR); }

// C[M x N] (+)= A[M x K] (row-major, row stride lda) x B, B packed by nas_pack_b.
EXPORT(nas_gemm)
void nas_gemm(int M, int N, int K, const float* A, int lda, const float* Bp, float* C, int ldc, int accumulate) {
  int mc = gemm_row_block(K);
  for (int mb = 0; mb < M; mb += mc) gemm_rows(mb, imin(M, mb + mc), M, N, K, A, lda, Bp, C, ldc, accumulate);
}

// The inference epilogue of a convolution whose batch norm is folded into its weights:
// Y = act(Y + bias [+ R]) over P rows of C channels (R: a residual with the same layout, or 0).
static void bias_act_rows(float* Y, int P, int C, int ldy, const float* bias, const float* R, int ldr, int relu) {
  f4 zero = ZERO;
  for (int p = 0; p < P; p++) {
    float* y = Y + p * ldy;
    const float* r = R ? R + p * ldr : 0;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      f4 v = wasm_f32x4_add(LD(y + c), LD(bias + c));
      if (r) v = wasm_f32x4_add(v, LD(r + c));
      if (relu) v = wasm_f32x4_max(v, zero);
      ST(y + c, v);
    }
    for (; c < C; c++) {
      float v = y[c] + bias[c] + (r ? r[c] : 0.f);
      y[c] = relu && v < 0.f ? 0.f : v;
    }
  }
}

EXPORT(nas_bias_act)
void nas_bias_act(float* Y, int P, int C, const float* bias, const float* R, int relu) { bias_act_rows(Y, P, C, C, bias, R, C, relu); }

// C = act(A x B + bias [+ R]): a 1x1 convolution with its batch norm folded in, the epilogue
// applied to each row block while it is still in cache.
EXPORT(nas_gemm_bias_act)
void nas_gemm_bias_act(int M, int N, int K, const float* A, const float* Bp, float* C, const float* bias, const float* R,
                       int relu) {
  int mc = gemm_row_block(K);
  for (int mb = 0; mb < M; mb += mc) {
    int me = imin(M, mb + mc);
    gemm_rows(mb, me, M, N, K, A, K, Bp, C, N, 0);
    bias_act_rows(C + mb * N, me - mb, N, N, bias, R ? R + mb * N : 0, N, relu);
  }
}

// C[M x N] (+)= A^T B with A stored K x M (row stride lda) and B's element (k, n) at
// B[k * brs + n * bcs]: the weight gradient X^T dY of a 1x1 convolution, or a matMul with a
// transposed first operand. K is consumed in blocks whose B rows are packed into `scratch`
// (KC * ceil(N / NR) * NR floats).
#define KC 256
EXPORT(nas_gemm_at)
void nas_gemm_at(int M, int N, int K, const float* A, int lda, const float* B, int brs, int bcs, float* C, int ldc,
                 int accumulate, float* scratch) {
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = imin(KC, K - k0);
    nas_pack_b(B + k0 * brs, brs, bcs, kc, N, scratch);
    int acc = accumulate || k0 > 0;
    for (int n0 = 0; n0 < N; n0 += NR) {
      const float* bp = scratch + (n0 / NR) * kc * NR;
      int nr = imin(NR, N - n0);
      for (int m0 = 0; m0 < M; m0 += MR) {
        int mr = imin(MR, M - m0);
        const float* a0 = A + k0 * lda + m0;
        micro_kernel(kc, a0, a0 + imin(1, mr - 1), a0 + imin(2, mr - 1), a0 + imin(3, mr - 1), lda, bp, C + m0 * ldc + n0,
                     ldc, mr, nr, acc);
      }
    }
  }
  if (K == 0 && !accumulate)
    for (int m = 0; m < M; m++)
      for (int n = 0; n < N; n++) C[m * ldc + n] = 0.f;
}

// Rows [p0, p1) of the im2col matrix of X (N,H,W,C): row p = (n, oh, ow), columns (kh, kw, c).
EXPORT(nas_im2col)
void nas_im2col(const float* X, int H, int W, int C, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW,
                int OH, int OW, int p0, int p1, float* out) {
  int row = KH * KW * C;
  for (int p = p0; p < p1; p++) {
    int n = p / (OH * OW), r = p % (OH * OW), oh = r / OW, ow = r % OW;
    float* o = out + (p - p0) * row;
    for (int kh = 0; kh < KH; kh++) {
      int ih = oh * SH - PT + kh * DH;
      for (int kw = 0; kw < KW; kw++, o += C) {
        int iw = ow * SW - PL + kw * DW;
        int c = 0;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
          for (; c + 4 <= C; c += 4) ST(o + c, ZERO);
          for (; c < C; c++) o[c] = 0.f;
        } else {
          const float* x = X + ((n * H + ih) * W + iw) * C;
          for (; c + 4 <= C; c += 4) ST(o + c, LD(x + c));
          for (; c < C; c++) o[c] = x[c];
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Depthwise convolution, channel multiplier 1, dilation 1: vectorised over channels in blocks of
// 16 (4 vectors), then 4, then scalar tails.

// Y = depthwise(X, F).
// Accumulates 16 channels of two pixels at once (a0..a3 and b0..b3), sharing the filter loads:
// p is the first pixel's input, p + step the second's, q the filter.
#define ZERO16X2 \
  ZERO16;        \
  f4 b0 = ZERO, b1 = ZERO, b2 = ZERO, b3 = ZERO
#define MADD16X2(p, step, q)                   \
  do {                                         \
    f4 q0 = LD(q), q1 = LD((q) + 4), q2 = LD((q) + 8), q3 = LD((q) + 12); \
    a0 = MADD(LD(p), q0, a0);                  \
    a1 = MADD(LD((p) + 4), q1, a1);            \
    a2 = MADD(LD((p) + 8), q2, a2);            \
    a3 = MADD(LD((p) + 12), q3, a3);           \
    b0 = MADD(LD((p) + (step)), q0, b0);       \
    b1 = MADD(LD((p) + (step) + 4), q1, b1);   \
    b2 = MADD(LD((p) + (step) + 8), q2, b2);   \
    b3 = MADD(LD((p) + (step) + 12), q3, b3);  \
  } while (0)
#define STORE16X2(p, step) \
  do {                     \
    STORE16(p);            \
    ST((p) + (step), b0);  \
    ST((p) + (step) + 4, b1); \
    ST((p) + (step) + 8, b2); \
    ST((p) + (step) + 12, b3); \
  } while (0)

// Channels [c, C) of one output pixel of the depthwise forward: taps [kh0, kh1) x [kw0, kw1) of
// the window whose top-left input is xb.
static inline void dw_forward_pixel(const float* xb, const float* F, int W, int C, int KW, int kh0, int kh1, int kw0,
                                    int kw1, int c, float* y) {
  for (; c + 16 <= C; c += 16) {
    ZERO16;
    for (int kh = kh0; kh < kh1; kh++)
      for (int kw = kw0; kw < kw1; kw++) MADD16(xb + (kh * W + kw) * C + c, F + (kh * KW + kw) * C + c);
    STORE16(y + c);
  }
  for (; c + 4 <= C; c += 4) {
    f4 a0 = ZERO;
    for (int kh = kh0; kh < kh1; kh++)
      for (int kw = kw0; kw < kw1; kw++) a0 = MADD(LD(xb + (kh * W + kw) * C + c), LD(F + (kh * KW + kw) * C + c), a0);
    ST(y + c, a0);
  }
  for (; c < C; c++) {
    float a = 0.f;
    for (int kh = kh0; kh < kh1; kh++)
      for (int kw = kw0; kw < kw1; kw++) a += xb[(kh * W + kw) * C + c] * F[(kh * KW + kw) * C + c];
    y[c] = a;
  }
}

// Rows of Y = depthwise(X, F), each passed through the epilogue when bias is set.
static void dw_forward_rows(const float* X, int N, int H, int W, int C, const float* F, int KH, int KW, int SH, int SW,
                            int PT, int PL, int OH, int OW, float* Y, const float* bias, int relu) {
  for (int n = 0; n < N; n++)
    for (int oh = 0; oh < OH; oh++) {
      int ih0 = oh * SH - PT, kh0 = imax(0, -ih0), kh1 = imin(KH, H - ih0);
      float* row = Y + (n * OH + oh) * OW * C;
      for (int ow = 0; ow < OW; ow++) {
        int iw0 = ow * SW - PL, kw0 = imax(0, -iw0), kw1 = imin(KW, W - iw0);
        dw_forward_pixel(X + ((n * H + ih0) * W + iw0) * C, F, W, C, KW, kh0, kh1, kw0, kw1, 0, row + ow * C);
      }
      if (bias) bias_act_rows(row, OW, C, C, bias, 0, 0, relu);
    }
}

// Y = depthwise(X, F).
EXPORT(nas_dw_forward)
void nas_dw_forward(const float* X, int N, int H, int W, int C, const float* F, int KH, int KW, int SH, int SW, int PT,
                    int PL, int OH, int OW, float* Y) {
  dw_forward_rows(X, N, H, W, C, F, KH, KW, SH, SW, PT, PL, OH, OW, Y, 0, 0);
}

// Y = act(depthwise(X, F) + bias): the inference depthwise convolution with its batch norm folded in.
EXPORT(nas_dw_forward_bias_act)
void nas_dw_forward_bias_act(const float* X, int N, int H, int W, int C, const float* F, int KH, int KW, int SH, int SW,
                             int PT, int PL, int OH, int OW, float* Y, const float* bias, int relu) {
  dw_forward_rows(X, N, H, W, C, F, KH, KW, SH, SW, PT, PL, OH, OW, Y, bias, relu);
}

// Channels [c, C) of one input pixel of the depthwise input gradient: taps kh = kh0, kh0 + SH, ...
// <= kh1 and likewise kw, each reading output pixel ((th - kh) / SH, (tw - kw) / SW) of dyb.
static inline void dw_backprop_input_pixel(const float* dyb, const float* F, int C, int KW, int SH, int SW, int OW, int th,
                                           int tw, int kh0, int kh1, int kw0, int kw1, int c, float* dx) {
  for (; c + 16 <= C; c += 16) {
    ZERO16;
    for (int kh = kh0; kh <= kh1; kh += SH)
      for (int kw = kw0; kw <= kw1; kw += SW)
        MADD16(dyb + (((th - kh) / SH) * OW + (tw - kw) / SW) * C + c, F + (kh * KW + kw) * C + c);
    STORE16(dx + c);
  }
  for (; c + 4 <= C; c += 4) {
    f4 a0 = ZERO;
    for (int kh = kh0; kh <= kh1; kh += SH)
      for (int kw = kw0; kw <= kw1; kw += SW)
        a0 = MADD(LD(dyb + (((th - kh) / SH) * OW + (tw - kw) / SW) * C + c), LD(F + (kh * KW + kw) * C + c), a0);
    ST(dx + c, a0);
  }
  for (; c < C; c++) {
    float a = 0.f;
    for (int kh = kh0; kh <= kh1; kh += SH)
      for (int kw = kw0; kw <= kw1; kw += SW)
        a += dyb[(((th - kh) / SH) * OW + (tw - kw) / SW) * C + c] * F[(kh * KW + kw) * C + c];
    dx[c] = a;
  }
}

// dX = gradient of depthwise(X, F) w.r.t. X, given dY. Input pixel (ih, iw) gathers the output
// pixels whose window covers it: kh = ih + PT - oh * SH, stepping kh by SH. With horizontal
// stride 1, adjacent input pixels with the same valid taps are computed in pairs.
EXPORT(nas_dw_backprop_input)
void nas_dw_backprop_input(const float* dY, int N, int H, int W, int C, const float* F, int KH, int KW, int SH, int SW,
                           int PT, int PL, int OH, int OW, float* dX) {
  for (int n = 0; n < N; n++)
    for (int ih = 0; ih < H; ih++) {
      int th = ih + PT;
      int kh0 = imax(0, th - (OH - 1) * SH);
      kh0 += (th - kh0) % SH;
      int kh1 = imin(KH - 1, th);
      const float* dyb = dY + n * OH * OW * C;
      for (int iw = 0; iw < W; iw++) {
        int tw = iw + PL;
        int kw0 = imax(0, tw - (OW - 1) * SW);
        kw0 += (tw - kw0) % SW;
        int kw1 = imin(KW - 1, tw);
        float* dx = dX + ((n * H + ih) * W + iw) * C;
        int pair = SW == 1 && iw + 1 < W && imax(0, tw + 1 - (OW - 1)) == kw0 && imin(KW - 1, tw + 1) == kw1;
        if (!pair) {
          dw_backprop_input_pixel(dyb, F, C, KW, SH, SW, OW, th, tw, kh0, kh1, kw0, kw1, 0, dx);
          continue;
        }
        int c = 0;
        for (; c + 16 <= C; c += 16) {
          ZERO16X2;
          for (int kh = kh0; kh <= kh1; kh += SH)
            for (int kw = kw0; kw <= kw1; kw++)
              MADD16X2(dyb + (((th - kh) / SH) * OW + tw - kw) * C + c, C, F + (kh * KW + kw) * C + c);
          STORE16X2(dx + c, C);
        }
        dw_backprop_input_pixel(dyb, F, C, KW, SH, SW, OW, th, tw, kh0, kh1, kw0, kw1, c, dx);
        dw_backprop_input_pixel(dyb, F, C, KW, SH, SW, OW, th, tw + 1, kh0, kh1, kw0, kw1, c, dx + C);
        iw++;
      }
    }
}

// dF = gradient of depthwise(X, F) w.r.t. F, given dY: per tap, the sum over output pixels of
// x * dy. Two loop orders: with wide rows, blocks of 16 channels sweep the batch once, row by row,
// every tap accumulating its row segment in registers (the input rows stay in L1 across taps);
// with small feature maps (few, short rows) each tap sums over its valid pixels with the batch as
// the long inner loop.
static void dw_filter_rows16(const float* X, int N, int H, int W, int C, const float* dY, int KH, int KW, int SH, int SW,
                             int PT, int PL, int OH, int OW, int c, float* dF) {
  for (int t = 0; t < KH * KW; t++)
    for (int j = 0; j < 16; j += 4) ST(dF + t * C + c + j, ZERO);
  for (int n = 0; n < N; n++)
    for (int oh = 0; oh < OH; oh++) {
      int ih0 = oh * SH - PT;
      for (int kh = imax(0, -ih0); kh < imin(KH, H - ih0); kh++)
        for (int kw = 0; kw < KW; kw++) {
          int ow0 = imax(0, ceil_div(PL - kw, SW)), ow1 = imin(OW - 1, floor_div(W - 1 + PL - kw, SW));
          const float* x = X + ((n * H + ih0 + kh) * W + ow0 * SW + kw - PL) * C + c;
          const float* dy = dY + ((n * OH + oh) * OW + ow0) * C + c;
          ZERO16;
          for (int ow = ow0; ow <= ow1; ow++, x += SW * C, dy += C) {
            MADD16(x, dy);
          }
          float* df = dF + (kh * KW + kw) * C + c;
          ST(df, wasm_f32x4_add(LD(df), a0));
          ST(df + 4, wasm_f32x4_add(LD(df + 4), a1));
          ST(df + 8, wasm_f32x4_add(LD(df + 8), a2));
          ST(df + 12, wasm_f32x4_add(LD(df + 12), a3));
        }
    }
}

EXPORT(nas_dw_backprop_filter)
void nas_dw_backprop_filter(const float* X, int N, int H, int W, int C, const float* dY, int KH, int KW, int SH, int SW,
                            int PT, int PL, int OH, int OW, float* dF) {
  int c = 0;
  if (OW >= 8)
    for (; c + 16 <= C; c += 16) dw_filter_rows16(X, N, H, W, C, dY, KH, KW, SH, SW, PT, PL, OH, OW, c, dF);
  int xs = H * W * C, ys = OH * OW * C;
  for (int kh = 0; kh < KH; kh++) {
    int oh0 = imax(0, ceil_div(PT - kh, SH)), oh1 = imin(OH - 1, floor_div(H - 1 + PT - kh, SH));
    for (int kw = 0; kw < KW; kw++) {
      int ow0 = imax(0, ceil_div(PL - kw, SW)), ow1 = imin(OW - 1, floor_div(W - 1 + PL - kw, SW));
      float* df = dF + (kh * KW + kw) * C;
      int cc = c;
      for (; cc + 16 <= C; cc += 16) {
        ZERO16;
        for (int oh = oh0; oh <= oh1; oh++)
          for (int ow = ow0; ow <= ow1; ow++) {
            const float* x = X + ((oh * SH + kh - PT) * W + ow * SW + kw - PL) * C + cc;
            const float* dy = dY + (oh * OW + ow) * C + cc;
            for (int n = 0; n < N; n++, x += xs, dy += ys) {
              MADD16(x, dy);
            }
          }
        STORE16(df + cc);
      }
      for (; cc + 4 <= C; cc += 4) {
        f4 a0 = ZERO;
        for (int oh = oh0; oh <= oh1; oh++)
          for (int ow = ow0; ow <= ow1; ow++) {
            const float* x = X + ((oh * SH + kh - PT) * W + ow * SW + kw - PL) * C + cc;
            const float* dy = dY + (oh * OW + ow) * C + cc;
            for (int n = 0; n < N; n++, x += xs, dy += ys) a0 = MADD(LD(x), LD(dy), a0);
          }
        ST(df + cc, a0);
      }
      for (; cc < C; cc++) {
        float a = 0.f;
        for (int oh = oh0; oh <= oh1; oh++)
          for (int ow = ow0; ow <= ow1; ow++) {
            const float* x = X + ((oh * SH + kh - PT) * W + ow * SW + kw - PL) * C + cc;
            const float* dy = dY + (oh * OW + ow) * C + cc;
            for (int n = 0; n < N; n++, x += xs, dy += ys) a += *x * *dy;
          }
        df[cc] = a;
      }
    }
  }
}

// Depthwise convolution with channel multiplier M > 1 (output channel c * M + q): plain loops, as
// such layers are rare; filters are [KH, KW, C, M].
EXPORT(nas_dwm_forward)
void nas_dwm_forward(const float* X, int N, int H, int W, int C, int M, const float* F, int KH, int KW, int SH, int SW,
                     int PT, int PL, int OH, int OW, float* Y) {
  for (int n = 0; n < N; n++)
    for (int oh = 0; oh < OH; oh++)
      for (int ow = 0; ow < OW; ow++)
        for (int c = 0; c < C; c++)
          for (int q = 0; q < M; q++) {
            float a = 0.f;
            for (int kh = 0; kh < KH; kh++) {
              int ih = oh * SH - PT + kh;
              if (ih < 0 || ih >= H) continue;
              for (int kw = 0; kw < KW; kw++) {
                int iw = ow * SW - PL + kw;
                if (iw < 0 || iw >= W) continue;
                a += X[((n * H + ih) * W + iw) * C + c] * F[((kh * KW + kw) * C + c) * M + q];
              }
            }
            Y[((n * OH + oh) * OW + ow) * C * M + c * M + q] = a;
          }
}

EXPORT(nas_dwm_backprop_input)
void nas_dwm_backprop_input(const float* dY, int N, int H, int W, int C, int M, const float* F, int KH, int KW, int SH,
                            int SW, int PT, int PL, int OH, int OW, float* dX) {
  for (int i = 0; i < N * H * W * C; i++) dX[i] = 0.f;
  for (int n = 0; n < N; n++)
    for (int oh = 0; oh < OH; oh++)
      for (int ow = 0; ow < OW; ow++)
        for (int kh = 0; kh < KH; kh++) {
          int ih = oh * SH - PT + kh;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            int iw = ow * SW - PL + kw;
            if (iw < 0 || iw >= W) continue;
            for (int c = 0; c < C; c++) {
              float a = 0.f;
              for (int q = 0; q < M; q++)
                a += dY[((n * OH + oh) * OW + ow) * C * M + c * M + q] * F[((kh * KW + kw) * C + c) * M + q];
              dX[((n * H + ih) * W + iw) * C + c] += a;
            }
          }
        }
}

EXPORT(nas_dwm_backprop_filter)
void nas_dwm_backprop_filter(const float* X, int N, int H, int W, int C, int M, const float* dY, int KH, int KW, int SH,
                             int SW, int PT, int PL, int OH, int OW, float* dF) {
  for (int i = 0; i < KH * KW * C * M; i++) dF[i] = 0.f;
  for (int n = 0; n < N; n++)
    for (int oh = 0; oh < OH; oh++)
      for (int ow = 0; ow < OW; ow++)
        for (int kh = 0; kh < KH; kh++) {
          int ih = oh * SH - PT + kh;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            int iw = ow * SW - PL + kw;
            if (iw < 0 || iw >= W) continue;
            for (int c = 0; c < C; c++)
              for (int q = 0; q < M; q++)
                dF[((kh * KW + kw) * C + c) * M + q] +=
                    X[((n * H + ih) * W + iw) * C + c] * dY[((n * OH + oh) * OW + ow) * C * M + c * M + q];
          }
        }
}

// ---------------------------------------------------------------------------------------------
// Batch normalisation over the rows of X (P x C, one row per pixel), training mode, optionally
// fused with a following ReLU. Channel sums use float32 partial sums over chunks of rows added into
// float64 totals, and moments are taken around a per-channel shift (the first row) so that
// variance does not suffer from cancellation when |mean| >> std.
#define CHUNK 64

// Per-channel sums over rows of f(row) (f = x - shift; or g and g * (x - mean) for the gradient),
// accumulated in float64 into acc0[C], acc1[C]. Kind 0: moments of X around shift (sum, sum of
// squares). Kind 1: gradient sums (sum g, sum g * (x - shift)) with g = dY masked by the ReLU of
// the normalised output (relu != 0; scale/bias give the pre-activation x * scale + bias).
// Rows stream in memory order; float32 partial sums over CHUNK rows live in part0/part1 (C floats
// each, in L1) and are added into the float64 totals after each chunk.
static void channel_sums(int kind, const float* X, const float* dY, int P, int C, const float* shift, const float* scale,
                         const float* bias, int relu, double* acc0, double* acc1, float* part0, float* part1) {
  for (int c = 0; c < C; c++) acc0[c] = acc1[c] = 0.0;
  for (int p0 = 0; p0 < P; p0 += CHUNK) {
    int p1 = imin(P, p0 + CHUNK);
    for (int c = 0; c < C; c++) part0[c] = part1[c] = 0.f;
    for (int p = p0; p < p1; p++) {
      const float* x = X + p * C;
      const float* dy = dY + p * C;
      int c = 0;
      for (; c + 4 <= C; c += 4) {
        f4 xv = LD(x + c), s = LD(part0 + c), q = LD(part1 + c);
        if (kind == 0) {
          f4 d = wasm_f32x4_sub(xv, LD(shift + c));
          s = wasm_f32x4_add(s, d);
          q = MADD(d, d, q);
        } else {
          f4 g = LD(dy + c);
          if (relu) g = wasm_v128_and(g, wasm_f32x4_gt(MADD(xv, LD(scale + c), LD(bias + c)), ZERO));
          s = wasm_f32x4_add(s, g);
          q = MADD(g, wasm_f32x4_sub(xv, LD(shift + c)), q);
        }
        ST(part0 + c, s);
        ST(part1 + c, q);
      }
      for (; c < C; c++) {
        if (kind == 0) {
          float d = x[c] - shift[c];
          part0[c] += d;
          part1[c] += d * d;
        } else {
          float g = relu && !(x[c] * scale[c] + bias[c] > 0.f) ? 0.f : dy[c];
          part0[c] += g;
          part1[c] += g * (x[c] - shift[c]);
        }
      }
    }
    for (int c = 0; c < C; c++) {
      acc0[c] += part0[c];
      acc1[c] += part1[c];
    }
  }
}

// out[0..C) = mean, out[C..2C) = biased variance of the columns of X. scratch: 6 * C floats
// (8-byte aligned).
EXPORT(nas_bn_moments)
void nas_bn_moments(const float* X, int P, int C, float* out, double* scratch) {
  double* s = scratch;
  double* q = scratch + C;
  float* part = (float*)(scratch + 2 * C);
  channel_sums(0, X, 0, P, C, X, 0, 0, 0, s, q, part, part + C);
  for (int c = 0; c < C; c++) {
    double m = s[c] / P;
    double v = q[c] / P - m * m;
    out[c] = (float)(X[c] + m);
    out[C + c] = (float)(v > 0 ? v : 0);
  }
}

// Per-channel affine form of training-mode batch norm: scale = gamma / sqrt(var + eps),
// bias = beta - mean * scale. moments = [mean (C), var (C)].
EXPORT(nas_bn_scale_bias)
void nas_bn_scale_bias(const float* moments, const float* gamma, const float* beta, float eps, int C, float* scale,
                       float* bias) {
  for (int c = 0; c < C; c++) {
    float s = gamma[c] / __builtin_sqrtf(moments[C + c] + eps);
    scale[c] = s;
    bias[c] = beta[c] - moments[c] * s;
  }
}

// Y = batchnorm(X) (then ReLU when relu != 0) with the given moments. scratch: 2 * C floats.
EXPORT(nas_bn_forward)
void nas_bn_forward(const float* X, int P, int C, const float* moments, const float* gamma, const float* beta, float eps,
                    int relu, float* Y, float* scratch) {
  float* scale = scratch;
  float* bias = scratch + C;
  nas_bn_scale_bias(moments, gamma, beta, eps, C, scale, bias);
  for (int p = 0; p < P; p++) {
    const float* x = X + p * C;
    float* y = Y + p * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      f4 v = MADD(LD(x + c), LD(scale + c), LD(bias + c));
      ST(y + c, relu ? wasm_f32x4_max(v, ZERO) : v);
    }
    for (; c < C; c++) {
      float v = x[c] * scale[c] + bias[c];
      y[c] = relu && !(v > 0.f) ? 0.f : v;
    }
  }
}

// dbeta = sum g, dgamma = sum g * (x - mean) / sqrt(var + eps), with g = dY
// masked by the ReLU (if relu) of the pre-activation x * scale + bias. scratch: 8 * C floats
// (8-byte aligned).
EXPORT(nas_bn_grad_sums)
void nas_bn_grad_sums(const float* X, const float* dY, int P, int C, const float* moments, const float* gamma,
                      const float* beta, float eps, int relu, float* dbeta, float* dgamma, double* scratch) {
  double* s = scratch;
  double* q = scratch + C;
  float* scale = (float*)(scratch + 2 * C);
  float* bias = scale + C;
  nas_bn_scale_bias(moments, gamma, beta, eps, C, scale, bias);
  channel_sums(1, X, dY, P, C, moments, scale, bias, relu, s, q, bias + C, bias + 2 * C);
  for (int c = 0; c < C; c++) {
    dbeta[c] = (float)s[c];
    dgamma[c] = (float)(q[c] / __builtin_sqrt((double)moments[C + c] + eps));
  }
}

// dX = gamma * invstd * (g - dbeta / count - xhat * dgamma / count), xhat = (x - mean) * invstd,
// written per channel as a * g + d * x + e. dbeta, dgamma: sums over all `count` rows of the
// batch (every replica's rows under cross-replica batch norm). scratch: 5 * C floats.
EXPORT(nas_bn_grad_input)
void nas_bn_grad_input(const float* X, const float* dY, int P, int C, const float* moments, const float* gamma,
                       const float* beta, const float* dbeta, const float* dgamma, float count, float eps, int relu, float* dX,
                       float* scratch) {
  float* scale = scratch;
  float* bias = scratch + C;
  float* a = scratch + 2 * C;
  float* d = scratch + 3 * C;
  float* e = scratch + 4 * C;
  nas_bn_scale_bias(moments, gamma, beta, eps, C, scale, bias);
  for (int c = 0; c < C; c++) {
    float invstd = 1.f / __builtin_sqrtf(moments[C + c] + eps);
    a[c] = gamma[c] * invstd;
    d[c] = -a[c] * invstd * dgamma[c] / count;
    e[c] = -a[c] * dbeta[c] / count - d[c] * moments[c];
  }
  for (int p = 0; p < P; p++) {
    const float* x = X + p * C;
    const float* dy = dY + p * C;
    float* dx = dX + p * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      f4 xv = LD(x + c), g = LD(dy + c);
      if (relu) g = wasm_v128_and(g, wasm_f32x4_gt(MADD(xv, LD(scale + c), LD(bias + c)), ZERO));
      ST(dx + c, MADD(g, LD(a + c), MADD(xv, LD(d + c), LD(e + c))));
    }
    for (; c < C; c++) {
      float g = dy[c];
      if (relu && !(x[c] * scale[c] + bias[c] > 0.f)) g = 0.f;
      dx[c] = g * a[c] + x[c] * d[c] + e[c];
    }
  }
}

// Running statistics after a training batch: r = (1 - momentum) * r + momentum * batch, the
// variance scaled by `unbias` = n / (n - 1) (PyTorch's convention).
EXPORT(nas_bn_running_update)
void nas_bn_running_update(const float* mean, const float* var, const float* moments, int C, float momentum, float unbias,
                           float* out_mean, float* out_var) {
  for (int c = 0; c < C; c++) {
    out_mean[c] = (1.f - momentum) * mean[c] + momentum * moments[c];
    out_var[c] = (1.f - momentum) * var[c] + momentum * unbias * moments[C + c];
  }
}

// ---------------------------------------------------------------------------------------------
// SGD with momentum (PyTorch's form): d = scale * g + wd * p; a' = momentum * a + d; p' = p - lr * a'.
EXPORT(nas_momentum_update)
void nas_momentum_update(const float* param, const float* accum, const float* grad, int n, float lr, float momentum,
                         float weight_decay, float grad_scale, float* out_param, float* out_accum) {
  f4 vlr = SPLAT(-lr), vm = SPLAT(momentum), vwd = SPLAT(weight_decay), vs = SPLAT(grad_scale);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    f4 p = LD(param + i);
    f4 d = MADD(LD(grad + i), vs, wasm_f32x4_mul(p, vwd));
    f4 a = MADD(LD(accum + i), vm, d);
    ST(out_accum + i, a);
    ST(out_param + i, MADD(a, vlr, p));
  }
  for (; i < n; i++) {
    float d = grad[i] * grad_scale + param[i] * weight_decay;
    float a = accum[i] * momentum + d;
    out_accum[i] = a;
    out_param[i] = param[i] - lr * a;
  }
}
