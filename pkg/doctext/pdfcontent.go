package doctext

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// The content-stream reader: a tokenizer and operand stack for PDF page
// content (ISO 32000-1 §7.2, §8.9.7), iterative and bounded, in place of
// github.com/ledongthuc/pdf's Interpret, which recurses into nested arrays,
// keeps every operand until the next operator, and never ends on an array
// left open. Tokens are classified exactly as that library does (what is an
// integer, a real, a keyword), so real documents give the same operators.

const (
	// maxContentNesting bounds arrays and dictionaries nested in operands
	// (TJ arrays are one level, marked-content properties two or three).
	maxContentNesting = 32
	// maxOperands bounds the operands kept for one operator (no operator
	// takes more than 33); the operator of a longer run is skipped.
	maxOperands = 1024
	// maxArrayItems bounds the elements kept in one operand array.
	maxArrayItems = 1 << 16
)

type operandKind uint8

const (
	opNull operandKind = iota // null, a boolean, a dictionary
	opNumber
	opString
	opName
	opArray
)

// operand is one content-stream operand.
type operand struct {
	kind operandKind
	num  float64
	str  string    // the bytes of a string, or a name without its '/'
	arr  []operand // the elements of an array
}

// rawString returns the bytes of a string, or "" for anything else (as
// pdf.Value.RawString does).
func (o operand) rawString() string {
	if o.kind == opString {
		return o.str
	}
	return ""
}

// Float64 returns the number, or 0 for anything else (as pdf.Value does).
func (o operand) Float64() float64 {
	if o.kind == opNumber {
		return o.num
	}
	return 0
}

// errContentSyntax is matched by malformed-content errors: the page stops
// there, as the library stopped it with a panic.
var errContentSyntax = errors.New("malformed content")

// contentReader turns content streams into operators with their operands.
// The operand stack and open arrays carry over from one stream to the next,
// since a page's streams form one content stream.
type contentReader struct {
	stack []operand
	// open holds the arrays and dictionaries being read, innermost last; a
	// dictionary (whose contents are not used) is a nil frame.
	open    []*[]operand
	dropped bool // operands were dropped since the last operator
	// unterminated is set when a hex string ran to the end of the stream
	// (the library's reader loops forever on one).
	unterminated bool
	// overflow is set when an operator lost operands (maxOperands or
	// maxArrayItems); the page warns once.
	overflow bool
	src      source
	tmp      []byte
	ops      map[string]string // operator names seen, so each is allocated once
}

// maxInterned bounds the operator names contentReader keeps.
const maxInterned = 256

// read interprets one stream, calling do for every operator (args is only
// valid during the call) and stopping at the first error do returns.
func (c *contentReader) read(r io.Reader, do func(op string, args []operand) error) error {
	c.src.reset(r)
	s := &c.src
	for {
		b, ok := s.skipSpace()
		if !ok {
			return s.end()
		}
		var v operand
		switch b {
		case '(':
			v = operand{kind: opString, str: c.literalString()}
		case '<':
			if n, ok := s.peek(); ok && n == '<' {
				s.pos++
				if err := c.nest(nil); err != nil {
					return err
				}
				continue
			}
			str, err := c.hexString()
			if err != nil {
				return err
			}
			v = operand{kind: opString, str: str}
		case '>':
			if n, ok := s.peek(); ok && n == '>' {
				s.pos++
				if len(c.open) == 0 || c.open[len(c.open)-1] != nil {
					return fmt.Errorf("%w: '>>' outside a dictionary", errContentSyntax)
				}
				c.open = c.open[:len(c.open)-1]
				c.add(operand{kind: opNull})
				continue
			}
			return fmt.Errorf("%w: unexpected '>'", errContentSyntax)
		case '[':
			if err := c.nest(new([]operand)); err != nil {
				return err
			}
			continue
		case ']':
			if len(c.open) == 0 || c.open[len(c.open)-1] == nil {
				return fmt.Errorf("%w: ']' outside an array", errContentSyntax)
			}
			a := c.open[len(c.open)-1]
			c.open = c.open[:len(c.open)-1]
			c.add(operand{kind: opArray, arr: *a})
			continue
		case ')':
			return fmt.Errorf("%w: unexpected ')'", errContentSyntax)
		case '/':
			v = operand{kind: opName, str: string(c.name())}
		default:
			var w []byte
			if b == '{' || b == '}' {
				w = []byte{b} // keywords to the library
			} else {
				s.pos--
				w = c.word()
			}
			num, kind, err := parseNumber(w)
			if err != nil {
				return err
			}
			switch {
			case kind != notNumber:
				v = operand{kind: opNumber, num: num}
			case string(w) == "true" || string(w) == "false" || string(w) == "null":
				v = operand{kind: opNull}
			default:
				op := c.intern(w)
				if len(c.open) > 0 {
					return fmt.Errorf("%w: operator %.40q inside an operand", errContentSyntax, op)
				}
				if c.dropped {
					c.overflow = true
				} else {
					err = do(op, c.stack)
				}
				c.clear()
				if err != nil {
					return err
				}
				if op == "ID" && !s.skipInlineImage() {
					return s.end()
				}
				continue
			}
		}
		c.add(v)
	}
}

// finish reports what the page's content left open.
func (c *contentReader) finish() error {
	if len(c.open) > 0 {
		return fmt.Errorf("%w: content ends inside an array or a dictionary", errContentSyntax)
	}
	return nil
}

// nest opens an array (a frame for its elements) or a dictionary (nil)
// unless that nests too deeply.
func (c *contentReader) nest(frame *[]operand) error {
	if len(c.open) >= maxContentNesting {
		return &limits.LimitError{What: "operand nesting depth", Limit: maxContentNesting, Value: -1}
	}
	c.open = append(c.open, frame)
	return nil
}

// add appends v to the innermost open array, or to the operand stack.
func (c *contentReader) add(v operand) {
	switch {
	case len(c.open) > 0 && c.open[len(c.open)-1] == nil:
		// dictionary contents are not used
	case len(c.open) > 0:
		a := c.open[len(c.open)-1]
		if len(*a) >= maxArrayItems {
			c.dropped = true
			return
		}
		*a = append(*a, v)
	case len(c.stack) >= maxOperands:
		c.dropped = true
	default:
		c.stack = append(c.stack, v)
	}
}

func (c *contentReader) clear() {
	clear(c.stack)
	c.stack = c.stack[:0]
	c.dropped = false
}

func (c *contentReader) intern(w []byte) string {
	if op, ok := c.ops[string(w)]; ok {
		return op
	}
	op := string(w)
	if c.ops == nil {
		c.ops = map[string]string{}
	}
	if len(c.ops) < maxInterned {
		c.ops[op] = op
	}
	return op
}

// Byte classes of content-stream syntax (ISO 32000-1 §7.2.2).
const (
	classSpace = 1 << iota
	classDelim
)

var byteClass = func() (t [256]uint8) {
	for _, b := range []byte{0, '\t', '\n', '\f', '\r', ' '} {
		t[b] = classSpace
	}
	for _, b := range []byte("<>()[]{}/%") {
		t[b] = classDelim
	}
	return t
}()

// source is a buffered reader over one stream that lets tokens be sliced
// out of its buffer.
type source struct {
	r   io.Reader
	buf []byte
	pos int
	err error
}

func (s *source) reset(r io.Reader) {
	if s.buf == nil {
		s.buf = make([]byte, 0, 64<<10)
	}
	s.r, s.buf, s.pos, s.err = r, s.buf[:0], 0, nil
}

// fill reads more input once the buffer is used up; false at the end.
func (s *source) fill() bool {
	for s.err == nil {
		n, err := s.r.Read(s.buf[:cap(s.buf)])
		s.buf, s.pos, s.err = s.buf[:n], 0, err
		if n > 0 {
			return true
		}
	}
	return false
}

// end is the error that ended the stream: nil at its end.
func (s *source) end() error {
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

func (s *source) next() (byte, bool) {
	if s.pos >= len(s.buf) && !s.fill() {
		return 0, false
	}
	b := s.buf[s.pos]
	s.pos++
	return b, true
}

func (s *source) peek() (byte, bool) {
	if s.pos >= len(s.buf) && !s.fill() {
		return 0, false
	}
	return s.buf[s.pos], true
}

// skipSpace returns the first byte that is neither white space nor in a comment.
func (s *source) skipSpace() (byte, bool) {
	for {
		b, ok := s.next()
		if !ok {
			return 0, false
		}
		switch {
		case byteClass[b]&classSpace != 0:
		case b == '%':
			for b != '\r' && b != '\n' {
				if b, ok = s.next(); !ok {
					return 0, false
				}
			}
		default:
			return b, true
		}
	}
}

// word returns the keyword or number at the current position, up to the
// next delimiter or space. It is valid until the next read.
func (c *contentReader) word() []byte {
	s := &c.src
	c.tmp = c.tmp[:0]
	for {
		start := s.pos
		for s.pos < len(s.buf) && byteClass[s.buf[s.pos]] == 0 {
			s.pos++
		}
		if s.pos < len(s.buf) {
			if len(c.tmp) == 0 {
				return s.buf[start:s.pos]
			}
			return append(c.tmp, s.buf[start:s.pos]...)
		}
		// The word runs to the end of the buffer: keep it and read on.
		c.tmp = append(c.tmp, s.buf[start:]...)
		if !s.fill() {
			return c.tmp
		}
	}
}

// name reads a name after its '/', decoding #xx escapes.
func (c *contentReader) name() []byte {
	s := &c.src
	c.tmp = c.tmp[:0]
	for {
		b, ok := s.peek()
		if !ok || byteClass[b] != 0 {
			return c.tmp
		}
		s.pos++
		if b == '#' {
			if h1, ok := s.peek(); ok && unhex(h1) >= 0 {
				s.pos++
				if h2, ok := s.peek(); ok && unhex(h2) >= 0 {
					s.pos++
					b = byte(unhex(h1)<<4 | unhex(h2))
				} else {
					c.tmp = append(c.tmp, '#')
					b = h1
				}
			}
		}
		c.tmp = append(c.tmp, b)
	}
}

// literalString reads a (string) after its '(' (§7.3.4.2): balanced
// parentheses, backslash escapes, octal codes. An unknown escape keeps the
// character; an unterminated string ends at the end of the stream.
func (c *contentReader) literalString() string {
	s := &c.src
	c.tmp = c.tmp[:0]
	depth := 1
	for {
		b, ok := s.next()
		if !ok {
			return string(c.tmp)
		}
		switch b {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return string(c.tmp)
			}
		case '\\':
			if b, ok = s.next(); !ok {
				return string(c.tmp)
			}
			switch b {
			case 'n':
				b = '\n'
			case 'r':
				b = '\r'
			case 'b':
				b = '\b'
			case 't':
				b = '\t'
			case 'f':
				b = '\f'
			case '\r':
				if n, ok := s.peek(); ok && n == '\n' {
					s.pos++
				}
				continue
			case '\n':
				continue
			case '0', '1', '2', '3', '4', '5', '6', '7':
				x := int(b - '0')
				for range 2 {
					n, ok := s.peek()
					if !ok || n < '0' || n > '7' {
						break
					}
					s.pos++
					x = x*8 + int(n-'0')
				}
				b = byte(x)
			}
		}
		c.tmp = append(c.tmp, b)
	}
}

// hexString reads a <hex string> after its '<'; white space is ignored and
// an odd final digit is followed by an implied 0 (§7.3.4.3).
func (c *contentReader) hexString() (string, error) {
	s := &c.src
	c.tmp = c.tmp[:0]
	hi := -1
	for {
		b, ok := s.next()
		if !ok || b == '>' {
			c.unterminated = c.unterminated || !ok
			if hi >= 0 {
				c.tmp = append(c.tmp, byte(hi<<4))
			}
			return string(c.tmp), nil
		}
		if byteClass[b]&classSpace != 0 {
			continue
		}
		d := unhex(b)
		if d < 0 {
			return "", fmt.Errorf("%w: bad hex digit %q", errContentSyntax, b)
		}
		if hi < 0 {
			hi = d
			continue
		}
		c.tmp = append(c.tmp, byte(hi<<4|d))
		hi = -1
	}
}

func unhex(b byte) int {
	switch {
	case '0' <= b && b <= '9':
		return int(b - '0')
	case 'a' <= b && b <= 'f':
		return int(b-'a') + 10
	case 'A' <= b && b <= 'F':
		return int(b-'A') + 10
	}
	return -1
}

// skipInlineImage skips the data of an inline image, from after its ID
// operator to its EI operator (EI between white space, §8.9.7); false when
// the stream ends first.
func (s *source) skipInlineImage() bool {
	var prev [3]byte // the last three bytes read
	for {
		b, ok := s.next()
		if !ok {
			return false
		}
		if byteClass[prev[0]]&classSpace != 0 && prev[1] == 'E' && prev[2] == 'I' && byteClass[b] != 0 {
			s.pos--
			return true
		}
		prev = [3]byte{prev[1], prev[2], b}
	}
}

type numberKind uint8

const (
	notNumber numberKind = iota
	integer
	real
)

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumber reads w as the library does: an optional sign, then digits,
// with exactly one '.' for a real ("1e5" is a keyword, not a number). The
// result is strconv's, correctly rounded: short numbers, nearly all of a
// page, are computed exactly without a string.
func parseNumber(w []byte) (float64, numberKind, error) {
	d := w
	neg := false
	if len(d) > 0 && (d[0] == '+' || d[0] == '-') {
		neg, d = d[0] == '-', d[1:]
	}
	if len(d) == 0 {
		return 0, notNumber, nil
	}
	var mant uint64
	digits, frac, dot := 0, 0, -1
	for i, b := range d {
		switch {
		case b == '.':
			if dot >= 0 {
				return 0, notNumber, nil
			}
			dot = i
		case b >= '0' && b <= '9':
			mant = mant*10 + uint64(b-'0')
			digits++
			if dot >= 0 {
				frac++
			}
		default:
			return 0, notNumber, nil
		}
	}
	if dot < 0 {
		if digits <= 18 {
			n := int64(mant)
			if neg {
				n = -n // an integer has no negative zero
			}
			return float64(n), integer, nil
		}
		n, err := strconv.ParseInt(string(w), 10, 64)
		if err != nil {
			return 0, integer, fmt.Errorf("%w: invalid integer %.40s", errContentSyntax, w)
		}
		return float64(n), integer, nil
	}
	if digits > 0 && digits <= 15 {
		f := float64(mant) / pow10[frac]
		if neg {
			f = -f
		}
		return f, real, nil
	}
	f, err := strconv.ParseFloat(string(w), 64)
	if err != nil {
		return 0, real, fmt.Errorf("%w: invalid real %.40s", errContentSyntax, w)
	}
	return f, real, nil
}
