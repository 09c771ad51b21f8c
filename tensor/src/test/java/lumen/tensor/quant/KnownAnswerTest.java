package lumen.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Hand-built blocks whose values follow from ggml's block definitions, worked out by hand. */
class KnownAnswerTest {

    private static MemorySegment block(int bytes) {
        return MemorySegment.ofArray(new byte[bytes]);
    }

    private static void half(MemorySegment s, long off, float v) {
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, Float.floatToFloat16(v));
    }

    private static void u8(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    @Test
    void q4_0LowNibbleFirstHalfHighNibbleSecondHalf() {
        MemorySegment b = block(18);
        half(b, 0, 0.5f);
        u8(b, 2, 0x9F);        // q[0] = 15, q[16] = 9
        u8(b, 3, 0x08);        // q[1] = 8,  q[17] = 0
        float[] y = new float[32];
        Q4_0.dequantizeRow(b, 0, y, 0, 32);
        assertEquals(3.5f, y[0]);      // (15 - 8) * 0.5
        assertEquals(0.5f, y[16]);     // (9 - 8) * 0.5
        assertEquals(0.0f, y[1]);
        assertEquals(-4.0f, y[17]);    // (0 - 8) * 0.5
        assertEquals(-4.0f, y[2]);     // zero byte: both nibbles 0
    }

    @Test
    void q4_1AddsMin() {
        MemorySegment b = block(20);
        half(b, 0, 0.25f);
        half(b, 2, -1.0f);
        u8(b, 4, 0xF3);        // q[0] = 3, q[16] = 15
        float[] y = new float[32];
        Q4_1.dequantizeRow(b, 0, y, 0, 32);
        assertEquals(-0.25f, y[0]);    // 3 * 0.25 - 1
        assertEquals(2.75f, y[16]);    // 15 * 0.25 - 1
        assertEquals(-1.0f, y[1]);
    }

    @Test
    void q5_0HighBitsComeFromQhLittleEndian() {
        MemorySegment b = block(22);
        half(b, 0, 1.0f);
        b.set(ValueLayout.JAVA_INT_UNALIGNED, 2, (1 << 0) | (1 << 17));   // q[0] and q[17] get bit 4
        u8(b, 6, 0x21);        // q[0] low 1, q[16] low 2
        u8(b, 7, 0x43);        // q[1] low 3, q[17] low 4
        float[] y = new float[32];
        Q5_0.dequantizeRow(b, 0, y, 0, 32);
        assertEquals(17 - 16, y[0]);
        assertEquals(2 - 16, y[16]);
        assertEquals(3 - 16, y[1]);
        assertEquals(20 - 16, y[17]);
    }

    @Test
    void q5_1() {
        MemorySegment b = block(24);
        half(b, 0, 2.0f);
        half(b, 2, 0.5f);
        b.set(ValueLayout.JAVA_INT_UNALIGNED, 4, 1 << 31);   // q[31] gets bit 4
        u8(b, 8 + 15, 0xF0);   // q[15] = 0, q[31] low 15
        float[] y = new float[32];
        Q5_1.dequantizeRow(b, 0, y, 0, 32);
        assertEquals(0.5f, y[15]);
        assertEquals(31 * 2.0f + 0.5f, y[31]);
    }

    @Test
    void q8_0() {
        MemorySegment b = block(34);
        half(b, 0, 0.125f);
        u8(b, 2, -128);
        u8(b, 33, 127);
        float[] y = new float[32];
        Q8_0.dequantizeRow(b, 0, y, 0, 32);
        assertEquals(-16f, y[0]);
        assertEquals(15.875f, y[31]);
    }

    @Test
    void q4_kScalePackingForLowAndHighSubBlocks() {
        MemorySegment b = block(144);
        half(b, 0, 1.0f);      // d
        half(b, 2, 0.5f);      // dmin
        // sub-block 0: sc = scales[0] & 63 = 5, m = scales[4] & 63 = 2
        u8(b, 4, 5 | (1 << 6));            // top bits of scales[0] feed sc[4]: (1) << 4
        u8(b, 8, 2 | (2 << 6));            // top bits of scales[4] feed m[4]: (2) << 4
        // sub-block 4: sc = (scales[8] & 15) | (scales[0] >> 6) << 4 = 3 | 16 = 19
        //              m  = (scales[8] >> 4) | (scales[4] >> 6) << 4 = 1 | 32 = 33
        u8(b, 12, 3 | (1 << 4));
        u8(b, 16, 0x07);       // qs[0]: sub-block 0 value 0 = 7, sub-block 1 value 0 = 0
        u8(b, 16 + 64, 0x09);  // qs[64]: sub-block 4 value 0 = 9
        float[] y = new float[256];
        Q4_K.dequantizeRow(b, 0, y, 0, 256);
        assertEquals(1.0f * 5 * 7 - 0.5f * 2, y[0]);
        assertEquals(1.0f * 19 * 9 - 0.5f * 33, y[128]);
        assertEquals(-0.5f * 33, y[129]);
    }

    @Test
    void q5_kHighBitsPerSubBlock() {
        MemorySegment b = block(176);
        half(b, 0, 1.0f);
        half(b, 2, 0.0f);
        u8(b, 4 + 1, 1);       // sc[1] = 1
        u8(b, 4 + 2, 1);       // sc[2] = 1
        u8(b, 16 + 0, 0b110);  // qh[0]: bit 1 (sub-block 1) and bit 2 (sub-block 2)
        u8(b, 48 + 0, 0x30);   // sub-block 0 low 0, sub-block 1 low 3
        u8(b, 48 + 32, 0x05);  // sub-block 2 low 5
        float[] y = new float[256];
        Q5_K.dequantizeRow(b, 0, y, 0, 256);
        assertEquals(0f, y[0]);
        assertEquals(3 + 16, y[32]);
        assertEquals(5 + 16, y[64]);
    }

    @Test
    void q6_kLayout() {
        MemorySegment b = block(210);
        half(b, 208, 0.5f);
        u8(b, 192 + 0, 2);     // scale of values 0..15
        u8(b, 192 + 6, -3);    // scale of values 96..111
        u8(b, 0, 0x5A);        // value 0 low nibble 10, value 64 low nibble 5
        u8(b, 32, 0x30);       // value 32 low 0, value 96 low 3
        u8(b, 128, 0b11_00_00_01);   // value 0 high 1, value 96 high 3
        float[] y = new float[256];
        Q6_K.dequantizeRow(b, 0, y, 0, 256);
        assertEquals(0.5f * 2 * ((10 | 16) - 32), y[0]);
        assertEquals(0.5f * -3 * ((3 | 48) - 32), y[96]);
    }

    @Test
    void q3_kSignedScalesAndHighMask() {
        MemorySegment b = block(110);
        half(b, 108, 1.0f);
        // scale 0: low 4 bits scales[0] & 15 = 1, high bits scales[8] & 3 = 2 -> 33 - 32 = 1
        u8(b, 96 + 0, 0x01);
        u8(b, 96 + 8, 0x02);
        // scale 9: low 4 bits scales[1] >> 4 = 0, high bits (scales[9] >> 4) & 3 = 0 -> -32
        u8(b, 32 + 0, 0b11);   // value 0 low bits 3
        u8(b, 0, 0b1);         // hmask[0] bit 0: value 0 keeps 3 (no -4)
        u8(b, 32 + 32 + 16, 0b10);   // value 144 (h=1, j=0, l=16) low bits 2; hmask bit 4 clear -> 2 - 4
        float[] y = new float[256];
        Q3_K.dequantizeRow(b, 0, y, 0, 256);
        assertEquals(3f, y[0]);
        assertEquals(-4f, y[1]);      // value 1: scale 1, low bits 0, high bit clear: 0 - 4
        assertEquals(-32f * (2 - 4), y[144]);
    }

    @Test
    void q2_kScaleAndMin() {
        MemorySegment b = block(84);
        half(b, 80, 0.5f);
        half(b, 82, 0.25f);
        u8(b, 0, 0x32);        // sub-block 0: sc 2, m 3
        u8(b, 16, 0b11_00_00_10);   // value 0 (shift 0) = 2, value 96 (shift 6) = 3
        u8(b, 6, 0x01);        // sub-block 6 (values 96..111): sc 1, m 0
        float[] y = new float[256];
        Q2_K.dequantizeRow(b, 0, y, 0, 256);
        assertEquals(0.5f * 2 * 2 - 0.25f * 3, y[0]);
        assertEquals(0.5f * 1 * 3, y[96]);
    }

    @Test
    void q8_0ActivationsRoundHalfToEvenButWeightsHalfAway() {
        float[] x = new float[32];
        x[0] = 127f;           // amax: scale exactly 1
        x[1] = 2.5f;
        x[2] = -3.5f;
        byte[] q = new byte[32];
        float[] d = new float[1];
        Q8_0.quantizeActivation(x, 0, 32, q, d, 0);
        assertEquals(1f, d[0]);
        assertEquals(2, q[1]);        // x86 CPU path: round half to even
        assertEquals(-4, q[2]);
        MemorySegment w = block(34);
        Q8_0.quantizeRow(x, 0, 32, w, 0);
        assertEquals(3, w.get(ValueLayout.JAVA_BYTE, 3));     // quantize_row_q8_0_ref: roundf
        assertEquals(-4, w.get(ValueLayout.JAVA_BYTE, 4));
    }

    @Test
    void q8_kUsesTheSignedMaximumAndKeepsBlockSums() {
        float[] x = new float[256];
        for (int i = 0; i < 256; i++) x[i] = (i % 7) - 3;
        x[5] = -254f;          // largest magnitude, negative: iscale = 0.5, d = 2
        byte[] q = new byte[256];
        float[] d = new float[1];
        short[] bs = new short[16];
        Q8_K.quantizeActivation(x, 0, 256, q, d, bs, 0);
        assertEquals(2f, d[0]);
        assertEquals(-127, q[5]);
        assertEquals(-2, q[0]);   // -3 · 0.5 = -1.5 → -2 (half to even)
        assertEquals(-1, q[1]);   // -2 · 0.5
        int sum0 = 0;
        for (int i = 0; i < 16; i++) sum0 += q[i];
        assertEquals(sum0, bs[0]);
    }

    @Test
    void bf16RoundsHalfToEven() {
        assertEquals(1.0f, BF16.round(1 + 0x1p-8f));
        assertEquals(1 + 0x1p-6f, BF16.round(1 + 3 * 0x1p-8f));
        assertEquals(1 + 0x1p-7f, BF16.round(1 + 0x1p-8f + 0x1p-20f));
        assertArrayEquals(new float[] {Float.NaN}, new float[] {BF16.round(Float.NaN)});
    }
}
