// Package srcmanifest reads the AndroidManifest.xml of an app's source tree
// (src/main/AndroidManifest.xml, the text XML a developer edits) and says on
// which line each declaration is, so that a report can point a reviewer at
// the line to change: the <uses-permission> of a permission, the component or
// <meta-data> an SDK brings. It is a reader at the bottom of the pipeline: it
// knows nothing of findings or reports.
package srcmanifest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// MaxSize is the largest source manifest read, in bytes.
const MaxSize = 8 << 20

// androidNS is the namespace of the android: attributes.
const androidNS = "http://schemas.android.com/apk/res/android"

// Manifest is where the declarations of one source manifest are.
type Manifest struct {
	// Path is the file, as it was given or found.
	Path string
	// Package is the manifest's package attribute ("" when it has none:
	// the namespace is in build.gradle).
	Package string
	// Application is the line of <application>, 0 when there is none.
	Application int
	// Permissions maps each <uses-permission> and <uses-permission-sdk-23>
	// name to its line.
	Permissions map[string]int
	// Components maps each activity, activity-alias, service, receiver and
	// provider name, made absolute with Package when it starts with a dot, to
	// its line.
	Components map[string]int
	// MetaData maps each <meta-data> name to its line.
	MetaData map[string]int
}

// ErrNotFound is returned by Find when a source root holds no manifest.
var ErrNotFound = errors.New("srcmanifest: no src/main/AndroidManifest.xml under the source root")

// Parse reads a source manifest from r; name is used in errors and as Path.
func Parse(r io.Reader, name string) (*Manifest, error) {
	data, err := limits.ReadAtMost(r, MaxSize, "source manifest")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m := &Manifest{Path: name, Permissions: map[string]int{}, Components: map[string]int{}, MetaData: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(data))
	seenManifest := false
	for {
		// Whitespace and comments are tokens of their own, so before a start
		// element is read the decoder stands at its '<': the tag's first line.
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: srcmanifest: %w", name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(local string) string {
			for _, a := range se.Attr {
				if a.Name.Local == local && (a.Name.Space == androidNS || a.Name.Space == "android") {
					return a.Value
				}
			}
			return ""
		}
		switch se.Name.Local {
		case "manifest":
			seenManifest = true
			for _, a := range se.Attr {
				if a.Name.Local == "package" && a.Name.Space == "" {
					m.Package = a.Value
				}
			}
		case "application":
			m.Application = line
		case "uses-permission", "uses-permission-sdk-23":
			setFirst(m.Permissions, attr("name"), line)
		case "activity", "activity-alias", "service", "receiver", "provider":
			setFirst(m.Components, m.absolute(attr("name")), line)
		case "meta-data":
			setFirst(m.MetaData, attr("name"), line)
		}
	}
	if !seenManifest {
		return nil, fmt.Errorf("%s: srcmanifest: no <manifest> element", name)
	}
	return m, nil
}

// Open parses the source manifest at path, which must be a regular file.
func Open(path string) (*Manifest, error) {
	f, err := limits.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path)
}

// absolute resolves a component name relative to the manifest's package.
func (m *Manifest) absolute(name string) string {
	if strings.HasPrefix(name, ".") && m.Package != "" {
		return m.Package + name
	}
	return name
}

// setFirst records the first line a name is declared on.
func setFirst(m map[string]int, name string, line int) {
	if name == "" {
		return
	}
	if _, ok := m[name]; !ok {
		m[name] = line
	}
}

// Candidates lists the source manifests of the modules under root:
// root/src/main/AndroidManifest.xml and the same two directory levels down
// (app/src/main/…, features/login/src/main/…), sorted.
func Candidates(root string) []string {
	var out []string
	for _, pattern := range []string{"src/main/AndroidManifest.xml", "*/src/main/AndroidManifest.xml", "*/*/src/main/AndroidManifest.xml"} {
		matches, _ := fs.Glob(os.DirFS(root), pattern)
		for _, m := range matches {
			out = append(out, filepath.Join(root, filepath.FromSlash(m)))
		}
	}
	sort.Strings(out)
	return out
}

// Find picks, of the source manifests under root, the one of the module the
// build was made from: the one that declares most of the permissions the
// build declares (the app module's; a library module declares few), the
// first in path order on a tie. It returns ErrNotFound when there is none.
func Find(root string, declared []string) (*Manifest, error) {
	var best *Manifest
	bestScore := -1
	for _, path := range Candidates(root) {
		m, err := Open(path)
		if err != nil {
			return nil, err
		}
		score := 0
		for _, p := range declared {
			if _, ok := m.Permissions[p]; ok {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = m, score
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%s: %w", root, ErrNotFound)
	}
	return best, nil
}
