// The class pkg/classfile's tests compile with javac: one field of each
// constant kind, fields that have no ConstantValue, and strings that need
// Modified UTF-8.
package com.example.sdk;

public final class Version {
    public static final String VERSION_NAME = "5.5.3";
    public static final String SDK_VERSION = "android 5.5.3";
    static final String UNICODE = "版本 \u00e9 \ud83d\ude00";
    static final String NUL = "a\u0000b";
    public static final int VERSION_CODE = 553;
    public static final long BUILD = 20200727142846L;
    public static final double RATIO = 1.5;
    public static final float HALF = 0.5f;
    public static String notFinal = "not a constant";
    public final String instance = "not static";
    public static final String COMPUTED = String.valueOf(42);
}
