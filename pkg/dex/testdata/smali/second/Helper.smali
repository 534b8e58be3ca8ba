.class public Lcn/jpush/android/api/JPushInterface;
.super Ljava/lang/Object;
.source "JPushInterface.java"

.method public static init()Ljava/lang/String;
    .registers 1
    const-string v0, "UMENG_APPKEY"
    return-object v0
.end method
