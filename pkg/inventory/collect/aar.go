package collect

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/inventory"
)

// maxRulesRead is the most bytes of an AAR's proguard.txt read.
const maxRulesRead = 1 << 20

// queueAAR queues what an Android library adds to its classes: its
// proguard.txt, and for an AAR nested in the artifact its manifest's package
// and versionName (the artifact's own manifest is the app manifest, read as
// for an APK).
func (b *builder) queueAAR(a *container.Archive, prefix string) {
	if e := a.Lookup("proguard.txt"); e != nil {
		b.tasks = append(b.tasks, task{cost: int64(e.UncompressedSize), run: func(*worker) {
			rc, err := a.Open(e)
			if err != nil {
				b.warn(prefix+e.Name, "not read: %v", err)
				return
			}
			defer rc.Close()
			rules := keepRules(io.LimitReader(rc, maxRulesRead), prefix+e.Name)
			b.mu.Lock()
			b.inv.KeepRules = append(b.inv.KeepRules, rules...)
			b.mu.Unlock()
		}})
	}
	if e := a.Lookup("AndroidManifest.xml"); e != nil && prefix != "" {
		b.tasks = append(b.tasks, task{cost: int64(e.UncompressedSize), run: func(*worker) {
			data, err := a.ReadAll(e, nil)
			if err != nil {
				b.warn(prefix+e.Name, "not read: %v", err)
				return
			}
			m, err := parseManifest(data, nil)
			if err != nil {
				b.warn(prefix+e.Name, "not read: %v", err)
				return
			}
			if m.VersionName != "" {
				b.addVersion(inventory.VersionValue{Kind: inventory.VersionManifest, Key: m.Package, Path: prefix + e.Name, Value: m.VersionName})
			}
		}})
	}
}

// keepRules returns the class specifications of the -keep rules in r
// (ProGuard syntax: "-keep[names|classmembers|classeswithmembers…][,modifier…]
// [public|final|abstract…] class|interface|enum|@interface NAME …"). A name
// is kept when it is a class or a package wildcard ("com.x.**", "com.x.*");
// other wildcards and negations ("!com.x.**", "com.x.*Activity") say too
// little about a package and are left out.
func keepRules(r io.Reader, path string) []inventory.KeepRule {
	var out []inventory.KeepRule
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := sc.Bytes()
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(strings.NewReplacer("{", " { ", ",", " , ").Replace(string(line)))
		if len(fields) == 0 || !strings.HasPrefix(fields[0], "-keep") || fields[0] == "-keepattributes" ||
			fields[0] == "-keepparameternames" || fields[0] == "-keepdirectories" {
			continue
		}
		for i := 1; i+1 < len(fields); i++ {
			switch strings.TrimPrefix(fields[i], "!") {
			case "class", "interface", "enum", "@interface":
			default:
				continue
			}
			if name, ok := keepName(fields[i+1]); ok {
				out = append(out, inventory.KeepRule{Pattern: name, Path: path})
			}
			break
		}
	}
	return out
}

// keepName reports whether a -keep rule's class name says which package it
// keeps: a plain class name, or a package followed by ".*" or ".**".
func keepName(s string) (string, bool) {
	base := strings.TrimSuffix(strings.TrimSuffix(s, ".**"), ".*")
	if base == "" || strings.ContainsAny(base, "*?!%<>(){};,/") {
		return "", false
	}
	for _, seg := range strings.Split(base, ".") {
		if seg == "" {
			return "", false
		}
	}
	return s, true
}

// codeOnly reports whether artifacts of kind carry no manifest of their own
// (a DEX, a JAR, a bare native library), so none missing is worth a warning.
func codeOnly(kind string) bool {
	return kind == string(container.KindDEX) || kind == string(container.KindJAR) || kind == string(container.KindELF)
}
