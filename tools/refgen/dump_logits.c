// Reference logits from llama.cpp for Lumen's tests, written in the fixtures' format:
// little-endian float32 [n_tokens][n_vocab] for ONE batch of the given token ids, then the
// greedy continuation one decode step at a time ([n_greedy][n_vocab] logits, ids on stdout).
// Settings as ../shared/fixtures: 2 threads, one micro-batch, F32 KV cache, flash attention off.
//
//   dump_logits MODEL.gguf IDS(comma-separated) N_GREEDY OUT_PREFIX [BATCH]
//   -> OUT_PREFIX.logits.f32, OUT_PREFIX.decode.f32, greedy ids printed as "greedy: 1,2,3"
// BATCH (default: all ids) feeds long sequences in batches; llama.cpp keeps at most n_ctx_train outputs of one.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "llama.h"

static int argmax(const float *x, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) if (x[i] > x[best]) best = i;   // ties: the lowest id
    return best;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) { fprintf(stderr, "usage: %s MODEL IDS N_GREEDY OUT_PREFIX [BATCH]\n", argv[0]); return 2; }
    static int ids[65536];
    int n = 0;
    for (char *s = strtok(argv[2], ","); s && n < 65536; s = strtok(NULL, ",")) ids[n++] = atoi(s);
    int greedy = atoi(argv[3]);
    int chunk = argc == 6 ? atoi(argv[5]) : n;

    llama_backend_init();
    struct llama_model_params mp = llama_model_default_params();
    struct llama_model *model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = n + greedy + 8;
    cp.n_batch = cp.n_ubatch = chunk;
    cp.n_threads = cp.n_threads_batch = 2;
    cp.type_k = cp.type_v = GGML_TYPE_F32;
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    struct llama_context *ctx = llama_init_from_model(model, cp);
    int vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));

    char path[4096];
    snprintf(path, sizeof path, "%s.logits.f32", argv[4]);
    FILE *f = fopen(path, "wb");
    struct llama_batch batch = llama_batch_init(chunk, 0, 1);
    for (int s = 0; s < n; s += chunk) {
        int m = n - s < chunk ? n - s : chunk;
        for (int i = 0; i < m; i++) {
            batch.token[i] = ids[s + i]; batch.pos[i] = s + i; batch.n_seq_id[i] = 1; batch.seq_id[i][0] = 0; batch.logits[i] = 1;
        }
        batch.n_tokens = m;
        if (llama_decode(ctx, batch)) { fprintf(stderr, "decode failed\n"); return 1; }
        for (int i = 0; i < m; i++) fwrite(llama_get_logits_ith(ctx, i), sizeof(float), vocab, f);
    }
    fclose(f);
    int last = (n - 1) % chunk;   // the last row of the last batch

    snprintf(path, sizeof path, "%s.decode.f32", argv[4]);
    f = fopen(path, "wb");
    int next = argmax(llama_get_logits_ith(ctx, last), vocab);
    printf("greedy: ");
    struct llama_batch one = llama_batch_init(1, 0, 1);
    for (int k = 0; k < greedy; k++) {
        printf(k ? ",%d" : "%d", next);
        one.token[0] = next; one.pos[0] = n + k; one.n_seq_id[0] = 1; one.seq_id[0][0] = 0; one.logits[0] = 1;
        one.n_tokens = 1;
        if (llama_decode(ctx, one)) { fprintf(stderr, "decode step failed\n"); return 1; }
        const float *l = llama_get_logits_ith(ctx, 0);
        fwrite(l, sizeof(float), vocab, f);
        next = argmax(l, vocab);
    }
    printf("\n");
    fclose(f);
    llama_batch_free(one);
    llama_batch_free(batch);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
