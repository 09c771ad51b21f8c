package lumen.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Q6KernelOrderTest {
    /** Levels read back by the documented three-bytes-per-four rule give ggml's dequantized values; decoding restores the block. */
    @Test
    void encodedLevelsDequantizeAsGgmlAndDecodeRestoresTheBlock() {
        Random rnd = new Random(6);
        for (int trial = 0; trial < 20; trial++) {
            byte[] block = new byte[210];
            rnd.nextBytes(block);
            short d = Float.floatToFloat16(0.001f * (1 + rnd.nextInt(100)));
            block[208] = (byte) d;
            block[209] = (byte) (d >> 8);
            float[] want = new float[256];
            Q6_K.dequantizeRow(MemorySegment.ofArray(block), 0, want, 0, 256);

            byte[] enc = block.clone();
            Q6KernelOrder.encode(enc, 0);
            float dw = Float.float16ToFloat((short) ((enc[208] & 0xFF) | enc[209] << 8));
            for (int s = 0; s < 16; s++) {
                int scale = enc[13 * s + 12];
                for (int g = 0; g < 4; g++) {
                    int o = 13 * s + 3 * g, b0 = enc[o] & 0xFF, b1 = enc[o + 1] & 0xFF, b2 = enc[o + 2] & 0xFF;
                    int[] q = {b0 & 63, b1 & 63, b2 & 63, b0 >> 6 | (b1 >> 6) << 2 | (b2 >> 6) << 4};
                    for (int i = 0; i < 4; i++) {
                        int e = 16 * s + 4 * g + i;
                        assertEquals(want[e], dw * scale * (q[i] - 32), 0f, "element " + e);
                    }
                }
            }
            Q6KernelOrder.decode(enc, 0);
            assertArrayEquals(block, enc);
        }
    }
}
