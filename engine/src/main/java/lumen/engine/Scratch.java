package lumen.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Float buffers kept from one forward pass to the next, one pass at a time: decoding asks for the same
 * sizes every token, and fresh arrays cost more than the work on them (new memory is cold in the
 * caches; the FFN's two 8192-float buffers of a 1B model, measured).
 */
public final class Scratch {
    private final Map<String, float[]> buffers = new HashMap<>();

    /** An array of exactly n floats for {@code purpose}, holding whatever the last user of it left there. */
    public float[] floats(String purpose, int n) {
        float[] b = buffers.get(purpose);
        if (b == null || b.length != n) {
            b = new float[n];
            buffers.put(purpose, b);
        }
        return b;
    }
}
