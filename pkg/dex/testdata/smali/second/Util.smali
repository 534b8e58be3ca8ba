.class public Lcn/jiguang/api/JCoreInterface;
.super Ljava/lang/Object;
