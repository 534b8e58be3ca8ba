package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
)

// hostilePieces are what attacker-controlled names carry into reports:
// terminal control sequences (clear screen, OSC 52 clipboard write, a C1
// CSI), bidi overrides, invalid UTF-8, mentions and markup.
var hostilePieces = []string{
	"\x1b[2J", "\x1b]52;c;ZWNobyBoYWNrZWQ=\x07", "\u009b31m", "\u202e", "\u2066", "\x7f", "\x00",
	"\xff\xfe", "\xc3", "@all", "@everyone", "@security-team", "<script>alert(1)</script>", "| --- |", "`x`",
}

// hostileName joins a few pieces around ordinary text, chosen by rng.
func hostileName(rng *rand.Rand, base string) string {
	var b strings.Builder
	b.WriteString(base)
	for range 3 {
		b.WriteString(" " + hostilePieces[rng.IntN(len(hostilePieces))] + " x")
	}
	return b.String()
}

// hostileResult is the demo check with hostile names wherever the build or
// the policy supplies text: class names, the label, entry names in native
// libraries and warnings, policy rows, finding messages and evidence.
func hostileResult(seed uint64) *audit.Result {
	rng := rand.New(rand.NewPCG(seed, 14))
	r := demoCheck()
	inv := r.Inventory
	inv.App.Label = hostileName(rng, "label")
	inv.App.Package = hostileName(rng, "com.evil")
	inv.Code.ClassNames = append(inv.Code.ClassNames, hostileName(rng, "com.evil.C"))
	inv.NativeLibs = append(inv.NativeLibs, hostileName(rng, "lib/arm64-v8a/lib"))
	inv.Warnings = append(inv.Warnings, inventory.Warning{Source: hostileName(rng, "assets/"), Message: hostileName(rng, "bad entry")})
	inv.Permissions = append(inv.Permissions, inventory.Permission{Name: hostileName(rng, "evil.permission."), Protection: "unknown"})
	r.Disclosure.SDKs = append(r.Disclosure.SDKs, policy.SDKRow{Name: hostileName(rng, "SDK"), Company: hostileName(rng, "公司"),
		Purpose: "通知 @all", Line: policy.LineRef{File: hostileName(rng, "policy"), Line: 3}})
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Message += " " + hostileName(rng, "m")
		f.MessageZh += " " + hostileName(rng, "m")
		f.Evidence.Artifact = append(f.Evidence.Artifact, hostileName(rng, "e"))
		f.Evidence.Policy = append(f.Evidence.Policy, hostileName(rng, "p"))
	}
	r.Findings[0].Subject = hostileName(rng, "s")
	r.Notes = []string{hostileName(rng, "note")}
	return r
}

// rawControls lists the characters that must never reach a human-facing
// report raw; what names them for the error message.
func rawControls(b []byte) []string {
	var bad []string
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if invisible(r) && r != '\n' && r != '\t' && r != '\r' {
			bad = append(bad, fmt.Sprintf("%U at %d", r, i))
		}
		i += n
	}
	return bad
}

// TestHostileNames renders results full of generated hostile names in every
// format and both languages: every report is valid UTF-8, no control, bidi
// or escape character reaches a human-facing format raw, Markdown carries no
// live mention or markup, and JSON keeps every value (invalid bytes as \xNN).
func TestHostileNames(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		for _, r := range Renderers() {
			if !r.Shows(CommandCheck) {
				continue
			}
			for _, lang := range []string{"en", "zh"} {
				o := demoOptions(CommandCheck, lang)
				o.Classes = true
				res := hostileResult(seed)
				out := render(t, r, []*audit.Result{res}, o)
				name := fmt.Sprintf("%s/%s/seed %d", r.Name(), lang, seed)
				require.True(t, utf8.Valid(out), name)
				assert.Empty(t, rawControls(out), name)
				switch r.Name() {
				case "markdown":
					text := outsideCodeSpans(string(out)) // a code span shows its content as it is
					for _, m := range []string{"@all", "@everyone", "@security-team"} {
						assert.NotContains(t, text, m, name)
					}
					assert.NotContains(t, text, "<script", name)
					assert.Contains(t, string(out), `\x1b`, name)
				case "html":
					assert.NotContains(t, string(out), "<script>alert", name)
				case "junit":
					var doc JUnitSuites
					require.NoError(t, xml.Unmarshal(out, &doc), name)
				case "json", "jsonl", "sarif":
					require.True(t, json.Valid(bytes.TrimSpace(out)) || r.Name() == "jsonl", name)
				}
			}
		}
	}
}

// outsideCodeSpans drops the `code spans` of Markdown text.
func outsideCodeSpans(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 0 {
			b.WriteString(part)
		}
	}
	return b.String()
}

// TestJSONKeepsRawNames: JSON decodes back to the exact name, controls and
// bidi characters included; only invalid bytes change, to the text \xNN.
func TestJSONKeepsRawNames(t *testing.T) {
	r := demoInspect()
	label := "a\x1b[2J\u009b\u202eb\xffc@all"
	r.Inventory.App.Label = label
	out := render(t, jsonRenderer{}, []*audit.Result{r}, demoOptions(CommandInspect, "en"))
	assert.Empty(t, rawControls(out), "printing the JSON cannot drive a terminal")
	var doc InspectDocument
	require.NoError(t, json.Unmarshal(out, &doc))
	assert.Equal(t, "a\x1b[2J\u009b\u202eb\\xffc@all", doc.App.Label)
	assert.Equal(t, label, r.Inventory.App.Label, "the result is not modified")
}

func TestSanitisers(t *testing.T) {
	tests := []struct {
		in, terminal, markdown, code, visible, json string
	}{
		{"plain text 中文", "plain text 中文", "plain text 中文", "plain text 中文", "plain text 中文", "plain text 中文"},
		{"a\x1b[2Jb", `a\x1b[2Jb`, `a\\x1b\[2Jb`, `a\x1b[2Jb`, `a\x1b[2Jb`, "a\x1b[2Jb"},
		{"x\u202ey", `x\u202ey`, `x\\u202ey`, `x\u202ey`, `x\u202ey`, "x\u202ey"},
		{"c1\u009bz", `c1\x9bz`, `c1\\x9bz`, `c1\x9bz`, `c1\x9bz`, "c1\u009bz"},
		{"bad\xffbyte", `bad\xffbyte`, `bad\\xffbyte`, `bad\xffbyte`, `bad\xffbyte`, `bad\xffbyte`},
		{"line\nbreak\ttab", "line break tab", "line break tab", "line break tab", "line\nbreak\ttab", "line\nbreak\ttab"},
		{"hi @all and @bob, mail a@b.cn", "hi @all and @bob, mail a@b.cn", "hi @\u200dall and @\u200dbob, mail a@b.cn",
			"hi @all and @bob, mail a@b.cn", "hi @all and @bob, mail a@b.cn", "hi @all and @bob, mail a@b.cn"},
		{"<b>|x|</b> *y*", "<b>|x|</b> *y*", `&lt;b&gt;\|x\|&lt;/b&gt; \*y\*`, "<b>|x|</b> *y*", "<b>|x|</b> *y*", "<b>|x|</b> *y*"},
		{"tick`s", "tick`s", "tick\\`s", "tick's", "tick`s", "tick`s"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.terminal, TerminalText(tt.in), "terminal %q", tt.in)
		assert.Equal(t, tt.markdown, markdownText(tt.in), "markdown %q", tt.in)
		assert.Equal(t, tt.code, markdownCode(tt.in), "code %q", tt.in)
		assert.Equal(t, tt.visible, visibleText(tt.in), "visible %q", tt.in)
		assert.Equal(t, tt.json, escapeInvalid(tt.in), "json %q", tt.in)
	}
	assert.Equal(t, `{"a":"\u202e\u009b\u007f"}`, string(jsonTail([]byte("{\"a\":\"\u202e\u009b\x7f\"}"))))
}

// TestWithStringsCopies: the string mapper changes copies only.
func TestWithStringsCopies(t *testing.T) {
	type inner struct {
		S  []string
		M  map[string]string
		P  *string
		I  any
		un string
	}
	s := "x\x1b"
	in := inner{S: []string{"a", "b\x1b"}, M: map[string]string{"k\x1b": "v"}, P: &s, I: "i\x1b", un: "u\x1b"}
	out := withStrings(in, TerminalText)
	assert.Equal(t, []string{"a", `b\x1b`}, out.S)
	assert.Equal(t, map[string]string{`k\x1b`: "v"}, out.M)
	assert.Equal(t, `x\x1b`, *out.P)
	assert.Equal(t, `i\x1b`, out.I)
	assert.Equal(t, "u\x1b", out.un, "unexported fields are copied as they are")
	assert.Equal(t, "b\x1b", in.S[1])
	assert.Equal(t, "x\x1b", s)
	assert.Contains(t, in.M, "k\x1b")
}
