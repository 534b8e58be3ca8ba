# A stand-in for the Umeng analytics entry point: the class name and the
# string constants are what apkaudit's SDK matcher looks for.
.class public Lcom/umeng/analytics/MobclickAgent;
.super Ljava/lang/Object;
.source "MobclickAgent.java"

.method public static onEvent(Ljava/lang/String;)Ljava/lang/String;
    .registers 2
    const-string v0, "UMENG_APPKEY"
    return-object v0
.end method
