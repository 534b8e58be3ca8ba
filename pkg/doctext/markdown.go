package doctext

import (
	"strings"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
)

var (
	mdATX      = lazyre.New(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdSetext   = lazyre.New(`^ {0,3}(=+|-+)[ \t]*$`)
	mdRule     = lazyre.New(`^ {0,3}((\*[ \t]*){3,}|(-[ \t]*){3,}|(_[ \t]*){3,})$`)
	mdFence    = lazyre.New("^ {0,3}(```|~~~)")
	mdLink     = lazyre.New(`!?\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)`)
	mdAutoLink = lazyre.New(`<((?:https?|mailto):[^>\s]+)>`)
	mdBreak    = lazyre.New(`(?i)<br\s*/?>`)
	mdQuote    = lazyre.New(`^ {0,3}(> ?)+`)
)

// extractMarkdown reads Markdown line by line: "#" headings (and setext
// underlines), pipe tables as rows with cells (the "---" separator row is
// skipped), block quotes unwrapped, list markers kept as text, emphasis and
// link markup removed. Line numbers are the source lines.
func extractMarkdown(b *builder, text string) {
	src := strings.Split(text, "\n")
	fenced := false
	table := 0
	for i := 0; i < len(src) && !b.full; i++ {
		raw, no := src[i], i+1
		if mdFence().MatchString(raw) {
			fenced = !fenced
			continue
		}
		if fenced {
			b.add(no, raw, false)
			continue
		}
		line := mdQuote().ReplaceAllString(raw, "")
		// A pipe table starts at a row followed by a separator row.
		if table == 0 && i+1 < len(src) && strings.Contains(line, "|") && mdTable().MatchString(mdQuote().ReplaceAllString(src[i+1], "")) {
			table = b.newTable()
			b.addRow(no, table, mdCells(line))
			i++
			continue
		}
		if table != 0 {
			if strings.Contains(line, "|") && strings.TrimSpace(line) != "" {
				b.addRow(no, table, mdCells(line))
				continue
			}
			table = 0
		}
		if m := mdATX().FindStringSubmatch(line); m != nil {
			b.add(no, mdInline(m[2]), true)
			continue
		}
		if mdSetext().MatchString(line) {
			// An underline turns the line right above into a heading.
			if n := len(b.doc.Lines); n > 0 && b.doc.Lines[n-1].No == no-1 && b.doc.Lines[n-1].Table == 0 && strings.TrimSpace(src[i-1]) != "" {
				b.doc.Lines[n-1].Heading = true
				continue
			}
		}
		if mdRule().MatchString(line) || mdSetext().MatchString(line) {
			continue
		}
		b.add(no, mdInline(line), false)
	}
}

// mdCells splits a pipe-table row into cells, honouring "\|".
func mdCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, mdInline(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, mdInline(cur.String()))
}

// mdInline removes inline markup: links keep their text followed by their
// http(s) target (the target alone when the text is empty), <br> becomes a
// space, and **, __, ` and ~~ go.
func mdInline(s string) string {
	s = mdLink().ReplaceAllStringFunc(s, func(m string) string {
		sub := mdLink().FindStringSubmatch(m)
		text, target := strings.TrimSpace(sub[1]), sub[2]
		switch {
		case text == "":
			return target
		case strings.HasPrefix(m, "!"), strings.Contains(text, target), !webLink(target):
			return sub[1]
		}
		// Keep the target: SDK lists hide the policy link behind "隐私政策".
		return sub[1] + " " + target + " "
	})
	s = mdAutoLink().ReplaceAllString(s, "$1")
	s = mdBreak().ReplaceAllString(s, " ")
	s = strings.NewReplacer("**", "", "__", "", "~~", "", "`", "", `\*`, "*", `\_`, "_", `\#`, "#").Replace(s)
	return s
}

// webLink reports whether a link target is an http(s) URL.
func webLink(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}
