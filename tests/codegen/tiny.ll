; ModuleID = 'tiny'
source_filename = "tiny"

%PcnJitState = type { float**, double*, i8*, [2 x float], [2 x float] }

declare float @erff(float)

declare float @expf(float)

declare float @expm1f(float)

declare float @tanhf(float)

declare void @cblas_sgemm(i32, i32, i32, i32, i32, i32, float, float*, i32, float*, i32, float, float*, i32)

declare extern_weak i32 @pcn_rt_jit_op(%PcnJitState*, i32, i32, i32, i32)

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.fma.f32(float, float, float) #0

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.rint.f32(float) #0

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.fabs.f32(float) #0

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.copysign.f32(float, float) #0

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
  %fs.r = phi i64 [ 0, %entry ], [ %34, %fs.j.end ]
  %7 = icmp slt i64 %fs.r, %n64
  br i1 %7, label %fs.r.body, label %fs.r.end

fs.r.body:                                        ; preds = %fs.r.head
  %row = mul nsw i64 %fs.r, 3
  br label %fs.j.head

fs.j.head:                                        ; preds = %fs.j.body, %fs.r.body
  %fs.j = phi i64 [ 0, %fs.r.body ], [ %33, %fs.j.body ]
  %8 = icmp slt i64 %fs.j, 3
  br i1 %8, label %fs.j.body, label %fs.j.end

fs.j.body:                                        ; preds = %fs.j.head
  %i = add nsw i64 %row, %fs.j
  %9 = getelementptr inbounds float, float* %a.h1, i64 %i
  %a = load float, float* %9, align 4, !alias.scope !0, !noalias !3
  %10 = getelementptr inbounds float, float* %b.h, i64 %fs.j
  %bias = load float, float* %10, align 4, !alias.scope !24, !noalias !25
  %a2 = fadd float %a, %bias
  %11 = getelementptr inbounds float, float* %a.h1, i64 %i
  store float %a2, float* %11, align 4, !alias.scope !0, !noalias !3
  %ax = call float @llvm.fabs.f32(float %a2)
  %12 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %12, -8.700000e+01
  %13 = select i1 %under, float -8.700000e+01, float %12
  %14 = fmul float %13, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %14)
  %15 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %13)
  %16 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %15)
  %17 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %16, float 0x3F56C16C20000000)
  %18 = call float @llvm.fma.f32(float %17, float %16, float 0x3F81111120000000)
  %19 = call float @llvm.fma.f32(float %18, float %16, float 0x3FA5555560000000)
  %20 = call float @llvm.fma.f32(float %19, float %16, float 0x3FC5555560000000)
  %21 = call float @llvm.fma.f32(float %20, float %16, float 5.000000e-01)
  %22 = call float @llvm.fma.f32(float %21, float %16, float 1.000000e+00)
  %q = fmul float %16, %22
  %23 = fptosi float %k to i32
  %24 = add i32 %23, 127
  %25 = shl i32 %24, 23
  %pow2k = bitcast i32 %25 to float
  %26 = fsub float %pow2k, 1.000000e+00
  %27 = call float @llvm.fma.f32(float %pow2k, float %q, float %26)
  %expm1 = select i1 %under, float -1.000000e+00, float %27
  %28 = fneg float %expm1
  %29 = fsub float 2.000000e+00, %28
  %30 = fdiv float %28, %29
  %31 = call float @llvm.copysign.f32(float %30, float %a2)
  %32 = getelementptr inbounds float, float* %h.h, i64 %i
  store float %31, float* %32, align 4, !alias.scope !26, !noalias !27
  %33 = add nsw i64 %fs.j, 1
  br label %fs.j.head

fs.j.end:                                         ; preds = %fs.j.head
  %34 = add nsw i64 %fs.r, 1
  br label %fs.r.head

fs.r.end:                                         ; preds = %fs.r.head
  ret i32 0
}

define i32 @pcn_train_step(%PcnJitState* %st, i32 %n) {
entry:
  %vacc22 = alloca <8 x double>, align 64
  %vacc = alloca <8 x double>, align 64
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
  %pr.r = phi i64 [ 0, %entry ], [ %46, %pr.j.end ]
  %14 = icmp slt i64 %pr.r, %n64
  br i1 %14, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %45, %pr.j.body ]
  %15 = icmp slt i64 %pr.j, 3
  br i1 %15, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %16 = getelementptr inbounds float, float* %a.h1, i64 %i
  %a = load float, float* %16, align 4, !alias.scope !0, !noalias !3
  %17 = getelementptr inbounds float, float* %b.h, i64 %pr.j
  %bias = load float, float* %17, align 4, !alias.scope !24, !noalias !25
  %a3 = fadd float %a, %bias
  %18 = getelementptr inbounds float, float* %a.h1, i64 %i
  store float %a3, float* %18, align 4, !alias.scope !0, !noalias !3
  %ax = call float @llvm.fabs.f32(float %a3)
  %19 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %19, -8.700000e+01
  %20 = select i1 %under, float -8.700000e+01, float %19
  %21 = fmul float %20, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %21)
  %22 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %20)
  %23 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %22)
  %24 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %23, float 0x3F56C16C20000000)
  %25 = call float @llvm.fma.f32(float %24, float %23, float 0x3F81111120000000)
  %26 = call float @llvm.fma.f32(float %25, float %23, float 0x3FA5555560000000)
  %27 = call float @llvm.fma.f32(float %26, float %23, float 0x3FC5555560000000)
  %28 = call float @llvm.fma.f32(float %27, float %23, float 5.000000e-01)
  %29 = call float @llvm.fma.f32(float %28, float %23, float 1.000000e+00)
  %q = fmul float %23, %29
  %30 = fptosi float %k to i32
  %31 = add i32 %30, 127
  %32 = shl i32 %31, 23
  %pow2k = bitcast i32 %32 to float
  %33 = fsub float %pow2k, 1.000000e+00
  %34 = call float @llvm.fma.f32(float %pow2k, float %q, float %33)
  %expm1 = select i1 %under, float -1.000000e+00, float %34
  %35 = fneg float %expm1
  %36 = fsub float 2.000000e+00, %35
  %37 = fdiv float %35, %36
  %38 = call float @llvm.copysign.f32(float %37, float %a3)
  %39 = fmul float %38, %38
  %d = fsub float 1.000000e+00, %39
  %40 = getelementptr inbounds float, float* %mu.h, i64 %i
  store float %38, float* %40, align 4, !alias.scope !28, !noalias !29
  %41 = getelementptr inbounds float, float* %h.h2, i64 %i
  %h = load float, float* %41, align 4, !alias.scope !26, !noalias !27
  %e = fsub float %h, %38
  %42 = getelementptr inbounds float, float* %e.h, i64 %i
  store float %e, float* %42, align 4, !alias.scope !30, !noalias !31
  %g = fmul float %d, %e
  %43 = getelementptr inbounds float, float* %g.h, i64 %i
  store float %g, float* %43, align 4, !alias.scope !32, !noalias !33
  %44 = getelementptr inbounds float, float* %dh.h, i64 %i
  store float %e, float* %44, align 4, !alias.scope !34, !noalias !35
  %45 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %46 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %47 = mul nsw i64 %n64, 3
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %48 = sub nsw i64 %47, 0
  %chunks = ashr i64 %48, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %58, %ss.v.body ]
  %49 = icmp slt i64 %ss.v, %chunks
  br i1 %49, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %50 = shl i64 %ss.v, 3
  %51 = add nsw i64 0, %50
  %52 = getelementptr inbounds float, float* %e.h, i64 %51
  %53 = bitcast float* %52 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %53, align 4, !alias.scope !30, !noalias !31
  %54 = fpext <8 x float> %x8 to <8 x double>
  %55 = load <8 x double>, <8 x double>* %vacc, align 64
  %56 = fmul <8 x double> %54, %54
  %57 = fadd <8 x double> %55, %56
  store <8 x double> %57, <8 x double>* %vacc, align 64
  %58 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %59 = load <8 x double>, <8 x double>* %vacc, align 64
  %60 = extractelement <8 x double> %59, i32 0
  %61 = extractelement <8 x double> %59, i32 1
  %62 = fadd double %60, %61
  %63 = extractelement <8 x double> %59, i32 2
  %64 = fadd double %62, %63
  %65 = extractelement <8 x double> %59, i32 3
  %66 = fadd double %64, %65
  %67 = extractelement <8 x double> %59, i32 4
  %68 = fadd double %66, %67
  %69 = extractelement <8 x double> %59, i32 5
  %70 = fadd double %68, %69
  %71 = extractelement <8 x double> %59, i32 6
  %72 = fadd double %70, %71
  %73 = extractelement <8 x double> %59, i32 7
  %74 = fadd double %72, %73
  store double %74, double* %acc, align 8
  %75 = shl i64 %chunks, 3
  %76 = add nsw i64 0, %75
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %76, %ss.v.end ], [ %83, %ss.t.body ]
  %77 = icmp slt i64 %ss.t, %47
  br i1 %77, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %78 = getelementptr inbounds float, float* %e.h, i64 %ss.t
  %e4 = load float, float* %78, align 4, !alias.scope !30, !noalias !31
  %79 = fpext float %e4 to double
  %80 = load double, double* %acc, align 8
  %81 = fmul double %79, %79
  %82 = fadd double %80, %81
  store double %82, double* %acc, align 8
  %83 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  %84 = fmul double 5.000000e-01, %sumsq
  %85 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %85, align 8
  %86 = getelementptr inbounds double, double* %energies, i64 1
  store double %84, double* %86, align 8
  %87 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y5 = load float*, float** %87, align 8
  %88 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %88, align 8
  %89 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %89, align 8
  %90 = getelementptr inbounds float*, float** %bufs, i64 11
  %mu.y = load float*, float** %90, align 8
  %91 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %91, align 8
  %92 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %92, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head6

pr.r.head6:                                       ; preds = %pr.j.end13, %ss.t.end
  %pr.r9 = phi i64 [ 0, %ss.t.end ], [ %103, %pr.j.end13 ]
  %93 = icmp slt i64 %pr.r9, %n64
  br i1 %93, label %pr.r.body7, label %pr.r.end8

pr.r.body7:                                       ; preds = %pr.r.head6
  %row10 = mul nsw i64 %pr.r9, 2
  br label %pr.j.head11

pr.j.head11:                                      ; preds = %pr.j.body12, %pr.r.body7
  %pr.j14 = phi i64 [ 0, %pr.r.body7 ], [ %102, %pr.j.body12 ]
  %94 = icmp slt i64 %pr.j14, 2
  br i1 %94, label %pr.j.body12, label %pr.j.end13

pr.j.body12:                                      ; preds = %pr.j.head11
  %i15 = add nsw i64 %row10, %pr.j14
  %95 = getelementptr inbounds float, float* %a.y5, i64 %i15
  %a16 = load float, float* %95, align 4, !alias.scope !36, !noalias !37
  %96 = getelementptr inbounds float, float* %b.y, i64 %pr.j14
  %bias17 = load float, float* %96, align 4, !alias.scope !38, !noalias !39
  %a18 = fadd float %a16, %bias17
  %97 = getelementptr inbounds float, float* %a.y5, i64 %i15
  store float %a18, float* %97, align 4, !alias.scope !36, !noalias !37
  %98 = getelementptr inbounds float, float* %mu.y, i64 %i15
  store float %a18, float* %98, align 4, !alias.scope !40, !noalias !41
  %99 = getelementptr inbounds float, float* %h.y, i64 %i15
  %h19 = load float, float* %99, align 4, !alias.scope !42, !noalias !43
  %e20 = fsub float %h19, %a18
  %100 = getelementptr inbounds float, float* %e.y, i64 %i15
  store float %e20, float* %100, align 4, !alias.scope !44, !noalias !45
  %g21 = fmul float 1.000000e+00, %e20
  %101 = getelementptr inbounds float, float* %g.y, i64 %i15
  store float %g21, float* %101, align 4, !alias.scope !46, !noalias !47
  %102 = add nsw i64 %pr.j14, 1
  br label %pr.j.head11

pr.j.end13:                                       ; preds = %pr.j.head11
  %103 = add nsw i64 %pr.r9, 1
  br label %pr.r.head6

pr.r.end8:                                        ; preds = %pr.r.head6
  %104 = mul nsw i64 %n64, 2
  store <8 x double> zeroinitializer, <8 x double>* %vacc22, align 64
  %105 = sub nsw i64 %104, 0
  %chunks23 = ashr i64 %105, 3
  br label %ss.v.head24

ss.v.head24:                                      ; preds = %ss.v.body25, %pr.r.end8
  %ss.v27 = phi i64 [ 0, %pr.r.end8 ], [ %115, %ss.v.body25 ]
  %106 = icmp slt i64 %ss.v27, %chunks23
  br i1 %106, label %ss.v.body25, label %ss.v.end26

ss.v.body25:                                      ; preds = %ss.v.head24
  %107 = shl i64 %ss.v27, 3
  %108 = add nsw i64 0, %107
  %109 = getelementptr inbounds float, float* %e.y, i64 %108
  %110 = bitcast float* %109 to <8 x float>*
  %x828 = load <8 x float>, <8 x float>* %110, align 4, !alias.scope !44, !noalias !45
  %111 = fpext <8 x float> %x828 to <8 x double>
  %112 = load <8 x double>, <8 x double>* %vacc22, align 64
  %113 = fmul <8 x double> %111, %111
  %114 = fadd <8 x double> %112, %113
  store <8 x double> %114, <8 x double>* %vacc22, align 64
  %115 = add nsw i64 %ss.v27, 1
  br label %ss.v.head24

ss.v.end26:                                       ; preds = %ss.v.head24
  %116 = load <8 x double>, <8 x double>* %vacc22, align 64
  %117 = extractelement <8 x double> %116, i32 0
  %118 = extractelement <8 x double> %116, i32 1
  %119 = fadd double %117, %118
  %120 = extractelement <8 x double> %116, i32 2
  %121 = fadd double %119, %120
  %122 = extractelement <8 x double> %116, i32 3
  %123 = fadd double %121, %122
  %124 = extractelement <8 x double> %116, i32 4
  %125 = fadd double %123, %124
  %126 = extractelement <8 x double> %116, i32 5
  %127 = fadd double %125, %126
  %128 = extractelement <8 x double> %116, i32 6
  %129 = fadd double %127, %128
  %130 = extractelement <8 x double> %116, i32 7
  %131 = fadd double %129, %130
  store double %131, double* %acc, align 8
  %132 = shl i64 %chunks23, 3
  %133 = add nsw i64 0, %132
  br label %ss.t.head29

ss.t.head29:                                      ; preds = %ss.t.body30, %ss.v.end26
  %ss.t32 = phi i64 [ %133, %ss.v.end26 ], [ %140, %ss.t.body30 ]
  %134 = icmp slt i64 %ss.t32, %104
  br i1 %134, label %ss.t.body30, label %ss.t.end31

ss.t.body30:                                      ; preds = %ss.t.head29
  %135 = getelementptr inbounds float, float* %e.y, i64 %ss.t32
  %e33 = load float, float* %135, align 4, !alias.scope !44, !noalias !45
  %136 = fpext float %e33 to double
  %137 = load double, double* %acc, align 8
  %138 = fmul double %136, %136
  %139 = fadd double %137, %138
  store double %139, double* %acc, align 8
  %140 = add nsw i64 %ss.t32, 1
  br label %ss.t.head29

ss.t.end31:                                       ; preds = %ss.t.head29
  %sumsq34 = load double, double* %acc, align 8
  %141 = fmul double 5.000000e-01, %sumsq34
  %142 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies35 = load double*, double** %142, align 8
  %143 = getelementptr inbounds double, double* %energies35, i64 2
  store double %141, double* %143, align 8
  %144 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y36 = load float*, float** %144, align 8
  %145 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y37" = load float*, float** %145, align 8
  %146 = getelementptr inbounds float*, float** %bufs, i64 6
  %dh.h38 = load float*, float** %146, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 112, i32 %n, i32 3, i32 2, float -1.000000e+00, float* %g.y36, i32 2, float* %"W.h->y37", i32 2, float 1.000000e+00, float* %dh.h38, i32 3)
  %147 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h39 = load float*, float** %147, align 8
  %148 = getelementptr inbounds float*, float** %bufs, i64 6
  %dh.h40 = load float*, float** %148, align 8
  %count = mul nsw i64 %n64, 3
  %149 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 3, i32 0
  %alpha = load float, float* %149, align 4
  br label %upd.head

upd.head:                                         ; preds = %upd.body, %ss.t.end31
  %upd = phi i64 [ 0, %ss.t.end31 ], [ %156, %upd.body ]
  %150 = icmp slt i64 %upd, %count
  br i1 %150, label %upd.body, label %upd.end

upd.body:                                         ; preds = %upd.head
  %151 = getelementptr inbounds float, float* %h.h39, i64 %upd
  %h41 = load float, float* %151, align 4, !alias.scope !26, !noalias !27
  %152 = getelementptr inbounds float, float* %dh.h40, i64 %upd
  %dh = load float, float* %152, align 4, !alias.scope !34, !noalias !35
  %153 = fmul float %alpha, %dh
  %154 = fsub float %h41, %153
  %155 = getelementptr inbounds float, float* %h.h39, i64 %upd
  store float %154, float* %155, align 4, !alias.scope !26, !noalias !27
  %156 = add nsw i64 %upd, 1
  br label %upd.head

upd.end:                                          ; preds = %upd.head
  ret i32 0
}

define i32 @pcn_train_learn(%PcnJitState* %st, i32 %n) {
entry:
  %vacc22 = alloca <8 x double>, align 64
  %vacc = alloca <8 x double>, align 64
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
  %pr.r = phi i64 [ 0, %entry ], [ %44, %pr.j.end ]
  %13 = icmp slt i64 %pr.r, %n64
  br i1 %13, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %43, %pr.j.body ]
  %14 = icmp slt i64 %pr.j, 3
  br i1 %14, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %15 = getelementptr inbounds float, float* %a.h1, i64 %i
  %a = load float, float* %15, align 4, !alias.scope !0, !noalias !3
  %16 = getelementptr inbounds float, float* %b.h, i64 %pr.j
  %bias = load float, float* %16, align 4, !alias.scope !24, !noalias !25
  %a3 = fadd float %a, %bias
  %17 = getelementptr inbounds float, float* %a.h1, i64 %i
  store float %a3, float* %17, align 4, !alias.scope !0, !noalias !3
  %ax = call float @llvm.fabs.f32(float %a3)
  %18 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %18, -8.700000e+01
  %19 = select i1 %under, float -8.700000e+01, float %18
  %20 = fmul float %19, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %20)
  %21 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %19)
  %22 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %21)
  %23 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %22, float 0x3F56C16C20000000)
  %24 = call float @llvm.fma.f32(float %23, float %22, float 0x3F81111120000000)
  %25 = call float @llvm.fma.f32(float %24, float %22, float 0x3FA5555560000000)
  %26 = call float @llvm.fma.f32(float %25, float %22, float 0x3FC5555560000000)
  %27 = call float @llvm.fma.f32(float %26, float %22, float 5.000000e-01)
  %28 = call float @llvm.fma.f32(float %27, float %22, float 1.000000e+00)
  %q = fmul float %22, %28
  %29 = fptosi float %k to i32
  %30 = add i32 %29, 127
  %31 = shl i32 %30, 23
  %pow2k = bitcast i32 %31 to float
  %32 = fsub float %pow2k, 1.000000e+00
  %33 = call float @llvm.fma.f32(float %pow2k, float %q, float %32)
  %expm1 = select i1 %under, float -1.000000e+00, float %33
  %34 = fneg float %expm1
  %35 = fsub float 2.000000e+00, %34
  %36 = fdiv float %34, %35
  %37 = call float @llvm.copysign.f32(float %36, float %a3)
  %38 = fmul float %37, %37
  %d = fsub float 1.000000e+00, %38
  %39 = getelementptr inbounds float, float* %mu.h, i64 %i
  store float %37, float* %39, align 4, !alias.scope !28, !noalias !29
  %40 = getelementptr inbounds float, float* %h.h2, i64 %i
  %h = load float, float* %40, align 4, !alias.scope !26, !noalias !27
  %e = fsub float %h, %37
  %41 = getelementptr inbounds float, float* %e.h, i64 %i
  store float %e, float* %41, align 4, !alias.scope !30, !noalias !31
  %g = fmul float %d, %e
  %42 = getelementptr inbounds float, float* %g.h, i64 %i
  store float %g, float* %42, align 4, !alias.scope !32, !noalias !33
  %43 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %44 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %45 = mul nsw i64 %n64, 3
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %46 = sub nsw i64 %45, 0
  %chunks = ashr i64 %46, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %56, %ss.v.body ]
  %47 = icmp slt i64 %ss.v, %chunks
  br i1 %47, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %48 = shl i64 %ss.v, 3
  %49 = add nsw i64 0, %48
  %50 = getelementptr inbounds float, float* %e.h, i64 %49
  %51 = bitcast float* %50 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %51, align 4, !alias.scope !30, !noalias !31
  %52 = fpext <8 x float> %x8 to <8 x double>
  %53 = load <8 x double>, <8 x double>* %vacc, align 64
  %54 = fmul <8 x double> %52, %52
  %55 = fadd <8 x double> %53, %54
  store <8 x double> %55, <8 x double>* %vacc, align 64
  %56 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %57 = load <8 x double>, <8 x double>* %vacc, align 64
  %58 = extractelement <8 x double> %57, i32 0
  %59 = extractelement <8 x double> %57, i32 1
  %60 = fadd double %58, %59
  %61 = extractelement <8 x double> %57, i32 2
  %62 = fadd double %60, %61
  %63 = extractelement <8 x double> %57, i32 3
  %64 = fadd double %62, %63
  %65 = extractelement <8 x double> %57, i32 4
  %66 = fadd double %64, %65
  %67 = extractelement <8 x double> %57, i32 5
  %68 = fadd double %66, %67
  %69 = extractelement <8 x double> %57, i32 6
  %70 = fadd double %68, %69
  %71 = extractelement <8 x double> %57, i32 7
  %72 = fadd double %70, %71
  store double %72, double* %acc, align 8
  %73 = shl i64 %chunks, 3
  %74 = add nsw i64 0, %73
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %74, %ss.v.end ], [ %81, %ss.t.body ]
  %75 = icmp slt i64 %ss.t, %45
  br i1 %75, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %76 = getelementptr inbounds float, float* %e.h, i64 %ss.t
  %e4 = load float, float* %76, align 4, !alias.scope !30, !noalias !31
  %77 = fpext float %e4 to double
  %78 = load double, double* %acc, align 8
  %79 = fmul double %77, %77
  %80 = fadd double %78, %79
  store double %80, double* %acc, align 8
  %81 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  %82 = fmul double 5.000000e-01, %sumsq
  %83 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %83, align 8
  %84 = getelementptr inbounds double, double* %energies, i64 1
  store double %82, double* %84, align 8
  %85 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y5 = load float*, float** %85, align 8
  %86 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %86, align 8
  %87 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %87, align 8
  %88 = getelementptr inbounds float*, float** %bufs, i64 11
  %mu.y = load float*, float** %88, align 8
  %89 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %89, align 8
  %90 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %90, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head6

pr.r.head6:                                       ; preds = %pr.j.end13, %ss.t.end
  %pr.r9 = phi i64 [ 0, %ss.t.end ], [ %101, %pr.j.end13 ]
  %91 = icmp slt i64 %pr.r9, %n64
  br i1 %91, label %pr.r.body7, label %pr.r.end8

pr.r.body7:                                       ; preds = %pr.r.head6
  %row10 = mul nsw i64 %pr.r9, 2
  br label %pr.j.head11

pr.j.head11:                                      ; preds = %pr.j.body12, %pr.r.body7
  %pr.j14 = phi i64 [ 0, %pr.r.body7 ], [ %100, %pr.j.body12 ]
  %92 = icmp slt i64 %pr.j14, 2
  br i1 %92, label %pr.j.body12, label %pr.j.end13

pr.j.body12:                                      ; preds = %pr.j.head11
  %i15 = add nsw i64 %row10, %pr.j14
  %93 = getelementptr inbounds float, float* %a.y5, i64 %i15
  %a16 = load float, float* %93, align 4, !alias.scope !36, !noalias !37
  %94 = getelementptr inbounds float, float* %b.y, i64 %pr.j14
  %bias17 = load float, float* %94, align 4, !alias.scope !38, !noalias !39
  %a18 = fadd float %a16, %bias17
  %95 = getelementptr inbounds float, float* %a.y5, i64 %i15
  store float %a18, float* %95, align 4, !alias.scope !36, !noalias !37
  %96 = getelementptr inbounds float, float* %mu.y, i64 %i15
  store float %a18, float* %96, align 4, !alias.scope !40, !noalias !41
  %97 = getelementptr inbounds float, float* %h.y, i64 %i15
  %h19 = load float, float* %97, align 4, !alias.scope !42, !noalias !43
  %e20 = fsub float %h19, %a18
  %98 = getelementptr inbounds float, float* %e.y, i64 %i15
  store float %e20, float* %98, align 4, !alias.scope !44, !noalias !45
  %g21 = fmul float 1.000000e+00, %e20
  %99 = getelementptr inbounds float, float* %g.y, i64 %i15
  store float %g21, float* %99, align 4, !alias.scope !46, !noalias !47
  %100 = add nsw i64 %pr.j14, 1
  br label %pr.j.head11

pr.j.end13:                                       ; preds = %pr.j.head11
  %101 = add nsw i64 %pr.r9, 1
  br label %pr.r.head6

pr.r.end8:                                        ; preds = %pr.r.head6
  %102 = mul nsw i64 %n64, 2
  store <8 x double> zeroinitializer, <8 x double>* %vacc22, align 64
  %103 = sub nsw i64 %102, 0
  %chunks23 = ashr i64 %103, 3
  br label %ss.v.head24

ss.v.head24:                                      ; preds = %ss.v.body25, %pr.r.end8
  %ss.v27 = phi i64 [ 0, %pr.r.end8 ], [ %113, %ss.v.body25 ]
  %104 = icmp slt i64 %ss.v27, %chunks23
  br i1 %104, label %ss.v.body25, label %ss.v.end26

ss.v.body25:                                      ; preds = %ss.v.head24
  %105 = shl i64 %ss.v27, 3
  %106 = add nsw i64 0, %105
  %107 = getelementptr inbounds float, float* %e.y, i64 %106
  %108 = bitcast float* %107 to <8 x float>*
  %x828 = load <8 x float>, <8 x float>* %108, align 4, !alias.scope !44, !noalias !45
  %109 = fpext <8 x float> %x828 to <8 x double>
  %110 = load <8 x double>, <8 x double>* %vacc22, align 64
  %111 = fmul <8 x double> %109, %109
  %112 = fadd <8 x double> %110, %111
  store <8 x double> %112, <8 x double>* %vacc22, align 64
  %113 = add nsw i64 %ss.v27, 1
  br label %ss.v.head24

ss.v.end26:                                       ; preds = %ss.v.head24
  %114 = load <8 x double>, <8 x double>* %vacc22, align 64
  %115 = extractelement <8 x double> %114, i32 0
  %116 = extractelement <8 x double> %114, i32 1
  %117 = fadd double %115, %116
  %118 = extractelement <8 x double> %114, i32 2
  %119 = fadd double %117, %118
  %120 = extractelement <8 x double> %114, i32 3
  %121 = fadd double %119, %120
  %122 = extractelement <8 x double> %114, i32 4
  %123 = fadd double %121, %122
  %124 = extractelement <8 x double> %114, i32 5
  %125 = fadd double %123, %124
  %126 = extractelement <8 x double> %114, i32 6
  %127 = fadd double %125, %126
  %128 = extractelement <8 x double> %114, i32 7
  %129 = fadd double %127, %128
  store double %129, double* %acc, align 8
  %130 = shl i64 %chunks23, 3
  %131 = add nsw i64 0, %130
  br label %ss.t.head29

ss.t.head29:                                      ; preds = %ss.t.body30, %ss.v.end26
  %ss.t32 = phi i64 [ %131, %ss.v.end26 ], [ %138, %ss.t.body30 ]
  %132 = icmp slt i64 %ss.t32, %102
  br i1 %132, label %ss.t.body30, label %ss.t.end31

ss.t.body30:                                      ; preds = %ss.t.head29
  %133 = getelementptr inbounds float, float* %e.y, i64 %ss.t32
  %e33 = load float, float* %133, align 4, !alias.scope !44, !noalias !45
  %134 = fpext float %e33 to double
  %135 = load double, double* %acc, align 8
  %136 = fmul double %134, %134
  %137 = fadd double %135, %136
  store double %137, double* %acc, align 8
  %138 = add nsw i64 %ss.t32, 1
  br label %ss.t.head29

ss.t.end31:                                       ; preds = %ss.t.head29
  %sumsq34 = load double, double* %acc, align 8
  %139 = fmul double 5.000000e-01, %sumsq34
  %140 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies35 = load double*, double** %140, align 8
  %141 = getelementptr inbounds double, double* %energies35, i64 2
  store double %139, double* %141, align 8
  %142 = sitofp i32 %n to float
  %alpha = fdiv float -1.000000e+00, %142
  %143 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x36 = load float*, float** %143, align 8
  %144 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h37 = load float*, float** %144, align 8
  %145 = getelementptr inbounds float*, float** %bufs, i64 18
  %"dW.x->h" = load float*, float** %145, align 8
  call void @cblas_sgemm(i32 101, i32 112, i32 111, i32 2, i32 3, i32 %n, float %alpha, float* %h.x36, i32 2, float* %g.h37, i32 3, float 0.000000e+00, float* %"dW.x->h", i32 3)
  %146 = sitofp i32 %n to float
  %alpha38 = fdiv float -1.000000e+00, %146
  %147 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h39 = load float*, float** %147, align 8
  %148 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y40 = load float*, float** %148, align 8
  %149 = getelementptr inbounds float*, float** %bufs, i64 20
  %"dW.h->y" = load float*, float** %149, align 8
  call void @cblas_sgemm(i32 101, i32 112, i32 111, i32 3, i32 2, i32 %n, float %alpha38, float* %h.h39, i32 3, float* %g.y40, i32 2, float 0.000000e+00, float* %"dW.h->y", i32 2)
  %150 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h41 = load float*, float** %150, align 8
  %151 = getelementptr inbounds float*, float** %bufs, i64 8
  %db.h = load float*, float** %151, align 8
  %nd = sitofp i32 %n to double
  br label %bg.j.head

bg.j.head:                                        ; preds = %bg.r.end, %ss.t.end31
  %bg.j = phi i64 [ 0, %ss.t.end31 ], [ %162, %bg.r.end ]
  %152 = icmp slt i64 %bg.j, 3
  br i1 %152, label %bg.j.body, label %bg.j.end

bg.j.body:                                        ; preds = %bg.j.head
  store double 0.000000e+00, double* %acc, align 8
  br label %bg.r.head

bg.r.head:                                        ; preds = %bg.r.body, %bg.j.body
  %bg.r = phi i64 [ 0, %bg.j.body ], [ %158, %bg.r.body ]
  %153 = icmp slt i64 %bg.r, %n64
  br i1 %153, label %bg.r.body, label %bg.r.end

bg.r.body:                                        ; preds = %bg.r.head
  %154 = mul nsw i64 %bg.r, 3
  %i42 = add nsw i64 %154, %bg.j
  %155 = getelementptr inbounds float, float* %g.h41, i64 %i42
  %g43 = load float, float* %155, align 4, !alias.scope !32, !noalias !33
  %156 = fpext float %g43 to double
  %acc44 = load double, double* %acc, align 8
  %157 = fadd double %acc44, %156
  store double %157, double* %acc, align 8
  %158 = add nsw i64 %bg.r, 1
  br label %bg.r.head

bg.r.end:                                         ; preds = %bg.r.head
  %sum = load double, double* %acc, align 8
  %159 = fneg double %sum
  %160 = fdiv double %159, %nd
  %db = fptrunc double %160 to float
  %161 = getelementptr inbounds float, float* %db.h, i64 %bg.j
  store float %db, float* %161, align 4, !alias.scope !48, !noalias !49
  %162 = add nsw i64 %bg.j, 1
  br label %bg.j.head

bg.j.end:                                         ; preds = %bg.j.head
  %163 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y45 = load float*, float** %163, align 8
  %164 = getelementptr inbounds float*, float** %bufs, i64 16
  %db.y = load float*, float** %164, align 8
  %nd46 = sitofp i32 %n to double
  br label %bg.j.head47

bg.j.head47:                                      ; preds = %bg.r.end53, %bg.j.end
  %bg.j50 = phi i64 [ 0, %bg.j.end ], [ %175, %bg.r.end53 ]
  %165 = icmp slt i64 %bg.j50, 2
  br i1 %165, label %bg.j.body48, label %bg.j.end49

bg.j.body48:                                      ; preds = %bg.j.head47
  store double 0.000000e+00, double* %acc, align 8
  br label %bg.r.head51

bg.r.head51:                                      ; preds = %bg.r.body52, %bg.j.body48
  %bg.r54 = phi i64 [ 0, %bg.j.body48 ], [ %171, %bg.r.body52 ]
  %166 = icmp slt i64 %bg.r54, %n64
  br i1 %166, label %bg.r.body52, label %bg.r.end53

bg.r.body52:                                      ; preds = %bg.r.head51
  %167 = mul nsw i64 %bg.r54, 2
  %i55 = add nsw i64 %167, %bg.j50
  %168 = getelementptr inbounds float, float* %g.y45, i64 %i55
  %g56 = load float, float* %168, align 4, !alias.scope !46, !noalias !47
  %169 = fpext float %g56 to double
  %acc57 = load double, double* %acc, align 8
  %170 = fadd double %acc57, %169
  store double %170, double* %acc, align 8
  %171 = add nsw i64 %bg.r54, 1
  br label %bg.r.head51

bg.r.end53:                                       ; preds = %bg.r.head51
  %sum58 = load double, double* %acc, align 8
  %172 = fneg double %sum58
  %173 = fdiv double %172, %nd46
  %db59 = fptrunc double %173 to float
  %174 = getelementptr inbounds float, float* %db.y, i64 %bg.j50
  store float %db59, float* %174, align 4, !alias.scope !50, !noalias !51
  %175 = add nsw i64 %bg.j50, 1
  br label %bg.j.head47

bg.j.end49:                                       ; preds = %bg.j.head47
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call, label %rt.none

rt.call:                                          ; preds = %bg.j.end49
  %rc = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 0, i32 %n)
  %176 = icmp eq i32 %rc, 0
  br i1 %176, label %rt.cont, label %rt.fail

rt.none:                                          ; preds = %bg.j.end49
  ret i32 -1

rt.fail:                                          ; preds = %rt.call
  ret i32 %rc

rt.cont:                                          ; preds = %rt.call
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call60, label %rt.none61

rt.call60:                                        ; preds = %rt.cont
  %rc64 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 1, i32 %n)
  %177 = icmp eq i32 %rc64, 0
  br i1 %177, label %rt.cont63, label %rt.fail62

rt.none61:                                        ; preds = %rt.cont
  ret i32 -1

rt.fail62:                                        ; preds = %rt.call60
  ret i32 %rc64

rt.cont63:                                        ; preds = %rt.call60
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call65, label %rt.none66

rt.call65:                                        ; preds = %rt.cont63
  %rc69 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 2, i32 %n)
  %178 = icmp eq i32 %rc69, 0
  br i1 %178, label %rt.cont68, label %rt.fail67

rt.none66:                                        ; preds = %rt.cont63
  ret i32 -1

rt.fail67:                                        ; preds = %rt.call65
  ret i32 %rc69

rt.cont68:                                        ; preds = %rt.call65
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call70, label %rt.none71

rt.call70:                                        ; preds = %rt.cont68
  %rc74 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 3, i32 %n)
  %179 = icmp eq i32 %rc74, 0
  br i1 %179, label %rt.cont73, label %rt.fail72

rt.none71:                                        ; preds = %rt.cont68
  ret i32 -1

rt.fail72:                                        ; preds = %rt.call70
  ret i32 %rc74

rt.cont73:                                        ; preds = %rt.call70
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
  %fs.r = phi i64 [ 0, %entry ], [ %34, %fs.j.end ]
  %7 = icmp slt i64 %fs.r, %n64
  br i1 %7, label %fs.r.body, label %fs.r.end

fs.r.body:                                        ; preds = %fs.r.head
  %row = mul nsw i64 %fs.r, 3
  br label %fs.j.head

fs.j.head:                                        ; preds = %fs.j.body, %fs.r.body
  %fs.j = phi i64 [ 0, %fs.r.body ], [ %33, %fs.j.body ]
  %8 = icmp slt i64 %fs.j, 3
  br i1 %8, label %fs.j.body, label %fs.j.end

fs.j.body:                                        ; preds = %fs.j.head
  %i = add nsw i64 %row, %fs.j
  %9 = getelementptr inbounds float, float* %a.h1, i64 %i
  %a = load float, float* %9, align 4, !alias.scope !0, !noalias !3
  %10 = getelementptr inbounds float, float* %b.h, i64 %fs.j
  %bias = load float, float* %10, align 4, !alias.scope !24, !noalias !25
  %a2 = fadd float %a, %bias
  %11 = getelementptr inbounds float, float* %a.h1, i64 %i
  store float %a2, float* %11, align 4, !alias.scope !0, !noalias !3
  %ax = call float @llvm.fabs.f32(float %a2)
  %12 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %12, -8.700000e+01
  %13 = select i1 %under, float -8.700000e+01, float %12
  %14 = fmul float %13, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %14)
  %15 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %13)
  %16 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %15)
  %17 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %16, float 0x3F56C16C20000000)
  %18 = call float @llvm.fma.f32(float %17, float %16, float 0x3F81111120000000)
  %19 = call float @llvm.fma.f32(float %18, float %16, float 0x3FA5555560000000)
  %20 = call float @llvm.fma.f32(float %19, float %16, float 0x3FC5555560000000)
  %21 = call float @llvm.fma.f32(float %20, float %16, float 5.000000e-01)
  %22 = call float @llvm.fma.f32(float %21, float %16, float 1.000000e+00)
  %q = fmul float %16, %22
  %23 = fptosi float %k to i32
  %24 = add i32 %23, 127
  %25 = shl i32 %24, 23
  %pow2k = bitcast i32 %25 to float
  %26 = fsub float %pow2k, 1.000000e+00
  %27 = call float @llvm.fma.f32(float %pow2k, float %q, float %26)
  %expm1 = select i1 %under, float -1.000000e+00, float %27
  %28 = fneg float %expm1
  %29 = fsub float 2.000000e+00, %28
  %30 = fdiv float %28, %29
  %31 = call float @llvm.copysign.f32(float %30, float %a2)
  %32 = getelementptr inbounds float, float* %h.h, i64 %i
  store float %31, float* %32, align 4, !alias.scope !26, !noalias !27
  %33 = add nsw i64 %fs.j, 1
  br label %fs.j.head

fs.j.end:                                         ; preds = %fs.j.head
  %34 = add nsw i64 %fs.r, 1
  br label %fs.r.head

fs.r.end:                                         ; preds = %fs.r.head
  %35 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h3 = load float*, float** %35, align 8
  %36 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %36, align 8
  %37 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %37, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h3, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  %38 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y4 = load float*, float** %38, align 8
  %39 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %39, align 8
  %40 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %40, align 8
  br label %fs.r.head5

fs.r.head5:                                       ; preds = %fs.j.end12, %fs.r.end
  %fs.r8 = phi i64 [ 0, %fs.r.end ], [ %48, %fs.j.end12 ]
  %41 = icmp slt i64 %fs.r8, %n64
  br i1 %41, label %fs.r.body6, label %fs.r.end7

fs.r.body6:                                       ; preds = %fs.r.head5
  %row9 = mul nsw i64 %fs.r8, 2
  br label %fs.j.head10

fs.j.head10:                                      ; preds = %fs.j.body11, %fs.r.body6
  %fs.j13 = phi i64 [ 0, %fs.r.body6 ], [ %47, %fs.j.body11 ]
  %42 = icmp slt i64 %fs.j13, 2
  br i1 %42, label %fs.j.body11, label %fs.j.end12

fs.j.body11:                                      ; preds = %fs.j.head10
  %i14 = add nsw i64 %row9, %fs.j13
  %43 = getelementptr inbounds float, float* %a.y4, i64 %i14
  %a15 = load float, float* %43, align 4, !alias.scope !36, !noalias !37
  %44 = getelementptr inbounds float, float* %b.y, i64 %fs.j13
  %bias16 = load float, float* %44, align 4, !alias.scope !38, !noalias !39
  %a17 = fadd float %a15, %bias16
  %45 = getelementptr inbounds float, float* %a.y4, i64 %i14
  store float %a17, float* %45, align 4, !alias.scope !36, !noalias !37
  %46 = getelementptr inbounds float, float* %h.y, i64 %i14
  store float %a17, float* %46, align 4, !alias.scope !42, !noalias !43
  %47 = add nsw i64 %fs.j13, 1
  br label %fs.j.head10

fs.j.end12:                                       ; preds = %fs.j.head10
  %48 = add nsw i64 %fs.r8, 1
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

attributes #0 = { nofree nosync nounwind readnone speculatable willreturn }

!0 = !{!1}
!1 = !{!"pcn.buf2", !2}
!2 = !{!"pcn.buffers"}
!3 = !{!4, !5, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!4 = !{!"pcn.buf0", !2}
!5 = !{!"pcn.buf1", !2}
!6 = !{!"pcn.buf3", !2}
!7 = !{!"pcn.buf4", !2}
!8 = !{!"pcn.buf5", !2}
!9 = !{!"pcn.buf6", !2}
!10 = !{!"pcn.buf7", !2}
!11 = !{!"pcn.buf8", !2}
!12 = !{!"pcn.buf9", !2}
!13 = !{!"pcn.buf10", !2}
!14 = !{!"pcn.buf11", !2}
!15 = !{!"pcn.buf12", !2}
!16 = !{!"pcn.buf13", !2}
!17 = !{!"pcn.buf14", !2}
!18 = !{!"pcn.buf15", !2}
!19 = !{!"pcn.buf16", !2}
!20 = !{!"pcn.buf17", !2}
!21 = !{!"pcn.buf18", !2}
!22 = !{!"pcn.buf19", !2}
!23 = !{!"pcn.buf20", !2}
!24 = !{!10}
!25 = !{!4, !5, !1, !6, !7, !8, !9, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!26 = !{!5}
!27 = !{!4, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!28 = !{!6}
!29 = !{!4, !5, !1, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!30 = !{!7}
!31 = !{!4, !5, !1, !6, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!32 = !{!8}
!33 = !{!4, !5, !1, !6, !7, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!34 = !{!9}
!35 = !{!4, !5, !1, !6, !7, !8, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!36 = !{!13}
!37 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!38 = !{!18}
!39 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !19, !20, !21, !22, !23}
!40 = !{!14}
!41 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!42 = !{!12}
!43 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!44 = !{!15}
!45 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !16, !17, !18, !19, !20, !21, !22, !23}
!46 = !{!16}
!47 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !17, !18, !19, !20, !21, !22, !23}
!48 = !{!11}
!49 = !{!4, !5, !1, !6, !7, !8, !9, !10, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21, !22, !23}
!50 = !{!19}
!51 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !20, !21, !22, !23}
