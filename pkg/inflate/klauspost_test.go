package inflate

import (
	"bytes"
	"io"
	"testing"

	kflate "github.com/klauspost/compress/flate"
)

// klauspostInflate inflates src into dst the way container read entries
// before this package: klauspost/compress's reader over the bytes.
func klauspostInflate(b *testing.B, src, dst []byte) {
	r := kflate.NewReader(bytes.NewReader(src))
	if _, err := io.ReadFull(r, dst); err != nil {
		b.Fatal(err)
	}
	r.Close()
}
