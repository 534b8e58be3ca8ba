package dex

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse parses arbitrary bytes and walks every accessor of a File that
// parsed. Seeds: this package's smali-built fixtures, a DEX 041 container
// built from them, and a few small real DEX files from testdata/external
// when it is present. Crashers found are kept in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	main39, err := os.ReadFile(filepath.Join("testdata", "classes039.dex"))
	if err != nil {
		f.Fatal(err)
	}
	second39, err := os.ReadFile(filepath.Join("testdata", "second039.dex"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(main39)
	f.Add(second39)
	f.Add(buildContainer(f, main39, second39))
	if ext := externalCorpus(f); ext != "" {
		for _, name := range []string{"Test.dex", "FillArrays.dex", "StringTests.dex"} {
			if b, err := os.ReadFile(filepath.Join(ext, "androguard", "tests", name)); err == nil {
				f.Add(b)
			}
		}
	}

	wants := []string{"UMENG_APPKEY", "<init>", "", "smile 😀", "nul\x00inside", "Ljava/lang/Object;"}
	f.Fuzz(func(t *testing.T, b []byte) {
		df, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("Parse error %v is not an ErrFormat", err)
			}
			return
		}
		_ = df.Version()
		_ = df.ChecksumOK()
		_ = df.SignatureOK()
		n := df.NumClasses()
		if n > len(b)/classDefSize {
			t.Fatalf("%d classes in %d bytes", n, len(b))
		}
		if df.NumStrings() > len(df.Headers)*(len(b)/stringIDSize) {
			t.Fatalf("%d strings in %d bytes", df.NumStrings(), len(b))
		}

		seen := 0
		errBytes := df.EachClassBytes(func(desc []byte) error {
			seen++
			if _, ok := DescriptorPackageBytes(desc); ok {
				_, _, _ = DescriptorToClass(string(desc))
			}
			return nil
		})
		descs, err := df.ClassDescriptors()
		if (err == nil) != (errBytes == nil) {
			t.Fatalf("EachClassBytes and ClassDescriptors disagree: %v vs %v", errBytes, err)
		}
		if err == nil {
			if len(descs) != n || seen != n {
				t.Fatalf("NumClasses %d, ClassDescriptors %d, EachClassBytes %d", n, len(descs), seen)
			}
		} else if !errors.Is(err, ErrFormat) {
			t.Fatalf("ClassDescriptors error %v is not an ErrFormat", err)
		}

		if _, err := df.FindStrings(wants); err != nil && !errors.Is(err, ErrFormat) {
			t.Fatalf("FindStrings error %v is not an ErrFormat", err)
		}
		if err := df.EachString(func(s []byte) error {
			_ = DecodeMUTF8(s)
			return nil
		}); err != nil && !errors.Is(err, ErrFormat) {
			t.Fatalf("EachString error %v is not an ErrFormat", err)
		}

		// NewFile over the same bytes sees the same headers.
		df2, err := NewFile(bytes.NewReader(b), int64(len(b)))
		if err != nil || len(df2.Headers) != len(df.Headers) {
			t.Fatalf("NewFile disagrees with Parse: %v", err)
		}
	})
}
