package dex

// The Dalvik instruction set, as far as the code walker needs it: each
// opcode's format, from which its length follows, and what the walker does
// with it. Source: "Dalvik bytecode" and "Dalvik Executable instruction
// formats" (source.android.com/docs/core/runtime/dalvik-bytecode and
// instruction-formats). A format ID's first digit is the number of 16-bit
// code units the instruction takes ("22c": two units, two registers, a
// constant-pool index), so the length table is derived from the formats
// and cannot drift from them.

// opAction is what the walker does with an opcode besides stepping over it.
type opAction uint8

const (
	actNone opAction = iota
	// actNop is nop (0x00), whose high byte may mark a switch or array payload.
	actNop
	// actInvoke: invoke-kind (35c) and invoke-polymorphic (45cc); method@BBBB
	// in unit 1, argument registers C..G in unit 2.
	actInvoke
	// actInvokeRange: invoke-kind/range (3rc) and invoke-polymorphic/range
	// (4rcc); method@BBBB in unit 1, arguments vCCCC.. in unit 2.
	actInvokeRange
	// actInvokeCustom: invoke-custom and invoke-custom/range; call_site@BBBB in unit 1.
	actInvokeCustom
	// actFieldGet: iget-kind (22c, field@CCCC) and sget-kind (21c, field@BBBB), both in unit 1.
	actFieldGet
	// actString: const-string vAA, string@BBBB (21c).
	actString
	// actStringJumbo: const-string/jumbo vAA, string@BBBBBBBB (31c).
	actStringJumbo
	// actMethodHandle: const-method-handle vAA, method_handle@BBBB (21c).
	actMethodHandle
	// actConstClass: const-class vAA, type@BBBB (21c).
	actConstClass
)

// opcodeRanges lists every opcode 0x00-0xff with its format and action.
var opcodeRanges = []struct {
	lo, hi byte
	format string
	act    opAction
	invoke bool // counts as an invoke instruction in CodeStats.Invokes
}{
	{0x00, 0x00, "10x", actNop, false},          // nop (or a payload)
	{0x01, 0x01, "12x", actNone, false},         // move
	{0x02, 0x02, "22x", actNone, false},         // move/from16
	{0x03, 0x03, "32x", actNone, false},         // move/16
	{0x04, 0x04, "12x", actNone, false},         // move-wide
	{0x05, 0x05, "22x", actNone, false},         // move-wide/from16
	{0x06, 0x06, "32x", actNone, false},         // move-wide/16
	{0x07, 0x07, "12x", actNone, false},         // move-object
	{0x08, 0x08, "22x", actNone, false},         // move-object/from16
	{0x09, 0x09, "32x", actNone, false},         // move-object/16
	{0x0a, 0x0d, "11x", actNone, false},         // move-result*, move-exception
	{0x0e, 0x0e, "10x", actNone, false},         // return-void
	{0x0f, 0x11, "11x", actNone, false},         // return*
	{0x12, 0x12, "11n", actNone, false},         // const/4
	{0x13, 0x13, "21s", actNone, false},         // const/16
	{0x14, 0x14, "31i", actNone, false},         // const
	{0x15, 0x15, "21h", actNone, false},         // const/high16
	{0x16, 0x16, "21s", actNone, false},         // const-wide/16
	{0x17, 0x17, "31i", actNone, false},         // const-wide/32
	{0x18, 0x18, "51l", actNone, false},         // const-wide
	{0x19, 0x19, "21h", actNone, false},         // const-wide/high16
	{0x1a, 0x1a, "21c", actString, false},       // const-string
	{0x1b, 0x1b, "31c", actStringJumbo, false},  // const-string/jumbo
	{0x1c, 0x1c, "21c", actConstClass, false},   // const-class
	{0x1d, 0x1e, "11x", actNone, false},         // monitor-enter, monitor-exit
	{0x1f, 0x1f, "21c", actNone, false},         // check-cast
	{0x20, 0x20, "22c", actNone, false},         // instance-of
	{0x21, 0x21, "12x", actNone, false},         // array-length
	{0x22, 0x22, "21c", actNone, false},         // new-instance
	{0x23, 0x23, "22c", actNone, false},         // new-array
	{0x24, 0x24, "35c", actNone, false},         // filled-new-array
	{0x25, 0x25, "3rc", actNone, false},         // filled-new-array/range
	{0x26, 0x26, "31t", actNone, false},         // fill-array-data
	{0x27, 0x27, "11x", actNone, false},         // throw
	{0x28, 0x28, "10t", actNone, false},         // goto
	{0x29, 0x29, "20t", actNone, false},         // goto/16
	{0x2a, 0x2a, "30t", actNone, false},         // goto/32
	{0x2b, 0x2c, "31t", actNone, false},         // packed-switch, sparse-switch
	{0x2d, 0x31, "23x", actNone, false},         // cmp-kind
	{0x32, 0x37, "22t", actNone, false},         // if-test
	{0x38, 0x3d, "21t", actNone, false},         // if-testz
	{0x3e, 0x43, "10x", actNone, false},         // unused
	{0x44, 0x51, "23x", actNone, false},         // aget*, aput*
	{0x52, 0x58, "22c", actFieldGet, false},     // iget*
	{0x59, 0x5f, "22c", actNone, false},         // iput*
	{0x60, 0x66, "21c", actFieldGet, false},     // sget*
	{0x67, 0x6d, "21c", actNone, false},         // sput*
	{0x6e, 0x72, "35c", actInvoke, true},        // invoke-virtual … invoke-interface
	{0x73, 0x73, "10x", actNone, false},         // unused
	{0x74, 0x78, "3rc", actInvokeRange, true},   // invoke-*/range
	{0x79, 0x7a, "10x", actNone, false},         // unused
	{0x7b, 0x8f, "12x", actNone, false},         // unop
	{0x90, 0xaf, "23x", actNone, false},         // binop
	{0xb0, 0xcf, "12x", actNone, false},         // binop/2addr
	{0xd0, 0xd7, "22s", actNone, false},         // binop/lit16
	{0xd8, 0xe2, "22b", actNone, false},         // binop/lit8
	{0xe3, 0xf9, "10x", actNone, false},         // unused
	{0xfa, 0xfa, "45cc", actInvoke, true},       // invoke-polymorphic
	{0xfb, 0xfb, "4rcc", actInvokeRange, true},  // invoke-polymorphic/range
	{0xfc, 0xfc, "35c", actInvokeCustom, true},  // invoke-custom
	{0xfd, 0xfd, "3rc", actInvokeCustom, true},  // invoke-custom/range
	{0xfe, 0xfe, "21c", actMethodHandle, false}, // const-method-handle
	{0xff, 0xff, "21c", actNone, false},         // const-method-type
}

// opInfo is opcodeRanges indexed by opcode, packed in one byte so the
// walker's hot loop makes one table load per instruction: the width in code
// units in the low three bits (1-5), the action above them, and the invoke
// flag in the top bit.
var opInfo [256]uint8

const (
	infoWidthMask   = 0x07
	infoActionShift = 3
	infoActionMask  = 0x0f << infoActionShift
	infoInvoke      = 0x80
)

func opWidth(op byte) uint8   { return opInfo[op] & infoWidthMask }
func opAct(op byte) opAction  { return opAction(opInfo[op] & infoActionMask >> infoActionShift) }
func opIsInvoke(op byte) bool { return opInfo[op]&infoInvoke != 0 }

func init() {
	next := 0
	for _, r := range opcodeRanges {
		if int(r.lo) != next || r.hi < r.lo {
			panic("dex: opcodeRanges is not a contiguous cover of 0x00-0xff")
		}
		for op := int(r.lo); op <= int(r.hi); op++ {
			opInfo[op] = (r.format[0] - '0') | uint8(r.act)<<infoActionShift
			if r.invoke {
				opInfo[op] |= infoInvoke
			}
		}
		next = int(r.hi) + 1
	}
	if next != 256 {
		panic("dex: opcodeRanges does not reach 0xff")
	}
}

// Payload identifiers: a nop whose high byte is one of these starts a
// pseudo-instruction holding switch or array data.
const (
	packedSwitchPayload = 0x0100
	sparseSwitchPayload = 0x0200
	arrayDataPayload    = 0x0300
)

// payloadWidth returns the length in code units of the payload whose ident
// unit is at ins[pc], given that the code holds n units, and false when the
// payload's header runs past the code. The length may still exceed n; the
// caller checks. Lengths as ART's Instruction::SizeInCodeUnitsComplexOpcode:
//
//	packed-switch-payload: ident, size, first_key (2), targets (2×size) = 4 + 2×size
//	sparse-switch-payload: ident, size, keys (2×size), targets (2×size) = 2 + 4×size
//	fill-array-data-payload: ident, element_width, size (2), data = 4 + ⌈width×size/2⌉
func payloadWidth(ins []byte, pc, n int, ident uint16) (uint64, bool) {
	unit := func(i int) uint64 { return uint64(ins[2*i]) | uint64(ins[2*i+1])<<8 }
	switch ident {
	case packedSwitchPayload:
		if pc+1 >= n {
			return 0, false
		}
		return 4 + 2*unit(pc+1), true
	case sparseSwitchPayload:
		if pc+1 >= n {
			return 0, false
		}
		return 2 + 4*unit(pc+1), true
	default: // arrayDataPayload
		if pc+3 >= n {
			return 0, false
		}
		width, size := unit(pc+1), unit(pc+2)|unit(pc+3)<<16
		return 4 + (width*size+1)/2, true
	}
}
