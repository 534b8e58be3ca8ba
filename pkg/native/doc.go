// Package native reads Android native libraries: ELF shared objects such as
// lib/arm64-v8a/libjpush220.so. From one library it reads the name it was
// linked as (DT_SONAME), its ABI (from e_machine, the ELF class and, for
// 32-bit ARM, the build attributes), the libraries it needs (DT_NEEDED), the
// Java methods it exports to the JVM (dynamic symbols named Java_…, decoded
// by the JNI name-mangling rules into class, method and, for overloaded
// methods, argument signature), and the Java class names held as strings in
// its read-only data, which is where a library that binds its methods with
// RegisterNatives or looks classes up with FindClass keeps them
// ("cn/jpush/android/service/PushProtocol").
//
// Both name the Java code that loads the library, which is the strongest
// signal a native library gives of the SDK it belongs to. The package is a
// leaf of apkaudit's dependency graph: it knows nothing of archives, SDKs or
// reports.
//
// # Where it sits
//
//	container (lib/<abi>/*.so, jni/<abi>/*.so of an AAR, or a bare .so)
//	   └──► native.NewFile(r, size, lim) ──► File{Soname, ABI, Needed, JNI, ClassStrings}
//	          └──► inventory ──► sdk matcher (JNI classes, library names)
//
// # Hostile input
//
// The library is parsed by Go's debug/elf. That parser trusts the section
// headers: before a section is read, its offset and size are checked against
// the real size of the input and its link against the section count, the
// dynamic symbol count is checked against [MaxSymbols], compressed sections
// are refused, and the read-only data is scanned in fixed-size windows, never
// more of it than the file holds, so no allocation follows from a size the
// file merely claims. A panic inside debug/elf is recovered. An input that is
// no ELF shared library is an error matching [ErrFormat] (or [limits.ErrLimit]
// for one over the size limit); a library with an unreadable part (packers
// corrupt section headers on purpose) is returned with what could be read and
// a warning in [File.Warnings] for each part that could not.
package native
