package classfile

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFixture(t *testing.T) {
	f, err := Parse(fixture(t))
	require.NoError(t, err)
	assert.Equal(t, "com.example.sdk.Version", f.Name)
	assert.GreaterOrEqual(t, f.Major, uint16(52))
	for _, tt := range []struct {
		field string
		want  string
		ok    bool
	}{
		{"VERSION_NAME", "5.5.3", true},
		{"SDK_VERSION", "android 5.5.3", true},
		{"UNICODE", "版本 é 😀", true},
		{"NUL", "a\x00b", true},
		{"notFinal", "", false},
		{"instance", "", false}, // final but not static
		{"COMPUTED", "", false}, // initialised at run time: no ConstantValue
		{"VERSION_CODE", "", false},
		{"missing", "", false},
	} {
		got, ok := f.StringConstant(tt.field)
		assert.Equal(t, tt.ok, ok, tt.field)
		assert.Equal(t, tt.want, got, tt.field)
	}
	consts := map[string]any{}
	for _, fd := range f.Fields {
		consts[fd.Name] = fd.Constant
	}
	assert.Equal(t, int32(553), consts["VERSION_CODE"])
	assert.Equal(t, int64(20200727142846), consts["BUILD"])
	assert.Equal(t, 1.5, consts["RATIO"])
	assert.Equal(t, float32(0.5), consts["HALF"])
	assert.Nil(t, consts["notFinal"])
}

// javapClass and javapString read `javap -constants -p` output: the class
// headers and the static final String fields with their values.
var (
	javapClass  = regexp.MustCompile(`^(?:[a-z]+ )*(?:class|interface|enum) ([^ <]+)`)
	javapString = regexp.MustCompile(`^\s+(?:[a-z]+ )*static final java\.lang\.String ([A-Za-z0-9_$]+) = "([ -!#-\[\]-~]*)";$`)
)

// TestOracleJavap compares the String constants of every class of some real
// SDK jars with javap's (constants that javap prints with escapes are left out).
func TestOracleJavap(t *testing.T) {
	if _, err := exec.LookPath("javap"); err != nil {
		t.Fatal("javap (the JDK in the machine image) is this test's oracle")
	}
	jars := devJars(t)
	if len(jars) == 0 {
		t.Skip("testdata/external/sdk-binaries is absent (make corpus): no real class files to compare")
	}
	compared := 0
	for _, jar := range jars {
		zr, err := zip.OpenReader(jar)
		require.NoError(t, err)
		ours := map[string]map[string]string{}
		var names []string
		for _, e := range zr.File {
			if !strings.HasSuffix(e.Name, ".class") {
				continue
			}
			rc, err := e.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			rc.Close()
			require.NoError(t, err)
			f, err := Parse(b)
			require.NoError(t, err, "%s!%s", jar, e.Name)
			m := map[string]string{}
			for _, fd := range f.Fields {
				if s, ok := f.StringConstant(fd.Name); ok && regexp.MustCompile(`^[ -!#-\[\]-~]*$`).MatchString(s) {
					m[fd.Name] = s
				}
			}
			ours[f.Name] = m
			names = append(names, f.Name)
		}
		zr.Close()
		out, err := exec.Command("javap", append([]string{"-constants", "-p", "-cp", jar}, names...)...).Output()
		require.NoError(t, err, jar)
		theirs := map[string]map[string]string{}
		cls := ""
		for _, line := range strings.Split(string(out), "\n") {
			if m := javapClass.FindStringSubmatch(line); m != nil {
				cls = m[1]
				theirs[cls] = map[string]string{}
			} else if m := javapString.FindStringSubmatch(line); m != nil && cls != "" {
				theirs[cls][m[1]] = m[2]
			}
		}
		for _, n := range names {
			assert.Equal(t, theirs[n], ours[n], "%s!%s", jar, n)
			compared++
		}
	}
	t.Logf("String constants of %d real classes equal javap's", compared)
	assert.Greater(t, compared, 500)
}

func TestHostile(t *testing.T) {
	good := fixture(t)
	set2 := func(off int, v uint16) []byte {
		b := bytes.Clone(good)
		binary.BigEndian.PutUint16(b[off:], v)
		return b
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"bad magic", append([]byte{0xCA, 0xFE, 0xBA, 0xBF}, good[4:]...)},
		{"pool count zero", set2(8, 0)},
		{"pool count past the bytes", set2(8, 0xFFFF)},
		{"unknown tag", func() []byte { b := bytes.Clone(good); b[10] = 2; return b }()},
		{"utf8 length past the end", set2(bytes.Index(good, []byte("VERSION_NAME"))-2, 0xFFFF)},
		{"utf8 length into the next entry", set2(bytes.Index(good, []byte("VERSION_NAME"))-2, 3)},
		{"padded", append(bytes.Clone(good), 0)},
	}
	for n := 1; n < len(good); n += len(good) / 23 {
		tests = append(tests, struct {
			name string
			in   []byte
		}{"truncated", good[:n]})
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if assert.Error(t, err, tt.name) {
			assert.True(t, errors.Is(err, ErrFormat), "%s: %v", tt.name, err)
			assert.True(t, strings.HasPrefix(err.Error(), "classfile: "), err.Error())
		}
	}
}
