package dex

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/piapi"
)

// tableTargets turns the sensitive-API table into walker targets, in table
// order, as pkg/inventory does: a hit's Target is then the entry's index.
func tableTargets(t testing.TB) ([]piapi.Entry, []Target) {
	t.Helper()
	entries, err := piapi.Table()
	require.NoError(t, err)
	targets := make([]Target, len(entries))
	for i, e := range entries {
		switch e.Kind {
		case piapi.Method:
			targets[i] = Target{Kind: MethodTarget, Class: e.Descriptor(), Name: e.Member, Type: e.Proto}
		case piapi.Field:
			targets[i] = Target{Kind: FieldTarget, Class: e.Descriptor(), Name: e.Member, Type: e.Type}
		default:
			targets[i] = Target{Kind: StringTarget, Value: e.Value, Prefix: e.Prefix}
		}
	}
	return entries, targets
}

func tableQuery(t testing.TB) ([]piapi.Entry, *Query) {
	t.Helper()
	entries, targets := tableTargets(t)
	q, err := NewQuery(targets)
	require.NoError(t, err)
	return entries, q
}

// codeFixtureDirs are the smali sources of code039.dex (see testdata/gen.sh).
var codeFixtureDirs = []string{
	"testdata/smali/code",
	"../../testdata/fixtures/smali/codereads",
	"../../testdata/fixtures/smali/codereads-sdks",
}

// smaliMemberRef matches a member reference in smali: Lcls;->name(proto)ret or Lcls;->name:type.
var smaliMemberRef = regexp.MustCompile(`(L[^;\s()]+;)->([^(:\s]+)(\([^)]*\)[^\s,)]+|:[^\s,)]+)`)

// eachSmaliLine calls fn with every line of every .smali file under dir,
// trimmed, and the descriptor of the class its .class line declared.
func eachSmaliLine(t *testing.T, dir string, fn func(class, line string)) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".smali") {
			return err
		}
		fh, err := os.Open(p)
		if err != nil {
			return err
		}
		defer fh.Close()
		class := ""
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if f := strings.Fields(line); len(f) > 1 && f[0] == ".class" {
				class = f[len(f)-1]
			}
			fn(class, line)
		}
		return sc.Err()
	}))
}

// smaliHits reads the smali sources and counts, per class and target, the
// instructions that reach a target directly: the expected direct hits of
// ScanCode, from the sources the DEX was assembled from.
func smaliHits(t *testing.T, targets []Target, dirs ...string) map[string]int {
	t.Helper()
	want := map[string]int{}
	for _, dir := range dirs {
		eachSmaliLine(t, dir, func(class, line string) {
			op, _, _ := strings.Cut(line, " ")
			reached := map[int]bool{}
			switch {
			case op == "const-string" || op == "const-string/jumbo":
				s, err := strconv.Unquote(line[strings.IndexByte(line, '"'):])
				require.NoError(t, err, line)
				for i, tg := range targets {
					if tg.Kind == StringTarget && (s == tg.Value || tg.Prefix && strings.HasPrefix(s, tg.Value)) {
						reached[i] = true
					}
				}
			case strings.HasPrefix(op, "invoke-"), strings.HasPrefix(op, "sget"), strings.HasPrefix(op, "iget"), op == "const-method-handle":
				for _, m := range smaliMemberRef.FindAllStringSubmatchIndex(line, -1) {
					cls, name, sig := line[m[2]:m[3]], line[m[4]:m[5]], line[m[6]:m[7]]
					isField := strings.HasPrefix(sig, ":")
					if isField && !(strings.HasPrefix(op, "sget") || strings.HasPrefix(op, "iget") ||
						strings.Contains(line[:m[0]], "static-get@") || strings.Contains(line[:m[0]], "instance-get@")) {
						continue // a field write
					}
					for i, tg := range targets {
						if tg.Class == cls && tg.Name == name && (tg.Kind == FieldTarget) == isField &&
							(tg.Type == "" || tg.Type == strings.TrimPrefix(sig, ":")) {
							reached[i] = true
						}
					}
				}
			}
			for i := range reached {
				want[fmt.Sprintf("%d %s", i, class)]++
			}
		})
	}
	return want
}

func directHits(s *CodeScan) map[string]int {
	got := map[string]int{}
	for _, h := range s.Hits {
		if !h.Reflective {
			got[fmt.Sprintf("%d %s", h.Target, h.Class)] += h.Count
		}
	}
	return got
}

// TestScanCodeFixture scans code039.dex, assembled by smali from the
// codereads sources (app, Umeng and JPush code, an obfuscated class) and
// this package's instruction-format class, with the sensitive-API table,
// and checks every hit against the sources: the smali instructions that
// name a table API, and the annotation below, written by reading them.
func TestScanCodeFixture(t *testing.T) {
	entries, q := tableQuery(t)
	f, err := Parse(fixture(t, "code039.dex"))
	require.NoError(t, err)
	scan, err := f.ScanCode(q)
	require.NoError(t, err)

	assert.Equal(t, smaliHits(t, q.Targets(), codeFixtureDirs...), directHits(scan), "direct hits = the smali instructions naming a table API")

	index := func(name string) int {
		i := slices.IndexFunc(entries, func(e piapi.Entry) bool { return e.API == name || e.Kind == piapi.String && e.Value == name })
		require.GreaterOrEqual(t, i, 0, name)
		return i
	}
	type row struct {
		api, class string
		count      int
	}
	annotated := []row{
		// SDK code: Umeng, through virtual, range and static invokes, an sget and a string.
		{"android.telephony.TelephonyManager.getDeviceId", "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", 2},
		{"android.telephony.TelephonyManager.getSubscriberId", "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", 1},
		{"android_id", "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", 1},
		{"android.os.Build.SERIAL", "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", 1},
		{"android.net.wifi.WifiManager.getConnectionInfo", "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", 1},
		{"android.net.wifi.WifiInfo.getMacAddress", "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", 1},
		{"android.content.pm.PackageManager.getInstalledPackages", "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", 1},
		// SDK code: JPush, through an interface and a static invoke and const-string/jumbo.
		{"com.bun.miitmdid.interfaces.IdSupplier.getOAID", "Lcn/jpush/android/helper/DeviceInfo;", 1},
		{"com.bun.miitmdid.core.MdidSdkHelper.InitSdk", "Lcn/jpush/android/helper/DeviceInfo;", 1},
		{"content://sms", "Lcn/jpush/android/helper/DeviceInfo;", 1},
		{"android.app.ActivityManager.getRunningAppProcesses", "Lcn/jpush/android/helper/DeviceInfo;", 1},
		// App code.
		{"android.location.LocationManager.getLastKnownLocation", "Lcom/example/codereads/MainActivity;", 1},
		{"android.location.LocationManager.requestLocationUpdates", "Lcom/example/codereads/MainActivity;", 1},
		{"android.provider.ContactsContract$Contacts.CONTENT_URI", "Lcom/example/codereads/MainActivity;", 1},
		{"content://call_log", "Lcom/example/codereads/MainActivity;", 1},
		{"android.content.ClipboardManager.getPrimaryClip", "Lcom/example/codereads/MainActivity;", 2},
		{"android.accounts.AccountManager.getAccounts", "Lcom/example/codereads/MainActivity$Accounts;", 1},
		{"android.hardware.Camera.open", "Lcom/example/codereads/CameraActivity;", 2},
		// An obfuscated class in no package.
		{"android.telephony.TelephonyManager.getLine1Number", "La/a;", 1},
		{"android.bluetooth.BluetoothAdapter.getAddress", "La/a;", 1},
		// Instruction formats: a call after four payloads, invoke-custom and
		// invoke-custom/range through a method handle, const-method-handle to
		// a method and to a field.
		{"android.os.Build.getSerial", "Lcom/example/exotic/Formats;", 1},
		{"android.telephony.TelephonyManager.getDeviceId", "Lcom/example/exotic/Formats;", 2},
		{"android.telephony.TelephonyManager.getSubscriberId", "Lcom/example/exotic/Formats;", 1},
		{"android.os.Build.SERIAL", "Lcom/example/exotic/Formats;", 1},
	}
	want := map[string]int{}
	for _, r := range annotated {
		want[fmt.Sprintf("%d %s", index(r.api), r.class)] = r.count
	}
	assert.Equal(t, want, directHits(scan), "direct hits = the annotation")

	// Reflection pairs a class the class names with a member name it looks
	// up, anywhere in the class. JPush names TelephonyManager in
	// Class.forName and looks up getImei with getMethod. Formats names Build
	// with const-class and looks up SERIAL twice (getField, getDeclaredField):
	// 2. Formats also names TelephonyManager (through a range invoke) but
	// overwrites "getImei" with "toString" before its getMethod, and Unnamed
	// looks up getDeviceId on obj.getClass() without naming any class:
	// neither counts.
	reflective := map[string]int{}
	for _, h := range scan.Hits {
		if h.Reflective {
			reflective[fmt.Sprintf("%s %s", entries[h.Target].API, h.Class)] = h.Count
		}
	}
	wantReflective := map[string]int{
		"android.telephony.TelephonyManager.getImei Lcn/jpush/android/helper/DeviceInfo;": 1,
		"android.os.Build.SERIAL Lcom/example/exotic/Formats;":                            2,
	}
	assert.Equal(t, wantReflective, reflective)

	assert.True(t, slices.IsSortedFunc(scan.Hits, compareHits), "hits sorted by target, class, direct first")
	assert.Zero(t, scan.Stats.Malformed)
	assert.Equal(t, f.NumClasses(), scan.Stats.Classes, "every class of the fixture has class data")
}

// TestScanCodeTargets checks how targets match: exact prototypes and field
// types, overloads, string prefixes, and targets the DEX does not name.
func TestScanCodeTargets(t *testing.T) {
	f, err := Parse(fixture(t, "code039.dex"))
	require.NoError(t, err)
	const tm = "Landroid/telephony/TelephonyManager;"
	dc := "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;"
	tests := []struct {
		name   string
		target Target
		want   map[string]int // class → count, direct hits
	}{
		{"any overload", Target{Kind: MethodTarget, Class: tm, Name: "getDeviceId"},
			map[string]int{dc: 2, "Lcom/example/exotic/Formats;": 2}},
		{"one overload", Target{Kind: MethodTarget, Class: tm, Name: "getDeviceId", Type: "(I)Ljava/lang/String;"},
			map[string]int{dc: 1}},
		{"no such overload", Target{Kind: MethodTarget, Class: tm, Name: "getDeviceId", Type: "(J)Ljava/lang/String;"}, map[string]int{}},
		{"constructor", Target{Kind: MethodTarget, Class: "Landroid/app/Activity;", Name: "<init>"},
			map[string]int{"Lcom/example/codereads/MainActivity;": 1}},
		{"field of a type", Target{Kind: FieldTarget, Class: "Landroid/os/Build;", Name: "SERIAL", Type: "Ljava/lang/String;"},
			map[string]int{dc: 1, "Lcom/example/exotic/Formats;": 1}},
		{"field of another type", Target{Kind: FieldTarget, Class: "Landroid/os/Build;", Name: "SERIAL", Type: "I"}, map[string]int{}},
		{"exact string", Target{Kind: StringTarget, Value: "content://sms/inbox"}, map[string]int{"Lcn/jpush/android/helper/DeviceInfo;": 1}},
		{"exact string is not a prefix", Target{Kind: StringTarget, Value: "content://sms"}, map[string]int{}},
		{"prefix over several strings", Target{Kind: StringTarget, Value: "content://", Prefix: true},
			map[string]int{"Lcn/jpush/android/helper/DeviceInfo;": 1, "Lcom/example/codereads/MainActivity;": 1}},
		{"unknown class", Target{Kind: MethodTarget, Class: "Lno/such/Class;", Name: "getDeviceId"}, map[string]int{}},
		{"unknown member", Target{Kind: MethodTarget, Class: tm, Name: "getNoSuchThing"}, map[string]int{}},
		{"unknown string", Target{Kind: StringTarget, Value: "content://nothing"}, map[string]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := NewQuery([]Target{tc.target})
			require.NoError(t, err)
			scan, err := f.ScanCode(q)
			require.NoError(t, err)
			got := map[string]int{}
			for _, h := range scan.Hits {
				require.Equal(t, 0, h.Target)
				if !h.Reflective {
					got[h.Class] += h.Count
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestNewQueryErrors(t *testing.T) {
	for _, tc := range []struct {
		target Target
		want   string
	}{
		{Target{Kind: MethodTarget, Class: "android.telephony.TelephonyManager", Name: "getDeviceId"}, "not a class descriptor"},
		{Target{Kind: FieldTarget, Class: "Landroid/os/Build;"}, "empty member name"},
		{Target{Kind: StringTarget}, "empty string value"},
		{Target{Class: "La;", Name: "b"}, "unknown kind"},
	} {
		_, err := NewQuery([]Target{tc.target})
		require.Error(t, err, tc.target)
		assert.Contains(t, err.Error(), tc.want)
		assert.True(t, strings.HasPrefix(err.Error(), "dex: "))
	}
	assert.Equal(t, "method", MethodTarget.String())
	assert.Equal(t, `"content://sms"*`, Target{Kind: StringTarget, Value: "content://sms", Prefix: true}.String())
	assert.Equal(t, "La;.b:I", Target{Kind: FieldTarget, Class: "La;", Name: "b", Type: "I"}.String())
}

// TestScanCodeAllocs: the walk allocates per DEX and per class with hits,
// never per instruction: scanning the fixture with no target that matches
// allocates the same as with one that matches nothing in far fewer classes.
func TestScanCodeAllocs(t *testing.T) {
	f, err := Parse(fixture(t, "code039.dex"))
	require.NoError(t, err)
	q, err := NewQuery([]Target{{Kind: MethodTarget, Class: "Lno/such/Class;", Name: "x"}})
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := f.ScanCode(q); err != nil {
			t.Fatal(err)
		}
	})
	scan, _ := f.ScanCode(q)
	t.Logf("%.0f allocations for %d instructions", allocs, scan.Stats.Instructions)
	assert.Less(t, allocs, 20.0, "a fixed number of allocations per DEX")
}

// codeRef is one encoded_method with code: where its code_off uleb128 sits
// in the class data, how long it is, and the code_item it points at.
type codeRef struct{ uleb, ulebLen, code int }

// eachCodeOff walks the class_data_item at off in b the plain way
// (test-only) and calls fn with the position and end of each encoded
// method's code_off uleb128 and its value.
func eachCodeOff(b []byte, off int, fn func(at, end int, code uint32)) {
	var sizes [4]uint32
	p := off
	for j := range sizes {
		sizes[j], p, _ = uleb128(b, p, len(b))
	}
	for range 2 * (sizes[0] + sizes[1]) {
		_, p, _ = uleb128(b, p, len(b))
	}
	for range sizes[2] + sizes[3] {
		_, p, _ = uleb128(b, p, len(b))
		_, p, _ = uleb128(b, p, len(b))
		code, next, _ := uleb128(b, p, len(b))
		fn(p, next, code)
		p = next
	}
}

// codeItems returns every encoded method with code of the first DEX of b,
// in walk order.
func codeItems(t *testing.T, b []byte) []codeRef {
	t.Helper()
	f, err := Parse(b)
	require.NoError(t, err)
	d := &f.dexes[0]
	var out []codeRef
	for i := range d.classN {
		if off := int(le32(b, d.classOff+classDefSize*i+24)); off != 0 {
			eachCodeOff(b, off, func(at, end int, code uint32) {
				if code != 0 {
					out = append(out, codeRef{uleb: at, ulebLen: end - at, code: int(code)})
				}
			})
		}
	}
	return out
}

// insnOffsets returns the offset in b of every instruction of the code item
// at off, stepping with the package's length table.
func insnOffsets(b []byte, off int) []int {
	n := int(le32(b, off+12))
	ins := b[off+codeItemHeader : off+codeItemHeader+2*n]
	var out []int
	for pc := 0; pc < n; {
		out = append(out, off+codeItemHeader+2*pc)
		u := binary.LittleEndian.Uint16(ins[2*pc:])
		w := uint64(opWidth(byte(u)))
		if u == packedSwitchPayload || u == sparseSwitchPayload || u == arrayDataPayload {
			w, _ = payloadWidth(ins, pc, n, u)
		}
		pc += int(w)
	}
	return out
}

// TestScanCodeHostile mutates the real fixture into the malformed code a
// hostile DEX may hold. Method-level damage costs that method, counted and
// reported, and the scan goes on; file-level damage stops the scan with a
// FormatError and keeps the hits before it. Nothing panics or hangs.
func TestScanCodeHostile(t *testing.T) {
	orig := fixture(t, "code039.dex")
	_, q := tableQuery(t)
	f0, err := Parse(orig)
	require.NoError(t, err)
	clean, err := f0.ScanCode(q)
	require.NoError(t, err)
	items := codeItems(t, orig)
	require.NotEmpty(t, items)
	// The switches method of Formats holds the four payloads: find it and
	// its packed-switch payload.
	switches, packedPayload := 0, 0
	for _, it := range items {
		for _, at := range insnOffsets(orig, it.code) {
			if binary.LittleEndian.Uint16(orig[at:]) == packedSwitchPayload {
				switches, packedPayload = it.code, at
			}
		}
	}
	require.NotZero(t, switches, "packed-switch method")
	classDef0 := int(le32(orig, 0x64))
	uleb := func(b []byte, it codeRef) []byte { return b[it.uleb : it.uleb+it.ulebLen] }
	tests := []struct {
		name      string
		mutate    func(b []byte)
		fatal     string // error message fragment when the scan stops
		malformed int    // methods cut short when it does not
	}{
		{"insns_size past the end", func(b []byte) { binary.LittleEndian.PutUint32(b[items[0].code+12:], 0x7fffffff) }, "insns_size runs past the end of the file", 0},
		{"code_off past the end", func(b []byte) { setULEB128(t, uleb(b, items[0]), 1<<(7*items[0].ulebLen)-1) }, "code_item past the end of the file", 0},
		{"code_item header cut by the end", func(b []byte) { setULEB128(t, uleb(b, items[0]), uint32(len(b)-8)) }, "code_item past the end of the file", 0},
		{"class data cut by the end", func(b []byte) { binary.LittleEndian.PutUint32(b[classDef0+24:], uint32(len(b)-2)) }, "truncated", 0},
		{"class_data_off past the end", func(b []byte) { binary.LittleEndian.PutUint32(b[classDef0+24:], 0xfffffff0) }, "class_data_off past the end of the file", 0},
		{"instruction count that lies", func(b []byte) {
			// insns_size ends inside the three-unit invoke after the payloads.
			for _, at := range insnOffsets(b, switches) {
				if b[at] == 0x71 { // invoke-static
					binary.LittleEndian.PutUint32(b[switches+12:], uint32((at-switches-codeItemHeader)/2+1))
				}
			}
		}, "", 1},
		{"packed-switch payload past its code", func(b []byte) {
			binary.LittleEndian.PutUint16(b[packedPayload+2:], 0xffff)
		}, "", 1},
		{"array payload size that overflows", func(b []byte) {
			p := packedPayload
			binary.LittleEndian.PutUint16(b[p:], arrayDataPayload)
			binary.LittleEndian.PutUint16(b[p+2:], 0xffff)
			binary.LittleEndian.PutUint32(b[p+4:], 0xffffffff)
		}, "", 1},
		{"truncated payload header at the end of the code", func(b []byte) {
			// The method's last unit becomes a fill-array-data-payload ident.
			n := int(le32(b, switches+12))
			binary.LittleEndian.PutUint16(b[switches+codeItemHeader+2*(n-1):], arrayDataPayload)
		}, "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := slices.Clone(orig)
			tc.mutate(b)
			f, err := Parse(b)
			require.NoError(t, err, "the header and tables are intact")
			scan, err := f.ScanCode(q)
			require.Error(t, err)
			require.True(t, errors.Is(err, ErrFormat), "%v", err)
			require.NotNil(t, scan)
			requireSameScanJobs(t, f, q)
			if tc.fatal != "" {
				assert.Contains(t, err.Error(), tc.fatal)
				return
			}
			assert.Contains(t, err.Error(), fmt.Sprintf("(%d methods)", tc.malformed))
			assert.Equal(t, tc.malformed, scan.Stats.Malformed)
			assert.Equal(t, clean.Stats.Methods, scan.Stats.Methods, "every method still walked")
			// The Formats call after the payloads is lost with the method;
			// every other hit is kept.
			assert.GreaterOrEqual(t, len(scan.Hits), len(clean.Hits)-1)
		})
	}
}

// TestScanCodeWorkBudget: class definitions that all point at the same
// class data would make the walk quadratic; the work budget stops it with a
// FormatError. The hostile image is the fixture with a class_defs table of
// 60,000 entries appended, each pointing at the class data with the most code.
func TestScanCodeWorkBudget(t *testing.T) {
	orig := fixture(t, "code039.dex")
	f0, err := Parse(orig)
	require.NoError(t, err)
	d := &f0.dexes[0]
	best, bestSize := 0, 0
	for i := range d.classN {
		p := d.classOff + classDefSize*i
		if off := int(le32(orig, p+24)); off != 0 {
			w := newWalker(f0)
			var st CodeStats
			r, err := f0.resolve(0, &Query{})
			require.NoError(t, err)
			require.NoError(t, w.walkClassData(d, off, r, &st))
			if st.CodeUnits > bestSize {
				best, bestSize = p, st.CodeUnits
			}
		}
	}
	const n = 60000
	b := slices.Clone(orig)
	table := len(b)
	for range n {
		b = append(b, orig[best:best+classDefSize]...)
	}
	binary.LittleEndian.PutUint32(b[0x60:], n)
	binary.LittleEndian.PutUint32(b[0x64:], uint32(table))
	binary.LittleEndian.PutUint32(b[0x20:], uint32(len(b)))
	f, err := Parse(b)
	require.NoError(t, err)
	q, err := NewQuery([]Target{{Kind: StringTarget, Value: "x"}})
	require.NoError(t, err)
	_, err = f.ScanCode(q)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "work budget exhausted")
	requireSameScanJobs(t, f, q)
}

// requireSameScanJobs asserts that ScanCodeJobs, split class by class over
// two and three goroutines, returns what ScanCode does: hits, counts and
// error, partial results of a failed scan included.
func requireSameScanJobs(t *testing.T, f *File, q *Query) {
	t.Helper()
	defer func(c, m int) { chunkClasses, minParallelScan = c, m }(chunkClasses, minParallelScan)
	want, wantErr := f.ScanCode(q)
	for _, chunk := range []int{1, 3, 256} {
		for _, jobs := range []int{2, 3} {
			chunkClasses, minParallelScan = chunk, 0
			got, err := f.ScanCodeJobs(q, jobs)
			require.Equal(t, want, got, "%d classes a chunk, %d jobs", chunk, jobs)
			if wantErr == nil {
				require.NoError(t, err)
			} else {
				require.EqualError(t, err, wantErr.Error())
			}
		}
	}
}

// TestScanCodeJobs: the split walk of ScanCodeJobs finds what ScanCode
// finds, in real DEX files (the fixtures, a DEX 041 container of two, and
// every DEX of the appium APK when the external corpus is present). The
// hostile images of TestScanCodeHostile and TestScanCodeWorkBudget are
// compared there.
func TestScanCodeJobs(t *testing.T) {
	_, q := tableQuery(t)
	images := map[string][]byte{
		"container": codeContainer(t, fixture(t, "classes039.dex"), fixture(t, "code039.dex")),
	}
	for _, name := range []string{"code039.dex", "classes039.dex", "second039.dex", "classes035.dex"} {
		images[name] = fixture(t, name)
	}
	// Methods cut short in the first and the last class with code: the
	// error names the first of them, and counts both.
	cut := slices.Clone(fixture(t, "code039.dex"))
	items := codeItems(t, cut)
	for _, it := range []codeRef{items[0], items[len(items)-1]} {
		for _, at := range insnOffsets(cut, it.code) {
			if opWidth(cut[at]) > 1 { // insns_size ends inside this instruction
				binary.LittleEndian.PutUint32(cut[it.code+12:], uint32((at-it.code-codeItemHeader)/2+1))
				break
			}
		}
	}
	images["two methods cut short"] = cut
	if ext := externalCorpus(t); ext != "" {
		zr, err := zip.OpenReader(filepath.Join(ext, "npm", "appium-uiautomator2-server-v10.6.6.apk"))
		require.NoError(t, err)
		defer zr.Close()
		for _, e := range zr.File {
			if strings.HasSuffix(e.Name, ".dex") {
				rc, err := e.Open()
				require.NoError(t, err)
				b, err := io.ReadAll(rc)
				rc.Close()
				require.NoError(t, err)
				images["appium/"+e.Name] = b
			}
		}
	}
	for name, b := range images {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(b)
			require.NoError(t, err)
			requireSameScanJobs(t, f, q)
			if name == "two methods cut short" {
				_, err := f.ScanCode(q)
				require.ErrorContains(t, err, "(2 methods)")
			}
		})
	}
}

// codeContainer lays real DEX images end to end as one DEX 041 container,
// as buildContainer does, and also moves the two kinds of offsets toV41
// leaves alone that the code walker follows: each encoded method's code_off
// (rewritten in place, its uleb128 length kept) and each call_site_id's
// call_site_off.
func codeContainer(t *testing.T, dexes ...[]byte) []byte {
	t.Helper()
	var out []byte
	var starts []int
	for _, d := range dexes {
		base := len(out)
		starts = append(starts, base)
		n := toV41(t, d, base)
		shift := uint32(base + headerSizeV41 - headerSize)
		at := func(off uint32) int { return int(off) - base } // container offset → offset in n
		classN, classOff := le32(n, 0x60), le32(n, 0x64)
		for i := range classN {
			cd := le32(n, at(classOff)+classDefSize*int(i)+24)
			if cd == 0 {
				continue
			}
			eachCodeOff(n, at(cd), func(p, end int, code uint32) {
				if code != 0 {
					setULEB128(t, n[p:end], code+shift)
				}
			})
		}
		if m := le32(n, 0x34); m != 0 {
			for i := range le32(n, at(m)) {
				item := at(m) + 4 + mapItemSize*int(i)
				if binary.LittleEndian.Uint16(n[item:]) != typeCallSiteIDItem {
					continue
				}
				ids := at(le32(n, item+8))
				for j := range le32(n, item+4) {
					p := ids + callSiteIDSize*int(j)
					binary.LittleEndian.PutUint32(n[p:], le32(n, p)+shift)
				}
			}
		}
		out = append(out, n...)
	}
	for _, s := range starts {
		binary.LittleEndian.PutUint32(out[s+0x70:], uint32(len(out)))
	}
	for _, s := range starts {
		resign(out, s, int(le32(out, s+0x20)))
	}
	return out
}

// setULEB128 writes v over the uleb128 in b, keeping its length.
func setULEB128(t *testing.T, b []byte, v uint32) {
	t.Helper()
	require.Less(t, uint64(v), uint64(1)<<(7*len(b)), "the moved offset needs a longer uleb128")
	for i := range b {
		c := byte(v>>(7*i)) & 0x7f
		if i < len(b)-1 {
			c |= 0x80
		}
		b[i] = c
	}
}

// TestScanCodeContainer: a DEX 041 container is walked DEX by DEX, with
// every offset relative to the container, and gives the hits of its DEX
// files scanned one by one.
func TestScanCodeContainer(t *testing.T) {
	_, q := tableQuery(t)
	first, second := fixture(t, "classes039.dex"), fixture(t, "code039.dex")
	var want []Hit
	var wantStats CodeStats
	for _, b := range [][]byte{first, second} {
		f, err := Parse(b)
		require.NoError(t, err)
		s, err := f.ScanCode(q)
		require.NoError(t, err)
		want = append(want, s.Hits...)
		wantStats.Methods += s.Stats.Methods
		wantStats.Instructions += s.Stats.Instructions
		wantStats.Invokes += s.Stats.Invokes
	}
	slices.SortFunc(want, compareHits)
	f, err := Parse(codeContainer(t, first, second))
	require.NoError(t, err)
	require.Len(t, f.Headers, 2)
	s, err := f.ScanCode(q)
	require.NoError(t, err)
	assert.Equal(t, want, s.Hits)
	assert.Equal(t, wantStats.Methods, s.Stats.Methods)
	assert.Equal(t, wantStats.Instructions, s.Stats.Instructions)
	assert.Equal(t, wantStats.Invokes, s.Stats.Invokes)
	assert.NotEmpty(t, s.Hits)
}
