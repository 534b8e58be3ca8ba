package cli

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// readmeYAML returns the ```yaml blocks of the README's "## In CI" section.
func readmeYAML(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(testenv.RepoRoot(t, "README.md"))
	require.NoError(t, err)
	s := string(b)
	i := strings.Index(s, "\n## In CI\n")
	require.GreaterOrEqual(t, i, 0, "README.md has no ## In CI section")
	s = s[i+1:]
	if j := strings.Index(s[3:], "\n## "); j >= 0 {
		s = s[:j+3]
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(s, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// shellCommands splits shell text into simple commands (line continuations
// joined; split at newlines, ;, &&, || and |) of words (quotes removed).
func shellCommands(src string) [][]string {
	src = strings.ReplaceAll(src, "\\\n", " ")
	var cmds [][]string
	var words []string
	var word strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	end := func() {
		flush()
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				j = len(src) - i - 1
			}
			word.WriteString(src[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == ' ' || c == '\t':
			flush()
		case c == '\n' || c == ';' || c == '|' || c == '&':
			end()
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	end()
	return cmds
}

// checkApkauditCommand parses one apkaudit command line with the real
// command tree: the command must exist, its flags must exist with their
// values, and its arguments must be what it accepts.
func checkApkauditCommand(t *testing.T, words []string) {
	t.Helper()
	g := &globals{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: time.Now}
	root := newRoot(g)
	c, rest, err := root.Find(words[1:])
	require.NoError(t, err, "%q", words)
	require.NotEqual(t, root, c, "%q names no command", words)
	require.NoError(t, c.ParseFlags(rest), "%q", words)
	require.NoError(t, c.ValidateArgs(c.Flags().Args()), "%q", words)
	require.NoError(t, g.load(c), "%q: the flags' values", words)
}

// TestREADMERecipes: the CI recipes of the README are complete and work as
// written: the GitHub workflow sets up Go, installs apkaudit at a pinned
// version, may write security events, uploads SARIF with upload-sarif@v4
// and puts the Markdown in the job summary; the GitLab job has an image,
// scans once into SARIF, JUnit and Markdown artifacts and posts the Markdown
// as a merge-request note through the API; every apkaudit command and flag
// in them exists.
func TestREADMERecipes(t *testing.T) {
	blocks := readmeYAML(t)
	require.Len(t, blocks, 2, "a GitHub workflow and a GitLab job")
	var gh struct {
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Env   map[string]string `yaml:"env"`
			Steps []struct {
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]string `yaml:"with"`
				If   string            `yaml:"if"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(blocks[0]), &gh))
	var gl map[string]struct {
		Image        string   `yaml:"image"`
		BeforeScript []string `yaml:"before_script"`
		Script       []string `yaml:"script"`
		Variables    map[string]string
		Artifacts    struct {
			When    string            `yaml:"when"`
			Reports map[string]string `yaml:"reports"`
			Paths   []string          `yaml:"paths"`
		} `yaml:"artifacts"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(blocks[1]), &gl))

	scans := 0
	check := func(shell string) {
		for _, words := range shellCommands(shell) {
			if words[0] == "apkaudit" {
				checkApkauditCommand(t, words)
				scans++
			}
		}
	}

	// GitHub Actions.
	assert.Equal(t, "write", gh.Permissions["security-events"])
	require.Len(t, gh.Jobs, 1)
	uses := map[string]string{}
	var runs []string
	for _, job := range gh.Jobs {
		for _, st := range job.Steps {
			if st.Uses != "" {
				name, version, _ := strings.Cut(st.Uses, "@")
				uses[name] = version
			}
			if st.Run != "" {
				runs = append(runs, os.Expand(st.Run, func(k string) string {
					if v, ok := job.Env[k]; ok {
						return v
					}
					return "$" + k
				}))
				check(st.Run)
			}
			if strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") {
				assert.Equal(t, "always()", st.If)
				assert.Equal(t, "apkaudit.sarif", st.With["sarif_file"])
			}
		}
	}
	assert.Contains(t, uses, "actions/setup-go")
	assert.Equal(t, "v4", uses["github/codeql-action/upload-sarif"])
	all := strings.Join(runs, "\n")
	assert.Regexp(t, `go install github.com/apkaudit/apkaudit/cmd/apkaudit@v\d+\.\d+\.\d+\b`, all, "a pinned version")
	assert.Contains(t, all, `>> "$GITHUB_STEP_SUMMARY"`)
	assert.Equal(t, 1, scans, "one scan")

	// GitLab CI.
	require.Len(t, gl, 1)
	scans = 0
	for _, job := range gl {
		assert.NotEmpty(t, job.Image)
		var script []string
		for _, l := range append(append([]string{}, job.BeforeScript...), job.Script...) {
			script = append(script, os.Expand(l, func(k string) string {
				if v, ok := job.Variables[k]; ok {
					return v
				}
				return "$" + k
			}))
			check(l)
		}
		assert.Equal(t, 1, scans, "one scan")
		s := strings.Join(script, "\n")
		assert.Regexp(t, `go install github.com/apkaudit/apkaudit/cmd/apkaudit@v\d+\.\d+\.\d+\b`, s)
		for _, out := range []string{"sarif=apkaudit.sarif", "junit=apkaudit.xml", "markdown=apkaudit.md"} {
			assert.Contains(t, s, "--output "+out)
		}
		assert.Contains(t, s, "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes")
		assert.Contains(t, s, "body@apkaudit.md")
		assert.Equal(t, "always", job.Artifacts.When)
		assert.Equal(t, "apkaudit.xml", job.Artifacts.Reports["junit"])
		assert.ElementsMatch(t, []string{"apkaudit.sarif", "apkaudit.xml", "apkaudit.md"}, job.Artifacts.Paths)
	}

	// The checker itself rejects what does not exist.
	g := &globals{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: time.Now}
	root := newRoot(g)
	c, rest, err := root.Find([]string{"check", "app.apk", "--frobnicate"})
	require.NoError(t, err)
	assert.Error(t, c.ParseFlags(rest), "an unknown flag")
	_, _, err = root.Find([]string{"scan", "app.apk"})
	assert.Error(t, err, "an unknown command")
}
