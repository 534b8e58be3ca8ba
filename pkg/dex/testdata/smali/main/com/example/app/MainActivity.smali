.class public Lcom/example/app/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method public static greeting()Ljava/lang/String;
    .registers 1
    # A NUL inside a string constant: stored as 0xC0 0x80 in MUTF-8.
    const-string v0, "nul\u0000inside"
    return-object v0
.end method

.method public static emoji()Ljava/lang/String;
    .registers 1
    # A supplementary character: stored as a surrogate pair in MUTF-8.
    const-string v0, "smile \ud83d\ude00"
    return-object v0
.end method
