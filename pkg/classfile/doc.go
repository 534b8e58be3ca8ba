// Package classfile reads what apkaudit needs from a Java class file (a
// .class entry of a JAR or of an AAR's classes.jar): the class's name and the
// constant values of its fields, which is where an SDK built as a JAR keeps
// its version ("cn.jiguang.android.BuildConfig.VERSION_NAME" = "2.3.4",
// "com.adjust.sdk.Constants.CLIENT_SDK" = "android4.28.5"). A field's constant
// is its ConstantValue attribute (JVM specification §4.7.2), which javac
// writes for every static final field initialised with a compile-time
// constant. The package is a leaf of apkaudit's dependency graph; it shares
// only the Modified UTF-8 decoder of pkg/dex, the encoding both formats use.
//
// # Where it sits
//
//	container (a .class entry, read whole within the entry size limit)
//	   └──► classfile.Parse(b) ──► File{Name, Fields} ──► File.StringConstant(field)
//	          └──► inventory (sdks[].version from sdkdb's version: class + field)
//
// # Hostile input
//
// Every count (constant pool, interfaces, fields, attributes) is checked
// against the bytes that remain before anything is allocated from it, every
// constant-pool index against the pool and its tag, and every attribute
// length against the class file's size. Malformed input is a *[FormatError]
// (errors.Is(err, [ErrFormat])), never a panic.
package classfile
