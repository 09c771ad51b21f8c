package lumen.sampler;

import java.util.Map;

/**
 * How to pick the next token, with the meanings llama.cpp and the OpenAI API give these knobs.
 *
 * @param temperature      0 means greedy (argmax, ties to the lowest id)
 * @param topK             keep the k most likely tokens; 0 keeps all
 * @param topP             keep the smallest set whose probability reaches p; 1 keeps all
 * @param minP             drop tokens below minP × the top probability; 0 keeps all
 * @param repeatPenalty    llama.cpp's repetition penalty over the last {@code penaltyLastN} tokens; 1 is off
 * @param presencePenalty  OpenAI presence penalty (subtracted once per seen token); 0 is off
 * @param frequencyPenalty OpenAI frequency penalty (subtracted per occurrence); 0 is off
 * @param penaltyLastN     how many recent tokens the penalties look at
 * @param seed             seed of the random draw; the same seed gives the same tokens
 * @param logitBias        token id → value added to its logit before anything else
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float repeatPenalty,
                             float presencePenalty, float frequencyPenalty, int penaltyLastN, long seed,
                             Map<Integer, Float> logitBias) {

    public SamplingParams {
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, found " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, found " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], found " + topP);
        if (!(minP >= 0 && minP <= 1)) throw new IllegalArgumentException("min-p must be in [0, 1], found " + minP);
        logitBias = Map.copyOf(logitBias);
    }

    /** Greedy decoding. */
    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0, 1, 0, 0, 64, 0, Map.of());
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05. */
    public static SamplingParams defaults(long seed) {
        return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1, 0, 0, 64, seed, Map.of());
    }

    public SamplingParams withTemperature(float t) {
        return new SamplingParams(t, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed, logitBias);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed, logitBias);
    }

    public SamplingParams withTopP(float p) {
        return new SamplingParams(temperature, topK, p, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed, logitBias);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, s, logitBias);
    }
}
