.class Lcom/example/app/MainActivity$Inner;
.super Ljava/lang/Object;
.source "MainActivity.java"
