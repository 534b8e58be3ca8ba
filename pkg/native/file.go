package native

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// MaxSymbols is the most dynamic symbols read from one library. Real Android
// libraries export a few thousand at most; the table's entries are also
// checked against the bytes present.
const MaxSymbols = 1 << 18

// ErrFormat is matched (errors.Is) by every *FormatError.
var ErrFormat = errors.New("native: not a valid ELF shared library")

// A FormatError reports malformed input at byte offset Off (-1 when unknown).
type FormatError struct {
	Off int64
	Msg string
}

// Error renders the error as "native: MSG" and, when known, " at offset 0xOFF".
func (e *FormatError) Error() string {
	if e.Off < 0 {
		return "native: " + e.Msg
	}
	return fmt.Sprintf("native: %s at offset %#x", e.Msg, e.Off)
}

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// File is what one native library says about itself.
type File struct {
	// Soname is the DT_SONAME the library was linked as ("libjpush220.so"); empty when it has none.
	Soname string
	// ABI is the Android ABI name ("arm64-v8a", "armeabi-v7a", "armeabi", "x86",
	// "x86_64", "mips", "mips64", "riscv64"); empty for a machine Android does not use.
	ABI string
	// Machine is the ELF e_machine, as debug/elf names it ("EM_AARCH64").
	Machine string
	// Bits is 32 or 64, from the ELF class.
	Bits int
	// Needed lists the DT_NEEDED libraries in file order.
	Needed []string
	// JNI lists the exported Java_* functions, decoded, in symbol-table order.
	JNI []JNIMethod
	// ClassStrings lists the Java class names ("cn.jpush.android.service.PushProtocol")
	// found as strings in the read-only data, outside the platform's own packages
	// (java, javax, android, dalvik, …), sorted and without duplicates.
	ClassStrings []string
	// Warnings say what could not be read (a library without section headers has no symbols to read).
	Warnings []string
}

// Classes returns the Java classes the library names: those of its JNI exports
// and its class strings, sorted and without duplicates.
func (f *File) Classes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, m := range f.JNI {
		add(m.Class)
	}
	for _, c := range f.ClassStrings {
		add(c)
	}
	sort.Strings(out)
	return out
}

// Open reads the named library with lim. It keeps no reference to the file.
func Open(name string, lim limits.Limits) (*File, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	return NewFile(fh, st.Size(), lim)
}

// NewFile reads the ELF shared library held in r, which is size bytes long,
// within lim (lim.EntrySize bounds size). The caller owns r; the File keeps
// no reference to it. An error means the input is no ELF shared library (or
// is over the size limit). A library whose dynamic section, symbol table or
// read-only data cannot be read, as packers make them, is returned with what
// could be read and a warning for each part that could not.
func NewFile(r io.ReaderAt, size int64, lim limits.Limits) (*File, error) {
	lim = lim.WithDefaults()
	if size > lim.EntrySize {
		return nil, &limits.LimitError{What: "native library size", Limit: lim.EntrySize, Value: size}
	}
	if size < 52 { // the smallest ELF header (ELFCLASS32)
		return nil, &FormatError{Off: -1, Msg: fmt.Sprintf("%d bytes is too short for an ELF header", size)}
	}
	var ef *elf.File
	if err := guard(func() (err error) { ef, err = elf.NewFile(io.NewSectionReader(r, 0, size)); return err }); err != nil {
		return nil, err
	}
	if ef.Type != elf.ET_DYN {
		return nil, &FormatError{Off: 16, Msg: fmt.Sprintf("ELF type %v, not a shared library (ET_DYN)", ef.Type)}
	}
	f := &File{Machine: ef.Machine.String(), Bits: bits(ef.Class), ABI: abi(ef)}
	if len(ef.Sections) == 0 {
		f.Warnings = append(f.Warnings, "no section headers: names, JNI exports and class strings were not read")
		return f, nil
	}
	for _, part := range []struct {
		what string
		read func(*elf.File, int64) error
	}{
		{"the dynamic section (soname, needed libraries)", f.readDynamic},
		{"the dynamic symbols (JNI exports)", f.readSymbols},
		{"the read-only data (class strings)", f.readClassStrings},
	} {
		if err := part.read(ef, size); err != nil {
			f.Warnings = append(f.Warnings, fmt.Sprintf("%s not read: %v", part.what, err))
		}
	}
	return f, nil
}

// usable refuses a section that says it holds bytes the file does not have,
// a compressed section (debug/elf would inflate it to whatever size its header
// claims), and one whose sh_link names no section. Sections nobody reads are
// never checked: packers leave garbage in them on purpose.
func usable(ef *elf.File, s *elf.Section, size int64) error {
	if s == nil || s.Type == elf.SHT_NOBITS || s.Type == elf.SHT_NULL {
		return nil
	}
	if s.Offset > uint64(size) || s.FileSize > uint64(size)-s.Offset {
		return &FormatError{Off: int64(s.Offset), Msg: fmt.Sprintf("section %q of %d bytes runs past the end of the file", s.Name, s.FileSize)}
	}
	if s.Flags&elf.SHF_COMPRESSED != 0 {
		return &FormatError{Off: int64(s.Offset), Msg: fmt.Sprintf("section %q is compressed", s.Name)}
	}
	if int(s.Link) >= len(ef.Sections) {
		return &FormatError{Off: int64(s.Offset), Msg: fmt.Sprintf("section %q links to section %d of %d", s.Name, s.Link, len(ef.Sections))}
	}
	return nil
}

// usableWithLink checks s and the section its sh_link names (its string table).
func usableWithLink(ef *elf.File, s *elf.Section, size int64) error {
	if err := usable(ef, s, size); err != nil {
		return err
	}
	return usable(ef, ef.Sections[s.Link], size)
}

func (f *File) readDynamic(ef *elf.File, size int64) error {
	ds := ef.SectionByType(elf.SHT_DYNAMIC)
	if ds == nil {
		return nil
	}
	if err := usableWithLink(ef, ds, size); err != nil {
		return err
	}
	var needed, soname []string
	if err := guard(func() (err error) { needed, err = ef.DynString(elf.DT_NEEDED); return err }); err != nil {
		return err
	}
	if err := guard(func() (err error) { soname, err = ef.DynString(elf.DT_SONAME); return err }); err != nil {
		return err
	}
	f.Needed = needed
	if len(soname) > 0 {
		f.Soname = soname[0]
	}
	return nil
}

func (f *File) readSymbols(ef *elf.File, size int64) error {
	ss := ef.SectionByType(elf.SHT_DYNSYM)
	if ss == nil {
		return nil
	}
	entSize := uint64(elf.Sym32Size)
	if ef.Class == elf.ELFCLASS64 {
		entSize = elf.Sym64Size
	}
	if n := ss.FileSize / entSize; n > MaxSymbols {
		return &limits.LimitError{What: "native library dynamic symbols", Limit: MaxSymbols, Value: int64(n)}
	}
	if err := usableWithLink(ef, ss, size); err != nil {
		return err
	}
	// DynamicSymbols also reads the GNU symbol-version sections.
	for _, t := range []elf.SectionType{elf.SHT_GNU_VERSYM, elf.SHT_GNU_VERNEED, elf.SHT_GNU_VERDEF} {
		if s := ef.SectionByType(t); s != nil {
			if err := usableWithLink(ef, s, size); err != nil {
				return err
			}
		}
	}
	var syms []elf.Symbol
	err := guard(func() (err error) { syms, err = ef.DynamicSymbols(); return err })
	if errors.Is(err, elf.ErrNoSymbols) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, s := range syms {
		if s.Section == elf.SHN_UNDEF || elf.ST_TYPE(s.Info) != elf.STT_FUNC || !strings.HasPrefix(s.Name, "Java_") {
			continue
		}
		if m, ok := DecodeJNI(s.Name); ok {
			f.JNI = append(f.JNI, m)
		}
	}
	return nil
}

func bits(c elf.Class) int {
	if c == elf.ELFCLASS64 {
		return 64
	}
	return 32
}

// guard runs one call into debug/elf, which is a third-party parser as far as
// this package is concerned: its error becomes a *FormatError, and a panic
// inside it is malformed input, not a crash of apkaudit.
func guard(call func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &FormatError{Off: -1, Msg: fmt.Sprintf("ELF parser failed: %v", p)}
		}
	}()
	if err := call(); err != nil {
		if errors.Is(err, elf.ErrNoSymbols) {
			return err
		}
		return wrapELF(err)
	}
	return nil
}

// wrapELF turns a debug/elf error into a *FormatError.
func wrapELF(err error) error {
	var fe *elf.FormatError
	if errors.As(err, &fe) {
		return &FormatError{Off: -1, Msg: strings.TrimPrefix(fe.Error(), "elf: ")}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &FormatError{Off: -1, Msg: "truncated: " + err.Error()}
	}
	return &FormatError{Off: -1, Msg: err.Error()}
}
