package container

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// Kind is the kind of an artifact, told from its content.
type Kind string

// The artifact kinds Sniff tells apart.
const (
	KindAPK          Kind = "apk"           // an Android package
	KindAPKS         Kind = "apks"          // a bundletool split APK set
	KindAPKM         Kind = "apkm"          // an APKMirror bundle
	KindXAPK         Kind = "xapk"          // an XAPK bundle (manifest.json + APKs)
	KindAAB          Kind = "aab"           // an Android App Bundle
	KindJAR          Kind = "jar"           // a Java archive (classes or DEX, no Android manifest)
	KindAAR          Kind = "aar"           // an Android library
	KindDEX          Kind = "dex"           // a bare DEX file
	KindManifestAXML Kind = "manifest-axml" // a binary AndroidManifest.xml
	KindManifestXML  Kind = "manifest-xml"  // a text AndroidManifest.xml
	KindELF          Kind = "so"            // an ELF shared object: a bare native library (lib*.so)
	KindZip          Kind = "zip"           // some other zip archive
	KindUnknown      Kind = "unknown"       // none of the above
)

// IsArchive reports whether artifacts of kind k are zip archives.
func (k Kind) IsArchive() bool {
	switch k {
	case KindAPK, KindAPKS, KindAPKM, KindXAPK, KindAAB, KindJAR, KindAAR, KindZip:
		return true
	}
	return false
}

// IsBundle reports whether artifacts of kind k hold other APKs.
func (k Kind) IsBundle() bool {
	return k == KindAPKS || k == KindAPKM || k == KindXAPK
}

const sniffLen = 4096

// Sniff tells the kind of the artifact held in r, which is size bytes long,
// from its content, never from a file name. A zip archive is classified by
// its layout. The error is non-nil only when r cannot be read, or when the
// content starts like a zip archive whose central directory is unreadable;
// the kind is then KindZip.
func Sniff(r io.ReaderAt, size int64) (Kind, error) {
	k, _, err := Identify(r, size, limits.Limits{})
	return k, err
}

// Identify is Sniff for callers that go on to read the artifact: when the
// content is a zip archive it also returns the Archive it opened under lim,
// so the central directory is read once. The Archive is nil for other kinds.
func Identify(r io.ReaderAt, size int64, lim limits.Limits) (Kind, *Archive, error) {
	if size <= 0 {
		return KindUnknown, nil, nil
	}
	head := make([]byte, min(size, sniffLen))
	if n, err := r.ReadAt(head, 0); err != nil && !(errors.Is(err, io.EOF) && n == len(head)) {
		return KindUnknown, nil, err
	}
	if a, err := OpenArchive(r, size, lim); err == nil {
		return ArchiveKind(a), a, nil
	} else if bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		return KindZip, nil, err
	}
	return sniffHead(head), nil, nil
}

// sniffHead tells the non-archive kinds from the first bytes.
func sniffHead(head []byte) Kind {
	switch {
	case isDEX(head):
		return KindDEX
	case isSharedObject(head):
		return KindELF
	case len(head) >= 8 && bytes.Equal(head[:4], []byte{0x03, 0x00, 0x08, 0x00}):
		return KindManifestAXML
	case len(head) >= 12 && bytes.Equal(head[2:4], []byte{0x08, 0x00}) && bytes.Equal(head[8:12], []byte{0x01, 0x00, 0x1c, 0x00}):
		// Binary XML whose first chunk type was tampered with (a packer trick Android ignores):
		// an 8-byte header followed by a string pool chunk.
		return KindManifestAXML
	case isManifestText(head):
		return KindManifestXML
	}
	return KindUnknown
}

func isDEX(b []byte) bool {
	// "dex\n" then three digits and a NUL: "dex\n035\x00".
	return len(b) >= 8 && bytes.HasPrefix(b, []byte("dex\n")) &&
		isDigit(b[4]) && isDigit(b[5]) && isDigit(b[6]) && b[7] == 0
}

// isSharedObject reports whether b starts an ELF shared object (e_type
// ET_DYN, in the byte order EI_DATA says): a native library. Object files and
// static executables are no artifact.
func isSharedObject(b []byte) bool {
	if len(b) < 18 || !bytes.HasPrefix(b, []byte("\x7fELF")) {
		return false
	}
	switch b[5] {
	case 1:
		return b[16] == 3 && b[17] == 0
	case 2:
		return b[16] == 0 && b[17] == 3
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isManifestText reports whether b starts a text XML document whose root
// element is <manifest>.
func isManifestText(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(b) == sniffLen {
		// Drop a rune the read may have cut.
		for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	s := string(b)
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		switch {
		case strings.HasPrefix(s, "<?"):
			i := strings.Index(s, "?>")
			if i < 0 {
				return false
			}
			s = s[i+2:]
		case strings.HasPrefix(s, "<!--"):
			i := strings.Index(s, "-->")
			if i < 0 {
				return false
			}
			s = s[i+3:]
		case strings.HasPrefix(s, "<!"):
			i := strings.IndexByte(s, '>')
			if i < 0 {
				return false
			}
			s = s[i+1:]
		default:
			if !strings.HasPrefix(s, "<manifest") || len(s) == len("<manifest") {
				return false
			}
			c := s[len("<manifest")]
			return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/'
		}
	}
}

// ArchiveKind classifies an opened zip archive by its layout.
func ArchiveKind(a *Archive) Kind {
	has := func(name string) bool { return a.Lookup(name) != nil }
	var apks, rootAPKs, classes, dex int
	for _, e := range a.entries {
		n := e.Name
		switch {
		case strings.HasSuffix(n, ".apk"):
			apks++
			if !strings.Contains(n, "/") {
				rootAPKs++
			}
		case strings.HasSuffix(n, ".class"):
			classes++
		case strings.HasSuffix(n, ".dex"):
			dex++
		}
	}
	files := 0
	for _, e := range a.entries {
		if !e.IsDir() {
			files++
		}
	}
	switch {
	case has("AndroidManifest.xml") && has("classes.jar"):
		return KindAAR
	case has("AndroidManifest.xml"):
		return KindAPK
	case has("base/manifest/AndroidManifest.xml") && (has("BundleConfig.pb") || has("base/dex/classes.dex") || has("base/resources.pb")):
		return KindAAB
	case rootAPKs > 0 && has("manifest.json") && xapkManifestHasPackage(a):
		return KindXAPK
	case rootAPKs > 0 && has("info.json"):
		return KindAPKM
	case apks > 0 && (has("toc.pb") || apks == files):
		return KindAPKS
	case classes > 0 || dex > 0 || has("META-INF/MANIFEST.MF"):
		return KindJAR
	}
	return KindZip
}
