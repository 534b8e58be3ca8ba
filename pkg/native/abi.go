package native

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"io"
)

// maxAttributes bounds the .ARM.attributes section read to tell armeabi from
// armeabi-v7a; real ones are a few dozen bytes.
const maxAttributes = 4096

// abi names the Android ABI of ef from its machine and class, and for 32-bit
// ARM from the CPU architecture in its build attributes: ARMv7 and later is
// armeabi-v7a, anything older armeabi. A 32-bit ARM library without
// attributes is taken as armeabi-v7a, the only 32-bit ARM ABI current NDKs build.
func abi(ef *elf.File) string {
	switch ef.Machine {
	case elf.EM_AARCH64:
		return "arm64-v8a"
	case elf.EM_ARM:
		if arch, ok := armCPUArch(ef); ok && arch < armV7 {
			return "armeabi"
		}
		return "armeabi-v7a"
	case elf.EM_386:
		return "x86"
	case elf.EM_X86_64:
		return "x86_64"
	case elf.EM_MIPS:
		if ef.Class == elf.ELFCLASS64 {
			return "mips64"
		}
		return "mips"
	case elf.EM_RISCV:
		if ef.Class == elf.ELFCLASS64 {
			return "riscv64"
		}
	}
	return ""
}

// ARM EABI build attributes (ARM IHI 0045, "Addenda to the ARM ELF").
const (
	shtARMAttributes = elf.SectionType(0x70000003)
	tagFile          = 1
	tagCPURawName    = 4
	tagCPUName       = 5
	tagCPUArch       = 6
	tagCompatibility = 32
	tagAlsoCompat    = 65
	tagConformance   = 67
	armV7            = 10 // Tag_CPU_arch value of ARMv7
)

// armCPUArch reads Tag_CPU_arch from the "aeabi" subsection of .ARM.attributes.
func armCPUArch(ef *elf.File) (uint64, bool) {
	s := ef.SectionByType(shtARMAttributes)
	if s == nil || s.FileSize > maxAttributes || s.FileSize < 1 {
		return 0, false
	}
	b := make([]byte, s.FileSize)
	if _, err := io.ReadFull(s.Open(), b); err != nil || b[0] != 'A' {
		return 0, false
	}
	order := ef.ByteOrder
	b = b[1:]
	for len(b) >= 4 {
		n := order.Uint32(b)
		if n < 4 || uint64(n) > uint64(len(b)) {
			return 0, false
		}
		sub := b[4:n]
		b = b[n:]
		vendor, rest, ok := bytes.Cut(sub, []byte{0})
		if !ok || string(vendor) != "aeabi" {
			continue
		}
		for len(rest) >= 5 {
			tag, size := rest[0], order.Uint32(rest[1:])
			if size < 5 || uint64(size) > uint64(len(rest)) {
				return 0, false
			}
			if tag == tagFile {
				return cpuArch(rest[5:size])
			}
			rest = rest[size:]
		}
	}
	return 0, false
}

// cpuArch walks the attributes of a Tag_File subsubsection up to Tag_CPU_arch.
func cpuArch(a []byte) (uint64, bool) {
	for len(a) > 0 {
		tag, n := binary.Uvarint(a)
		if n <= 0 {
			return 0, false
		}
		a = a[n:]
		if tag == tagCPUArch {
			v, n := binary.Uvarint(a)
			return v, n > 0
		}
		switch {
		case tag == tagCPURawName || tag == tagCPUName || tag == tagConformance || tag == tagAlsoCompat:
			i := bytes.IndexByte(a, 0)
			if i < 0 {
				return 0, false
			}
			a = a[i+1:]
		case tag == tagCompatibility:
			_, n := binary.Uvarint(a)
			if n <= 0 {
				return 0, false
			}
			i := bytes.IndexByte(a[n:], 0)
			if i < 0 {
				return 0, false
			}
			a = a[n+i+1:]
		case tag > 32 && tag%2 == 1:
			i := bytes.IndexByte(a, 0)
			if i < 0 {
				return 0, false
			}
			a = a[i+1:]
		default:
			_, n := binary.Uvarint(a)
			if n <= 0 {
				return 0, false
			}
			a = a[n:]
		}
	}
	return 0, false
}
