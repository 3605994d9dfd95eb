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
  %5 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %5, align 8
  %6 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %6, align 8
  %7 = call double @pcn_k.fwd.a3.c3.b(float* %a.h1, float* %b.h, float* %h.h, float* null, float* null, float* null, float* null, i64 %n64)
  ret i32 0
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.fwd.a3.c3.b(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7) #1 {
entry:
  %acc = alloca double, align 8
  br label %fs.r.head

fs.r.head:                                        ; preds = %fs.j.end, %entry
  %fs.r = phi i64 [ 0, %entry ], [ %35, %fs.j.end ]
  %8 = icmp slt i64 %fs.r, %7
  br i1 %8, label %fs.r.body, label %fs.r.end

fs.r.body:                                        ; preds = %fs.r.head
  %row = mul nsw i64 %fs.r, 3
  br label %fs.j.head

fs.j.head:                                        ; preds = %fs.j.body, %fs.r.body
  %fs.j = phi i64 [ 0, %fs.r.body ], [ %34, %fs.j.body ]
  %9 = icmp slt i64 %fs.j, 3
  br i1 %9, label %fs.j.body, label %fs.j.end

fs.j.body:                                        ; preds = %fs.j.head
  %i = add nsw i64 %row, %fs.j
  %10 = getelementptr inbounds float, float* %0, i64 %i
  %a = load float, float* %10, align 4
  %11 = getelementptr inbounds float, float* %1, i64 %fs.j
  %bias = load float, float* %11, align 4
  %a1 = fadd float %a, %bias
  %12 = getelementptr inbounds float, float* %0, i64 %i
  store float %a1, float* %12, align 4
  %ax = call float @llvm.fabs.f32(float %a1)
  %13 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %13, -8.700000e+01
  %14 = select i1 %under, float -8.700000e+01, float %13
  %15 = fmul float %14, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %15)
  %16 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %14)
  %17 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %16)
  %18 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %17, float 0x3F56C16C20000000)
  %19 = call float @llvm.fma.f32(float %18, float %17, float 0x3F81111120000000)
  %20 = call float @llvm.fma.f32(float %19, float %17, float 0x3FA5555560000000)
  %21 = call float @llvm.fma.f32(float %20, float %17, float 0x3FC5555560000000)
  %22 = call float @llvm.fma.f32(float %21, float %17, float 5.000000e-01)
  %23 = call float @llvm.fma.f32(float %22, float %17, float 1.000000e+00)
  %q = fmul float %17, %23
  %24 = fptosi float %k to i32
  %25 = add i32 %24, 127
  %26 = shl i32 %25, 23
  %pow2k = bitcast i32 %26 to float
  %27 = fsub float %pow2k, 1.000000e+00
  %28 = call float @llvm.fma.f32(float %pow2k, float %q, float %27)
  %expm1 = select i1 %under, float -1.000000e+00, float %28
  %29 = fneg float %expm1
  %30 = fsub float 2.000000e+00, %29
  %31 = fdiv float %29, %30
  %32 = call float @llvm.copysign.f32(float %31, float %a1)
  %33 = getelementptr inbounds float, float* %2, i64 %i
  store float %32, float* %33, align 4
  %34 = add nsw i64 %fs.j, 1
  br label %fs.j.head

fs.j.end:                                         ; preds = %fs.j.head
  %35 = add nsw i64 %fs.r, 1
  br label %fs.r.head

fs.r.end:                                         ; preds = %fs.r.head
  ret double 0.000000e+00
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
  %8 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %8, align 8
  %9 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h2 = load float*, float** %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 3
  %mu.h = load float*, float** %10, align 8
  %11 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %12, align 8
  %13 = getelementptr inbounds float*, float** %bufs, i64 6
  %dh.h = load float*, float** %13, align 8
  %14 = call double @pcn_k.predict.a3.c3.b.dh(float* %a.h1, float* %b.h, float* %h.h2, float* %mu.h, float* %e.h, float* %g.h, float* %dh.h, i64 %n64)
  %15 = fmul double 5.000000e-01, %14
  %16 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %16, align 8
  %17 = getelementptr inbounds double, double* %energies, i64 1
  store double %15, double* %17, align 8
  %18 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y3 = load float*, float** %18, align 8
  %19 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %19, align 8
  %20 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %20, align 8
  %21 = getelementptr inbounds float*, float** %bufs, i64 11
  %mu.y = load float*, float** %21, align 8
  %22 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %22, align 8
  %23 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %23, align 8
  %24 = call double @pcn_k.predict.a0.c2.b(float* %a.y3, float* %b.y, float* %h.y, float* %mu.y, float* %e.y, float* %g.y, float* null, i64 %n64)
  %25 = fmul double 5.000000e-01, %24
  %26 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies4 = load double*, double** %26, align 8
  %27 = getelementptr inbounds double, double* %energies4, i64 2
  store double %25, double* %27, align 8
  %28 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y5 = load float*, float** %28, align 8
  %29 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y6" = load float*, float** %29, align 8
  %30 = getelementptr inbounds float*, float** %bufs, i64 6
  %dh.h7 = load float*, float** %30, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 112, i32 %n, i32 3, i32 2, float -1.000000e+00, float* %g.y5, i32 2, float* %"W.h->y6", i32 2, float 1.000000e+00, float* %dh.h7, i32 3)
  %count = mul nsw i64 %n64, 3
  %31 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 3, i32 0
  %alpha = load float, float* %31, align 4
  %32 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h8 = load float*, float** %32, align 8
  %33 = getelementptr inbounds float*, float** %bufs, i64 6
  %dh.h9 = load float*, float** %33, align 8
  call void @pcn_k.upd(float* %h.h8, float* %dh.h9, i64 %count, float %alpha)
  ret i32 0
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.predict.a3.c3.b.dh(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7) #1 {
entry:
  %vacc = alloca <8 x double>, align 64
  %acc = alloca double, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %40, %pr.j.end ]
  %8 = icmp slt i64 %pr.r, %7
  br i1 %8, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %39, %pr.j.body ]
  %9 = icmp slt i64 %pr.j, 3
  br i1 %9, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %10 = getelementptr inbounds float, float* %0, i64 %i
  %a = load float, float* %10, align 4
  %11 = getelementptr inbounds float, float* %1, i64 %pr.j
  %bias = load float, float* %11, align 4
  %a1 = fadd float %a, %bias
  %12 = getelementptr inbounds float, float* %0, i64 %i
  store float %a1, float* %12, align 4
  %ax = call float @llvm.fabs.f32(float %a1)
  %13 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %13, -8.700000e+01
  %14 = select i1 %under, float -8.700000e+01, float %13
  %15 = fmul float %14, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %15)
  %16 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %14)
  %17 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %16)
  %18 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %17, float 0x3F56C16C20000000)
  %19 = call float @llvm.fma.f32(float %18, float %17, float 0x3F81111120000000)
  %20 = call float @llvm.fma.f32(float %19, float %17, float 0x3FA5555560000000)
  %21 = call float @llvm.fma.f32(float %20, float %17, float 0x3FC5555560000000)
  %22 = call float @llvm.fma.f32(float %21, float %17, float 5.000000e-01)
  %23 = call float @llvm.fma.f32(float %22, float %17, float 1.000000e+00)
  %q = fmul float %17, %23
  %24 = fptosi float %k to i32
  %25 = add i32 %24, 127
  %26 = shl i32 %25, 23
  %pow2k = bitcast i32 %26 to float
  %27 = fsub float %pow2k, 1.000000e+00
  %28 = call float @llvm.fma.f32(float %pow2k, float %q, float %27)
  %expm1 = select i1 %under, float -1.000000e+00, float %28
  %29 = fneg float %expm1
  %30 = fsub float 2.000000e+00, %29
  %31 = fdiv float %29, %30
  %32 = call float @llvm.copysign.f32(float %31, float %a1)
  %33 = fmul float %32, %32
  %d = fsub float 1.000000e+00, %33
  %34 = getelementptr inbounds float, float* %3, i64 %i
  store float %32, float* %34, align 4
  %35 = getelementptr inbounds float, float* %2, i64 %i
  %h = load float, float* %35, align 4
  %e = fsub float %h, %32
  %36 = getelementptr inbounds float, float* %4, i64 %i
  store float %e, float* %36, align 4
  %g = fmul float %d, %e
  %37 = getelementptr inbounds float, float* %5, i64 %i
  store float %g, float* %37, align 4
  %38 = getelementptr inbounds float, float* %6, i64 %i
  store float %e, float* %38, align 4
  %39 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %40 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %41 = mul nsw i64 %7, 3
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %42 = sub nsw i64 %41, 0
  %chunks = ashr i64 %42, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %52, %ss.v.body ]
  %43 = icmp slt i64 %ss.v, %chunks
  br i1 %43, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %44 = shl i64 %ss.v, 3
  %45 = add nsw i64 0, %44
  %46 = getelementptr inbounds float, float* %4, i64 %45
  %47 = bitcast float* %46 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %47, align 4
  %48 = fpext <8 x float> %x8 to <8 x double>
  %49 = load <8 x double>, <8 x double>* %vacc, align 64
  %50 = fmul <8 x double> %48, %48
  %51 = fadd <8 x double> %49, %50
  store <8 x double> %51, <8 x double>* %vacc, align 64
  %52 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %53 = load <8 x double>, <8 x double>* %vacc, align 64
  %54 = extractelement <8 x double> %53, i32 0
  %55 = extractelement <8 x double> %53, i32 1
  %56 = fadd double %54, %55
  %57 = extractelement <8 x double> %53, i32 2
  %58 = fadd double %56, %57
  %59 = extractelement <8 x double> %53, i32 3
  %60 = fadd double %58, %59
  %61 = extractelement <8 x double> %53, i32 4
  %62 = fadd double %60, %61
  %63 = extractelement <8 x double> %53, i32 5
  %64 = fadd double %62, %63
  %65 = extractelement <8 x double> %53, i32 6
  %66 = fadd double %64, %65
  %67 = extractelement <8 x double> %53, i32 7
  %68 = fadd double %66, %67
  store double %68, double* %acc, align 8
  %69 = shl i64 %chunks, 3
  %70 = add nsw i64 0, %69
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %70, %ss.v.end ], [ %77, %ss.t.body ]
  %71 = icmp slt i64 %ss.t, %41
  br i1 %71, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %72 = getelementptr inbounds float, float* %4, i64 %ss.t
  %e2 = load float, float* %72, align 4
  %73 = fpext float %e2 to double
  %74 = load double, double* %acc, align 8
  %75 = fmul double %73, %73
  %76 = fadd double %74, %75
  store double %76, double* %acc, align 8
  %77 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  ret double %sumsq
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.predict.a0.c2.b(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7) #1 {
entry:
  %vacc = alloca <8 x double>, align 64
  %acc = alloca double, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %18, %pr.j.end ]
  %8 = icmp slt i64 %pr.r, %7
  br i1 %8, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 2
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %17, %pr.j.body ]
  %9 = icmp slt i64 %pr.j, 2
  br i1 %9, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %10 = getelementptr inbounds float, float* %0, i64 %i
  %a = load float, float* %10, align 4
  %11 = getelementptr inbounds float, float* %1, i64 %pr.j
  %bias = load float, float* %11, align 4
  %a1 = fadd float %a, %bias
  %12 = getelementptr inbounds float, float* %0, i64 %i
  store float %a1, float* %12, align 4
  %13 = getelementptr inbounds float, float* %3, i64 %i
  store float %a1, float* %13, align 4
  %14 = getelementptr inbounds float, float* %2, i64 %i
  %h = load float, float* %14, align 4
  %e = fsub float %h, %a1
  %15 = getelementptr inbounds float, float* %4, i64 %i
  store float %e, float* %15, align 4
  %g = fmul float 1.000000e+00, %e
  %16 = getelementptr inbounds float, float* %5, i64 %i
  store float %g, float* %16, align 4
  %17 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %18 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %19 = mul nsw i64 %7, 2
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %20 = sub nsw i64 %19, 0
  %chunks = ashr i64 %20, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %30, %ss.v.body ]
  %21 = icmp slt i64 %ss.v, %chunks
  br i1 %21, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %22 = shl i64 %ss.v, 3
  %23 = add nsw i64 0, %22
  %24 = getelementptr inbounds float, float* %4, i64 %23
  %25 = bitcast float* %24 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %25, align 4
  %26 = fpext <8 x float> %x8 to <8 x double>
  %27 = load <8 x double>, <8 x double>* %vacc, align 64
  %28 = fmul <8 x double> %26, %26
  %29 = fadd <8 x double> %27, %28
  store <8 x double> %29, <8 x double>* %vacc, align 64
  %30 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %31 = load <8 x double>, <8 x double>* %vacc, align 64
  %32 = extractelement <8 x double> %31, i32 0
  %33 = extractelement <8 x double> %31, i32 1
  %34 = fadd double %32, %33
  %35 = extractelement <8 x double> %31, i32 2
  %36 = fadd double %34, %35
  %37 = extractelement <8 x double> %31, i32 3
  %38 = fadd double %36, %37
  %39 = extractelement <8 x double> %31, i32 4
  %40 = fadd double %38, %39
  %41 = extractelement <8 x double> %31, i32 5
  %42 = fadd double %40, %41
  %43 = extractelement <8 x double> %31, i32 6
  %44 = fadd double %42, %43
  %45 = extractelement <8 x double> %31, i32 7
  %46 = fadd double %44, %45
  store double %46, double* %acc, align 8
  %47 = shl i64 %chunks, 3
  %48 = add nsw i64 0, %47
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %48, %ss.v.end ], [ %55, %ss.t.body ]
  %49 = icmp slt i64 %ss.t, %19
  br i1 %49, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %50 = getelementptr inbounds float, float* %4, i64 %ss.t
  %e2 = load float, float* %50, align 4
  %51 = fpext float %e2 to double
  %52 = load double, double* %acc, align 8
  %53 = fmul double %51, %51
  %54 = fadd double %52, %53
  store double %54, double* %acc, align 8
  %55 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  ret double %sumsq
}

; Function Attrs: noinline nounwind
define internal void @pcn_k.upd(float* noalias %0, float* noalias %1, i64 %2, float %3) #1 {
entry:
  %acc = alloca double, align 8
  br label %upd.head

upd.head:                                         ; preds = %upd.body, %entry
  %upd = phi i64 [ 0, %entry ], [ %10, %upd.body ]
  %4 = icmp slt i64 %upd, %2
  br i1 %4, label %upd.body, label %upd.end

upd.body:                                         ; preds = %upd.head
  %5 = getelementptr inbounds float, float* %0, i64 %upd
  %h = load float, float* %5, align 4
  %6 = getelementptr inbounds float, float* %1, i64 %upd
  %dh = load float, float* %6, align 4
  %7 = fmul float %3, %dh
  %8 = fsub float %h, %7
  %9 = getelementptr inbounds float, float* %0, i64 %upd
  store float %8, float* %9, align 4
  %10 = add nsw i64 %upd, 1
  br label %upd.head

upd.end:                                          ; preds = %upd.head
  ret void
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
  %8 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %8, align 8
  %9 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h2 = load float*, float** %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 3
  %mu.h = load float*, float** %10, align 8
  %11 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %12, align 8
  %13 = call double @pcn_k.predict.a3.c3.b(float* %a.h1, float* %b.h, float* %h.h2, float* %mu.h, float* %e.h, float* %g.h, float* null, i64 %n64)
  %14 = fmul double 5.000000e-01, %13
  %15 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %15, align 8
  %16 = getelementptr inbounds double, double* %energies, i64 1
  store double %14, double* %16, align 8
  %17 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y3 = load float*, float** %17, align 8
  %18 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %18, align 8
  %19 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %19, align 8
  %20 = getelementptr inbounds float*, float** %bufs, i64 11
  %mu.y = load float*, float** %20, align 8
  %21 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %21, align 8
  %22 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %22, align 8
  %23 = call double @pcn_k.predict.a0.c2.b(float* %a.y3, float* %b.y, float* %h.y, float* %mu.y, float* %e.y, float* %g.y, float* null, i64 %n64)
  %24 = fmul double 5.000000e-01, %23
  %25 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies4 = load double*, double** %25, align 8
  %26 = getelementptr inbounds double, double* %energies4, i64 2
  store double %24, double* %26, align 8
  %27 = sitofp i32 %n to float
  %alpha = fdiv float -1.000000e+00, %27
  %28 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x5 = load float*, float** %28, align 8
  %29 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h6 = load float*, float** %29, align 8
  %30 = getelementptr inbounds float*, float** %bufs, i64 18
  %"dW.x->h" = load float*, float** %30, align 8
  call void @cblas_sgemm(i32 101, i32 112, i32 111, i32 2, i32 3, i32 %n, float %alpha, float* %h.x5, i32 2, float* %g.h6, i32 3, float 0.000000e+00, float* %"dW.x->h", i32 3)
  %31 = sitofp i32 %n to float
  %alpha7 = fdiv float -1.000000e+00, %31
  %32 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h8 = load float*, float** %32, align 8
  %33 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y9 = load float*, float** %33, align 8
  %34 = getelementptr inbounds float*, float** %bufs, i64 20
  %"dW.h->y" = load float*, float** %34, align 8
  call void @cblas_sgemm(i32 101, i32 112, i32 111, i32 3, i32 2, i32 %n, float %alpha7, float* %h.h8, i32 3, float* %g.y9, i32 2, float 0.000000e+00, float* %"dW.h->y", i32 2)
  %35 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h10 = load float*, float** %35, align 8
  %36 = getelementptr inbounds float*, float** %bufs, i64 8
  %db.h = load float*, float** %36, align 8
  call void @pcn_k.bg.c3(float* %g.h10, float* %db.h, i64 %n64)
  %37 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y11 = load float*, float** %37, align 8
  %38 = getelementptr inbounds float*, float** %bufs, i64 16
  %db.y = load float*, float** %38, align 8
  call void @pcn_k.bg.c2(float* %g.y11, float* %db.y, i64 %n64)
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call, label %rt.none

rt.call:                                          ; preds = %entry
  %rc = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 0, i32 %n)
  %39 = icmp eq i32 %rc, 0
  br i1 %39, label %rt.cont, label %rt.fail

rt.none:                                          ; preds = %entry
  ret i32 -1

rt.fail:                                          ; preds = %rt.call
  ret i32 %rc

rt.cont:                                          ; preds = %rt.call
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call12, label %rt.none13

rt.call12:                                        ; preds = %rt.cont
  %rc16 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 1, i32 %n)
  %40 = icmp eq i32 %rc16, 0
  br i1 %40, label %rt.cont15, label %rt.fail14

rt.none13:                                        ; preds = %rt.cont
  ret i32 -1

rt.fail14:                                        ; preds = %rt.call12
  ret i32 %rc16

rt.cont15:                                        ; preds = %rt.call12
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call17, label %rt.none18

rt.call17:                                        ; preds = %rt.cont15
  %rc21 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 2, i32 %n)
  %41 = icmp eq i32 %rc21, 0
  br i1 %41, label %rt.cont20, label %rt.fail19

rt.none18:                                        ; preds = %rt.cont15
  ret i32 -1

rt.fail19:                                        ; preds = %rt.call17
  ret i32 %rc21

rt.cont20:                                        ; preds = %rt.call17
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call22, label %rt.none23

rt.call22:                                        ; preds = %rt.cont20
  %rc26 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 3, i32 %n)
  %42 = icmp eq i32 %rc26, 0
  br i1 %42, label %rt.cont25, label %rt.fail24

rt.none23:                                        ; preds = %rt.cont20
  ret i32 -1

rt.fail24:                                        ; preds = %rt.call22
  ret i32 %rc26

rt.cont25:                                        ; preds = %rt.call22
  ret i32 0
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.predict.a3.c3.b(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7) #1 {
entry:
  %vacc = alloca <8 x double>, align 64
  %acc = alloca double, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %39, %pr.j.end ]
  %8 = icmp slt i64 %pr.r, %7
  br i1 %8, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %38, %pr.j.body ]
  %9 = icmp slt i64 %pr.j, 3
  br i1 %9, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %10 = getelementptr inbounds float, float* %0, i64 %i
  %a = load float, float* %10, align 4
  %11 = getelementptr inbounds float, float* %1, i64 %pr.j
  %bias = load float, float* %11, align 4
  %a1 = fadd float %a, %bias
  %12 = getelementptr inbounds float, float* %0, i64 %i
  store float %a1, float* %12, align 4
  %ax = call float @llvm.fabs.f32(float %a1)
  %13 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %13, -8.700000e+01
  %14 = select i1 %under, float -8.700000e+01, float %13
  %15 = fmul float %14, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %15)
  %16 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %14)
  %17 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %16)
  %18 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %17, float 0x3F56C16C20000000)
  %19 = call float @llvm.fma.f32(float %18, float %17, float 0x3F81111120000000)
  %20 = call float @llvm.fma.f32(float %19, float %17, float 0x3FA5555560000000)
  %21 = call float @llvm.fma.f32(float %20, float %17, float 0x3FC5555560000000)
  %22 = call float @llvm.fma.f32(float %21, float %17, float 5.000000e-01)
  %23 = call float @llvm.fma.f32(float %22, float %17, float 1.000000e+00)
  %q = fmul float %17, %23
  %24 = fptosi float %k to i32
  %25 = add i32 %24, 127
  %26 = shl i32 %25, 23
  %pow2k = bitcast i32 %26 to float
  %27 = fsub float %pow2k, 1.000000e+00
  %28 = call float @llvm.fma.f32(float %pow2k, float %q, float %27)
  %expm1 = select i1 %under, float -1.000000e+00, float %28
  %29 = fneg float %expm1
  %30 = fsub float 2.000000e+00, %29
  %31 = fdiv float %29, %30
  %32 = call float @llvm.copysign.f32(float %31, float %a1)
  %33 = fmul float %32, %32
  %d = fsub float 1.000000e+00, %33
  %34 = getelementptr inbounds float, float* %3, i64 %i
  store float %32, float* %34, align 4
  %35 = getelementptr inbounds float, float* %2, i64 %i
  %h = load float, float* %35, align 4
  %e = fsub float %h, %32
  %36 = getelementptr inbounds float, float* %4, i64 %i
  store float %e, float* %36, align 4
  %g = fmul float %d, %e
  %37 = getelementptr inbounds float, float* %5, i64 %i
  store float %g, float* %37, align 4
  %38 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %39 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %40 = mul nsw i64 %7, 3
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %41 = sub nsw i64 %40, 0
  %chunks = ashr i64 %41, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %51, %ss.v.body ]
  %42 = icmp slt i64 %ss.v, %chunks
  br i1 %42, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %43 = shl i64 %ss.v, 3
  %44 = add nsw i64 0, %43
  %45 = getelementptr inbounds float, float* %4, i64 %44
  %46 = bitcast float* %45 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %46, align 4
  %47 = fpext <8 x float> %x8 to <8 x double>
  %48 = load <8 x double>, <8 x double>* %vacc, align 64
  %49 = fmul <8 x double> %47, %47
  %50 = fadd <8 x double> %48, %49
  store <8 x double> %50, <8 x double>* %vacc, align 64
  %51 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %52 = load <8 x double>, <8 x double>* %vacc, align 64
  %53 = extractelement <8 x double> %52, i32 0
  %54 = extractelement <8 x double> %52, i32 1
  %55 = fadd double %53, %54
  %56 = extractelement <8 x double> %52, i32 2
  %57 = fadd double %55, %56
  %58 = extractelement <8 x double> %52, i32 3
  %59 = fadd double %57, %58
  %60 = extractelement <8 x double> %52, i32 4
  %61 = fadd double %59, %60
  %62 = extractelement <8 x double> %52, i32 5
  %63 = fadd double %61, %62
  %64 = extractelement <8 x double> %52, i32 6
  %65 = fadd double %63, %64
  %66 = extractelement <8 x double> %52, i32 7
  %67 = fadd double %65, %66
  store double %67, double* %acc, align 8
  %68 = shl i64 %chunks, 3
  %69 = add nsw i64 0, %68
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %69, %ss.v.end ], [ %76, %ss.t.body ]
  %70 = icmp slt i64 %ss.t, %40
  br i1 %70, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %71 = getelementptr inbounds float, float* %4, i64 %ss.t
  %e2 = load float, float* %71, align 4
  %72 = fpext float %e2 to double
  %73 = load double, double* %acc, align 8
  %74 = fmul double %72, %72
  %75 = fadd double %73, %74
  store double %75, double* %acc, align 8
  %76 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  ret double %sumsq
}

; Function Attrs: noinline nounwind
define internal void @pcn_k.bg.c3(float* noalias %0, float* noalias %1, i64 %2) #1 {
entry:
  %acc = alloca double, align 8
  %sums = alloca [3 x double], align 8
  %nd = sitofp i64 %2 to double
  br label %bg.k.head

bg.k.head:                                        ; preds = %bg.w.end, %entry
  %bg.k = phi i64 [ 0, %entry ], [ %25, %bg.w.end ]
  %3 = icmp slt i64 %bg.k, 1
  br i1 %3, label %bg.k.body, label %bg.k.end

bg.k.body:                                        ; preds = %bg.k.head
  %j0 = mul nsw i64 %bg.k, 3
  %4 = sub nsw i64 3, %j0
  %5 = icmp slt i64 %4, 3
  %jn = select i1 %5, i64 %4, i64 3
  br label %bg.z.head

bg.z.head:                                        ; preds = %bg.z.body, %bg.k.body
  %bg.z = phi i64 [ 0, %bg.k.body ], [ %8, %bg.z.body ]
  %6 = icmp slt i64 %bg.z, %jn
  br i1 %6, label %bg.z.body, label %bg.z.end

bg.z.body:                                        ; preds = %bg.z.head
  %7 = getelementptr inbounds [3 x double], [3 x double]* %sums, i64 0, i64 %bg.z
  store double 0.000000e+00, double* %7, align 8
  %8 = add nsw i64 %bg.z, 1
  br label %bg.z.head

bg.z.end:                                         ; preds = %bg.z.head
  br label %bg.r.head

bg.r.head:                                        ; preds = %bg.j.end, %bg.z.end
  %bg.r = phi i64 [ 0, %bg.z.end ], [ %17, %bg.j.end ]
  %9 = icmp slt i64 %bg.r, %2
  br i1 %9, label %bg.r.body, label %bg.r.end

bg.r.body:                                        ; preds = %bg.r.head
  %10 = mul nsw i64 %bg.r, 3
  %row = add nsw i64 %10, %j0
  br label %bg.j.head

bg.j.head:                                        ; preds = %bg.j.body, %bg.r.body
  %bg.j = phi i64 [ 0, %bg.r.body ], [ %16, %bg.j.body ]
  %11 = icmp slt i64 %bg.j, %jn
  br i1 %11, label %bg.j.body, label %bg.j.end

bg.j.body:                                        ; preds = %bg.j.head
  %i = add nsw i64 %row, %bg.j
  %12 = getelementptr inbounds float, float* %0, i64 %i
  %g = load float, float* %12, align 4
  %13 = fpext float %g to double
  %14 = getelementptr inbounds [3 x double], [3 x double]* %sums, i64 0, i64 %bg.j
  %acc1 = load double, double* %14, align 8
  %15 = fadd double %acc1, %13
  store double %15, double* %14, align 8
  %16 = add nsw i64 %bg.j, 1
  br label %bg.j.head

bg.j.end:                                         ; preds = %bg.j.head
  %17 = add nsw i64 %bg.r, 1
  br label %bg.r.head

bg.r.end:                                         ; preds = %bg.r.head
  br label %bg.w.head

bg.w.head:                                        ; preds = %bg.w.body, %bg.r.end
  %bg.w = phi i64 [ 0, %bg.r.end ], [ %24, %bg.w.body ]
  %18 = icmp slt i64 %bg.w, %jn
  br i1 %18, label %bg.w.body, label %bg.w.end

bg.w.body:                                        ; preds = %bg.w.head
  %19 = getelementptr inbounds [3 x double], [3 x double]* %sums, i64 0, i64 %bg.w
  %sum = load double, double* %19, align 8
  %20 = fneg double %sum
  %21 = fdiv double %20, %nd
  %22 = add nsw i64 %j0, %bg.w
  %db = fptrunc double %21 to float
  %23 = getelementptr inbounds float, float* %1, i64 %22
  store float %db, float* %23, align 4
  %24 = add nsw i64 %bg.w, 1
  br label %bg.w.head

bg.w.end:                                         ; preds = %bg.w.head
  %25 = add nsw i64 %bg.k, 1
  br label %bg.k.head

bg.k.end:                                         ; preds = %bg.k.head
  ret void
}

; Function Attrs: noinline nounwind
define internal void @pcn_k.bg.c2(float* noalias %0, float* noalias %1, i64 %2) #1 {
entry:
  %acc = alloca double, align 8
  %sums = alloca [2 x double], align 8
  %nd = sitofp i64 %2 to double
  br label %bg.k.head

bg.k.head:                                        ; preds = %bg.w.end, %entry
  %bg.k = phi i64 [ 0, %entry ], [ %25, %bg.w.end ]
  %3 = icmp slt i64 %bg.k, 1
  br i1 %3, label %bg.k.body, label %bg.k.end

bg.k.body:                                        ; preds = %bg.k.head
  %j0 = mul nsw i64 %bg.k, 2
  %4 = sub nsw i64 2, %j0
  %5 = icmp slt i64 %4, 2
  %jn = select i1 %5, i64 %4, i64 2
  br label %bg.z.head

bg.z.head:                                        ; preds = %bg.z.body, %bg.k.body
  %bg.z = phi i64 [ 0, %bg.k.body ], [ %8, %bg.z.body ]
  %6 = icmp slt i64 %bg.z, %jn
  br i1 %6, label %bg.z.body, label %bg.z.end

bg.z.body:                                        ; preds = %bg.z.head
  %7 = getelementptr inbounds [2 x double], [2 x double]* %sums, i64 0, i64 %bg.z
  store double 0.000000e+00, double* %7, align 8
  %8 = add nsw i64 %bg.z, 1
  br label %bg.z.head

bg.z.end:                                         ; preds = %bg.z.head
  br label %bg.r.head

bg.r.head:                                        ; preds = %bg.j.end, %bg.z.end
  %bg.r = phi i64 [ 0, %bg.z.end ], [ %17, %bg.j.end ]
  %9 = icmp slt i64 %bg.r, %2
  br i1 %9, label %bg.r.body, label %bg.r.end

bg.r.body:                                        ; preds = %bg.r.head
  %10 = mul nsw i64 %bg.r, 2
  %row = add nsw i64 %10, %j0
  br label %bg.j.head

bg.j.head:                                        ; preds = %bg.j.body, %bg.r.body
  %bg.j = phi i64 [ 0, %bg.r.body ], [ %16, %bg.j.body ]
  %11 = icmp slt i64 %bg.j, %jn
  br i1 %11, label %bg.j.body, label %bg.j.end

bg.j.body:                                        ; preds = %bg.j.head
  %i = add nsw i64 %row, %bg.j
  %12 = getelementptr inbounds float, float* %0, i64 %i
  %g = load float, float* %12, align 4
  %13 = fpext float %g to double
  %14 = getelementptr inbounds [2 x double], [2 x double]* %sums, i64 0, i64 %bg.j
  %acc1 = load double, double* %14, align 8
  %15 = fadd double %acc1, %13
  store double %15, double* %14, align 8
  %16 = add nsw i64 %bg.j, 1
  br label %bg.j.head

bg.j.end:                                         ; preds = %bg.j.head
  %17 = add nsw i64 %bg.r, 1
  br label %bg.r.head

bg.r.end:                                         ; preds = %bg.r.head
  br label %bg.w.head

bg.w.head:                                        ; preds = %bg.w.body, %bg.r.end
  %bg.w = phi i64 [ 0, %bg.r.end ], [ %24, %bg.w.body ]
  %18 = icmp slt i64 %bg.w, %jn
  br i1 %18, label %bg.w.body, label %bg.w.end

bg.w.body:                                        ; preds = %bg.w.head
  %19 = getelementptr inbounds [2 x double], [2 x double]* %sums, i64 0, i64 %bg.w
  %sum = load double, double* %19, align 8
  %20 = fneg double %sum
  %21 = fdiv double %20, %nd
  %22 = add nsw i64 %j0, %bg.w
  %db = fptrunc double %21 to float
  %23 = getelementptr inbounds float, float* %1, i64 %22
  store float %db, float* %23, align 4
  %24 = add nsw i64 %bg.w, 1
  br label %bg.w.head

bg.w.end:                                         ; preds = %bg.w.head
  %25 = add nsw i64 %bg.k, 1
  br label %bg.k.head

bg.k.end:                                         ; preds = %bg.k.head
  ret void
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
  %5 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %5, align 8
  %6 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %6, align 8
  %7 = call double @pcn_k.fwd.a3.c3.b(float* %a.h1, float* %b.h, float* %h.h, float* null, float* null, float* null, float* null, i64 %n64)
  %8 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h2 = load float*, float** %8, align 8
  %9 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %10, align 8
  call void @cblas_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h2, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  %11 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y3 = load float*, float** %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %12, align 8
  %13 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %13, align 8
  %14 = call double @pcn_k.fwd.a0.c2.b(float* %a.y3, float* %b.y, float* %h.y, float* null, float* null, float* null, float* null, i64 %n64)
  ret i32 0
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.fwd.a0.c2.b(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7) #1 {
entry:
  %acc = alloca double, align 8
  br label %fs.r.head

fs.r.head:                                        ; preds = %fs.j.end, %entry
  %fs.r = phi i64 [ 0, %entry ], [ %15, %fs.j.end ]
  %8 = icmp slt i64 %fs.r, %7
  br i1 %8, label %fs.r.body, label %fs.r.end

fs.r.body:                                        ; preds = %fs.r.head
  %row = mul nsw i64 %fs.r, 2
  br label %fs.j.head

fs.j.head:                                        ; preds = %fs.j.body, %fs.r.body
  %fs.j = phi i64 [ 0, %fs.r.body ], [ %14, %fs.j.body ]
  %9 = icmp slt i64 %fs.j, 2
  br i1 %9, label %fs.j.body, label %fs.j.end

fs.j.body:                                        ; preds = %fs.j.head
  %i = add nsw i64 %row, %fs.j
  %10 = getelementptr inbounds float, float* %0, i64 %i
  %a = load float, float* %10, align 4
  %11 = getelementptr inbounds float, float* %1, i64 %fs.j
  %bias = load float, float* %11, align 4
  %a1 = fadd float %a, %bias
  %12 = getelementptr inbounds float, float* %0, i64 %i
  store float %a1, float* %12, align 4
  %13 = getelementptr inbounds float, float* %2, i64 %i
  store float %a1, float* %13, align 4
  %14 = add nsw i64 %fs.j, 1
  br label %fs.j.head

fs.j.end:                                         ; preds = %fs.j.head
  %15 = add nsw i64 %fs.r, 1
  br label %fs.r.head

fs.r.end:                                         ; preds = %fs.r.head
  ret double 0.000000e+00
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
attributes #1 = { noinline nounwind }
