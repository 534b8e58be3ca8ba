.class public Lcom/example/exotic/Values;
.super Ljava/lang/Object;
.source "Values.java"

# Static initial values of every encoded_value kind a static field can hold
# (smali writes them into the class definition's static_values array in
# field order, dropping the trailing fields without one).

.field public static final A_BYTE:B = -0x2t
.field public static final A_CHAR:C = '\u4e2d'
.field public static final A_DOUBLE:D = 2.5
.field public static final A_FALSE:Z = false
.field public static final A_FLOAT:F = 1.5f
.field public static final A_INT:I = -0x5
.field public static final A_LONG:J = 0x123456789abcL
.field public static final A_NULL:Ljava/lang/String; = null
.field public static final A_SHORT:S = 0x1234s
.field public static final A_STRING:Ljava/lang/String; = "v1.2.3 \"中文\" 😀"
.field public static final A_TRUE:Z = true
.field public static final A_TYPE:Ljava/lang/Class; = Ljava/lang/String;
.field public static final BIG_INT:I = 0x7fffffff
.field public static final MIN_LONG:J = -0x8000000000000000L
.field public static final ZERO_INT:I = 0x0
.field public static ZZ_NO_VALUE:I
