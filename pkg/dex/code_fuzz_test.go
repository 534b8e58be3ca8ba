package dex

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// codeFuzzSeeds adds the smali-built fixtures, DEX 041 containers of them,
// and small real DEX files from testdata/external (switches, array data,
// exception handling) when it is present.
func codeFuzzSeeds(f *testing.F) {
	code := fixture(f, "code039.dex")
	main39 := fixture(f, "classes039.dex")
	for _, name := range []string{"code039.dex", "classes035.dex", "classes039.dex", "second039.dex"} {
		f.Add(fixture(f, name))
	}
	f.Add(buildContainer(f, main39, code))
	if ext := externalCorpus(f); ext != "" {
		for _, name := range []string{"Switch.dex", "FillArrays.dex", "ExceptionHandling.dex", "Test.dex", "InterfaceCls.dex"} {
			if b, err := os.ReadFile(filepath.Join(ext, "androguard", "tests", name)); err == nil {
				f.Add(b)
			}
		}
	}
}

// FuzzCode walks the code of arbitrary bytes that parse as a DEX, with the
// sensitive-API table and with every reference a target, and checks that
// the walk ends with hits or a FormatError, never a panic, and that what it
// reports is consistent. Crashers are kept in testdata/fuzz/FuzzCode.
func FuzzCode(f *testing.F) {
	codeFuzzSeeds(f)
	_, table := tableQuery(f)
	exotic, err := NewQuery([]Target{
		{Kind: MethodTarget, Class: "Landroid/telephony/TelephonyManager;", Name: "getDeviceId", Type: "()Ljava/lang/String;"},
		{Kind: FieldTarget, Class: "Landroid/os/Build;", Name: "SERIAL", Type: "Ljava/lang/String;"},
		{Kind: StringTarget, Value: "content://", Prefix: true},
		{Kind: StringTarget, Value: "android_id"},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		df, err := Parse(b)
		if err != nil {
			return
		}
		for _, q := range []*Query{table, exotic} {
			scan, err := df.ScanCode(q)
			if scan == nil {
				t.Fatal("ScanCode returned no scan")
			}
			if err != nil && !errors.Is(err, ErrFormat) {
				t.Fatalf("ScanCode error %v is not an ErrFormat", err)
			}
			if err == nil && scan.Stats.Malformed != 0 {
				t.Fatalf("%d malformed methods and no error", scan.Stats.Malformed)
			}
			st := scan.Stats
			// Methods may share a code item, so the code walked may exceed
			// the image, but never the work budget.
			if st.Instructions > st.CodeUnits || st.Invokes > st.Instructions || 2*st.CodeUnits > newWork(df).left {
				t.Fatalf("inconsistent stats %+v for %d bytes", st, len(b))
			}
			if !slices.IsSortedFunc(scan.Hits, compareHits) {
				t.Fatal("hits not sorted")
			}
			for _, h := range scan.Hits {
				if h.Target < 0 || h.Target >= len(q.targets) || h.Count <= 0 || h.Class == "" {
					t.Fatalf("bad hit %+v", h)
				}
			}
		}
		// Every reference a target: the widest path through the walker.
		w := newWalker(df)
		var st CodeStats
		for k := range df.dexes {
			r, err := df.resolve(k, exotic)
			if err != nil {
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("resolve error %v is not an ErrFormat", err)
				}
				return
			}
			for _, bs := range []bitset{r.anyCall, r.calls, r.fields, r.strs, r.sites, r.handles} {
				bs.fill()
			}
			if err := w.walkDex(k, r, &st, func(uint32, []eventCount) error { return nil }); err != nil && !errors.Is(err, ErrFormat) {
				t.Fatalf("walk error %v is not an ErrFormat", err)
			}
		}
	})
}

// bytesRoundTrip reports whether MUTF-8 bytes survive decoding and
// re-encoding unchanged (malformed bytes become U+FFFD and do not).
func bytesRoundTrip(b []byte) bool { return string(EncodeMUTF8(nil, DecodeMUTF8(b))) == string(b) }

// FuzzStaticValues reads the static values of every class of arbitrary
// bytes that parse as a DEX, and decodes the bytes themselves as an
// encoded_array, checking that StaticValue agrees with the full walk and
// that every failure is a FormatError. Crashers are kept in
// testdata/fuzz/FuzzStaticValues.
func FuzzStaticValues(f *testing.F) {
	codeFuzzSeeds(f)
	f.Add([]byte{0x03, 0x1c, 0x02, 0x04, 0x01, 0x1e, 0x3f, 0x00}) // an encoded_array holding an array, a null, a boolean
	f.Fuzz(func(t *testing.T, b []byte) {
		// The bytes as an encoded_array.
		if n, p, err := encodedArray(b, 0, len(b)); err == nil {
			for range n {
				var err error
				if _, p, err = decodeValue(b, p, len(b), 0); err != nil {
					if !errors.Is(err, ErrFormat) {
						t.Fatalf("decodeValue error %v is not an ErrFormat", err)
					}
					break
				}
				if p > len(b) {
					t.Fatalf("decodeValue read to %d of %d bytes", p, len(b))
				}
			}
		}

		df, err := Parse(b)
		if err != nil {
			return
		}
		type key struct {
			k     int
			class uint32
			field uint32
		}
		seen := map[key]Value{}
		err = df.eachStaticValue(func(k int, class, field uint32, v Value) error {
			if len(seen) < 64 {
				seen[key{k, class, field}] = v
			}
			return nil
		})
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("eachStaticValue error %v is not an ErrFormat", err)
			}
			return
		}
		// StaticValue finds the same value by name, where the name is
		// unambiguous: a single DEX, one definition of the class, one
		// static field of that name, and tables sorted well enough for the
		// binary searches to find the class.
		for kk, want := range seen {
			if len(df.dexes) != 1 {
				break
			}
			d := &df.dexes[0]
			budget := df.scanBudget(2)
			desc, err1 := df.typeDescriptor(d, kk.class, &budget)
			nameIdx := df.fieldName(0, kk.field)
			name, err2 := df.stringData(d, nameIdx, &budget)
			if err1 != nil || err2 != nil {
				continue
			}
			sidx, err := df.findString(d, EncodeMUTF8(nil, DecodeMUTF8(desc)))
			if err != nil || sidx < 0 || df.findType(d, sidx) != int(kk.class) || !bytesRoundTrip(desc) || !bytesRoundTrip(name) {
				continue
			}
			defs, def := 0, 0
			for i := range d.classN {
				if le32(df.data, d.classOff+classDefSize*i) == kk.class {
					defs, def = defs+1, d.classOff+classDefSize*i
				}
			}
			if defs != 1 {
				continue
			}
			if n, err := df.findString(d, name); err != nil || n != int(nameIdx) {
				continue
			}
			same := 0
			_ = df.staticFields(0, def, newWork(df), func(fidx uint32, _ Value, _ bool) (bool, error) {
				if df.fieldName(0, fidx) == nameIdx {
					same++
				}
				return true, nil
			})
			if same != 1 {
				continue
			}
			got, ok, err := df.StaticValue(DecodeMUTF8(desc), DecodeMUTF8(name))
			if err != nil || !ok || got != want {
				t.Fatalf("StaticValue(%q, %q) = %+v, %v, %v; the walk read %+v", desc, name, got, ok, err, want)
			}
		}
		_, _, _ = df.StaticValue("Lcom/umeng/commonsdk/statistics/SdkVersion;", "SDK_VERSION")
	})
}

// FuzzScanCodeJobs: on arbitrary bytes that parse as a DEX, the split walk
// of ScanCodeJobs (chunks of 1, 3 and 256 classes on 2 and 3 goroutines,
// whatever the image's size) finds what ScanCode finds, with the same
// counts and the same error.
func FuzzScanCodeJobs(f *testing.F) {
	codeFuzzSeeds(f)
	_, table := tableQuery(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		df, err := Parse(b)
		if err != nil {
			return
		}
		requireSameScanJobs(t, df, table)
	})
}
