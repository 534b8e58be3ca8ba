package classfile

import (
	"archive/zip"
	"errors"
	"io"
	"testing"
)

// FuzzParse parses arbitrary bytes as a class file and reads every field's
// constant. Seeds: the javac-built fixture and the class files of a real SDK
// jar of the dev set when it is present.
func FuzzParse(f *testing.F) {
	f.Add(fixture(f))
	if jars := devJars(f); len(jars) > 0 {
		if zr, err := zip.OpenReader(jars[0]); err == nil {
			for i, e := range zr.File {
				if i >= 16 {
					break
				}
				if rc, err := e.Open(); err == nil {
					if b, err := io.ReadAll(io.LimitReader(rc, 1<<16)); err == nil {
						f.Add(b)
					}
					rc.Close()
				}
			}
			zr.Close()
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cf, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v is not an ErrFormat", err)
			}
			return
		}
		if len(cf.Fields)*8 > len(b) {
			t.Fatalf("%d fields from %d bytes", len(cf.Fields), len(b))
		}
		for _, fd := range cf.Fields {
			cf.StringConstant(fd.Name)
		}
	})
}
