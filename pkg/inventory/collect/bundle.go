package collect

import (
	"errors"
	"fmt"

	"github.com/apkaudit/apkaudit/pkg/container"
)

// errNoBase is returned for a bundle none of whose APKs is a base APK (each
// declares split="…" or has no readable manifest): without the base's
// manifest no permission can be checked, so the bundle is unreadable.
var errNoBase = errors.New("the bundle holds no base APK: every APK declares split=\"…\" in its AndroidManifest.xml or has none, so permissions and components cannot be read")

// verifyBase checks the base APK a bundle claims (by manifest.json, or by
// its name) against that APK's own AndroidManifest.xml: a base has no
// split="…" attribute and declares the package the bundle claims. When the
// claim is false it looks through the other APKs for the real base and
// warns, naming the lie; it returns the entry name of the base to read.
// Bundle manifests are claims, not truth: a config split taken for the base
// would report no permissions at all, a clean verdict on a lie.
func (b *builder) verifyBase(a *container.Archive, splits []container.Split, claimed string) (string, error) {
	claimPkg := ""
	if m, err := container.ReadXAPKManifest(a); err == nil {
		claimPkg = m.PackageName
	}
	look := func(p string) apkClaim {
		s := apkClaim{path: p}
		e := a.Lookup(p)
		if e == nil {
			return s
		}
		if !a.NestedInPlace(e) {
			// Inflated to be looked at: held against the in-flight budget,
			// and collected before the next large inflation (gcDue).
			n := int64(e.UncompressedSize)
			if s.err = b.mem.Acquire(n, "nested archive "+p); s.err != nil {
				return s
			}
			defer b.mem.Release(n)
			b.gcDue = b.gcDue || n > keepBuf
		}
		na, err := a.Nested(e)
		if err != nil {
			return s
		}
		me := na.Lookup("AndroidManifest.xml")
		if me == nil {
			return s
		}
		data, err := na.ReadAll(me, nil)
		if err != nil {
			return s
		}
		m, err := parseManifest(data, nil)
		if err != nil {
			return s
		}
		s.split, s.pkg, s.ok = m.Split, m.Package, true
		return s
	}
	order := []string{claimed}
	for _, s := range splits {
		if s.Path != claimed {
			order = append(order, s.Path)
		}
	}
	var first apkClaim    // the claimed base, as its manifest describes it
	var noSplit *apkClaim // the first APK without split=, whatever its package
	for i, p := range order {
		s := look(p)
		if i == 0 {
			first = s
			if s.err != nil {
				// Too large to look at: reading it fails the same way, and
				// the bundle is reported unreadable naming the limit.
				return claimed, nil
			}
		}
		if !s.ok || s.split != "" {
			continue
		}
		if claimPkg == "" || s.pkg == claimPkg {
			if i > 0 {
				b.warn("bundle", "%s", lie(first, claimPkg, p))
				b.renameSplits(first, p)
			}
			return p, nil
		}
		if noSplit == nil {
			noSplit = &s
		}
	}
	if noSplit == nil {
		return "", errNoBase
	}
	if noSplit.path != claimed {
		b.warn("bundle", "%s", lie(first, claimPkg, noSplit.path))
		b.renameSplits(first, noSplit.path)
	}
	b.warn("bundle", "manifest.json claims package %q, but the base APK %q declares package %q in its AndroidManifest.xml", claimPkg, noSplit.path, noSplit.pkg)
	return noSplit.path, nil
}

// renameSplits names the splits of a lying bundle by their manifests: the
// real base "base", the claimed one by its split= attribute.
func (b *builder) renameSplits(claimed apkClaim, real string) {
	b.splitNames = map[string]string{real: "base"}
	if claimed.split != "" {
		b.splitNames[claimed.path] = claimed.split
	}
}

// apkClaim is what one APK of a bundle says of itself in its own manifest.
type apkClaim struct {
	path, split, pkg string
	ok               bool  // the manifest was read
	err              error // the APK could not be inflated within the budget
}

// lie describes why the claimed base is not one, and which APK is read instead.
func lie(claimed apkClaim, claimPkg, real string) string {
	why := "its AndroidManifest.xml cannot be read"
	switch {
	case claimed.ok && claimed.split != "":
		why = fmt.Sprintf("its AndroidManifest.xml declares split=%q: it is a split, not the base", claimed.split)
	case claimed.ok:
		why = fmt.Sprintf("its AndroidManifest.xml declares package %q, not %q", claimed.pkg, claimPkg)
	}
	return fmt.Sprintf("the bundle names %q as the base APK, but %s; %q, whose manifest is a base's, is read as the base (the bundle's manifest is wrong)", claimed.path, why, real)
}
