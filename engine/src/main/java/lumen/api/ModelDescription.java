package lumen.api;

import java.util.Locale;
import lumen.loader.ModelFile;

/** The "arch size type" label llama.cpp prints for a model (e.g. "llama 1B Q4_0"). */
final class ModelDescription {
    private ModelDescription() {
    }

    static String of(String architecture, long parameters, ModelFile file) {
        return architecture + " " + sizeLabel(parameters) + " " + fileType(file);
    }

    private static String sizeLabel(long parameters) {
        if (parameters >= 1_000_000_000L) return Math.round(parameters / 1e9) + "B";
        if (parameters >= 1_000_000L) return Math.round(parameters / 1e6) + "M";
        return Math.round(parameters / 1e3) + "K";
    }

    /** The name of {@code general.file_type} (llama_ftype), or the most common tensor type when absent. */
    static String fileType(ModelFile file) {
        long ftype = file.integer("general.file_type", -1);
        String name = switch ((int) ftype) {
            case 0 -> "F32";
            case 1 -> "F16";
            case 2 -> "Q4_0";
            case 3 -> "Q4_1";
            case 7 -> "Q8_0";
            case 8 -> "Q5_0";
            case 9 -> "Q5_1";
            case 10 -> "Q2_K";
            case 11 -> "Q3_K_S";
            case 12 -> "Q3_K_M";
            case 13 -> "Q3_K_L";
            case 14 -> "Q4_K_S";
            case 15 -> "Q4_K_M";
            case 16 -> "Q5_K_S";
            case 17 -> "Q5_K_M";
            case 18 -> "Q6_K";
            case 32 -> "BF16";
            default -> null;
        };
        if (name != null) return name;
        var counts = new java.util.HashMap<String, Long>();
        for (var t : file.tensorInfos()) counts.merge(t.type().name(), t.size(), Long::sum);
        return counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(e -> e.getKey())
                .orElse("?").toUpperCase(Locale.ROOT);
    }
}
