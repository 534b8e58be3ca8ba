# Non-ASCII class names: two-byte (Ü) and three-byte (例) characters. smali
# rejects supplementary characters in names; the emoji string in MainActivity covers them.
.class public Lcom/例子/Über;
.super Ljava/lang/Object;
