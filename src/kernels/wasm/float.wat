;; WebAssembly SIMD float GEMM for the float reference interpreter (convolutions lowered to
;; im2col × filter by src/ops/conv/conv_wasm.ts).
;;
;; Arithmetic contract (the interpreter's float conv semantics, src/ops/conv/kernels.ts):
;;   c[i][j] = bias[i], then for p = 0 .. K-1 in order: c[i][j] = f32(c[i][j] + f32(a[i][p] · b[p][j]))
;; f32x4.mul and f32x4.add round every lane to nearest-even and wasm never fuses them, so each lane
;; is exactly that scalar sequence; vectorizing across columns j changes no bit.
;;
;; Operands (byte addresses, 16-byte aligned; element strides in floats):
;;   a: M rows of K floats, row stride lda      (the filter rows, as stored)
;;   b: K rows of n floats, n a multiple of 8   (im2col panel, zero for padding taps)
;;   c: M rows of n floats                       (output panel)
;;   bias: M floats
(module
  (memory (export "memory") 1)

  ;; Four filter rows × eight columns per step: 8 accumulators, 2 panel loads, 4 filter splats.
  (func $rows4 (param $a i32) (param $lda i32) (param $b i32) (param $n i32) (param $c i32) (param $bias i32) (param $k i32)
    (local $j i32) (local $p i32) (local $bp i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $nb i32)
    (local $x0 v128) (local $x1 v128) (local $w v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $a) (i32.shl (local.get $lda) (i32.const 2))))
    (local.set $a2 (i32.add (local.get $a1) (i32.shl (local.get $lda) (i32.const 2))))
    (local.set $a3 (i32.add (local.get $a2) (i32.shl (local.get $lda) (i32.const 2))))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $c00 (v128.load32_splat (local.get $bias)))
        (local.set $c01 (local.get $c00))
        (local.set $c10 (v128.load32_splat offset=4 (local.get $bias)))
        (local.set $c11 (local.get $c10))
        (local.set $c20 (v128.load32_splat offset=8 (local.get $bias)))
        (local.set $c21 (local.get $c20))
        (local.set $c30 (v128.load32_splat offset=12 (local.get $bias)))
        (local.set $c31 (local.get $c30))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $p (i32.const 0))
        (block $pdone
          (loop $ploop
            (br_if $pdone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $x0 (v128.load (local.get $bp)))
            (local.set $x1 (v128.load offset=16 (local.get $bp)))
            (local.set $w (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $p) (i32.const 2)))))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $w) (local.get $x0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $w) (local.get $x1))))
            (local.set $w (v128.load32_splat (i32.add (local.get $a1) (i32.shl (local.get $p) (i32.const 2)))))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $w) (local.get $x0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $w) (local.get $x1))))
            (local.set $w (v128.load32_splat (i32.add (local.get $a2) (i32.shl (local.get $p) (i32.const 2)))))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $w) (local.get $x0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $w) (local.get $x1))))
            (local.set $w (v128.load32_splat (i32.add (local.get $a3) (i32.shl (local.get $p) (i32.const 2)))))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $w) (local.get $x0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $w) (local.get $x1))))
            (local.set $bp (i32.add (local.get $bp) (local.get $nb)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $ploop)))
        (local.set $bp (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store (local.get $bp) (local.get $c00))
        (v128.store offset=16 (local.get $bp) (local.get $c01))
        (local.set $bp (i32.add (local.get $bp) (local.get $nb)))
        (v128.store (local.get $bp) (local.get $c10))
        (v128.store offset=16 (local.get $bp) (local.get $c11))
        (local.set $bp (i32.add (local.get $bp) (local.get $nb)))
        (v128.store (local.get $bp) (local.get $c20))
        (v128.store offset=16 (local.get $bp) (local.get $c21))
        (local.set $bp (i32.add (local.get $bp) (local.get $nb)))
        (v128.store (local.get $bp) (local.get $c30))
        (v128.store offset=16 (local.get $bp) (local.get $c31))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop))))

  ;; One filter row × eight columns per step (the last M mod 4 rows).
  (func $row1 (param $a i32) (param $b i32) (param $n i32) (param $c i32) (param $bias i32) (param $k i32)
    (local $j i32) (local $p i32) (local $bp i32) (local $nb i32)
    (local $w v128) (local $c0 v128) (local $c1 v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $c0 (v128.load32_splat (local.get $bias)))
        (local.set $c1 (local.get $c0))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $p (i32.const 0))
        (block $pdone
          (loop $ploop
            (br_if $pdone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $w (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $p) (i32.const 2)))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $w) (v128.load (local.get $bp)))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $bp)))))
            (local.set $bp (i32.add (local.get $bp) (local.get $nb)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $ploop)))
        (local.set $bp (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store (local.get $bp) (local.get $c0))
        (v128.store offset=16 (local.get $bp) (local.get $c1))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop))))

  ;; c = bias + a · b for M rows (see the contract above).
  (func (export "sgemm") (param $a i32) (param $lda i32) (param $b i32) (param $n i32) (param $c i32) (param $bias i32) (param $m i32) (param $k i32)
    (local $i i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $iloop
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (call $rows4 (local.get $a) (local.get $lda) (local.get $b) (local.get $n) (local.get $c) (local.get $bias) (local.get $k))
        (local.set $a (i32.add (local.get $a) (i32.shl (local.get $rowBytes) (i32.const 2))))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $n) (i32.const 4))))
        (local.set $bias (i32.add (local.get $bias) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iloop)))
    (block $done1
      (loop $rloop
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $m)))
        (call $row1 (local.get $a) (local.get $b) (local.get $n) (local.get $c) (local.get $bias) (local.get $k))
        (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $bias (i32.add (local.get $bias) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rloop))))
)
