.class public Lcom/example/exotic/Formats;
.super Ljava/lang/Object;
.source "Formats.java"

# Instructions the code walker must size exactly or read specially: switch
# and array payloads in the middle of a method (the calls after them must
# still be found), wide constants, goto/32, invoke-polymorphic(/range),
# invoke-custom(/range) whose call site holds a method handle to a sensitive
# API, const-method-handle, const-method-type, and reflection with constant
# names: a class named by Class.forName (through a range invoke) or by
# const-class, with a member looked up by name in the same class, counts; a
# name overwritten before the call does not.

.method public static switches(I)I
    .registers 4
    packed-switch p0, :pswitch_data
    goto :after_packed
    :pswitch_0
    const/4 v0, 0x1
    return v0
    :pswitch_1
    const/4 v0, 0x2
    return v0
    :pswitch_data
    .packed-switch 0x0
        :pswitch_0
        :pswitch_1
    .end packed-switch
    :after_packed
    sparse-switch p0, :sswitch_data
    goto :after_sparse
    :sswitch_0
    const/16 v0, 0x64
    return v0
    :sswitch_data
    .sparse-switch
        -0x5 -> :sswitch_0
        0x10 -> :sswitch_0
        0x1000 -> :sswitch_0
    .end sparse-switch
    :after_sparse
    const/4 v0, 0x3
    new-array v0, v0, [B
    fill-array-data v0, :array_bytes
    goto :after_bytes
    :array_bytes
    .array-data 1
        0x1t
        0x2t
        0x3t
    .end array-data
    :after_bytes
    const/4 v1, 0x2
    new-array v1, v1, [J
    fill-array-data v1, :array_longs
    goto :after_longs
    :array_longs
    .array-data 8
        0x1L
        0x2L
    .end array-data
    :after_longs
    invoke-static {}, Landroid/os/Build;->getSerial()Ljava/lang/String;
    const-wide v2, 0x123456789abcdefL
    const v0, 0x12345678
    goto/32 :end
    :end
    const/4 v0, 0x0
    return v0
.end method

.method public static poly(Ljava/lang/invoke/MethodHandle;)V
    .registers 4
    const/4 v0, 0x1
    const/4 v1, 0x2
    invoke-polymorphic {p0, v0, v1}, Ljava/lang/invoke/MethodHandle;->invoke([Ljava/lang/Object;)Ljava/lang/Object;, (II)V
    invoke-polymorphic/range {p0 .. p0}, Ljava/lang/invoke/MethodHandle;->invokeExact([Ljava/lang/Object;)Ljava/lang/Object;, ()V
    return-void
.end method

.method public static lambda(Landroid/telephony/TelephonyManager;)Ljava/util/function/Supplier;
    .registers 2
    invoke-custom {p0}, call_site_0("get", (Landroid/telephony/TelephonyManager;)Ljava/util/function/Supplier;, ()Ljava/lang/Object;, invoke-instance@Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;, ()Ljava/lang/String;)@Ljava/lang/invoke/LambdaMetafactory;->metafactory(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;
    move-result-object v0
    invoke-custom/range {p0 .. p0}, call_site_1("get", (Landroid/telephony/TelephonyManager;)Ljava/util/function/Supplier;, ()Ljava/lang/Object;, invoke-instance@Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;, ()Ljava/lang/String;)@Ljava/lang/invoke/LambdaMetafactory;->metafactory(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;
    move-result-object v0
    return-object v0
.end method

.method public static handles()Ljava/lang/Object;
    .registers 2
    const-method-handle v0, invoke-instance@Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String;
    const-method-handle v1, static-get@Landroid/os/Build;->SERIAL:Ljava/lang/String;
    const-method-type v1, (I)V
    return-object v0
.end method

.method public static reflect(Ljava/lang/Object;)V
    .registers 6
    const-string v3, "android.telephony.TelephonyManager"
    invoke-static/range {v3 .. v3}, Ljava/lang/Class;->forName(Ljava/lang/String;)Ljava/lang/Class;
    move-result-object v0
    const-string v1, "getImei"
    const-string v1, "toString"
    const/4 v2, 0x0
    invoke-virtual {v0, v1, v2}, Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;
    const-string v1, "SERIAL"
    invoke-virtual {v0, v1}, Ljava/lang/Class;->getDeclaredField(Ljava/lang/String;)Ljava/lang/reflect/Field;
    return-void
.end method

.method public static reflectConstClass()Ljava/lang/Object;
    .registers 3
    const-class v0, Landroid/os/Build;
    const-string v1, "SERIAL"
    invoke-virtual {v0, v1}, Ljava/lang/Class;->getField(Ljava/lang/String;)Ljava/lang/reflect/Field;
    move-result-object v0
    return-object v0
.end method
