package dex

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStaticValue reads the static initial values of the fixture classes
// and checks them against the literals of their smali sources
// (testdata/smali/code/com/example/exotic/Values.smali and
// testdata/fixtures/smali/codereads-sdks/.../SdkVersion.smali).
func TestStaticValue(t *testing.T) {
	f, err := Parse(fixture(t, "code039.dex"))
	require.NoError(t, err)
	const values = "Lcom/example/exotic/Values;"
	const sdk = "Lcom/umeng/commonsdk/statistics/SdkVersion;"
	tests := []struct {
		class, field string
		want         Value
		ok           bool
	}{
		{values, "A_BYTE", Value{Kind: ValueByte, Int: -2}, true},
		{values, "A_CHAR", Value{Kind: ValueChar, Int: 0x4e2d}, true},
		{values, "A_DOUBLE", Value{Kind: ValueDouble, Int: int64(math.Float64bits(2.5))}, true},
		{values, "A_FALSE", Value{Kind: ValueBoolean, Int: 0}, true},
		{values, "A_FLOAT", Value{Kind: ValueFloat, Int: int64(math.Float32bits(1.5))}, true},
		{values, "A_INT", Value{Kind: ValueInt, Int: -5}, true},
		{values, "A_LONG", Value{Kind: ValueLong, Int: 0x123456789abc}, true},
		{values, "A_NULL", Value{Kind: ValueNull}, true},
		{values, "A_SHORT", Value{Kind: ValueShort, Int: 0x1234}, true},
		{values, "A_STRING", Value{Kind: ValueString, Str: "v1.2.3 \"中文\" 😀"}, true},
		{values, "A_TRUE", Value{Kind: ValueBoolean, Int: 1}, true},
		{values, "A_TYPE", Value{Kind: ValueType, Str: "Ljava/lang/String;"}, true},
		{values, "BIG_INT", Value{Kind: ValueInt, Int: math.MaxInt32}, true},
		{values, "MIN_LONG", Value{Kind: ValueLong, Int: math.MinInt64}, true},
		// smali drops the trailing fields whose value is the zero value.
		{values, "ZERO_INT", Value{}, false},
		{values, "ZZ_NO_VALUE", Value{}, false},
		{sdk, "SDK_VERSION", Value{Kind: ValueString, Str: "9.6.8"}, true},
		{sdk, "SDK_TYPE", Value{Kind: ValueInt, Int: 0}, true},
		{sdk, "MINI_VERSION", Value{Kind: ValueInt, Int: 42}, true},
		{sdk, "UNSET", Value{}, false},
		{sdk, "NO_SUCH_FIELD", Value{}, false},
		{sdk, "getImei", Value{}, false}, // a string of the DEX, but no field of this class
		{"Lno/such/Class;", "SDK_VERSION", Value{}, false},
		{"Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", "SDK_VERSION", Value{}, false}, // a class with no static fields
	}
	for _, tc := range tests {
		t.Run(tc.class+"."+tc.field, func(t *testing.T) {
			v, ok, err := f.StaticValue(tc.class, tc.field)
			require.NoError(t, err)
			assert.Equal(t, tc.ok, ok)
			if v.Kind == ValueString || v.Kind == ValueType {
				assert.Less(t, v.Int, int64(f.NumStrings()), "Int holds the string or type index")
				v.Int = 0
			}
			assert.Equal(t, tc.want, v)
		})
	}
	v, _, _ := f.StaticValue(values, "A_FLOAT")
	assert.Equal(t, 1.5, v.Float())
	v, _, _ = f.StaticValue(values, "A_DOUBLE")
	assert.Equal(t, 2.5, v.Float())
	assert.Equal(t, "string", ValueString.String())
	assert.Equal(t, "method-handle", ValueMethodHandle.String())
	assert.Equal(t, "ValueKind(0x5)", ValueKind(5).String())
}

// TestStaticValueContainer: in a DEX 041 container the class is found in
// whichever DEX defines it.
func TestStaticValueContainer(t *testing.T) {
	c := buildContainer(t, fixture(t, "classes039.dex"), fixture(t, "code039.dex"))
	f, err := Parse(c)
	require.NoError(t, err)
	require.Len(t, f.Headers, 2)
	v, ok, err := f.StaticValue("Lcom/umeng/commonsdk/statistics/SdkVersion;", "SDK_VERSION")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "9.6.8", v.Str)
}

// TestDecodeValueMalformed feeds the encoded-value decoder the malformed
// values a hostile static_values or call-site array may hold.
func TestDecodeValueMalformed(t *testing.T) {
	nested := func(depth int) []byte {
		var b []byte
		for range depth {
			b = append(b, byte(ValueArray), 1)
		}
		return append(b, byte(ValueNull))
	}
	tests := []struct {
		name string
		b    []byte
		want string // "" = decodes
	}{
		{"empty", nil, "runs past its section"},
		{"int with its payload cut", []byte{0x64, 0x01}, "encoded int runs past its section"}, // int, 4 bytes, 1 present
		{"byte with a size", []byte{0x20, 1, 2}, "bad encoded value size for byte"},
		{"null with a size", []byte{0x3e}, "bad encoded value size for null"},
		{"unknown type", []byte{0x05}, "bad encoded value type"},
		{"array longer than its bytes", []byte{0x1c, 0x7f, 0x1e}, "encoded array size runs past its section"},
		{"annotation cut", []byte{0x1d, 0x80}, "truncated encoded annotation"},
		{"nested too deeply", nested(maxValueDepth + 1), "nested too deeply"},
		{"nested within the limit", nested(maxValueDepth), ""},
		{"long of 8 bytes", []byte{0xe6, 1, 2, 3, 4, 5, 6, 7, 0x80}, ""},
		{"float of 1 byte", []byte{0x10, 0x3f}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, next, err := decodeValue(tc.b, 0, len(tc.b), 0)
			if tc.want == "" {
				require.NoError(t, err)
				assert.Equal(t, len(tc.b), next)
				return
			}
			require.ErrorIs(t, err, ErrFormat)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	v, _, err := decodeValue([]byte{0xe6, 1, 2, 3, 4, 5, 6, 7, 0x80}, 0, 9, 0)
	require.NoError(t, err)
	assert.Equal(t, uint64(0x8007060504030201), v.bits, "a long is little-endian, sign bit included")
	v, _, err = decodeValue([]byte{0x10, 0x3f}, 0, 2, 0)
	require.NoError(t, err)
	assert.Equal(t, uint64(0x3f000000), v.bits, "a short float is zero-extended to the right")
}

// TestStaticValuesHostile: a static_values_off past the end of the file is
// an error, not a read out of bounds.
func TestStaticValuesHostile(t *testing.T) {
	b := slices.Clone(fixture(t, "code039.dex"))
	f, err := Parse(b)
	require.NoError(t, err)
	d := &f.dexes[0]
	for i := range d.classN {
		p := d.classOff + classDefSize*i
		if le32(b, p+28) != 0 {
			binary.LittleEndian.PutUint32(b[p+28:], 0xfffffff0)
		}
	}
	f, err = Parse(b)
	require.NoError(t, err)
	_, _, err = f.StaticValue("Lcom/umeng/commonsdk/statistics/SdkVersion;", "SDK_VERSION")
	require.ErrorIs(t, err, ErrFormat)
	assert.Contains(t, err.Error(), "static_values_off past the end of the file")
	require.ErrorIs(t, f.eachStaticValue(func(int, uint32, uint32, Value) error { return nil }), ErrFormat)
}
