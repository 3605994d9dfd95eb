; ModuleID = 'tiny'
source_filename = "tiny"

%PcnJitState = type { float**, double*, i8*, [2 x float], [2 x float] }

declare float @erff(float)

declare float @expf(float)

declare float @expm1f(float)

declare float @tanhf(float)

declare void @cblas_sgemm(i32, i32, i32, i32, i32, i32, float, float*, i32, float*, i32, float, float*, i32)

declare extern_weak i32 @pcn_rt_jit_op(%PcnJitState*, i32, i32, i32, i32)

declare extern_weak double @pcn_rt_rows(double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)

define i32 @pcn_train_init(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  %1 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x = load float*, float** %1, align 8
  %2 = getelementptr inbounds float*, float** %bufs, i64 17
  %"W.x->h" = load float*, float** %2, align 8
  %3 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %3, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 3, i32 2, float 1.000000e+00, float* %h.x, i32 2, float* %"W.x->h", i32 3, float 0.000000e+00, float* %a.h, i32 3)
  %4 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h1 = load float*, float** %4, align 8
  %5 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %5, align 8
  %6 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %6, align 8
  br label %fs.r.head

fs.r.head:                                        ; preds = %fs.j.end, %entry
  %fs.r = phi i64 [ 0, %entry ], [ %14, %fs.j.end ]
  %7 = icmp slt i64 %fs.r, %n64
  br i1 %7, label %fs.r.body, label %fs.r.end

fs.r.body:                                        ; preds = %fs.r.head
  %row = mul nsw i64 %fs.r, 3
  br label %fs.j.head

fs.j.head:                                        ; preds = %fs.j.body, %fs.r.body
  %fs.j = phi i64 [ 0, %fs.r.body ], [ %13, %fs.j.body ]
  %8 = icmp slt i64 %fs.j, 3
  br i1 %8, label %fs.j.body, label %fs.j.end

fs.j.body:                                        ; preds = %fs.j.head
  %i = add nsw i64 %row, %fs.j
  %9 = getelementptr inbounds float, float* %a.h1, i64 %i
  %a = load float, float* %9, align 4
  %10 = getelementptr inbounds float, float* %b.h, i64 %fs.j
  %bias = load float, float* %10, align 4
  %a2 = fadd float %a, %bias
  %11 = getelementptr inbounds float, float* %a.h1, i64 %i
  store float %a2, float* %11, align 4
  %t = call float @tanhf(float %a2)
  %12 = getelementptr inbounds float, float* %h.h, i64 %i
  store float %t, float* %12, align 4
  %13 = add nsw i64 %fs.j, 1
  br label %fs.j.head

fs.j.end:                                         ; preds = %fs.j.head
  %14 = add nsw i64 %fs.r, 1
  br label %fs.r.head

fs.r.end:                                         ; preds = %fs.r.head
  ret i32 0
}

define i32 @pcn_train_step(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  %1 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x = load float*, float** %1, align 8
  %2 = getelementptr inbounds float*, float** %bufs, i64 17
  %"W.x->h" = load float*, float** %2, align 8
  %3 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %3, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 3, i32 2, float 1.000000e+00, float* %h.x, i32 2, float* %"W.x->h", i32 3, float 0.000000e+00, float* %a.h, i32 3)
  %4 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %5, align 8
  %6 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %6, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  %7 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h1 = load float*, float** %7, align 8
  %8 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h2 = load float*, float** %8, align 8
  %9 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 3
  %mu.h = load float*, float** %10, align 8
  %11 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %12, align 8
  %13 = getelementptr inbounds float*, float** %bufs, i64 6
  %dh.h = load float*, float** %13, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %29, %pr.j.end ]
  %14 = icmp slt i64 %pr.r, %n64
  br i1 %14, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %28, %pr.j.body ]
  %15 = icmp slt i64 %pr.j, 3
  br i1 %15, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %16 = getelementptr inbounds float, float* %a.h1, i64 %i
  %a = load float, float* %16, align 4
  %17 = getelementptr inbounds float, float* %b.h, i64 %pr.j
  %bias = load float, float* %17, align 4
  %a3 = fadd float %a, %bias
  %18 = getelementptr inbounds float, float* %a.h1, i64 %i
  store float %a3, float* %18, align 4
  %t = call float @tanhf(float %a3)
  %19 = fmul float %t, %t
  %d = fsub float 1.000000e+00, %19
  %20 = getelementptr inbounds float, float* %mu.h, i64 %i
  store float %t, float* %20, align 4
  %21 = getelementptr inbounds float, float* %h.h2, i64 %i
  %h = load float, float* %21, align 4
  %e = fsub float %h, %t
  %22 = getelementptr inbounds float, float* %e.h, i64 %i
  store float %e, float* %22, align 4
  %g = fmul float %d, %e
  %23 = getelementptr inbounds float, float* %g.h, i64 %i
  store float %g, float* %23, align 4
  %24 = getelementptr inbounds float, float* %dh.h, i64 %i
  store float %e, float* %24, align 4
  %25 = fpext float %e to double
  %acc4 = load double, double* %acc, align 8
  %26 = fmul double %25, %25
  %27 = fadd double %acc4, %26
  store double %27, double* %acc, align 8
  %28 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %29 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %energy = load double, double* %acc, align 8
  %30 = fmul double 5.000000e-01, %energy
  %31 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %31, align 8
  %32 = getelementptr inbounds double, double* %energies, i64 1
  store double %30, double* %32, align 8
  %33 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y5 = load float*, float** %33, align 8
  %34 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %34, align 8
  %35 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %35, align 8
  %36 = getelementptr inbounds float*, float** %bufs, i64 11
  %mu.y = load float*, float** %36, align 8
  %37 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %37, align 8
  %38 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %38, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head6

pr.r.head6:                                       ; preds = %pr.j.end13, %pr.r.end
  %pr.r9 = phi i64 [ 0, %pr.r.end ], [ %52, %pr.j.end13 ]
  %39 = icmp slt i64 %pr.r9, %n64
  br i1 %39, label %pr.r.body7, label %pr.r.end8

pr.r.body7:                                       ; preds = %pr.r.head6
  %row10 = mul nsw i64 %pr.r9, 2
  br label %pr.j.head11

pr.j.head11:                                      ; preds = %pr.j.body12, %pr.r.body7
  %pr.j14 = phi i64 [ 0, %pr.r.body7 ], [ %51, %pr.j.body12 ]
  %40 = icmp slt i64 %pr.j14, 2
  br i1 %40, label %pr.j.body12, label %pr.j.end13

pr.j.body12:                                      ; preds = %pr.j.head11
  %i15 = add nsw i64 %row10, %pr.j14
  %41 = getelementptr inbounds float, float* %a.y5, i64 %i15
  %a16 = load float, float* %41, align 4
  %42 = getelementptr inbounds float, float* %b.y, i64 %pr.j14
  %bias17 = load float, float* %42, align 4
  %a18 = fadd float %a16, %bias17
  %43 = getelementptr inbounds float, float* %a.y5, i64 %i15
  store float %a18, float* %43, align 4
  %44 = getelementptr inbounds float, float* %mu.y, i64 %i15
  store float %a18, float* %44, align 4
  %45 = getelementptr inbounds float, float* %h.y, i64 %i15
  %h19 = load float, float* %45, align 4
  %e20 = fsub float %h19, %a18
  %46 = getelementptr inbounds float, float* %e.y, i64 %i15
  store float %e20, float* %46, align 4
  %g21 = fmul float 1.000000e+00, %e20
  %47 = getelementptr inbounds float, float* %g.y, i64 %i15
  store float %g21, float* %47, align 4
  %48 = fpext float %e20 to double
  %acc22 = load double, double* %acc, align 8
  %49 = fmul double %48, %48
  %50 = fadd double %acc22, %49
  store double %50, double* %acc, align 8
  %51 = add nsw i64 %pr.j14, 1
  br label %pr.j.head11

pr.j.end13:                                       ; preds = %pr.j.head11
  %52 = add nsw i64 %pr.r9, 1
  br label %pr.r.head6

pr.r.end8:                                        ; preds = %pr.r.head6
  %energy23 = load double, double* %acc, align 8
  %53 = fmul double 5.000000e-01, %energy23
  %54 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies24 = load double*, double** %54, align 8
  %55 = getelementptr inbounds double, double* %energies24, i64 2
  store double %53, double* %55, align 8
  %56 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y25 = load float*, float** %56, align 8
  %57 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y26" = load float*, float** %57, align 8
  %58 = getelementptr inbounds float*, float** %bufs, i64 6
  %dh.h27 = load float*, float** %58, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 112, i32 %n, i32 3, i32 2, float -1.000000e+00, float* %g.y25, i32 2, float* %"W.h->y26", i32 2, float 1.000000e+00, float* %dh.h27, i32 3)
  %59 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h28 = load float*, float** %59, align 8
  %60 = getelementptr inbounds float*, float** %bufs, i64 6
  %dh.h29 = load float*, float** %60, align 8
  %count = mul nsw i64 %n64, 3
  %61 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 3, i32 0
  %alpha = load float, float* %61, align 4
  br label %upd.head

upd.head:                                         ; preds = %upd.body, %pr.r.end8
  %upd = phi i64 [ 0, %pr.r.end8 ], [ %68, %upd.body ]
  %62 = icmp slt i64 %upd, %count
  br i1 %62, label %upd.body, label %upd.end

upd.body:                                         ; preds = %upd.head
  %63 = getelementptr inbounds float, float* %h.h28, i64 %upd
  %h30 = load float, float* %63, align 4
  %64 = getelementptr inbounds float, float* %dh.h29, i64 %upd
  %dh = load float, float* %64, align 4
  %65 = fmul float %alpha, %dh
  %66 = fsub float %h30, %65
  %67 = getelementptr inbounds float, float* %h.h28, i64 %upd
  store float %66, float* %67, align 4
  %68 = add nsw i64 %upd, 1
  br label %upd.head

upd.end:                                          ; preds = %upd.head
  ret i32 0
}

define i32 @pcn_train_learn(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  %1 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x = load float*, float** %1, align 8
  %2 = getelementptr inbounds float*, float** %bufs, i64 17
  %"W.x->h" = load float*, float** %2, align 8
  %3 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %3, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 3, i32 2, float 1.000000e+00, float* %h.x, i32 2, float* %"W.x->h", i32 3, float 0.000000e+00, float* %a.h, i32 3)
  %4 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %5, align 8
  %6 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %6, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  %7 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h1 = load float*, float** %7, align 8
  %8 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h2 = load float*, float** %8, align 8
  %9 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 3
  %mu.h = load float*, float** %10, align 8
  %11 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %12, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %27, %pr.j.end ]
  %13 = icmp slt i64 %pr.r, %n64
  br i1 %13, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %26, %pr.j.body ]
  %14 = icmp slt i64 %pr.j, 3
  br i1 %14, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %15 = getelementptr inbounds float, float* %a.h1, i64 %i
  %a = load float, float* %15, align 4
  %16 = getelementptr inbounds float, float* %b.h, i64 %pr.j
  %bias = load float, float* %16, align 4
  %a3 = fadd float %a, %bias
  %17 = getelementptr inbounds float, float* %a.h1, i64 %i
  store float %a3, float* %17, align 4
  %t = call float @tanhf(float %a3)
  %18 = fmul float %t, %t
  %d = fsub float 1.000000e+00, %18
  %19 = getelementptr inbounds float, float* %mu.h, i64 %i
  store float %t, float* %19, align 4
  %20 = getelementptr inbounds float, float* %h.h2, i64 %i
  %h = load float, float* %20, align 4
  %e = fsub float %h, %t
  %21 = getelementptr inbounds float, float* %e.h, i64 %i
  store float %e, float* %21, align 4
  %g = fmul float %d, %e
  %22 = getelementptr inbounds float, float* %g.h, i64 %i
  store float %g, float* %22, align 4
  %23 = fpext float %e to double
  %acc4 = load double, double* %acc, align 8
  %24 = fmul double %23, %23
  %25 = fadd double %acc4, %24
  store double %25, double* %acc, align 8
  %26 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %27 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %energy = load double, double* %acc, align 8
  %28 = fmul double 5.000000e-01, %energy
  %29 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %29, align 8
  %30 = getelementptr inbounds double, double* %energies, i64 1
  store double %28, double* %30, align 8
  %31 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y5 = load float*, float** %31, align 8
  %32 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %32, align 8
  %33 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %33, align 8
  %34 = getelementptr inbounds float*, float** %bufs, i64 11
  %mu.y = load float*, float** %34, align 8
  %35 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %35, align 8
  %36 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %36, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head6

pr.r.head6:                                       ; preds = %pr.j.end13, %pr.r.end
  %pr.r9 = phi i64 [ 0, %pr.r.end ], [ %50, %pr.j.end13 ]
  %37 = icmp slt i64 %pr.r9, %n64
  br i1 %37, label %pr.r.body7, label %pr.r.end8

pr.r.body7:                                       ; preds = %pr.r.head6
  %row10 = mul nsw i64 %pr.r9, 2
  br label %pr.j.head11

pr.j.head11:                                      ; preds = %pr.j.body12, %pr.r.body7
  %pr.j14 = phi i64 [ 0, %pr.r.body7 ], [ %49, %pr.j.body12 ]
  %38 = icmp slt i64 %pr.j14, 2
  br i1 %38, label %pr.j.body12, label %pr.j.end13

pr.j.body12:                                      ; preds = %pr.j.head11
  %i15 = add nsw i64 %row10, %pr.j14
  %39 = getelementptr inbounds float, float* %a.y5, i64 %i15
  %a16 = load float, float* %39, align 4
  %40 = getelementptr inbounds float, float* %b.y, i64 %pr.j14
  %bias17 = load float, float* %40, align 4
  %a18 = fadd float %a16, %bias17
  %41 = getelementptr inbounds float, float* %a.y5, i64 %i15
  store float %a18, float* %41, align 4
  %42 = getelementptr inbounds float, float* %mu.y, i64 %i15
  store float %a18, float* %42, align 4
  %43 = getelementptr inbounds float, float* %h.y, i64 %i15
  %h19 = load float, float* %43, align 4
  %e20 = fsub float %h19, %a18
  %44 = getelementptr inbounds float, float* %e.y, i64 %i15
  store float %e20, float* %44, align 4
  %g21 = fmul float 1.000000e+00, %e20
  %45 = getelementptr inbounds float, float* %g.y, i64 %i15
  store float %g21, float* %45, align 4
  %46 = fpext float %e20 to double
  %acc22 = load double, double* %acc, align 8
  %47 = fmul double %46, %46
  %48 = fadd double %acc22, %47
  store double %48, double* %acc, align 8
  %49 = add nsw i64 %pr.j14, 1
  br label %pr.j.head11

pr.j.end13:                                       ; preds = %pr.j.head11
  %50 = add nsw i64 %pr.r9, 1
  br label %pr.r.head6

pr.r.end8:                                        ; preds = %pr.r.head6
  %energy23 = load double, double* %acc, align 8
  %51 = fmul double 5.000000e-01, %energy23
  %52 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies24 = load double*, double** %52, align 8
  %53 = getelementptr inbounds double, double* %energies24, i64 2
  store double %51, double* %53, align 8
  %54 = sitofp i32 %n to float
  %alpha = fdiv float -1.000000e+00, %54
  %55 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x25 = load float*, float** %55, align 8
  %56 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h26 = load float*, float** %56, align 8
  %57 = getelementptr inbounds float*, float** %bufs, i64 18
  %"dW.x->h" = load float*, float** %57, align 8
  call void @cblas_sgemm(i32 101, i32 112, i32 111, i32 2, i32 3, i32 %n, float %alpha, float* %h.x25, i32 2, float* %g.h26, i32 3, float 0.000000e+00, float* %"dW.x->h", i32 3)
  %58 = sitofp i32 %n to float
  %alpha27 = fdiv float -1.000000e+00, %58
  %59 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h28 = load float*, float** %59, align 8
  %60 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y29 = load float*, float** %60, align 8
  %61 = getelementptr inbounds float*, float** %bufs, i64 20
  %"dW.h->y" = load float*, float** %61, align 8
  call void @cblas_sgemm(i32 101, i32 112, i32 111, i32 3, i32 2, i32 %n, float %alpha27, float* %h.h28, i32 3, float* %g.y29, i32 2, float 0.000000e+00, float* %"dW.h->y", i32 2)
  %62 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h30 = load float*, float** %62, align 8
  %63 = getelementptr inbounds float*, float** %bufs, i64 8
  %db.h = load float*, float** %63, align 8
  %nd = sitofp i32 %n to double
  br label %bg.j.head

bg.j.head:                                        ; preds = %bg.r.end, %pr.r.end8
  %bg.j = phi i64 [ 0, %pr.r.end8 ], [ %74, %bg.r.end ]
  %64 = icmp slt i64 %bg.j, 3
  br i1 %64, label %bg.j.body, label %bg.j.end

bg.j.body:                                        ; preds = %bg.j.head
  store double 0.000000e+00, double* %acc, align 8
  br label %bg.r.head

bg.r.head:                                        ; preds = %bg.r.body, %bg.j.body
  %bg.r = phi i64 [ 0, %bg.j.body ], [ %70, %bg.r.body ]
  %65 = icmp slt i64 %bg.r, %n64
  br i1 %65, label %bg.r.body, label %bg.r.end

bg.r.body:                                        ; preds = %bg.r.head
  %66 = mul nsw i64 %bg.r, 3
  %i31 = add nsw i64 %66, %bg.j
  %67 = getelementptr inbounds float, float* %g.h30, i64 %i31
  %g32 = load float, float* %67, align 4
  %68 = fpext float %g32 to double
  %acc33 = load double, double* %acc, align 8
  %69 = fadd double %acc33, %68
  store double %69, double* %acc, align 8
  %70 = add nsw i64 %bg.r, 1
  br label %bg.r.head

bg.r.end:                                         ; preds = %bg.r.head
  %sum = load double, double* %acc, align 8
  %71 = fneg double %sum
  %72 = fdiv double %71, %nd
  %db = fptrunc double %72 to float
  %73 = getelementptr inbounds float, float* %db.h, i64 %bg.j
  store float %db, float* %73, align 4
  %74 = add nsw i64 %bg.j, 1
  br label %bg.j.head

bg.j.end:                                         ; preds = %bg.j.head
  %75 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y34 = load float*, float** %75, align 8
  %76 = getelementptr inbounds float*, float** %bufs, i64 16
  %db.y = load float*, float** %76, align 8
  %nd35 = sitofp i32 %n to double
  br label %bg.j.head36

bg.j.head36:                                      ; preds = %bg.r.end42, %bg.j.end
  %bg.j39 = phi i64 [ 0, %bg.j.end ], [ %87, %bg.r.end42 ]
  %77 = icmp slt i64 %bg.j39, 2
  br i1 %77, label %bg.j.body37, label %bg.j.end38

bg.j.body37:                                      ; preds = %bg.j.head36
  store double 0.000000e+00, double* %acc, align 8
  br label %bg.r.head40

bg.r.head40:                                      ; preds = %bg.r.body41, %bg.j.body37
  %bg.r43 = phi i64 [ 0, %bg.j.body37 ], [ %83, %bg.r.body41 ]
  %78 = icmp slt i64 %bg.r43, %n64
  br i1 %78, label %bg.r.body41, label %bg.r.end42

bg.r.body41:                                      ; preds = %bg.r.head40
  %79 = mul nsw i64 %bg.r43, 2
  %i44 = add nsw i64 %79, %bg.j39
  %80 = getelementptr inbounds float, float* %g.y34, i64 %i44
  %g45 = load float, float* %80, align 4
  %81 = fpext float %g45 to double
  %acc46 = load double, double* %acc, align 8
  %82 = fadd double %acc46, %81
  store double %82, double* %acc, align 8
  %83 = add nsw i64 %bg.r43, 1
  br label %bg.r.head40

bg.r.end42:                                       ; preds = %bg.r.head40
  %sum47 = load double, double* %acc, align 8
  %84 = fneg double %sum47
  %85 = fdiv double %84, %nd35
  %db48 = fptrunc double %85 to float
  %86 = getelementptr inbounds float, float* %db.y, i64 %bg.j39
  store float %db48, float* %86, align 4
  %87 = add nsw i64 %bg.j39, 1
  br label %bg.j.head36

bg.j.end38:                                       ; preds = %bg.j.head36
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call, label %rt.none

rt.call:                                          ; preds = %bg.j.end38
  %rc = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 0, i32 %n)
  %88 = icmp eq i32 %rc, 0
  br i1 %88, label %rt.cont, label %rt.fail

rt.none:                                          ; preds = %bg.j.end38
  ret i32 -1

rt.fail:                                          ; preds = %rt.call
  ret i32 %rc

rt.cont:                                          ; preds = %rt.call
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call49, label %rt.none50

rt.call49:                                        ; preds = %rt.cont
  %rc53 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 1, i32 %n)
  %89 = icmp eq i32 %rc53, 0
  br i1 %89, label %rt.cont52, label %rt.fail51

rt.none50:                                        ; preds = %rt.cont
  ret i32 -1

rt.fail51:                                        ; preds = %rt.call49
  ret i32 %rc53

rt.cont52:                                        ; preds = %rt.call49
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call54, label %rt.none55

rt.call54:                                        ; preds = %rt.cont52
  %rc58 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 2, i32 %n)
  %90 = icmp eq i32 %rc58, 0
  br i1 %90, label %rt.cont57, label %rt.fail56

rt.none55:                                        ; preds = %rt.cont52
  ret i32 -1

rt.fail56:                                        ; preds = %rt.call54
  ret i32 %rc58

rt.cont57:                                        ; preds = %rt.call54
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call59, label %rt.none60

rt.call59:                                        ; preds = %rt.cont57
  %rc63 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 3, i32 %n)
  %91 = icmp eq i32 %rc63, 0
  br i1 %91, label %rt.cont62, label %rt.fail61

rt.none60:                                        ; preds = %rt.cont57
  ret i32 -1

rt.fail61:                                        ; preds = %rt.call59
  ret i32 %rc63

rt.cont62:                                        ; preds = %rt.call59
  ret i32 0
}

define i32 @pcn_eval_init(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  %1 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x = load float*, float** %1, align 8
  %2 = getelementptr inbounds float*, float** %bufs, i64 17
  %"W.x->h" = load float*, float** %2, align 8
  %3 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %3, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 3, i32 2, float 1.000000e+00, float* %h.x, i32 2, float* %"W.x->h", i32 3, float 0.000000e+00, float* %a.h, i32 3)
  %4 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h1 = load float*, float** %4, align 8
  %5 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %5, align 8
  %6 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %6, align 8
  br label %fs.r.head

fs.r.head:                                        ; preds = %fs.j.end, %entry
  %fs.r = phi i64 [ 0, %entry ], [ %14, %fs.j.end ]
  %7 = icmp slt i64 %fs.r, %n64
  br i1 %7, label %fs.r.body, label %fs.r.end

fs.r.body:                                        ; preds = %fs.r.head
  %row = mul nsw i64 %fs.r, 3
  br label %fs.j.head

fs.j.head:                                        ; preds = %fs.j.body, %fs.r.body
  %fs.j = phi i64 [ 0, %fs.r.body ], [ %13, %fs.j.body ]
  %8 = icmp slt i64 %fs.j, 3
  br i1 %8, label %fs.j.body, label %fs.j.end

fs.j.body:                                        ; preds = %fs.j.head
  %i = add nsw i64 %row, %fs.j
  %9 = getelementptr inbounds float, float* %a.h1, i64 %i
  %a = load float, float* %9, align 4
  %10 = getelementptr inbounds float, float* %b.h, i64 %fs.j
  %bias = load float, float* %10, align 4
  %a2 = fadd float %a, %bias
  %11 = getelementptr inbounds float, float* %a.h1, i64 %i
  store float %a2, float* %11, align 4
  %t = call float @tanhf(float %a2)
  %12 = getelementptr inbounds float, float* %h.h, i64 %i
  store float %t, float* %12, align 4
  %13 = add nsw i64 %fs.j, 1
  br label %fs.j.head

fs.j.end:                                         ; preds = %fs.j.head
  %14 = add nsw i64 %fs.r, 1
  br label %fs.r.head

fs.r.end:                                         ; preds = %fs.r.head
  %15 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h3 = load float*, float** %15, align 8
  %16 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %16, align 8
  %17 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %17, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h3, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  %18 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y4 = load float*, float** %18, align 8
  %19 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %19, align 8
  %20 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %20, align 8
  br label %fs.r.head5

fs.r.head5:                                       ; preds = %fs.j.end12, %fs.r.end
  %fs.r8 = phi i64 [ 0, %fs.r.end ], [ %28, %fs.j.end12 ]
  %21 = icmp slt i64 %fs.r8, %n64
  br i1 %21, label %fs.r.body6, label %fs.r.end7

fs.r.body6:                                       ; preds = %fs.r.head5
  %row9 = mul nsw i64 %fs.r8, 2
  br label %fs.j.head10

fs.j.head10:                                      ; preds = %fs.j.body11, %fs.r.body6
  %fs.j13 = phi i64 [ 0, %fs.r.body6 ], [ %27, %fs.j.body11 ]
  %22 = icmp slt i64 %fs.j13, 2
  br i1 %22, label %fs.j.body11, label %fs.j.end12

fs.j.body11:                                      ; preds = %fs.j.head10
  %i14 = add nsw i64 %row9, %fs.j13
  %23 = getelementptr inbounds float, float* %a.y4, i64 %i14
  %a15 = load float, float* %23, align 4
  %24 = getelementptr inbounds float, float* %b.y, i64 %fs.j13
  %bias16 = load float, float* %24, align 4
  %a17 = fadd float %a15, %bias16
  %25 = getelementptr inbounds float, float* %a.y4, i64 %i14
  store float %a17, float* %25, align 4
  %26 = getelementptr inbounds float, float* %h.y, i64 %i14
  store float %a17, float* %26, align 4
  %27 = add nsw i64 %fs.j13, 1
  br label %fs.j.head10

fs.j.end12:                                       ; preds = %fs.j.head10
  %28 = add nsw i64 %fs.r8, 1
  br label %fs.r.head5

fs.r.end7:                                        ; preds = %fs.r.head5
  ret i32 0
}

define i32 @pcn_eval_step(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  ret i32 0
}

define i32 @pcn_eval_readout(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call, label %rt.none

rt.call:                                          ; preds = %entry
  %rc = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 5, i32 0, i32 0, i32 %n)
  %1 = icmp eq i32 %rc, 0
  br i1 %1, label %rt.cont, label %rt.fail

rt.none:                                          ; preds = %entry
  br label %rt.cont

rt.fail:                                          ; preds = %rt.call
  ret i32 %rc

rt.cont:                                          ; preds = %rt.none, %rt.call
  ret i32 0
}
