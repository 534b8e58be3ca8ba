/* A JNI library built by the system C compiler for pkg/native's tests.
   Its exports cover the JNI name-mangling rules (JNI specification,
   "Resolving Native Method Names"); its string table holds the class names a
   library hands to FindClass and RegisterNatives. Build:
     cc -shared -fPIC -O0 -Wl,-soname,libapkaudit-jni.so -o libapkaudit-jni.so jni.c -lm */
#include <math.h>

typedef void JNIEnv;
typedef void *jobject;

/* cn.example.sdk.Push.init() */
int Java_cn_example_sdk_Push_init(JNIEnv *env, jobject self) { return 1; }
/* com.example.my_sdk.Util.get_id(): '_' is "_1" */
int Java_com_example_my_1sdk_Util_get_1id(JNIEnv *env, jobject self) { return 2; }
/* overloaded com.example.Codec.decode(String, int): "__" then the mangled argument descriptor */
int Java_com_example_Codec_decode__Ljava_lang_String_2I(JNIEnv *env, jobject self, jobject s, int i) { return 3; }
/* com.example.Codec.decode(byte[][]) */
int Java_com_example_Codec_decode___3_3B(JNIEnv *env, jobject self, jobject b) { return 4; }
/* nested class com.example.Outer$Inner.run(): '$' is "_00024" */
int Java_com_example_Outer_00024Inner_run(JNIEnv *env, jobject self) { return 5; }
/* com.example.Caf\u00e9.ping(): any other character is "_0xxxx" */
int Java_com_example_Caf_000e9_ping(JNIEnv *env, jobject self) { return 6; }
/* not JNI: "_4" is no escape, and a C helper that only starts with Java_ */
int Java_com_example_Bad_4x(void) { return 7; }
int Java_helper(void) { return 8; }

/* What RegisterNatives and FindClass receive. */
const char *const registered[] = {
    "cn/example/sdk/service/PushProtocol",
    "com/example/Outer$Inner",
    "java/lang/String",            /* platform class: not kept */
    "android/content/Context",     /* platform class: not kept */
    "not a class name",
    "two/segments",                /* too short to be kept */
};

double apkaudit_jni_fixture_needs_libm(double x) { return sqrt(x); }
