package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/inventory/collect"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// Mistake is an input given where another kind belongs: the likely slip
// behind an error, so that the error can name it.
type Mistake int

// The mistakes a MistakeError names.
const (
	// ArtifactAsPolicy: a build given as a policy document (--policy app.apk).
	ArtifactAsPolicy Mistake = iota + 1
	// PolicyAsArtifact: a policy document given as the artifact.
	PolicyAsArtifact
	// URLInput: a URL where a file is wanted; nothing is fetched.
	URLInput
)

// A MistakeError says what an unreadable input most likely is instead:
// Kind is what its content looks like ("apk", "html", …; "" for a URL).
type MistakeError struct {
	Mistake Mistake
	Kind    string
}

func (e *MistakeError) Error() string {
	switch e.Mistake {
	case ArtifactAsPolicy:
		return fmt.Sprintf("this looks like %s, not a policy document: did you mean it as the artifact?", kindNoun(e.Kind))
	case PolicyAsArtifact:
		return fmt.Sprintf("this looks like a policy document (%s), not an Android build: policy documents are given with --policy", e.Kind)
	case URLInput:
		return "URLs are not fetched: save the page and pass the file"
	}
	return "wrong kind of input"
}

// kindNoun is "an APK", "an AAB", "a DEX file" …
func kindNoun(kind string) string {
	switch kind {
	case string(container.KindAPK), string(container.KindAAB), string(container.KindAAR), string(container.KindAPKM), string(container.KindAPKS), string(container.KindXAPK):
		return "an " + strings.ToUpper(kind)
	case string(container.KindDEX):
		return "a DEX file"
	case string(container.KindJAR):
		return "a JAR"
	case string(container.KindManifestAXML), string(container.KindManifestXML):
		return "an AndroidManifest.xml"
	}
	return "an Android build"
}

// ErrUnreadable is the reason of a file that is no kind of artifact
// apkaudit reads (the CLI words it in Chinese).
var ErrUnreadable = collect.ErrUnreadable

// isURL reports whether an argument is a URL rather than a file name.
func isURL(p string) bool {
	l := strings.ToLower(p)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "ftp://")
}

// artifactKind is the artifact kind the file at p holds, "" when it holds
// none (or cannot be read: the reader then says why).
func artifactKind(p string) string {
	f, err := limits.OpenRegular(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return ""
	}
	k, err := container.Sniff(f, st.Size())
	if err != nil {
		return ""
	}
	switch k {
	case container.KindZip, container.KindUnknown, container.KindManifestXML:
		return "" // a DOCX is a zip too; a text manifest is not confused with a policy
	}
	return string(k)
}

// policyKind is the policy format the file at p looks like when it is no
// artifact: PDF, HTML, Markdown, or text that speaks of a privacy policy;
// "" otherwise.
func policyKind(p string) string {
	f, err := limits.OpenRegular(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	head, _ := io.ReadAll(io.LimitReader(f, 16<<10))
	switch format := doctext.Detect(head); format {
	case doctext.FormatPDF, doctext.FormatHTML, doctext.FormatMarkdown:
		return format
	case doctext.FormatText:
		if bytes.Contains(head, []byte("隐私政策")) || bytes.Contains(bytes.ToLower(head), []byte("privacy policy")) {
			return format
		}
	}
	return ""
}

// artifactMistake is the MistakeError for an artifact path that could not
// be read for err, or nil when no mistake explains it.
func artifactMistake(path string, err error) error {
	if isURL(path) {
		return &MistakeError{Mistake: URLInput}
	}
	if errors.Is(err, collect.ErrUnreadable) {
		if k := policyKind(path); k != "" {
			return &MistakeError{Mistake: PolicyAsArtifact, Kind: k}
		}
	}
	return nil
}
