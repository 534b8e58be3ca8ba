package native

import (
	"debug/elf"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Bounds of the class-string scan of the read-only data.
const (
	// MaxScan is the most read-only-data bytes scanned in one library (never more than its size).
	MaxScan = 64 << 20
	// MaxClassStrings is the most class names kept from one library.
	MaxClassStrings = 4096
	// maxClassName is the longest class name kept; longer strings are not names.
	maxClassName = 512
	window       = 64 << 10
)

// platformPackages are the first segments of the Java platform's own classes,
// which every JNI library looks up: they say nothing of the library's owner.
var platformPackages = map[string]bool{
	"java": true, "javax": true, "android": true, "dalvik": true, "libcore": true, "sun": true, "kotlin": true,
}

// readClassStrings scans the read-only data sections (.rodata*) in fixed
// windows for NUL-terminated strings shaped like JVM internal class names
// with at least three segments ("cn/jpush/android/service/PushProtocol").
func (f *File) readClassStrings(ef *elf.File, size int64) error {
	seen := map[string]bool{}
	// Section headers may describe the same bytes many times over: never scan
	// more than the file holds, nor the same range twice.
	budget := min(int64(MaxScan), size)
	type span struct{ off, n uint64 }
	scanned := map[span]bool{}
	for _, s := range ef.Sections {
		if s.Type != elf.SHT_PROGBITS || !strings.HasPrefix(s.Name, ".rodata") || s.Flags&elf.SHF_EXECINSTR != 0 {
			continue
		}
		if sp := (span{s.Offset, s.FileSize}); scanned[sp] {
			continue
		} else {
			scanned[sp] = true
		}
		if err := usable(ef, s, size); err != nil {
			f.Warnings = append(f.Warnings, fmt.Sprintf("section %s not scanned for class strings: %v", s.Name, err))
			continue
		}
		n := int64(s.FileSize)
		if n > budget {
			n = budget
			f.Warnings = append(f.Warnings, "read-only data is larger than the scan limit: class strings past it were not read")
		}
		budget -= n
		if err := scanStrings(io.NewSectionReader(s.ReaderAt, 0, n), func(str []byte) bool {
			if c, ok := className(str); ok && !seen[c] {
				seen[c] = true
				f.ClassStrings = append(f.ClassStrings, c)
			}
			return len(f.ClassStrings) < MaxClassStrings
		}); err != nil {
			return wrapELF(err)
		}
		if budget == 0 {
			break
		}
	}
	if len(f.ClassStrings) >= MaxClassStrings {
		f.Warnings = append(f.Warnings, "too many class strings: those past the limit were not read")
	}
	sort.Strings(f.ClassStrings)
	return nil
}

// scanStrings calls fn with every NUL-terminated run of at most maxClassName
// bytes in r, reading window bytes at a time; fn returns false to stop.
func scanStrings(r io.Reader, fn func([]byte) bool) error {
	buf := make([]byte, window)
	var cur []byte
	long := false // the current run is already too long to be a name
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			if c == 0 {
				if !long && len(cur) > 0 && !fn(cur) {
					return nil
				}
				cur, long = cur[:0], false
				continue
			}
			if len(cur) >= maxClassName {
				long = true
				continue
			}
			cur = append(cur, c)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// className returns the dotted class name of a JVM internal name
// ("cn/jpush/android/service/PushProtocol"), or false when s is not shaped
// like one with at least three segments outside the platform's packages.
func className(s []byte) (string, bool) {
	segs := 1
	start := 0
	for i, c := range s {
		switch {
		case c == '/':
			if i == start {
				return "", false
			}
			segs++
			start = i + 1
		case c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9':
			if i == start {
				return "", false
			}
		default:
			return "", false
		}
	}
	if segs < 3 || start == len(s) {
		return "", false
	}
	name := string(s)
	first, _, _ := strings.Cut(name, "/")
	if platformPackages[first] {
		return "", false
	}
	return strings.ReplaceAll(name, "/", "."), true
}
