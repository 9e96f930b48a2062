;; WebAssembly SIMD int8 kernels for the bit-exact CMSIS-NN simulator.
;;
;; Arithmetic contract (same as the TypeScript reference, CMSIS-NN §4.1):
;;   acc = bias[oc] + Σ (x + input_offset)·w      (int32, two's-complement wrap: wasm i32 add wraps)
;;   y   = clamp(requantize(acc, mult[oc], shift[oc]) + output_offset, act_min, act_max)
;; requantize is arm_nn_requantize's double rounding: (acc << L) wrapped to int32, exact 64-bit
;; product with the multiplier, +2^30 and >>31 (wrapped to int32), then divide by 2^R rounding half
;; away from zero; L = max(shift, 0), R = max(-shift, 0).
;;
;; GEMM operands: A holds int16 rows (x + input_offset, 0 for padding taps) of `kp` elements,
;; kp = K rounded up to 8 with zero columns; W holds the int8 filter rows verbatim (row stride K) and
;; is read 8 bytes at a time with load8x8_s. A's zero columns make the bytes read past a W row's
;; end (the next row, or the slack the caller leaves after the filter) contribute nothing.
;; i32x4.dot_i16x8_s adds two exact int16 products per lane; |x·w| <= 256·128, so each pair sum is
;; exact and the running int32 lane sums wrap exactly like CMSIS-NN's int32 accumulator (addition
;; modulo 2^32 is associative, so the lane order does not matter). Columns that are zero in every
;; row of a block (padding taps, e.g. most of a 1-D conv's window at the sequence ends) add exact
;; zeros, so the GEMM may skip them (see $ranges).
;; Memory is one linear memory laid out by the JS driver (wasm/simd_kernels.ts), which also leaves
;; the slack that the 8- and 16-byte loads/stores past a row's end rely on.
(module
  (memory (export "memory") 1)

  ;; arm_nn_requantize + output offset + activation clamp.
  (func $rq (param $acc i32) (param $m i32) (param $s i32) (param $oo i32) (param $lo i32) (param $hi i32) (result i32)
    (local $h i32) (local $r i32) (local $mask i32) (local $q i32) (local $y i32)
    (local.set $h
      (i32.wrap_i64
        (i64.shr_s
          (i64.add
            (i64.mul
              (i64.extend_i32_s
                (i32.shl (local.get $acc)
                  (select (local.get $s) (i32.const 0) (i32.gt_s (local.get $s) (i32.const 0)))))
              (i64.extend_i32_s (local.get $m)))
            (i64.const 0x40000000))
          (i64.const 31))))
    (local.set $r (select (i32.sub (i32.const 0) (local.get $s)) (i32.const 0) (i32.lt_s (local.get $s) (i32.const 0))))
    ;; R = 0 gives mask 0, so the rounding term below vanishes; R = 31 gives mask 0x7fffffff.
    (local.set $mask (i32.sub (i32.shl (i32.const 1) (local.get $r)) (i32.const 1)))
    (local.set $q (i32.shr_s (local.get $h) (local.get $r)))
    (local.set $y
      (i32.add
        (i32.add (local.get $q)
          (i32.gt_s (i32.and (local.get $h) (local.get $mask))
            (i32.add (i32.shr_s (local.get $mask) (i32.const 1)) (i32.lt_s (local.get $q) (i32.const 0)))))
        (local.get $oo)))
    (if (i32.lt_s (local.get $y) (local.get $lo)) (then (local.set $y (local.get $lo))))
    (if (i32.gt_s (local.get $y) (local.get $hi)) (then (local.set $y (local.get $hi))))
    (local.get $y))

  (func $min4 (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (if (i32.lt_s (local.get $b) (local.get $a)) (then (local.set $a (local.get $b))))
    (if (i32.lt_s (local.get $d) (local.get $c)) (then (local.set $c (local.get $d))))
    (select (local.get $a) (local.get $c) (i32.lt_s (local.get $a) (local.get $c))))

  (func $hsum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; [Σ lanes of a, Σ b, Σ c, Σ d] (wrapping int32 sums).
  (func $red4 (param $a v128) (param $b v128) (param $c v128) (param $d v128) (result v128)
    (local $t0 v128) (local $t1 v128)
    (local.set $t0 (i32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b))))
    (local.set $t1 (i32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c) (local.get $d))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c) (local.get $d))))
    (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $t0) (local.get $t1))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $t0) (local.get $t1))))

  ;; $rq on four accumulators of the same output channel $oc (so one multiplier and one shift):
  ;; bias added, exact 64-bit products via extmul, rounding divide with a uniform shift count.
  (func $rq4 (param $acc v128) (param $oc i32)
    (param $bias i32) (param $mult i32) (param $shift i32) (param $oo i32) (param $lo i32) (param $hi i32) (result v128)
    (local $o4 i32) (local $s i32) (local $r i32) (local $m v128) (local $t v128) (local $h v128) (local $q v128)
    (local $mask v128) (local $half v128)
    (local.set $o4 (i32.shl (local.get $oc) (i32.const 2)))
    (local.set $s (i32.load (i32.add (local.get $shift) (local.get $o4))))
    (local.set $m (i32x4.splat (i32.load (i32.add (local.get $mult) (local.get $o4)))))
    (local.set $t (i32x4.shl
      (i32x4.add (local.get $acc) (i32x4.splat (i32.load (i32.add (local.get $bias) (local.get $o4)))))
      (select (local.get $s) (i32.const 0) (i32.gt_s (local.get $s) (i32.const 0)))))
    (local.set $half (i64x2.splat (i64.const 0x40000000)))
    (local.set $h (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
      (i64x2.shr_s (i64x2.add (i64x2.extmul_low_i32x4_s (local.get $t) (local.get $m)) (local.get $half)) (i32.const 31))
      (i64x2.shr_s (i64x2.add (i64x2.extmul_high_i32x4_s (local.get $t) (local.get $m)) (local.get $half)) (i32.const 31))))
    (local.set $r (select (i32.sub (i32.const 0) (local.get $s)) (i32.const 0) (i32.lt_s (local.get $s) (i32.const 0))))
    (local.set $mask (i32x4.splat (i32.sub (i32.shl (i32.const 1) (local.get $r)) (i32.const 1))))
    (local.set $q (i32x4.shr_s (local.get $h) (local.get $r)))
    ;; q + (rem > (mask >> 1) + (q < 0)); comparisons give -1 for true
    (local.set $q (i32x4.sub (local.get $q)
      (i32x4.gt_s (v128.and (local.get $h) (local.get $mask))
        (i32x4.sub (i32x4.shr_s (local.get $mask) (i32.const 1)) (i32x4.lt_s (local.get $q) (v128.const i32x4 0 0 0 0))))))
    (i32x4.min_s (i32x4.max_s (i32x4.add (local.get $q) (i32x4.splat (local.get $oo))) (i32x4.splat (local.get $lo)))
      (i32x4.splat (local.get $hi))))

  ;; $rq for four consecutive channels $c..$c+3, each with its own multiplier and shift, from
  ;; per-channel tables: bias, lmul = 2^max(shift,0) (int32; the wrapping multiply is the wrapping
  ;; left shift), mult, and for R = max(-shift,0) as doubles half = R ? 2^(R-1) : 0,
  ;; neg = R ? 1 : 0, inv = 2^-R. The rounding divide of h by 2^R (half away from zero) is
  ;; floor((h + half - neg·[h<0]) · inv), exact in doubles (|h| < 2^31).
  (func $rqv (param $acc v128) (param $c i32)
    (param $bias i32) (param $lmul i32) (param $mult i32) (param $half i32) (param $neg i32) (param $inv i32)
    (param $oo v128) (param $lo v128) (param $hi v128) (result v128)
    (local $c4 i32) (local $c8 i32) (local $t v128) (local $m v128) (local $h v128) (local $x v128) (local $r0 v128) (local $r1 v128)
    (local $rnd v128)
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    (local.set $c8 (i32.shl (local.get $c) (i32.const 3)))
    (local.set $t (i32x4.mul
      (i32x4.add (local.get $acc) (v128.load (i32.add (local.get $bias) (local.get $c4))))
      (v128.load (i32.add (local.get $lmul) (local.get $c4)))))
    (local.set $m (v128.load (i32.add (local.get $mult) (local.get $c4))))
    (local.set $rnd (i64x2.splat (i64.const 0x40000000)))
    (local.set $h (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
      (i64x2.shr_s (i64x2.add (i64x2.extmul_low_i32x4_s (local.get $t) (local.get $m)) (local.get $rnd)) (i32.const 31))
      (i64x2.shr_s (i64x2.add (i64x2.extmul_high_i32x4_s (local.get $t) (local.get $m)) (local.get $rnd)) (i32.const 31))))
    ;; lanes 0, 1
    (local.set $x (f64x2.convert_low_i32x4_s (local.get $h)))
    (local.set $r0 (i32x4.trunc_sat_f64x2_s_zero (f64x2.floor (f64x2.mul
      (f64x2.sub (f64x2.add (local.get $x) (v128.load (i32.add (local.get $half) (local.get $c8))))
        (v128.and (f64x2.lt (local.get $x) (f64x2.splat (f64.const 0))) (v128.load (i32.add (local.get $neg) (local.get $c8)))))
      (v128.load (i32.add (local.get $inv) (local.get $c8)))))))
    ;; lanes 2, 3
    (local.set $x (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $h) (local.get $h))))
    (local.set $r1 (i32x4.trunc_sat_f64x2_s_zero (f64x2.floor (f64x2.mul
      (f64x2.sub (f64x2.add (local.get $x) (v128.load offset=16 (i32.add (local.get $half) (local.get $c8))))
        (v128.and (f64x2.lt (local.get $x) (f64x2.splat (f64.const 0))) (v128.load offset=16 (i32.add (local.get $neg) (local.get $c8)))))
      (v128.load offset=16 (i32.add (local.get $inv) (local.get $c8)))))))
    (i32x4.min_s (i32x4.max_s
      (i32x4.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r1)) (local.get $oo))
      (local.get $lo)) (local.get $hi)))

  ;; Requantize one accumulator of output channel $oc and store it as int8 at $dst.
  (func $fin (param $dst i32) (param $acc i32) (param $oc i32)
    (param $bias i32) (param $mult i32) (param $shift i32) (param $oo i32) (param $lo i32) (param $hi i32)
    (local $o4 i32)
    (local.set $o4 (i32.shl (local.get $oc) (i32.const 2)))
    (i32.store8 (local.get $dst)
      (call $rq
        (i32.add (local.get $acc) (i32.load (i32.add (local.get $bias) (local.get $o4))))
        (i32.load (i32.add (local.get $mult) (local.get $o4)))
        (i32.load (i32.add (local.get $shift) (local.get $o4)))
        (local.get $oo) (local.get $lo) (local.get $hi))))

  ;; out[r][oc] for r < rows, oc in [oc0, oc1): blocks of 4 rows x 2 output channels. Partial blocks
  ;; clamp the row / channel index to the last one, recomputing and re-storing the same value.
  ;; Addresses are byte offsets; bias/mult/shift are int32 arrays indexed by absolute oc.
  ;; $ranges: 0, or per-row [first, end) column spans from im2col; a block computes only the union of
  ;; its rows' spans (rounded out to multiples of 8) — the skipped columns are zero in all its rows.
  (func (export "gemm_r4c2")
    (param $a i32) (param $rows i32) (param $kp i32) (param $w i32) (param $k i32)
    (param $oc0 i32) (param $oc1 i32) (param $bias i32) (param $mult i32) (param $shift i32)
    (param $out i32) (param $ostride i32) (param $oo i32) (param $lo i32) (param $hi i32) (param $ranges i32)
    (local $k0 i32) (local $k1 i32)
    (local $oc i32) (local $ocb i32) (local $r i32) (local $rb i32)
    (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $last i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $q0 i32) (local $q1 i32) (local $qend i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $x v128) (local $y0 v128) (local $y1 v128)
    (local $rowb i32) (local $d i32)
    (local.set $rowb (i32.shl (local.get $kp) (i32.const 1)))
    (local.set $last (i32.sub (local.get $rows) (i32.const 1)))
    (local.set $oc (local.get $oc0))
    (block $ocdone
      (loop $ocloop
        (br_if $ocdone (i32.ge_s (local.get $oc) (local.get $oc1)))
        (local.set $ocb (i32.add (local.get $oc) (i32.const 1)))
        (if (i32.ge_s (local.get $ocb) (local.get $oc1)) (then (local.set $ocb (local.get $oc))))
        (local.set $r (i32.const 0))
        (block $rdone
          (loop $rloop
            (br_if $rdone (i32.ge_s (local.get $r) (local.get $rows)))
            (local.set $r1 (i32.add (local.get $r) (i32.const 1)))
            (if (i32.gt_s (local.get $r1) (local.get $last)) (then (local.set $r1 (local.get $last))))
            (local.set $r2 (i32.add (local.get $r) (i32.const 2)))
            (if (i32.gt_s (local.get $r2) (local.get $last)) (then (local.set $r2 (local.get $last))))
            (local.set $r3 (i32.add (local.get $r) (i32.const 3)))
            (if (i32.gt_s (local.get $r3) (local.get $last)) (then (local.set $r3 (local.get $last))))
            (local.set $k0 (i32.const 0))
            (local.set $k1 (local.get $kp))
            (if (local.get $ranges)
              (then
                (local.set $k0 (call $min4
                  (i32.load (i32.add (local.get $ranges) (i32.shl (local.get $r) (i32.const 3))))
                  (i32.load (i32.add (local.get $ranges) (i32.shl (local.get $r1) (i32.const 3))))
                  (i32.load (i32.add (local.get $ranges) (i32.shl (local.get $r2) (i32.const 3))))
                  (i32.load (i32.add (local.get $ranges) (i32.shl (local.get $r3) (i32.const 3))))))
                (local.set $k1 (i32.sub (i32.const 0) (call $min4
                  (i32.sub (i32.const 0) (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $r) (i32.const 3)))))
                  (i32.sub (i32.const 0) (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $r1) (i32.const 3)))))
                  (i32.sub (i32.const 0) (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $r2) (i32.const 3)))))
                  (i32.sub (i32.const 0) (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $r3) (i32.const 3))))))))
                (local.set $k0 (i32.and (local.get $k0) (i32.const -8)))
                (local.set $k1 (i32.and (i32.add (local.get $k1) (i32.const 7)) (i32.const -8)))))
            (local.set $p0 (i32.add (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $rowb))) (i32.shl (local.get $k0) (i32.const 1))))
            (local.set $p1 (i32.add (i32.add (local.get $a) (i32.mul (local.get $r1) (local.get $rowb))) (i32.shl (local.get $k0) (i32.const 1))))
            (local.set $p2 (i32.add (i32.add (local.get $a) (i32.mul (local.get $r2) (local.get $rowb))) (i32.shl (local.get $k0) (i32.const 1))))
            (local.set $p3 (i32.add (i32.add (local.get $a) (i32.mul (local.get $r3) (local.get $rowb))) (i32.shl (local.get $k0) (i32.const 1))))
            (local.set $q0 (i32.add (i32.add (local.get $w) (i32.mul (local.get $oc) (local.get $k))) (local.get $k0)))
            (local.set $q1 (i32.add (i32.add (local.get $w) (i32.mul (local.get $ocb) (local.get $k))) (local.get $k0)))
            (local.set $qend (i32.add (local.get $q0) (i32.sub (local.get $k1) (local.get $k0))))
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
            (block $kdone
              (loop $kloop
                (br_if $kdone (i32.ge_u (local.get $q0) (local.get $qend)))
                (local.set $y0 (v128.load8x8_s (local.get $q0)))
                (local.set $y1 (v128.load8x8_s (local.get $q1)))
                (local.set $x (v128.load (local.get $p0)))
                (local.set $c00 (i32x4.add (local.get $c00) (i32x4.dot_i16x8_s (local.get $x) (local.get $y0))))
                (local.set $c01 (i32x4.add (local.get $c01) (i32x4.dot_i16x8_s (local.get $x) (local.get $y1))))
                (local.set $x (v128.load (local.get $p1)))
                (local.set $c10 (i32x4.add (local.get $c10) (i32x4.dot_i16x8_s (local.get $x) (local.get $y0))))
                (local.set $c11 (i32x4.add (local.get $c11) (i32x4.dot_i16x8_s (local.get $x) (local.get $y1))))
                (local.set $x (v128.load (local.get $p2)))
                (local.set $c20 (i32x4.add (local.get $c20) (i32x4.dot_i16x8_s (local.get $x) (local.get $y0))))
                (local.set $c21 (i32x4.add (local.get $c21) (i32x4.dot_i16x8_s (local.get $x) (local.get $y1))))
                (local.set $x (v128.load (local.get $p3)))
                (local.set $c30 (i32x4.add (local.get $c30) (i32x4.dot_i16x8_s (local.get $x) (local.get $y0))))
                (local.set $c31 (i32x4.add (local.get $c31) (i32x4.dot_i16x8_s (local.get $x) (local.get $y1))))
                (local.set $q0 (i32.add (local.get $q0) (i32.const 8)))
                (local.set $q1 (i32.add (local.get $q1) (i32.const 8)))
                (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
                (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
                (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
                (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
                (br $kloop)))
            ;; rows r..r+3 of channel oc, then of channel ocb
            (local.set $y0 (call $rq4 (call $red4 (local.get $c00) (local.get $c10) (local.get $c20) (local.get $c30)) (local.get $oc)
              (local.get $bias) (local.get $mult) (local.get $shift) (local.get $oo) (local.get $lo) (local.get $hi)))
            (local.set $y1 (call $rq4 (call $red4 (local.get $c01) (local.get $c11) (local.get $c21) (local.get $c31)) (local.get $ocb)
              (local.get $bias) (local.get $mult) (local.get $shift) (local.get $oo) (local.get $lo) (local.get $hi)))
            (local.set $d (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $ostride))))
            (i32.store8 (i32.add (local.get $d) (local.get $oc)) (i32x4.extract_lane 0 (local.get $y0)))
            (i32.store8 (i32.add (local.get $d) (local.get $ocb)) (i32x4.extract_lane 0 (local.get $y1)))
            (local.set $d (i32.add (local.get $out) (i32.mul (local.get $r1) (local.get $ostride))))
            (i32.store8 (i32.add (local.get $d) (local.get $oc)) (i32x4.extract_lane 1 (local.get $y0)))
            (i32.store8 (i32.add (local.get $d) (local.get $ocb)) (i32x4.extract_lane 1 (local.get $y1)))
            (local.set $d (i32.add (local.get $out) (i32.mul (local.get $r2) (local.get $ostride))))
            (i32.store8 (i32.add (local.get $d) (local.get $oc)) (i32x4.extract_lane 2 (local.get $y0)))
            (i32.store8 (i32.add (local.get $d) (local.get $ocb)) (i32x4.extract_lane 2 (local.get $y1)))
            (local.set $d (i32.add (local.get $out) (i32.mul (local.get $r3) (local.get $ostride))))
            (i32.store8 (i32.add (local.get $d) (local.get $oc)) (i32x4.extract_lane 3 (local.get $y0)))
            (i32.store8 (i32.add (local.get $d) (local.get $ocb)) (i32x4.extract_lane 3 (local.get $y1)))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $rloop)))
        (local.set $oc (i32.add (local.get $oc) (i32.const 2)))
        (br $ocloop))))

  ;; Same contract, one row at a time with 4 output channels per block (few-row GEMMs: FC, tails).
  (func (export "gemm_r1c4")
    (param $a i32) (param $rows i32) (param $kp i32) (param $w i32) (param $k i32)
    (param $oc0 i32) (param $oc1 i32) (param $bias i32) (param $mult i32) (param $shift i32)
    (param $out i32) (param $ostride i32) (param $oo i32) (param $lo i32) (param $hi i32) (param $ranges i32)
    (local $k0 i32) (local $k1 i32)
    (local $oc i32) (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $r i32) (local $last i32)
    (local $p i32) (local $pend i32) (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $x v128) (local $d i32)
    (local.set $last (i32.sub (local.get $oc1) (i32.const 1)))
    (local.set $r (i32.const 0))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $d (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $ostride))))
        (local.set $oc (local.get $oc0))
        (block $ocdone
          (loop $ocloop
            (br_if $ocdone (i32.ge_s (local.get $oc) (local.get $oc1)))
            (local.set $o1 (i32.add (local.get $oc) (i32.const 1)))
            (if (i32.gt_s (local.get $o1) (local.get $last)) (then (local.set $o1 (local.get $last))))
            (local.set $o2 (i32.add (local.get $oc) (i32.const 2)))
            (if (i32.gt_s (local.get $o2) (local.get $last)) (then (local.set $o2 (local.get $last))))
            (local.set $o3 (i32.add (local.get $oc) (i32.const 3)))
            (if (i32.gt_s (local.get $o3) (local.get $last)) (then (local.set $o3 (local.get $last))))
            (local.set $k0 (i32.const 0))
            (local.set $k1 (local.get $kp))
            (if (local.get $ranges)
              (then
                (local.set $k0 (i32.and (i32.load (i32.add (local.get $ranges) (i32.shl (local.get $r) (i32.const 3)))) (i32.const -8)))
                (local.set $k1 (i32.and (i32.add (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $r) (i32.const 3)))) (i32.const 7)) (i32.const -8)))))
            (local.set $p (i32.add (i32.add (local.get $a) (i32.mul (local.get $r) (i32.shl (local.get $kp) (i32.const 1)))) (i32.shl (local.get $k0) (i32.const 1))))
            (local.set $pend (i32.add (local.get $p) (i32.shl (i32.sub (local.get $k1) (local.get $k0)) (i32.const 1))))
            (local.set $q0 (i32.add (i32.add (local.get $w) (i32.mul (local.get $oc) (local.get $k))) (local.get $k0)))
            (local.set $q1 (i32.add (i32.add (local.get $w) (i32.mul (local.get $o1) (local.get $k))) (local.get $k0)))
            (local.set $q2 (i32.add (i32.add (local.get $w) (i32.mul (local.get $o2) (local.get $k))) (local.get $k0)))
            (local.set $q3 (i32.add (i32.add (local.get $w) (i32.mul (local.get $o3) (local.get $k))) (local.get $k0)))
            (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
            (local.set $c2 (v128.const i32x4 0 0 0 0)) (local.set $c3 (v128.const i32x4 0 0 0 0))
            (block $kdone
              (loop $kloop
                (br_if $kdone (i32.ge_u (local.get $p) (local.get $pend)))
                (local.set $x (v128.load (local.get $p)))
                (local.set $c0 (i32x4.add (local.get $c0) (i32x4.dot_i16x8_s (local.get $x) (v128.load8x8_s (local.get $q0)))))
                (local.set $c1 (i32x4.add (local.get $c1) (i32x4.dot_i16x8_s (local.get $x) (v128.load8x8_s (local.get $q1)))))
                (local.set $c2 (i32x4.add (local.get $c2) (i32x4.dot_i16x8_s (local.get $x) (v128.load8x8_s (local.get $q2)))))
                (local.set $c3 (i32x4.add (local.get $c3) (i32x4.dot_i16x8_s (local.get $x) (v128.load8x8_s (local.get $q3)))))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))
                (local.set $q0 (i32.add (local.get $q0) (i32.const 8)))
                (local.set $q1 (i32.add (local.get $q1) (i32.const 8)))
                (local.set $q2 (i32.add (local.get $q2) (i32.const 8)))
                (local.set $q3 (i32.add (local.get $q3) (i32.const 8)))
                (br $kloop)))
            (call $fin (i32.add (local.get $d) (local.get $oc)) (call $hsum (local.get $c0)) (local.get $oc)
              (local.get $bias) (local.get $mult) (local.get $shift) (local.get $oo) (local.get $lo) (local.get $hi))
            (call $fin (i32.add (local.get $d) (local.get $o1)) (call $hsum (local.get $c1)) (local.get $o1)
              (local.get $bias) (local.get $mult) (local.get $shift) (local.get $oo) (local.get $lo) (local.get $hi))
            (call $fin (i32.add (local.get $d) (local.get $o2)) (call $hsum (local.get $c2)) (local.get $o2)
              (local.get $bias) (local.get $mult) (local.get $shift) (local.get $oo) (local.get $lo) (local.get $hi))
            (call $fin (i32.add (local.get $d) (local.get $o3)) (call $hsum (local.get $c3)) (local.get $o3)
              (local.get $bias) (local.get $mult) (local.get $shift) (local.get $oo) (local.get $lo) (local.get $hi))
            (local.set $oc (i32.add (local.get $oc) (i32.const 4)))
            (br $ocloop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop))))

  ;; Depthwise (channel multiplier 1 after the caller's channel expansion): NHWC int8 input at $in
  ;; (batches x h x w x c), filter {KH, KW, c} int8 at $wt, output NHWC int8 at $out. Geometry comes
  ;; from 16 int32 at $geo: n, h, w, c, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, input_offset, _.
  ;; Eight channels per step: int16 (x + offset) and int16 w, widening multiplies into two int32x4
  ;; accumulators (exact products, wrapping sums). Lanes past c read neighbouring bytes (the caller
  ;; leaves 16 bytes of slack after input and output); their results are stored as part of an 8-byte
  ;; store and overwritten by the next pixel's (or land in the slack). Requantization tables: see $rqv.
  (func (export "depthwise")
    (param $geo i32) (param $in i32) (param $wt i32) (param $out i32)
    (param $bias i32) (param $lmul i32) (param $mult i32) (param $half i32) (param $neg i32) (param $inv i32)
    (param $oo i32) (param $lo i32) (param $hi i32)
    (local $oov v128) (local $lov v128) (local $hiv v128)
    (local $n i32) (local $h i32) (local $w i32) (local $c i32) (local $oh i32) (local $ow i32)
    (local $kh i32) (local $kw i32) (local $sh i32) (local $sw i32) (local $ph i32) (local $pw i32)
    (local $dh i32) (local $dw i32) (local $off v128)
    (local $b i32) (local $oy i32) (local $ox i32) (local $c0 i32) (local $ky i32) (local $kx i32)
    (local $iy i32) (local $ix i32) (local $rowp i32) (local $wrow i32) (local $dst i32)
    (local $acc0 v128) (local $acc1 v128) (local $x v128) (local $y v128)
    (local.set $n (i32.load offset=0 (local.get $geo)))
    (local.set $h (i32.load offset=4 (local.get $geo)))
    (local.set $w (i32.load offset=8 (local.get $geo)))
    (local.set $c (i32.load offset=12 (local.get $geo)))
    (local.set $oh (i32.load offset=16 (local.get $geo)))
    (local.set $ow (i32.load offset=20 (local.get $geo)))
    (local.set $kh (i32.load offset=24 (local.get $geo)))
    (local.set $kw (i32.load offset=28 (local.get $geo)))
    (local.set $sh (i32.load offset=32 (local.get $geo)))
    (local.set $sw (i32.load offset=36 (local.get $geo)))
    (local.set $ph (i32.load offset=40 (local.get $geo)))
    (local.set $pw (i32.load offset=44 (local.get $geo)))
    (local.set $dh (i32.load offset=48 (local.get $geo)))
    (local.set $dw (i32.load offset=52 (local.get $geo)))
    (local.set $off (i16x8.splat (i32.load offset=56 (local.get $geo))))
    (local.set $oov (i32x4.splat (local.get $oo)))
    (local.set $lov (i32x4.splat (local.get $lo)))
    (local.set $hiv (i32x4.splat (local.get $hi)))
    (local.set $dst (local.get $out))
    (local.set $b (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_s (local.get $b) (local.get $n)))
      (local.set $oy (i32.const 0))
      (block $ydone (loop $yloop
        (br_if $ydone (i32.ge_s (local.get $oy) (local.get $oh)))
        (local.set $ox (i32.const 0))
        (block $xdone (loop $xloop
          (br_if $xdone (i32.ge_s (local.get $ox) (local.get $ow)))
          (local.set $c0 (i32.const 0))
          (block $cdone (loop $cloop
            (br_if $cdone (i32.ge_s (local.get $c0) (local.get $c)))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $acc1 (v128.const i32x4 0 0 0 0))
            (local.set $ky (i32.const 0))
            (block $kydone (loop $kyloop
              (br_if $kydone (i32.ge_s (local.get $ky) (local.get $kh)))
              (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $ph))
                (i32.mul (local.get $ky) (local.get $dh))))
              (if (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $h)))
                (then
                  (local.set $rowp (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $iy)) (local.get $w)))
                  (local.set $wrow (i32.mul (local.get $ky) (local.get $kw)))
                  (local.set $kx (i32.const 0))
                  (block $kxdone (loop $kxloop
                    (br_if $kxdone (i32.ge_s (local.get $kx) (local.get $kw)))
                    (local.set $ix (i32.add (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pw))
                      (i32.mul (local.get $kx) (local.get $dw))))
                    (if (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.lt_s (local.get $ix) (local.get $w)))
                      (then
                        (local.set $x (i16x8.add (local.get $off)
                          (v128.load8x8_s (i32.add (local.get $in)
                            (i32.add (i32.mul (i32.add (local.get $rowp) (local.get $ix)) (local.get $c)) (local.get $c0))))))
                        (local.set $y (v128.load8x8_s (i32.add (local.get $wt)
                          (i32.add (i32.mul (i32.add (local.get $wrow) (local.get $kx)) (local.get $c)) (local.get $c0)))))
                        (local.set $acc0 (i32x4.add (local.get $acc0) (i32x4.extmul_low_i16x8_s (local.get $x) (local.get $y))))
                        (local.set $acc1 (i32x4.add (local.get $acc1) (i32x4.extmul_high_i16x8_s (local.get $x) (local.get $y))))))
                    (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                    (br $kxloop)))))
              (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
              (br $kyloop)))
            (local.set $x (call $rqv (local.get $acc0) (local.get $c0) (local.get $bias) (local.get $lmul) (local.get $mult)
              (local.get $half) (local.get $neg) (local.get $inv) (local.get $oov) (local.get $lov) (local.get $hiv)))
            (local.set $y (call $rqv (local.get $acc1) (i32.add (local.get $c0) (i32.const 4)) (local.get $bias) (local.get $lmul) (local.get $mult)
              (local.get $half) (local.get $neg) (local.get $inv) (local.get $oov) (local.get $lov) (local.get $hiv)))
            ;; values are within [lo, hi] ⊂ int8, so the saturating narrows are plain truncations
            (v128.store64_lane 0 (i32.add (local.get $dst) (local.get $c0))
              (i8x16.narrow_i16x8_s (i16x8.narrow_i32x4_s (local.get $x) (local.get $y)) (local.get $x)))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 8)))
            (br $cloop)))
          (local.set $dst (i32.add (local.get $dst) (local.get $c)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $xloop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop))))
  ;; im2col for the GEMM: rows [$r0, $r0 + $rows) of the output pixel list (b, oy, ox row-major)
  ;; into int16 rows of $kp elements at $dst: for each tap (ky, kx) the $ck channels starting at
  ;; channel $cbase of the input pixel it reads, as x + input_offset, or zeros when the tap falls
  ;; in the padding or in a zero-inserted upscale hole; then zeros up to $kp.
  ;; Copies run 8 channels at a time and may overshoot by up to 7 elements: the overshoot lands on
  ;; the next tap / the next row / the pad columns, which are written afterwards (the caller leaves
  ;; 16 bytes of slack after the input and after the A block).
  ;; $geo (int32): 0 realH, 1 realW, 2 c, 3 inH (virtual), 4 inW, 5 uh, 6 uw, 7 oh, 8 ow, 9 kh, 10 kw,
  ;; 11 sh, 12 sw, 13 ph, 14 pw, 15 dh, 16 dw, 17 ck, 18 cbase, 19 input_offset.
  ;; $ranges receives, per row, the int32 pair [first, end) of A columns spanned by in-bounds taps
  ;; (0, 0 when there are none): everything outside is zero, so the GEMM may skip it.
  (func (export "im2col") (param $geo i32) (param $in i32) (param $dst i32) (param $r0 i32) (param $rows i32) (param $kp i32)
    (param $ranges i32)
    (local $rowstart i32) (local $first i32) (local $lastend i32)
    (local $realh i32) (local $realw i32) (local $c i32) (local $inh i32) (local $inw i32) (local $uh i32) (local $uw i32)
    (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $sh i32) (local $sw i32)
    (local $ph i32) (local $pw i32) (local $dh i32) (local $dw i32) (local $ck i32) (local $cbase i32) (local $off v128)
    (local $p i32) (local $pend i32) (local $t i32) (local $b i32) (local $oy i32) (local $ox i32)
    (local $ky i32) (local $kx i32) (local $vy i32) (local $vx i32) (local $iy i32) (local $ix i32) (local $rowok i32)
    (local $a i32) (local $rowend i32) (local $src i32) (local $j i32) (local $ok i32)
    (local $n i32)
    (local.set $realh (i32.load offset=0 (local.get $geo)))
    (local.set $realw (i32.load offset=4 (local.get $geo)))
    (local.set $c (i32.load offset=8 (local.get $geo)))
    (local.set $inh (i32.load offset=12 (local.get $geo)))
    (local.set $inw (i32.load offset=16 (local.get $geo)))
    (local.set $uh (i32.load offset=20 (local.get $geo)))
    (local.set $uw (i32.load offset=24 (local.get $geo)))
    (local.set $oh (i32.load offset=28 (local.get $geo)))
    (local.set $ow (i32.load offset=32 (local.get $geo)))
    (local.set $kh (i32.load offset=36 (local.get $geo)))
    (local.set $kw (i32.load offset=40 (local.get $geo)))
    (local.set $sh (i32.load offset=44 (local.get $geo)))
    (local.set $sw (i32.load offset=48 (local.get $geo)))
    (local.set $ph (i32.load offset=52 (local.get $geo)))
    (local.set $pw (i32.load offset=56 (local.get $geo)))
    (local.set $dh (i32.load offset=60 (local.get $geo)))
    (local.set $dw (i32.load offset=64 (local.get $geo)))
    (local.set $ck (i32.load offset=68 (local.get $geo)))
    (local.set $cbase (i32.load offset=72 (local.get $geo)))
    (local.set $off (i16x8.splat (i32.load offset=76 (local.get $geo))))
    (local.set $a (local.get $dst))
    (local.set $p (local.get $r0))
    (local.set $pend (i32.add (local.get $r0) (local.get $rows)))
    ;; (b, oy, ox) of the first row; later rows step the counters (no division per row)
    (local.set $ox (i32.rem_u (local.get $p) (local.get $ow)))
    (local.set $t (i32.div_u (local.get $p) (local.get $ow)))
    (local.set $oy (i32.rem_u (local.get $t) (local.get $oh)))
    (local.set $b (i32.div_u (local.get $t) (local.get $oh)))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_s (local.get $p) (local.get $pend)))
      (local.set $rowend (i32.add (local.get $a) (i32.shl (local.get $kp) (i32.const 1))))
      (local.set $rowstart (local.get $a))
      (local.set $first (i32.const -1))
      (local.set $lastend (i32.const 0))
      (local.set $ky (i32.const 0))
      (block $kydone (loop $kyloop
        (br_if $kydone (i32.ge_s (local.get $ky) (local.get $kh)))
        (local.set $vy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $ph)) (i32.mul (local.get $ky) (local.get $dh))))
        (local.set $rowok (i32.and (i32.ge_s (local.get $vy) (i32.const 0)) (i32.lt_s (local.get $vy) (local.get $inh))))
        (local.set $iy (local.get $vy))
        (if (i32.and (local.get $rowok) (i32.ne (local.get $uh) (i32.const 1)))
          (then
            (local.set $rowok (i32.eqz (i32.rem_u (local.get $vy) (local.get $uh))))
            (local.set $iy (i32.div_u (local.get $vy) (local.get $uh)))
            (local.set $rowok (i32.and (local.get $rowok) (i32.lt_s (local.get $iy) (local.get $realh))))))
        ;; A row of taps that lies wholly inside the input, over all its channels, is one contiguous
        ;; run of input bytes: copy kw·c elements at once (the same values the per-tap copies write).
        (local.set $vx (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pw)))
        (if (i32.and
              (i32.and (local.get $rowok) (i32.and (i32.eq (local.get $dw) (i32.const 1)) (i32.eq (local.get $uw) (i32.const 1))))
              (i32.and (i32.eq (local.get $ck) (local.get $c))
                (i32.and (i32.ge_s (local.get $vx) (i32.const 0)) (i32.le_s (i32.add (local.get $vx) (local.get $kw)) (local.get $inw)))))
          (then
            (if (i32.lt_s (local.get $first) (i32.const 0))
              (then (local.set $first (i32.shr_u (i32.sub (local.get $a) (local.get $rowstart)) (i32.const 1)))))
            (local.set $n (i32.mul (local.get $kw) (local.get $c)))
            (local.set $lastend (i32.add (i32.shr_u (i32.sub (local.get $a) (local.get $rowstart)) (i32.const 1)) (local.get $n)))
            (local.set $src (i32.add (local.get $in)
              (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $realh)) (local.get $iy)) (local.get $realw)) (local.get $vx))
                (local.get $c))))
            (local.set $j (i32.const 0))
            (block $rundone (loop $runloop
              (br_if $rundone (i32.ge_s (local.get $j) (local.get $n)))
              (v128.store (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 1)))
                (i16x8.add (local.get $off) (v128.load8x8_s (i32.add (local.get $src) (local.get $j)))))
              (local.set $j (i32.add (local.get $j) (i32.const 8)))
              (br $runloop)))
            (local.set $a (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 1))))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br $kyloop)))
        (local.set $kx (i32.const 0))
        (block $kxdone (loop $kxloop
          (br_if $kxdone (i32.ge_s (local.get $kx) (local.get $kw)))
          (local.set $vx (i32.add (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pw)) (i32.mul (local.get $kx) (local.get $dw))))
          (local.set $ok (i32.and (local.get $rowok) (i32.and (i32.ge_s (local.get $vx) (i32.const 0)) (i32.lt_s (local.get $vx) (local.get $inw)))))
          (local.set $ix (local.get $vx))
          (if (i32.and (local.get $ok) (i32.ne (local.get $uw) (i32.const 1)))
            (then
              (local.set $ok (i32.eqz (i32.rem_u (local.get $vx) (local.get $uw))))
              (local.set $ix (i32.div_u (local.get $vx) (local.get $uw)))
              (local.set $ok (i32.and (local.get $ok) (i32.lt_s (local.get $ix) (local.get $realw))))))
          (if (local.get $ok)
            (then
              (if (i32.lt_s (local.get $first) (i32.const 0))
                (then (local.set $first (i32.shr_u (i32.sub (local.get $a) (local.get $rowstart)) (i32.const 1)))))
              (local.set $lastend (i32.add (i32.shr_u (i32.sub (local.get $a) (local.get $rowstart)) (i32.const 1)) (local.get $ck)))
              (local.set $src (i32.add (local.get $in)
                (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $realh)) (local.get $iy)) (local.get $realw)) (local.get $ix)) (local.get $c))
                  (local.get $cbase))))
              (local.set $j (i32.const 0))
              (block $cdone (loop $cloop
                (br_if $cdone (i32.ge_s (local.get $j) (local.get $ck)))
                (v128.store (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 1)))
                  (i16x8.add (local.get $off) (v128.load8x8_s (i32.add (local.get $src) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 8)))
                (br $cloop))))
            (else
              (local.set $j (i32.const 0))
              (block $zdone (loop $zloop
                (br_if $zdone (i32.ge_s (local.get $j) (local.get $ck)))
                (v128.store (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 1))) (v128.const i32x4 0 0 0 0))
                (local.set $j (i32.add (local.get $j) (i32.const 8)))
                (br $zloop)))))
          (local.set $a (i32.add (local.get $a) (i32.shl (local.get $ck) (i32.const 1))))
          (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
          (br $kxloop)))
        (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
        (br $kyloop)))
      ;; zero the pad columns (at most 7) with one 16-byte store
      (if (i32.lt_u (local.get $a) (local.get $rowend)) (then (v128.store (local.get $a) (v128.const i32x4 0 0 0 0))))
      (i32.store (local.get $ranges) (select (local.get $first) (i32.const 0) (i32.ge_s (local.get $first) (i32.const 0))))
      (i32.store offset=4 (local.get $ranges) (local.get $lastend))
      (local.set $ranges (i32.add (local.get $ranges) (i32.const 8)))
      (local.set $a (local.get $rowend))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
      (if (i32.eq (local.get $ox) (local.get $ow))
        (then
          (local.set $ox (i32.const 0))
          (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
          (if (i32.eq (local.get $oy) (local.get $oh))
            (then (local.set $oy (i32.const 0)) (local.set $b (i32.add (local.get $b) (i32.const 1)))))))
      (br $ploop))))

  ;; arm_elementwise_add_s8 over $n elements: the caller tabulates, per input, the requantized
  ;; left-shifted (x + offset) for all 256 int8 x (int32 tables at $lut1 / $lut2); the sum is
  ;; requantized with the output multiplier here.
  (func (export "add_s8") (param $in1 i32) (param $in2 i32) (param $out i32) (param $n i32) (param $lut1 i32) (param $lut2 i32)
    (param $m i32) (param $s i32) (param $oo i32) (param $lo i32) (param $hi i32)
    (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (local.get $out) (local.get $i))
        (call $rq
          (i32.add
            (i32.load (i32.add (local.get $lut1) (i32.shl (i32.add (i32.load8_s (i32.add (local.get $in1) (local.get $i))) (i32.const 128)) (i32.const 2))))
            (i32.load (i32.add (local.get $lut2) (i32.shl (i32.add (i32.load8_s (i32.add (local.get $in2) (local.get $i))) (i32.const 128)) (i32.const 2)))))
          (local.get $m) (local.get $s) (local.get $oo) (local.get $lo) (local.get $hi)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  ;; 256-entry int8 table lookup over $n elements (n a multiple of 16; the caller does the rest):
  ;; out = tab[x + 128]. The table is 16 chunks of 16 bytes; with u = x xor 0x80 (= x + 128 as
  ;; an unsigned byte), chunk k answers lanes whose u - 16k lies in [0, 16) and swizzle gives 0
  ;; for every other lane (an index >= 16 as unsigned), so OR-ing the 16 answers is the lookup.
  (func (export "lut_s8") (param $in i32) (param $out i32) (param $n i32) (param $tab i32)
    (local $i i32) (local $u v128) (local $y v128) (local $k i32)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $u (v128.xor (v128.load (i32.add (local.get $in) (local.get $i))) (i8x16.splat (i32.const 0x80))))
      (local.set $y (i8x16.swizzle (v128.load (local.get $tab)) (local.get $u)))
      (local.set $k (i32.const 16))
      (block $kdone (loop $kl
        (br_if $kdone (i32.ge_s (local.get $k) (i32.const 256)))
        (local.set $u (i8x16.sub (local.get $u) (i8x16.splat (i32.const 16))))
        (local.set $y (v128.or (local.get $y) (i8x16.swizzle (v128.load (i32.add (local.get $tab) (local.get $k))) (local.get $u))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $kl)))
      (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $y))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l))))

  ;; LSTM gate pre-activations in single precision, in clg_float.c's order (src/kernels/float32/kernels.ts):
  ;;   out[g] = bias[g] + sum_k x[k]·wt[k][g] + sum_k h[k]·rt[k][g],  k ascending
  ;; one f32 lane per gate, so lanes never mix and every gate's sum is the scalar one (wasm's f32
  ;; mul and add each round once, as IEEE single; wasm never fuses). wt is [I][G] and rt [H][G]
  ;; (transposed by the driver), G a multiple of 16; x, h, bias and out are f32.
  (func (export "lstm_gates") (param $x i32) (param $h i32) (param $wt i32) (param $rt i32) (param $bias i32)
    (param $out i32) (param $ni i32) (param $nh i32) (param $g i32)
    (local $gb i32) (local $k i32) (local $p i32) (local $rowb i32) (local $s v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rowb (i32.shl (local.get $g) (i32.const 2)))
    (block $gdone (loop $gloop
      (br_if $gdone (i32.ge_s (local.get $gb) (local.get $g)))
      (local.set $p (i32.add (local.get $bias) (i32.shl (local.get $gb) (i32.const 2))))
      (local.set $a0 (v128.load (local.get $p)))
      (local.set $a1 (v128.load offset=16 (local.get $p)))
      (local.set $a2 (v128.load offset=32 (local.get $p)))
      (local.set $a3 (v128.load offset=48 (local.get $p)))
      (local.set $p (i32.add (local.get $wt) (i32.shl (local.get $gb) (i32.const 2))))
      (local.set $k (i32.const 0))
      (block $xdone (loop $xloop
        (br_if $xdone (i32.ge_s (local.get $k) (local.get $ni)))
        (local.set $s (v128.load32_splat (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load (local.get $p)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $p)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $p)))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (local.get $rowb)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $xloop)))
      (local.set $p (i32.add (local.get $rt) (i32.shl (local.get $gb) (i32.const 2))))
      (local.set $k (i32.const 0))
      (block $hdone (loop $hloop
        (br_if $hdone (i32.ge_s (local.get $k) (local.get $nh)))
        (local.set $s (v128.load32_splat (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load (local.get $p)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $p)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $p)))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (local.get $rowb)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $hloop)))
      (local.set $p (i32.add (local.get $out) (i32.shl (local.get $gb) (i32.const 2))))
      (v128.store (local.get $p) (local.get $a0))
      (v128.store offset=16 (local.get $p) (local.get $a1))
      (v128.store offset=32 (local.get $p) (local.get $a2))
      (v128.store offset=48 (local.get $p) (local.get $a3))
      (local.set $gb (i32.add (local.get $gb) (i32.const 16)))
      (br $gloop))))

  ;; arm_elementwise_mul_s8 over $n elements: requantize((x1 + o1)·(x2 + o2)).
  (func (export "mul_s8") (param $in1 i32) (param $in2 i32) (param $out i32) (param $n i32) (param $o1 i32) (param $o2 i32)
    (param $m i32) (param $s i32) (param $oo i32) (param $lo i32) (param $hi i32)
    (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (local.get $out) (local.get $i))
        (call $rq
          (i32.mul
            (i32.add (i32.load8_s (i32.add (local.get $in1) (local.get $i))) (local.get $o1))
            (i32.add (i32.load8_s (i32.add (local.get $in2) (local.get $i))) (local.get $o2)))
          (local.get $m) (local.get $s) (local.get $oo) (local.get $lo) (local.get $hi)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  ;; arm_max_pool_s8 (NHWC): max over the in-bounds window starting from -128, clamped; 16 channels
  ;; per step (lanes past c read and write neighbouring bytes, rewritten later or in the caller's
  ;; 16 bytes of slack). $geo (int32): n, h, w, c, oh, ow, kh, kw, sh, sw, ph, pw, act_min, act_max.
  (func (export "max_pool") (param $geo i32) (param $in i32) (param $out i32)
    (local $n i32) (local $h i32) (local $w i32) (local $c i32) (local $oh i32) (local $ow i32)
    (local $kh i32) (local $kw i32) (local $sh i32) (local $sw i32) (local $ph i32) (local $pw i32)
    (local $lo v128) (local $hi v128) (local $b i32) (local $oy i32) (local $ox i32) (local $y0 i32) (local $x0 i32)
    (local $ky0 i32) (local $ky1 i32) (local $kx0 i32) (local $kx1 i32) (local $ky i32) (local $kx i32)
    (local $c0 i32) (local $m v128) (local $dst i32) (local $src i32)
    (local.set $n (i32.load offset=0 (local.get $geo)))
    (local.set $h (i32.load offset=4 (local.get $geo)))
    (local.set $w (i32.load offset=8 (local.get $geo)))
    (local.set $c (i32.load offset=12 (local.get $geo)))
    (local.set $oh (i32.load offset=16 (local.get $geo)))
    (local.set $ow (i32.load offset=20 (local.get $geo)))
    (local.set $kh (i32.load offset=24 (local.get $geo)))
    (local.set $kw (i32.load offset=28 (local.get $geo)))
    (local.set $sh (i32.load offset=32 (local.get $geo)))
    (local.set $sw (i32.load offset=36 (local.get $geo)))
    (local.set $ph (i32.load offset=40 (local.get $geo)))
    (local.set $pw (i32.load offset=44 (local.get $geo)))
    (local.set $lo (i8x16.splat (i32.load offset=48 (local.get $geo))))
    (local.set $hi (i8x16.splat (i32.load offset=52 (local.get $geo))))
    (local.set $dst (local.get $out))
    (local.set $b (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_s (local.get $b) (local.get $n)))
      (local.set $oy (i32.const 0))
      (block $ydone (loop $yloop
        (br_if $ydone (i32.ge_s (local.get $oy) (local.get $oh)))
        (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $ph)))
        (local.set $ky0 (select (i32.sub (i32.const 0) (local.get $y0)) (i32.const 0) (i32.lt_s (local.get $y0) (i32.const 0))))
        (local.set $ky1 (i32.sub (local.get $h) (local.get $y0)))
        (if (i32.gt_s (local.get $ky1) (local.get $kh)) (then (local.set $ky1 (local.get $kh))))
        (local.set $ox (i32.const 0))
        (block $xdone (loop $xloop
          (br_if $xdone (i32.ge_s (local.get $ox) (local.get $ow)))
          (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pw)))
          (local.set $kx0 (select (i32.sub (i32.const 0) (local.get $x0)) (i32.const 0) (i32.lt_s (local.get $x0) (i32.const 0))))
          (local.set $kx1 (i32.sub (local.get $w) (local.get $x0)))
          (if (i32.gt_s (local.get $kx1) (local.get $kw)) (then (local.set $kx1 (local.get $kw))))
          (local.set $c0 (i32.const 0))
          (block $cdone (loop $cloop
            (br_if $cdone (i32.ge_s (local.get $c0) (local.get $c)))
            (local.set $m (i8x16.splat (i32.const -128)))
            (local.set $ky (local.get $ky0))
            (block $kydone (loop $kyloop
              (br_if $kydone (i32.ge_s (local.get $ky) (local.get $ky1)))
              (local.set $src (i32.add (local.get $in) (i32.add (local.get $c0) (i32.mul (local.get $c)
                (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (i32.add (local.get $y0) (local.get $ky))) (local.get $w))
                  (i32.add (local.get $x0) (local.get $kx0)))))))
              (local.set $kx (local.get $kx0))
              (block $kxdone (loop $kxloop
                (br_if $kxdone (i32.ge_s (local.get $kx) (local.get $kx1)))
                (local.set $m (i8x16.max_s (local.get $m) (v128.load (local.get $src))))
                (local.set $src (i32.add (local.get $src) (local.get $c)))
                (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                (br $kxloop)))
              (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
              (br $kyloop)))
            (v128.store (i32.add (local.get $dst) (local.get $c0))
              (i8x16.min_s (i8x16.max_s (local.get $m) (local.get $lo)) (local.get $hi)))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 16)))
            (br $cloop)))
          (local.set $dst (i32.add (local.get $dst) (local.get $c)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $xloop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop))))
)
