//go:build !purego

#include "textflag.h"

// adlerWeights are the weights 32, 31, ..., 1 of the bytes of a chunk.
DATA adlerWeights<>+0x00(SB)/8, $0x191a1b1c1d1e1f20
DATA adlerWeights<>+0x08(SB)/8, $0x1112131415161718
DATA adlerWeights<>+0x10(SB)/8, $0x090a0b0c0d0e0f10
DATA adlerWeights<>+0x18(SB)/8, $0x0102030405060708
GLOBL adlerWeights<>(SB), RODATA|NOPTR, $32

// func adlerChunks(p []byte) (sum, prior, weighted uint64)
//
// Y0: the running byte sums (4 qwords, VPSADBW), Y1: the sums before each
// chunk (4 qwords), Y2: the weighted sums (8 dwords: at most 1024 chunks of
// 2*(255*32+255*31) each, far below 2^32).
TEXT ·adlerChunks(SB), NOSPLIT, $0-48
	MOVQ p_base+0(FP), SI
	MOVQ p_len+8(FP), CX
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y7, Y7, Y7
	VMOVDQU adlerWeights<>(SB), Y5
	VPCMPEQW Y6, Y6, Y6
	VPSRLW $15, Y6, Y6 // 16 words of 1
	SHRQ $5, CX
	JZ done

loop:
	VMOVDQU (SI), Y3
	VPADDQ Y0, Y1, Y1
	VPSADBW Y7, Y3, Y4
	VPADDQ Y4, Y0, Y0
	VPMADDUBSW Y5, Y3, Y4 // unsigned bytes of Y3 times the signed weights
	VPMADDWD Y6, Y4, Y4
	VPADDD Y4, Y2, Y2
	ADDQ $32, SI
	DECQ CX
	JNZ loop

done:
	VEXTRACTI128 $1, Y0, X8
	VPADDQ X8, X0, X0
	VPSHUFD $0x4e, X0, X8
	VPADDQ X8, X0, X0
	VMOVQ X0, AX
	MOVQ AX, sum+24(FP)

	VEXTRACTI128 $1, Y1, X8
	VPADDQ X8, X1, X1
	VPSHUFD $0x4e, X1, X8
	VPADDQ X8, X1, X1
	VMOVQ X1, AX
	MOVQ AX, prior+32(FP)

	VEXTRACTI128 $1, Y2, X8
	VPADDD X8, X2, X2
	VPSHUFD $0x4e, X2, X8
	VPADDD X8, X2, X2
	VPSHUFD $0xb1, X2, X8
	VPADDD X8, X2, X2
	VMOVD X2, AX
	MOVQ AX, weighted+40(FP)
	VZEROUPPER
	RET
