; ModuleID = 'tiny'
source_filename = "tiny"

%PcnJitState = type { float**, double*, i8*, [2 x float], [2 x float] }

declare float @erff(float)

declare float @expf(float)

declare float @expm1f(float)

declare float @tanhf(float)

declare void @cblas_sgemm(i32, i32, i32, i32, i32, i32, float, float*, i32, float*, i32, float, float*, i32)

declare void @pcn_rt_sgemm(i32, i32, i32, i32, i32, i32, float, float*, i32, float*, i32, float, float*, i32)

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
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 3, i32 2, float 1.000000e+00, float* %h.x, i32 2, float* %"W.x->h", i32 3, float 0.000000e+00, float* %a.h, i32 3)
  br i1 icmp ne (double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* @pcn_rt_rows, double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* null), label %rows.par, label %rows.seq

rows.par:                                         ; preds = %entry
  %4 = call double @pcn_rt_rows(double (%PcnJitState*, i64, i64)* @pcn_train_init.rows0, %PcnJitState* %st, i64 %n64, i64 3)
  br label %rows.done

rows.seq:                                         ; preds = %entry
  %5 = call double @pcn_train_init.rows0(%PcnJitState* %st, i64 0, i64 %n64)
  br label %rows.done

rows.done:                                        ; preds = %rows.seq, %rows.par
  %energy = phi double [ %4, %rows.par ], [ %5, %rows.seq ]
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

define internal double @pcn_train_init.rows0(%PcnJitState* %0, i64 %1, i64 %2) {
entry:
  %acc = alloca double, align 8
  %3 = getelementptr inbounds %PcnJitState, %PcnJitState* %0, i32 0, i32 0
  %bufs = load float**, float*** %3, align 8
  %off = mul nsw i64 %1, 3
  %4 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float, float* %a.h, i64 %off
  %6 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %6, align 8
  %7 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %7, align 8
  %8 = getelementptr inbounds float, float* %h.h, i64 %off
  %rows = sub nsw i64 %2, %1
  %9 = call double @pcn_k.fwd.a3.c3.b(float* %5, float* %b.h, float* %8, float* null, float* null, float* null, float* null, i64 %rows)
  ret double %9
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
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 3, i32 2, float 1.000000e+00, float* %h.x, i32 2, float* %"W.x->h", i32 3, float 0.000000e+00, float* %a.h, i32 3)
  %4 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %5, align 8
  %6 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %6, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  br i1 icmp ne (double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* @pcn_rt_rows, double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* null), label %rows.par, label %rows.seq

rows.par:                                         ; preds = %entry
  %7 = call double @pcn_rt_rows(double (%PcnJitState*, i64, i64)* @pcn_train_step.rows1, %PcnJitState* %st, i64 %n64, i64 3)
  br label %rows.done

rows.seq:                                         ; preds = %entry
  %8 = call double @pcn_train_step.rows1(%PcnJitState* %st, i64 0, i64 %n64)
  br label %rows.done

rows.done:                                        ; preds = %rows.seq, %rows.par
  %energy = phi double [ %7, %rows.par ], [ %8, %rows.seq ]
  %9 = fmul double 5.000000e-01, %energy
  %10 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %10, align 8
  %11 = getelementptr inbounds double, double* %energies, i64 1
  store double %9, double* %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y1 = load float*, float** %12, align 8
  %13 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %13, align 8
  %14 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %14, align 8
  %15 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %15, align 8
  %16 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %16, align 8
  %17 = call double @pcn_k.predict.a0.c2.b.nomu(float* %a.y1, float* %b.y, float* %h.y, float* null, float* %e.y, float* %g.y, float* null, i64 %n64)
  %18 = fmul double 5.000000e-01, %17
  %19 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies2 = load double*, double** %19, align 8
  %20 = getelementptr inbounds double, double* %energies2, i64 2
  store double %18, double* %20, align 8
  %21 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 3, i32 0
  %alpha = load float, float* %21, align 4
  %alpha.h = fmul float %alpha, 1.000000e+00
  %22 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y3 = load float*, float** %22, align 8
  %23 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y4" = load float*, float** %23, align 8
  %24 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h5 = load float*, float** %24, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 112, i32 %n, i32 3, i32 2, float %alpha.h, float* %g.y3, i32 2, float* %"W.h->y4", i32 2, float 1.000000e+00, float* %h.h5, i32 3)
  ret i32 0
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.predict.a3.c3.b.hu.nomu(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7, float %8) #1 {
entry:
  %vacc = alloca <8 x double>, align 64
  %acc = alloca double, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %41, %pr.j.end ]
  %9 = icmp slt i64 %pr.r, %7
  br i1 %9, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %40, %pr.j.body ]
  %10 = icmp slt i64 %pr.j, 3
  br i1 %10, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %11 = getelementptr inbounds float, float* %0, i64 %i
  %a = load float, float* %11, align 4
  %12 = getelementptr inbounds float, float* %1, i64 %pr.j
  %bias = load float, float* %12, align 4
  %a1 = fadd float %a, %bias
  %13 = getelementptr inbounds float, float* %0, i64 %i
  store float %a1, float* %13, align 4
  %ax = call float @llvm.fabs.f32(float %a1)
  %14 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %14, -8.700000e+01
  %15 = select i1 %under, float -8.700000e+01, float %14
  %16 = fmul float %15, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %16)
  %17 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %15)
  %18 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %17)
  %19 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %18, float 0x3F56C16C20000000)
  %20 = call float @llvm.fma.f32(float %19, float %18, float 0x3F81111120000000)
  %21 = call float @llvm.fma.f32(float %20, float %18, float 0x3FA5555560000000)
  %22 = call float @llvm.fma.f32(float %21, float %18, float 0x3FC5555560000000)
  %23 = call float @llvm.fma.f32(float %22, float %18, float 5.000000e-01)
  %24 = call float @llvm.fma.f32(float %23, float %18, float 1.000000e+00)
  %q = fmul float %18, %24
  %25 = fptosi float %k to i32
  %26 = add i32 %25, 127
  %27 = shl i32 %26, 23
  %pow2k = bitcast i32 %27 to float
  %28 = fsub float %pow2k, 1.000000e+00
  %29 = call float @llvm.fma.f32(float %pow2k, float %q, float %28)
  %expm1 = select i1 %under, float -1.000000e+00, float %29
  %30 = fneg float %expm1
  %31 = fsub float 2.000000e+00, %30
  %32 = fdiv float %30, %31
  %33 = call float @llvm.copysign.f32(float %32, float %a1)
  %34 = fmul float %33, %33
  %d = fsub float 1.000000e+00, %34
  %35 = getelementptr inbounds float, float* %2, i64 %i
  %h = load float, float* %35, align 4
  %e = fsub float %h, %33
  %36 = getelementptr inbounds float, float* %4, i64 %i
  store float %e, float* %36, align 4
  %g = fmul float %d, %e
  %37 = getelementptr inbounds float, float* %5, i64 %i
  store float %g, float* %37, align 4
  %38 = fmul float %8, %e
  %h.new = fsub float %h, %38
  %39 = getelementptr inbounds float, float* %2, i64 %i
  store float %h.new, float* %39, align 4
  %40 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %41 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %42 = mul nsw i64 %7, 3
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %43 = sub nsw i64 %42, 0
  %chunks = ashr i64 %43, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %53, %ss.v.body ]
  %44 = icmp slt i64 %ss.v, %chunks
  br i1 %44, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %45 = shl i64 %ss.v, 3
  %46 = add nsw i64 0, %45
  %47 = getelementptr inbounds float, float* %4, i64 %46
  %48 = bitcast float* %47 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %48, align 4
  %49 = fpext <8 x float> %x8 to <8 x double>
  %50 = load <8 x double>, <8 x double>* %vacc, align 64
  %51 = fmul <8 x double> %49, %49
  %52 = fadd <8 x double> %50, %51
  store <8 x double> %52, <8 x double>* %vacc, align 64
  %53 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %54 = load <8 x double>, <8 x double>* %vacc, align 64
  %55 = extractelement <8 x double> %54, i32 0
  %56 = extractelement <8 x double> %54, i32 1
  %57 = fadd double %55, %56
  %58 = extractelement <8 x double> %54, i32 2
  %59 = fadd double %57, %58
  %60 = extractelement <8 x double> %54, i32 3
  %61 = fadd double %59, %60
  %62 = extractelement <8 x double> %54, i32 4
  %63 = fadd double %61, %62
  %64 = extractelement <8 x double> %54, i32 5
  %65 = fadd double %63, %64
  %66 = extractelement <8 x double> %54, i32 6
  %67 = fadd double %65, %66
  %68 = extractelement <8 x double> %54, i32 7
  %69 = fadd double %67, %68
  store double %69, double* %acc, align 8
  %70 = shl i64 %chunks, 3
  %71 = add nsw i64 0, %70
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %71, %ss.v.end ], [ %78, %ss.t.body ]
  %72 = icmp slt i64 %ss.t, %42
  br i1 %72, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %73 = getelementptr inbounds float, float* %4, i64 %ss.t
  %e2 = load float, float* %73, align 4
  %74 = fpext float %e2 to double
  %75 = load double, double* %acc, align 8
  %76 = fmul double %74, %74
  %77 = fadd double %75, %76
  store double %77, double* %acc, align 8
  %78 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  ret double %sumsq
}

define internal double @pcn_train_step.rows1(%PcnJitState* %0, i64 %1, i64 %2) {
entry:
  %acc = alloca double, align 8
  %3 = getelementptr inbounds %PcnJitState, %PcnJitState* %0, i32 0, i32 0
  %bufs = load float**, float*** %3, align 8
  %off = mul nsw i64 %1, 3
  %4 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float, float* %a.h, i64 %off
  %6 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %6, align 8
  %7 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %7, align 8
  %8 = getelementptr inbounds float, float* %h.h, i64 %off
  %9 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %9, align 8
  %10 = getelementptr inbounds float, float* %e.h, i64 %off
  %11 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %11, align 8
  %12 = getelementptr inbounds float, float* %g.h, i64 %off
  %rows = sub nsw i64 %2, %1
  %13 = getelementptr inbounds %PcnJitState, %PcnJitState* %0, i32 0, i32 3, i32 0
  %alpha = load float, float* %13, align 4
  %14 = call double @pcn_k.predict.a3.c3.b.hu.nomu(float* %5, float* %b.h, float* %8, float* null, float* %10, float* %12, float* null, i64 %rows, float %alpha)
  ret double %14
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.predict.a0.c2.b.nomu(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7) #1 {
entry:
  %vacc = alloca <8 x double>, align 64
  %acc = alloca double, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %17, %pr.j.end ]
  %8 = icmp slt i64 %pr.r, %7
  br i1 %8, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 2
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %16, %pr.j.body ]
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
  %13 = getelementptr inbounds float, float* %2, i64 %i
  %h = load float, float* %13, align 4
  %e = fsub float %h, %a1
  %14 = getelementptr inbounds float, float* %4, i64 %i
  store float %e, float* %14, align 4
  %g = fmul float 1.000000e+00, %e
  %15 = getelementptr inbounds float, float* %5, i64 %i
  store float %g, float* %15, align 4
  %16 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %17 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %18 = mul nsw i64 %7, 2
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %19 = sub nsw i64 %18, 0
  %chunks = ashr i64 %19, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %29, %ss.v.body ]
  %20 = icmp slt i64 %ss.v, %chunks
  br i1 %20, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %21 = shl i64 %ss.v, 3
  %22 = add nsw i64 0, %21
  %23 = getelementptr inbounds float, float* %4, i64 %22
  %24 = bitcast float* %23 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %24, align 4
  %25 = fpext <8 x float> %x8 to <8 x double>
  %26 = load <8 x double>, <8 x double>* %vacc, align 64
  %27 = fmul <8 x double> %25, %25
  %28 = fadd <8 x double> %26, %27
  store <8 x double> %28, <8 x double>* %vacc, align 64
  %29 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %30 = load <8 x double>, <8 x double>* %vacc, align 64
  %31 = extractelement <8 x double> %30, i32 0
  %32 = extractelement <8 x double> %30, i32 1
  %33 = fadd double %31, %32
  %34 = extractelement <8 x double> %30, i32 2
  %35 = fadd double %33, %34
  %36 = extractelement <8 x double> %30, i32 3
  %37 = fadd double %35, %36
  %38 = extractelement <8 x double> %30, i32 4
  %39 = fadd double %37, %38
  %40 = extractelement <8 x double> %30, i32 5
  %41 = fadd double %39, %40
  %42 = extractelement <8 x double> %30, i32 6
  %43 = fadd double %41, %42
  %44 = extractelement <8 x double> %30, i32 7
  %45 = fadd double %43, %44
  store double %45, double* %acc, align 8
  %46 = shl i64 %chunks, 3
  %47 = add nsw i64 0, %46
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %47, %ss.v.end ], [ %54, %ss.t.body ]
  %48 = icmp slt i64 %ss.t, %18
  br i1 %48, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %49 = getelementptr inbounds float, float* %4, i64 %ss.t
  %e2 = load float, float* %49, align 4
  %50 = fpext float %e2 to double
  %51 = load double, double* %acc, align 8
  %52 = fmul double %50, %50
  %53 = fadd double %51, %52
  store double %53, double* %acc, align 8
  %54 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  ret double %sumsq
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
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 3, i32 2, float 1.000000e+00, float* %h.x, i32 2, float* %"W.x->h", i32 3, float 0.000000e+00, float* %a.h, i32 3)
  %4 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %5, align 8
  %6 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %6, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  br i1 icmp ne (double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* @pcn_rt_rows, double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* null), label %rows.par, label %rows.seq

rows.par:                                         ; preds = %entry
  %7 = call double @pcn_rt_rows(double (%PcnJitState*, i64, i64)* @pcn_train_learn.rows2, %PcnJitState* %st, i64 %n64, i64 3)
  br label %rows.done

rows.seq:                                         ; preds = %entry
  %8 = call double @pcn_train_learn.rows2(%PcnJitState* %st, i64 0, i64 %n64)
  br label %rows.done

rows.done:                                        ; preds = %rows.seq, %rows.par
  %energy = phi double [ %7, %rows.par ], [ %8, %rows.seq ]
  %9 = fmul double 5.000000e-01, %energy
  %10 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %10, align 8
  %11 = getelementptr inbounds double, double* %energies, i64 1
  store double %9, double* %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y1 = load float*, float** %12, align 8
  %13 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %13, align 8
  %14 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %14, align 8
  %15 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %15, align 8
  %16 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %16, align 8
  %17 = call double @pcn_k.predict.a0.c2.b.nomu(float* %a.y1, float* %b.y, float* %h.y, float* null, float* %e.y, float* %g.y, float* null, i64 %n64)
  %18 = fmul double 5.000000e-01, %17
  %19 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies2 = load double*, double** %19, align 8
  %20 = getelementptr inbounds double, double* %energies2, i64 2
  store double %18, double* %20, align 8
  %21 = sitofp i32 %n to float
  %alpha = fdiv float -1.000000e+00, %21
  %22 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x3 = load float*, float** %22, align 8
  %23 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %23, align 8
  %24 = getelementptr inbounds float*, float** %bufs, i64 18
  %"dW.x->h" = load float*, float** %24, align 8
  call void @pcn_rt_sgemm(i32 101, i32 112, i32 111, i32 2, i32 3, i32 %n, float %alpha, float* %h.x3, i32 2, float* %g.h, i32 3, float 0.000000e+00, float* %"dW.x->h", i32 3)
  %25 = sitofp i32 %n to float
  %alpha4 = fdiv float -1.000000e+00, %25
  %26 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h5 = load float*, float** %26, align 8
  %27 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y6 = load float*, float** %27, align 8
  %28 = getelementptr inbounds float*, float** %bufs, i64 20
  %"dW.h->y" = load float*, float** %28, align 8
  call void @pcn_rt_sgemm(i32 101, i32 112, i32 111, i32 3, i32 2, i32 %n, float %alpha4, float* %h.h5, i32 3, float* %g.y6, i32 2, float 0.000000e+00, float* %"dW.h->y", i32 2)
  %29 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h7 = load float*, float** %29, align 8
  %30 = getelementptr inbounds float*, float** %bufs, i64 8
  %db.h = load float*, float** %30, align 8
  call void @pcn_k.bg.c3(float* %g.h7, float* %db.h, i64 %n64)
  %31 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y8 = load float*, float** %31, align 8
  %32 = getelementptr inbounds float*, float** %bufs, i64 16
  %db.y = load float*, float** %32, align 8
  call void @pcn_k.bg.c2(float* %g.y8, float* %db.y, i64 %n64)
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call, label %rt.none

rt.call:                                          ; preds = %rows.done
  %rc = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 0, i32 %n)
  %33 = icmp eq i32 %rc, 0
  br i1 %33, label %rt.cont, label %rt.fail

rt.none:                                          ; preds = %rows.done
  ret i32 -1

rt.fail:                                          ; preds = %rt.call
  ret i32 %rc

rt.cont:                                          ; preds = %rt.call
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call9, label %rt.none10

rt.call9:                                         ; preds = %rt.cont
  %rc13 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 1, i32 %n)
  %34 = icmp eq i32 %rc13, 0
  br i1 %34, label %rt.cont12, label %rt.fail11

rt.none10:                                        ; preds = %rt.cont
  ret i32 -1

rt.fail11:                                        ; preds = %rt.call9
  ret i32 %rc13

rt.cont12:                                        ; preds = %rt.call9
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call14, label %rt.none15

rt.call14:                                        ; preds = %rt.cont12
  %rc18 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 2, i32 %n)
  %35 = icmp eq i32 %rc18, 0
  br i1 %35, label %rt.cont17, label %rt.fail16

rt.none15:                                        ; preds = %rt.cont12
  ret i32 -1

rt.fail16:                                        ; preds = %rt.call14
  ret i32 %rc18

rt.cont17:                                        ; preds = %rt.call14
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call19, label %rt.none20

rt.call19:                                        ; preds = %rt.cont17
  %rc23 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 3, i32 %n)
  %36 = icmp eq i32 %rc23, 0
  br i1 %36, label %rt.cont22, label %rt.fail21

rt.none20:                                        ; preds = %rt.cont17
  ret i32 -1

rt.fail21:                                        ; preds = %rt.call19
  ret i32 %rc23

rt.cont22:                                        ; preds = %rt.call19
  ret i32 0
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.predict.a3.c3.b.nomu(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7) #1 {
entry:
  %vacc = alloca <8 x double>, align 64
  %acc = alloca double, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %38, %pr.j.end ]
  %8 = icmp slt i64 %pr.r, %7
  br i1 %8, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %37, %pr.j.body ]
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
  %34 = getelementptr inbounds float, float* %2, i64 %i
  %h = load float, float* %34, align 4
  %e = fsub float %h, %32
  %35 = getelementptr inbounds float, float* %4, i64 %i
  store float %e, float* %35, align 4
  %g = fmul float %d, %e
  %36 = getelementptr inbounds float, float* %5, i64 %i
  store float %g, float* %36, align 4
  %37 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %38 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %39 = mul nsw i64 %7, 3
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %40 = sub nsw i64 %39, 0
  %chunks = ashr i64 %40, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %50, %ss.v.body ]
  %41 = icmp slt i64 %ss.v, %chunks
  br i1 %41, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %42 = shl i64 %ss.v, 3
  %43 = add nsw i64 0, %42
  %44 = getelementptr inbounds float, float* %4, i64 %43
  %45 = bitcast float* %44 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %45, align 4
  %46 = fpext <8 x float> %x8 to <8 x double>
  %47 = load <8 x double>, <8 x double>* %vacc, align 64
  %48 = fmul <8 x double> %46, %46
  %49 = fadd <8 x double> %47, %48
  store <8 x double> %49, <8 x double>* %vacc, align 64
  %50 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %51 = load <8 x double>, <8 x double>* %vacc, align 64
  %52 = extractelement <8 x double> %51, i32 0
  %53 = extractelement <8 x double> %51, i32 1
  %54 = fadd double %52, %53
  %55 = extractelement <8 x double> %51, i32 2
  %56 = fadd double %54, %55
  %57 = extractelement <8 x double> %51, i32 3
  %58 = fadd double %56, %57
  %59 = extractelement <8 x double> %51, i32 4
  %60 = fadd double %58, %59
  %61 = extractelement <8 x double> %51, i32 5
  %62 = fadd double %60, %61
  %63 = extractelement <8 x double> %51, i32 6
  %64 = fadd double %62, %63
  %65 = extractelement <8 x double> %51, i32 7
  %66 = fadd double %64, %65
  store double %66, double* %acc, align 8
  %67 = shl i64 %chunks, 3
  %68 = add nsw i64 0, %67
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %68, %ss.v.end ], [ %75, %ss.t.body ]
  %69 = icmp slt i64 %ss.t, %39
  br i1 %69, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %70 = getelementptr inbounds float, float* %4, i64 %ss.t
  %e2 = load float, float* %70, align 4
  %71 = fpext float %e2 to double
  %72 = load double, double* %acc, align 8
  %73 = fmul double %71, %71
  %74 = fadd double %72, %73
  store double %74, double* %acc, align 8
  %75 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  ret double %sumsq
}

define internal double @pcn_train_learn.rows2(%PcnJitState* %0, i64 %1, i64 %2) {
entry:
  %acc = alloca double, align 8
  %3 = getelementptr inbounds %PcnJitState, %PcnJitState* %0, i32 0, i32 0
  %bufs = load float**, float*** %3, align 8
  %off = mul nsw i64 %1, 3
  %4 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float, float* %a.h, i64 %off
  %6 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %6, align 8
  %7 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %7, align 8
  %8 = getelementptr inbounds float, float* %h.h, i64 %off
  %9 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %9, align 8
  %10 = getelementptr inbounds float, float* %e.h, i64 %off
  %11 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %11, align 8
  %12 = getelementptr inbounds float, float* %g.h, i64 %off
  %rows = sub nsw i64 %2, %1
  %13 = call double @pcn_k.predict.a3.c3.b.nomu(float* %5, float* %b.h, float* %8, float* null, float* %10, float* %12, float* null, i64 %rows)
  ret double %13
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
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 3, i32 2, float 1.000000e+00, float* %h.x, i32 2, float* %"W.x->h", i32 3, float 0.000000e+00, float* %a.h, i32 3)
  br i1 icmp ne (double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* @pcn_rt_rows, double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* null), label %rows.par, label %rows.seq

rows.par:                                         ; preds = %entry
  %4 = call double @pcn_rt_rows(double (%PcnJitState*, i64, i64)* @pcn_eval_init.rows3, %PcnJitState* %st, i64 %n64, i64 3)
  br label %rows.done

rows.seq:                                         ; preds = %entry
  %5 = call double @pcn_eval_init.rows3(%PcnJitState* %st, i64 0, i64 %n64)
  br label %rows.done

rows.done:                                        ; preds = %rows.seq, %rows.par
  %energy = phi double [ %4, %rows.par ], [ %5, %rows.seq ]
  %6 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %6, align 8
  %7 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %7, align 8
  %8 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %8, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  %9 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y1 = load float*, float** %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %10, align 8
  %11 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %11, align 8
  %12 = call double @pcn_k.fwd.a0.c2.b(float* %a.y1, float* %b.y, float* %h.y, float* null, float* null, float* null, float* null, i64 %n64)
  ret i32 0
}

define internal double @pcn_eval_init.rows3(%PcnJitState* %0, i64 %1, i64 %2) {
entry:
  %acc = alloca double, align 8
  %3 = getelementptr inbounds %PcnJitState, %PcnJitState* %0, i32 0, i32 0
  %bufs = load float**, float*** %3, align 8
  %off = mul nsw i64 %1, 3
  %4 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float, float* %a.h, i64 %off
  %6 = getelementptr inbounds float*, float** %bufs, i64 7
  %b.h = load float*, float** %6, align 8
  %7 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %7, align 8
  %8 = getelementptr inbounds float, float* %h.h, i64 %off
  %rows = sub nsw i64 %2, %1
  %9 = call double @pcn_k.fwd.a3.c3.b(float* %5, float* %b.h, float* %8, float* null, float* null, float* null, float* null, i64 %rows)
  ret double %9
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

define i32 @pcn_train_step_t0(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  %1 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %1, align 8
  %2 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %2, align 8
  %3 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %3, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  %bytes = mul nsw i64 %n64, 12
  %4 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %4, align 8
  %5 = bitcast float* %e.h to i8*
  call void @llvm.memset.p0i8.i64(i8* align 4 %5, i8 0, i64 %bytes, i1 false)
  %6 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %6, align 8
  %7 = bitcast float* %g.h to i8*
  call void @llvm.memset.p0i8.i64(i8* align 4 %7, i8 0, i64 %bytes, i1 false)
  %8 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %8, align 8
  %9 = getelementptr inbounds double, double* %energies, i64 1
  store double 0.000000e+00, double* %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y1 = load float*, float** %10, align 8
  %11 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %12, align 8
  %13 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %13, align 8
  %14 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %14, align 8
  %15 = call double @pcn_k.predict.a0.c2.b.nomu(float* %a.y1, float* %b.y, float* %h.y, float* null, float* %e.y, float* %g.y, float* null, i64 %n64)
  %16 = fmul double 5.000000e-01, %15
  %17 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies2 = load double*, double** %17, align 8
  %18 = getelementptr inbounds double, double* %energies2, i64 2
  store double %16, double* %18, align 8
  %19 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 3, i32 0
  %alpha = load float, float* %19, align 4
  %alpha.h = fmul float %alpha, 1.000000e+00
  %20 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y3 = load float*, float** %20, align 8
  %21 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y4" = load float*, float** %21, align 8
  %22 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h5 = load float*, float** %22, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 112, i32 %n, i32 3, i32 2, float %alpha.h, float* %g.y3, i32 2, float* %"W.h->y4", i32 2, float 1.000000e+00, float* %h.h5, i32 3)
  ret i32 0
}

; Function Attrs: argmemonly nofree nounwind willreturn writeonly
declare void @llvm.memset.p0i8.i64(i8* nocapture writeonly, i8, i64, i1 immarg) #2

define i32 @pcn_train_step_t1(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  %1 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %1, align 8
  %2 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %2, align 8
  %3 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %3, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  br i1 icmp ne (double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* @pcn_rt_rows, double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* null), label %rows.par, label %rows.seq

rows.par:                                         ; preds = %entry
  %4 = call double @pcn_rt_rows(double (%PcnJitState*, i64, i64)* @pcn_train_step_t1.rows4, %PcnJitState* %st, i64 %n64, i64 3)
  br label %rows.done

rows.seq:                                         ; preds = %entry
  %5 = call double @pcn_train_step_t1.rows4(%PcnJitState* %st, i64 0, i64 %n64)
  br label %rows.done

rows.done:                                        ; preds = %rows.seq, %rows.par
  %energy = phi double [ %4, %rows.par ], [ %5, %rows.seq ]
  %6 = fmul double 5.000000e-01, %energy
  %7 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %7, align 8
  %8 = getelementptr inbounds double, double* %energies, i64 1
  store double %6, double* %8, align 8
  %9 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y1 = load float*, float** %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %10, align 8
  %11 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %12, align 8
  %13 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %13, align 8
  %14 = call double @pcn_k.predict.a0.c2.b.nomu(float* %a.y1, float* %b.y, float* %h.y, float* null, float* %e.y, float* %g.y, float* null, i64 %n64)
  %15 = fmul double 5.000000e-01, %14
  %16 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies2 = load double*, double** %16, align 8
  %17 = getelementptr inbounds double, double* %energies2, i64 2
  store double %15, double* %17, align 8
  %18 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 3, i32 0
  %alpha = load float, float* %18, align 4
  %alpha.h = fmul float %alpha, 1.000000e+00
  %19 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y3 = load float*, float** %19, align 8
  %20 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y4" = load float*, float** %20, align 8
  %21 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h5 = load float*, float** %21, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 112, i32 %n, i32 3, i32 2, float %alpha.h, float* %g.y3, i32 2, float* %"W.h->y4", i32 2, float 1.000000e+00, float* %h.h5, i32 3)
  ret i32 0
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.predict.a3.c3.hu.nomu(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7, float %8) #1 {
entry:
  %vacc = alloca <8 x double>, align 64
  %acc = alloca double, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %39, %pr.j.end ]
  %9 = icmp slt i64 %pr.r, %7
  br i1 %9, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %38, %pr.j.body ]
  %10 = icmp slt i64 %pr.j, 3
  br i1 %10, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %11 = getelementptr inbounds float, float* %0, i64 %i
  %a = load float, float* %11, align 4
  %ax = call float @llvm.fabs.f32(float %a)
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
  %31 = call float @llvm.copysign.f32(float %30, float %a)
  %32 = fmul float %31, %31
  %d = fsub float 1.000000e+00, %32
  %33 = getelementptr inbounds float, float* %2, i64 %i
  %h = load float, float* %33, align 4
  %e = fsub float %h, %31
  %34 = getelementptr inbounds float, float* %4, i64 %i
  store float %e, float* %34, align 4
  %g = fmul float %d, %e
  %35 = getelementptr inbounds float, float* %5, i64 %i
  store float %g, float* %35, align 4
  %36 = fmul float %8, %e
  %h.new = fsub float %h, %36
  %37 = getelementptr inbounds float, float* %2, i64 %i
  store float %h.new, float* %37, align 4
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
  %e1 = load float, float* %71, align 4
  %72 = fpext float %e1 to double
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

define internal double @pcn_train_step_t1.rows4(%PcnJitState* %0, i64 %1, i64 %2) {
entry:
  %acc = alloca double, align 8
  %3 = getelementptr inbounds %PcnJitState, %PcnJitState* %0, i32 0, i32 0
  %bufs = load float**, float*** %3, align 8
  %off = mul nsw i64 %1, 3
  %4 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float, float* %a.h, i64 %off
  %6 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %6, align 8
  %7 = getelementptr inbounds float, float* %h.h, i64 %off
  %8 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %8, align 8
  %9 = getelementptr inbounds float, float* %e.h, i64 %off
  %10 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %10, align 8
  %11 = getelementptr inbounds float, float* %g.h, i64 %off
  %rows = sub nsw i64 %2, %1
  %12 = getelementptr inbounds %PcnJitState, %PcnJitState* %0, i32 0, i32 3, i32 0
  %alpha = load float, float* %12, align 4
  %13 = call double @pcn_k.predict.a3.c3.hu.nomu(float* %5, float* null, float* %7, float* null, float* %9, float* %11, float* null, i64 %rows, float %alpha)
  ret double %13
}

define i32 @pcn_train_learn_T(%PcnJitState* %st, i32 %n) {
entry:
  %acc = alloca double, align 8
  %n64 = sext i32 %n to i64
  %0 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 0
  %bufs = load float**, float*** %0, align 8
  %1 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %1, align 8
  %2 = getelementptr inbounds float*, float** %bufs, i64 19
  %"W.h->y" = load float*, float** %2, align 8
  %3 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y = load float*, float** %3, align 8
  call void @pcn_rt_sgemm(i32 101, i32 111, i32 111, i32 %n, i32 2, i32 3, float 1.000000e+00, float* %h.h, i32 3, float* %"W.h->y", i32 2, float 0.000000e+00, float* %a.y, i32 2)
  br i1 icmp ne (double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* @pcn_rt_rows, double (double (%PcnJitState*, i64, i64)*, %PcnJitState*, i64, i64)* null), label %rows.par, label %rows.seq

rows.par:                                         ; preds = %entry
  %4 = call double @pcn_rt_rows(double (%PcnJitState*, i64, i64)* @pcn_train_learn_T.rows5, %PcnJitState* %st, i64 %n64, i64 3)
  br label %rows.done

rows.seq:                                         ; preds = %entry
  %5 = call double @pcn_train_learn_T.rows5(%PcnJitState* %st, i64 0, i64 %n64)
  br label %rows.done

rows.done:                                        ; preds = %rows.seq, %rows.par
  %energy = phi double [ %4, %rows.par ], [ %5, %rows.seq ]
  %6 = fmul double 5.000000e-01, %energy
  %7 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies = load double*, double** %7, align 8
  %8 = getelementptr inbounds double, double* %energies, i64 1
  store double %6, double* %8, align 8
  %9 = getelementptr inbounds float*, float** %bufs, i64 10
  %a.y1 = load float*, float** %9, align 8
  %10 = getelementptr inbounds float*, float** %bufs, i64 15
  %b.y = load float*, float** %10, align 8
  %11 = getelementptr inbounds float*, float** %bufs, i64 9
  %h.y = load float*, float** %11, align 8
  %12 = getelementptr inbounds float*, float** %bufs, i64 12
  %e.y = load float*, float** %12, align 8
  %13 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y = load float*, float** %13, align 8
  %14 = call double @pcn_k.predict.a0.c2.b.nomu(float* %a.y1, float* %b.y, float* %h.y, float* null, float* %e.y, float* %g.y, float* null, i64 %n64)
  %15 = fmul double 5.000000e-01, %14
  %16 = getelementptr inbounds %PcnJitState, %PcnJitState* %st, i32 0, i32 1
  %energies2 = load double*, double** %16, align 8
  %17 = getelementptr inbounds double, double* %energies2, i64 2
  store double %15, double* %17, align 8
  %18 = sitofp i32 %n to float
  %alpha = fdiv float -1.000000e+00, %18
  %19 = getelementptr inbounds float*, float** %bufs, i64 0
  %h.x = load float*, float** %19, align 8
  %20 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %20, align 8
  %21 = getelementptr inbounds float*, float** %bufs, i64 18
  %"dW.x->h" = load float*, float** %21, align 8
  call void @pcn_rt_sgemm(i32 101, i32 112, i32 111, i32 2, i32 3, i32 %n, float %alpha, float* %h.x, i32 2, float* %g.h, i32 3, float 0.000000e+00, float* %"dW.x->h", i32 3)
  %22 = sitofp i32 %n to float
  %alpha3 = fdiv float -1.000000e+00, %22
  %23 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h4 = load float*, float** %23, align 8
  %24 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y5 = load float*, float** %24, align 8
  %25 = getelementptr inbounds float*, float** %bufs, i64 20
  %"dW.h->y" = load float*, float** %25, align 8
  call void @pcn_rt_sgemm(i32 101, i32 112, i32 111, i32 3, i32 2, i32 %n, float %alpha3, float* %h.h4, i32 3, float* %g.y5, i32 2, float 0.000000e+00, float* %"dW.h->y", i32 2)
  %26 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h6 = load float*, float** %26, align 8
  %27 = getelementptr inbounds float*, float** %bufs, i64 8
  %db.h = load float*, float** %27, align 8
  call void @pcn_k.bg.c3(float* %g.h6, float* %db.h, i64 %n64)
  %28 = getelementptr inbounds float*, float** %bufs, i64 13
  %g.y7 = load float*, float** %28, align 8
  %29 = getelementptr inbounds float*, float** %bufs, i64 16
  %db.y = load float*, float** %29, align 8
  call void @pcn_k.bg.c2(float* %g.y7, float* %db.y, i64 %n64)
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call, label %rt.none

rt.call:                                          ; preds = %rows.done
  %rc = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 0, i32 %n)
  %30 = icmp eq i32 %rc, 0
  br i1 %30, label %rt.cont, label %rt.fail

rt.none:                                          ; preds = %rows.done
  ret i32 -1

rt.fail:                                          ; preds = %rt.call
  ret i32 %rc

rt.cont:                                          ; preds = %rt.call
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call8, label %rt.none9

rt.call8:                                         ; preds = %rt.cont
  %rc12 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 1, i32 %n)
  %31 = icmp eq i32 %rc12, 0
  br i1 %31, label %rt.cont11, label %rt.fail10

rt.none9:                                         ; preds = %rt.cont
  ret i32 -1

rt.fail10:                                        ; preds = %rt.call8
  ret i32 %rc12

rt.cont11:                                        ; preds = %rt.call8
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call13, label %rt.none14

rt.call13:                                        ; preds = %rt.cont11
  %rc17 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 2, i32 %n)
  %32 = icmp eq i32 %rc17, 0
  br i1 %32, label %rt.cont16, label %rt.fail15

rt.none14:                                        ; preds = %rt.cont11
  ret i32 -1

rt.fail15:                                        ; preds = %rt.call13
  ret i32 %rc17

rt.cont16:                                        ; preds = %rt.call13
  br i1 icmp ne (i32 (%PcnJitState*, i32, i32, i32, i32)* @pcn_rt_jit_op, i32 (%PcnJitState*, i32, i32, i32, i32)* null), label %rt.call18, label %rt.none19

rt.call18:                                        ; preds = %rt.cont16
  %rc22 = call i32 @pcn_rt_jit_op(%PcnJitState* %st, i32 2, i32 3, i32 3, i32 %n)
  %33 = icmp eq i32 %rc22, 0
  br i1 %33, label %rt.cont21, label %rt.fail20

rt.none19:                                        ; preds = %rt.cont16
  ret i32 -1

rt.fail20:                                        ; preds = %rt.call18
  ret i32 %rc22

rt.cont21:                                        ; preds = %rt.call18
  ret i32 0
}

; Function Attrs: noinline nounwind
define internal double @pcn_k.predict.a3.c3.nomu(float* noalias %0, float* noalias %1, float* noalias %2, float* noalias %3, float* noalias %4, float* noalias %5, float* noalias %6, i64 %7) #1 {
entry:
  %vacc = alloca <8 x double>, align 64
  %acc = alloca double, align 8
  store double 0.000000e+00, double* %acc, align 8
  br label %pr.r.head

pr.r.head:                                        ; preds = %pr.j.end, %entry
  %pr.r = phi i64 [ 0, %entry ], [ %36, %pr.j.end ]
  %8 = icmp slt i64 %pr.r, %7
  br i1 %8, label %pr.r.body, label %pr.r.end

pr.r.body:                                        ; preds = %pr.r.head
  %row = mul nsw i64 %pr.r, 3
  br label %pr.j.head

pr.j.head:                                        ; preds = %pr.j.body, %pr.r.body
  %pr.j = phi i64 [ 0, %pr.r.body ], [ %35, %pr.j.body ]
  %9 = icmp slt i64 %pr.j, 3
  br i1 %9, label %pr.j.body, label %pr.j.end

pr.j.body:                                        ; preds = %pr.j.head
  %i = add nsw i64 %row, %pr.j
  %10 = getelementptr inbounds float, float* %0, i64 %i
  %a = load float, float* %10, align 4
  %ax = call float @llvm.fabs.f32(float %a)
  %11 = fmul float -2.000000e+00, %ax
  %under = fcmp olt float %11, -8.700000e+01
  %12 = select i1 %under, float -8.700000e+01, float %11
  %13 = fmul float %12, 0x3FF7154760000000
  %k = call float @llvm.rint.f32(float %13)
  %14 = call float @llvm.fma.f32(float %k, float 0xBFE6300000000000, float %12)
  %15 = call float @llvm.fma.f32(float %k, float 0x3F2BD01060000000, float %14)
  %16 = call float @llvm.fma.f32(float 0x3F2A01A020000000, float %15, float 0x3F56C16C20000000)
  %17 = call float @llvm.fma.f32(float %16, float %15, float 0x3F81111120000000)
  %18 = call float @llvm.fma.f32(float %17, float %15, float 0x3FA5555560000000)
  %19 = call float @llvm.fma.f32(float %18, float %15, float 0x3FC5555560000000)
  %20 = call float @llvm.fma.f32(float %19, float %15, float 5.000000e-01)
  %21 = call float @llvm.fma.f32(float %20, float %15, float 1.000000e+00)
  %q = fmul float %15, %21
  %22 = fptosi float %k to i32
  %23 = add i32 %22, 127
  %24 = shl i32 %23, 23
  %pow2k = bitcast i32 %24 to float
  %25 = fsub float %pow2k, 1.000000e+00
  %26 = call float @llvm.fma.f32(float %pow2k, float %q, float %25)
  %expm1 = select i1 %under, float -1.000000e+00, float %26
  %27 = fneg float %expm1
  %28 = fsub float 2.000000e+00, %27
  %29 = fdiv float %27, %28
  %30 = call float @llvm.copysign.f32(float %29, float %a)
  %31 = fmul float %30, %30
  %d = fsub float 1.000000e+00, %31
  %32 = getelementptr inbounds float, float* %2, i64 %i
  %h = load float, float* %32, align 4
  %e = fsub float %h, %30
  %33 = getelementptr inbounds float, float* %4, i64 %i
  store float %e, float* %33, align 4
  %g = fmul float %d, %e
  %34 = getelementptr inbounds float, float* %5, i64 %i
  store float %g, float* %34, align 4
  %35 = add nsw i64 %pr.j, 1
  br label %pr.j.head

pr.j.end:                                         ; preds = %pr.j.head
  %36 = add nsw i64 %pr.r, 1
  br label %pr.r.head

pr.r.end:                                         ; preds = %pr.r.head
  %37 = mul nsw i64 %7, 3
  store <8 x double> zeroinitializer, <8 x double>* %vacc, align 64
  %38 = sub nsw i64 %37, 0
  %chunks = ashr i64 %38, 3
  br label %ss.v.head

ss.v.head:                                        ; preds = %ss.v.body, %pr.r.end
  %ss.v = phi i64 [ 0, %pr.r.end ], [ %48, %ss.v.body ]
  %39 = icmp slt i64 %ss.v, %chunks
  br i1 %39, label %ss.v.body, label %ss.v.end

ss.v.body:                                        ; preds = %ss.v.head
  %40 = shl i64 %ss.v, 3
  %41 = add nsw i64 0, %40
  %42 = getelementptr inbounds float, float* %4, i64 %41
  %43 = bitcast float* %42 to <8 x float>*
  %x8 = load <8 x float>, <8 x float>* %43, align 4
  %44 = fpext <8 x float> %x8 to <8 x double>
  %45 = load <8 x double>, <8 x double>* %vacc, align 64
  %46 = fmul <8 x double> %44, %44
  %47 = fadd <8 x double> %45, %46
  store <8 x double> %47, <8 x double>* %vacc, align 64
  %48 = add nsw i64 %ss.v, 1
  br label %ss.v.head

ss.v.end:                                         ; preds = %ss.v.head
  %49 = load <8 x double>, <8 x double>* %vacc, align 64
  %50 = extractelement <8 x double> %49, i32 0
  %51 = extractelement <8 x double> %49, i32 1
  %52 = fadd double %50, %51
  %53 = extractelement <8 x double> %49, i32 2
  %54 = fadd double %52, %53
  %55 = extractelement <8 x double> %49, i32 3
  %56 = fadd double %54, %55
  %57 = extractelement <8 x double> %49, i32 4
  %58 = fadd double %56, %57
  %59 = extractelement <8 x double> %49, i32 5
  %60 = fadd double %58, %59
  %61 = extractelement <8 x double> %49, i32 6
  %62 = fadd double %60, %61
  %63 = extractelement <8 x double> %49, i32 7
  %64 = fadd double %62, %63
  store double %64, double* %acc, align 8
  %65 = shl i64 %chunks, 3
  %66 = add nsw i64 0, %65
  br label %ss.t.head

ss.t.head:                                        ; preds = %ss.t.body, %ss.v.end
  %ss.t = phi i64 [ %66, %ss.v.end ], [ %73, %ss.t.body ]
  %67 = icmp slt i64 %ss.t, %37
  br i1 %67, label %ss.t.body, label %ss.t.end

ss.t.body:                                        ; preds = %ss.t.head
  %68 = getelementptr inbounds float, float* %4, i64 %ss.t
  %e1 = load float, float* %68, align 4
  %69 = fpext float %e1 to double
  %70 = load double, double* %acc, align 8
  %71 = fmul double %69, %69
  %72 = fadd double %70, %71
  store double %72, double* %acc, align 8
  %73 = add nsw i64 %ss.t, 1
  br label %ss.t.head

ss.t.end:                                         ; preds = %ss.t.head
  %sumsq = load double, double* %acc, align 8
  ret double %sumsq
}

define internal double @pcn_train_learn_T.rows5(%PcnJitState* %0, i64 %1, i64 %2) {
entry:
  %acc = alloca double, align 8
  %3 = getelementptr inbounds %PcnJitState, %PcnJitState* %0, i32 0, i32 0
  %bufs = load float**, float*** %3, align 8
  %off = mul nsw i64 %1, 3
  %4 = getelementptr inbounds float*, float** %bufs, i64 2
  %a.h = load float*, float** %4, align 8
  %5 = getelementptr inbounds float, float* %a.h, i64 %off
  %6 = getelementptr inbounds float*, float** %bufs, i64 1
  %h.h = load float*, float** %6, align 8
  %7 = getelementptr inbounds float, float* %h.h, i64 %off
  %8 = getelementptr inbounds float*, float** %bufs, i64 4
  %e.h = load float*, float** %8, align 8
  %9 = getelementptr inbounds float, float* %e.h, i64 %off
  %10 = getelementptr inbounds float*, float** %bufs, i64 5
  %g.h = load float*, float** %10, align 8
  %11 = getelementptr inbounds float, float* %g.h, i64 %off
  %rows = sub nsw i64 %2, %1
  %12 = call double @pcn_k.predict.a3.c3.nomu(float* %5, float* null, float* %7, float* null, float* %9, float* %11, float* null, i64 %rows)
  ret double %12
}

attributes #0 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #1 = { noinline nounwind }
attributes #2 = { argmemonly nofree nounwind willreturn writeonly }
