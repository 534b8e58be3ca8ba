// Package dex reads Dalvik Executable (DEX) files: the header, the string,
// type and class-definition tables, and from them the descriptors of the
// classes a DEX defines ("Lcom/umeng/analytics/MobclickAgent;"). It is a
// leaf of apkaudit's dependency graph: it knows nothing of APKs, SDKs,
// policies or reports.
//
// # Where it sits
//
//	container (zip entry classes*.dex, inflated into a reused buffer)
//	   └──► dex.Parse(buf) ──► EachClassBytes / FindStrings / ScanCode / StaticValue
//	          └──► inventory (package aggregation, code reads) ──► sdk matcher
//
// pkg/inventory inflates each classes*.dex entry and hands the bytes to
// [Parse], which keeps no copy: it only validates the header and the table
// bounds, so parsing costs a few hundred nanoseconds whatever the size of the
// DEX. The per-class work happens in [File.EachClassBytes], which follows
// class_defs → type_ids → string_ids → string_data for each class and
// decodes only those strings. [File.FindStrings] answers "does this DEX hold
// these string constants" by binary search over the sorted string table.
//
// # Code and static values
//
// [File.ScanCode] walks the instructions of every method once and reports,
// per calling class, the call sites of a [Query]'s targets: methods (every
// invoke form, invoke-custom and const-method-handle through their method
// handles), fields read by iget/sget, string constants loaded by
// const-string, and member names looked up by reflection on a class the
// code names. Targets are plain descriptors; the table of sensitive APIs
// lives in pkg/piapi and pkg/inventory joins the two. [File.StaticValue]
// reads a static field's initial value from its class definition's
// static_values (a BuildConfig.VERSION_NAME, an SDK_VERSION constant).
//
// # Versions
//
// DEX 035 to 040 hold one DEX per file. DEX 041 (Android 15) may hold several
// DEX files in one "container": each header is followed by the next one
// file_size bytes further on, container_size is the size of the whole image
// and header_offset where each header starts, and the section offsets of
// every DEX are relative to the start of the container, so DEX files in a
// container can share data. A [File] reads every DEX of a container; its
// Headers field has one entry per DEX and the class accessors walk them in
// order.
//
// # Hostile input
//
// Every table the header declares is checked against the real image size
// before it is used, every index read from a table is checked against the
// table it points into, and nothing is allocated from a count the header
// claims except where that count has already been checked against the bytes
// present. Malformed input yields a *[FormatError] (errors.Is(err,
// [ErrFormat]) is true), never a panic. A wrong Adler-32 checksum or SHA-1
// signature is not an error: [File.ChecksumOK] and [File.SignatureOK] report
// it so the caller can warn and go on.
package dex
