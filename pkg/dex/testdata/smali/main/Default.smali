# A class in the default (unnamed) package.
.class public LDefault;
.super Ljava/lang/Object;
