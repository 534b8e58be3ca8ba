// Package container is the file and zip access layer every artifact goes
// through: APK, AAB, APKS, APKM, XAPK, JAR and AAR files, nested ones
// included. It sits at the bottom of the pipeline beside the format readers
// and imports only pkg/limits and pkg/inflate (the DEFLATE decoder).
//
// It is the one owner of an artifact's file: Open opens it (refusing what
// is not a regular file), maps it read-only where the system can give pages
// back and reads it with pread elsewhere, and File drops the pages of ranges
// the scan is done with, hashes the bytes and closes it all again.
//
// The reader follows Android's libziparchive rather than archive/zip: it trusts
// the central directory for names, sizes and offsets and reads a local header
// only to skip its name and extra field. Where Android is tolerant (data before
// the first entry, a local header that disagrees with the central directory,
// an unknown compression method, the encrypted flag on a plain entry,
// duplicate names) the reader is tolerant too, and reports each anomaly as a
// warning, because such anomalies are how tampered and packed APKs hide code
// from analysis tools.
//
// Every read is bounded by pkg/limits: an entry delivers at most its declared
// size and at most Limits.EntrySize bytes, all reads of one artifact together
// at most Limits.TotalSize, and nesting stops at Limits.Depth. A bound that is
// hit is reported as a *limits.LimitError, so that callers can record an
// unanalysed-code finding instead of a silent gap.
package container
